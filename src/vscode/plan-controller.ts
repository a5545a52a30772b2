import path from 'node:path';
import * as vscode from 'vscode';
import { parsePlan, planTaskToggle } from '../core/plan';
import type { PlanLocation, PlanTask } from '../core/plan/types';
import { excludeGlob, readConfig } from './config';
import { type Logger, reportError } from './logger';
import { revealLine } from './navigation';
import type { LoadedPlan, Session } from './session';

const CHOSEN_PLANS_KEY = 'hotspotLens.chosenPlans';
const REPARSE_DEBOUNCE_MS = 250;

/** A task row's identity, as the Plan view hands it back when a checkbox changes. */
export interface TaskRef {
  readonly planUri: vscode.Uri;
  readonly task: PlanTask;
}

/** A location row's identity (for open / find commands). */
export interface LocationRef {
  readonly planUri: vscode.Uri;
  readonly location: PlanLocation;
}

/** Where a plan's implementation location points in the workspace. */
export type LocationState =
  | { readonly kind: 'found'; readonly uri: vscode.Uri }
  | { readonly kind: 'new' }
  | { readonly kind: 'missing' }
  | { readonly kind: 'outside'; readonly uri: vscode.Uri };

/** Most workspace files listed for resolving a plan's file names. */
const MAX_WORKSPACE_FILES = 50_000;

/**
 * Loading plans (one or several, remembered per workspace), keeping them in sync
 * with their documents (a hand edit, saved or not, re-parses and refreshes the
 * tree), ticking tasks, and opening implementation locations.
 *
 * Ticking writes exactly one character (`x` or space) between the brackets as an
 * undoable workspace edit checked against the document's current text, then saves.
 * If the task moved, it is found again by its text; if it cannot be found for
 * sure, nothing is written and the user is told why.
 */
export class PlanController implements vscode.Disposable {
  /** The workspace's files when the plans were last loaded (see {@link listWorkspaceFiles}). */
  private workspaceFiles: string[] | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private locationStates = new Map<string, LocationState>();
  private reparseTimer: NodeJS.Timeout | undefined;
  private watcher: vscode.FileSystemWatcher | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when location states were recomputed. */
  readonly onDidChangeLocations = this.changed.event;

  /**
   * Asks the user to confirm opening a file outside the workspace (a modal dialog);
   * tests replace it through the test API to answer without a dialog.
   */
  confirmOutside: (message: string) => Promise<boolean> = async (message) =>
    (await vscode.window.showWarningMessage(message, { modal: true }, 'Open')) === 'Open';

  constructor(
    private readonly session: Session,
    private readonly log: Logger,
    private readonly memento: vscode.Memento,
  ) {
    vscode.workspace.onDidChangeTextDocument(
      (e) => {
        if (e.contentChanges.length === 0 || !this.isLoaded(e.document.uri)) return;
        clearTimeout(this.reparseTimer);
        this.reparseTimer = setTimeout(() => void this.reparse(e.document.uri), REPARSE_DEBOUNCE_MS);
      },
      this,
      this.disposables,
    );
    this.disposables.push(this.changed);
  }

  /** "Load Plan…": loads `uri` (context menus) or lets the user pick one or several plans. */
  async pickAndLoad(uri?: vscode.Uri): Promise<void> {
    const chosen = uri instanceof vscode.Uri ? [uri] : await this.pick();
    if (!chosen || chosen.length === 0) return;
    await this.memento.update(
      CHOSEN_PLANS_KEY,
      chosen.map((u) => u.toString()),
    );
    const ok = await this.load(chosen);
    if (ok) await this.offerNamedProfile();
  }

  /**
   * Parses the given plans and replaces the loaded ones.
   * @returns false when a plan could not be read (the error was shown; nothing changed)
   */
  async load(uris: readonly vscode.Uri[]): Promise<boolean> {
    const loaded: LoadedPlan[] = [];
    this.workspaceFiles = await this.listWorkspaceFiles();
    for (const uri of uris) {
      try {
        const doc = await vscode.workspace.openTextDocument(uri);
        loaded.push(this.parse(uri, doc.getText()));
      } catch (e) {
        reportError(this.log, `Loading the plan ${uri.fsPath}`, e);
        return false;
      }
    }
    this.session.setPlans(loaded);
    this.watch(uris);
    await this.resolveLocations();
    for (const p of loaded) {
      this.log.info(
        `Plan ${p.uri.fsPath}: ${p.plan.phases.length} phases, ${p.plan.tasks.length} tasks, ${p.plan.locations.length} locations, ${p.plan.claims.length} claims`,
      );
    }
    return true;
  }

