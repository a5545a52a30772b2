import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ImportError } from '../../../src/core/importers/import-error';
import { inputFromBytes, readHead } from '../../../src/core/importers/input';
import { importFromPerfData, isPerfData, PERF_MISSING_MESSAGE } from '../../../src/core/importers/perf-data';
import { createPerfScriptRunner, runPerfScript } from '../../../src/node/perf-script-runner';
import { fixturePath } from '../helpers/golden';

const DATA = fixturePath('golden', 'importers', 'perf-data', 'busy.data');

/** A file input over a real path (the runner reads the file itself, by name). */
function fileInput(file: string) {
  return inputFromBytes(file, fs.readFileSync(file));
}

describe('perf.data importer', () => {
  it('detects the PERFILE2 magic, in either byte order, and nothing else', async () => {
    assert.equal(isPerfData(await readHead(inputFromBytes('unknown', fs.readFileSync(DATA)))), true);
    const head = (text: string) => ({ name: 'unknown', bytes: new TextEncoder().encode(text), text });
    assert.equal(isPerfData(head('2ELIFREP\u0000\u0000')), true);
    assert.equal(isPerfData(head('PERFILE')), false);
    assert.equal(isPerfData(head('perf 123 1.0: 1 cpu-clock:')), false);
  });

  it('runs perf script on a real perf.data and imports its output', async () => {
    const p = await importFromPerfData(fileInput(DATA), runPerfScript);
    assert.equal(p.format, 'perf-data');
    assert.equal(p.source, DATA);
    // perf's own sample count: with `-F comm` perf script prints one line per sample
    const lines = execFileSync('perf', ['script', '-F', 'comm', '-i', DATA], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.trim() !== '');
    assert.equal(p.sampleCount, lines.length);
    assert.ok(p.frames.some((f) => f.name.startsWith('Perl_')));
  });

  it('says how to convert the file when perf is not installed', async () => {
    const runner = createPerfScriptRunner({ perfPath: path.join(os.tmpdir(), 'no-such-dir', 'perf') });
    await assert.rejects(importFromPerfData(fileInput(DATA), runner), (e: unknown) => {
      assert.ok(e instanceof ImportError);
      assert.equal(e.message, `${DATA}: cannot read as perf.data: ${PERF_MISSING_MESSAGE}`);
      return true;
    });
  });

  it('reports perf failing on a bad file with its first error line', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-data-test-'));
    const bad = path.join(dir, 'bad.data');
    fs.writeFileSync(bad, 'PERFILE2 but then nothing sensible');
    try {
      await assert.rejects(importFromPerfData(fileInput(bad), runPerfScript), (e: unknown) => {
        assert.ok(e instanceof ImportError);
        assert.match(e.message, /bad\.data: cannot read as perf\.data: perf script failed: \S/);
        return true;
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('explains the conversion when no runner is given (pure core)', async () => {
    await assert.rejects(importFromPerfData(fileInput(DATA), undefined), /perf\.data needs the `perf` tool/);
  });
});
