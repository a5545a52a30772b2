import * as vscode from 'vscode';
import { excludeGlob, type HotspotLensConfig, readConfig } from './config';
import { statFile } from './file-stat';
import { type Logger, reportError } from './logger';
import { LoadCancelledError, LoadRefusedError, type ProfileLoader } from './profile-loader';
import type { Baseline, LoadedProfile, Session } from './session';

/** How many earlier loads of this window *Compare with Baseline…* offers. */
const RECENT_LOADS = 5;

const LAST_PROFILE_KEY = 'hotspotLens.lastProfile';
const REVEALED_KEY = 'hotspotLens.viewsRevealed';
/** The variable `hotspotLens.pathMappings` values may use for the folder's path. */
const WORKSPACE_FOLDER = ['$', '{workspaceFolder}'].join('');

/**
 * Loading, reloading and clearing the profile, and watching its file: the
 * commands' logic, kept apart from their registration in `extension.ts`.
 * A failed or cancelled load leaves the previous profile in place (never a
 * half-loaded state).
 */
export class ProfileController implements vscode.Disposable {
  private watcher: vscode.FileSystemWatcher | undefined;
  private reloadTimer: NodeJS.Timeout | undefined;
  /** Profiles loaded earlier in this window, newest first (offered as baselines). */
  private recent: { profile: LoadedProfile; label: string }[] = [];

  constructor(
    private readonly session: Session,
    private readonly loader: ProfileLoader,
    private readonly log: Logger,
    private readonly memento: vscode.Memento,
  ) {}

  /**
   * "Load Profile…": loads `uri` when given (explorer/editor context menus), else
   * offers the profile files found in the workspace plus a file dialog.
   */
  async pickAndLoad(uri?: vscode.Uri): Promise<void> {
    const target = uri instanceof vscode.Uri ? uri : await this.pick();
    if (target instanceof vscode.Uri) await this.load(target);
  }

  /**
   * Loads a profile and replaces the session's profile when it succeeds.
   * `reprofile`: the loaded file changed on disk (its previous result becomes the baseline when
   * `hotspotLens.compare.autoBaseline` is on); `previousAsBaseline`: a new recording, compared
   * with the profile loaded before it.
   * @returns true when loaded; false when cancelled or failed (the error was shown)
   */
  async load(
    uri: vscode.Uri,
    options: { quiet?: boolean; reprofile?: boolean; previousAsBaseline?: boolean } = {},
  ): Promise<boolean> {
    const folder = vscode.workspace.getWorkspaceFolder(uri) ?? vscode.workspace.workspaceFolders?.[0];
    if (!folder) {
      void vscode.window.showWarningMessage(
        'Hotspot Lens: open a folder first, so the profile can be mapped onto its source.',
      );
      return false;
    }
    try {
      const { analysis, snapshot, flame } = await this.loader.load(uri, folder);
      const stat = await statFile(uri);
      const previous = this.session.profile;
      const loaded: LoadedProfile = { uri, folder, analysis, snapshot, flame, recordedAt: stat.mtime };
      // a re-profile (the loaded file changed on disk): what was loaded becomes the baseline
      const auto =
        options.reprofile &&
        previous !== undefined &&
        previous.uri.toString() === uri.toString() &&
        readConfig(folder).autoBaseline;
      // a new recording (Record Profile): what was loaded becomes its baseline
      const recorded = options.previousAsBaseline && previous !== undefined;
      this.session.setProfile(
        loaded,
        auto
          ? asBaseline(previous, `${fileName(uri)} before the re-profile of ${clock(stat.mtime)}`)
          : recorded
            ? asBaseline(previous, `${fileName(previous.uri)} (${clock(previous.recordedAt)})`)
            : undefined,
      );
      if (previous) this.remember(previous);
      await this.memento.update(LAST_PROFILE_KEY, uri.toString());
      this.watch(uri);
      this.logSummary(uri);
      void this.offerInferredMappings(folder);
      return true;
    } catch (e) {
      if (e instanceof LoadCancelledError) {
        this.log.info(e.message);
        return false;
      }
      if (e instanceof LoadRefusedError) {
        this.log.warn(e.message);
        if (!options.quiet) void vscode.window.showWarningMessage(`Hotspot Lens: ${e.message}`);
        return false;
      }
      reportError(this.log, `Loading ${uri.fsPath}`, e);
      return false;
    }
  }

  /** Reloads the current profile (after re-profiling). */
  async reload(): Promise<void> {
    const current = this.session.profile;
    if (current) await this.load(current.uri, { reprofile: true });
  }