  /** Loads the plans named by `hotspotLens.plans`, else the ones chosen last time in this workspace. */
  async restore(): Promise<void> {
    const uris: vscode.Uri[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      for (const p of readConfig(folder).plans) uris.push(vscode.Uri.joinPath(folder.uri, p));
    }
    if (uris.length === 0)
      for (const s of this.memento.get<string[]>(CHOSEN_PLANS_KEY) ?? []) uris.push(vscode.Uri.parse(s));
    const existing: vscode.Uri[] = [];
    for (const u of uris) {
      try {
        await vscode.workspace.fs.stat(u);
        existing.push(u);
      } catch {
        this.log.warn(`The plan ${u.fsPath} does not exist; not loaded.`);
      }
    }
    if (existing.length > 0) await this.load(existing);
  }

  /** Re-reads every loaded plan from its document. */
  async reload(): Promise<void> {
    const uris = this.session.plans.map((p) => p.uri);
    if (uris.length > 0) await this.load(uris);
  }

  /** Unloads the plans. */
  clear(): void {
    this.watcher?.dispose();
    this.watcher = undefined;
    this.session.setPlans([]);
    void this.memento.update(CHOSEN_PLANS_KEY, undefined);
  }

  /** Where a location points (computed when plans load). */
  locationState(planUri: vscode.Uri, location: PlanLocation): LocationState {
    return this.locationStates.get(locKey(planUri, location)) ?? { kind: 'missing' };
  }

  /**
   * Applies checkbox changes from the Plan view: each ticked or unticked task is
   * written into its plan, one at a time.
   */
  async onCheckboxes(items: readonly (readonly [unknown, vscode.TreeItemCheckboxState])[]): Promise<void> {
    for (const [node, state] of items) {
      const ref = (node as { task?: PlanTask; planUri?: vscode.Uri }) ?? {};
      if (!ref.task || !ref.planUri) continue;
      await this.setTaskDone(
        { planUri: ref.planUri, task: ref.task },
        state === vscode.TreeItemCheckboxState.Checked,
      );
    }
  }

  /**
   * Ticks or unticks a task in its plan: one character between the brackets, as an
   * undoable edit, then saves the document.
   * @returns true when written; false when refused (the user was told why) or when the edit failed
   */
  async setTaskDone(ref: TaskRef, done: boolean): Promise<boolean> {
    const r = await this.applyTaskDone(ref, done);
    if ('refused' in r) {
      this.log.warn(`Not ticking "${ref.task.text}": ${r.refused}`);
      void vscode.window.showWarningMessage(`Hotspot Lens: ${r.refused}`);
      return false;
    }
    return true;
  }

