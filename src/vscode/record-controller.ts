import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { formatWeight } from '../core/analysis/presentation';
import { parseCargoManifest } from '../core/mapping/cargo';
import type { PlanPhase } from '../core/plan/types';
import { splitCommandLine } from '../core/record/command-line';
import { RecordingError } from '../core/record/diagnose';
import { type PlanDone, planDoneOf, tickedSince } from '../core/record/plan-ticks';
import { cargoPresets, goPresets, nodePresets, toTaskDefinition } from '../core/record/presets';
import { DEFAULT_PROFILES_DIR, describeRecording, type RecordingEntry } from '../core/record/recordings';
import {
  DEFAULT_PERF_EVENT,
  DEFAULT_PERF_FREQUENCY,
  parseWorkload,
  RECORD_PROFILERS,
  type RecordProfiler,
  type Workload,
} from '../core/record/workload';
import {
  assessRecordingInWorker,
  deleteRecording,
  listRecordings,
  RecordingCancelledError,
  type RecordResult,
  readRecordingMeta,
  recordWorkload,
} from '../node/recorder';
import { readConfig } from './config';
import type { Logger } from './logger';
import type { ProfileController } from './profile-commands';
import type { Session } from './session';

/** The task type of recordings (`"type": "hotspot-lens"` in tasks.json). */
export const RECORD_TASK_TYPE = 'hotspot-lens';

/** Why *Record Profile* is off in Restricted Mode (shown when it is run there). */
export const RESTRICTED_MESSAGE =
  'Hotspot Lens: Record Profile runs programs (your workload, its build and a profiler), which Restricted Mode does not allow. Trust this folder (Manage Workspace Trust) to record; loading existing profiles still works.';

/** What *Record Profile* returns (its command's result, which the tests read). */
export interface RecordOutcome {
  readonly ok: boolean;
  /** The recording's profile file, when recorded. */
  readonly profile?: string;
  /** Why it failed or was not run (the message shown). */
  readonly error?: string;
  /** True when the user cancelled. */
  readonly cancelled?: boolean;
  /** The recording's warnings (no debug info, no frame pointers). */
  readonly warnings?: readonly string[];
}

/** The `hotspotLens.record.*` settings. */
interface RecordSettings {
  readonly profilesDir: string;
  readonly keep: number;
  readonly perfEvent: string;
  readonly frequency: number;
  readonly callGraph: 'fp' | 'dwarf';
  readonly valgrindPath: string;
  readonly goPath: string;
  readonly cargoPath: string;
}

function recordSettings(folder: vscode.WorkspaceFolder): RecordSettings {
  const c = vscode.workspace.getConfiguration('hotspotLens.record', folder.uri);
  return {
    profilesDir: c.get<string>('profilesDir') || DEFAULT_PROFILES_DIR,
    keep: c.get<number>('keep') ?? 20,
    perfEvent: c.get<string>('perfEvent') || DEFAULT_PERF_EVENT,
    frequency: c.get<number>('frequency') ?? DEFAULT_PERF_FREQUENCY,
    callGraph: c.get<'fp' | 'dwarf'>('callGraph') ?? 'fp',
    valgrindPath: c.get<string>('valgrindPath') || 'valgrind',
    goPath: c.get<string>('goPath') || 'go',
    cargoPath: c.get<string>('cargoPath') || 'cargo',
  };
}

/**
 * *Record Profile*: runs a workload under a profiler as a VS Code task (a
 * {@link vscode.CustomExecution} whose pseudoterminal runs the same recorder as
 * `hotspot-lens record`: its output in the terminal, a cancellable progress notification,
 * Terminate Task cancels), then loads the new profile and compares it with the one loaded
 * before (which becomes the baseline). Also the `hotspot-lens` {@link vscode.TaskProvider}
 * (tasks.json workloads and presets from Cargo.toml, package.json and go.mod) and the
 * recordings list. A failed or cancelled recording leaves the current profile as it was.
 *
 * Why CustomExecution and not ShellExecution: a recording is several steps (build, record,
 * convert perf.data, write the sidecar, prune) whose failures need explaining from their
 * exit codes and output; the recorder returns the profile or a typed error directly, with no
 * shell quoting of the user's arguments and no parsing of task end events.
 */
