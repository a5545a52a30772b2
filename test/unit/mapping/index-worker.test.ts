import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { WorkspaceIndexPool } from '../../../src/node/index-pool';
import { fixturePath } from '../helpers/golden';

const repo = path.resolve(__dirname, '..', '..', '..');
const workerPath = path.join(repo, 'dist', 'index-worker.js');

describe('a large first index parsed on two threads (the index worker)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspot-lens-index-worker-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('gives the same index as parsing every file on this thread (Rust, C++, Go, JS workspaces)', async () => {
    assert.ok(fs.existsSync(workerPath), `${workerPath} is missing: run "node scripts/build.mjs" first`);
    const dir = fixturePath('workspaces');
    const workspaces = fs.readdirSync(dir).filter((d) => fs.statSync(path.join(dir, d)).isDirectory());
    assert.ok(workspaces.length >= 3, workspaces.join(', '));
    let parsedThere = 0;
    for (const ws of workspaces) {
      const root = path.join(dir, ws);
      const here = await new WorkspaceIndexPool({ workerPath: path.join(tmp, 'none.js') }).index({ root });
      // every build with two files or more to parse sends half of them to the worker
      const both = await new WorkspaceIndexPool({ workerPath, minFilesForWorker: 2 }).index({ root });
      assert.deepEqual(both.data, here.data, ws);
      // the same order of files (the lookup tables list definitions in this order)
      assert.deepEqual(Object.keys(both.data.files), Object.keys(here.data.files), ws);
      if (here.data.sourceFiles.length >= 2) parsedThere++;
    }
    assert.ok(parsedThere >= 2, 'some workspaces were parsed on two threads');
  });

  it('an error in the worker fails the build with its message', async () => {
    const root = path.join(tmp, 'ws');
    fs.mkdirSync(path.join(root, 'src'), { recursive: true });
    for (let i = 0; i < 4; i++) fs.writeFileSync(path.join(root, 'src', `m${i}.rs`), `pub fn f${i}() {}\n`);
    const broken = path.join(tmp, 'broken-worker.js');
    fs.writeFileSync(
      broken,
      "require('node:worker_threads').parentPort.postMessage({ ok: false, name: 'Error', message: 'no parsers here' });\n",
    );
    await assert.rejects(
      new WorkspaceIndexPool({ workerPath: broken, minFilesForWorker: 2 }).index({ root }),
      /no parsers here/,
    );
  });
});
