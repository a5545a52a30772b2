import * as vscode from 'vscode';
import { bundleStartMs } from './activation-clock';
import { showActions } from './vscode/actions';
import { HotspotCodeLensProvider } from './vscode/code-lens';
import { CommandId, ViewId } from './vscode/command-ids';
import { readConfig } from './vscode/config';
import { HeatDecorations } from './vscode/decorations';
import { FLAME_GRAPH_EDITOR, FlameGraphController } from './vscode/flame-graph/flame-controller';
import { HotspotsTreeProvider } from './vscode/hotspots-tree';
import { HotspotHoverProvider } from './vscode/hover';
import { registerLanguageModelTools } from './vscode/lm-tools';
import { createLogger, reportError } from './vscode/logger';
import { registerMcpServerDefinitions } from './vscode/mcp-provider';
import { openFunction, revealPlanLine } from './vscode/navigation';
import { PlanController } from './vscode/plan-controller';
import { PlanTreeProvider } from './vscode/plan-tree';
import { ProfileController } from './vscode/profile-commands';
import { ProfileLoader } from './vscode/profile-loader';
import { RECORD_TASK_TYPE, RecordController } from './vscode/record-controller';
import { Session } from './vscode/session';
import { StatusBar } from './vscode/status-bar';
import { type ActivationTiming, createTestApi, type TestApi } from './vscode/test-api';

/** When the bundle had evaluated every module (this is the last of them to run its body). */
const bundleEvaluatedMs = performance.now();

/** What `activate` returns: the API the in-editor tests read (decorations applied, tree state). */
export interface HotspotLensApi {
  readonly test: TestApi;
}

/**
 * Activates Hotspot Lens. The one composition root: creates the session, the
 * loaders, the views and the providers, registers every command and disposable,
 * then restores the profile and plans named in the settings (or loaded last time).
 * Activation failures are logged with their stack, shown, and rethrown.
 */
export async function activate(context: vscode.ExtensionContext): Promise<HotspotLensApi> {
  const activateStartMs = performance.now();
  const log = createLogger();
  context.subscriptions.push(log);
  try {
    const api = await wire(context, log, (wiredMs) => ({
      loadMs: bundleEvaluatedMs - bundleStartMs,
      wireMs: wiredMs - activateStartMs,
    }));
    const t = api.test.activation;
    log.info(
      `Hotspot Lens activated in ${(t.loadMs + t.wireMs).toFixed(1)} ms of extension-host time (loading the code ${t.loadMs.toFixed(1)} ms, wiring ${t.wireMs.toFixed(1)} ms; profiles and plans load afterwards, in a worker)`,
    );
    return api;
  } catch (e) {
    reportError(log, 'Activating Hotspot Lens', e);
    throw e;
  }
}