export class RecordController implements vscode.TaskProvider, vscode.Disposable {
  private readonly started = new vscode.EventEmitter<Promise<RecordOutcome>>();
  private readonly notesChanged = new vscode.EventEmitter<void>();
  /** Fires when {@link phaseNote}'s answers change (the baseline's sidecar was read). */
  readonly onDidChangePhaseNotes = this.notesChanged.event;
  /** The baseline's file and the plan tasks done when it was recorded (from its sidecar). */
  private baselineDone: { readonly path: string; readonly done: PlanDone | undefined } | undefined;
  private readonly disposables: vscode.Disposable[] = [this.started, this.notesChanged];

  constructor(
    private readonly session: Session,
    private readonly profiles: ProfileController,
    private readonly log: Logger,
    private readonly extensionUri: vscode.Uri,
  ) {
    this.disposables.push(
      session.onDidChange((c) => {
        if (c === 'comparison' || c === 'profile') void this.readBaselineDone();
      }),
    );
  }

  /**
   * The Plan view's note on a phase whose tasks were ticked since the baseline was recorded
   * (a recording's sidecar keeps the tasks done then): the comparison measures them.
   */
  phaseNote(planUri: vscode.Uri, phase: PlanPhase): { description: string; tooltip: string } | undefined {
    const done = this.baselineDone?.done;
    if (!done || !this.session.comparison) return undefined;
    const plan = this.session.plans.find((p) => p.uri.toString() === planUri.toString());
    if (!plan) return undefined;
    const ticked = tickedSince(done, plan.file, phase);
    if (ticked.length === 0) return undefined;
    return {
      description: `${ticked.length} ticked since the baseline`,
      tooltip: `Ticked since the baseline (${this.session.baseline?.label}) was recorded:\n${ticked.map((t) => `• ${t.text}`).join('\n')}\nThe comparison with the baseline measures their effect together.`,
    };
  }

  private async readBaselineDone(): Promise<void> {
    const file = this.session.baseline?.uri.fsPath;
    if (file === this.baselineDone?.path) return;
    const meta = file ? await readRecordingMeta(file) : undefined;
    if (file !== this.session.baseline?.uri.fsPath) return; // changed again meanwhile
    this.baselineDone = file ? { path: file, done: meta?.planDone } : undefined;
    this.notesChanged.fire();
  }

  /** Presets from the workspace's Cargo.toml, package.json and go.mod, as tasks (trusted workspaces only). */
  provideTasks(): vscode.Task[] {
    if (!vscode.workspace.isTrusted) return [];
    const tasks: vscode.Task[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      for (const w of this.presets(folder)) tasks.push(this.task(toTaskDefinition(w), folder, w));
    }
    return tasks;
  }

