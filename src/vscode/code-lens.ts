import * as vscode from 'vscode';
import { changeText, functionLensTitle } from '../core/analysis/presentation';
import { CommandId } from './command-ids';
import type { HotspotLensConfig } from './config';
import type { Session } from './session';

const SETTLE_MS = 1000;

/**
 * CodeLens on hot functions and on files the plan names:
 * - on each hot function's first line: `🔥 22.6% total · 4.1% self`, then the
 *   strongest hint (`clone-heavy: consider Cow/Arc`), then a link to the plan
 *   section that covers the function or its file (`Plan: Priority 1 — …`);
 * - at the top of each file the plan names as an implementation location:
 *   `Plan · Phase 1 · 1/3 tasks done`.
 * Refreshes when the session changes (a new profile, plan, or the toggle).
 */
export class HotspotCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private settleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly session: Session,
    private readonly config: () => HotspotLensConfig,
  ) {
    this.subscription = session.onDidChange(() => {
      this.changed.fire();
      // the workbench drops a refresh signalled while a view takes focus (seen when the
      // views open on a workspace's first load): ask once more when things have settled
      clearTimeout(this.settleTimer);
      this.settleTimer = setTimeout(() => this.changed.fire(), SETTLE_MS);
    });
  }

  /** Asks the editor to ask again (settings changed). */
  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!this.session.annotationsEnabled || !this.config().codeLensEnabled) return [];
    const lenses: vscode.CodeLens[] = [];
    const top = new vscode.Range(0, 0, 0, 0);
    const statuses = this.session.planStatusForFile(document.uri);
    const withTasks = statuses.filter((s) => s.total > 0);
    for (const status of withTasks.length > 0 ? withTasks : statuses.slice(0, 1)) {
      lenses.push(
        new vscode.CodeLens(top, {
          title:
            status.total > 0
              ? `Plan · ${status.section} · ${status.done}/${status.total} tasks done`
              : `Plan · ${status.section}`,
          tooltip: `${status.planName}: this file is an implementation location of "${status.section}"`,
          command: CommandId.planRevealSection,
          arguments: [status.planUri, status.line],
        }),
      );
    }
    const threshold = this.config().threshold;
    for (const f of this.session.functionsIn(document.uri)) {
      if (f.totalPercent < threshold && f.selfPercent < threshold) continue;
      if (f.line < 1 || f.line > document.lineCount) continue;
      const range = document.lineAt(f.line - 1).range;
      const change = this.session.changeOf(f);
      const delta = change
        ? ` · ${changeText({ changePercent: change.total.changePercent, status: change.status })}`
        : '';
      lenses.push(
        new vscode.CodeLens(range, {
          title: `${functionLensTitle(f)}${delta}`,
          tooltip: `${f.name}\nSelf and total time of this function in the loaded profile${change ? '; the change of its total since the baseline' : ''}`,
          command: CommandId.showHotspots,
          arguments: [f.key],
        }),
      );
      lenses.push(
        new vscode.CodeLens(range, {
          title: '$(flame) flame graph',
          tooltip: `Show ${f.displayName} in the flame graph`,
          command: CommandId.flameGraphFocusFunction,
          arguments: [f.key],
        }),
      );
      const hint = f.hints[0];
      if (hint) {
        lenses.push(
          new vscode.CodeLens(range, {
            title: hint.label,
            tooltip: `${hint.suggestion} — ${hint.sharePercent.toFixed(0)}% of this function's time is in ${hint.frames
              .slice(0, 3)
              .map((x) => x.name)
              .join(', ')}`,
            command: CommandId.openFunction,
            arguments: [f.key, 'hint'],
          }),
        );
      }
      const link = this.session.planLinksFor(f)[0];
      if (link) {
        lenses.push(
          new vscode.CodeLens(range, {
            title: `Plan: ${link.section}`,
            tooltip: `Open the plan section that covers ${f.displayName}`,
            command: CommandId.planRevealSection,
            arguments: [link.planFile, link.line],
          }),
        );
      }
    }
    return lenses;
  }

  dispose(): void {
    clearTimeout(this.settleTimer);
    this.subscription.dispose();
    this.changed.dispose();
  }
}
