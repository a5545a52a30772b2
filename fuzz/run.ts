/**
 * The long-budget fuzzer (`npm run fuzz`): every importer of `allImporters` and the plan
 * parser, each in its own worker thread (two at a time on a 2-core machine), with the
 * inputs and properties of `fuzz/targets.ts`.
 *
 *   npm run fuzz                                   100,000 inputs per target, seed from the clock
 *   npm run fuzz -- --runs 5000 --seed 42          fewer inputs, fixed seed
 *   npm run fuzz -- --target importer:folded       one target (repeatable)
 *   npm run fuzz -- --target plan --seed S --path P   replay one failure
 *   options: --jobs N (parallel workers), --round N (inputs per fast-check round, default 2,000),
 *            --max-seed-bytes N (cut seeds to N bytes at a line end, default 65,536; 0 = whole),
 *            --stall-seconds N (a worker silent this long is a hang, default 120),
 *            --heap-mb N (heap bound per worker, default 1,024)
 *
 * Prints per target: inputs run, failures (seed, path and the saved input under
 * `fuzz/failures/`), max time per input, peak heap. Exits 1 on any failure, hang or
 * out-of-memory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { REPO_ROOT } from './inputs';
import { TARGET_NAMES } from './targets';
import type { WorkerJob, WorkerMessage } from './worker';

interface Options {
  runs: number;
  seed: number;
  targets: string[];
  path?: string;
  jobs: number;
  round: number;
  maxSeedBytes: number;
  stallSeconds: number;
  heapMb: number;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    runs: 100_000,
    seed: Date.now() % 2 ** 31,
    targets: [],
    jobs: 2,
    round: 2000,
    maxSeedBytes: 65_536,
    stallSeconds: 120,
    heapMb: 1024,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    const num = () => {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new Error(`${a} needs a number, got ${v}`);
      i++;
      return n;
    };
    if (a === '--runs') o.runs = num();
    else if (a === '--seed') o.seed = num();
    else if (a === '--jobs') o.jobs = Math.max(1, num());
    else if (a === '--round') o.round = Math.max(1, num());
    else if (a === '--max-seed-bytes') o.maxSeedBytes = num();
    else if (a === '--stall-seconds') o.stallSeconds = num();
    else if (a === '--heap-mb') o.heapMb = num();
    else if (a === '--path') {
      o.path = v;
      i++;
    } else if (a === '--target') {
      if (!TARGET_NAMES.includes(v))
        throw new Error(`unknown target ${v}; targets: ${TARGET_NAMES.join(', ')}`);
      o.targets.push(v);
      i++;
    } else throw new Error(`unknown option ${a}`);
  }
  if (o.targets.length === 0) o.targets = [...TARGET_NAMES];
  return o;
}

interface TargetReport {
  target: string;
  runs: number;
  failures: string[];
  maxMs: number;
  peakHeap: number;
  seconds: number;
}

const SHARED_BYTES = 16 << 20;
const outDir = path.join(REPO_ROOT, 'fuzz', 'failures');
const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;

function runTarget(target: string, o: Options): Promise<TargetReport> {
  return new Promise((resolve) => {
    const shared = new SharedArrayBuffer(SHARED_BYTES + 8);
    const header = new Int32Array(shared, 0, 2);
    const job: WorkerJob = {
      target,
      seed: o.seed,
      runs: o.runs,
      round: o.round,
      ...(o.path ? { path: o.path } : {}),
      maxSeedBytes: o.maxSeedBytes,
      shared,
      outDir,
    };
    const report: TargetReport = { target, runs: 0, failures: [], maxMs: 0, peakHeap: 0, seconds: 0 };
    const t0 = Date.now();
    const worker = new Worker(path.join(__dirname, 'worker-entry.mjs'), {
      workerData: job,
      resourceLimits: { maxOldGenerationSizeMb: o.heapMb * 1.5 },
    });
    let lastCount = 0;
    let lastChange = Date.now();
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearInterval(watchdog);
      report.seconds = (Date.now() - t0) / 1000;
      resolve(report);
    };
    const watchdog = setInterval(() => {
      const count = Atomics.load(header, 0);
      if (count !== lastCount) {
        lastCount = count;
        lastChange = Date.now();
        return;
      }
      if (Date.now() - lastChange < o.stallSeconds * 1000) return;
      const file = path.join(outDir, `${target.replace(':', '-')}-hang-seed${o.seed}-input${count}.bin`);
      fs.mkdirSync(outDir, { recursive: true });
      fs.writeFileSync(file, new Uint8Array(shared, 8, Atomics.load(header, 1)));
      report.failures.push(
        `hang: no input finished for ${o.stallSeconds} s after ${count} inputs; input saved to ${file}`,
      );
      report.runs = count;
      void worker.terminate();
      finish();
    }, 1000);
    worker.on('message', (m: WorkerMessage) => {
      if (m.kind === 'failure') {
        report.failures.push(
          `${m.message}\n      input: ${m.origin.slice(0, 200)}\n      saved: ${path.relative(REPO_ROOT, m.file)}\n      replay: npm run fuzz -- --target ${target} --seed ${m.seed} --path ${m.path}`,
        );
        process.stdout.write(`  ${target}: FAILURE at seed ${m.seed}: ${m.message.slice(0, 200)}\n`);
      } else {
        report.runs = m.runs;
        report.maxMs = m.maxMs;
        report.peakHeap = m.peakHeap;
        if (report.peakHeap > o.heapMb * 2 ** 20)
          report.failures.push(`heap ${mb(report.peakHeap)} over the ${o.heapMb} MB bound`);
        if (m.kind === 'done') finish();
      }
    });
    worker.on('error', (e) => {
      report.failures.push(`worker died: ${e.message} (after ${Atomics.load(header, 0)} inputs)`);
      process.stdout.write(`  ${target}: worker died: ${e.stack ?? e.message}\n`);
      const file = path.join(outDir, `${target.replace(':', '-')}-crash-seed${o.seed}.bin`);
      fs.mkdirSync(outDir, { recursive: true });
      fs.writeFileSync(file, new Uint8Array(shared, 8, Atomics.load(header, 1)));
      report.runs = Atomics.load(header, 0);
      finish();
    });
    worker.on('exit', () => finish());
  });
}

async function main(): Promise<number> {
  const o = parseArgs(process.argv.slice(2));
  process.stdout.write(
    `fuzz: ${o.targets.length} targets × ${o.runs} inputs, seed ${o.seed}, ${o.jobs} workers, seeds cut to ${o.maxSeedBytes || 'whole'} bytes\n`,
  );
  const queue = [...o.targets];
  const reports: TargetReport[] = [];
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: Math.min(o.jobs, queue.length) }, async () => {
      for (let t = queue.shift(); t !== undefined; t = queue.shift()) {
        const r = await runTarget(t, o);
        reports.push(r);
        process.stdout.write(
          `${r.target}: ${r.runs} inputs in ${r.seconds.toFixed(0)} s (${(r.runs / Math.max(r.seconds, 0.001)).toFixed(0)}/s), ` +
            `${r.failures.length} failures, max ${r.maxMs.toFixed(0)} ms per input, peak heap ${mb(r.peakHeap)}\n`,
        );
      }
    }),
  );
  reports.sort((a, b) => o.targets.indexOf(a.target) - o.targets.indexOf(b.target));
  process.stdout.write(`\nsummary (seed ${o.seed}, ${((Date.now() - t0) / 1000).toFixed(0)} s):\n`);
  for (const r of reports) {
    process.stdout.write(
      `  ${r.target.padEnd(24)} ${String(r.runs).padStart(8)} inputs  ${String(r.failures.length).padStart(3)} failures  max ${r.maxMs.toFixed(0).padStart(5)} ms  peak heap ${mb(r.peakHeap)}\n`,
    );
    for (const f of r.failures) process.stdout.write(`    - ${f}\n`);
  }
  return reports.some((r) => r.failures.length > 0 || r.runs < (o.path ? 1 : o.runs)) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`fuzz: ${e instanceof Error ? e.message : e}\n`);
    process.exit(2);
  },
);
