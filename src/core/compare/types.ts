import type { ProfileFormatId, WeightUnit } from '../profile/model';

/**
 * Types of the before/after comparison (issue #14). Everything here is plain,
 * structured-cloneable data: a {@link CompareSnapshot} can be built in the loading
 * worker and kept in the extension host as the baseline, and a
 * {@link ProfileComparison} goes to the editor and to `hotspot-lens diff --json`.
 *
 * Words, with the field's meaning:
 * - **baseline**: the earlier profile; **current**: the new one (the CLI's `--profile`);
 * - **self**: weight of the stacks whose leaf is the function; **total**: inclusive weight,
 *   every stack the function is on (once per stack, recursion counted once);
 * - **change**: current − baseline in the common unit; a **change percent** is that change
 *   as a percent of the baseline value (−100 = gone entirely, +50 = half as much again);
 * - **common unit**: the unit both profiles are compared in, see {@link Normalization}.
 */

/** How the two profiles' weights are put on one scale. */
export type Normalization = 'absolute' | 'share';

/** The user's choice: `auto` picks `absolute` when both profiles measure the same thing. */
export type NormalizationSetting = 'auto' | Normalization;

/** Whether a function or call-tree node changed beyond noise, and which way. */
export type ChangeStatus = 'improved' | 'regressed' | 'unchanged' | 'new' | 'gone';

/** Where a function's code lives. */
export type FunctionOrigin = 'workspace' | 'library' | 'kernel' | 'unknown';

/**
 * What a profile's weights measure, as far as comparing goes. Two profiles can be compared
 * in absolute terms when their {@link quantity} is the same.
 */
export interface CompareMeasure {
  /**
   * `time` (weights convert to nanoseconds), `events:<event>` (samples × period of a
   * counter such as `cycles`), `samples:<event>` (counts at an unknown period), or the
   * profile's unit for bytes, instructions and other exact counts.
   */
  readonly quantity: string;
  /** Unit after conversion: `nanoseconds` for time, `events` for counters, else the profile's unit. */
  readonly unit: WeightUnit;
  /** Multiply a profile weight by this to get {@link unit} (the sampling period for perf samples; else 1). */
  readonly factor: number;
  /**
   * Weight (in the profile's own unit) that one sample adds, for Poisson noise; `null` when the
   * weights are exact counts (callgrind instructions, allocation bytes) and have no sampling noise.
   */
  readonly weightPerSample: number | null;
  /** How it was decided, in words (shown in notes). */
  readonly how: string;
}

/** One function of a {@link CompareSnapshot}. */
export interface SnapshotFunction {
  /**
   * Identity across recordings: `w:<file>#<qualified name>` for a workspace function (the line
   * is not part of it, so a function that moved is still the same), `n:<normalized name>` for
   * library, kernel and unmapped frames (Rust hashes, closure numbers, offsets and addresses dropped).
   */
  readonly key: string;
  /** Short display name (`EvaluationContext::child`, `alloc::sync::Arc<T,A>::drop_slow`). */
  readonly name: string;
  /** Qualified path of the name without generics (`hotspot_sample::evaluator::engine::evaluate`), for plan claims. */
  readonly qualifiedName: string;
  readonly origin: FunctionOrigin;
  /** Workspace-relative file (workspace functions only). */
  readonly file?: string;
  /** 1-based first line of the definition (workspace functions with a definition). */
  readonly line?: number;
  /** Self weight in the profile's unit. */
  self: number;
  /** Total (inclusive) weight in the profile's unit. */
  total: number;
  /** Self plus library weight blamed on it (workspace functions; else equals self). */
  selfInclLibraries: number;
}

/**
 * A profile reduced to what comparing needs: functions by identity and the call tree
 * merged by path (frames replaced by function identities; process-name pseudo-frames
 * dropped; consecutive frames of the same function merged). Memory is bounded by the
 * number of unique stacks and functions, never by samples. Build it with
 * `snapshotProfile` or `snapshotFromMapping`.
 */
export interface CompareSnapshot {
  readonly source: string;
  readonly format: ProfileFormatId;
  /** Human-readable format name, when known (`perf script`). */
  readonly formatLabel: string;
  /** The profile's own unit and event. */
  readonly unit: WeightUnit;
  readonly eventName: string;
  /** Sum of all weights in {@link unit}. */
  readonly total: number;
  readonly sampleCount?: number;
  readonly measure: CompareMeasure;
  readonly functions: readonly SnapshotFunction[];
  /**
   * The call tree as parallel arrays; node 0 is the root (no function, total = profile total).
   * `treeParent[i]` is the parent node (−1 for the root), `treeFunction[i]` an index into
   * {@link functions} (−1 for the root); `treeSelf`/`treeTotal` in {@link unit}.
   */
  readonly treeParent: readonly number[];
  readonly treeFunction: readonly number[];
  readonly treeSelf: readonly number[];
  readonly treeTotal: readonly number[];
}

/** One side of a comparison, as loaded. */
export interface ComparedProfileSummary {
  readonly source: string;
  readonly format: ProfileFormatId;
  readonly formatLabel: string;
  /** The profile's own unit, event and total (in its own unit). */
  readonly unit: WeightUnit;
  readonly eventName: string;
  readonly total: number;
  readonly sampleCount?: number;
  /** The total in the comparison's common unit ({@link ProfileComparison.unit}). */
  readonly commonTotal: number;
  /** What its weights measure. */
  readonly measure: CompareMeasure;
}