  /**
   * The edit behind {@link setTaskDone}, telling the caller (the Plan view, the agent tool)
   * what happened instead of telling the user: the one-character edit of `planTaskToggle`,
   * applied as an undoable workspace edit checked against the document's current text, then saved.
   * @returns `{ written }` (false: the task already was in that state) or `{ refused }` with the
   *   reason in a sentence (the task moved or is ambiguous, has no checkbox, the edit failed)
   */
  async applyTaskDone(ref: TaskRef, done: boolean): Promise<{ written: boolean } | { refused: string }> {
    const doc = await vscode.workspace.openTextDocument(ref.planUri);
    const result = planTaskToggle(doc.getText(), ref.task, done);
    if ('refused' in result) {
      await this.reparse(ref.planUri);
      return { refused: result.refused };
    }
    const start = doc.positionAt(result.offset);
    const end = doc.positionAt(result.offset + result.length);
    if (doc.getText(new vscode.Range(start, end)) === result.replacement) {
      await this.reparse(ref.planUri);
      return { written: false };
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(ref.planUri, new vscode.Range(start, end), result.replacement, {
      label: done ? 'Tick plan task' : 'Untick plan task',
      needsConfirmation: false,
    });
    const applied = await vscode.workspace.applyEdit(edit);
    if (!applied) return { refused: 'The plan could not be edited (is it read-only?).' };
    const saved = await doc.save();
    if (!saved) this.log.warn(`${ref.planUri.fsPath}: ticked, but the document could not be saved`);
    await this.reparse(ref.planUri);
    return { written: true };
  }

  /**
   * Opens an implementation location: its file, at the line, or at the symbol (found
   * by text). A location outside the workspace is opened only after the user confirms.
   */
  async openLocation(arg: unknown): Promise<void> {
    const ref = arg as LocationRef | undefined;
    if (!ref?.location || !ref.planUri) return;
    const state = this.locationState(ref.planUri, ref.location);
    if (state.kind === 'new' || state.kind === 'missing') {
      await this.findFile(ref);
      return;
    }
    if (state.kind === 'outside') {
      const ok = await this.confirmOutside(
        `${ref.location.path} is outside the workspace (${state.uri.fsPath}). Open it anyway?`,
      );
      if (!ok) {
        this.log.info(`Not opening ${state.uri.fsPath}: outside the workspace, not confirmed`);
        return;
      }
    }
    const uri = state.uri;
    let line = ref.location.line ?? 1;
    if (ref.location.line === null && ref.location.symbol) {
      const doc = await vscode.workspace.openTextDocument(uri);
      line = findSymbolLine(doc.getText(), ref.location.symbol) ?? 1;
    }
    await revealLine(uri, line);
  }

  /** Searches the workspace for files with the location's file name (for missing or new files). */
  async findFile(arg: unknown): Promise<void> {
    const ref = arg as LocationRef | undefined;
    const name = ref?.location ? path.posix.basename(ref.location.path.replace(/\\/g, '/')) : undefined;
    if (!name) return;
    const cfg = readConfig(vscode.workspace.workspaceFolders?.[0]);
    const hits = await vscode.workspace.findFiles(`**/${escapeGlob(name)}`, excludeGlob(cfg), 50);
    if (hits.length === 0) {
      void vscode.window.showInformationMessage(
        `Hotspot Lens: no file named ${name} in the workspace${ref?.location.isNew ? ' (the plan says it is new)' : ''}.`,
      );
      return;
    }
    const pick =
      hits.length === 1
        ? hits[0]
        : (
            await vscode.window.showQuickPick(
              hits.map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u })),
              { title: `Files named ${name}` },
            )
          )?.uri;
    if (pick) await revealLine(pick, 1);
  }

  private parse(uri: vscode.Uri, text: string): LoadedPlan {
    const file = vscode.workspace.getWorkspaceFolder(uri)
      ? vscode.workspace.asRelativePath(uri, false)
      : uri.fsPath;
    return {
      uri,
      text,
      file,
      plan: parsePlan(text, {
        file: path.posix.basename(uri.path),
        ...(this.workspaceFiles ? { workspaceFiles: this.workspaceFiles } : {}),
      }),
    };
  }

  /**
   * The workspace's files (relative to the first folder, without the excluded ones), so a
   * plan's `main.rs:410` or an absolute link resolves to the workspace file it means;
   * at most {@link MAX_WORKSPACE_FILES}.
   */
  private async listWorkspaceFiles(): Promise<string[] | undefined> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) return undefined;
    const found = await vscode.workspace.findFiles(
      new vscode.RelativePattern(folder, '**/*'),
      excludeGlob(readConfig(folder)),
      MAX_WORKSPACE_FILES,
    );
    return found.map((u) => vscode.workspace.asRelativePath(u, false));
  }

  private isLoaded(uri: vscode.Uri): boolean {
    return this.session.plans.some((p) => p.uri.toString() === uri.toString());
  }

  /** Re-parses one plan from its document's current text (saved or not) and refreshes the views. */
  private async reparse(uri: vscode.Uri): Promise<void> {
    if (!this.isLoaded(uri)) return;
    const doc = await vscode.workspace.openTextDocument(uri);
    const next = this.session.plans.map((p) =>
      p.uri.toString() === uri.toString() ? this.parse(uri, doc.getText()) : p,
    );
    this.session.setPlans(next);
    await this.resolveLocations();
  }

  private async pick(): Promise<vscode.Uri[] | undefined> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const cfg = readConfig(folder);
    const found = folder ? await vscode.workspace.findFiles(cfg.planGlob, excludeGlob(cfg), 200) : [];
    const loaded = new Set(this.session.plans.map((p) => p.uri.toString()));
    type Item = vscode.QuickPickItem & { uri?: vscode.Uri };
    const items: Item[] = found
      .sort((a, b) => a.path.localeCompare(b.path))
      .map((uri) => ({
        label: path.posix.basename(uri.path),
        description: vscode.workspace.asRelativePath(uri),
        picked: loaded.has(uri.toString()),
        uri,
      }));
    if (items.length > 0) {
      const chosen = await vscode.window.showQuickPick(items, {
        title: 'Hotspot Lens: Load Plan',
        placeHolder: 'Pick one or several plans (Markdown), or press Escape and use the file dialog',
        canPickMany: true,
        matchOnDescription: true,
      });
      if (chosen && chosen.length > 0) return chosen.map((c) => c.uri!);
      if (chosen) return undefined;
    }
    return vscode.window.showOpenDialog({
      canSelectMany: true,
      openLabel: 'Load Plan',
      ...(folder ? { defaultUri: folder.uri } : {}),
      filters: { Markdown: ['md', 'markdown'] },
    });
  }

  /** Checks every location of the loaded plans against the workspace (exists, new, missing, outside). */
  private async resolveLocations(): Promise<void> {
    // computed aside and swapped in at once: readers never see a half-filled map
    const next = new Map<string, LocationState>();
    const folders = vscode.workspace.workspaceFolders ?? [];
    for (const p of this.session.plans) {
      const folder = vscode.workspace.getWorkspaceFolder(p.uri) ?? folders[0];
      for (const loc of p.plan.locations) next.set(locKey(p.uri, loc), await resolveLocation(folder, loc));
    }
    this.locationStates = next;
    this.changed.fire();
  }

  private watch(uris: readonly vscode.Uri[]): void {
    this.watcher?.dispose();
    this.watcher = undefined;
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) return;
    this.watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(folder, '**/*.md'),
      true,
      false,
      true,
    );
    this.watcher.onDidChange((u) => {
      if (uris.some((x) => x.toString() === u.toString())) void this.reparse(u);
    });
  }

  /** When a plan names its profile ("Flamegraph: profiles/x.svg") and none is loaded, offers to load it. */
  private async offerNamedProfile(): Promise<void> {
    if (this.session.profile) return;
    for (const p of this.session.plans) {
      for (const rel of p.plan.metadata.profilePaths) {
        const uri = vscode.Uri.joinPath(p.uri, '..', rel);
        try {
          await vscode.workspace.fs.stat(uri);
        } catch {
          continue;
        }
        const choice = await vscode.window.showInformationMessage(
          `The plan names the profile ${rel}. Load it?`,
          'Load Profile',
        );
        if (choice === 'Load Profile') await vscode.commands.executeCommand('hotspotLens.loadProfile', uri);
        return;
      }
    }
  }

  dispose(): void {
    clearTimeout(this.reparseTimer);
    this.watcher?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function locKey(planUri: vscode.Uri, loc: PlanLocation): string {
  return `${planUri.toString()}#${loc.id}`;
}

/**
 * Resolves a location against a workspace folder: inside (found / new / missing),
 * or outside (absolute, `..`, or through a symlink that leaves the folder).
 */
async function resolveLocation(
  folder: vscode.WorkspaceFolder | undefined,
  loc: PlanLocation,
): Promise<LocationState> {
  const p = loc.path.replace(/\\/g, '/');
  const isAbs = p.startsWith('/') || /^[A-Za-z]:\//.test(p) || p.startsWith('~');
  const uri = isAbs ? vscode.Uri.file(p) : folder ? vscode.Uri.joinPath(folder.uri, p) : undefined;
  if (!uri) return { kind: 'missing' };
  const root = folder?.uri.fsPath;
  const inside = (fsPath: string) => !!root && (fsPath === root || fsPath.startsWith(root + path.sep));
  if (loc.isOutside || !inside(uri.fsPath)) return { kind: 'outside', uri };
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    return loc.isNew ? { kind: 'new' } : { kind: 'missing' };
  }
  try {
    // a symlink inside the workspace may point outside it
    const real = await import('node:fs/promises').then((fs) => fs.realpath(uri.fsPath));
    const realRoot = root ? await import('node:fs/promises').then((fs) => fs.realpath(root)) : undefined;
    if (realRoot && !(real === realRoot || real.startsWith(realRoot + path.sep)))
      return { kind: 'outside', uri: vscode.Uri.file(real) };
  } catch {
    // not a local file system: keep the workspace answer
  }
  return { kind: 'found', uri };
}

/** The 1-based line where a symbol is defined (a definition-looking line naming it), if any. */
export function findSymbolLine(text: string, symbol: string): number | undefined {
  const name = symbol.split(/::|\./).pop() ?? symbol;
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const def = new RegExp(
    `\\b(fn|struct|enum|trait|impl|type|mod|class|def|func|function|interface|const|static)\\b[^\\n]*\\b${esc}\\b`,
  );
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) if (def.test(lines[i])) return i + 1;
  const any = new RegExp(`\\b${esc}\\b`);
  for (let i = 0; i < lines.length; i++) if (any.test(lines[i])) return i + 1;
  return undefined;
}

function escapeGlob(s: string): string {
  return s.replace(/[[\]{}*?]/g, (c) => `[${c}]`);
}