  /**
   * "Compare with Baseline…": picks a profile file (or one loaded earlier in this window)
   * and compares the loaded profile with it. `uri` skips the pick.
   * @returns true when a baseline was set
   */
  async compareWithBaseline(uri?: vscode.Uri): Promise<boolean> {
    const current = this.session.profile;
    if (!current) {
      void vscode.window.showInformationMessage(
        'Hotspot Lens: load a profile first, then compare it with a baseline.',
      );
      return false;
    }
    let target = uri instanceof vscode.Uri ? uri : undefined;
    if (!target) {
      const items = this.recent.map((r) => ({
        label: `$(history) ${r.label}`,
        description: 'loaded earlier in this window',
        recent: r,
      }));
      const picked = await this.pick(
        items,
        'Hotspot Lens: Compare with Baseline',
        'Pick the baseline: the profile from before the change',
      );
      if (!picked) return false;
      if (!(picked instanceof vscode.Uri)) {
        this.session.setBaseline(asBaseline(picked.recent.profile, picked.recent.label));
        this.reportComparison();
        return true;
      }
      target = picked;
    }
    try {
      const { analysis, snapshot } = await this.loader.load(target, current.folder);
      const stat = await statFile(target);
      this.session.setBaseline({
        uri: target,
        label: `${fileName(target)} (${clock(stat.mtime)})`,
        analysis,
        snapshot,
      });
      this.reportComparison();
      return true;
    } catch (e) {
      if (e instanceof LoadCancelledError) return false;
      if (e instanceof LoadRefusedError) {
        void vscode.window.showWarningMessage(`Hotspot Lens: ${e.message}`);
        return false;
      }
      reportError(this.log, `Loading the baseline ${target.fsPath}`, e);
      return false;
    }
  }

  /** "Use Current Profile as Baseline": the next re-profile or load is compared with it. */
  useCurrentAsBaseline(): void {
    const current = this.session.profile;
    if (!current) return;
    this.session.setBaseline(asBaseline(current, `${fileName(current.uri)} (${clock(current.recordedAt)})`));
    this.log.info(`Baseline: ${this.session.baseline?.label}`);
  }

  /** "Clear Baseline". */
  clearBaseline(): void {
    this.session.setBaseline(undefined);
  }

  private remember(profile: LoadedProfile): void {
    const label = `${fileName(profile.uri)} (${clock(profile.recordedAt)})`;
    this.recent = [{ profile, label }, ...this.recent.filter((r) => r.profile !== profile)].slice(
      0,
      RECENT_LOADS,
    );
  }

  private reportComparison(): void {
    const c = this.session.comparison;
    if (!c) return;
    this.log.info(
      `Compared with ${this.session.baseline?.label}: ${c.normalization} (${c.normalizationReason}); total ${c.totals.changePercent?.toFixed(1) ?? '—'}%`,
    );
    for (const n of c.notes) this.log.info(n);
  }

  /** Unloads the profile and stops watching its file. */
  clear(): void {
    this.watcher?.dispose();
    this.watcher = undefined;
    this.session.setProfile(undefined);
    void this.memento.update(LAST_PROFILE_KEY, undefined);
  }

