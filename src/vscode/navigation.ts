import * as vscode from 'vscode';
import type { Session } from './session';

/**
 * Opens a hot function's definition: `target` is a function key (from the
 * Hotspots view or a CodeLens) or `{ file, line }` (workspace-relative file,
 * 1-based line, from a hover link); `{ file }` without a line opens the file at
 * its hottest function (by self time incl. libraries).
 */
export async function openFunction(session: Session, target: unknown): Promise<void> {
  let file: string | undefined;
  let line = 1;
  if (typeof target === 'string') {
    const f = session.profile?.analysis.hotspots.find((h) => h.key === target);
    if (!f) return;
    file = f.file;
    line = f.line;
  } else if (target && typeof target === 'object' && 'file' in target) {
    const t = target as { file: unknown; line?: unknown };
    if (typeof t.file === 'string') file = t.file;
    if (typeof t.line === 'number') line = t.line;
    else if (file) line = hottestFunctionIn(session, file)?.line ?? 1;
  }
  const uri = file ? session.uriOf(file) : undefined;
  if (!uri) return;
  await revealLine(uri, line);
}

/**
 * Opens a plan at a 1-based line and selects it. `planFile` is a URI, an absolute
 * path, or a path relative to the first workspace folder.
 */
export async function revealPlanLine(planFile: vscode.Uri | string, line: number): Promise<void> {
  const uri = toUri(planFile);
  if (uri) await revealLine(uri, line);
}

/** Opens a document and reveals a 1-based line (clamped to the document). */
export async function revealLine(uri: vscode.Uri, line: number): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const l = Math.min(Math.max(1, Math.floor(line) || 1), doc.lineCount) - 1;
  const range = doc.lineAt(l).range;
  return vscode.window.showTextDocument(doc, {
    selection: new vscode.Range(range.start, range.start),
    preview: true,
  });
}

function toUri(p: vscode.Uri | string): vscode.Uri | undefined {
  if (p instanceof vscode.Uri) return p;
  if (typeof p !== 'string' || p === '') return undefined;
  if (/^[a-z][\w+.-]*:\/\//i.test(p)) return vscode.Uri.parse(p);
  if (p.startsWith('/')) return vscode.Uri.file(p);
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, p) : undefined;
}

/** The hottest function of a workspace-relative file (by self time incl. libraries, then total), if any. */
export function hottestFunctionIn(session: Session, file: string) {
  let best: NonNullable<Session['profile']>['analysis']['hotspots'][number] | undefined;
  for (const f of session.profile?.analysis.hotspots ?? []) {
    if (f.file !== file) continue;
    if (
      !best ||
      f.selfInclLibraries > best.selfInclLibraries ||
      (f.selfInclLibraries === best.selfInclLibraries && f.total > best.total)
    )
      best = f;
  }
  return best;
}
