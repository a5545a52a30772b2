// In the real editor (`npm run bench` runs it; or `node --import tsx bench/editor-load-bench.ts`):
// *Load Profile* of a 100 MB perf script of the sample workspace to the decorations on the open
// file, and the longest time the extension host was blocked meanwhile, three loads in one
// window (the first starts the loading worker and indexes the workspace; the others are what
// a re-profile costs). Runs the benchmark suite test/integration/suite/bench-editor-load.test.ts
// in code-server (VS Code 1.139) through the test harness and prints what it wrote.
// Targets (issue #15): < 1.5 s to decorations; the host never blocked > 50 ms.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const results = path.join(root, 'test-results', 'editor-newest', 'editor-load-bench.json');
fs.rmSync(results, { force: true });
const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root });
if (build.status !== 0) {
  process.stderr.write(build.stderr);
  process.exit(1);
}
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', path.join(root, 'test', 'harness', 'run-editor-tests.ts'), '--flavor', 'newest'],
  { cwd: root, env: { ...process.env, HOTSPOT_LENS_SUITE: 'bench-editor-load' }, encoding: 'utf8' },
);
if (r.status !== 0 || !fs.existsSync(results)) {
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  console.log('editor load bench: the editor run failed (above)');
  process.exit(1);
}
const out = JSON.parse(fs.readFileSync(results, 'utf8')) as {
  vscode: string;
  profileBytes: number;
  runs: {
    loadToDecorationsMs: number;
    maxBlockedMs: number;
    maxBusyMs?: number;
    blocks?: { atMs: number; ms: number; cpuMs: number }[];
  }[];
};
console.log(
  `VS Code ${out.vscode}: Load Profile of a ${(out.profileBytes / 1e6).toFixed(0)} MB perf script → decorations on the open file`,
);
out.runs.forEach((x, i) => {
  const what = i === 0 ? 'first load (worker start, index)' : 'reload (worker and index kept)';
  console.log(
    `  ${what.padEnd(34)} ${(x.loadToDecorationsMs / 1000).toFixed(2)} s  (target < 1.5 s ${x.loadToDecorationsMs < 1500 ? 'met' : 'NOT met'})   host blocked at most ${x.maxBlockedMs.toFixed(0)} ms  (target ≤ 50 ms ${x.maxBlockedMs <= 50 ? 'met' : 'NOT met'})`,
  );
  if (x.maxBusyMs !== undefined && !Number.isNaN(x.maxBusyMs))
    console.log(
      `    of that, the host thread's own work at most ${x.maxBusyMs.toFixed(0)} ms (the rest of a late tick is waiting for a CPU)`,
    );
  if (x.blocks?.length)
    console.log(
      `    late ticks over 20 ms (ms after the call: late by, CPU time in it): ${x.blocks.map((b) => `${b.atMs}: ${b.ms} ms, ${b.cpuMs} ms`).join('; ')}`,
    );
});