  /** Gives a tasks.json task of type `hotspot-lens` its execution (the definition is validated when it runs). */
  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const folder =
      task.scope && typeof task.scope === 'object' ? task.scope : vscode.workspace.workspaceFolders?.[0];
    if (!folder) return undefined;
    // VS Code matches the resolved task to tasks.json by its definition: the same object
    return this.task(task.definition, folder, undefined, task.name);
  }

  /**
   * The command. `arg`: a workload definition (as in tasks.json) to record without asking;
   * otherwise offers the tasks.json workloads, the presets, and "Record a command…".
   * @returns the outcome (also shown to the user)
   */
  async record(arg?: unknown): Promise<RecordOutcome> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(RESTRICTED_MESSAGE);
      return { ok: false, error: RESTRICTED_MESSAGE };
    }
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) {
      const error =
        'Hotspot Lens: open a folder first: recordings are written into it and mapped onto its source.';
      void vscode.window.showWarningMessage(error);
      return { ok: false, error };
    }
    let task: vscode.Task | undefined;
    if (arg && typeof arg === 'object' && !(arg instanceof vscode.Uri)) {
      task = this.task(arg as Record<string, unknown>, folder);
    } else {
      task = await this.pickTask(folder);
    }
    if (!task) return { ok: false, cancelled: true };
    // the task's pseudoterminal announces its run; wait for it
    let sub: vscode.Disposable | undefined;
    const run = new Promise<Promise<RecordOutcome>>((resolve) => {
      sub = this.started.event((p) => {
        sub?.dispose();
        resolve(p);
      });
    });
    try {
      await vscode.tasks.executeTask(task);
    } catch (e) {
      sub?.dispose();
      const error = `Hotspot Lens: the recording task could not start: ${e instanceof Error ? e.message : String(e)}`;
      this.log.error(error);
      void vscode.window.showErrorMessage(error);
      return { ok: false, error };
    }
    return run.then((p) => p);
  }

  /** The recordings list: load one as the current profile or the baseline, or delete it. */
  async showRecordings(): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) return;
    const dir = this.profilesDir(folder);
    const { entries, problems } = await listRecordings(dir);
    for (const p of problems) this.log.warn(p);
    if (entries.length === 0) {
      void vscode.window.showInformationMessage(
        `Hotspot Lens: no recordings in ${vscode.workspace.asRelativePath(dir)} yet. Record one with Hotspot Lens: Record Profile.`,
      );
      return;
    }
    const current = this.session.profile?.uri.fsPath;
    const baseline = this.session.baseline?.uri.fsPath;
    const asBaseline = {
      iconPath: new vscode.ThemeIcon('diff'),
      tooltip: 'Compare the current profile with this one',
    };
    const remove = { iconPath: new vscode.ThemeIcon('trash'), tooltip: 'Delete this recording' };
    type Item = vscode.QuickPickItem & { entry: RecordingEntry };
    const items: Item[] = entries.map((entry) => {
      const file = path.join(dir, entry.meta.profile);
      const tags = [file === current ? 'current' : '', file === baseline ? 'baseline' : ''].filter(Boolean);
      return {
        label: describeRecording(entry.meta, (t, u) => formatWeight(t, u)),
        description: tags.join(', '),
        detail: `${entry.meta.commandLine}${entry.meta.warnings?.length ? `  ⚠ ${entry.meta.warnings[0]}` : ''}`,
        buttons: [asBaseline, remove],
        entry,
      };
    });
    const qp = vscode.window.createQuickPick<Item>();
    qp.title = 'Hotspot Lens: Recordings (Enter: load as the current profile)';
    qp.placeholder = 'Pick a recording to load; the buttons compare with it or delete it';
    qp.items = items;
    qp.matchOnDetail = true;
    const done = new Promise<void>((resolve) => {
      qp.onDidAccept(async () => {
        const e = qp.selectedItems[0]?.entry;
        qp.hide();
        if (e) await this.profiles.load(vscode.Uri.file(path.join(dir, e.meta.profile)));
      });
      qp.onDidTriggerItemButton(async ({ item, button }) => {
        const uri = vscode.Uri.file(path.join(dir, item.entry.meta.profile));
        if (button === asBaseline) {
          qp.hide();
          await this.profiles.compareWithBaseline(uri);
        } else {
          if (uri.fsPath === current || uri.fsPath === baseline) {
            void vscode.window.showWarningMessage(
              'Hotspot Lens: this recording is loaded (as the current profile or the baseline); load another before deleting it.',
            );
            return;
          }
          await deleteRecording(dir, item.entry);
          qp.items = qp.items.filter((i) => i !== item);
          this.log.info(`Deleted the recording ${uri.fsPath}`);
        }
      });
      qp.onDidHide(() => {
        qp.dispose();
        resolve();
      });
    });
    qp.show();
    await done;
  }

  private profilesDir(folder: vscode.WorkspaceFolder): string {
    return path.resolve(folder.uri.fsPath, recordSettings(folder).profilesDir);
  }

  /** A task of our type for a definition, running the recorder in a pseudoterminal. */
  private task(
    definition: Record<string, unknown>,
    folder: vscode.WorkspaceFolder,
    preset?: Workload,
    name?: string,
  ): vscode.Task {
    const label = name ?? (typeof definition.label === 'string' ? definition.label : 'Record Profile');
    const def: vscode.TaskDefinition =
      definition.type === RECORD_TASK_TYPE
        ? (definition as vscode.TaskDefinition)
        : { ...definition, type: RECORD_TASK_TYPE };
    const task = new vscode.Task(
      def,
      folder,
      label,
      'Hotspot Lens',
      new vscode.CustomExecution(async (resolved) => {
        const pty = new RecordTerminal();
        // the terminal opens before the recording starts writing to it
        const opened = new Promise<void>((r) => pty.onOpen(r));
        const outcome = opened.then(() => this.run(resolved, folder, label, preset, pty));
        this.started.fire(outcome);
        return pty;
      }),
    );
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, clear: true };
    task.detail = preset ? 'preset from the workspace' : undefined;
    return task;
  }

  /** Records, then loads and compares; reports the outcome in the terminal and a notification. */
  private async run(
    definition: vscode.TaskDefinition,
    folder: vscode.WorkspaceFolder,
    label: string,
    preset: Workload | undefined,
    pty: RecordTerminal,
  ): Promise<RecordOutcome> {
    // tasks do not run in Restricted Mode; this says why if one ever gets here
    if (!vscode.workspace.isTrusted) return this.fail(pty, RESTRICTED_MESSAGE);
    const settings = recordSettings(folder);
    let workload: Workload;
    try {
      const parsed = preset ?? parseWorkload({ ...definition, label }, `task "${label}"`);
      workload = {
        ...parsed,
        ...(parsed.profiler === 'perf'
          ? {
              event: parsed.event ?? settings.perfEvent,
              frequency: parsed.frequency ?? settings.frequency,
              callGraph: parsed.callGraph ?? settings.callGraph,
            }
          : {}),
      };
    } catch (e) {
      return this.fail(pty, e instanceof Error ? e.message : String(e));
    }
    const controller = new AbortController();
    pty.onClose(() => controller.abort());
    const protect = new Set(
      [this.session.profile?.uri.fsPath, this.session.baseline?.uri.fsPath]
        .filter((f): f is string => !!f)
        .map((f) => path.basename(f)),
    );
    let result: RecordResult;
    try {
      result = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Hotspot Lens: recording ${label}`,
          cancellable: true,
        },
        (progress, token) => {
          token.onCancellationRequested(() => controller.abort());
          return recordWorkload({
            workload,
            root: folder.uri.fsPath,
            profilesDir: this.profilesDir(folder),
            keep: settings.keep,
            protect,
            planDone: planDoneOf(this.session.plans),
            tools: {
              perf: readConfig(folder).perfPath,
              valgrind: settings.valgrindPath,
              go: settings.goPath,
            },
            signal: controller.signal,
            // the recording is imported off the extension host's thread
            assess: (profile, w) =>
              assessRecordingInWorker(
                vscode.Uri.joinPath(this.extensionUri, 'dist', 'record-worker.js').fsPath,
                profile,
                w,
              ),
            onOutput: (t) => {
              pty.write(t);
              if (t.startsWith('$ ')) progress.report({ message: t.slice(2, 80).trim() });
            },
          });
        },
      );
    } catch (e) {
      if (e instanceof RecordingCancelledError) {
        pty.write(`\n${e.message} Nothing was kept; the loaded profile is unchanged.\n`);
        pty.end(130);
        return { ok: false, cancelled: true, error: e.message };
      }
      if (e instanceof RecordingError) return this.fail(pty, e.message);
      return this.fail(pty, `Recording "${label}" failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    for (const p of result.pruned) this.log.info(`Pruned the recording ${p} (hotspotLens.record.keep)`);
    pty.write(`\nRecorded ${result.profile}\nLoading it and comparing with the profile loaded before…\n`);
    this.log.info(`Recorded ${result.profile} (${result.meta.commandLine})`);
    const loaded = await this.profiles.load(vscode.Uri.file(result.profile), { previousAsBaseline: true });
    const c = this.session.comparison;
    if (loaded && c) {
      const pct = c.totals.changePercent;
      const total = pct === null || pct === undefined ? '—' : `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`;
      pty.write(`Compared with ${this.session.baseline?.label}: total ${total}\n`);
    }
    pty.end(loaded ? 0 : 1);
    const warnings = result.meta.warnings ?? [];
    if (warnings.length > 0) void vscode.window.showWarningMessage(`Hotspot Lens: ${warnings.join(' ')}`);
    return loaded
      ? { ok: true, profile: result.profile, warnings }
      : { ok: false, profile: result.profile, error: `Recorded ${result.profile}, but it did not load` };
  }

  private fail(pty: RecordTerminal, message: string): RecordOutcome {
    pty.write(`\n${message}\n`);
    pty.end(1);
    this.log.error(message);
    const first = message.split('\n')[0] ?? message;
    void vscode.window.showErrorMessage(first, 'Show Output').then((choice) => {
      if (choice === 'Show Output') this.log.show(true);
    });
    return { ok: false, error: message };
  }

  /** The tasks.json workloads, the presets, and "Record a command…" in one pick. */
  private async pickTask(folder: vscode.WorkspaceFolder): Promise<vscode.Task | undefined> {
    const fetched = await vscode.tasks.fetchTasks({ type: RECORD_TASK_TYPE });
    type Item = vscode.QuickPickItem & { run: () => Promise<vscode.Task | undefined> };
    const items: Item[] = [];
    // tasks.json workloads; the presets come from this provider too: offered below, with their details
    const presets = this.presets(folder);
    const seen = new Set<string>();
    for (const t of fetched) {
      if (presets.some((p) => p.label === t.name) || seen.has(t.name)) continue;
      seen.add(t.name);
      items.push({ label: `$(play) ${t.name}`, description: 'tasks.json', run: async () => t });
    }
    for (const w of presets) {
      items.push({
        label: `$(lightbulb) ${w.label}`,
        description: 'preset',
        detail: [...(w.build ? [`build: ${w.build.join(' ')}`] : []), `run: ${w.command.join(' ')}`].join(
          ' · ',
        ),
        run: async () => this.fromPreset(folder, w),
      });
    }
    items.push({
      label: '$(terminal) Record a command…',
      description: 'perf, node --cpu-prof, callgrind, go test, or a command writing its own profile',
      run: () => this.askCommand(folder),
    });
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Hotspot Lens: Record Profile',
      placeHolder: 'Pick the workload to record',
      matchOnDetail: true,
    });
    return picked?.run();
  }

  /** Runs a preset, after offering to save it in tasks.json. */
  private async fromPreset(folder: vscode.WorkspaceFolder, w: Workload): Promise<vscode.Task> {
    const choice = await vscode.window.showInformationMessage(
      `Hotspot Lens: save "${w.label}" as a task in .vscode/tasks.json, to edit it or record it again by name?`,
      'Save and Record',
      'Just Record',
    );
    if (choice === 'Save and Record') {
      const cfg = vscode.workspace.getConfiguration('tasks', folder.uri);
      const tasks = cfg.get<unknown[]>('tasks') ?? [];
      await cfg.update('tasks', [...tasks, toTaskDefinition(w)], vscode.ConfigurationTarget.WorkspaceFolder);
      if (!cfg.get('version'))
        await cfg.update('version', '2.0.0', vscode.ConfigurationTarget.WorkspaceFolder);
    }
    return this.task(toTaskDefinition(w), folder, w);
  }

  private async askCommand(folder: vscode.WorkspaceFolder): Promise<vscode.Task | undefined> {
    const line = await vscode.window.showInputBox({
      title: 'Hotspot Lens: Record a command',
      prompt: 'The workload, as you would type it (run without a shell; relative to the workspace folder)',
      placeHolder: './target/release/app --input big.txt',
      validateInput: (v) => {
        try {
          return splitCommandLine(v).length === 0 ? 'Type the command to record' : undefined;
        } catch (e) {
          return e instanceof Error ? e.message : String(e);
        }
      },
    });
    if (!line) return undefined;
    const command = splitCommandLine(line);
    const guess: RecordProfiler = /^(node|npm|npx)$/.test(path.basename(command[0] ?? ''))
      ? 'node'
      : command[0] === 'go'
        ? 'go'
        : 'perf';
    const profiler = await vscode.window.showQuickPick(
      RECORD_PROFILERS.map((p) => ({ label: p, picked: p === guess })).sort(
        (a, b) => Number(b.picked) - Number(a.picked),
      ),
      { title: 'Hotspot Lens: Record with which profiler?' },
    );
    if (!profiler) return undefined;
    return this.task({ label: line, profiler: profiler.label, command }, folder);
  }

  /** Presets from the folder's root Cargo.toml, package.json and go.mod. */
  private presets(folder: vscode.WorkspaceFolder): Workload[] {
    const root = folder.uri.fsPath;
    const read = (f: string) => {
      try {
        return fs.readFileSync(path.join(root, f), 'utf8');
      } catch {
        return undefined;
      }
    };
    const out: Workload[] = [];
    try {
      const cargo = read('Cargo.toml');
      if (cargo !== undefined) {
        const manifest = parseCargoManifest(
          'Cargo.toml',
          cargo,
          (f) => fs.existsSync(path.join(root, f)),
          (d) => {
            try {
              return fs.readdirSync(path.join(root, d));
            } catch {
              return [];
            }
          },
        );
        out.push(...cargoPresets(manifest, recordSettings(folder).cargoPath));
      }
      const pkg = read('package.json');
      if (pkg !== undefined) out.push(...nodePresets(pkg, path.join(root, 'package.json')));
      const goMod = read('go.mod');
      if (goMod !== undefined) out.push(...goPresets(goMod));
    } catch (e) {
      this.log.warn(`Presets for recording: ${e instanceof Error ? e.message : String(e)}`);
    }
    return out;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** The task's terminal: shows the recorder's output (LF → CRLF) and ends with the exit code. */
class RecordTerminal implements vscode.Pseudoterminal {
  private readonly writer = new vscode.EventEmitter<string>();
  private readonly closer = new vscode.EventEmitter<number>();
  private readonly opened = new vscode.EventEmitter<void>();
  private readonly closed = new vscode.EventEmitter<void>();
  readonly onDidWrite = this.writer.event;
  readonly onDidClose = this.closer.event;
  readonly onOpen = this.opened.event;
  readonly onClose = this.closed.event;
  private ended = false;

  open(): void {
    this.opened.fire();
  }

  /** The user closed the terminal or terminated the task: the recording is cancelled. */
  close(): void {
    this.closed.fire();
  }

  write(text: string): void {
    this.writer.fire(text.replace(/\r?\n/g, '\r\n'));
  }

  end(code: number): void {
    if (this.ended) return;
    this.ended = true;
    this.closer.fire(code);
    for (const e of [this.writer, this.closer, this.opened, this.closed]) e.dispose();
  }
}
