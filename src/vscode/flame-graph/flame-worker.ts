/**
 * The flame graph worker (bundled to `dist/flame-worker.js`, run with worker_threads):
 * receives one {@link FlameRequest} as workerData, answers with one `done` (the
 * typed arrays transferred, not copied) or one `error`. Never imports `vscode`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { computeFlameData, type FlameRequest, type FlameResult, transferList } from './flame-pipeline';

/** Worker → host. */
export type FlameWorkerMessage =
  | { readonly type: 'done'; readonly result: FlameResult }
  | { readonly type: 'error'; readonly name: string; readonly message: string };

computeFlameData(workerData as FlameRequest).then(
  (result) => {
    const m: FlameWorkerMessage = { type: 'done', result };
    parentPort?.postMessage(m, transferList(result));
  },
  (e: unknown) => {
    const err = e instanceof Error ? e : new Error(String(e));
    const m: FlameWorkerMessage = { type: 'error', name: err.name, message: err.message };
    parentPort?.postMessage(m);
  },
);
