import type { Frame } from '../profile/model';
import type { HintCategory, HintLanguage, HintMatcher, HintRule } from './types';

/** A rule with its patterns compiled, as stored in {@link CompiledHintRules}. */
export interface CompiledHintRule {
  readonly rule: HintRule;
  /** Position of the rule in {@link CompiledHintRules.rules}. */
  readonly index: number;
  /** Position of the rule's category in {@link CompiledHintRules.categories}. */
  readonly categoryIndex: number;
  /** True when the frame matches the rule (name, kind, module and language). */
  readonly test: (frame: Frame, language: HintLanguage | undefined) => boolean;
}

/**
 * Rules compiled once for fast classification: regular expressions built, disabled
 * rules (`enabled: false`) dropped, categories numbered in order of first appearance.
 * Create with {@link compileHintRules}; it is immutable and can be shared.
 */
export interface CompiledHintRules {
  readonly rules: readonly CompiledHintRule[];
  readonly categories: readonly HintCategory[];
  /**
   * Indices (into {@link rules}, ascending) of the rules a frame matches. Fast path:
   * one combined regex of every plain pattern rejects most frames before any rule
   * is tested one by one.
   */
  readonly matchFrame: (frame: Frame) => readonly number[];
}

const EXTENSION_LANGUAGE: Readonly<Record<string, HintLanguage>> = {
  rs: 'rust',
  c: 'c',
  cc: 'cpp',
  cpp: 'cpp',
  cxx: 'cpp',
  hpp: 'cpp',
  hh: 'cpp',
  hxx: 'cpp',
  tcc: 'cpp',
  go: 'go',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  ts: 'javascript',
  mts: 'javascript',
  cts: 'javascript',
  jsx: 'javascript',
  tsx: 'javascript',
  py: 'python',
  pyx: 'python',
  java: 'java',
  kt: 'java',
};

/**
 * The language of a frame, from the extension of its file, else of its module
 * (a V8 frame's module is its script URL); undefined when neither tells
 * (`.h` headers, which may be C or C++, C++ standard headers without extension,
 * shared objects, kernel frames). Rules for `c` and `cpp` apply to frames of either.
 */
export function frameLanguage(frame: Frame): HintLanguage | undefined {
  for (const path of [frame.file, frame.module]) {
    if (!path) continue;
    const m = /\.([A-Za-z]+)(?:[?#].*)?$/.exec(path);
    if (m) {
      const lang = EXTENSION_LANGUAGE[m[1].toLowerCase()];
      if (lang) return lang;
    }
  }
  return undefined;
}

/**
 * Builds a predicate for a list of matchers: true when any matches (false for an
 * empty list). Substrings are tested with `includes`, regexes compiled once.
 * @throws SyntaxError when a regex source or its flags are invalid (user rules are
 *   validated by `parseUserHintRules` before they get here)
 */
function compileMatchers(matchers: readonly HintMatcher[]): (text: string) => boolean {
  const substrings: string[] = [];
  const regexes: RegExp[] = [];
  for (const m of matchers) {
    if ('contains' in m) substrings.push(m.contains);
    else regexes.push(new RegExp(m.regex, (m.flags ?? '').replace(/[gy]/g, '')));
  }
  return (text) => {
    for (const s of substrings) if (text.includes(s)) return true;
    for (const r of regexes) if (r.test(text)) return true;
    return false;
  };
}

/**
 * Compiles rules for {@link classifyFrame} and the hint functions: drops disabled
 * rules, builds every regex once and numbers the categories.
 * @param rules usually `mergeHintRules(defaultHintRules, user.rules)`
 * @throws SyntaxError when a rule carries an invalid regex (rules from
 *   `parseUserHintRules` and the defaults never do)
 */
export function compileHintRules(rules: readonly HintRule[]): CompiledHintRules {
  const categories: HintCategory[] = [];
  const categoryIndex = new Map<string, number>();
  const compiled: CompiledHintRule[] = [];
  for (const rule of rules) {
    if (rule.enabled === false) continue;
    let ci = categoryIndex.get(rule.category);
    if (ci === undefined) {
      ci = categories.length;
      categories.push(rule.category);
      categoryIndex.set(rule.category, ci);
    }
    const nameTest = rule.match.length > 0 ? compileMatchers(rule.match) : () => true;
    const moduleTest = rule.module ? compileMatchers(rule.module) : undefined;
    const { kind, language } = rule;
    const test = (frame: Frame, frameLang: HintLanguage | undefined): boolean => {
      if (kind !== undefined && frame.kind !== kind) return false;
      if (language !== undefined && frameLang !== undefined && !compatible(language, frameLang)) return false;
      if (moduleTest && (frame.module === undefined || !moduleTest(frame.module))) return false;
      return nameTest(frame.name);
    };
    compiled.push({ rule, index: compiled.length, categoryIndex: ci, test });
  }
  // Prefilter: a name that no plain pattern (no flags, no backreference) can match only
  // needs the rules that have another kind of pattern, or none (kind/module-only rules).
  const plain: string[] = [];
  const always: CompiledHintRule[] = [];
  for (const r of compiled) {
    const name = r.rule.match;
    const unfilterable =
      name.length === 0 ||
      name.some((m) => 'regex' in m && ((m.flags ?? '') !== '' || /\\(?:[1-9]|k<)|\(\?<[^=!]/.test(m.regex)));
    if (unfilterable) always.push(r);
    else for (const m of name) plain.push('contains' in m ? escapeRegex(m.contains) : `(?:${m.regex})`);
  }
  const prefilter = plain.length > 0 ? new RegExp(plain.join('|')) : undefined;
  const none: readonly number[] = [];
  const matchFrame = (frame: Frame): readonly number[] => {
    const lang = frameLanguage(frame);
    const candidates = prefilter?.test(frame.name) ? compiled : always;
    let out: number[] | undefined;
    for (const r of candidates) {
      if (r.test(frame, lang)) {
        if (!out) out = [];
        out.push(r.index);
      }
    }
    return out ?? none;
  };
  return { rules: compiled, categories, matchFrame };
}

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/** C and C++ rules apply to each other's frames (headers, mixed programs); other languages only to their own. */
function compatible(rule: HintLanguage, frame: HintLanguage): boolean {
  return rule === frame || ((rule === 'c' || rule === 'cpp') && (frame === 'c' || frame === 'cpp'));
}

const compiledCache = new WeakMap<readonly HintRule[], CompiledHintRules>();

/** Compiles a rule list once (cached per array) or returns already-compiled rules. */
export function asCompiled(rules: CompiledHintRules | readonly HintRule[]): CompiledHintRules {
  if (!Array.isArray(rules)) return rules as CompiledHintRules;
  const list = rules as readonly HintRule[];
  let compiled = compiledCache.get(list);
  if (!compiled) {
    compiled = compileHintRules(list);
    compiledCache.set(list, compiled);
  }
  return compiled;
}

/**
 * The ids of the rules a frame matches, in rule order (empty when none).
 * @param frame a frame name, or a whole {@link Frame} so that `kind`, `module` and
 *   `language` conditions can apply (with a bare name the frame's kind, module and
 *   language are unknown: rules that require a kind or a module do not match)
 * @param rules compiled rules ({@link compileHintRules}), or a rule array, which is
 *   compiled on first use and cached per array
 */
export function classifyFrame(
  frame: string | Frame,
  rules: CompiledHintRules | readonly HintRule[],
): string[] {
  const f: Frame = typeof frame === 'string' ? { name: frame } : frame;
  const compiled = asCompiled(rules);
  return compiled.matchFrame(f).map((i) => compiled.rules[i].rule.id);
}
