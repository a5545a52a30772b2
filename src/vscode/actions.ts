import * as vscode from 'vscode';
import { CommandId } from './command-ids';
import type { Session } from './session';

/** The status bar's quick pick: every Hotspot Lens action that applies now. */
export async function showActions(session: Session): Promise<void> {
  type Item = vscode.QuickPickItem & { command: string; args?: unknown[] };
  const loaded = !!session.profile;
  const items: Item[] = [
    { label: '$(flame) Load Profile…', command: CommandId.loadProfile },
    { label: '$(checklist) Load Plan…', command: CommandId.loadPlan },
  ];
  if (loaded) items.push({ label: '$(list-ordered) Show Hotspots', command: CommandId.showHotspots });
  if (loaded) items.push({ label: '$(graph) Show Flame Graph', command: CommandId.showFlameGraph });
  const hottest = session.profile?.analysis.hotspots[0];
  if (hottest)
    items.push({
      label: `$(go-to-file) Open the Hottest Function: ${hottest.displayName}`,
      description: `${hottest.file}:${hottest.line}`,
      command: CommandId.openFunction,
      args: [hottest.key],
    });
  if (loaded || session.plans.length > 0)
    items.push({ label: '$(refresh) Reload', command: CommandId.reload });
  if (loaded) {
    items.push({
      label: session.annotationsEnabled ? '$(eye-closed) Hide Annotations' : '$(eye) Show Annotations',
      command: CommandId.toggleAnnotations,
    });
  }
  if (loaded || session.plans.length > 0)
    items.push({ label: '$(clear-all) Clear', command: CommandId.clear });
  items.push({ label: '$(output) Show Output', command: CommandId.showOutput });
  const choice = await vscode.window.showQuickPick(items, { title: 'Hotspot Lens' });
  if (choice) await vscode.commands.executeCommand(choice.command, ...(choice.args ?? []));
}
