import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { RecordingError } from '../../../src/core/record/diagnose';
import { parseWorkload } from '../../../src/core/record/workload';
import { assessRecordingFile, assessRecordingInWorker } from '../../../src/node/recorder';

const repo = path.resolve(__dirname, '..', '..', '..');
const workerPath = path.join(repo, 'dist', 'record-worker.js');

describe('a new recording assessed in the recording worker (off the editor thread)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspot-lens-assess-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const perf = parseWorkload({ profiler: 'perf', command: ['./app'] }, 'test');
  const custom = parseWorkload({ profiler: 'custom', command: ['./app'] }, 'test');

  it('gives the figures and warnings of an assessment on this thread (the sample recording)', async () => {
    assert.ok(fs.existsSync(workerPath), `${workerPath} is missing: run "node scripts/build.mjs" first`);
    const file = path.join(tmp, 'sample.perf');
    fs.copyFileSync(path.join(repo, 'examples', 'rust-sample', 'profiles', 'sample.perf'), file);
    const here = await assessRecordingFile(file, perf);
    const there = await assessRecordingInWorker(workerPath, file, perf);
    assert.deepEqual(there, here);
    assert.equal(there.total, 438);
    assert.equal(there.unit, 'samples');
  });

  it('a recording that does not import is a RecordingError, as on this thread', async () => {
    const file = path.join(tmp, 'garbage.profile');
    fs.writeFileSync(file, 'this is not a profile\n');
    const here = await assessRecordingFile(file, custom).then(
      () => assert.fail('accepted'),
      (e: unknown) => e,
    );
    assert.ok(here instanceof RecordingError);
    await assert.rejects(assessRecordingInWorker(workerPath, file, custom), (e: unknown) => {
      assert.ok(e instanceof RecordingError);
      assert.equal(e.message, here.message);
      return true;
    });
  });
});
