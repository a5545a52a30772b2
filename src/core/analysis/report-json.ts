import type { HotFunction, ProfileAnalysis } from './types';

/**
 * The JSON `hotspot-lens report --json` prints (lines 1-based; null where unknown; files
 * relative to the root; weights in `profile.unit`, percentages 0–100 of `profile.total`).
 *
 * `hotspots` are functions only, ranked by `selfInclLibraries` (self time plus the library
 * time a workspace function calls; a library or kernel function's own self time), then by
 * total. Pseudo-frames (process and thread names, unsymbolized addresses) are in
 * `pseudoFrames`, never in `hotspots`. Every list is cut to `--top`.
 */
export interface ReportJson {
  readonly profile: {
    format: string;
    unit: string;
    total: number;
    eventName: string;
    sampleCount: number | null;
  };
  readonly hotspots: {
    function: string;
    /** `function`: workspace code; `library`: outside the workspace; `kernel`: kernel code. */
    kind: 'function' | 'library' | 'kernel';
    file: string | null;
    line: number | null;
    endLine: number | null;
    self: number;
    selfInclLibraries: number;
    total: number;
    selfPercent: number;
    selfInclLibrariesPercent: number;
    totalPercent: number;
    library: boolean;
    category: string | null;
    hint: string | null;
    blamedLibrary: { function: string; weight: number }[];
    planSection: string | null;
  }[];
  readonly pseudoFrames: {
    name: string;
    /** `process`: a process or thread name at the root; `unsymbolized`: an address or `[unknown]`. */
    kind: 'process' | 'unsymbolized';
    self: number;
    total: number;
    totalPercent: number;
  }[];
  readonly unmapped: { function: string; total: number; reason: string }[];
}

/**
 * Builds the report JSON: functions (workspace, library, kernel) ranked by self incl.
 * libraries then total, pseudo-frames and unmapped frames by total; each list cut to `top`.
 */
export function toReport(
  analysis: ProfileAnalysis,
  top: number,
  planSections: ReadonlyMap<string, string>,
): ReportJson {
  const p = analysis.profile;
  const pct = (w: number) => round(p.total > 0 ? (100 * w) / p.total : 0);
  const ws = analysis.hotspots.map((f: HotFunction) => ({
    function: f.displayName,
    kind: 'function' as const,
    file: f.file,
    line: f.line,
    endLine: f.endLine,
    self: f.self,
    selfInclLibraries: f.selfInclLibraries,
    total: f.total,
    selfPercent: round(f.selfPercent),
    selfInclLibrariesPercent: round(f.selfInclLibrariesPercent),
    totalPercent: round(f.totalPercent),
    library: false,
    category: f.hints[0]?.category ?? null,
    hint: f.hints[0]?.label ?? null,
    blamedLibrary: f.blamedLibrary.map((b) => ({ function: b.function, weight: b.weight })),
    planSection: planSections.get(f.key) ?? null,
  }));
  const lib = analysis.libraryHotspots.map((l) => ({
    function: l.name,
    kind: l.kind,
    file: null,
    line: null,
    endLine: null,
    self: l.self,
    selfInclLibraries: l.self,
    total: l.total,
    selfPercent: pct(l.self),
    selfInclLibrariesPercent: pct(l.self),
    totalPercent: pct(l.total),
    library: true,
    category: null,
    hint: null,
    blamedLibrary: [],
    planSection: null,
  }));
  const hotspots = [...ws, ...lib]
    .filter((h) => h.selfInclLibraries > 0 || h.total > 0)
    .sort((a, b) => b.selfInclLibraries - a.selfInclLibraries || b.total - a.total)
    .slice(0, top);
  return {
    profile: {
      format: p.format,
      unit: p.unit,
      total: p.total,
      eventName: p.eventName,
      sampleCount: p.sampleCount ?? null,
    },
    hotspots,
    pseudoFrames: analysis.pseudoFrames
      .slice(0, top)
      .map((f) => ({ name: f.name, kind: f.kind, self: f.self, total: f.total, totalPercent: pct(f.total) })),
    unmapped: analysis.unmapped
      .slice(0, top)
      .map((u) => ({ function: u.function, total: u.total, reason: u.reason })),
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
