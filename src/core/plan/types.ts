/**
 * The parsed form of a Markdown optimization plan: sections and the phases among
 * them, tasks (tickable GFM checklist items and status-marked items), plain steps,
 * implementation locations, hotspot claims and expected gains.
 *
 * Conventions for every type in this module:
 * - Lines in the plan are 1-based; columns are 0-based, counted in UTF-16 code units.
 * - Offsets are 0-based UTF-16 code-unit offsets into the exact string given to
 *   `parsePlan` (a leading BOM, CR characters and tabs count like any other character).
 * - Cross references are ids (indexes into the flat arrays of {@link Plan}), so a plan
 *   has no cycles and survives `JSON.stringify` / `structuredClone`.
 * - "Section" is any heading (and any bold pseudo-heading read as a phase); a "phase" is
 *   a section the classifier takes for a stage of work: a stage word with a number in
 *   one of the supported languages ("Phase 1", "Фаза 2", "阶段 1", "Fase 3"), sibling
 *   headings sharing a label under a planning section ("Branch A / Branch B", "M0 / M1",
 *   "P0 / P1"), or numbered sections ("## 1. …") outside findings and results.
 *   Phases are sections too.
 */

/** A span of the plan text: `[start, end)` offsets and the 1-based lines of its first and last character. */
export interface PlanRange {
  /** Offset of the first character (0-based, UTF-16). */
  readonly start: number;
  /** Offset just past the last character (0-based, UTF-16, exclusive). */
  readonly end: number;
  /** 1-based line of the first character. */
  readonly line: number;
  /** 1-based line of the last character. */
  readonly endLine: number;
}

/**
 * The exact place of a GFM task checkbox `[ ]` / `[x]` / `[X]` in the plan text:
 * `start` is the offset of `[`, `end` the offset just past `]` (so `end - start === 3`
 * and the mark is the character at `start + 1`).
 */
export interface PlanCheckbox {
  /** Offset of `[` (0-based, UTF-16). */
  readonly start: number;
  /** Offset just past `]` (0-based, UTF-16, exclusive). */
  readonly end: number;
  /** 1-based line of the checkbox. */
  readonly line: number;
  /** 0-based column (UTF-16 code units from the line start) of `[`. */
  readonly column: number;
}

/** What kind of stage a phase heading names, from its leading word ("numbered" for `## 1. …`). */
export type PlanPhaseKind =
  | 'phase'
  | 'week'
  | 'priority'
  | 'stage'
  | 'step'
  | 'milestone'
  | 'change'
  | 'day'
  | 'sprint'
  | 'iteration'
  | 'part'
  | 'option'
  | 'branch'
  | 'task'
  | 'experiment'
  | 'label'
  | 'numbered';

/**
 * What a section is for, from its heading words (in the supported languages) and
 * content: `plan` (plan, roadmap, milestones, next steps, proposed changes, experiments
 * to run), `findings` (findings, what we learned, analysis, bottlenecks, profile),
 * `results` (results, measurements, benchmarks, experiments already tried), `context`
 * (goal, background, current state, summary), `risks` (risks, open questions),
 * `reference` (references, appendix, commands, notes), or `other`.
 */
export type PlanSectionRole = 'plan' | 'findings' | 'results' | 'context' | 'risks' | 'reference' | 'other';

/** A state read from a status mark or word: ✅/DONE, 🔄/ACTIVE/WIP, ⏳/🚧/TBI/TODO, ❌/BLOCKED, ~~struck~~. */
export type PlanStatus = 'done' | 'in-progress' | 'open' | 'blocked' | 'dropped';

/**
 * A heading of the plan and the text up to the next heading of the same or a higher
 * level. Every heading is a section; phases are the sections with `phase !== null`.
 */
