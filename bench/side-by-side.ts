// Side by side with the Rust tools (`npm run bench` runs it; or
// `node --import tsx bench/side-by-side.ts [--large]`): our CLI (`report` with an empty
// `--root`) against inferno and the Node floor on the same generated inputs, interleaved in
// one run, with peak memory: the kit in ../shared/bench (side-by-side.sh, gen.mjs, the inferno
// binaries built for our machines). It prints the medians and the ratio ours/inferno
// (issue #15: < 1.0). When the kit is not beside the project it says so and measures nothing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const kit = path.resolve(root, '..', 'shared', 'bench', 'side-by-side.sh');
if (!fs.existsSync(kit)) {
  console.log(`side by side: skipped, the kit is not there (${kit})`);
} else {
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(1);
  const inputs = process.argv.includes('--large')
    ? ['perf-100MB', 'perf-1GB', 'folded-1M', 'cpuprofile-600MB']
    : ['perf-100MB', 'folded-1M'];
  const r = spawnSync('bash', [kit, ...inputs], { cwd: root, stdio: 'inherit' });
  process.exitCode = r.status ?? 1;
}
