import type { Plan, PlanLocation, PlanSection } from '../plan/types';
import type { HotFunction, PlanLink } from './types';

/** A plan and where it lives, as {@link linkPlans} needs it. */
export interface PlanSource {
  /** The plan's file: workspace-relative, or absolute when outside the workspace. */
  readonly file: string;
  readonly plan: Plan;
}

/** A file the plan names, with the progress of the section that names it. */
export interface PlanFileStatus {
  readonly planFile: string;
  readonly planTitle: string;
  /** Phase title, else section title. */
  readonly section: string;
  /** 1-based line of that phase's (or section's) heading. */
  readonly line: number;
  readonly done: number;
  readonly total: number;
}

/**
 * The plan section that covers each hot function (its strongest link): what `report --json`
 * and the agent tools print as `planSection`.
 * @returns function key → section title (functions no plan covers are absent)
 */
export function planSectionByFunction(
  hotspots: readonly HotFunction[],
  plans: readonly PlanSource[],
): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, list] of linkPlans(hotspots, plans)) if (list[0]) out.set(key, list[0].section);
  return out;
}

/**
 * Links hot functions to the plan sections that cover them. In order of strength:
 * 1. an implementation location naming the function's file **and** the function
 *    (`path:Symbol`) or a line inside it (`path:12`, `path:10-40`);
 * 2. a hotspot claim naming the function itself;
 * 3. an implementation location naming the function's file;
 * 4. a hotspot claim naming a library frame under the function (its blamed library
 *    time or its hint evidence: "`Arc::drop_slow`: 11.6%" links to the function that drops).
 * A link's section is the location's (or claim's) phase when it has one, else its section.
 * @returns per function key, its links, strongest first (at most one per plan section)
 */
export function linkPlans(
  hotspots: readonly HotFunction[],
  plans: readonly PlanSource[],
): Map<string, PlanLink[]> {
  const out = new Map<string, PlanLink[]>();
  for (const f of hotspots) {
    const ranked: { rank: number; link: PlanLink }[] = [];
    for (const { file, plan } of plans) {
      for (const loc of plan.locations) {
        if (!samePath(loc.path, f.file)) continue;
        const specific = namesFunction(loc, f);
        const where = sectionOf(plan, loc.phaseId ?? loc.sectionId, loc.planLine);
        ranked.push({
          rank: specific ? 1 : 3,
          link: { planFile: file, ...where, reason: specific ? 'symbol' : 'location' },
        });
      }
      for (const claim of plan.claims) {
        const own = claim.symbols.some((s) => symbolMatches(s, [f.name, f.displayName]));
        const under =
          !own &&
          claim.symbols.some((s) =>
            symbolMatches(s, [
              ...f.blamedLibrary.map((b) => b.function),
              ...f.hints.flatMap((h) => h.frames.map((x) => x.name)),
            ]),
          );
        if (!own && !under) continue;
        const where = sectionOf(plan, claim.phaseId ?? claim.sectionId, claim.line);
        ranked.push({
          rank: own ? 2 : 4,
          link: { planFile: file, ...where, reason: 'claim', claimPercent: claim.percent },
        });
      }
    }
    if (ranked.length === 0) continue;
    ranked.sort((a, b) => a.rank - b.rank);
    const seen = new Set<string>();
    const links: PlanLink[] = [];
    for (const { link } of ranked) {
      const k = `${link.planFile}#${link.line}`;
      if (seen.has(k)) continue;
      seen.add(k);
      links.push(link);
    }
    out.set(f.key, links);
  }
  return out;
}

/**
 * The plan sections that name a workspace file as an implementation location, with
 * their task progress (done/total of the phase, or of the section when not in a phase).
 * @param file workspace-relative POSIX path
 */