export interface PlanSection {
  /** Index of this section in {@link Plan.sections} (document order). */
  readonly id: number;
  /** Heading text as plain text (Markdown and a leading emoji removed, whitespace collapsed). */
  readonly title: string;
  /** Heading depth, 1 (`#`) to 6 (`######`); setext headings are 1 or 2. */
  readonly level: number;
  /** 1-based line of the heading. */
  readonly line: number;
  /** From the heading's first character to the end of the section's content. */
  readonly range: PlanRange;
  /** Id of the enclosing section (the nearest preceding heading of a lower level), or null. */
  readonly parentId: number | null;
  /** Ids of the directly nested sections, in document order. */
  readonly childIds: readonly number[];
  /** Phase information when the heading reads like a phase, else null. */
  readonly phase: PlanPhaseInfo | null;
  /** What the section is for (see {@link PlanSectionRole}). */
  readonly role: PlanSectionRole;
  /** Whether the section or one of its subsections holds actionable items (tasks, imperative steps, proposed changes, locations). */
  readonly actionable: boolean;
  /** A status tag of the heading ("✅ DONE", "🔄 ACTIVE", "(PASSED ✅)"), removed from `title`; null when none. */
  readonly status: PlanStatus | null;
  /**
   * True when the section is a bold paragraph read as a heading ("**Priority 2: …**",
   * "**P0** — …" under a heading); such sections are always phases, one level deeper
   * than the heading above them, and end at the next heading or pseudo-heading.
   */
  readonly pseudo: boolean;
  /** A priority tag of the heading ("[HIGH]", "(High Impact)", "P0", "⚠️ 高优先级") as written, removed from `title`; null when none. */
  readonly priority: string | null;
  /** Id of the phase this section is in: itself when it is a phase, else the nearest phase ancestor, else null. */
  readonly phaseId: number | null;
}

/** How a phase heading was recognised. */
export interface PlanPhaseInfo {
  /** The leading word's kind. */
  readonly kind: PlanPhaseKind;
  /** The number or range after the word as written ("1", "2-4", "4+"), or null ("Sprint", "Milestone"). */
  readonly number: string | null;
  /** The label word as written ("Phase", "Фаза", "阶段", "Branch", "M"), or null for `## 1. …`. */
  readonly label: string | null;
}

/**
 * A phase in the phase tree ({@link Plan.phases}): a phase section with the tasks,
 * steps, locations, claims and gains that belong to it (written under it or under one
 * of its non-phase subsections, but not under a child phase).
 */
export interface PlanPhase {
  /** Id of the phase's section in {@link Plan.sections}. */
  readonly sectionId: number;
  /** Same as the section's title. */
  readonly title: string;
  /** Heading depth 1–6. */
  readonly level: number;
  /** 1-based line of the heading. */
  readonly line: number;
  /** Same as the section's range. */
  readonly range: PlanRange;
  /** Kind and number of the phase. */
  readonly kind: PlanPhaseKind;
  /** The number or range as written, or null. */
  readonly number: string | null;
  /** The label word as written ("Phase", "Фаза", "Branch"), or null. */
  readonly label: string | null;
  /** Status from the heading's tag (✅ DONE, 🔄 ACTIVE, …), or null. */
  readonly status: PlanStatus | null;
  /** Priority from the heading's tag or label ("HIGH", "P0", "高优先级"), as written, or null. */
  readonly priority: string | null;
  /** Section id of the enclosing phase, or null for a top-level phase. */
  readonly parentPhaseId: number | null;
  /** Child phases ("Week 1" under "Phase 1"), in document order. */
  readonly children: readonly PlanPhase[];
  /** Top-level tasks of this phase (nested tasks are in each task's `children`). */
  readonly tasks: readonly PlanTask[];
  /** Plain steps (list items without checkbox or status mark) of this phase. */
  readonly items: readonly PlanItem[];
  /** Implementation locations written in this phase. */
  readonly locations: readonly PlanLocation[];
  /** Hotspot claims written in this phase. */
  readonly claims: readonly PlanClaim[];
  /** Expected gains written in this phase. */
  readonly gains: readonly PlanGain[];
}

