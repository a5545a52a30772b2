import * as vscode from 'vscode';
import type { Logger } from '../logger';
import type { Session } from '../session';
import { FlameDataLoader, type FlameTarget } from './flame-loader';
import { FlameGraphView, type FlameViewHost, flameGraphWebviewOptions } from './flame-view';
import type { FlamePlanMark, FlameViewOptions } from './protocol';

/** The custom editor's view type (package.json `customEditors`). */
export const FLAME_GRAPH_EDITOR = 'hotspotLens.flameGraph';
const PANEL_TYPE = 'hotspotLens.flameGraphPanel';
/** Files offered as baselines: the formats Hotspot Lens imports. */
const PROFILE_GLOB =
  '**/{*.folded,*.collapsed,*.perf,*.perf-script,*.cpuprofile,*.svg,*.pb,*.pb.gz,*.callgrind,callgrind.out*,*.speedscope.json,perf.data*,dhat*.json,*.json.gz}';

/** Arguments of `hotspotLens.showFlameGraph` (all optional). */
export interface ShowFlameGraphArgs {
  /** Profile file to show (default: the loaded profile). */
  readonly profile?: vscode.Uri | string;
  /** Baseline profile for the differential mode. */
  readonly baseline?: vscode.Uri | string;
  /** Hotspots key of a function to focus once drawn. */
  readonly focus?: string;
}

function toUri(u: vscode.Uri | string | undefined): vscode.Uri | undefined {
  if (u === undefined) return undefined;
  if (u instanceof vscode.Uri) return u;
  return /^[a-z][\w+.-]*:/i.test(u) && !/^[a-z]:[\\/]/i.test(u) ? vscode.Uri.parse(u) : vscode.Uri.file(u);
}

/**
 * The flame graph feature: the panel beside the source (`Show Flame Graph`), the
 * read-only custom editor for profile files, and the sync of every open view with the
 * editor's cursor (its hot function highlighted) and the plans (section marks).
 */