/** Before and after of one figure (self or total), in the common unit. */
export interface FigureChange {
  readonly baseline: number;
  readonly current: number;
  /** `current − baseline`. */
  readonly change: number;
  /** Change as a percent of the baseline value; null when the baseline is 0. */
  readonly changePercent: number | null;
  /** One standard deviation of the change from sampling noise (Poisson counts), common unit; 0 when exact. */
  readonly sigma: number;
  /** |change| / sigma (Infinity for a change of exact counts, 0 for no change). */
  readonly z: number;
  readonly status: ChangeStatus;
}

/** How sure a change is: `noise` below 2σ, `likely` 2–3σ, `sure` 3σ and beyond. */
export type ChangeConfidence = 'noise' | 'likely' | 'sure';

/** One function compared. Weights in {@link ProfileComparison.unit}. */
export interface FunctionChange {
  /** {@link SnapshotFunction.key}. */
  readonly key: string;
  readonly name: string;
  readonly qualifiedName: string;
  readonly origin: FunctionOrigin;
  /** Workspace-relative file, for workspace functions. */
  readonly file?: string;
  /** 1-based line in the current profile's mapping (the baseline's when gone). */
  readonly line?: number;
  /** 1-based line in the baseline, when it differs from {@link line} (the function moved). */
  readonly baselineLine?: number;
  readonly self: FigureChange;
  readonly total: FigureChange;
  /** Self incl. libraries (equals self outside the workspace). */
  readonly selfInclLibraries: FigureChange;
  /** The function's status: that of its total. */
  readonly status: ChangeStatus;
  /** How sure the total's change is. */
  readonly confidence: ChangeConfidence;
}

/**
 * One call-tree node compared (paths merged; for a differential flame graph), as
 * `callTreeNode(comparison, i)` returns it.
 */
export interface CallTreeNodeChange {
  /** Index of the node. */
  readonly index: number;
  /** Index of the parent node (−1 for the root). */
  readonly parent: number;
  /** Index into {@link ProfileComparison.functions} (−1 for the root). */
  readonly function: number;
  /** Child node indices, heaviest total (current, then baseline) first. */
  readonly children: readonly number[];
  readonly self: FigureChange;
  readonly total: FigureChange;
}

/**
 * The merged call tree in compact, structured-cloneable arrays (one entry per node; node 0 is
 * the root with no function). Read one node with `callTreeNode`. A path of the baseline and
 * a path of the current profile are the same node when their function identities are the
 * same from the root down. Weights in the common unit.
 */
export interface CallTreeChange {
  /** Parent node (−1 for the root). */
  readonly parent: Int32Array;
  /** Index into {@link ProfileComparison.functions} (−1 for the root). */
  readonly function: Int32Array;
  readonly baselineSelf: Float64Array;
  readonly currentSelf: Float64Array;
  readonly baselineTotal: Float64Array;
  readonly currentTotal: Float64Array;
  /** Children of node i are `childList[childStart[i] … childStart[i + 1] − 1]`, heaviest first. */
  readonly childStart: Int32Array;
  readonly childList: Int32Array;
}

/** What turns a pair of common-unit weights into a {@link FigureChange} (see `figureOf`). */
export interface NoiseModel {
  /** Variance of a baseline weight w (common unit) from sampling is `baseline × w`; 0 for exact counts. */
  readonly baseline: number;
  /** The same for a current weight. */
  readonly current: number;
  /** A change needs this many σ. */
  readonly sigmas: number;
  /** …and this percent of the baseline value. */
  readonly minChangePercent: number;
}

/** The result of `compareProfiles`. */
export interface ProfileComparison {
  readonly baseline: ComparedProfileSummary;
  readonly current: ComparedProfileSummary;
  /** What was asked for. */
  readonly requested: NormalizationSetting;
  /** What was used. */
  readonly normalization: Normalization;
  /**
   * The common unit of every weight: the shared unit (`nanoseconds`, `samples`, …) when
   * absolute; `percent` of the baseline total when share (see {@link scale}).
   */
  readonly unit: WeightUnit | 'percent';
  /** Why this normalization, in words (say it wherever weights are shown). */
  readonly normalizationReason: string;
  /**
   * What one unit of a current weight (in the current profile's own unit) is worth in the
   * baseline's own unit. In absolute mode the ratio of the unit conversions (1 for the same
   * unit); in share mode the baseline/current ratio of the self weight of the functions that
   * did not change, so an untouched function stays unchanged when another one gets faster.
   */
  readonly scale: number;
  /** Total weight before and after; its change percent is the measured change of the run. */
  readonly totals: FigureChange;
  /** Every function seen in either profile, biggest absolute change of total first. */
  readonly functions: readonly FunctionChange[];
  /** The merged call tree; node 0 is the root. */
  readonly callTree: CallTreeChange;
  /** The noise model every figure was judged with (for `figureOf` on other sums of weights). */
  readonly noise: NoiseModel;
  /**
   * Multiply a weight in a profile's own unit (as in its `ProfileAnalysis`: a hot line's self or
   * total) by these to get the common unit; `compareWeights` does it and judges the change.
   */
  readonly factors: { readonly baseline: number; readonly current: number };
  /** Things to tell the user (unit decisions, scale estimates). */
  readonly notes: readonly string[];
}

/** Options of `compareProfiles`. */
export interface CompareOptions {
  /** Default `auto`. */
  readonly normalization?: NormalizationSetting;
  /** A change needs this many standard deviations of sampling noise (default 3). */
  readonly noiseSigmas?: number;
  /** A change smaller than this percent of the baseline value is unchanged anyway (default 1). */
  readonly minChangePercent?: number;
}
