// Comparison benchmark (part of `npm run bench`; alone: `node --import tsx bench/compare-bench.ts`).
//
// Target (issue #14): comparing two 100 MB `perf script` files takes at most 1.2× loading
// both, and memory stays bounded by unique stacks.
//
// Inputs: two ~100 MB `perf script` files from the shared generator (../shared/bench/gen.mjs,
// seeds 1 and 2: the same kind of program, different samples), generated once into
// bench-results/ (gitignored). Each measurement runs in a fresh Node process, so its peak RSS
// (process.resourceUsage().maxRSS) is its own:
//   load     `analyzeFiles` on each file in turn: what `hotspot-lens report` (and the editor's
//            loading worker) does per profile: import, index the workspace, map, analyse;
//   compare  what `hotspot-lens diff` does: index the workspace once, import and snapshot each
//            profile in turn, `compareProfiles`, the differential folded stacks.
// Both map onto examples/rust-sample (the generated names are not in it: mapping is by name).
// Best wall time over the runs (`--runs=N`, default 3), highest RSS; CPU time beside it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { diffCommand } from '../src/cli/diff-command';
import { analyzeFiles } from '../src/node/analyze-files';

const root = path.resolve(__dirname, '..');
const outDir = path.join(root, 'bench-results');
const workspace = path.join(root, 'examples/rust-sample');
const generator = path.resolve(root, '..', 'shared', 'bench', 'gen.mjs');

interface Run {
  seconds: number;
  cpuSeconds: number;
  maxRssMB: number;
  detail: string;
}

function arg(name: string): string | undefined {
  const hit = process.argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (hit === undefined) return undefined;
  return hit.includes('=') ? hit.slice(hit.indexOf('=') + 1) : '';
}

function input(seed: number): string {
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `compare-perf-100MB-seed${seed}.perf`);
  if (fs.existsSync(file) && fs.statSync(file).size >= 98e6) return file;
  if (!fs.existsSync(generator)) throw new Error(`the generator is missing: ${generator}`);
  process.stdout.write(`generating ${path.relative(root, file)} … `);
  const r = spawnSync(process.execPath, [generator, 'perf', file, '100', '--seed', String(seed)], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`gen.mjs failed:\n${r.stderr}`);
  process.stdout.write(`${(fs.statSync(file).size / 1e6).toFixed(0)} MB\n`);
  return file;
}

/** One measurement in this process (run by {@link measure} in a fresh process). */
async function child(mode: string, a: string, b: string): Promise<void> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let detail: string;
  if (mode === 'load') {
    const stacks: number[] = [];
    for (const file of [a, b]) {
      const { profile } = await analyzeFiles({ profilePath: file, root: workspace });
      stacks.push(profile.stacks.length);
    }
    detail = `unique stacks ${stacks.join(' + ')}`;
  } else {
    let json = '';
    const folded = path.join(outDir, 'compare-bench.diff.folded');
    const code = await diffCommand(
      ['--baseline', a, '--profile', b, '--root', workspace, '--json', '--folded', folded, '--top', '50'],
      {
        stdout: (t) => {
          json += t;
        },
        stderr: () => undefined,
        readFile: async (p) => new Uint8Array(fs.readFileSync(p)),
        cwd: root,
      },
    );
    if (code !== 0) throw new Error(`diff exited ${code}`);
    const parsed = JSON.parse(json) as { normalization: string; totalChangePercent: number };
    const lines = fs.readFileSync(folded, 'utf8').split('\n').length - 1;
    detail = `${parsed.normalization}, total ${parsed.totalChangePercent}%, ${lines} differential stacks`;
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(
    `${JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMB: process.resourceUsage().maxRSS / 1024, detail })}\n`,
  );
}

function measure(mode: 'load' | 'compare', a: string, b: string): Run {
  const r = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--child', mode, a, b], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`${mode} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as Run;
}

function main(): void {
  const runs = Number(arg('runs') ?? 3);
  const a = input(1);
  const b = input(2);
  const best = (acc: Run | undefined, m: Run): Run =>
    acc === undefined
      ? m
      : {
          ...acc,
          seconds: Math.min(acc.seconds, m.seconds),
          cpuSeconds: Math.min(acc.cpuSeconds, m.cpuSeconds),
          maxRssMB: Math.max(acc.maxRssMB, m.maxRssMB),
        };
  let load: Run | undefined;
  let compare: Run | undefined;
  for (let i = 0; i < runs; i++) {
    load = best(load, measure('load', a, b));
    compare = best(compare, measure('compare', a, b));
  }
  if (!load || !compare) return;
  const ratio = compare.seconds / load.seconds;
  const ok = ratio <= 1.2;
  process.stdout.write(
    [
      `two ${((fs.statSync(a).size + fs.statSync(b).size) / 2e6).toFixed(0)} MB perf script files, best of ${runs}; load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
      `  load both (analyzeFiles × 2): ${load.seconds.toFixed(2)} s (CPU ${load.cpuSeconds.toFixed(2)} s), ${load.maxRssMB.toFixed(0)} MiB RSS; ${load.detail}`,
      `  compare (hotspot-lens diff):  ${compare.seconds.toFixed(2)} s (CPU ${compare.cpuSeconds.toFixed(2)} s), ${compare.maxRssMB.toFixed(0)} MiB RSS; ${compare.detail}`,
      `  compare / load: ${ratio.toFixed(2)}× time (CPU ${(compare.cpuSeconds / load.cpuSeconds).toFixed(2)}×), ${(compare.maxRssMB / load.maxRssMB).toFixed(2)}× RSS — ${ok ? 'met' : 'MISSED'} (target <= 1.2× time)`,
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    path.join(outDir, 'results-compare.json'),
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, load: os.loadavg(), runs, loadBoth: load, compare, ratio, ok }, null, 2)}\n`,
  );
  if (!ok) process.exitCode = 1;
}

if (process.argv[2] === '--child') {
  const [, mode, a, b] = process.argv.slice(2);
  child(mode, a, b).catch((e) => {
    process.stderr.write(`${e instanceof Error ? e.stack : e}\n`);
    process.exit(1);
  });
} else main();
