import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { buildWorkspaceIndexData, type WorkspaceFs } from '../../../src/core/mapping/workspace-index';
import { WorkspaceIndexPool } from '../../../src/node/index-pool';
import { createNodeWorkspaceFs, loadIndexCache } from '../../../src/node/workspace-fs';
import { fixturePath } from '../helpers/golden';
import { testParsers } from './setup';

/** A workspace file system that counts the source files it reads. */
function counting(root: string): { fs: WorkspaceFs; reads: string[] } {
  const inner = createNodeWorkspaceFs(root);
  const reads: string[] = [];
  return {
    reads,
    fs: {
      listFiles: (g) => inner.listFiles(g),
      readFile: (f) => {
        if (!/(Cargo\.toml|go\.mod)$/.test(f)) reads.push(f);
        return inner.readFile(f);
      },
      stat: (f) => inner.stat!(f),
    },
  };
}

describe('workspace index cache', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspot-lens-index-cache-'));
  const root = path.join(tmp, 'ws');
  const cacheDir = path.join(tmp, 'cache');
  fs.cpSync(fixturePath('workspaces', 'cargo-multi'), root, { recursive: true });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('a reload reads and parses only the files that changed, with the same result', async () => {
    const parsers = await testParsers();
    const first = counting(root);
    const cache1 = loadIndexCache(cacheDir, root, 'test-1');
    const data1 = await buildWorkspaceIndexData(first.fs, parsers, cache1);
    await cache1.save();
    assert.ok(first.reads.length >= 2, `read ${first.reads.join(', ')}`);
    assert.ok(Object.keys(data1.files).length >= 2);

    // unchanged: nothing read, the same index
    const second = counting(root);
    const data2 = await buildWorkspaceIndexData(second.fs, parsers, loadIndexCache(cacheDir, root, 'test-1'));
    assert.deepEqual(second.reads, []);
    assert.deepEqual(data2, data1);

    // one file edited: only it is read again, and its new function is indexed
    const edited = first.reads[0];
    fs.appendFileSync(path.join(root, edited), '\npub fn added_after_the_cache() {}\n');
    const third = counting(root);
    const cache3 = loadIndexCache(cacheDir, root, 'test-1');
    const data3 = await buildWorkspaceIndexData(third.fs, parsers, cache3);
    await cache3.save();
    assert.deepEqual(third.reads, [edited]);
    assert.ok(data3.files[edited].definitions.some((d) => d.name === 'added_after_the_cache'));

    // another version of the extension does not trust the entries
    const fourth = counting(root);
    await buildWorkspaceIndexData(fourth.fs, parsers, loadIndexCache(cacheDir, root, 'test-2'));
    assert.deepEqual(fourth.reads.sort(), [...first.reads].sort());
  });

  it('a damaged cache file is an empty cache, not an error', async () => {
    const dir = path.join(tmp, 'damaged');
    fs.mkdirSync(dir, { recursive: true });
    const cache = loadIndexCache(dir, root, 'v');
    cache.set('x.rs', 1, 2, null);
    await cache.save();
    for (const f of fs.readdirSync(dir)) fs.writeFileSync(path.join(dir, f), '{ not json');
    const again = loadIndexCache(dir, root, 'v');
    assert.equal(again.get('x.rs', 1, 2), undefined);
  });
});

describe('workspace index kept in memory between loads (WorkspaceIndexPool)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspot-lens-index-pool-'));
  const root = path.join(tmp, 'ws');
  fs.cpSync(fixturePath('workspaces', 'cargo-multi'), root, { recursive: true });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('returns the same index while nothing changes, and a new one with the change when a file does', async () => {
    const pool = new WorkspaceIndexPool();
    const first = await pool.index({ root });
    const files = Object.keys(first.data.files);
    assert.ok(files.length >= 2, `indexed ${files.join(', ')}`);
    const someName = first.data.files[files[0]].definitions[0].name;
    assert.ok(first.definitionsNamed(someName).length > 0);

    // unchanged: the very same index, its lookup tables already derived
    assert.equal(await pool.index({ root }), first);

    // one file edited: a new index that has the new function; the others' entries are reused
    fs.appendFileSync(path.join(root, files[0]), '\npub fn added_while_kept() {}\n');
    const second = await pool.index({ root });
    assert.notEqual(second, first);
    assert.equal(second.definitionsNamed('added_while_kept')[0]?.file, files[0]);
    assert.equal(second.data.files[files[1]], first.data.files[files[1]]);

    // a file deleted: it is gone from the next index
    fs.rmSync(path.join(root, files[1]));
    const third = await pool.index({ root });
    assert.equal(third.data.files[files[1]], undefined);
    assert.ok(!third.data.sourceFiles.includes(files[1]));

    // another folder (or other excludes) is another index, not the kept one
    const other = await pool.index({ root, exclude: ['**/never-matches/**'] });
    assert.notEqual(other, third);
    assert.equal(other.data.files[files[1]], undefined);
  });
});
