#!/usr/bin/env node
// Bundles the extension and the CLI with esbuild.
//   dist/extension.js  the extension (vscode external), CommonJS for the extension host
//   dist/worker.js     the profile-loading worker (worker_threads), when src/vscode/load-worker.ts exists
//   dist/cli.js        the `hotspot-lens` executable (a launcher of dist/cli-main.js, the command line)
//   dist/cli-mcp.js    its `mcp` command (the MCP SDK), loaded only when that command runs
//   out/test/...       in-editor test suites (mocha inside the extension host)
//   node scripts/build.mjs [--production] [--watch]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
  // web-tree-sitter and friends load .wasm files at run time from dist/
  loader: { '.wasm': 'file' },
};

// `hotspot-lens mcp` lives in its own bundle: cli.js's `import('./mcp-command')` becomes a
// require of dist/cli-mcp.js at run time, so the other commands never load (or parse) the MCP SDK
const mcpChunk = {
  name: 'mcp-chunk',
  setup(build) {
    build.onResolve({ filter: /^\.\/mcp-command$/ }, () => ({ path: './cli-mcp.js', external: true }));
  },
};

const builds = [
  { ...common, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist', external: ['vscode'] },
  {
    ...common,
    entryPoints: { 'cli-main': 'src/cli/main.ts' },
    outdir: 'dist',
    plugins: [mcpChunk],
  },
  // dist/cli.js, the executable: turns on Node's compile cache, then requires dist/cli-main.js
  { ...common, entryPoints: { cli: 'src/cli/launcher.ts' }, outdir: 'dist', external: ['./cli-main.js'] },
];
// the import worker: one part of a large perf script file (src/node/parallel-import.ts)
builds.push({ ...common, entryPoints: { 'import-worker': 'src/node/import-worker.ts' }, outdir: 'dist' });
// the index worker: parses half of the files of a large first index (src/node/index-pool.ts)
builds.push({ ...common, entryPoints: { 'index-worker': 'src/node/index-worker.ts' }, outdir: 'dist' });
// the recording worker: imports a new recording off the extension host (src/node/recorder.ts)
builds.push({ ...common, entryPoints: { 'record-worker': 'src/node/record-worker.ts' }, outdir: 'dist' });
if (fs.existsSync(path.join(root, 'src/cli/mcp-command.ts'))) {
  builds.push({ ...common, entryPoints: { 'cli-mcp': 'src/cli/mcp-command.ts' }, outdir: 'dist' });
}
if (fs.existsSync(path.join(root, 'src/vscode/load-worker.ts'))) {
  builds.push({ ...common, entryPoints: { worker: 'src/vscode/load-worker.ts' }, outdir: 'dist' });
}
// the flame graph: its loading worker (node) and its webview script (browser, IIFE)
if (fs.existsSync(path.join(root, 'src/vscode/flame-graph/flame-worker.ts'))) {
  builds.push({
    ...common,
    entryPoints: { 'flame-worker': 'src/vscode/flame-graph/flame-worker.ts' },
    outdir: 'dist',
  });
  builds.push({
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: { 'flame-graph': 'src/webview/flame-graph/main.ts' },
    outdir: 'dist/webview',
  });
}
if (!production) {
  const suites = fs.existsSync(path.join(root, 'test/integration'))
    ? fs
        .readdirSync(path.join(root, 'test/integration'), { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('.ts'))
    : [];
  if (suites.length > 0) {
    builds.push({
      ...common,
      entryPoints: suites.map((f) => path.join('test/integration', f)),
      outdir: 'out/test/integration',
      outbase: 'test/integration',
      external: ['vscode', 'mocha'],
    });
  }
}

// wasm the bundles load at run time (tree-sitter runtime and grammars, the demangler): dist/wasm/
const WASM = [
  ...[
    'tree-sitter',
    'tree-sitter-rust',
    'tree-sitter-cpp',
    'tree-sitter-go',
    'tree-sitter-python',
    'tree-sitter-javascript',
    'tree-sitter-typescript',
    'tree-sitter-tsx',
  ].map((n) => `node_modules/@vscode/tree-sitter-wasm/wasm/${n}.wasm`),
  'node_modules/gecko-profiler-demangle/index_bg.wasm',
];
fs.mkdirSync(path.join(root, 'dist/wasm'), { recursive: true });
for (const f of WASM) fs.copyFileSync(path.join(root, f), path.join(root, 'dist/wasm', path.basename(f)));

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log('[build] watching…');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  if (fs.existsSync(path.join(root, 'dist/cli.js'))) fs.chmodSync(path.join(root, 'dist/cli.js'), 0o755);
}
