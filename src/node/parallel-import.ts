import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ImportError } from '../core/importers/import-error';
import { readHead } from '../core/importers/input';
import {
  importFromPerfScript,
  mergePerfScriptParts,
  perfScriptFirstEvent,
} from '../core/importers/perf-script';
import type { ImportOptions, ProfileImporter, ProfileInput } from '../core/importers/types';
import { type Profile, profileWithStacks, type StackTable } from '../core/profile/model';
import { fileRangeInput } from './file-input';

/** What the import worker (`dist/import-worker.js`) is asked: one part of a perf script file. */
export interface ImportPartRequest {
  readonly path: string;
  /** The whole file's name, for messages. */
  readonly name: string;
  /** 0-based byte offsets of the part, `[start, end)`. */
  readonly start: number;
  readonly end: number;
  readonly firstEvent: string | undefined;
}

/** What the import worker answers. */
export type ImportPartAnswer =
  | {
      readonly ok: true;
      /** The part's profile but its stacks, which come as {@link stacks}. */
      readonly profile: Omit<Profile, 'stacks'>;
      readonly stacks: StackTable;
    }
  | {
      readonly ok: false;
      readonly name: string;
      readonly message: string;
      /** For an ImportError: its parts, to rebuild it with the line in the whole file. */
      readonly importError?: { format: string; file: string; problem: string; line?: number };
    };

/** Options of {@link parallelImporter}. */
export interface ParallelImportOptions {
  /** The import worker's script (default: `import-worker.js` beside this bundle). */
  readonly workerPath?: string;
  /**
   * Files smaller than this (bytes) are read at once (default 256 MiB: below it a second
   * thread's start and its own JIT warm-up cost more than they save; measured on 2 CPUs, a
   * 100 MB file took 0.65 s in two parts and 0.55 s at once, a 1 GB file 1.9 s and 2.2 s).
   */
  readonly minBytes?: number;
  /** At most this many parts (default: the CPUs available, at most 4). */
  readonly maxParts?: number;
  /** Parts are at least this big (bytes; default 128 MiB). */
  readonly minPartBytes?: number;
}

const MIN_PART_BYTES = 128 * 1024 * 1024;

/**
 * The line cache of each part read in parallel (bytes; see `PerfScriptReadOptions`): smaller
 * than a whole read's, since each thread has its own. Lines it forgets are found again by
 * their symbol and dso without parsing, so this costs little time: measured on 2 CPUs with a
 * 1 GB file, peak memory went from 181 MiB (16 MiB per part) to 122 MiB, CPU time up ~5%.
 */
export const PART_LINE_CACHE_BYTES = 2 * 1024 * 1024;
/** How far past a split point a sample boundary is looked for (a sample of 100,000 frames fits). */
const BOUNDARY_SEARCH_BYTES = 16 * 1024 * 1024;

/**
 * The `importInParallel` hook of `importProfile` for a file on disk: a large `perf script`
 * file is cut at sample boundaries into parts read at the same time, the first on this
 * thread and the others in worker threads (`dist/import-worker.js`), then merged
 * (`mergePerfScriptParts`) into the very profile reading it at once gives. Other formats,
 * small files, a single CPU, a missing worker script or a file without a sample boundary
 * near a split point: undefined (the caller reads the file at once).
 * @param filePath absolute path of the profile
 * @returns the hook; its promise rejects with the parts' first ImportError (its line counted
 *   in the whole file), or ImportCancelledError when `options.signal` fires
 */