  /** Loads the profile named by `hotspotLens.profile`, else the last one loaded in this workspace. */
  async restore(): Promise<void> {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const cfg = readConfig(folder);
      if (cfg.profile) {
        // the first time a workspace with a configured profile opens, show the Hotspot Lens
        // views — before loading: focusing a view after the CodeLens refresh was signalled
        // makes the workbench drop that refresh
        if (!this.memento.get<boolean>(REVEALED_KEY)) {
          await this.memento.update(REVEALED_KEY, true);
          await vscode.commands.executeCommand('hotspotLens.hotspots.focus');
        }
        await this.load(vscode.Uri.joinPath(folder.uri, cfg.profile), { quiet: true });
        return;
      }
    }
    const last = this.memento.get<string>(LAST_PROFILE_KEY);
    if (last) {
      const uri = vscode.Uri.parse(last);
      try {
        await vscode.workspace.fs.stat(uri);
        await this.load(uri, { quiet: true });
      } catch {
        this.log.info(`The last profile (${uri.fsPath}) is gone; nothing restored.`);
      }
    }
  }

  /**
   * Offers the profile files found in the workspace, `extra` items first, and a file dialog.
   * @returns the file picked, or the extra item picked, or undefined when dismissed
   */
  private async pick<T extends vscode.QuickPickItem>(
    extra: T[] = [],
    title = 'Hotspot Lens: Load Profile',
    placeHolder = 'Pick a profile (flame graph SVG, folded stacks, perf script, .cpuprofile, pprof, callgrind, …)',
  ): Promise<vscode.Uri | T | undefined> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const cfg: HotspotLensConfig = readConfig(folder);
    const found = folder ? await vscode.workspace.findFiles(cfg.profileGlob, excludeGlob(cfg), 200) : [];
    type Item = vscode.QuickPickItem & { uri?: vscode.Uri; extra?: T };
    const items: Item[] = extra.map((e) => ({ ...e, extra: e }));
    for (const uri of found.sort((a, b) => a.path.localeCompare(b.path))) {
      items.push({
        label: uri.path.split('/').pop() ?? uri.path,
        description: vscode.workspace.asRelativePath(uri),
        uri,
      });
    }
    items.push({ label: '$(folder-opened) Browse…', description: 'choose a file with the file dialog' });
    const choice =
      items.length === 1
        ? items[0]
        : await vscode.window.showQuickPick(items, { title, placeHolder, matchOnDescription: true });
    if (!choice) return undefined;
    if (choice.extra) return choice.extra;
    if (choice.uri) return choice.uri;
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: title.includes('Baseline') ? 'Use as Baseline' : 'Load Profile',
      ...(folder ? { defaultUri: folder.uri } : {}),
      filters: {
        Profiles: [
          'folded',
          'collapsed',
          'perf',
          'txt',
          'svg',
          'cpuprofile',
          'json',
          'pb',
          'gz',
          'out',
          'callgrind',
          'data',
        ],
        'All files': ['*'],
      },
    });
    return picked?.[0];
  }

  private watch(uri: vscode.Uri): void {
    this.watcher?.dispose();
    // a reload the last watched file had pending is for a profile no longer shown
    clearTimeout(this.reloadTimer);
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const pattern = folder
      ? new vscode.RelativePattern(folder, vscode.workspace.asRelativePath(uri, false))
      : new vscode.RelativePattern(vscode.Uri.joinPath(uri, '..'), uri.path.split('/').pop() ?? '*');
    // a re-profile rewrites the file in place (change) or writes a new one over it (create:
    // `perf record` renames the old file away, a copy replaces it)
    this.watcher = vscode.workspace.createFileSystemWatcher(pattern, false, false, true);
    const reload = () => {
      clearTimeout(this.reloadTimer);
      // profilers write in several steps: wait for the file to settle
      this.reloadTimer = setTimeout(() => void this.reloadIfChanged(uri), 1000);
    };
    this.watcher.onDidChange(reload);
    this.watcher.onDidCreate(reload);
  }

  /**
   * Reloads the shown profile after its file changed on disk (a re-profile), unless it is no
   * longer the one shown or its file is the very one loaded: file events can arrive after the
   * load of a file just written (a new recording), and must not turn it into its own baseline.
   */
  private async reloadIfChanged(uri: vscode.Uri): Promise<void> {
    const shown = this.session.profile;
    if (!shown || shown.uri.toString() !== uri.toString()) return;
    try {
      if ((await statFile(uri)).mtime === shown.recordedAt) return;
    } catch {
      return; // gone: nothing to reload
    }
    this.log.info(`${uri.fsPath} changed on disk: reloading`);
    await this.load(uri, { quiet: true, reprofile: true });
  }

  private logSummary(uri: vscode.Uri): void {
    const a = this.session.profile?.analysis;
    if (!a) return;
    this.log.info(
      `${uri.fsPath}: ${a.profile.formatLabel}, ${a.profile.total} ${a.profile.unit} (${a.profile.eventName}), ${a.hotspots.length} workspace functions, ${a.unmapped.length} unmapped`,
    );
    for (const n of a.notes) this.log.info(n);
  }

  private async offerInferredMappings(folder: vscode.WorkspaceFolder): Promise<void> {
    const inferred = this.session.profile?.analysis.inferredPathMappings ?? {};
    const entries = Object.entries(inferred);
    if (entries.length === 0) return;
    const cfg = vscode.workspace.getConfiguration('hotspotLens', folder.uri);
    const existing = cfg.get<Record<string, string>>('pathMappings') ?? {};
    const fresh = entries.filter(([from]) => !(from in existing));
    if (fresh.length === 0) return;
    const text = fresh.map(([from, to]) => `${from} → ${to || WORKSPACE_FOLDER}`).join(', ');
    const choice = await vscode.window.showInformationMessage(
      `Hotspot Lens mapped the profile's paths onto this workspace by matching path suffixes (${text}). Save this as a path mapping?`,
      'Save Mapping',
      'Not Now',
    );
    if (choice !== 'Save Mapping') return;
    const next = { ...existing };
    for (const [from, to] of fresh) next[from] = to ? `${WORKSPACE_FOLDER}/${to}` : WORKSPACE_FOLDER;
    await cfg.update('pathMappings', next, vscode.ConfigurationTarget.WorkspaceFolder);
  }

  dispose(): void {
    clearTimeout(this.reloadTimer);
    this.watcher?.dispose();
  }
}

/** A loaded profile as a baseline. */
function asBaseline(p: LoadedProfile, label: string): Baseline {
  return { uri: p.uri, label, analysis: p.analysis, snapshot: p.snapshot };
}

function fileName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() ?? uri.fsPath;
}

/** `14:02` (local time) of a time in ms since the epoch. */
function clock(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}
