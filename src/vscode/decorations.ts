import * as vscode from 'vscode';
import {
  changeText,
  heatBucket,
  lineText,
  reanchorFunctions,
  visibleLines,
} from '../core/analysis/presentation';
import type { HotLine } from '../core/analysis/types';
import type { HotspotLensConfig } from './config';
import { statFile } from './file-stat';
import type { Session } from './session';

/** One applied decoration, as the in-editor tests read it back (1-based line). */
export interface AppliedDecoration {
  readonly line: number;
  readonly bucket: 1 | 2 | 3 | 4;
  readonly text: string | undefined;
  readonly stale: boolean;
  /** The line's change since the baseline, when comparing and beyond noise. */
  readonly change?: 'improved' | 'regressed';
}

const EDIT_DEBOUNCE_MS = 300;

/**
 * Heat in the editor: a gutter mark per hot line (four buckets, light and dark
 * icons), overview-ruler marks, an optional line background and the after-line
 * text ("12.8% total · 3.1% self"). Decoration types are created once (again
 * only when the settings that shape them change); whole range arrays are applied
 * per visible editor, again when visible editors change, debounced on edits.
 * Files modified after the profile was recorded are shown as stale (dimmed), and
 * their annotations are re-anchored by function where lines moved.
 */
export class HeatDecorations implements vscode.Disposable {
  private types: {
    gutter: vscode.TextEditorDecorationType[];
    text: vscode.TextEditorDecorationType;
    staleText: vscode.TextEditorDecorationType;
    background: vscode.TextEditorDecorationType;
    regressed: vscode.TextEditorDecorationType;
    improved: vscode.TextEditorDecorationType;
  };
  private readonly disposables: vscode.Disposable[] = [];
  private readonly applied = new Map<string, AppliedDecoration[]>();
  private readonly staleReasons = new Map<string, string>();
  private editTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly session: Session,
    private config: () => HotspotLensConfig,
  ) {
    this.types = this.createTypes();
    vscode.window.onDidChangeVisibleTextEditors(() => this.refresh(), this, this.disposables);
    vscode.workspace.onDidChangeTextDocument(
      (e) => {
        if (e.contentChanges.length === 0) return;
        if (!vscode.window.visibleTextEditors.some((ed) => ed.document === e.document)) return;
        clearTimeout(this.editTimer);
        this.editTimer = setTimeout(() => this.refresh(), EDIT_DEBOUNCE_MS);
      },
      this,
      this.disposables,
    );
    vscode.workspace.onDidChangeConfiguration(
      (e) => {
        if (e.affectsConfiguration('hotspotLens.annotations')) {
          this.disposeTypes();
          this.types = this.createTypes();
          this.refresh();
        }
      },
      this,
      this.disposables,
    );
    session.onDidChange(() => this.refresh(), this, this.disposables);
  }

  /** Re-applies decorations to every visible editor. */
  refresh(): void {
    for (const editor of vscode.window.visibleTextEditors) void this.apply(editor);
  }

  /** What was last applied to a document (tests read it through the extension's test API). */
  appliedTo(uri: vscode.Uri): readonly AppliedDecoration[] {
    return this.applied.get(uri.toString()) ?? [];
  }

  /** Why a document's annotations are stale, or undefined when they are current. */
  staleReason(uri: vscode.Uri): string | undefined {
    return this.staleReasons.get(uri.toString());
  }

  private async apply(editor: vscode.TextEditor): Promise<void> {
    const uri = editor.document.uri;
    const cfg = this.config();
    const enabled = this.session.annotationsEnabled && cfg.annotationsEnabled;
    const lines = enabled ? this.session.linesIn(uri) : [];
    if (lines.length === 0) {
      this.clearEditor(editor);
      return;
    }
    const stale = await this.staleness(editor.document);
    const shifted = stale ? this.reanchor(editor.document, lines) : lines;
    const shown = visibleLines(shifted, cfg.threshold);
    const byBucket: vscode.DecorationOptions[][] = [[], [], [], []];
    const texts: vscode.DecorationOptions[] = [];
    const backgrounds: vscode.Range[] = [];
    const regressed: vscode.Range[] = [];
    const improved: vscode.Range[] = [];
    const record: AppliedDecoration[] = [];
    const rel = this.session.relativePath(uri);
    const comparing = !!this.session.comparison && rel !== undefined;
    const maxLine = editor.document.lineCount;
    for (const l of shown) {
      if (l.line < 1 || l.line > maxLine) continue;
      const docLine = editor.document.lineAt(l.line - 1);
      const bucket = heatBucket(l.totalPercent);
      byBucket[bucket - 1].push({ range: new vscode.Range(docLine.range.start, docLine.range.start) });
      let text = lineText(l, cfg.lineText);
      // the line's total since the baseline: the text says it, the stripe and ruler mark it
      const change = comparing ? this.session.lineChangeOf(rel, l) : undefined;
      const moved =
        change?.status === 'improved' || change?.status === 'regressed' ? change.status : undefined;
      if (text && change && change.status !== 'unchanged') text = `${text} · ${changeText(change)}`;
      if (moved === 'regressed') regressed.push(docLine.range);
      else if (moved === 'improved') improved.push(docLine.range);
      if (text) {
        texts.push({
          range: new vscode.Range(docLine.range.end, docLine.range.end),
          renderOptions: { after: { contentText: stale ? `${text} (stale)` : text } },
        });
      }
      if (cfg.lineBackground && bucket >= 3) backgrounds.push(docLine.range);
      record.push({ line: l.line, bucket, text, stale: !!stale, ...(moved ? { change: moved } : {}) });
    }
    for (const [i, t] of this.types.gutter.entries()) editor.setDecorations(t, byBucket[i]);
    editor.setDecorations(stale ? this.types.staleText : this.types.text, texts);
    editor.setDecorations(stale ? this.types.text : this.types.staleText, []);
    editor.setDecorations(this.types.background, backgrounds);
    editor.setDecorations(this.types.regressed, regressed);
    editor.setDecorations(this.types.improved, improved);
    this.applied.set(uri.toString(), record);
  }

  private clearEditor(editor: vscode.TextEditor): void {
    for (const t of this.types.gutter) editor.setDecorations(t, []);
    editor.setDecorations(this.types.text, []);
    editor.setDecorations(this.types.staleText, []);
    editor.setDecorations(this.types.background, []);
    editor.setDecorations(this.types.regressed, []);
    editor.setDecorations(this.types.improved, []);
    this.applied.set(editor.document.uri.toString(), []);
  }

  /** A reason when the document changed after the profile was recorded (edited or newer on disk). */
  private async staleness(doc: vscode.TextDocument): Promise<string | undefined> {
    const key = doc.uri.toString();
    const recordedAt = this.session.profile?.recordedAt ?? 0;
    let reason: string | undefined;
    if (doc.isDirty) reason = 'the file has unsaved changes made after the profile was recorded';
    else {
      try {
        const stat = await statFile(doc.uri);
        if (recordedAt > 0 && stat.mtime > recordedAt + 1000) {
          reason = `the file was modified (${new Date(stat.mtime).toLocaleString()}) after the profile was recorded (${new Date(recordedAt).toLocaleString()})`;
        }
      } catch {
        reason = undefined;
      }
    }
    if (reason) this.staleReasons.set(key, reason);
    else this.staleReasons.delete(key);
    return reason;
  }

  /** Moves hot lines with their function when the function's definition moved. */
  private reanchor(doc: vscode.TextDocument, lines: readonly HotLine[]): HotLine[] {
    const functions = this.session.functionsIn(doc.uri);
    if (functions.length === 0) return [...lines];
    const shifts = reanchorFunctions(doc.getText(), functions);
    return lines.map((l) => {
      const owner = functions.find((f) => l.line >= f.line && l.line <= f.endLine);
      const shift = owner ? shifts.get(owner.key) : undefined;
      return shift ? { ...l, line: l.line + shift } : l;
    });
  }

  private createTypes() {
    const cfg = this.config();
    const icon = (i: number, theme: 'light' | 'dark') =>
      vscode.Uri.joinPath(this.extensionUri, 'media', `heat-${i}-${theme}.svg`);
    const ruler = new vscode.ThemeColor('hotspotLens.overviewRuler');
    const gutter = [1, 2, 3, 4].map((i) =>
      vscode.window.createTextEditorDecorationType({
        light: { gutterIconPath: icon(i, 'light'), gutterIconSize: 'contain' },
        dark: { gutterIconPath: icon(i, 'dark'), gutterIconSize: 'contain' },
        ...(i >= 2 ? { overviewRulerColor: ruler, overviewRulerLane: vscode.OverviewRulerLane.Right } : {}),
      }),
    );
    const after = (color: string, fontStyle?: string): vscode.DecorationRenderOptions => ({
      after: {
        color: new vscode.ThemeColor(color),
        margin: '0 0 0 2em',
        ...(fontStyle ? { fontStyle } : {}),
      },
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    });
    return {
      gutter,
      text: vscode.window.createTextEditorDecorationType(after('hotspotLens.annotationForeground')),
      staleText: vscode.window.createTextEditorDecorationType(
        after('hotspotLens.staleAnnotationForeground', 'italic'),
      ),
      background: vscode.window.createTextEditorDecorationType({
        backgroundColor: cfg.lineBackground
          ? new vscode.ThemeColor('hotspotLens.hotLineBackground')
          : undefined,
        isWholeLine: true,
      }),
      regressed: changeMark('hotspotLens.regressedLine'),
      improved: changeMark('hotspotLens.improvedLine'),
    };
  }

  private disposeTypes(): void {
    for (const t of this.types.gutter) t.dispose();
    this.types.text.dispose();
    this.types.staleText.dispose();
    this.types.background.dispose();
    this.types.regressed.dispose();
    this.types.improved.dispose();
  }

  dispose(): void {
    clearTimeout(this.editTimer);
    this.disposeTypes();
    for (const d of this.disposables) d.dispose();
  }
}

/** A stripe at the start of a line and a mark in the overview ruler's left lane, in a theme colour. */
function changeMark(color: string): vscode.TextEditorDecorationType {
  const c = new vscode.ThemeColor(color);
  return vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    borderStyle: 'solid',
    borderColor: c,
    borderWidth: '0 0 0 3px',
    overviewRulerColor: c,
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
}