export function parallelImporter(
  filePath: string,
  options: ParallelImportOptions = {},
): (
  input: ProfileInput,
  importer: ProfileImporter,
  importOptions: ImportOptions,
) => Promise<Profile | undefined> {
  return async (input, importer, importOptions) => {
    const size = input.size;
    if (importer.id !== 'perf-script' || size === undefined) return undefined;
    const workerPath = options.workerPath ?? path.join(__dirname, 'import-worker.js');
    const maxParts = Math.min(
      options.maxParts ?? Math.min(4, os.availableParallelism()),
      Math.floor(size / (options.minPartBytes ?? MIN_PART_BYTES)),
    );
    if (size < (options.minBytes ?? 256 * 1024 * 1024) || maxParts < 2 || !fs.existsSync(workerPath))
      return undefined;
    const firstEvent = perfScriptFirstEvent(await readHead(input));
    if (firstEvent === undefined) return undefined;
    const cuts = sampleBoundaries(filePath, size, maxParts);
    if (cuts.length === 0) return undefined;
    const bounds = [0, ...cuts, size];
    const parts = bounds.slice(0, -1).map((start, i) => ({ start, end: bounds[i + 1] }));
    const workers: Worker[] = [];
    try {
      const read = parts.map((p, i) => {
        if (i === 0) {
          // progress: the parts advance together, so this part's share stands for the whole
          const scale = size / (p.end - p.start);
          const onProgress = importOptions.onProgress;
          return importFromPerfScript(
            fileRangeInput(filePath, p.start, p.end, input.name),
            {
              ...importOptions,
              ...(onProgress ? { onProgress: (b: number) => onProgress(Math.min(size, b * scale)) } : {}),
            },
            { whole: false, firstEvent, lineCacheBytes: PART_LINE_CACHE_BYTES },
          );
        }
        const request: ImportPartRequest = { path: filePath, name: input.name, ...p, firstEvent };
        const worker = new Worker(workerPath, { workerData: request });
        workers.push(worker);
        return new Promise<Profile>((resolve, reject) => {
          worker.once('message', (a: ImportPartAnswer) => {
            if (a.ok) resolve(profileWithStacks(a.profile, a.stacks));
            else if (a.importError) {
              const e = a.importError;
              const line = e.line === undefined ? undefined : e.line + countLines(filePath, p.start);
              reject(new ImportError(e.format, e.file, e.problem, line === undefined ? {} : { line }));
            } else reject(Object.assign(new Error(a.message), { name: a.name }));
          });
          worker.once('error', reject);
          worker.once('exit', (code) => reject(new Error(`the import worker stopped (exit ${code})`)));
        });
      });
      const profiles = await Promise.all(read);
      return mergePerfScriptParts(input.name, profiles);
    } finally {
      for (const w of workers) void w.terminate();
    }
  };
}

/**
 * Where a perf script file can be cut into `parts` parts of about equal size: offsets just
 * after a blank line (`\n\n` or `\n\r\n`) that a sample header follows, ascending; empty when
 * no such place is found near a split point.
 */
function sampleBoundaries(filePath: string, size: number, parts: number): number[] {
  const fd = fs.openSync(filePath, 'r');
  try {
    const cuts: number[] = [];
    const buf = Buffer.alloc(1 << 20);
    for (let k = 1; k < parts; k++) {
      const target = splitPoint(size, k, parts);
      let pos = target;
      let found = -1;
      while (found < 0 && pos < size && pos - target < BOUNDARY_SEARCH_BYTES) {
        const n = fs.readSync(fd, buf, 0, buf.length, pos);
        if (n <= 0) break;
        for (let i = buf.indexOf(10); i >= 0 && i + 3 < n; i = buf.indexOf(10, i + 1)) {
          const next = buf[i + 1] === 10 ? i + 2 : buf[i + 1] === 13 && buf[i + 2] === 10 ? i + 3 : -1;
          // a header follows: not a frame (tab), srcline (space), comment or another blank line
          if (next > 0 && next < n && ![9, 32, 10, 13, 35].includes(buf[next])) {
            found = pos + next;
            break;
          }
        }
        if (pos + n >= size) break; // the end of the file: no header follows
        pos += n - 3;
      }
      if (found < 0 || found >= size) return [];
      if (cuts.length === 0 || found > cuts[cuts.length - 1]) cuts.push(found);
    }
    return cuts;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Where the `k`-th of `parts - 1` cuts of a file of `size` bytes goes: the first part, read
 * on the calling thread, is larger by {@link FIRST_PART_EXTRA} of the file, since the
 * workers start later and read no faster; the other parts share the rest equally.
 */
function splitPoint(size: number, k: number, parts: number): number {
  const first = 1 / parts + FIRST_PART_EXTRA;
  return Math.floor(size * (first + ((1 - first) * (k - 1)) / (parts - 1)));
}

/**
 * Extra share of the file given to the first part (see {@link splitPoint}): measured on
 * 2 CPUs with a 1 GB file, the worker's equal half finished 80–180 ms after this thread's.
 */
const FIRST_PART_EXTRA = 0.025;

/** Number of line ends in the first `end` bytes of a file (to turn a part's line into the file's). */
function countLines(filePath: string, end: number): number {
  const fd = fs.openSync(filePath, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    let lines = 0;
    for (let pos = 0; pos < end; ) {
      const n = fs.readSync(fd, buf, 0, Math.min(buf.length, end - pos), pos);
      if (n <= 0) break;
      for (let i = buf.indexOf(10); i >= 0 && i < n; i = buf.indexOf(10, i + 1)) lines++;
      pos += n;
    }
    return lines;
  } finally {
    fs.closeSync(fd);
  }
}
