// Loading real projects' own profiles (`node --import tsx bench/corpus-load.ts [corpus-dir]`):
// for each project of bench/mapping-corpus.json (the public repositories that committed a
// profile beside their source; see bench/make-corpus.sh), the time to load its profile onto
// its checkout as the editor's loading worker does (`analyzeFiles` with a WorkspaceIndexPool):
//   first   a new process: the workspace indexed from nothing (no index cache);
//   reload  the same process again, the workspace unchanged (the index kept in memory);
// and the CLI end to end (`node dist/cli.js report`, a fresh process: start-up included).
// Without the corpus directory it says so and exits 0.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { analyzeFiles } from '../src/node/analyze-files';
import { WorkspaceIndexPool } from '../src/node/index-pool';

const root = path.resolve(__dirname, '..');
const corpusDir =
  process.argv.slice(2).find((a) => !a.startsWith('--')) ??
  process.env.HOTSPOT_LENS_CORPUS ??
  path.join(root, '..', 'corpus');

async function main(): Promise<void> {
  if (!fs.existsSync(corpusDir)) {
    console.log(`corpus load: skipped — no corpus at ${corpusDir} (make it with bench/make-corpus.sh <dir>)`);
    return;
  }
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root });
  if (build.status !== 0) throw new Error(`the build failed: ${build.stderr}`);
  const projects = JSON.parse(fs.readFileSync(path.join(__dirname, 'mapping-corpus.json'), 'utf8')) as {
    name: string;
    profile: string;
  }[];
  const ms = (t0: number) => `${(performance.now() - t0).toFixed(0)} ms`.padStart(8);
  console.log(`${'project'.padEnd(22)}${'profile'.padEnd(36)}   first   reload  CLI report  source files`);
  for (const p of projects) {
    const checkout = path.join(corpusDir, p.name);
    const profilePath = path.join(checkout, p.profile);
    if (!fs.existsSync(profilePath)) {
      console.log(`${p.name}: skipped — ${profilePath} is missing`);
      continue;
    }
    const pool = new WorkspaceIndexPool({ workerPath: path.join(root, 'dist', 'index-worker.js') });
    let t0 = performance.now();
    const first = await analyzeFiles({ profilePath, root: checkout, indexPool: pool });
    const firstMs = ms(t0);
    t0 = performance.now();
    await analyzeFiles({ profilePath, root: checkout, indexPool: pool });
    const reloadMs = ms(t0);
    t0 = performance.now();
    const cli = spawnSync(
      process.execPath,
      [
        path.join(root, 'dist', 'cli.js'),
        'report',
        '--profile',
        profilePath,
        '--root',
        checkout,
        '--top',
        '5',
      ],
      { encoding: 'utf8' },
    );
    const cliMs = cli.status === 0 ? ms(t0) : `exit ${cli.status}`;
    const files = (await pool.index({ root: checkout })).data.sourceFiles.length;
    console.log(
      `${p.name.padEnd(22)}${`${p.profile} (${(fs.statSync(profilePath).size / 1024).toFixed(0)} KiB)`.padEnd(36)}${firstMs} ${reloadMs} ${cliMs.padStart(10)}  ${files} (${first.analysis.hotspots.length} hotspots)`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
