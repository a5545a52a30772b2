// Importer benchmark (`npm run bench`): throughput and peak memory of the perf script,
// folded stacks and V8 .cpuprofile importers on generated inputs, each beside its floor.
//
//   npm run bench                 ~100 MB inputs, 3 runs each (best time, highest RSS)
//   npm run bench -- --large      ~1 GB inputs (the .cpuprofile stays at 400 MB: V8 strings
//                                 cannot exceed 2^29 characters, so JSON.parse cannot read more)
//   npm run bench -- --only=folded --runs=5
// Without --only it then prints the source-mapping accuracy (bench/mapping-accuracy.ts, and on the
// real-project corpus bench/mapping-corpus.ts when $HOTSPOT_LENS_CORPUS or ../corpus exists),
// the editor-side costs of decorations and CodeLens (bench/editor-bench.ts), comparing two
// 100 MB perf script files against loading both (bench/compare-bench.ts), and the flame
// graph's costs on a 100,000-node call tree (bench/flame-bench.ts), and the workspace index on a
// generated 500,000-line workspace, first load and reload with the index cache (bench/index-bench.ts),
// Load Profile to decorations in the real editor (bench/editor-load-bench.ts), and our CLI side by
// side with inferno and the Node floor when ../shared/bench is there (bench/side-by-side.ts).
//
// Inputs are generated once into bench-results/ (gitignored) by bench/generate-*.ts.
// Every measurement runs in a fresh Node process (bench/measure.ts), so its peak RSS
// (process.resourceUsage().maxRSS) is its own. The floor is what no importer can beat:
// for text formats, streaming the file through a TextDecoder and splitting it into
// lines; for .cpuprofile, reading the file and a bare JSON.parse.
// Throughput is in MB/s (10^6 bytes per second of wall time; targets are judged on it),
// with MB per second of the process's CPU time (user + system, all threads: GC and file
// reads included) beside it, because on a shared machine wall time also measures the
// neighbours — the load average is printed. Memory in MiB.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateCpuprofile } from './generate-cpuprofile';
import { generateFolded } from './generate-folded';
import { generatePerfScript } from './generate-perf-script';

interface Measurement {
  seconds: number;
  cpuSeconds: number;
  maxRssMB: number;
  bytes: number;
  detail: string;
}

interface Format {
  readonly id: 'perf-script' | 'folded' | 'cpuprofile';
  readonly ext: string;
  readonly generate: (file: string, bytes: number) => number;
  readonly target: string;
  readonly meets: (r: { mbps: number; ratio: number; rss: number; bytes: number }) => boolean;
}

const FORMATS: Format[] = [
  {
    id: 'perf-script',
    ext: 'perf',
    generate: generatePerfScript,
    target: '>= 450 MB/s; < 400 MiB RSS at >= 500 MB',
    meets: (r) => r.mbps >= 450 && (r.bytes < 500e6 || r.rss < 400),
  },
  {
    id: 'folded',
    ext: 'folded',
    generate: generateFolded,
    target: '>= 400 MB/s',
    meets: (r) => r.mbps >= 400,
  },
  {
    id: 'cpuprofile',
    ext: 'cpuprofile',
    generate: generateCpuprofile,
    target: 'time <= 2x JSON.parse',
    meets: (r) => r.ratio <= 2,
  },
];

const root = path.resolve(__dirname, '..');
const outDir = path.join(root, 'bench-results');

function arg(name: string): string | undefined {
  const hit = process.argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (hit === undefined) return undefined;
  return hit.includes('=') ? hit.slice(hit.indexOf('=') + 1) : '';
}

