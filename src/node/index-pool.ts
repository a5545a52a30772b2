import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { createSourceParsers, type SourceParsers } from '../core/mapping/parsers';
import { type ParsedSourceFiles, type ParseElsewhere, WorkspaceIndex } from '../core/mapping/workspace-index';
import {
  createNodeWorkspaceFs,
  type FileIndexCache,
  loadIndexCache,
  loadNodeParserAssets,
} from './workspace-fs';

/** Which workspace index {@link WorkspaceIndexPool.index} returns. */
export interface IndexRequest {
  /** Absolute path of the workspace folder. */
  readonly root: string;
  /** Globs excluded from the index (undefined: the defaults of `createNodeWorkspaceFs`). */
  readonly exclude?: readonly string[];
  /** The on-disk cache (directory and the version that writes it); in memory only when undefined. */
  readonly indexCache?: { readonly dir: string; readonly version: string };
}

/** What the index worker (`dist/index-worker.js`) is asked to parse. */
export interface IndexWorkerRequest {
  /** Absolute path of the workspace folder. */
  readonly root: string;
  readonly exclude?: readonly string[];
  /** Workspace-relative source files. */
  readonly files: readonly string[];
}

/** What the index worker answers. */
export type IndexWorkerAnswer =
  | { readonly ok: true; readonly parsed: ParsedSourceFiles }
  | { readonly ok: false; readonly name: string; readonly message: string };

/** Options of {@link WorkspaceIndexPool}. */
export interface IndexPoolOptions {
  /** The index worker's script (default: `index-worker.js` beside this bundle; none: parse on this thread only). */
  readonly workerPath?: string;
  /**
   * With at least this many files to parse, half of them are parsed in the index worker
   * meanwhile (default 200: below it the worker's start and its own parsers' set-up, a few
   * hundred ms, cost more than they save). Only on a machine with more than one CPU.
   */
  readonly minFilesForWorker?: number;
}

/**
 * Keeps the workspace index of the last folder loaded in memory, for a process that loads
 * again and again (the editor's loading worker, which lives as long as the window; an MCP
 * server). A load of the same folder lists and stats its files and reads only those that
 * changed since; when none did, the very index of the last load comes back with its lookup
 * tables already derived. The first load of a folder starts from the on-disk cache (see
 * `loadIndexCache`), so only the first load of a window pays for reading it.
 *
 * One folder is kept: loading another replaces it (and frees the old one).
 */
export class WorkspaceIndexPool {
  private parsers: Promise<SourceParsers> | undefined;

  /** @param options where the index worker is, and from how many files it helps */
  constructor(private readonly options: IndexPoolOptions = {}) {}
  private kept: { readonly key: string; readonly cache: FileIndexCache; index: WorkspaceIndex } | undefined;

  /**
   * The index of `request.root`, built or brought up to date.
   * @throws Error when a tree-sitter wasm asset cannot be found (names where it looked)
   */
  async index(request: IndexRequest): Promise<WorkspaceIndex> {
    const key = JSON.stringify([request.root, request.exclude ?? null, request.indexCache ?? null]);
    this.parsers ??= createSourceParsers(loadNodeParserAssets());
    const parsers = await this.parsers;
    const kept = this.kept?.key === key ? this.kept : undefined;
    const cache =
      kept?.cache ?? loadIndexCache(request.indexCache?.dir, request.root, request.indexCache?.version ?? '');
    const files = createNodeWorkspaceFs(request.root, request.exclude ? { exclude: request.exclude } : {});
    const index = await WorkspaceIndex.build(files, parsers, cache, kept?.index, this.elsewhere(request));
    await cache.save();
    this.kept = { key, cache, index };
    return index;
  }

  /** The index worker as a {@link ParseElsewhere}, when its script is there and there are CPUs for it. */
  private elsewhere(request: IndexRequest): ParseElsewhere | undefined {
    const workerPath = this.options.workerPath ?? path.join(__dirname, 'index-worker.js');
    if (os.availableParallelism() < 2 || !fs.existsSync(workerPath)) return undefined;
    return {
      minFiles: this.options.minFilesForWorker ?? 200,
      parse: (files) =>
        new Promise<ParsedSourceFiles>((resolve, reject) => {
          const worker = new Worker(workerPath, {
            workerData: {
              root: request.root,
              ...(request.exclude ? { exclude: request.exclude } : {}),
              files,
            } satisfies IndexWorkerRequest,
          });
          worker.once('message', (a: IndexWorkerAnswer) => {
            void worker.terminate();
            if (a.ok) resolve(a.parsed);
            else reject(Object.assign(new Error(a.message), { name: a.name }));
          });
          worker.once('error', reject);
          worker.once('exit', (code) => reject(new Error(`the index worker stopped (exit ${code})`)));
        }),
    };
  }
}
