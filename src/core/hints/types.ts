/**
 * Types of the hint rules: a rule maps frame patterns to a category of known
 * performance problem (cloning, allocation, hashing, locks…) and a suggestion.
 * Rules are plain data so that users can add or replace them through settings
 * (see `parseUserHintRules` in `user-rules.ts`).
 */

/**
 * Category of a hint. The built-in ids are listed; user rules may introduce
 * other kebab-case ids (`my-parser`), hence the open `string` tail.
 */
export type HintCategory =
  | 'clone-heavy'
  | 'drop-heavy'
  | 'allocation-heavy'
  | 'hashing'
  | 'lock-contention'
  | 'thread-pool-overhead'
  | 'formatting'
  | 'json-materialization'
  | 'btree-map'
  | 'reparsing'
  | 'syscalls-io'
  | (string & {});

/** The built-in category ids, in the order the documentation lists them. */
export const HINT_CATEGORIES: readonly HintCategory[] = [
  'clone-heavy',
  'drop-heavy',
  'allocation-heavy',
  'hashing',
  'lock-contention',
  'thread-pool-overhead',
  'formatting',
  'json-materialization',
  'btree-map',
  'reparsing',
  'syscalls-io',
];

/**
 * Source language a rule is meant for. A rule with a language applies to a frame
 * whose language is unknown or equal (the frame's language is inferred from the
 * extension of its file, else of its module; see `frameLanguage`).
 */
export type HintLanguage = 'rust' | 'c' | 'cpp' | 'go' | 'javascript' | 'python' | 'java';

/**
 * One pattern tested against a frame name (or module name):
 * - `{ contains }` — case-sensitive substring;
 * - `{ regex, flags }` — a JavaScript regular expression source; `flags` may only
 *   contain `i` and `u` (stateful `g`/`y` are rejected by the validator).
 */
export type HintMatcher = { readonly contains: string } | { readonly regex: string; readonly flags?: string };

/**
 * A hint rule. A frame matches when **any** of `match` matches its name (a rule
 * with an empty `match` matches every name, which only makes sense with `kind`),
 * **and** `kind` (when given) equals the frame's kind, **and** one of `module`
 * (when given) matches the frame's module, **and** `language` (when given) is
 * compatible with the frame's inferred language.
 */
export interface HintRule {
  /** Unique id (`rust-clone`, `go-mallocgc`); a user rule with the same id replaces the default. */
  readonly id: string;
  /** Category the rule reports under. */
  readonly category: HintCategory;
  /** Short text for a CodeLens: `clone-heavy: consider Cow/Arc`. */
  readonly label: string;
  /** One or two sentences of advice, shown in hovers and reports. */
  readonly suggestion: string;
  /** Patterns on the frame name; any one matching suffices. */
  readonly match: readonly HintMatcher[];
  /** Only frames of this kind (perf `[kernel.kallsyms]`, folded `_[k]` give `kernel`). */
  readonly kind?: 'kernel' | 'user';
  /** Patterns on the frame's module (`libc.so.6`); when given, the frame must have a module matching one. */
  readonly module?: readonly HintMatcher[];
  /** Language the rule is meant for; see {@link HintLanguage}. */
  readonly language?: HintLanguage;
  /**
   * Share (0..1) of a function's total weight this rule's frames must carry before
   * the rule counts; when absent the caller's threshold (default 0.05) applies to
   * all such rules of a category together. See `hintsForProfile`.
   */
  readonly minShare?: number;
  /** `false` disables the rule (a user setting can switch a default rule off by id). Default true. */
  readonly enabled?: boolean;
}
