import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot, resultsDir } from './code-server';

/**
 * Packages the extension as it ships (`scripts/package.mjs`: production build + vsce)
 * into test-results/, and returns the .vsix path.
 * @throws Error when packaging fails
 */
export function packageVsix(): string {
  const out = path.join(resultsDir, 'hotspot-lens.vsix');
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/package.mjs'), '--out', out], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`packaging the .vsix failed:\n${r.stdout}${r.stderr}`);
  return out;
}
