import { type ReportJson, toReport } from '../analysis/report-json';
import type { ProfileAnalysis } from '../analysis/types';
import { type DiffJson, toDiffJson } from '../compare/diff-json';
import type { PlanCheck } from '../compare/plan-check';
import type { ProfileComparison } from '../compare/types';
import { type PlanJson, planJson } from '../plan/plan-json';
import { planTaskToggle } from '../plan/toggle';
import type { Plan, PlanLocation, PlanTask, PlanTextEdit } from '../plan/types';
import {
  AgentToolError,
  type CompareInput,
  type HotspotsInput,
  type PlanInput,
  type TickTaskInput,
} from './tool-specs';
import { workspaceRelativePath } from './workspace-path';

/**
 * The answers of the agent tools: built from the same JSON as `hotspot-lens report --json`,
 * `plan --json` and `diff --json` (the same entries, selected and cut), so an agent sees
 * what the user sees. Bounded: lists cut to `top`/`maxTasks` (saying how many were left
 * out), task texts and claims cut to {@link MAX_TEXT} characters. Pure.
 */

/** Longest task text, gain text or name in an answer (characters); longer ones end in `…`. */
export const MAX_TEXT = 200;

/** Library functions a hotspot entry lists in `blamedLibrary` (the heaviest first). */
const MAX_BLAMED = 3;

/** One entry of the hotspots answer: a `report --json` hotspot, `blamedLibrary` cut to 3. */
export type HotspotEntry = ReportJson['hotspots'][number];

/** What the hotspots tool returns. */
export interface HotspotsAnswer {
  readonly profile: ReportJson['profile'] & { readonly source: string };
  /** The units of the figures, in words. */
  readonly units: string;
  /** How many functions matched the filter (before cutting to `top`). */
  readonly matched: number;
  readonly hotspots: readonly HotspotEntry[];
  /** Present when entries were left out: how to see them. */
  readonly more?: string;
}

/**
 * The hotspots answer: the `report --json` hotspots (functions of the workspace, libraries and
 * the kernel, ranked by self time incl. libraries, then total), filtered by file (exact
 * workspace-relative path) and name (substring, case-insensitive), cut to `top` (default 10).
 * @param analysis the loaded profile's analysis
 * @param source the profile's file, relative to the workspace folder (its name when outside)
 * @param planSections plan section title by hot function key (see `linkPlans`)
 * @throws AgentToolError when `file` is not a workspace-relative path
 */
export function hotspotsAnswer(
  analysis: ProfileAnalysis,
  source: string,
  planSections: ReadonlyMap<string, string>,
  input: HotspotsInput,
): HotspotsAnswer {
  const report = toReport(analysis, Number.POSITIVE_INFINITY, planSections);
  const file = input.file === undefined ? undefined : workspaceRelativePath(input.file);
  const name = input.name?.toLowerCase();
  const matching = report.hotspots.filter(
    (h) =>
      (file === undefined || h.file === file) &&
      (name === undefined || h.function.toLowerCase().includes(name)),
  );
  const top = input.top ?? 10;
  const p = report.profile;
  return {
    profile: { source, ...p },
    units: `self, selfInclLibraries and total are in ${p.unit} (event: ${p.eventName}); *Percent fields are percent of the profile total (${p.total} ${p.unit}); self = time in the function's own code, selfInclLibraries = self plus the library code it calls, total = incl. everything it calls`,
    matched: matching.length,
    hotspots: matching.slice(0, top).map((h) => ({
      ...h,
      function: clip(h.function),
      blamedLibrary: h.blamedLibrary.slice(0, MAX_BLAMED).map((b) => ({ ...b, function: clip(b.function) })),
    })),
    ...(matching.length > top
      ? { more: `${matching.length - top} more match: raise top (max 50) or filter by file or name` }
      : matching.length === 0
        ? {
            more: file
              ? `no hot function is defined in ${file}: check the path (workspace-relative) or drop the filter`
              : name !== undefined
                ? 'no function matches the name: drop or change the filter'
                : 'the profile has no functions with weight',
          }
        : {}),
  };
}

/** Where a plan's implementation location points in the workspace. */
export type LocationStatus = 'exists' | 'planned new' | 'not found' | 'outside the workspace';

/** A task in the plan answer. */
export interface PlanTaskEntry {
  readonly text: string;
  /** 1-based line in the plan: what the tick task tool takes. */
  readonly line: number;
  readonly done: boolean;
  readonly status: PlanJson['tasks'][number]['status'];
  readonly phase: string | null;
  /** False for a status-mark task (✅, 🚧…): only checkbox tasks can be ticked. */
  readonly tickable: boolean;
}

