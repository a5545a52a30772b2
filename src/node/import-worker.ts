/**
 * The import worker (bundled to `dist/import-worker.js`, run with worker_threads by
 * `parallel-import.ts`): reads one part of a large `perf script` file (an
 * {@link ImportPartRequest} in `workerData`) and answers with its piece of the profile, or
 * with the error it met, once.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ImportError } from '../core/importers/import-error';
import { importFromPerfScript } from '../core/importers/perf-script';
import { profileFields, stackTableOf } from '../core/profile/model';
import { fileRangeInput } from './file-input';
import { type ImportPartAnswer, type ImportPartRequest, PART_LINE_CACHE_BYTES } from './parallel-import';

const req = workerData as ImportPartRequest;
importFromPerfScript(
  fileRangeInput(req.path, req.start, req.end, req.name),
  {},
  { whole: false, firstEvent: req.firstEvent, lineCacheBytes: PART_LINE_CACHE_BYTES },
)
  .then((profile) => {
    // the stacks go as their columns, moved rather than copied (never as one object per stack)
    const stacks = stackTableOf(profile);
    const answer: ImportPartAnswer = { ok: true, profile: profileFields(profile), stacks };
    const buffers = new Set<ArrayBuffer>();
    for (const a of [stacks.frames, stacks.starts, stacks.weights, stacks.threads])
      if (a.buffer instanceof ArrayBuffer) buffers.add(a.buffer);
    parentPort?.postMessage(answer, [...buffers]);
  })
  .catch((e: unknown) => {
    const err = e instanceof Error ? e : new Error(String(e));
    const answer: ImportPartAnswer = {
      ok: false,
      name: err.name,
      message: err.message,
      ...(err instanceof ImportError
        ? {
            importError: {
              format: err.format,
              file: err.file,
              problem: err.problem,
              ...(err.location.line !== undefined ? { line: err.location.line } : {}),
            },
          }
        : {}),
    };
    parentPort?.postMessage(answer);
  });
