import path from 'node:path';
import { formatPercent, formatWeight } from '../core/analysis/presentation';
import { type ReportJson, toReport } from '../core/analysis/report-json';
import type { ProfileAnalysis } from '../core/analysis/types';
import { analyzeFiles } from '../node/analyze-files';
import { parseOptions, topOption } from './cli-args';
import type { CliCommand, CliIo } from './cli-io';
import { loadPlanLinks } from './plan-links-loader';

const USAGE = 'usage: hotspot-lens report --profile FILE [--plan FILE] [--root DIR] [--top N] [--json]';

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

export type { CliIo, ReportJson };
export { toReport };