export class FlameGraphController
  implements vscode.CustomReadonlyEditorProvider<vscode.CustomDocument>, vscode.Disposable
{
  readonly loader: FlameDataLoader;
  private panelView: FlameGraphView | undefined;
  private readonly views = new Set<FlameGraphView>();
  private readonly disposables: vscode.Disposable[] = [];
  private viewOptions: FlameViewOptions;
  private highlightKey: string | null = null;
  private highlightTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly opened = new vscode.EventEmitter<FlameGraphView>();
  /** Fires when a flame graph view is created (panel or custom editor). */
  readonly onDidOpenView = this.opened.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly session: Session,
    private readonly log: Logger,
  ) {
    this.loader = new FlameDataLoader(extensionUri, (target) => {
      const p = session.profile;
      return p?.flame && !target.baseline && target.uri.toString() === p.uri.toString()
        ? { current: p.flame }
        : undefined;
    });
    this.viewOptions = readOptions();
    this.disposables.push(
      this.loader,
      this.opened,
      session.onDidChange((change) => {
        if (change === 'profile') void this.followSession();
        if (change === 'plans' || change === 'profile') this.broadcastPlanMarks();
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => this.onSelection(e.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((e) => e && this.onSelection(e)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('hotspotLens.flameGraph')) return;
        this.viewOptions = readOptions();
        for (const v of this.views) v.post({ type: 'options', options: this.viewOptions });
      }),
    );
  }

  /** Every open flame graph view. */
  get openViews(): readonly FlameGraphView[] {
    return [...this.views];
  }

  /** The panel beside the source, when open. */
  get panel(): FlameGraphView | undefined {
    return this.panelView;
  }

  /**
   * Shows the flame graph panel beside the source: of the loaded profile, or of the
   * given file(s); focuses a function when asked.
   */
  async show(args?: ShowFlameGraphArgs | vscode.Uri): Promise<FlameGraphView | undefined> {
    const a: ShowFlameGraphArgs = args instanceof vscode.Uri ? { profile: args } : (args ?? {});
    const target = this.targetFor(toUri(a.profile), toUri(a.baseline));
    if (!target) {
      void vscode.window.showInformationMessage(
        'Hotspot Lens: load a profile first ("Hotspot Lens: Load Profile…"), then show its flame graph.',
      );
      return undefined;
    }
    if (!this.panelView) {
      const panel = vscode.window.createWebviewPanel(
        PANEL_TYPE,
        'Flame Graph',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
        { retainContextWhenHidden: true, ...flameGraphWebviewOptions(this.extensionUri) },
      );
      panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'hotspot-lens.svg');
      const view = this.track(new FlameGraphView(panel, undefined, this.host()));
      this.panelView = view;
      view.onDidDispose(() => {
        if (this.panelView === view) this.panelView = undefined;
      });
    } else this.panelView.panel.reveal(undefined, false);
    const view = this.panelView;
    const same =
      view.shows?.uri.toString() === target.uri.toString() &&
      view.shows?.baseline?.toString() === target.baseline?.toString();
    if (same && view.data) {
      if (a.focus) view.focus(a.focus);
    } else await view.reload(target, a.focus);
    return view;
  }

  /**
   * Asks for a baseline profile (the workspace's profile files, or any file) and shows
   * the differential flame graph of the loaded profile against it.
   */
  async compareWith(): Promise<FlameGraphView | undefined> {
    const loaded = this.session.profile;
    if (!loaded) {
      void vscode.window.showInformationMessage(
        'Hotspot Lens: load a profile first, then compare it with a baseline.',
      );
      return undefined;
    }
    const files = await vscode.workspace.findFiles(
      new vscode.RelativePattern(loaded.folder, PROFILE_GLOB),
      '**/{node_modules,target,.git}/**',
      500,
    );
    type Item = vscode.QuickPickItem & { uri?: vscode.Uri };
    const items: Item[] = files
      .filter((u) => u.toString() !== loaded.uri.toString())
      .map((u) => ({ label: vscode.workspace.asRelativePath(u, false), uri: u }))
      .sort((a, b) => a.label.localeCompare(b.label));
    items.push({ label: '$(folder-opened) Browse…' });
    const choice = await vscode.window.showQuickPick(items, {
      title: 'Differential Flame Graph: choose the baseline profile',
      placeHolder: 'The profile to compare the loaded one with (before the change)',
    });
    if (!choice) return undefined;
    const baseline =
      choice.uri ??
      (await vscode.window.showOpenDialog({ canSelectMany: false, title: 'Baseline profile' }))?.[0];
    return baseline ? this.show({ baseline }) : undefined;
  }

  /** Shows the panel and focuses a function by its Hotspots key (the CodeLens and hover entry point). */
  async focusFunction(key: unknown): Promise<void> {
    if (typeof key !== 'string' || key === '') return;
    await this.show({ focus: key });
  }

  private targetFor(uri: vscode.Uri | undefined, baseline: vscode.Uri | undefined): FlameTarget | undefined {
    const loaded = this.session.profile;
    const profile = uri ?? loaded?.uri;
    if (!profile) return undefined;
    const folder =
      !uri || uri.toString() === loaded?.uri.toString()
        ? loaded?.folder.uri
        : (vscode.workspace.getWorkspaceFolder(uri)?.uri ?? loaded?.folder.uri);
    // the session's baseline (Compare with Baseline…) makes the loaded profile's graph
    // differential, when the baseline is another file (a re-profile overwrote its own)
    const sessionBaseline = this.session.baseline?.uri;
    const differential =
      baseline ??
      (profile.toString() === loaded?.uri.toString() &&
      sessionBaseline &&
      sessionBaseline.toString() !== profile.toString()
        ? sessionBaseline
        : undefined);
    return {
      uri: profile,
      folder: folder ?? vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.joinPath(profile, '..'),
      ...(differential ? { baseline: differential } : {}),
    };
  }

  private async followSession(): Promise<void> {
    const view = this.panelView;
    if (!view) return;
    const loaded = this.session.profile;
    this.loader.clear();
    if (!loaded) await view.reload(undefined);
    else
      await view.reload({
        uri: loaded.uri,
        folder: loaded.folder.uri,
        ...(view.shows?.baseline ? { baseline: view.shows.baseline } : {}),
      });
  }

  // custom editor ("Open With… Flame Graph")
  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => {} };
  }

  resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): void {
    const target = this.targetFor(document.uri, undefined);
    this.track(new FlameGraphView(panel, target, this.host()));
  }

  private track(view: FlameGraphView): FlameGraphView {
    this.views.add(view);
    view.onDidDispose(() => this.views.delete(view));
    this.opened.fire(view);
    return view;
  }

  private host(): FlameViewHost {
    return {
      loader: this.loader,
      log: this.log,
      extensionUri: this.extensionUri,
      options: () => this.viewOptions,
      setOptions: (o) => {
        this.viewOptions = o;
      },
      planMarks: () => this.planMarks(),
      highlighted: () => this.highlightKey,
      hasHotspot: (key) => this.session.profile?.analysis.hotspots.some((h) => h.key === key) ?? false,
    };
  }

  private planMarks(): FlamePlanMark[] {
    const out: FlamePlanMark[] = [];
    for (const h of this.session.profile?.analysis.hotspots ?? []) {
      const links = this.session.planLinksFor(h);
      if (links.length > 0)
        out.push({ hotspotKey: h.key, sections: [...new Set(links.map((l) => l.section))] });
    }
    return out;
  }

  private broadcastPlanMarks(): void {
    if (this.views.size === 0) return;
    const marks = this.planMarks();
    for (const v of this.views) v.post({ type: 'planMarks', marks });
  }

  private onSelection(editor: vscode.TextEditor): void {
    if (this.views.size === 0 || editor.document.uri.scheme === 'output') return;
    if (this.highlightTimer) clearTimeout(this.highlightTimer);
    this.highlightTimer = setTimeout(() => {
      const line = editor.selection.active.line + 1;
      let best: { key: string; span: number } | undefined;
      for (const f of this.session.functionsIn(editor.document.uri)) {
        if (line < f.line || line > f.endLine) continue;
        const span = f.endLine - f.line;
        if (!best || span < best.span) best = { key: f.key, span };
      }
      const key = best?.key ?? null;
      if (key === this.highlightKey) return;
      this.highlightKey = key;
      for (const v of this.views) v.post({ type: 'highlight', hotspotKey: key });
    }, 80);
  }

  dispose(): void {
    if (this.highlightTimer) clearTimeout(this.highlightTimer);
    for (const v of [...this.views]) v.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function readOptions(): FlameViewOptions {
  const c = vscode.workspace.getConfiguration('hotspotLens.flameGraph');
  return {
    orientation: c.get<'flame' | 'icicle'>('orientation') === 'icicle' ? 'icicle' : 'flame',
    collapseLibraryFrames: c.get<boolean>('collapseLibraryFrames') ?? false,
    colorBlindSafe: c.get<boolean>('colorBlindSafe') ?? false,
  };
}
