import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ImportError } from '../../../src/core/importers/import-error';
import { inputFromBytes, readHead } from '../../../src/core/importers/input';
import { importFromPerfData, isPerfData, PERF_MISSING_MESSAGE } from '../../../src/core/importers/perf-data';
import { createPerfScriptRunner, runPerfScript } from '../../../src/node/perf-script-runner';
import { recordPerfData } from '../../harness/perf-data';

// Recorded by the test run itself from our own C program (see test/harness/perf-data.ts):
// a committed perf.data of any binary symbolizes only where that exact build is installed.
// (not under /tmp/perf-*: perf reads such paths as JIT symbol maps)
const RECORDING_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspot-lens-record-'));
let DATA = '';
before(() => {
  DATA = recordPerfData(RECORDING_DIR).data;
});
after(() => fs.rmSync(RECORDING_DIR, { recursive: true, force: true }));

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

  it('runs perf script on a perf.data recorded here, from a program the test builds, and imports its output', async () => {
    const p = await importFromPerfData(fileInput(DATA), runPerfScript);
    assert.equal(p.format, 'perf-data');
    assert.equal(p.source, DATA);
    // perf's own sample count: with `-F comm` perf script prints one line per sample
    const lines = execFileSync('perf', ['script', '-F', 'comm', '-i', DATA], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.trim() !== '');
    assert.ok(lines.length > 0, 'perf recorded samples');
    assert.equal(p.sampleCount, lines.length);
    // the program's own functions, symbolized through the binary built for the test, in caller order
    const names = p.frames.map((f) => f.name);
    assert.ok(names.includes('hl_inner'), names.join(', '));
    const chain = p.stacks.find((s) => {
      const n = s.frames.map((id) => p.frames[id].name);
      const i = n.indexOf('hl_outer');
      return i >= 0 && n[i + 1] === 'hl_inner' && n.slice(0, i).includes('main');
    });
    assert.ok(chain, 'a stack main → hl_outer → hl_inner');
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
