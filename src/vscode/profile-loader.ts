import fs from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import type { ProfileAnalysis } from '../core/analysis/types';
import type { CompareSnapshot } from '../core/compare/types';
import type { FlameData } from '../core/flame/flame-data';
import { type HotspotLensConfig, readConfig } from './config';
import { statFile } from './file-stat';
import type { LoadCommand, LoadMessage, LoadRequest } from './load-protocol';
import type { Logger } from './logger';

/** Thrown when the user cancels a load (nothing changes in the editor). */
export class LoadCancelledError extends Error {
  override readonly name = 'LoadCancelledError';
}

/** Thrown for a profile the extension refuses before reading (too big, needs trust). */
export class LoadRefusedError extends Error {
  override readonly name = 'LoadRefusedError';
}

const PERF_DATA_MAGIC = 'PERFILE2';

/** A loaded profile: what the editor shows, and its reduction for comparing with another. */
export interface LoadResult {
  readonly analysis: ProfileAnalysis;
  readonly snapshot: CompareSnapshot;
  /** The flame graph's data of this profile (the flame graph view shows it without loading again). */
  readonly flame: FlameData;
}

/**
 * Loads a profile off the extension host's thread: a worker (`dist/worker.js`)
 * imports, indexes the workspace, maps and analyses; the host shows cancellable
 * progress and receives the finished {@link ProfileAnalysis}. The worker lives on between
 * loads with the workspace index in memory (a reload of an unchanged workspace reads no
 * source file). Cancelling terminates the worker, which frees its memory (the next load
 * starts a new one). Only one load runs at a time: starting another cancels the previous one.
 */
export class ProfileLoader implements vscode.Disposable {
  private current: { id: number; cancel: () => void } | undefined;
  private worker: Worker | undefined;
  private nextId = 1;

