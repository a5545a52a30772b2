import * as vscode from 'vscode';
import { formatWeight, speedupText } from '../core/analysis/presentation';
import { CommandId } from './command-ids';
import type { Session } from './session';

/**
 * The status bar item: the loaded profile (file name, total, unit) and the plan's
 * progress (`🔥 sample.perf · 2,345 samples · Plan 3/12`); click → the actions quick pick.
 * Hidden when nothing is loaded.
 */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'hotspotLens.status',
    vscode.StatusBarAlignment.Left,
    50,
  );
  private readonly subscription: vscode.Disposable;

  constructor(private readonly session: Session) {
    this.item.name = 'Hotspot Lens';
    this.item.command = CommandId.showActions;
    this.subscription = session.onDidChange(() => this.update());
    this.update();
  }

  /** The text shown (tests read it). */
  get text(): string {
    return this.item.text;
  }

  private update(): void {
    const profile = this.session.profile;
    const plans = this.session.plans;
    if (!profile && plans.length === 0) {
      this.item.hide();
      return;
    }
    const parts: string[] = [];
    const tooltip: string[] = [];
    if (profile) {
      const s = profile.analysis.profile;
      const name = profile.uri.path.split('/').pop() ?? s.source;
      const amount =
        s.sampleCount !== undefined && s.unit !== 'samples'
          ? `${s.sampleCount.toLocaleString('en-US')} samples`
          : formatWeight(s.total, s.unit, s.eventName);
      parts.push(`$(flame) ${name} · ${amount}`);
      tooltip.push(
        `Profile: ${profile.uri.fsPath}`,
        `Format: ${s.formatLabel}, event ${s.eventName}, unit ${s.unit}`,
        `Total: ${formatWeight(s.total, s.unit, s.eventName)}`,
      );
      if (!this.session.annotationsEnabled) parts.push('(annotations off)');
      const c = this.session.comparison;
      if (c && c.totals.changePercent !== null) {
        // `vs baseline −33% CPU`: the change of the whole run's time (or event count)
        const p = c.totals.changePercent;
        const what = c.current.measure.quantity === 'time' ? 'CPU' : c.unit === 'percent' ? 'share' : c.unit;
        const sign = p > 0 ? '+' : p < 0 ? '−' : '±';
        parts.push(`$(diff) vs baseline ${sign}${Math.abs(p).toFixed(0)}% ${what}`);
        tooltip.push(
          `Baseline: ${this.session.baseline?.label}`,
          `Total: ${sign}${Math.abs(p).toFixed(1)}% (${speedupText(p)}; ${c.totals.status === 'unchanged' ? 'within sampling noise' : 'beyond sampling noise'})`,
          `Compared ${c.normalization === 'share' ? 'as shares of the total' : 'in absolute terms'}: ${c.normalizationReason}`,
        );
      } else if (this.session.baseline) {
        tooltip.push(`Baseline: ${this.session.baseline.label}`);
      }
    }
    if (plans.length > 0) {
      let done = 0;
      let total = 0;
      for (const p of plans) {
        done += p.plan.tasks.filter((t) => t.done).length;
        total += p.plan.tasks.length;
      }
      parts.push(`$(checklist) Plan ${done}/${total}`);
      tooltip.push(...plans.map((p) => `Plan: ${p.plan.title} (${p.uri.fsPath})`));
    }
    this.item.text = parts.join('  ');
    this.item.tooltip = `${tooltip.join('\n')}\n\nClick for Hotspot Lens actions`;
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
