/**
 * The recording worker (bundled to `dist/record-worker.js`, run with worker_threads by
 * `assessRecordingInWorker`): imports a new recording given as an {@link AssessRequest} in
 * `workerData` and answers once with its total and warnings, or with the error it met, so
 * the editor's thread never imports it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RecordingError } from '../core/record/diagnose';
import { type AssessAnswer, type AssessRequest, assessRecordingFile } from './recorder';

const req = workerData as AssessRequest;
assessRecordingFile(req.profile, req.workload)
  .then((assessment) => parentPort?.postMessage({ ok: true, assessment } satisfies AssessAnswer))
  .catch((e: unknown) => {
    const err = e instanceof Error ? e : new Error(String(e));
    parentPort?.postMessage({
      ok: false,
      name: err.name,
      message: err.message,
      ...(err instanceof RecordingError ? { recordingError: err.failure } : {}),
    } satisfies AssessAnswer);
  });
