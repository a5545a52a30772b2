import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { FlameData } from '../../core/flame/flame-data';
import { FunctionKind } from '../../core/flame/flame-data';
import { CommandId } from '../command-ids';
import type { Logger } from '../logger';
import type { FlameDataLoader, FlameTarget } from './flame-loader';
import type { FlameResult } from './flame-pipeline';
import {
  type FlamePlanMark,
  type FlameTestAction,
  type FlameViewOptions,
  type HostMessage,
  type WebviewMessage,
  webviewMessageSchema,
} from './protocol';

/** Where a view gets the shared state it syncs with. */
export interface FlameViewHost {
  readonly loader: FlameDataLoader;
  readonly log: Logger;
  readonly extensionUri: vscode.Uri;
  options(): FlameViewOptions;
  setOptions(options: FlameViewOptions): void;
  planMarks(): readonly FlamePlanMark[];
  /** The Hotspots key of the function under the editor's cursor. */
  highlighted(): string | null;
  /** Whether the Hotspots view knows a key (a loaded profile's hotspot). */
  hasHotspot(key: string): boolean;
}

/** Timing figures a view reports, for the benchmark and the UI check. */
export interface FlameViewTiming {
  /** ms from the data's arrival in the webview to its first paint. */
  firstPaintMs?: number;
  /** Rectangles drawn in the first paint. */
  firstPaintRects?: number;
  /** ms the extension host spent posting the data message. */
  postMs?: number;
  /** ms the worker took, as seen by the host (loading, mapping, building the tree). */
  loadMs?: number;
}

/** The webview HTML: strict CSP with a nonce, only the bundled script and stylesheet. */
export function flameGraphHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'flame-graph.js'));
  const style = webview.asWebviewUri(
    vscode.Uri.joinPath(extensionUri, 'media', 'flame-graph', 'flame-graph.css'),
  );
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>Flame Graph</title>
</head>
<body>
<div id="flame-app" aria-busy="true"></div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

/** The webview options of a flame graph: scripts on, resources only from the bundle and its CSS. */
export function flameGraphWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [
      vscode.Uri.joinPath(extensionUri, 'dist', 'webview'),
      vscode.Uri.joinPath(extensionUri, 'media', 'flame-graph'),
    ],
  };
}

/**
 * One flame graph webview (the panel beside the source, or a custom editor of a
 * profile file): loads its target's data through the worker, sends it, and answers
 * the webview's validated requests (open a function's source, reveal it in the
 * Hotspots view).
 */
