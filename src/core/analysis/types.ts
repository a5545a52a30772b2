import type { ProfileFormatId, WeightUnit } from '../profile/model';

/**
 * The finished result the editor and the CLI render: a profile mapped onto the
 * workspace, with hints and plan links. Pure, structured-cloneable data (it
 * crosses from the loading worker to the extension host), no editor types.
 *
 * Units: every `self`/`total`/`weight` is in {@link ProfileSummary.unit};
 * percentages are 0–100 of {@link ProfileSummary.total}. Lines are 1-based;
 * files are workspace-relative POSIX paths.
 *
 * The three figures, with the field's meaning of the words:
 * - **self**: weight of the samples whose leaf frame is the function (or line) itself;
 * - **self incl. libraries** (`selfInclLibraries`): self plus the weight of library (or
 *   unknown) code whose nearest workspace caller is the function (or the line that calls
 *   it): what the function is responsible for; hotspots are ranked by it;
 * - **total**: inclusive weight, everything at or below the function.
 */
export interface ProfileAnalysis {
  readonly profile: ProfileSummary;
  /** Workspace functions with weight, ranked by self incl. libraries, then total (descending). */
  readonly hotspots: readonly HotFunction[];
  /** Hot lines per workspace file (relative path → lines sorted by line number). */
  readonly lines: Readonly<Record<string, readonly HotLine[]>>;
  /** Frames that could not be mapped to the workspace, heaviest first (by total). */
  readonly unmapped: readonly UnmappedFunction[];
  /**
   * Functions outside the workspace (libraries, the standard library, the kernel) by
   * total weight (for "only my code" off), heaviest first. Pseudo-frames are not here.
   */
  readonly libraryHotspots: readonly LibraryFunction[];
  /**
   * Frames that are not functions, added by profilers and collapsers: process and thread
   * names (`myapp`, `myapp-1234/5678`), unsymbolized addresses (`0x7f3a…`, `8688393984`,
   * `[unknown]`, `[libc.so.6]`), heaviest first by total. Never ranked as hotspots.
   */
  readonly pseudoFrames: readonly PseudoFrame[];
  /** Path-prefix mappings inferred by suffix matching (recorded prefix → workspace prefix), to offer saving. */
  readonly inferredPathMappings: Readonly<Record<string, string>>;
  /** Messages for the log (ambiguities, skipped rules). */
  readonly notes: readonly string[];
}

/** What was loaded. */
export interface ProfileSummary {
  readonly format: ProfileFormatId;
  /** Human-readable format name. */
  readonly formatLabel: string;
  readonly source: string;
  readonly unit: WeightUnit;
  readonly eventName: string;
  /** Sum of all weights, in {@link unit}. */
  readonly total: number;
  readonly sampleCount?: number;
  readonly threads: readonly string[];
}

/** A hint (from the rule table) on a hot function, with its evidence. */
export interface HotHint {
  /** Category id, e.g. `clone-heavy`. */
  readonly category: string;
  /** Short CodeLens text, e.g. `clone-heavy: consider Cow/Arc`. */
  readonly label: string;
  readonly suggestion: string;
  /** Weight of the matching frames at or below the function. */
  readonly weight: number;
  /** Share of the function's total weight, 0–100. */
  readonly sharePercent: number;
  /** Heaviest matching frames. */
  readonly frames: readonly { readonly name: string; readonly weight: number }[];
}

/** Where a plan talks about a function or its file. */
export interface PlanLink {
  /** Plan file (workspace-relative, or absolute when outside). */
  readonly planFile: string;
  /** Section (phase or heading) title. */
  readonly section: string;
  /** 1-based line of the section heading (or of the mention) in the plan. */
  readonly line: number;
  /** Why it links: the plan names the file, the function, or claims a hotspot percentage. */
  readonly reason: 'location' | 'symbol' | 'claim';
  /** The claimed percentage, for a claim. */
  readonly claimPercent?: number;
}

/** A caller or callee shown in hovers. */
export interface CallSite {
  readonly name: string;
  readonly weight: number;
  /** Workspace location when the function maps to the workspace. */
  readonly file?: string;
  readonly line?: number;
  readonly library: boolean;
}

/** A workspace function with weight. */
export interface HotFunction {
  /** Stable id (the profile's function key). */
  readonly key: string;
  /** The frame name as the tool wrote it. */
  readonly name: string;
  /** Short display name (`EvaluationContext::child`). */
  readonly displayName: string;
  /** Workspace-relative file. */
  readonly file: string;
  /** 1-based first line of the definition (where the CodeLens goes). */
  readonly line: number;
  /** 1-based last line of the definition. */
  readonly endLine: number;
  /** Self weight: samples whose leaf is one of the function's own frames. */
  readonly self: number;
  /** Self plus the library (or unknown) weight whose nearest workspace caller is this function. */
  readonly selfInclLibraries: number;
  /** Total weight (inclusive). */
  readonly total: number;
  readonly selfPercent: number;
  readonly selfInclLibrariesPercent: number;
  readonly totalPercent: number;
  /** Library time blamed on this function (library frames directly under it), heaviest first; sums to `selfInclLibraries - self`. */
  readonly blamedLibrary: readonly { readonly function: string; readonly weight: number }[];
  readonly hints: readonly HotHint[];
  readonly planLinks: readonly PlanLink[];
  readonly callers: readonly CallSite[];
  readonly callees: readonly CallSite[];
  /** Other candidate definitions when the name matched several (never silently resolved). */
  readonly ambiguousWith?: readonly { readonly file: string; readonly line: number }[];
}

/** A hot source line in a workspace file. */
export interface HotLine {
  /** 1-based. */
  readonly line: number;
  /** Weight of samples whose leaf frame is on this line. */
  readonly self: number;
  /** Self plus the library weight called from this line (its call site). */
  readonly selfInclLibraries: number;
  /** Weight of samples with this line anywhere on the stack. */
  readonly total: number;
  readonly selfPercent: number;
  readonly selfInclLibrariesPercent: number;
  readonly totalPercent: number;
  /** Heat bucket 1 (warm) … 4 (hottest), from totalPercent. */
  readonly bucket: 1 | 2 | 3 | 4;
}

/** A function outside the workspace (library, std, kernel) with weight. */
export interface LibraryFunction {
  readonly name: string;
  readonly self: number;
  readonly total: number;
  /** The library (crate, shared object, `std`, `kernel`, `system`, or `unknown`). */
  readonly library: string;
  /** `kernel` for kernel functions (perf `[kernel.kallsyms]`, folded `_[k]`), else `library`. */
  readonly kind: 'library' | 'kernel';
}

/** What kind of pseudo-frame a frame is. */
export type PseudoFrameKind = 'process' | 'unsymbolized';

/** A frame that is not a function (see {@link ProfileAnalysis.pseudoFrames}). */
export interface PseudoFrame {
  readonly name: string;
  /** `process`: a process or thread name a collapser put at the root; `unsymbolized`: an address or `[unknown]`. */
  readonly kind: PseudoFrameKind;
  readonly self: number;
  readonly total: number;
}

/** A frame that could not be mapped. */
export interface UnmappedFunction {
  readonly function: string;
  readonly total: number;
  /** Why: `no definition found`, `ambiguous`, `file outside the workspace`… */
  readonly reason: string;
}