/**
 * A task: a GFM task list item (`- [ ]`, `* [x]`, `1. [X]`; tickable, has a `checkbox`)
 * or a list item carrying a status mark or word (✅ DONE done; 🔄 [WIP] in progress;
 * ⏳ 🚧 ⬜ TBI TODO open; ❌ BLOCKED blocked; ~~struck through~~ done; not tickable,
 * `checkbox === null`), or an unmarked step of a list whose other steps carry marks (open).
 */
export interface PlanTask {
  /** Index of this task in {@link Plan.tasks} (document order). */
  readonly id: number;
  /** The item's first paragraph as plain text (Markdown, checkbox and status mark removed). */
  readonly text: string;
  /** Whether the task is done (`[x]`/`[X]`, or ✅). */
  readonly done: boolean;
  /** 1-based line where the list item starts. */
  readonly line: number;
  /** The whole list item (including nested content). */
  readonly range: PlanRange;
  /** The checkbox of a GFM task; null for a status-mark task (not tickable). */
  readonly checkbox: PlanCheckbox | null;
  /** The status mark of a status-mark task ("✅", "❌", "⏳", "🚧", "⬜", "🔄", "[WIP]", "DONE", "~~"), else null. */
  readonly statusMark: string | null;
  /**
   * The task's state: `done`/`open` for a checkbox; from the mark or word of a status
   * task; `open` for an unmarked step in a list whose other steps carry status marks.
   */
  readonly status: PlanStatus;
  /** Id of the nearest enclosing task, or null. */
  readonly parentId: number | null;
  /** Directly nested tasks, in document order. */
  readonly children: readonly PlanTask[];
  /** Id of the innermost section containing the task, or null before the first heading. */
  readonly sectionId: number | null;
  /** Title of that section, or null. */
  readonly section: string | null;
  /** Id (section id) of the phase the task belongs to, or null. */
  readonly phaseId: number | null;
}

/** A plain step: a list item without checkbox or status mark (shown, not tickable). */
export interface PlanItem {
  /** Index of this item in {@link Plan.items}. */
  readonly id: number;
  /** The item's first paragraph as plain text. */
  readonly text: string;
  /** 1-based line where the list item starts. */
  readonly line: number;
  /** Whether it is in an ordered (numbered) list. */
  readonly ordered: boolean;
  /** Nesting depth among list items: 0 for a top-level item. */
  readonly depth: number;
  /** Id of the innermost section containing the item, or null. */
  readonly sectionId: number | null;
  /** Title of that section, or null. */
  readonly section: string | null;
  /** Id (section id) of the phase the item belongs to, or null. */
  readonly phaseId: number | null;
}

/** A line or a range of lines in a target file: 1-based, `endLine` inclusive (equal to `line` for one line). */
export interface PlanLineRange {
  readonly line: number;
  readonly endLine: number;
}

/**
 * A location the plan names: a source path, optionally with a symbol (`path:Symbol`,
 * `path::Symbol`, "`fn_name:5120`" after a named file) or lines in the target file
 * (`path:12`, `path:12-40`, `path:40-44, 90-93`, `path:812/640/455`, "`path` (:733)").
 * Mentions of one file (and symbol) in one section are one location with all their
 * lines; with `ParsePlanOptions.workspaceFiles`, `main.rs:300-350`, `src/main.rs` and
 * `main.rs:410` are one location when the workspace has one `src/main.rs`.
 * `kind` tells implementation locations from references (scratch files, scripts and
 * tests the plan only runs, files outside the workspace).
 */
