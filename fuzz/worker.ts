/**
 * One fuzz target in a worker thread (see `fuzz/run.ts`): runs fast-check in rounds of
 * `round` inputs with seeds `seed`, `seed + 1`, … until `runs` inputs have been run,
 * reports progress, failures and the peak heap to the parent, and keeps the current input
 * in shared memory so the parent can save it if the worker hangs.
 */
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { allTargets } from './targets';

/** What the parent passes in `workerData`. */
export interface WorkerJob {
  readonly target: string;
  readonly seed: number;
  readonly runs: number;
  readonly round: number;
  /** fast-check replay path (with `seed`, reproduces one failure). */
  readonly path?: string;
  readonly maxSeedBytes: number;
  /** [0] = inputs run, [1] = byte length of the current input; then the current input's bytes. */
  readonly shared: SharedArrayBuffer;
  readonly outDir: string;
}

/** Messages to the parent. */
export type WorkerMessage =
  | { readonly kind: 'progress'; readonly runs: number; readonly maxMs: number; readonly peakHeap: number }
  | {
      readonly kind: 'failure';
      readonly seed: number;
      readonly path: string;
      readonly message: string;
      readonly file: string;
      readonly origin: string;
    }
  | { readonly kind: 'done'; readonly runs: number; readonly maxMs: number; readonly peakHeap: number };

const job = workerData as WorkerJob;
const header = new Int32Array(job.shared, 0, 2);
const body = new Uint8Array(job.shared, 8);
const target = allTargets({ maxSeedBytes: job.maxSeedBytes }).find((t) => t.name === job.target);
if (!target) throw new Error(`unknown target ${job.target}`);

let runs = 0;
let maxMs = 0;
let peakHeap = 0;
const heap = () => {
  const used = v8.getHeapStatistics().used_heap_size;
  if (used > peakHeap) peakHeap = used;
};

async function main(t: NonNullable<typeof target>): Promise<void> {
  for (let r = 0; runs < job.runs; r++) {
    const seed = job.seed + r;
    const numRuns = Math.min(job.round, job.runs - runs);
    let last: { origin: string; bytes: Uint8Array } | undefined;
    const result = await fc.check(
      fc.asyncProperty(t.arbitrary, async (input) => {
        last = input;
        header[1] = Math.min(input.bytes.byteLength, body.byteLength);
        body.set(input.bytes.subarray(0, body.byteLength));
        const stats = await t.run(input);
        Atomics.add(header, 0, 1);
        if (stats.ms > maxMs) maxMs = stats.ms;
      }),
      { seed, numRuns, ...(job.path ? { path: job.path } : {}), endOnFailure: true },
    );
    runs += result.numRuns;
    heap();
    if (result.failed) {
      const input = result.counterexample?.[0] ?? last;
      const file = path.join(job.outDir, `${t.name.replace(':', '-')}-seed${seed}.bin`);
      fs.mkdirSync(job.outDir, { recursive: true });
      if (input) fs.writeFileSync(file, input.bytes);
      const err = result.errorInstance;
      parentPort?.postMessage({
        kind: 'failure',
        seed,
        path: result.counterexamplePath ?? '',
        message: err instanceof Error ? err.message : String(err),
        file,
        origin: input?.origin ?? '',
      } satisfies WorkerMessage);
    }
    parentPort?.postMessage({ kind: 'progress', runs, maxMs, peakHeap } satisfies WorkerMessage);
    if (job.path) break;
  }
  parentPort?.postMessage({ kind: 'done', runs, maxMs, peakHeap } satisfies WorkerMessage);
}

void main(target);
