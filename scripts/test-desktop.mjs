#!/usr/bin/env node
// `npm run test:desktop`: the same in-editor suites under @vscode/test-electron, on a
// machine that can download desktop VS Code (this project's CI cannot: it uses the
// code-server harness in `npm test`). Runs on the oldest supported VS Code (1.100.3)
// and on stable, each with a fresh copy of the sample workspace.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { stdio: 'inherit' }).status !== 0)
  process.exit(1);
const sample = fs.existsSync(path.join(root, 'examples/rust-sample/Cargo.toml'))
  ? path.join(root, 'examples/rust-sample')
  : path.join(root, 'examples/empty');

let failed = 0;
for (const version of ['1.100.3', 'stable']) {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspot-lens-desktop-'));
  fs.cpSync(sample, ws, {
    recursive: true,
    filter: (p) => !/[\\/]target([\\/]|$)/.test(path.relative(sample, p)),
  });
  try {
    await runTests({
      version,
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'out/test/integration/index.js'),
      launchArgs: [ws, '--disable-extensions', '--disable-workspace-trust'],
    });
    console.log(`[test:desktop] VS Code ${version}: passed`);
  } catch (e) {
    failed++;
    console.error(`[test:desktop] VS Code ${version}: FAILED (${e instanceof Error ? e.message : e})`);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
}
process.exit(failed === 0 ? 0 : 1);
