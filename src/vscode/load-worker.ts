/**
 * The profile-loading worker (bundled to `dist/worker.js`, run with
 * worker_threads): imports the profile, indexes the workspace, maps and analyses,
 * off the extension host's thread. It never imports `vscode`. It lives as long as the
 * window (or until a load is cancelled): for each {@link LoadCommand} it answers with
 * progress messages and one `done` or `error`, one load at a time, and it keeps the
 * workspace index in memory between loads, so a reload reads only the files that changed.
 * Terminating the worker cancels the load and frees its memory.
 */

import { parentPort } from 'node:worker_threads';
import { analyzeFiles } from '../node/analyze-files';
import { WorkspaceIndexPool } from '../node/index-pool';
import { transferList } from './flame-graph/flame-pipeline';
import type { LoadCommand, LoadMessage, LoadRequest } from './load-protocol';

function post(m: LoadMessage): void {
  parentPort?.postMessage(m);
}

const indexPool = new WorkspaceIndexPool();

async function load(id: number, req: LoadRequest): Promise<void> {
  let last = 0;
  const { analysis, snapshot, flame } = await analyzeFiles({
    indexPool,
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
        post({ id, type: 'progress', stage: 'reading', bytes, size: req.size });
      }
    },
    onStage: (stage) => post({ id, type: 'progress', stage }),
  });
  if (!snapshot || !flame) throw new Error('the comparison snapshot or the flame data was not built');
  const message: LoadMessage = { id, type: 'done', analysis, snapshot, flame };
  // the flame graph's typed arrays move to the host instead of being copied
  parentPort?.postMessage(message, transferList({ current: flame }));
}

/** Loads run one after the other (the host sends the next only when the last is answered). */
let queue: Promise<void> = Promise.resolve();

parentPort?.on('message', (command: LoadCommand) => {
  if (command.type !== 'load') return;
  queue = queue.then(() =>
    load(command.id, command.request).catch((e: unknown) => {
      const err = e instanceof Error ? e : new Error(String(e));
      const details = (err as { details?: unknown }).details;
      post({
        id: command.id,
        type: 'error',
        name: err.name,
        message: err.message,
        details: Array.isArray(details) ? details.map(String) : err.stack ? [err.stack] : [],
      });
    }),
  );
});