async function wire(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  timing: (wiredMs: number) => ActivationTiming,
): Promise<HotspotLensApi> {
  const config = () => readConfig(vscode.workspace.workspaceFolders?.[0]);
  const session = new Session(() => config().compareNormalization);
  const storage = context.storageUri ?? context.globalStorageUri;
  const loader = new ProfileLoader(
    context.extensionUri,
    log,
    storage.scheme === 'file'
      ? { dir: storage.fsPath, version: String(context.extension.packageJSON.version ?? '0') }
      : undefined,
  );
  const profiles = new ProfileController(session, loader, log, context.workspaceState);
  const plans = new PlanController(session, log, context.workspaceState);
  const decorations = new HeatDecorations(context.extensionUri, session, config);
  const lenses = new HotspotCodeLensProvider(session, config);
  const hover = new HotspotHoverProvider(session, (uri) => decorations.staleReason(uri));
  const hotspotsTree = new HotspotsTreeProvider(session, context.workspaceState);
  const planTree = new PlanTreeProvider(session, plans);
  const planView = vscode.window.createTreeView(ViewId.plan, {
    treeDataProvider: planTree,
    showCollapseAll: true,
    manageCheckboxStateManually: true,
  });
  const hotspotsView = vscode.window.createTreeView(ViewId.hotspots, {
    treeDataProvider: hotspotsTree,
    showCollapseAll: true,
  });
  const statusBar = new StatusBar(session);
  const flameGraph = new FlameGraphController(context.extensionUri, session, log);
  const recorder = new RecordController(session, profiles, log, context.extensionUri);
  context.subscriptions.push(
    recorder,
    vscode.tasks.registerTaskProvider(RECORD_TASK_TYPE, recorder),
    planTree.setPhaseNotes((uri, phase) => recorder.phaseNote(uri, phase), recorder.onDidChangePhaseNotes),
    vscode.commands.registerCommand(CommandId.recordProfile, (arg?: unknown) => recorder.record(arg)),
    vscode.commands.registerCommand(CommandId.showRecordings, () => recorder.showRecordings()),
  );
  const sourceFiles: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: 'vscode-remote' }];

  context.subscriptions.push(
    session,
    loader,
    profiles,
    plans,
    decorations,
    lenses,
    hotspotsTree,
    planTree,
    planView,
    hotspotsView,
    statusBar,
    vscode.languages.registerCodeLensProvider(sourceFiles, lenses),
    vscode.languages.registerHoverProvider(sourceFiles, hover),
    planView.onDidChangeCheckboxState((e) => plans.onCheckboxes(e.items)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('hotspotLens.codeLens') || e.affectsConfiguration('hotspotLens.annotations'))
        lenses.refresh();
      if (e.affectsConfiguration('hotspotLens.compare.normalization')) session.refreshComparison();
    }),
    vscode.commands.registerCommand(CommandId.loadProfile, (uri?: vscode.Uri) => profiles.pickAndLoad(uri)),
    vscode.commands.registerCommand(CommandId.compareWithBaseline, (uri?: vscode.Uri) =>
      profiles.compareWithBaseline(uri),
    ),
    vscode.commands.registerCommand(CommandId.useCurrentAsBaseline, () => profiles.useCurrentAsBaseline()),
    vscode.commands.registerCommand(CommandId.clearBaseline, () => profiles.clearBaseline()),
    vscode.commands.registerCommand(CommandId.hotspotsShowChanges, async () => {
      hotspotsTree.update({ mode: 'changes' });
      await vscode.commands.executeCommand(`${ViewId.hotspots}.focus`);
    }),
    vscode.commands.registerCommand(CommandId.hotspotsShowHotspots, () =>
      hotspotsTree.update({ mode: 'hotspots' }),
    ),
    vscode.commands.registerCommand(CommandId.loadPlan, (uri?: vscode.Uri) => plans.pickAndLoad(uri)),
    vscode.commands.registerCommand(CommandId.reload, async () => {
      await profiles.reload();
      await plans.reload();
    }),
    vscode.commands.registerCommand(CommandId.clear, () => {
      profiles.clear();
      plans.clear();
    }),
    vscode.commands.registerCommand(CommandId.toggleAnnotations, () =>
      session.setAnnotationsEnabled(!session.annotationsEnabled),
    ),
    vscode.commands.registerCommand(CommandId.showOutput, () => log.show(true)),
    vscode.commands.registerCommand(CommandId.showHotspots, async (key?: string) => {
      await vscode.commands.executeCommand(`${ViewId.hotspots}.focus`);
      if (typeof key === 'string') {
        const node = hotspotsTree.nodeForKey(key);
        if (node) await hotspotsView.reveal(node, { select: true, focus: false });
      }
    }),
    vscode.commands.registerCommand(CommandId.showActions, () => showActions(session)),
    vscode.commands.registerCommand(CommandId.hotspotsSortBySelfInclLibraries, () =>
      hotspotsTree.update({ sortBy: 'selfInclLibraries' }),
    ),
    vscode.commands.registerCommand(CommandId.hotspotsSortBySelf, () =>
      hotspotsTree.update({ sortBy: 'self' }),
    ),
    vscode.commands.registerCommand(CommandId.hotspotsSortByTotal, () =>
      hotspotsTree.update({ sortBy: 'total' }),
    ),
    vscode.commands.registerCommand(CommandId.hotspotsGroupByCategory, () =>
      hotspotsTree.update({ groupBy: 'category' }),
    ),
    vscode.commands.registerCommand(CommandId.hotspotsGroupByFile, () =>
      hotspotsTree.update({ groupBy: 'file' }),
    ),
    vscode.commands.registerCommand(CommandId.hotspotsGroupNone, () =>
      hotspotsTree.update({ groupBy: 'none' }),
    ),
    vscode.commands.registerCommand(CommandId.hotspotsToggleOnlyMyCode, () =>
      hotspotsTree.update({ onlyMyCode: !hotspotsTree.viewState.onlyMyCode }),
    ),
    vscode.commands.registerCommand(CommandId.hotspotsFilter, async () => {
      const filter = await vscode.window.showInputBox({
        title: 'Filter Hotspots',
        prompt: 'Show functions whose name or file contains this text (empty: all)',
        value: hotspotsTree.viewState.filter,
      });
      if (filter !== undefined) hotspotsTree.update({ filter });
    }),
    vscode.commands.registerCommand(CommandId.planRevealTask, (planUri: vscode.Uri | string, line: number) =>
      revealPlanLine(planUri, line),
    ),
    vscode.commands.registerCommand(
      CommandId.planRevealSection,
      (planUri: vscode.Uri | string, line: number) => revealPlanLine(planUri, line),
    ),
    vscode.commands.registerCommand(CommandId.planOpenLocation, (arg: unknown) => plans.openLocation(arg)),
    vscode.commands.registerCommand(CommandId.planFindFile, (arg: unknown) => plans.findFile(arg)),
    vscode.commands.registerCommand(CommandId.openFunction, (target: unknown) =>
      openFunction(session, target),
    ),
    flameGraph,
    vscode.commands.registerCommand(CommandId.showFlameGraph, (arg?: unknown) =>
      flameGraph.show(
        arg instanceof vscode.Uri || (typeof arg === 'object' && arg !== null) ? arg : undefined,
      ),
    ),
    vscode.commands.registerCommand(CommandId.flameGraphFocusFunction, (key: unknown) =>
      flameGraph.focusFunction(key),
    ),
    vscode.commands.registerCommand(CommandId.flameGraphCompareWith, () => flameGraph.compareWith()),
    vscode.window.registerCustomEditorProvider(FLAME_GRAPH_EDITOR, flameGraph, {
      webviewOptions: { retainContextWhenHidden: true },
      supportsMultipleEditorsPerDocument: true,
    }),
  );
  // agents (issue #18): language-model tools over the live session, and the MCP server where supported
  context.subscriptions.push(
    ...registerLanguageModelTools(session, plans, log),
    ...registerMcpServerDefinitions(
      session,
      context.extensionUri,
      String(context.extension.packageJSON.version ?? '0'),
      log,
    ),
  );

  // restore in the background: activation must not wait for a long load
  void (async () => {
    await plans.restore();
    await profiles.restore();
  })().catch((e) => reportError(log, 'Restoring the profile and plan', e));

  log.info(`VS Code ${vscode.version}`);
  return {
    test: createTestApi({
      session,
      decorations,
      hotspotsTree,
      planTree,
      statusBar,
      profiles,
      plans,
      loader,
      flameGraph,
      activation: timing(performance.now()),
    }),
  };
}

/** Nothing to do: every resource is in `context.subscriptions`. */
export function deactivate(): void {}