export function planStatusForFile(file: string, plans: readonly PlanSource[]): PlanFileStatus[] {
  const out: PlanFileStatus[] = [];
  const seen = new Set<string>();
  for (const { file: planFile, plan } of plans) {
    for (const loc of plan.locations) {
      if (!samePath(loc.path, file)) continue;
      const id = loc.phaseId ?? loc.sectionId;
      const key = `${planFile}#${id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const where = sectionOf(plan, id, loc.planLine);
      const tasks = id === null ? [] : plan.tasks.filter((t) => inSection(plan, t.sectionId, id));
      out.push({
        planFile,
        planTitle: plan.title,
        ...where,
        done: tasks.filter((t) => t.done).length,
        total: tasks.length,
      });
    }
  }
  return out;
}

/**
 * A short excerpt of a section: its first non-empty lines of prose after the heading,
 * Markdown kept, at most `maxChars` characters.
 * @param text the plan's text
 * @param line 1-based line of the heading
 */
export function sectionExcerpt(text: string, line: number, maxChars = 240): string {
  const lines = text.split(/\r?\n/);
  const parts: string[] = [];
  for (let i = line; i < lines.length && parts.join(' ').length < maxChars; i++) {
    const l = lines[i].trim();
    if (/^#{1,6}\s/.test(l)) break;
    if (l === '' || l.startsWith('```') || l.startsWith('|')) continue;
    parts.push(l);
  }
  const s = parts.join(' ');
  return s.length > maxChars ? `${s.slice(0, maxChars - 1)}…` : s;
}

function sectionOf(plan: Plan, id: number | null, fallbackLine: number): { section: string; line: number } {
  const s: PlanSection | undefined = id === null ? undefined : plan.sections[id];
  return s ? { section: s.title, line: s.line } : { section: plan.title, line: fallbackLine };
}

function inSection(plan: Plan, sectionId: number | null, ancestorId: number): boolean {
  for (let id = sectionId; id !== null; id = plan.sections[id]?.parentId ?? null)
    if (id === ancestorId) return true;
  return false;
}

/** True when a path the plan wrote names a workspace file (exactly, or as a path suffix either way). */
function samePath(planPath: string, file: string): boolean {
  const a = planPath.replace(/\\/g, '/').replace(/^\.\//, '');
  if (a === file) return true;
  return (a.includes('/') && file.endsWith(`/${a}`)) || a.endsWith(`/${file}`);
}

function namesFunction(loc: PlanLocation, f: HotFunction): boolean {
  if (loc.line !== null) {
    const end = loc.endLine ?? loc.line;
    return loc.line <= f.endLine && end >= f.line;
  }
  if (!loc.symbol) return false;
  return symbolMatches(loc.symbol, [f.displayName, f.name]);
}

/**
 * True when a symbol the plan wrote names one of the given function names: compared
 * on the path segments without generics and hashes, the plan's segments must be the
 * tail of the name's (`Arc::drop_slow` matches `alloc::sync::Arc<T,A>::drop_slow`;
 * a bare type `Value` matches any method of `Value`).
 */
function symbolMatches(symbol: string, names: readonly string[]): boolean {
  const want = segments(symbol);
  if (want.length === 0) return false;
  return names.some((n) => {
    const have = segments(n);
    if (have.length === 0) return false;
    for (let start = 0; start + want.length <= have.length; start++) {
      if (want.every((w, i) => have[start + i] === w)) return true;
    }
    return false;
  });
}

function segments(name: string): string[] {
  let s = name.replace(/::h[0-9a-f]{16}$/, '').replace(/`/g, '');
  // generic arguments after a name (`Vec<T,A>` → `Vec`), innermost first
  for (let i = 0; i < 10 && /[\w\]]<[^<>]*>/.test(s); i++) s = s.replace(/([\w\]])<[^<>]*>/g, '$1');
  // `<Type as Trait>::method` → `Type::method`
  s = s.replace(/<([^<>]*?)\s+as\s+[^<>]*>/g, '$1').replace(/[<>]/g, '');
  return s
    .replace(/\(.*\)$/, '')
    .split(/::|\.|\s+as\s+/)
    .map((x) => x.trim())
    .filter((x) => x && !x.startsWith('{'));
}