export interface PlanLocation {
  /** Index of this location in {@link Plan.locations}. */
  readonly id: number;
  /**
   * The path: the workspace-relative path when it could be resolved (a link's text for
   * `[src/a.rs](/Users/me/proj/src/a.rs)`, or the one workspace file a written tail names),
   * else as written (forward or back slashes kept), without `:symbol` / `:line`.
   */
  readonly path: string;
  /** The path as first written in this section (without `:symbol` / `:line`; a link's target for a link). */
  readonly writtenPath: string;
  /** The symbol after `:` / `::`, or null. */
  readonly symbol: string | null;
  /** 1-based line in the target file, or null. */
  readonly line: number | null;
  /** 1-based last line in the target file (inclusive) for `path:start-end`; equals `line` for `path:line`; else null. */
  readonly endLine: number | null;
  /** Every line range written for this location, in the order written (the first is `line`–`endLine`); empty without lines. */
  readonly lines: readonly PlanLineRange[];
  /** 1-based line in the plan where the location is written. */
  readonly planLine: number;
  /** Where in the plan the location is written (the path text, or the code-block line). */
  readonly planRange: PlanRange;
  /** Whether the plan says the file is new ("(new)", "(new file)", under "Files Created" / "New files"). */
  readonly isNew: boolean;
  /** Whether the path leaves the workspace, judged from the text alone (absolute, `~`, or `..` escaping the root). */
  readonly isOutside: boolean;
  /** How it was written. */
  readonly source: 'inline' | 'file-label' | 'code-comment' | 'file-list';
  /**
   * `implementation` for a file the plan changes or creates; `reference` for a path the
   * plan only names: scratch files (`/tmp/…`), a script it runs, a test to run
   * afterwards, a file outside the workspace. References are shown apart.
   */
  readonly kind: PlanLocationKind;
  /** Id of the innermost section, or null. */
  readonly sectionId: number | null;
  /** Title of that section, or null. */
  readonly section: string | null;
  /** Id (section id) of the phase, or null. */
  readonly phaseId: number | null;
  /** Id of the task whose text names the location, or null. */
  readonly taskId: number | null;
}

/** Whether a location is one the plan changes (`implementation`) or only names (`reference`). */
export type PlanLocationKind = 'implementation' | 'reference';

/**
 * Whether a claimed percentage is self time (self, exclusive, pprof flat), total
 * (inclusive, cumulative, pprof cum) time, or not said.
 */
export type PlanClaimKind = 'self' | 'total' | 'unspecified';

/**
 * A hotspot claim: a symbol (or a group of symbols) with the share of the profile the
 * plan says it takes ("`alloc::sync::Arc::drop_slow`: **22.6%**", "`foo` (12%)", table
 * rows, pprof/perf report output in code blocks, "`f` → `g` 44%" (the last frame),
 * "libfoo.so (35.5% CPU usage)"). Settings (`RETRY_FRACTION (20%)`, "threshold 5%") are
 * not claims; the same claim twice in a section is kept once.
 */
export interface PlanClaim {
  /** Index of this claim in {@link Plan.claims}. */
  readonly id: number;
  /** The symbol as written; for a group, the members joined with " + ". */
  readonly symbol: string;
  /** The symbols of a group claim ("~24.6% combined"); `[symbol]` for a single claim. */
  readonly symbols: readonly string[];
  /** The percentage (0–100, as written, e.g. 22.6); the low end of a range ("12–13%" → 12). */
  readonly percent: number;
  /** The high end of a range ("~12-13%" → 13), or null for a single percentage. */
  readonly percentHigh: number | null;
  /** Whether the text says the figure is approximate ("~", "about", "约", "около"). */
  readonly approximate: boolean;
  /** Self/total when the text says so. */
  readonly kind: PlanClaimKind;
  /** Whether the percentage is for several symbols together. */
  readonly isGroup: boolean;
  /** 1-based line in the plan. */
  readonly line: number;
  /** Id of the innermost section, or null. */
  readonly sectionId: number | null;
  /** Title of that section, or null. */
  readonly section: string | null;
  /** Id (section id) of the phase, or null. */
  readonly phaseId: number | null;
}