/** What the plan tool returns. */
export interface PlanAnswer {
  readonly file: string;
  readonly title: string;
  readonly progress: PlanJson['progress'];
  /** The first task, in plan order, that is open or in progress (null when none). */
  readonly nextOpenTask: PlanTaskEntry | null;
  readonly phases: readonly {
    readonly title: string;
    readonly line: number;
    /** 0 for a top-level phase, 1 for a phase inside it, … */
    readonly depth: number;
    readonly done: number;
    readonly total: number;
    readonly status: PlanJson['phases'][number]['status'];
  }[];
  readonly tasks: readonly PlanTaskEntry[];
  readonly locations: readonly {
    readonly path: string;
    readonly symbol: string | null;
    /** First line in the target file (1-based), or null. */
    readonly line: number | null;
    readonly planLine: number;
    readonly section: string | null;
    readonly kind: PlanJson['locations'][number]['kind'];
    readonly status: LocationStatus;
  }[];
  /** The plan's hotspot claims: `percent` of the profile the plan was written from. */
  readonly claims: PlanJson['claims'];
  readonly gains: PlanJson['gains'];
  /** Present when tasks were left out. */
  readonly more?: string;
}

/**
 * The plan answer, from the `plan --json` view of the plan.
 * @param plan the parsed plan
 * @param file the plan's path relative to the workspace folder
 * @param locationStatus where each location points (the caller looks at the workspace)
 */
export function planAnswer(
  plan: Plan,
  file: string,
  locationStatus: (location: PlanLocation) => LocationStatus,
  input: PlanInput,
): PlanAnswer {
  const json = planJson(plan);
  const tasks: PlanTaskEntry[] = json.tasks.map((t, i) => ({
    text: clip(t.text),
    line: t.line,
    done: t.done,
    status: t.status,
    phase: t.phase,
    tickable: plan.tasks[i].checkbox !== null,
  }));
  const isOpen = (t: PlanTaskEntry) => !t.done && (t.status === 'open' || t.status === 'in-progress');
  const max = input.maxTasks ?? 60;
  // when cut, the open tasks are kept first (what an agent works on), then plan order
  const listed =
    tasks.length <= max
      ? tasks
      : [...tasks.filter(isOpen), ...tasks.filter((t) => !isOpen(t))]
          .slice(0, max)
          .sort((a, b) => a.line - b.line);
  const phases: PlanAnswer['phases'][number][] = [];
  const walk = (list: PlanJson['phases'], depth: number) => {
    for (const p of list) {
      phases.push({
        title: clip(p.title),
        line: p.line,
        depth,
        done: p.done,
        total: p.total,
        status: p.status,
      });
      walk(p.phases, depth + 1);
    }
  };
  walk(json.phases, 0);
  return {
    file,
    title: json.title,
    progress: json.progress,
    nextOpenTask: tasks.find(isOpen) ?? null,
    phases,
    tasks: listed,
    locations: json.locations.map((l, i) => ({
      path: l.path,
      symbol: l.symbol,
      line: l.line,
      planLine: l.planLine,
      section: l.section,
      kind: l.kind,
      status: locationStatus(plan.locations[i]),
    })),
    claims: json.claims.map((c) => ({ ...c, symbol: clip(c.symbol) })),
    gains: json.gains.map((g) => ({ ...g, text: clip(g.text) })),
    ...(listed.length < tasks.length
      ? {
          more: `${tasks.length - listed.length} more tasks (done ones first left out): raise maxTasks (max 200)`,
        }
      : {}),
  };
}

/** What the compare tool returns. */
export interface CompareAnswer {
  readonly baseline: DiffJson['baseline'];
  readonly profile: DiffJson['profile'];
  readonly normalization: DiffJson['normalization'];
  /** Why the weights were put on one scale this way, in words. */
  readonly normalizationReason: string;
  readonly units: string;
  readonly totalChangePercent: number;
  /** Baseline total / current total (2 = twice as fast); null when the current total is 0. */
  readonly speedup: number | null;
  /** How many functions matched the filter (before cutting to `top`). */
  readonly matched: number;
  readonly functions: DiffJson['functions'];
  /** The plan's hotspot claims: claimed percent, then (baseline) → now (current), percent of each total. */
  readonly claims: DiffJson['claims'];
  readonly expectedGains: DiffJson['expectedGains'];
  readonly more?: string;
}

