import fs from 'node:fs/promises';
import * as vscode from 'vscode';

/**
 * Size (bytes) and modification time (ms since the epoch) of a file. A `file:` URI is read
 * with Node directly: the extension host has the disk, and `vscode.workspace.fs` goes through
 * the workbench (in a browser-based VS Code a round trip of 90–200 ms measured on each load);
 * other schemes go through `vscode.workspace.fs`.
 * @throws Error (ENOENT, EACCES, or a FileSystemError) when the file cannot be stat'ed
 */
export async function statFile(uri: vscode.Uri): Promise<{ size: number; mtime: number }> {
  if (uri.scheme === 'file') {
    const st = await fs.stat(uri.fsPath);
    return { size: st.size, mtime: st.mtimeMs };
  }
  const st = await vscode.workspace.fs.stat(uri);
  return { size: st.size, mtime: st.mtime };
}