function measure(kind: string, mode: string, file = ''): Measurement {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'measure.ts'), kind, mode, file],
    {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  if (r.status !== 0) throw new Error(`${kind} ${mode} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '');
}

function ensureInput(format: Format, bytes: number): string {
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `${format.id}-${Math.round(bytes / 1e6)}MB.${format.ext}`);
  if (fs.existsSync(file) && fs.statSync(file).size >= bytes * 0.98) return file;
  const t0 = performance.now();
  process.stdout.write(`generating ${path.relative(root, file)} … `);
  format.generate(file, bytes);
  process.stdout.write(
    `${(fs.statSync(file).size / 1e6).toFixed(0)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
  );
  return file;
}

const pad = (s: string, n: number) => s.padEnd(n);
const num = (v: number, digits = 0) => v.toFixed(digits);

function main(): void {
  const large = arg('large') !== undefined;
  const only = arg('only');
  const runs = Number(arg('runs') ?? (large ? 1 : 3));
  const formats = FORMATS.filter((f) => only === undefined || only.split(',').includes(f.id));
  const baseline = measure('baseline', 'none');
  process.stdout.write(
    `baseline (empty Node + tsx process): ${num(baseline.maxRssMB)} MiB RSS; load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${os.cpus().length} CPUs\n`,
  );

  const rows: string[][] = [];
  const results: Record<string, unknown>[] = [];
  for (const format of formats) {
    const bytes = large ? (format.id === 'cpuprofile' ? 400e6 : 1e9) : 100e6;
    const file = ensureInput(format, bytes);
    let imp: Measurement | undefined;
    let floor: Measurement | undefined;
    // Best wall time, best CPU time and highest RSS over the runs.
    const merge = (acc: Measurement | undefined, m: Measurement): Measurement =>
      acc === undefined
        ? m
        : {
            ...acc,
            seconds: Math.min(acc.seconds, m.seconds),
            cpuSeconds: Math.min(acc.cpuSeconds, m.cpuSeconds),
            maxRssMB: Math.max(acc.maxRssMB, m.maxRssMB),
          };
    for (let i = 0; i < runs; i++) {
      imp = merge(imp, measure(format.id, 'import', file));
      floor = merge(floor, measure(format.id, 'floor', file));
    }
    if (imp === undefined || floor === undefined) continue;
    const mb = imp.bytes / 1e6;
    const mbps = mb / imp.seconds;
    const cpuMbps = mb / imp.cpuSeconds;
    const floorMbps = mb / floor.seconds;
    const floorCpuMbps = mb / floor.cpuSeconds;
    const ratio = imp.seconds / floor.seconds;
    const ok = format.meets({ mbps, ratio, rss: imp.maxRssMB, bytes: imp.bytes });
    rows.push([
      format.id,
      num(mb),
      num(mbps),
      num(cpuMbps),
      num(imp.maxRssMB),
      num(floorMbps),
      num(floorCpuMbps),
      num(floor.maxRssMB),
      `${num(ratio, 2)}x`,
      `${num(imp.maxRssMB / floor.maxRssMB, 2)}x`,
      `${ok ? 'met' : 'MISSED'} (${format.target})`,
    ]);
    results.push({
      format: format.id,
      file: path.relative(root, file),
      runs,
      import: imp,
      floor,
      mbps,
      floorMbps,
      ratio,
      ok,
    });
    process.stdout.write(`${format.id}: ${imp.detail}\n`);
  }
  const header = [
    'format',
    'MB',
    'MB/s',
    'MB/s of CPU time',
    'RSS MiB',
    'floor MB/s',
    'floor MB/s of CPU',
    'floor RSS',
    'time/floor',
    'RSS/floor',
    'target',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)) + 2);
  process.stdout.write(`\n${header.map((h, i) => pad(h, widths[i])).join('')}\n`);
  for (const r of rows) process.stdout.write(`${r.map((c, i) => pad(c, widths[i])).join('')}\n`);
  fs.writeFileSync(
    path.join(outDir, large ? 'results-large.json' : 'results.json'),
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, load: os.loadavg(), baseline, results }, null, 2)}\n`,
  );
}

main();

// then the source-mapping accuracy figure and the editor-side costs (their own scripts)
if (arg('only') === undefined) {
  for (const script of [
    'mapping-accuracy.ts',
    'mapping-corpus.ts',
    'editor-bench.ts',
    'compare-bench.ts',
    'flame-bench.ts',
    'index-bench.ts',
    'corpus-load.ts',
    'editor-load-bench.ts',
    'side-by-side.ts',
  ]) {
    process.stdout.write(`\n── ${script} ──\n`);
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, script)], {
      cwd: root,
      stdio: 'inherit',
    });
    if (r.status !== 0) process.exitCode = 1;
  }
}
