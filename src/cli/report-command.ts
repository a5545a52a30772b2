import path from 'node:path';
import { formatPercent, formatWeight } from '../core/analysis/presentation';
import type { HotFunction, ProfileAnalysis } from '../core/analysis/types';
import { analyzeFiles } from '../node/analyze-files';
import { parseOptions, topOption } from './cli-args';
import type { CliCommand, CliIo } from './cli-io';
import { loadPlanLinks } from './plan-links-loader';

const USAGE = 'usage: hotspot-lens report --profile FILE [--plan FILE] [--root DIR] [--top N] [--json]';

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
 * `hotspot-lens report`: the same engine as the editor, printed. Maps the profile
 * onto `--root` (default: the current directory), applies the hint rules and, with
 * `--plan`, links hotspots to the plan's sections.
 * Exit 0 on success, 1 for a bad profile or plan (the message names the file), 2 for usage errors.
 */
export const reportCommand: CliCommand = async (args, io) => {
  const opts = parseArgs(args);
  if (typeof opts === 'string') {
    io.stderr(`${opts}\n${USAGE}\n`);
    return 2;
  }
  const root = path.resolve(io.cwd, opts.root ?? '.');
  const { analysis } = await analyzeFiles({
    profilePath: path.resolve(io.cwd, opts.profile),
    root,
    maxListed: Math.max(opts.top, 200),
  });
  const planSections = opts.plan
    ? await loadPlanLinks(path.resolve(io.cwd, opts.plan), root, analysis, io)
    : new Map();
  const report = toReport(analysis, opts.top, planSections);
  io.stdout(opts.json ? `${JSON.stringify(report, null, 2)}\n` : renderTable(report, analysis));
  return 0;
};

interface ReportArgs {
  profile: string;
  plan?: string;
  root?: string;
  top: number;
  json: boolean;
}

function parseArgs(args: readonly string[]): ReportArgs | string {
  const o = parseOptions(args, {
    profile: 'string',
    plan: 'string',
    root: 'string',
    top: 'string',
    json: 'boolean',
  });
  if (typeof o === 'string') return o;
  const top = topOption(o.top, 20);
  if (typeof top === 'string') return top;
  if (!o.profile) return '--profile is required';
  return {
    profile: o.profile,
    top,
    json: o.json ?? false,
    ...(o.plan !== undefined ? { plan: o.plan } : {}),
    ...(o.root !== undefined ? { root: o.root } : {}),
  };
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

/** Column headings of the table: the figure hotspots are ranked by comes first. */
const HEADINGS = `${'incl.lib'.padStart(8)} ${'self'.padStart(7)} ${'total'.padStart(7)}  function`;

function renderTable(report: ReportJson, analysis: ProfileAnalysis): string {
  const p = analysis.profile;
  const lines = [
    `${p.source}: ${p.formatLabel}, ${formatWeight(p.total, p.unit, p.eventName)} (${p.eventName})`,
    '',
    'Hotspots, ranked by self time incl. the libraries a function calls (incl.lib):',
    `${HEADINGS}${' '.repeat(40)}location / hint`,
  ];
  for (const h of report.hotspots) {
    const where = h.kind === 'function' ? `${h.file}:${h.line}` : `(${h.kind})`;
    lines.push(
      `${formatPercent(h.selfInclLibrariesPercent).padStart(8)} ${formatPercent(h.selfPercent).padStart(7)} ${formatPercent(h.totalPercent).padStart(7)}  ${truncate(h.function, 46).padEnd(48)}${where}${h.hint ? `  ${h.hint}` : ''}${h.planSection ? `  [plan: ${h.planSection}]` : ''}`,
    );
  }
  if (report.pseudoFrames.length > 0) {
    lines.push('', 'Not functions (process and thread names, unsymbolized addresses):');
    for (const f of report.pseudoFrames)
      lines.push(
        `${formatPercent(f.totalPercent).padStart(8)} total  ${truncate(f.name, 60)} (${f.kind === 'process' ? 'process or thread name' : 'unsymbolized'})`,
      );
  }
  if (report.unmapped.length > 0) {
    lines.push('', `Unmapped (${report.unmapped.length}):`);
    for (const u of report.unmapped.slice(0, 10)) lines.push(`  ${truncate(u.function, 60)}: ${u.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

export type { CliIo };
