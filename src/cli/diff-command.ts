import fs from 'node:fs/promises';
import path from 'node:path';
import { formatPercent, formatWeight } from '../core/analysis/presentation';
import {
  type CompareSnapshot,
  checkPlan,
  compareProfiles,
  differentialFolded,
  type FigureChange,
  type FunctionChange,
  type NormalizationSetting,
  type PlanCheck,
  type ProfileComparison,
  snapshotProfile,
  workspaceRegressions,
} from '../core/compare';
import { type DiffJson, toDiffJson } from '../core/compare/diff-json';
import { importProfile } from '../core/importers/registry';
import { parsePlan } from '../core/plan';
import { createDemangler, getDefaultDemangler, setDefaultDemangler } from '../core/symbols/demangle';
import { fileInput } from '../node/file-input';
import { WorkspaceIndexPool } from '../node/index-pool';
import { parallelImporter } from '../node/parallel-import';
import { loadNodeDemanglerWasm } from '../node/workspace-fs';
import { parseOptions, topOption } from './cli-args';
import type { CliCommand } from './cli-io';

export { type DiffJson, toDiffJson };

const USAGE =
  'usage: hotspot-lens diff --baseline A --profile B [--root R] [--plan P] [--top N] [--json] [--fail-on-regression PCT] [--folded OUT] [--normalize auto|absolute|share]';

/** Exit code of `--fail-on-regression` when a workspace function regressed. */
export const REGRESSION_EXIT = 3;

interface DiffArgs {
  baseline: string;
  profile: string;
  root?: string;
  plan?: string;
  /** Undefined: 20 rows in the table, every function in the JSON. */
  top?: number;
  json: boolean;
  failOnRegression?: number;
  folded?: string;
  normalize: NormalizationSetting;
}

/**
 * `hotspot-lens diff`: compares a baseline profile with a new one (any two formats),
 * prints the biggest changes and, with `--plan`, checks the plan's claims and expected
 * gains; `--folded OUT` writes differential folded stacks for `flamegraph.pl`.
 * Exit 0 on success, 1 for a bad profile or plan (the message names the file), 2 for usage
 * errors, {@link REGRESSION_EXIT} (3) when `--fail-on-regression PCT` finds a workspace
 * function whose total grew by more than PCT percent beyond noise.
 */
export const diffCommand: CliCommand = async (args, io) => {
  const opts = parseArgs(args);
  if (typeof opts === 'string') {
    io.stderr(`${opts}\n${USAGE}\n`);
    return 2;
  }
  const root = path.resolve(io.cwd, opts.root ?? '.');
  const [baseline, current] = await snapshotFiles(
    [path.resolve(io.cwd, opts.baseline), path.resolve(io.cwd, opts.profile)],
    root,
  );
  const comparison = compareProfiles(baseline, current, { normalization: opts.normalize });
  let check: PlanCheck = { claims: [], gains: [] };
  if (opts.plan) {
    const planPath = path.resolve(io.cwd, opts.plan);
    let bytes: Uint8Array;
    try {
      bytes = await io.readFile(planPath);
    } catch (e) {
      throw new Error(`${planPath}: cannot read the plan (${(e as Error).message})`);
    }
    check = checkPlan(
      comparison,
      parsePlan(new TextDecoder().decode(bytes), { file: path.basename(planPath) }),
    );
  }
  if (opts.folded) {
    const out = path.resolve(io.cwd, opts.folded);
    const lines = differentialFolded(comparison);
    await fs.writeFile(out, lines.length > 0 ? `${lines.join('\n')}\n` : '');
  }
  io.stdout(
    opts.json
      ? `${JSON.stringify(toDiffJson(comparison, check, opts.top ?? Number.POSITIVE_INFINITY), null, 2)}\n`
      : renderDiff(comparison, check, opts.top ?? 20),
  );
  if (opts.failOnRegression !== undefined) {
    const regressions = workspaceRegressions(comparison, opts.failOnRegression);
    if (regressions.length > 0) {
      io.stderr(
        `hotspot-lens diff: ${regressions.length} workspace function${regressions.length === 1 ? '' : 's'} regressed by more than ${opts.failOnRegression}% beyond noise: ${regressions
          .slice(0, 5)
          .map((f) => `${f.name} (${f.file}:${f.line ?? '?'}) ${signed(f.total.changePercent ?? 0)}%`)
          .join(', ')}\n`,
      );
      return REGRESSION_EXIT;
    }
  }
  return 0;
};

/**
 * Imports profiles (format detected by content), indexes the workspace once and maps each
 * profile onto it: the snapshots `compareProfiles` takes. The same pipeline as `analyzeFiles`,
 * with the workspace indexed once for both profiles, and one profile in memory at a time.
 * @param profilePaths absolute paths
 * @param root absolute workspace folder
 * @param indexPool where the workspace index is kept between calls (a long-lived process: the
 *   MCP server); a new one by default
 * @throws ImportError / UnrecognizedProfileError naming the file, the format and the first problem
 */
export async function snapshotFiles(
  profilePaths: readonly string[],
  root: string,
  indexPool: WorkspaceIndexPool = new WorkspaceIndexPool(),
): Promise<CompareSnapshot[]> {
  if (!getDefaultDemangler()) setDefaultDemangler(createDemangler(loadNodeDemanglerWasm()));
  const index = await indexPool.index({ root });
  const out: CompareSnapshot[] = [];
  // one profile at a time: only its snapshot outlives it
  for (const p of profilePaths) {
    const { profile, importer } = await importProfile(fileInput(p), {
      importInParallel: parallelImporter(p),
    });
    out.push(snapshotProfile(profile, { index, root, formatLabel: importer.label }));
  }
  return out;
}

