import * as vscode from 'vscode';
import type { HotspotLensApi } from '../../src/extension';

export const EXTENSION_ID = 'hotspot-lens.hotspot-lens';

/** Activates the extension and returns its API. */
export async function api(): Promise<HotspotLensApi> {
  const ext = vscode.extensions.getExtension<HotspotLensApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed`);
  return ext.activate();
}

/** Waits until `check` returns a truthy value (polling), or throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The workspace folder the harness opened (a temp copy of the sample). */
export function folder(): vscode.WorkspaceFolder {
  const f = vscode.workspace.workspaceFolders?.[0];
  if (!f) throw new Error('no workspace folder is open');
  return f;
}

/** A URI inside the workspace. */
export function wsUri(relative: string): vscode.Uri {
  return vscode.Uri.joinPath(folder().uri, relative);
}

/** A file of the repository (fixtures), found through the extension's own folder. */
export function repoUri(relative: string): vscode.Uri {
  const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
  return vscode.Uri.joinPath(ext.extensionUri, relative);
}

/** Opens a workspace file in an editor. */
export async function open(relative: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(wsUri(relative));
  return vscode.window.showTextDocument(doc);
}

/** Reads a file's bytes. */
export async function bytes(uri: vscode.Uri): Promise<Uint8Array> {
  return vscode.workspace.fs.readFile(uri);
}

/**
 * The perf.data the harness recorded for this run from our own program
 * (test/harness/perf-data.ts; `HOTSPOT_LENS_PERF_DATA`).
 * @throws Error when the harness did not record one
 */
export function recordedPerfData(): vscode.Uri {
  const file = process.env.HOTSPOT_LENS_PERF_DATA;
  if (!file)
    throw new Error(
      'HOTSPOT_LENS_PERF_DATA is not set: run the suites through test/harness/run-editor-tests.ts',
    );
  // the same scheme and authority as the extension's own files (remote in code-server)
  const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
  return ext.extensionUri.with({ path: vscode.Uri.file(file).path });
}