export class FlameGraphView implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private result: FlameResult | undefined;
  private pending: HostMessage[] = [];
  private focusKey: string | undefined;
  private generation = 0;
  private nextTestId = 1;
  private readonly tests = new Map<number, (r: Record<string, unknown>) => void>();
  private readonly painted = new vscode.EventEmitter<FlameViewTiming>();
  /** Fires after the webview painted new data for the first time. */
  readonly onDidPaint = this.painted.event;
  private readonly disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;
  /** Timing of the last data shown. */
  readonly timing: FlameViewTiming = {};
  private isDisposed = false;
  /** How many open requests arrived (a reveal in the Hotspots view must not take the focus from them). */
  private opens = 0;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private target: FlameTarget | undefined,
    private readonly host: FlameViewHost,
  ) {
    const webview = panel.webview;
    webview.options = flameGraphWebviewOptions(host.extensionUri);
    webview.html = flameGraphHtml(webview, host.extensionUri);
    this.disposables.push(
      this.painted,
      this.disposed,
      webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidDispose(() => this.dispose()),
    );
    if (target) void this.reload(target);
  }

  /** The profile shown (undefined: nothing loaded). */
  get shows(): FlameTarget | undefined {
    return this.target;
  }

  /** The data shown, once loaded. */
  get data(): FlameResult | undefined {
    return this.result;
  }

  /** Loads (or reloads) a target and sends it. */
  async reload(target: FlameTarget | undefined, focusKey?: string): Promise<void> {
    this.target = target;
    this.focusKey = focusKey;
    const gen = ++this.generation;
    this.result = undefined;
    if (!target) {
      this.post({
        type: 'error',
        message: 'No profile is loaded. Load one with "Hotspot Lens: Load Profile…".',
      });
      return;
    }
    const name = target.uri.path.split('/').pop() ?? target.uri.fsPath;
    this.panel.title = target.baseline ? `Flame Graph: ${name} vs baseline` : `Flame Graph: ${name}`;
    this.post({ type: 'loading', title: name });
    const started = Date.now();
    try {
      const result = await this.host.loader.load(target);
      if (gen !== this.generation || this.isDisposed) return;
      this.timing.loadMs = Date.now() - started;
      this.result = result;
      this.sendData();
    } catch (e) {
      if (gen !== this.generation || this.isDisposed) return;
      const message = e instanceof Error ? e.message : String(e);
      this.host.log.error(`Flame graph of ${target.uri.fsPath}: ${message}`);
      this.post({ type: 'error', message });
    }
  }

  private sendData(): void {
    if (!this.result) return;
    const t0 = performance.now();
    this.post({
      type: 'data',
      data: this.result.current,
      ...(this.result.baseline ? { baseline: this.result.baseline } : {}),
      options: this.host.options(),
      ...(this.focusKey ? { focusHotspotKey: this.focusKey } : {}),
    });
    this.timing.postMs = performance.now() - t0;
    this.post({ type: 'planMarks', marks: this.host.planMarks() });
    this.post({ type: 'highlight', hotspotKey: this.host.highlighted() });
  }

  /** Focuses a function (by Hotspots key) in the view, now or once the data is shown. */
  focus(hotspotKey: string): void {
    this.focusKey = hotspotKey;
    if (this.result) this.post({ type: 'focus', hotspotKey });
  }

  /** Sends a message, queued until the webview said it is ready. */
  post(message: HostMessage): void {
    if (this.isDisposed) return;
    if (!this.ready) {
      if (message.type === 'data' || message.type === 'loading' || message.type === 'error')
        this.pending = this.pending.filter(
          (m) => m.type !== 'data' && m.type !== 'loading' && m.type !== 'error',
        );
      this.pending.push(message);
      return;
    }
    void this.panel.webview.postMessage(message);
  }

  /**
   * Asks the webview to do something through its own code paths and waits for its
   * answer (in-editor tests). Rejects after `timeoutMs`.
   */
  ask(action: FlameTestAction, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    const id = this.nextTestId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.tests.delete(id);
        reject(new Error(`the flame graph webview did not answer ${action.kind} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.tests.set(id, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      this.post({ type: 'test', id, action });
    });
  }

  /**
   * Handles a message as if the webview had sent it (validated the same way).
   * @returns false when the message was rejected
   */
  receive(raw: unknown): Promise<boolean> {
    const parsed = webviewMessageSchema.safeParse(raw);
    if (!parsed.success) {
      this.host.log.warn(`Flame graph: ignored an invalid message from the webview: ${parsed.error.message}`);
      return Promise.resolve(false);
    }
    return this.handle(parsed.data);
  }

  private async handle(m: WebviewMessage): Promise<boolean> {
    switch (m.type) {
      case 'ready': {
        this.ready = true;
        const queued = this.pending;
        this.pending = [];
        for (const q of queued) void this.panel.webview.postMessage(q);
        return true;
      }
      case 'open':
        this.opens++;
        return this.open(m.table === 'baseline' ? this.result?.baseline : this.result?.current, m.func);
      case 'select': {
        const key = this.result?.current.functions.hotspotKeys[m.func];
        if (!key || !this.host.hasHotspot(key)) return false;
        const opens = this.opens;
        await vscode.commands.executeCommand(CommandId.showHotspots, key);
        // give the focus back to the flame graph (keyboard), unless a source opened meanwhile
        if (opens === this.opens && !this.isDisposed) this.panel.reveal(this.panel.viewColumn, false);
        return true;
      }
      case 'painted':
        if (m.phase === 'first') {
          this.timing.firstPaintMs = m.ms;
          this.timing.firstPaintRects = m.rects;
          this.host.log.info(
            `Flame graph painted: ${m.rects} frames in ${m.ms.toFixed(1)} ms after the data arrived (worker ${this.timing.loadMs ?? '?'} ms, posting ${this.timing.postMs?.toFixed(1) ?? '?'} ms on the extension host)`,
          );
          this.painted.fire(this.timing);
        }
        return true;
      case 'testResult': {
        const resolve = this.tests.get(m.id);
        this.tests.delete(m.id);
        resolve?.(m.result);
        return resolve !== undefined;
      }
      case 'options':
        this.host.setOptions({
          orientation: m.orientation,
          collapseLibraryFrames: m.collapseLibraryFrames,
          colorBlindSafe: m.colorBlindSafe,
        });
        return true;
    }
  }

  /** Opens the source of function `func` of a table this view sent: workspace functions only. */
  private async open(data: FlameData | undefined, func: number): Promise<boolean> {
    const f = data?.functions;
    if (!f || !this.target || func >= f.names.length) return false;
    if (f.kinds[func] !== FunctionKind.workspace || !f.files[func]) {
      void vscode.window.showInformationMessage(
        `Hotspot Lens: ${f.names[func]} is not in the workspace${f.libraries[func] ? ` (${f.libraries[func]})` : ''}.`,
      );
      return false;
    }
    const uri = vscode.Uri.joinPath(this.target.folder, f.files[func]);
    const line = Math.max(0, f.lines[func] - 1);
    const column =
      this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
    await vscode.window.showTextDocument(uri, {
      viewColumn: column,
      selection: new vscode.Range(line, 0, line, 0),
      preserveFocus: false,
    });
    return true;
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    this.disposed.fire();
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}
