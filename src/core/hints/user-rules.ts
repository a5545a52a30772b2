import { z } from 'zod';
import type { HintMatcher, HintRule } from './types';

/**
 * User hint rules arrive as unknown JSON (from a setting or a file). The accepted
 * shape, checked with zod:
 *
 * ```json
 * [
 *   { "id": "my-parser", "category": "reparsing", "label": "reparsing: cache the AST",
 *     "suggestion": "Parse each expression once and keep the tree.",
 *     "match": ["my_crate::parser::parse_expression", { "regex": "::parse_\\w+$" }],
 *     "minShare": 0.1 },
 *   { "id": "rust-btree", "enabled": false }
 * ]
 * ```
 *
 * - `match`: strings are substrings; `{ "contains": … }`; `{ "regex": …, "flags": "i" }`.
 * - `label` defaults to the category; `kind` is `kernel` or `user`; `module` has the
 *   shape of `match` and tests the frame's module; `language` is one of `rust`, `c`,
 *   `cpp`, `go`, `javascript`, `python`, `java`; `minShare` is a share in 0..1.
 * - `{ "id": …, "enabled": false }` switches the rule with that id off.
 */

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const regexMatcher = z
  .strictObject({
    regex: z.string().min(1, 'must not be empty'),
    flags: z
      .string()
      .regex(/^(?!.*(.).*\1)[iu]*$/, 'may only contain the flags "i" and "u", each at most once')
      .optional(),
  })
  .superRefine((m, ctx) => {
    try {
      new RegExp(m.regex, m.flags);
    } catch (e) {
      ctx.addIssue({
        code: 'custom',
        path: ['regex'],
        message: `not a valid regular expression (${e instanceof Error ? e.message : String(e)})`,
      });
    }
  });

const matcher = z.union([
  z.string().min(1, 'a substring must not be empty'),
  z.strictObject({ contains: z.string().min(1, 'must not be empty') }),
  regexMatcher,
]);

const enabledRule = z
  .strictObject({
    id: z.string().min(1, 'must not be empty'),
    category: z.string().regex(KEBAB, 'must be a kebab-case id such as "clone-heavy"'),
    label: z.string().min(1, 'must not be empty').optional(),
    suggestion: z.string().min(1, 'must not be empty'),
    match: z.array(matcher),
    kind: z.enum(['kernel', 'user']).optional(),
    module: z.array(matcher).min(1, 'must list at least one pattern when given').optional(),
    language: z.enum(['rust', 'c', 'cpp', 'go', 'javascript', 'python', 'java']).optional(),
    minShare: z
      .number()
      .min(0, 'must be a share between 0 and 1')
      .max(1, 'must be a share between 0 and 1')
      .optional(),
    enabled: z.literal(true).optional(),
  })
  .superRefine((r, ctx) => {
    if (r.match.length === 0 && r.kind === undefined && r.module === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['match'],
        message: 'must list at least one pattern (an empty list is only allowed with "kind" or "module")',
      });
    }
  });

const disabledRule = z.strictObject({
  id: z.string().min(1, 'must not be empty'),
  enabled: z.literal(false),
});

type RawMatcher = z.infer<typeof matcher>;

function toMatcher(m: RawMatcher): HintMatcher {
  if (typeof m === 'string') return { contains: m };
  if ('contains' in m) return { contains: m.contains };
  return m.flags ? { regex: m.regex, flags: m.flags } : { regex: m.regex };
}

/** A rule that only switches another rule off (`{ id, enabled: false }`). */
function disabled(id: string): HintRule {
  return { id, category: 'disabled', label: '', suggestion: '', match: [], enabled: false };
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out;
}

/**
 * Validates user hint rules.
 * @param json the parsed setting: an array of rule objects (see the module comment);
 *   `undefined` and `null` mean "no user rules"
 * @returns the valid rules, in input order, and one message per rejected rule naming
 *   the rule (position and id), the field and why — e.g.
 *   `hint rule 2 ("my-parser"): field "match[0].regex": invalid regular expression: …`.
 *   A bad rule is skipped; a later rule with an id already used in `json` is skipped too.
 *   Never throws.
 */
export function parseUserHintRules(json: unknown): { rules: HintRule[]; problems: string[] } {
  const rules: HintRule[] = [];
  const problems: string[] = [];
  if (json === undefined || json === null) return { rules, problems };
  if (!Array.isArray(json)) {
    problems.push(`hint rules: expected an array of rules, got ${typeof json}`);
    return { rules, problems };
  }
  const seen = new Set<string>();
  json.forEach((raw: unknown, i) => {
    const n = i + 1;
    const id =
      typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string'
        ? (raw as { id: string }).id
        : undefined;
    const name = id !== undefined && id !== '' ? `hint rule ${n} ("${id}")` : `hint rule ${n}`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      problems.push(`${name}: expected an object, got ${Array.isArray(raw) ? 'an array' : typeof raw}`);
      return;
    }
    const isDisabling = (raw as { enabled?: unknown }).enabled === false;
    const result = isDisabling ? disabledRule.safeParse(raw) : enabledRule.safeParse(raw);
    if (!result.success) {
      const issue = result.error.issues[0];
      const field = formatPath(issue.path);
      const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more)` : '';
      problems.push(`${name}: ${field ? `field "${field}": ` : ''}${issue.message}${more}; rule skipped`);
      return;
    }
    const r = result.data;
    if (seen.has(r.id)) {
      problems.push(`${name}: the id "${r.id}" is already used by an earlier rule; rule skipped`);
      return;
    }
    seen.add(r.id);
    if ('category' in r) {
      rules.push({
        id: r.id,
        category: r.category,
        label: r.label ?? r.category,
        suggestion: r.suggestion,
        match: r.match.map(toMatcher),
        ...(r.kind !== undefined ? { kind: r.kind } : {}),
        ...(r.module !== undefined ? { module: r.module.map(toMatcher) } : {}),
        ...(r.language !== undefined ? { language: r.language } : {}),
        ...(r.minShare !== undefined ? { minShare: r.minShare } : {}),
      });
    } else {
      rules.push(disabled(r.id));
    }
  });
  return { rules, problems };
}

/**
 * Merges user rules into the defaults: a user rule with the id of a default rule
 * replaces it in place (a `{ id, enabled: false }` rule therefore switches it off);
 * other user rules are appended in their order.
 * @returns a new array; neither input is changed
 */
export function mergeHintRules(defaults: readonly HintRule[], user: readonly HintRule[]): HintRule[] {
  const byId = new Map(user.map((r) => [r.id, r]));
  const merged = defaults.map((d) => byId.get(d.id) ?? d);
  const defaultIds = new Set(defaults.map((d) => d.id));
  for (const r of user) if (!defaultIds.has(r.id)) merged.push(r);
  return merged;
}
