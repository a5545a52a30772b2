#!/usr/bin/env node
// `npm start`: opens a real VS Code with Hotspot Lens on the bundled sample workspace
// (examples/rust-sample: its workspace settings load the sample's profile and plan).
//   1. desktop `code` on PATH   → code --extensionDevelopmentPath=<repo> <sample>
//   2. else @vscode/test-electron's download of VS Code (needs the internet)
//   3. else code-server (installed into .vscode-test/ on first use), printing its URL
// Works on a fresh clone: runs `npm ci` when node_modules is missing, then builds.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const sample = fs.existsSync(path.join(root, 'examples/rust-sample/Cargo.toml'))
  ? path.join(root, 'examples/rust-sample')
  : path.join(root, 'examples/empty');

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  return r.status ?? 1;
}

if (!fs.existsSync(path.join(root, 'node_modules', '.package-lock.json'))) {
  console.log('[start] node_modules missing: npm ci');
  if (run('npm', ['ci', '--no-audit', '--no-fund']) !== 0) process.exit(1);
}
if (run(process.execPath, ['scripts/build.mjs']) !== 0) process.exit(1);

/** The sample's hottest workspace file with a hint (from the CLI: the same engine), opened at start. */
function hottestFile() {
  try {
    const settings = JSON.parse(fs.readFileSync(path.join(sample, '.vscode/settings.json'), 'utf8'));
    const profile = settings['hotspotLens.profile'];
    if (!profile) return undefined;
    const r = spawnSync(
      process.execPath,
      [
        path.join(root, 'dist/cli.js'),
        'report',
        '--profile',
        path.join(sample, profile),
        '--root',
        sample,
        '--json',
      ],
      { encoding: 'utf8' },
    );
    const hit = JSON.parse(r.stdout).hotspots.find((h) => h.file && h.hint);
    return hit ? path.join(sample, hit.file) : undefined;
  } catch {
    return undefined;
  }
}
const openFile = hottestFile();
const which = (name) => spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();

if (!process.env.HOTSPOT_LENS_USE_CODE_SERVER && which('code')) {
  console.log(`[start] opening ${sample} in VS Code (desktop)`);
  process.exit(
    run(which('code'), [
      '--new-window',
      `--extensionDevelopmentPath=${root}`,
      sample,
      ...(openFile ? [openFile] : []),
    ]),
  );
}

if (!process.env.HOTSPOT_LENS_USE_CODE_SERVER) {
  try {
    const { downloadAndUnzipVSCode } = await import('@vscode/test-electron');
    const exe = await downloadAndUnzipVSCode({ version: 'stable', timeout: 15000 });
    console.log(`[start] opening ${sample} in downloaded VS Code ${exe}`);
    const child = spawn(exe, ['--new-window', `--extensionDevelopmentPath=${root}`, sample], {
      stdio: 'inherit',
    });
    child.on('exit', (code) => process.exit(code ?? 0));
    await new Promise(() => {});
  } catch (e) {
    console.log(
      `[start] no desktop VS Code could be downloaded (${e instanceof Error ? e.message.split('\n')[0] : e}); using code-server`,
    );
  }
}

// code-server: the real VS Code server and web workbench, in a browser
process.exit(
  run(process.execPath, [
    '--import',
    'tsx',
    'test/harness/serve.ts',
    sample,
    ...(openFile ? [openFile] : []),
  ]),
);
