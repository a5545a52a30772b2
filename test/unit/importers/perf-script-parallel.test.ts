import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ImportError } from '../../../src/core/importers/import-error';
import { importFromPerfScript, perfScriptImporter } from '../../../src/core/importers/perf-script';
import type { Profile } from '../../../src/core/profile/model';
import { fileInput } from '../../../src/node/file-input';
import { parallelImporter } from '../../../src/node/parallel-import';

const repo = path.resolve(__dirname, '..', '..', '..');
const workerPath = path.join(repo, 'dist', 'import-worker.js');
/** The sample workspace's own perf recording (examples/rust-sample/scripts/make-profiles.sh). */
const recording = fs.readFileSync(
  path.join(repo, 'examples', 'rust-sample', 'profiles', 'sample.perf'),
  'utf8',
);

/** Reads `file` in parts (at most `parts`, each at least `minPartBytes`) with the import worker. */
async function inParts(file: string, parts: number, minPartBytes = 1024): Promise<Profile | undefined> {
  assert.ok(fs.existsSync(workerPath), `${workerPath} is missing: run "node scripts/build.mjs" first`);
  const hook = parallelImporter(file, { workerPath, minBytes: 0, maxParts: parts, minPartBytes });
  return hook(fileInput(file), perfScriptImporter, {});
}

describe('perf script read in parts, in parallel (src/node/parallel-import.ts), and with a bounded line cache', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspot-lens-parallel-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('gives the very profile the file gives read at once (a real recording, 2 and 4 parts)', async () => {
    const file = path.join(tmp, 'sample.perf');
    fs.writeFileSync(file, recording);
    const whole = await importFromPerfScript(fileInput(file));
    for (const parts of [2, 4]) {
      const parted = await inParts(file, parts);
      assert.ok(parted, `the file was read in ${parts} parts`);
      assert.deepEqual(parted, whole);
    }
  });

  it('forgetting the frame lines seen (a bounded line cache) gives the same profile', async () => {
    const file = path.join(tmp, 'cache.perf');
    fs.writeFileSync(file, `${recording}\n${recording}`);
    const whole = await importFromPerfScript(fileInput(file));
    // a cache of 2 KiB restarts many times over this file
    const small = await importFromPerfScript(fileInput(file), {}, { whole: true, lineCacheBytes: 2048 });
    assert.deepEqual(small, whole);
  });

  it('names threads over the whole file: a comm whose two threads fall in different parts', async () => {
    // the recording, then again as if from another thread of the same program (its tid changed)
    const tid = /^hotspot-sample\s+(\d+)/m.exec(recording)![1];
    const other = recording.replaceAll(new RegExp(`^(hotspot-sample\\s+)${tid}\\b`, 'gm'), '$1999999');
    const file = path.join(tmp, 'two-threads.perf');
    fs.writeFileSync(file, `${recording}\n${other}`);
    const whole = await importFromPerfScript(fileInput(file));
    assert.ok(
      whole.threads.includes(`hotspot-sample-${tid}`) && whole.threads.includes('hotspot-sample-999999'),
    );
    const parted = await inParts(file, 2, Math.floor(fs.statSync(file).size / 3));
    assert.ok(parted);
    assert.deepEqual(parted, whole);
  });

  it('a bad line in a later part is reported with its line in the whole file, as read at once', async () => {
    const lines = `${recording}\n${recording}`.split('\n');
    const bad = Math.floor(lines.length * 0.8);
    // the first blank line after 80% of the file, then a line that is no header
    let at = bad;
    while (lines[at] !== '') at++;
    lines.splice(at + 1, 0, 'this is not a perf script line');
    const file = path.join(tmp, 'bad.perf');
    fs.writeFileSync(file, lines.join('\n'));
    const whole = await importFromPerfScript(fileInput(file)).then(
      () => assert.fail('the file read at once was accepted'),
      (e: unknown) => e,
    );
    assert.ok(whole instanceof ImportError);
    assert.equal(whole.location.line, at + 2);
    await assert.rejects(inParts(file, 3), (e: unknown) => {
      assert.ok(e instanceof ImportError);
      assert.equal(e.message, whole.message);
      return true;
    });
  });

  it('does not apply to small files, other formats, or a file with no sample boundary', async () => {
    const file = path.join(tmp, 'small.perf');
    fs.writeFileSync(file, recording);
    const hook = parallelImporter(file, { workerPath });
    assert.equal(await hook(fileInput(file), perfScriptImporter, {}), undefined, 'under 256 MiB');
    const folded = { ...perfScriptImporter, id: 'folded' as const };
    const any = parallelImporter(file, { workerPath, minBytes: 0, minPartBytes: 1024 });
    assert.equal(await any(fileInput(file), folded, {}), undefined, 'not perf script');
    // one sample only: no blank line to cut at
    const one = path.join(tmp, 'one.perf');
    fs.writeFileSync(one, recording.slice(0, recording.indexOf('\n\n') + 1).repeat(1));
    const single = parallelImporter(one, { workerPath, minBytes: 0, minPartBytes: 16, maxParts: 2 });
    assert.equal(await single(fileInput(one), perfScriptImporter, {}), undefined);
  });
});
