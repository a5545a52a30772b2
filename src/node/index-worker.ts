/**
 * The index worker (bundled to `dist/index-worker.js`, run with worker_threads by
 * `WorkspaceIndexPool`): parses a share of the source files a workspace index build has to
 * parse (an {@link IndexWorkerRequest} in `workerData`), with its own tree-sitter parsers,
 * and answers once with their definitions, or with the error that stopped it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createSourceParsers } from '../core/mapping/parsers';
import { indexSourceFiles } from '../core/mapping/workspace-index';
import type { IndexWorkerAnswer, IndexWorkerRequest } from './index-pool';
import { createNodeWorkspaceFs, loadNodeParserAssets } from './workspace-fs';

const req = workerData as IndexWorkerRequest;
(async () => {
  const fs = createNodeWorkspaceFs(req.root, req.exclude ? { exclude: req.exclude } : {});
  const parsed = await indexSourceFiles(fs, await createSourceParsers(loadNodeParserAssets()), req.files);
  parentPort?.postMessage({ ok: true, parsed } satisfies IndexWorkerAnswer);
})().catch((e: unknown) => {
  const err = e instanceof Error ? e : new Error(String(e));
  parentPort?.postMessage({ ok: false, name: err.name, message: err.message } satisfies IndexWorkerAnswer);
});