function parseArgs(args: readonly string[]): DiffArgs | string {
  const o = parseOptions(args, {
    baseline: 'string',
    profile: 'string',
    plan: 'string',
    root: 'string',
    folded: 'string',
    top: 'string',
    'fail-on-regression': 'string',
    normalize: 'string',
    json: 'boolean',
  });
  if (typeof o === 'string') return o;
  const out: Partial<DiffArgs> = { json: o.json ?? false, normalize: 'auto' };
  if (o.top !== undefined) {
    const top = topOption(o.top, 20);
    if (typeof top === 'string') return top;
    out.top = top;
  }
  const gate = o['fail-on-regression'];
  if (gate !== undefined) {
    const n = Number(gate.replace(/%$/, ''));
    if (gate.trim() === '' || !Number.isFinite(n) || n < 0)
      return `--fail-on-regression must be a percent >= 0, got "${gate}"`;
    out.failOnRegression = n;
  }
  if (o.normalize !== undefined) {
    const v = o.normalize;
    if (v !== 'auto' && v !== 'absolute' && v !== 'share')
      return `--normalize must be auto, absolute or share, got "${v}"`;
    out.normalize = v;
  }
  if (o.plan !== undefined) out.plan = o.plan;
  if (o.root !== undefined) out.root = o.root;
  if (o.folded !== undefined) out.folded = o.folded;
  if (!o.baseline) return '--baseline is required';
  if (!o.profile) return '--profile is required';
  return { ...out, baseline: o.baseline, profile: o.profile } as DiffArgs;
}

/**
 * The table's rows: functions other than unsymbolized frames, plus those when they changed,
 * biggest change of total first, cut to `top`.
 */
function listed(comparison: ProfileComparison, top: number): FunctionChange[] {
  return comparison.functions.filter((f) => f.origin !== 'unknown' || f.status !== 'unchanged').slice(0, top);
}

function renderDiff(comparison: ProfileComparison, check: PlanCheck, top: number): string {
  const b = comparison.baseline;
  const c = comparison.current;
  const unit = comparison.unit;
  const w = (n: number) => (unit === 'percent' ? `${n.toFixed(1)}%` : formatWeight(n, unit));
  const t = comparison.totals;
  const lines = [
    `baseline: ${b.source} (${b.formatLabel}, ${formatWeight(b.total, b.unit, b.eventName)})`,
    `current:  ${c.source} (${c.formatLabel}, ${formatWeight(c.total, c.unit, c.eventName)})`,
    `compared: ${comparison.normalizationReason}`,
    ...comparison.notes.map((n) => `  note: ${n}`),
    '',
    `total: ${w(t.baseline)} → ${w(t.current)}  ${changeText(t)}  (${speedupText(t)})`,
    '',
    `Biggest changes of total (${unit === 'percent' ? 'percent of the baseline total' : unit}; ± one σ of sampling noise; unchanged = within ${3}σ):`,
    `${'before'.padStart(10)} ${'after'.padStart(10)} ${'change'.padStart(16)}  ${'status'.padEnd(10)} function`,
  ];
  for (const f of listed(comparison, top)) {
    const where = f.file ? `  ${f.file}:${f.line ?? '?'}` : f.origin !== 'library' ? `  (${f.origin})` : '';
    lines.push(
      `${w(f.total.baseline).padStart(10)} ${w(f.total.current).padStart(10)} ${changeText(f.total).padStart(16)}  ${f.status.padEnd(10)} ${truncate(f.name, 60)}${where}`,
    );
  }
  if (check.claims.length > 0) {
    lines.push('', 'Plan claims (percent of each profile’s total; then → now):');
    for (const cl of check.claims) {
      const then = cl.baselinePercent === null ? 'not found' : formatPercent(cl.baselinePercent);
      const now = cl.nowPercent === null ? 'not found' : formatPercent(cl.nowPercent);
      lines.push(
        `  line ${String(cl.line).padEnd(4)} ${truncate(cl.symbol, 60)}: claimed ${cl.claimedPercent}% ${cl.figure}; ${then} → ${now}${cl.changePercent === null ? '' : ` (weight ${signed(cl.changePercent)}%, ${cl.status})`}`,
      );
    }
  }
  if (check.gains.length > 0) {
    lines.push(
      '',
      `Expected gains ("X% improvement" read as X% less time), measured ${signed(-(t.changePercent ?? 0))}% less time (${speedupText(t)}):`,
    );
    for (const g of check.gains) {
      const range =
        g.min === null
          ? 'no number'
          : `${fmt1(g.min)}–${fmt1(g.max ?? g.min)}% less time (${fmtX(g.minSpeedup)}–${fmtX(g.maxSpeedup)})`;
      lines.push(`  ${(g.verdict ?? '—').padEnd(8)} ${g.phase ?? '(no phase)'}: "${g.text}" = ${range}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function changeText(f: FigureChange): string {
  if (f.status === 'new') return 'new';
  if (f.status === 'gone') return 'gone';
  const p = f.changePercent ?? 0;
  const s = f.baseline > 0 ? (100 * f.sigma) / f.baseline : 0;
  return `${signed(p)}% ±${s.toFixed(s < 10 ? 1 : 0)}%`;
}

function speedupText(t: FigureChange): string {
  return t.current > 0 ? `${fmtX(t.baseline / t.current)} speed-up` : 'no weight now';
}

function signed(p: number): string {
  const r = Math.abs(p) < 10 ? p.toFixed(1) : p.toFixed(0);
  return p > 0 ? `+${r}` : r;
}

function fmt1(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

function fmtX(n: number | null): string {
  if (n === null) return '?';
  return Number.isFinite(n) ? `${n.toFixed(2)}×` : '∞';
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
