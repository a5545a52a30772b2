#!/usr/bin/env node
// Builds the production bundle and packages the .vsix with vsce.
//   node scripts/package.mjs [--out path.vsix]
// `.vscodeignore` is a whitelist, so the .vsix holds only what runs
// (dist/*.js, wasm grammars, media/, syntaxes/, package.json, README, CHANGELOG, LICENSE).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const i = process.argv.indexOf('--out');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const out = i > 0 ? path.resolve(process.argv[i + 1]) : path.join(root, `${pkg.name}-${pkg.version}.vsix`);
fs.mkdirSync(path.dirname(out), { recursive: true });
const vsce = path.join(root, 'node_modules', '.bin', 'vsce');
// vsce runs the `vscode:prepublish` script (production build) itself
const r = spawnSync(
  vsce,
  ['package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '--out', out],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
if (r.status !== 0) process.exit(r.status ?? 1);
console.log(
  `[package] ${path.relative(process.cwd(), out)} (${(fs.statSync(out).size / 1024).toFixed(0)} KB)`,
);