/**
 * The compare answer, from the `diff --json` view of the comparison: functions (biggest change
 * of total first; unsymbolized frames left out unless they changed, as the diff table does)
 * filtered by name, cut to `top` (default 10).
 * @param sources the two profiles' files relative to the workspace folder (names when outside)
 * @param check the plan's claims and gains checked against the comparison (empty lists without a plan)
 */
export function compareAnswer(
  comparison: ProfileComparison,
  check: PlanCheck,
  sources: { readonly baseline: string; readonly profile: string },
  input: CompareInput,
): CompareAnswer {
  const json = toDiffJson(comparison, check, Number.POSITIVE_INFINITY);
  const name = input.name?.toLowerCase();
  const matching = json.functions.filter(
    (f, i) =>
      (comparison.functions[i].origin !== 'unknown' || f.status !== 'unchanged') &&
      (name === undefined || f.function.toLowerCase().includes(name)),
  );
  const top = input.top ?? 10;
  const t = comparison.totals;
  return {
    baseline: { ...json.baseline, source: sources.baseline },
    profile: { ...json.profile, source: sources.profile },
    normalization: json.normalization,
    normalizationReason: comparison.normalizationReason,
    units:
      comparison.unit === 'percent'
        ? 'weights are percent of the baseline total; change percents are of the baseline value (negative = less time)'
        : `weights are ${comparison.unit}; change percents are of the baseline value (negative = less time); claims are percent of each profile's total`,
    totalChangePercent: json.totalChangePercent,
    speedup: t.current > 0 ? Math.round((100 * t.baseline) / t.current) / 100 : null,
    matched: matching.length,
    functions: matching.slice(0, top).map((f) => ({ ...f, function: clip(f.function) })),
    claims: json.claims.map((c) => ({ ...c, symbol: clip(c.symbol) })),
    expectedGains: json.expectedGains.map((g) => ({ ...g, text: clip(g.text) })),
    ...(matching.length > top
      ? { more: `${matching.length - top} more functions changed: raise top (max 50) or filter by name` }
      : {}),
  };
}

/** What the tick task tool returns after writing (or finding nothing to write). */
export interface TickAnswer {
  readonly plan: string;
  readonly task: { readonly text: string; readonly line: number };
  readonly done: boolean;
  /** False when the task already was in the asked state (nothing written). */
  readonly changed: boolean;
  /** The plan's progress after the edit. */
  readonly progress: PlanJson['progress'];
}

/**
 * Finds the checkbox task an agent asked to tick, by its 1-based line (and text when given).
 * @throws AgentToolError when no task starts on that line, the text does not match (trimmed,
 *   case-sensitive; a text ending in `…` as the plan tool cuts it matches its start), or the
 *   task has a status mark instead of a checkbox
 */
export function findTaskToTick(plan: Plan, input: TickTaskInput): PlanTask {
  const task = plan.tasks.find((t) => t.line === input.line);
  if (!task) {
    const near = plan.tasks.filter((t) => Math.abs(t.line - input.line) <= 3).map((t) => t.line);
    throw new AgentToolError(
      `No task starts on line ${input.line} of the plan${near.length > 0 ? ` (tasks start on lines ${near.join(', ')})` : ''}: use the plan tool for the task lines.`,
    );
  }
  if (input.text !== undefined) {
    const want = input.text.trim();
    const ok = want.endsWith('…') ? task.text.startsWith(want.slice(0, -1)) : task.text === want;
    if (!ok)
      throw new AgentToolError(
        `The task on line ${input.line} is "${clip(task.text)}", not "${clip(want)}": the plan may have changed; read it again with the plan tool.`,
      );
  }
  if (!task.checkbox)
    throw new AgentToolError(
      `The task on line ${input.line} has a status mark (${task.statusMark ?? task.status}), not a checkbox: it cannot be ticked; the user edits it.`,
    );
  return task;
}

/**
 * The edit that ticks or unticks a task in the plan's current text: `planTaskToggle`, the
 * same one-character edit as the Plan view's checkbox.
 * @param text the plan's current text (the task was found in a parse of it)
 * @returns the edit (offset in UTF-16 units, length 1)
 * @throws AgentToolError with the refusal (the task moved or is ambiguous)
 */
export function tickEdit(text: string, task: PlanTask, done: boolean): PlanTextEdit {
  const r = planTaskToggle(text, task, done);
  if ('refused' in r) throw new AgentToolError(r.refused);
  return r;
}

/** Cuts a text to {@link MAX_TEXT} characters (ending in `…`). */
function clip(s: string): string {
  return s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s;
}

/** Re-exported for the callers' error handling. */
export { AgentToolError };
