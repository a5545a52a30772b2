import { AgentToolError } from './tool-specs';

/**
 * Normalizes a path an agent gave to a workspace-relative one (`/`-separated, no `.` or
 * empty segments), refusing anything that could leave the workspace folder.
 * Pure text: a symlink inside the workspace that points outside it is the caller's check.
 * @param input the path as given (`src/main.rs`, `./src\\main.rs`)
 * @returns the normalized relative path (`src/main.rs`)
 * @throws AgentToolError for an absolute path (`/x`, `C:\\x`, `\\\\server\\x`, `~/x`, a URL), a
 *   `..` that climbs out of the folder, an empty path or a NUL character
 */
export function workspaceRelativePath(input: string): string {
  const p = input.trim().replace(/\\/g, '/');
  if (p === '' || p.includes('\u0000')) throw new AgentToolError('The path is empty or invalid.');
  if (p.startsWith('/') || p.startsWith('~') || /^[A-Za-z]:/.test(p) || /^[A-Za-z][\w+.-]*:\/\//.test(p))
    throw new AgentToolError(
      `"${input}" is not a workspace-relative path: give the path relative to the workspace folder (e.g. "src/main.rs").`,
    );
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length === 0) throw new AgentToolError(`"${input}" is outside the workspace folder.`);
      out.pop();
    } else out.push(seg);
  }
  if (out.length === 0) throw new AgentToolError(`"${input}" names the workspace folder, not a file.`);
  return out.join('/');
}
