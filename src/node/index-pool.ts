import { createSourceParsers, type SourceParsers } from '../core/mapping/parsers';
import { WorkspaceIndex } from '../core/mapping/workspace-index';
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
    const fs = createNodeWorkspaceFs(request.root, request.exclude ? { exclude: request.exclude } : {});
    const index = await WorkspaceIndex.build(fs, parsers, cache, kept?.index);
    await cache.save();
    this.kept = { key, cache, index };
    return index;
  }
}