  /**
   * @param indexCache where the workspace index keeps its per-file results between loads
   *   (the workspace's storage folder) and the extension's version; none when undefined
   */
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Logger,
    private readonly indexCache?: { readonly dir: string; readonly version: string },
  ) {}

  /**
   * Loads `uri`, mapping onto `folder`.
   * @throws LoadCancelledError when cancelled (by the user or by a newer load)
   * @throws LoadRefusedError when the file is over the size limit, or is perf.data in an untrusted workspace
   * @throws Error with the importer's message (names the file, the format and the first problem)
   */
  async load(uri: vscode.Uri, folder: vscode.WorkspaceFolder): Promise<LoadResult> {
    const cfg = readConfig(folder);
    const stat = await statFile(uri);
    const name = uri.path.split('/').pop() ?? uri.fsPath;
    if (stat.size > cfg.maxProfileBytes) {
      throw new LoadRefusedError(
        `${name} is ${(stat.size / 2 ** 20).toFixed(0)} MB, over the limit of ${(cfg.maxProfileBytes / 2 ** 20).toFixed(0)} MB (setting hotspotLens.maxProfileSizeMB).`,
      );
    }
    if (!vscode.workspace.isTrusted && (await this.isPerfData(uri))) {
      throw new LoadRefusedError(
        `${name} is a perf.data file: reading it runs \`perf script\`, which Hotspot Lens does not do in Restricted Mode. Trust the workspace, or run \`perf script -i ${name} > ${name}.perf\` yourself and load that.`,
      );
    }
    const request = this.request(uri, folder, cfg, stat.size);
    this.current?.cancel();
    return vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Hotspot Lens: loading ${name}`,
        cancellable: true,
      },
      (progress, token) =>
        new Promise<LoadResult>((resolve, reject) => {
          const started = Date.now();
          const id = this.nextId++;
          const worker = this.ensureWorker();
          let settled = false;
          let reported = 0;
          const finish = (fn: () => void, stopWorker = false) => {
            if (settled) return;
            settled = true;
            if (this.current?.id === id) this.current = undefined;
            sub.dispose();
            worker.off('message', onMessage);
            worker.off('error', onError);
            worker.off('exit', onExit);
            if (stopWorker) this.stopWorker(worker);
            fn();
          };
          // cancelling stops the worker mid-load (its memory is freed; the next load starts another)
          const cancel = () =>
            finish(() => reject(new LoadCancelledError(`Loading ${name} was cancelled.`)), true);
          this.current = { id, cancel };
          const sub = token.onCancellationRequested(cancel);
          const onMessage = (m: LoadMessage) => {
            if (m.id !== id) return;
            if (m.type === 'progress') {
              if (m.stage === 'reading' && m.bytes !== undefined && m.size) {
                const pct = Math.min(95, (100 * m.bytes) / m.size);
                progress.report({
                  message: `reading ${(m.bytes / 2 ** 20).toFixed(0)} MB`,
                  increment: pct - reported,
                });
                reported = pct;
              } else if (m.stage !== 'reading') {
                progress.report({
                  message: m.stage === 'indexing' ? 'indexing the workspace' : 'mapping frames to source',
                });
              }
            } else if (m.type === 'done') {
              this.log.info(
                `Loaded ${uri.fsPath} (${m.analysis.profile.formatLabel}) in ${Date.now() - started} ms`,
              );
              finish(() => resolve({ analysis: m.analysis, snapshot: m.snapshot, flame: m.flame }));
            } else {
              for (const d of m.details) this.log.debug(d);
              finish(() => reject(Object.assign(new Error(m.message), { name: m.name })));
            }
          };
          const onError = (e: Error) => finish(() => reject(e), true);
          const onExit = (code: number) =>
            finish(() => reject(new Error(`the loading worker stopped unexpectedly (exit ${code})`)), true);
          worker.on('message', onMessage);
          worker.on('error', onError);
          worker.on('exit', onExit);
          worker.postMessage({ type: 'load', id, request } satisfies LoadCommand);
        }),
    );
  }

  /** The loading worker, started when there is none (unref'd: it never keeps the host alive). */
  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(vscode.Uri.joinPath(this.extensionUri, 'dist', 'worker.js').fsPath);
    worker.unref();
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
    });
    this.worker = worker;
    return worker;
  }

  private stopWorker(worker: Worker): void {
    if (this.worker === worker) this.worker = undefined;
    void worker.terminate();
  }

  /** Cancels the load in progress, if any (its worker is terminated, freeing its memory). */
  cancelCurrent(): void {
    this.current?.cancel();
  }

  /** True while a load is in progress. */
  get busy(): boolean {
    return this.current !== undefined;
  }

  private request(
    uri: vscode.Uri,
    folder: vscode.WorkspaceFolder,
    cfg: HotspotLensConfig,
    size: number,
  ): LoadRequest {
    return {
      profilePath: uri.fsPath,
      size,
      root: folder.uri.fsPath,
      exclude: cfg.exclude,
      pathMappings: cfg.pathMappings,
      crateAliases: cfg.crateAliases,
      foldedUnit: cfg.foldedUnit,
      sampleType: cfg.pprofSampleType,
      event: cfg.callgrindEvent,
      hintRules: cfg.hintRules,
      hintMinShare: cfg.hintMinShare,
      allowExternalPrograms: vscode.workspace.isTrusted,
      perfPath: cfg.perfPath,
      ...(this.indexCache ? { indexCache: this.indexCache } : {}),
    };
  }

  private async isPerfData(uri: vscode.Uri): Promise<boolean> {
    if (/perf\.data/.test(uri.path)) return true;
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(uri.fsPath, 'r');
      const head = Buffer.alloc(8);
      await handle.read(head, 0, 8, 0);
      return head.toString('latin1') === PERF_DATA_MAGIC;
    } catch {
      return false;
    } finally {
      await handle?.close();
    }
  }

  dispose(): void {
    this.current?.cancel();
    if (this.worker) this.stopWorker(this.worker);
  }
}
