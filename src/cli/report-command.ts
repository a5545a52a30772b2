import path from 'node:path';
import { formatPercent, formatWeight } from '../core/analysis/presentation';
import type { HotFunction, ProfileAnalysis } from '../core/analysis/types';
import { analyzeFiles } from '../node/analyze-files';
import type { CliCommand, CliIo } from './cli-io';
import { loadPlanLinks } from './plan-links-loader';

const USAGE = 'usage: hotspot-lens report --profile FILE [--plan FILE] [--root DIR] [--top N] [--json]';

/** The JSON `hotspot-lens report --json` prints (lines 1-based; null where unknown; files relative to the root). */
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
    file: string | null;
    line: number | null;
    endLine: number | null;
    self: number;
    total: number;
    selfPercent: number;
    totalPercent: number;
    library: boolean;
    category: string | null;
    hint: string | null;
    blamedLibrary: { function: string; weight: number }[];
    planSection: string | null;
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
  const { analysis } = await analyzeFiles({ profilePath: path.resolve(io.cwd, opts.profile), root });
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
  const out: Partial<ReportArgs> = { top: 20, json: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value`);
      return v;
    };
    try {
      if (a === '--profile') out.profile = value();
      else if (a === '--plan') out.plan = value();
      else if (a === '--root') out.root = value();
      else if (a === '--top') {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1) return `--top must be a positive integer`;
        out.top = n;
      } else if (a === '--json') out.json = true;
      else return `unknown argument "${a}"`;
    } catch (e) {
      return (e as Error).message;
    }
  }
  if (!out.profile) return '--profile is required';
  return out as ReportArgs;
}

/** Builds the report JSON: workspace hotspots then library ones, sorted by total, cut to `top`. */
export function toReport(
  analysis: ProfileAnalysis,
  top: number,
  planSections: ReadonlyMap<string, string>,
): ReportJson {
  const p = analysis.profile;
  const pct = (w: number) => round(p.total > 0 ? (100 * w) / p.total : 0);
  const ws = analysis.hotspots.map((f: HotFunction) => ({
    function: f.displayName,
    file: f.file,
    line: f.line,
    endLine: f.endLine,
    self: f.self,
    total: f.total,
    selfPercent: round(f.selfPercent),
    totalPercent: round(f.totalPercent),
    library: false,
    category: f.hints[0]?.category ?? null,
    hint: f.hints[0]?.label ?? null,
    blamedLibrary: f.blamedLibrary.map((b) => ({ function: b.function, weight: b.weight })),
    planSection: planSections.get(f.key) ?? null,
  }));
  const lib = analysis.libraryHotspots.map((l) => ({
    function: l.name,
    file: null,
    line: null,
    endLine: null,
    self: l.self,
    total: l.total,
    selfPercent: pct(l.self),
    totalPercent: pct(l.total),
    library: true,
    category: null,
    hint: null,
    blamedLibrary: [],
    planSection: null,
  }));
  const hotspots = [...ws, ...lib].sort((a, b) => b.total - a.total || b.self - a.self).slice(0, top);
  return {
    profile: {
      format: p.format,
      unit: p.unit,
      total: p.total,
      eventName: p.eventName,
      sampleCount: p.sampleCount ?? null,
    },
    hotspots,
    unmapped: analysis.unmapped.map((u) => ({ function: u.function, total: u.total, reason: u.reason })),
  };
}

function renderTable(report: ReportJson, analysis: ProfileAnalysis): string {
  const p = analysis.profile;
  const lines = [
    `${p.source}: ${p.formatLabel}, ${formatWeight(p.total, p.unit, p.eventName)} (${p.eventName})`,
    '',
    `${'total'.padStart(7)} ${'self'.padStart(7)}  function${' '.repeat(40)}location / hint`,
  ];
  for (const h of report.hotspots) {
    const where = h.file ? `${h.file}:${h.line}` : '(library)';
    lines.push(
      `${formatPercent(h.totalPercent).padStart(7)} ${formatPercent(h.selfPercent).padStart(7)}  ${truncate(h.function, 46).padEnd(48)}${where}${h.hint ? `  ${h.hint}` : ''}${h.planSection ? `  [plan: ${h.planSection}]` : ''}`,
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
