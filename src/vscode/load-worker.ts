/**
 * The profile-loading worker (bundled to `dist/worker.js`, run with
 * worker_threads): imports the profile, indexes the workspace, maps and analyses,
 * off the extension host's thread. It never imports `vscode`; it receives one
 * {@link LoadRequest} and answers with progress messages and one `done` or `error`.
 * Terminating the worker cancels the load and frees its memory.
 */

import { parentPort, workerData } from 'node:worker_threads';
import { analyzeFiles } from '../node/analyze-files';
import { transferList } from './flame-graph/flame-pipeline';
import type { LoadMessage, LoadRequest } from './load-protocol';

function post(m: LoadMessage): void {
  parentPort?.postMessage(m);
}

async function load(req: LoadRequest): Promise<void> {
  let last = 0;
  const { analysis, snapshot, flame } = await analyzeFiles({
    snapshot: true,
    flame: true,
    profilePath: req.profilePath,
    root: req.root,
    exclude: req.exclude,
    pathMappings: req.pathMappings,
    crateAliases: req.crateAliases,
    ...(req.indexCache ? { indexCache: req.indexCache } : {}),
    ...(req.foldedUnit !== 'auto' ? { foldedUnit: req.foldedUnit } : {}),
    ...(req.sampleType ? { sampleType: req.sampleType } : {}),
    ...(req.event ? { event: req.event } : {}),
    hintRules: req.hintRules,
    hintMinSharePercent: req.hintMinShare,
    ...(req.allowExternalPrograms ? { perfPath: req.perfPath } : {}),
    onProgress: (bytes) => {
      if (bytes - last >= 4 << 20) {
        last = bytes;
        post({ type: 'progress', stage: 'reading', bytes, size: req.size });
      }
    },
    onStage: (stage) => post({ type: 'progress', stage }),
  });
  if (!snapshot || !flame) throw new Error('the comparison snapshot or the flame data was not built');
  const message: LoadMessage = { type: 'done', analysis, snapshot, flame };
  // the flame graph's typed arrays move to the host instead of being copied
  parentPort?.postMessage(message, transferList({ current: flame }));
}

load(workerData as LoadRequest).catch((e: unknown) => {
  const err = e instanceof Error ? e : new Error(String(e));
  const details = (err as { details?: unknown }).details;
  post({
    type: 'error',
    name: err.name,
    message: err.message,
    details: Array.isArray(details) ? details.map(String) : err.stack ? [err.stack] : [],
  });
});
