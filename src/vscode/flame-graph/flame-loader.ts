import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import { readConfig } from '../config';
import { statFile } from '../file-stat';
import type { FlameRequest, FlameResult } from './flame-pipeline';
import type { FlameWorkerMessage } from './flame-worker';

/** What a flame graph shows: a profile file mapped onto a workspace folder, and optionally a baseline. */
export interface FlameTarget {
  readonly uri: vscode.Uri;
  /** Folder the profile maps onto (its files are relative to it). */
  readonly folder: vscode.Uri;
  readonly baseline?: vscode.Uri;
}

/**
 * Builds flame graph data off the extension host's thread: a worker
 * (`dist/flame-worker.js`) imports, maps and lays the call tree out in columnar form,
 * and transfers the typed arrays back, so the host only forwards them. Results are
 * cached per (profile, baseline, modification time); the last few are kept.
 */
export class FlameDataLoader implements vscode.Disposable {
  private readonly cache = new Map<string, Promise<FlameResult>>();
  private readonly workers = new Set<Worker>();

  /**
   * @param loaded the loaded profile's own flame data, when it is the target (built by the
   *   loading worker with the same mapping the editor shows: nothing is imported again)
   */
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly loaded: (target: FlameTarget) => FlameResult | undefined = () => undefined,
  ) {}

  /**
   * The flame data of a target (from the cache when the files did not change).
   * @throws Error with the importer's message when the profile cannot be read
   */
  async load(target: FlameTarget): Promise<FlameResult> {
    const own = this.loaded(target);
    if (own) return own;
    const stamp = async (u: vscode.Uri | undefined) =>
      u ? `${u.toString()}@${(await statFile(u)).mtime}` : '';
    const key = `${await stamp(target.uri)}|${await stamp(target.baseline)}|${target.folder.toString()}`;
    let p = this.cache.get(key);
    if (!p) {
      p = this.run(this.request(target));
      this.cache.set(key, p);
      p.catch(() => this.cache.delete(key));
      while (this.cache.size > 3) this.cache.delete(this.cache.keys().next().value as string);
    }
    return p;
  }

  private request(target: FlameTarget): FlameRequest {
    const cfg = readConfig(vscode.workspace.getWorkspaceFolder(target.folder));
    return {
      profilePath: target.uri.fsPath,
      ...(target.baseline ? { baselinePath: target.baseline.fsPath } : {}),
      root: target.folder.fsPath,
      exclude: cfg.exclude,
      pathMappings: cfg.pathMappings,
      ...(cfg.foldedUnit !== 'auto' ? { foldedUnit: cfg.foldedUnit } : {}),
      ...(cfg.pprofSampleType ? { sampleType: cfg.pprofSampleType } : {}),
      ...(cfg.callgrindEvent ? { event: cfg.callgrindEvent } : {}),
      hintRules: cfg.hintRules,
      ...(vscode.workspace.isTrusted ? { perfPath: cfg.perfPath } : {}),
    };
  }

  private run(request: FlameRequest): Promise<FlameResult> {
    return new Promise<FlameResult>((resolve, reject) => {
      const worker = new Worker(vscode.Uri.joinPath(this.extensionUri, 'dist', 'flame-worker.js').fsPath, {
        workerData: request,
      });
      this.workers.add(worker);
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        this.workers.delete(worker);
        void worker.terminate();
        fn();
      };
      worker.on('message', (m: FlameWorkerMessage) =>
        finish(() =>
          m.type === 'done'
            ? resolve(m.result)
            : reject(Object.assign(new Error(m.message), { name: m.name })),
        ),
      );
      worker.on('error', (e) => finish(() => reject(e)));
      worker.on('exit', (code) =>
        finish(() => reject(new Error(`the flame graph worker stopped unexpectedly (exit ${code})`))),
      );
    });
  }

  /** Forgets cached results (after a reload). */
  clear(): void {
    this.cache.clear();
  }

  dispose(): void {
    for (const w of this.workers) void w.terminate();
    this.workers.clear();
    this.cache.clear();
  }
}
