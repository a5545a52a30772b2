import * as vscode from 'vscode';
import { changeText, formatPercent, formatWeight, heatFigureTexts } from '../core/analysis/presentation';
import type { CallSite, HotFunction, HotLine } from '../core/analysis/types';
import type { FigureChange, FunctionChange } from '../core/compare/types';
import { CommandId } from './command-ids';
import type { Session } from './session';

/**
 * Hover on a hot line or a hot function's definition: total, self and self incl.
 * libraries with their weights, the library code the function calls, top callers and callees
 * (links open them), the hint and its evidence, the plan excerpt, and why the
 * annotation is stale when it is.
 */
export class HotspotHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly session: Session,
    private readonly staleReason: (uri: vscode.Uri) => string | undefined,
  ) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const loaded = this.session.profile;
    if (!loaded || !this.session.annotationsEnabled) return undefined;
    const lineNo = position.line + 1;
    const fn = this.session.functionsIn(document.uri).find((f) => lineNo >= f.line && lineNo <= f.endLine);
    const line = this.session.linesIn(document.uri).find((l) => l.line === lineNo);
    if (!fn && !line) return undefined;
    const { unit, eventName } = loaded.analysis.profile;
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = {
      enabledCommands: [
        CommandId.openFunction,
        CommandId.planRevealSection,
        CommandId.flameGraphFocusFunction,
      ],
    };
    md.supportHtml = false;
    const stale = this.staleReason(document.uri);
    if (stale) md.appendMarkdown(`⚠️ *Stale:* ${stale}; lines may have moved.\n\n`);
    if (line && (!fn || lineNo !== fn.line)) {
      this.appendLine(md, line, unit, eventName);
      const rel = this.session.relativePath(document.uri);
      const change = rel !== undefined ? this.session.lineChangeOf(rel, line) : undefined;
      if (change) this.appendChange(md, [{ label: 'line total', figure: change }]);
    }
    if (fn && (lineNo === fn.line || !line)) this.appendFunction(md, fn, unit, eventName);
    else if (fn)
      md.appendMarkdown(`\nIn **${escapeMd(fn.displayName)}** (${formatPercent(fn.totalPercent)} total)\n`);
    return new vscode.Hover(md);
  }

  private appendLine(md: vscode.MarkdownString, l: HotLine, unit: string, eventName: string): void {
    md.appendMarkdown(`**Line ${l.line}** — ${this.figures(l, unit, eventName)}\n\n`);
  }

  /**
   * Before → after of a function (total and self) or a line (total), in the comparison's
   * common unit: `Total 14.8% → 0.6% (▼96% vs baseline, beyond sampling noise ±7%)`.
   */
  private appendChange(md: vscode.MarkdownString, figures: { label: string; figure: FigureChange }[]): void {
    const c = this.session.comparison;
    if (!c) return;
    const base = c.totals.baseline;
    const share = (w: number) => formatPercent(base > 0 ? (100 * w) / base : 0);
    const amount = (w: number) =>
      c.unit === 'percent' ? `${w.toFixed(2)}% of the baseline` : formatWeight(w, c.unit);
    const rows = figures.map(({ label, figure: f }) => {
      const sure =
        f.status === 'unchanged'
          ? 'within sampling noise'
          : f.status === 'new' || f.status === 'gone'
            ? ''
            : f.z >= 3
              ? 'beyond sampling noise'
              : 'likely beyond noise';
      const sigma = f.baseline > 0 && f.sigma > 0 ? ` ±${((100 * f.sigma) / f.baseline).toFixed(0)}%` : '';
      return `${label} ${share(f.baseline)} → ${share(f.current)} (${amount(f.baseline)} → ${amount(f.current)}; ${changeText({ changePercent: f.changePercent, status: f.status })}${sure ? `, ${sure}` : ''}${sigma})`;
    });
    md.appendMarkdown(
      `**vs baseline** (${escapeMd(this.session.baseline?.label ?? '')}): ${rows.join(' · ')}\n\n`,
    );
  }

  private appendFunctionChange(md: vscode.MarkdownString, change: FunctionChange | undefined): void {
    if (!change) return;
    this.appendChange(md, [
      { label: 'total', figure: change.total },
      { label: 'self', figure: change.self },
    ]);
    if (change.baselineLine !== undefined && change.line !== undefined && change.baselineLine !== change.line)
      md.appendMarkdown(`(it was at line ${change.baselineLine} in the baseline)\n\n`);
  }

  /**
   * `52.3% total (1,234 samples) · 18.6% self (…) · 49.5% incl. libraries (…)`: the same
   * figures and words as the lens and the line text, with the weights.
   */
  private figures(
    f: Pick<
      HotLine,
      'self' | 'selfInclLibraries' | 'total' | 'selfPercent' | 'selfInclLibrariesPercent' | 'totalPercent'
    >,
    unit: string,
    eventName: string,
  ): string {
    const t = heatFigureTexts(f);
    const w = (x: number) => formatWeight(x, unit, eventName);
    const parts = [`${t.total} (${w(f.total)})`, `${t.self} (${w(f.self)})`];
    if (t.inclLibraries) parts.push(`${t.inclLibraries} (${w(f.selfInclLibraries)})`);
    return parts.join(' · ');
  }

  private appendFunction(md: vscode.MarkdownString, f: HotFunction, unit: string, eventName: string): void {
    md.appendMarkdown(`🔥 **${escapeMd(f.displayName)}**\n\n`);
    md.appendMarkdown(`${this.figures(f, unit, eventName)}\n\n`);
    this.appendFunctionChange(md, this.session.changeOf(f));
    if (f.blamedLibrary.length > 0) {
      const total = this.session.profile?.analysis.profile.total ?? 1;
      const parts = f.blamedLibrary
        .slice(0, 4)
        .map((b) => `${formatPercent((100 * b.weight) / total)} ${escapeMd(shorten(b.function))}`);
      md.appendMarkdown(`Library code it calls: ${parts.join(', ')}\n\n`);
    }
    for (const h of f.hints.slice(0, 2)) {
      md.appendMarkdown(`**${escapeMd(h.label)}** — ${escapeMd(h.suggestion.replace(/\.?$/, '.'))} `);
      md.appendMarkdown(
        `Evidence: ${h.sharePercent.toFixed(0)}% of its time in ${h.frames
          .slice(0, 3)
          .map((x) => code(shorten(x.name)))
          .join(', ')}\n\n`,
      );
    }
    md.appendMarkdown(
      `[$(flame) Show in the flame graph](command:${CommandId.flameGraphFocusFunction}?${encodeURIComponent(JSON.stringify([f.key]))})\n\n`,
    );
    this.appendCalls(md, 'Callers', f.callers, unit, eventName);
    this.appendCalls(md, 'Callees', f.callees, unit, eventName);
    for (const link of this.session.planLinksFor(f).slice(0, 2)) {
      const args = encodeURIComponent(JSON.stringify([link.planFile, link.line]));
      md.appendMarkdown(
        `📋 Plan: [${escapeMd(link.section)}](command:${CommandId.planRevealSection}?${args})`,
      );
      if (link.claimPercent !== undefined) md.appendMarkdown(` — the plan measured ${link.claimPercent}%`);
      const excerpt = this.session.planExcerpt(link);
      if (excerpt) md.appendMarkdown(`\n\n> ${escapeMd(excerpt)}`);
      md.appendMarkdown('\n\n');
    }
    if (f.ambiguousWith && f.ambiguousWith.length > 0) {
      md.appendMarkdown(
        `⚠️ Ambiguous name: also defined at ${f.ambiguousWith.map((a) => code(`${a.file}:${a.line}`)).join(', ')}\n\n`,
      );
    }
  }

  private appendCalls(
    md: vscode.MarkdownString,
    title: string,
    calls: readonly CallSite[],
    unit: string,
    eventName: string,
  ): void {
    if (calls.length === 0) return;
    const items = calls.slice(0, 5).map((c) => {
      const label = code(shorten(c.name));
      const w = formatWeight(c.weight, unit, eventName);
      if (c.file && c.line) {
        const args = encodeURIComponent(JSON.stringify([{ file: c.file, line: c.line }]));
        return `[${label}](command:${CommandId.openFunction}?${args}) ${w}`;
      }
      return `${label} ${w}${c.library ? ' (library)' : ''}`;
    });
    md.appendMarkdown(`${title}: ${items.join(' · ')}\n\n`);
  }
}

function shorten(name: string): string {
  return name.length > 80 ? `${name.slice(0, 77)}…` : name;
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_[\]|<>]/g, (c) => `\\${c}`);
}

/** A Markdown code span (backticks inside the text would end it early). */
function code(s: string): string {
  return `\`${s.replace(/`/g, "'")}\``;
}