/** An expected gain ("Expected gain: 40-60% improvement", "Expected Impact: 2x faster"). */
export interface PlanGain {
  /** Index of this gain in {@link Plan.gains}. */
  readonly id: number;
  /** The statement as plain text (after the label). */
  readonly text: string;
  /** Lower bound as a number in `unit`, or null when not numeric. */
  readonly low: number | null;
  /** Upper bound (equals `low` for a single number), or null. */
  readonly high: number | null;
  /** `percent` for "40%", `factor` for "2x"; null when not numeric. */
  readonly unit: 'percent' | 'factor' | null;
  /** 1-based line in the plan. */
  readonly line: number;
  /** Id of the innermost section, or null. */
  readonly sectionId: number | null;
  /** Title of that section, or null. */
  readonly section: string | null;
  /** Id (section id) of the phase, or null. */
  readonly phaseId: number | null;
}

/** Facts about the plan as a whole. */
export interface PlanMetadata {
  /** First H1, else first heading, else the file name (without directory), else "Untitled plan". */
  readonly title: string;
  /** "**Status**: Draft" → "Draft", or null. */
  readonly status: string | null;
  /** "**Date**: 2025-01-05" → "2025-01-05" (as written), or null. */
  readonly date: string | null;
  /** "**Author**: …", or null. */
  readonly author: string | null;
  /** Profiles the plan names (flame graph SVG, folded, perf, cpuprofile, pprof, JSON), as written, deduplicated. */
  readonly profilePaths: readonly string[];
}

/** A parsed plan. All arrays are in document order; ids index these arrays. */
export interface Plan {
  /** The file name passed to `parsePlan`, or null. */
  readonly file: string | null;
  /** Same as `metadata.title`. */
  readonly title: string;
  /** Title, status, date, author, profile paths. */
  readonly metadata: PlanMetadata;
  /** Every heading, flat; the tree is in `parentId`/`childIds`. */
  readonly sections: readonly PlanSection[];
  /** The phase tree: top-level phases, each with its child phases. */
  readonly phases: readonly PlanPhase[];
  /** Every task, flat (nested ones too); each has `sectionId`, `phaseId`, `parentId`. */
  readonly tasks: readonly PlanTask[];
  /** Every plain step, flat. */
  readonly items: readonly PlanItem[];
  /** Every implementation location, flat (deduplicated per section). */
  readonly locations: readonly PlanLocation[];
  /** Every hotspot claim, flat. */
  readonly claims: readonly PlanClaim[];
  /** Every expected gain, flat. */
  readonly gains: readonly PlanGain[];
}

/** Options of `parsePlan`. */
export interface ParsePlanOptions {
  /** File name, used for the title fallback and in messages. */
  readonly file?: string;
  /**
   * The workspace's files, workspace-relative with `/` (`src/main.rs`), for resolving
   * paths written as tails (`main.rs`) or absolute paths on the writer's machine. The
   * parser reads no files; without this list, paths stay as written (links whose text is
   * the tail of an absolute target still resolve to their text).
   */
  readonly workspaceFiles?: readonly string[];
}

/** Done/total task counts. */
export interface TaskCount {
  /** Tasks that are done. */
  readonly done: number;
  /** All tasks (GFM and status-mark, nested ones included). */
  readonly total: number;
}

/** Progress of one phase, including its child phases. */
export interface PhaseProgress extends TaskCount {
  /** Section id of the phase. */
  readonly phaseId: number;
  /** Phase title. */
  readonly title: string;
}

/** Progress of a plan: overall, and per phase (document order, child phases included in their parents' counts). */
export interface PlanProgress extends TaskCount {
  /** One entry per phase, in document order. */
  readonly phases: readonly PhaseProgress[];
}

/** A one-character edit that ticks or unticks a task: replace `length` characters at `offset` with `replacement`. */
export interface PlanTextEdit {
  /** Offset (0-based, UTF-16) of the checkbox mark character in the current text. */
  readonly offset: number;
  /** Always 1. */
  readonly length: number;
  /** `'x'` to tick, `' '` to untick. */
  readonly replacement: string;
}

/** Why a toggle was refused (the task is gone, ambiguous, or not tickable). */
export interface PlanToggleRefusal {
  /** A sentence for the user. */
  readonly refused: string;
}
