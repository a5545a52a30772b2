#!/usr/bin/env node
// The one test command (`npm test`). Works on a fresh clone: installs what it
// needs first (npm ci when node_modules is missing; the Debian packages of
// scripts/install-system-deps.sh; Node 24 and code-server for the in-editor
// tests, cached in .vscode-test/), all before the first stage, then runs
//   typecheck → lint → build → unit → grammar → editor (VS Code 1.139 and 1.100) → ui
// and ends with one summary line "N passed, N failed".
//
//   node scripts/test.mjs              every stage
//   node scripts/test.mjs unit grammar only these stages
// Plain Node with no dependencies: it must run before `npm ci`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const ALL = ['typecheck', 'lint', 'build', 'unit', 'grammar', 'editor', 'ui'];
const asked = process.argv.slice(2);
const stages = asked.length > 0 ? asked : ALL;
for (const s of stages) {
  if (!ALL.includes(s)) {
    console.error(`unknown stage "${s}"; stages: ${ALL.join(', ')}`);
    process.exit(2);
  }
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

function bin(name) {
  return path.join(root, 'node_modules', '.bin', name);
}

/** Lists files under dir whose names end with suffix, sorted. */
function listFiles(dir, suffix) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: false })
    .map(String)
    .filter((f) => f.endsWith(suffix))
    .map((f) => path.join(dir, f))
    .sort();
}

if (!fs.existsSync(path.join(root, 'node_modules', '.package-lock.json'))) {
  console.log('[test] node_modules missing: npm ci');
  if (run('npm', ['ci', '--no-audit', '--no-fund']) !== 0) process.exit(1);
}

// System packages (perf, cc, Chromium, …) and the in-editor set-up (Node 24, code-server)
// go in before any stage runs, so every stage sees the same machine: an install halfway
// through could upgrade packages under stages that already passed.
const needsSystem = stages.some((s) => ['unit', 'editor', 'ui'].includes(s));
if (needsSystem && process.env.HOTSPOT_LENS_SKIP_SYSTEM_DEPS !== '1') {
  if (run('bash', ['scripts/install-system-deps.sh']) !== 0) {
    console.error('[test] system packages missing: see above');
    process.exit(1);
  }
}
if (stages.some((s) => ['editor', 'ui'].includes(s))) {
  if (run('bash', ['scripts/setup-vscode-test.sh', 'all']) !== 0) {
    console.error('[test] in-editor test set-up failed: see above');
    process.exit(1);
  }
}

const results = [];
const t0 = Date.now();

const steps = {
  typecheck: () =>
    run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']) ||
    run(bin('tsc'), ['-p', 'tsconfig.core.json', '--noEmit']),
  lint: () => run(bin('biome'), ['ci', '--colors=off', '.']),
  build: () => run(process.execPath, ['scripts/build.mjs']),
  unit: () => {
    const files = listFiles('test/unit', '.test.ts');
    if (files.length === 0) {
      console.error('[test] no unit tests found');
      return 1;
    }
    return run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files]);
  },
  grammar: () => run(process.execPath, ['scripts/test-grammars.mjs']),
  editor: () =>
    run(process.execPath, ['--import', 'tsx', 'test/harness/run-editor-tests.ts', '--all-versions']),
  ui: () => run(process.execPath, ['--import', 'tsx', 'test/harness/ui-check.ts']),
};

for (const stage of stages) {
  const s0 = Date.now();
  console.log(`\n[test] ── ${stage} ──`);
  let status;
  try {
    status = steps[stage]();
  } catch (e) {
    console.error(`[test] ${stage}: ${e instanceof Error ? e.message : e}`);
    status = 1;
  }
  results.push({ stage, ok: status === 0, ms: Date.now() - s0 });
  console.log(
    `[test] ${stage}: ${status === 0 ? 'passed' : `FAILED (exit ${status})`} in ${((Date.now() - s0) / 1000).toFixed(1)} s`,
  );
  if (status !== 0 && process.env.HOTSPOT_LENS_KEEP_GOING !== '1') break;
}

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log(
  `\n[test] stages: ${results.map((r) => `${r.stage} ${r.ok ? 'ok' : 'FAILED'}`).join(', ')} (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
);
console.log(`stages: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && results.length === stages.length ? 0 : 1);
