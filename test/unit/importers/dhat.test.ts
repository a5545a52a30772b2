import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { dhatImporter, importFromDhat, parseDhatFrame } from '../../../src/core/importers/dhat';
import { ImportError } from '../../../src/core/importers/import-error';
import { inputFromBytes, readHead } from '../../../src/core/importers/input';
import { toFolded } from '../../../src/core/profile/aggregate';
import { assertGolden, fixturePath } from '../helpers/golden';

const small = {
  dhatFileVersion: 2,
  mode: 'rust-heap',
  verb: 'Allocated',
  cmd: 'target/release/app',
  pid: 42,
  te: 1000,
  tu: 'µs',
  pps: [
    { tb: 1024, tbk: 2, fs: [1, 2, 3] },
    { tb: 16, tbk: 4, fs: [1, 4, 3] },
    { tb: 0, tbk: 0, fs: [1, 3] },
  ],
  ftbl: [
    '[root]',
    '0x10f0e8f1a: <alloc::alloc::Global as core::alloc::Allocator>::allocate (alloc/src/alloc.rs:241:9)',
    '0x10f0e9000: app::grow (src/main.rs:12:5)',
    '0x10f0e9100: app::main (src/main.rs:30)',
    '0x4C2A: ??? (in /usr/lib/libc.so.6)',
  ],
};

function load(json: unknown, options = {}) {
  return importFromDhat(
    inputFromBytes('dhat-heap.json', typeof json === 'string' ? json : JSON.stringify(json)),
    options,
  );
}

async function rejects(json: unknown, pattern: RegExp) {
  await assert.rejects(load(json), (e: unknown) => {
    assert.ok(e instanceof ImportError, `expected ImportError, got ${e}`);
    assert.match(e.message, /^dhat-heap\.json: cannot read as DHAT: /);
    assert.match(e.message, pattern);
    return true;
  });
}

describe('DHAT importer', () => {
  it('parses frame-table entries into name, file, 1-based line and column, or module', () => {
    const cases: [string, unknown][] = [
      ['[root]', undefined],
      [
        '0x1: alloc::alloc::alloc (alloc.rs:87:9)',
        { name: 'alloc::alloc::alloc', file: 'alloc.rs', line: 87, column: 9 },
      ],
      ['0x10919E: main (prog.c:5)', { name: 'main', file: 'prog.c', line: 5 }],
      [
        '0x4849F9C: operator new(unsigned long) (in /usr/lib/vgpreload.so)',
        { name: 'operator new(unsigned long)', module: '/usr/lib/vgpreload.so' },
      ],
      ['0x4: foo(int, char*) (a b/c.cpp:3)', { name: 'foo(int, char*)', file: 'a b/c.cpp', line: 3 }],
      [
        '0x48A5E3B: (below main) (libc_start_call_main.h:58)',
        { name: '(below main)', file: 'libc_start_call_main.h', line: 58 },
      ],
      ['0x5: ???', { name: '???' }],
      ['0x6: f (weird)', { name: 'f (weird)' }],
    ];
    for (const [entry, frame] of cases) assert.deepEqual(parseDhatFrame(entry), frame, entry);
  });

  it('imports allocation sites as bytes, root first, without [root]', async () => {
    const p = await load(small);
    assert.equal(p.unit, 'bytes');
    assert.equal(p.total, 1040);
    assert.equal(p.sampleCount, 3);
    assert.equal(
      toFolded(p),
      'app::main;???;<alloc::alloc::Global as core::alloc::Allocator>::allocate 16\napp::main;app::grow;<alloc::alloc::Global as core::alloc::Allocator>::allocate 1024\n',
    );
    assert.equal(p.meta.command, 'target/release/app');
  });

  it('measures blocks when asked', async () => {
    const p = await load(small, { dhatMeasure: 'blocks' });
    assert.equal(p.unit, 'blocks');
    assert.equal(p.total, 6);
  });

  it('uses events for ad-hoc profiles', async () => {
    const p = await load({ ...small, mode: 'rust-ad-hoc' });
    assert.equal(p.unit, 'events');
    assert.equal(p.eventName, 'units');
  });

  describe('bad input', () => {
    it('empty file', () => rejects('', /the file is empty/));
    it('truncated', () => rejects(JSON.stringify(small).slice(0, 50), /not valid JSON/));
    it('the wrong format', () => rejects({ nodes: [] }, /\$\.dhatFileVersion/));
    it('a negative total', () =>
      rejects({ ...small, pps: [{ tb: -1, tbk: 1, fs: [1] }] }, /\$\.pps\[0\]\.tb/));
    it('an fs index outside ftbl', () =>
      rejects(
        { ...small, pps: [{ tb: 1, tbk: 1, fs: [1, 77] }] },
        /\$\.pps\[0\]\.fs: frame index 77 is out of range/,
      ));
  });

  describe('fixtures from valgrind --tool=dhat', () => {
    const dir = fixturePath('profiles', 'dhat');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
    it('has fixtures', () => assert.ok(files.length >= 2));
    for (const f of files) {
      it(`${f}: totals equal DHAT's, golden folded dump, detected without its name`, async () => {
        const bytes = fs.readFileSync(`${dir}/${f}`);
        const raw = JSON.parse(bytes.toString('utf8')) as { pps: { tb: number; tbk: number }[] };
        const p = await importFromDhat(inputFromBytes(f, bytes));
        assert.equal(
          p.total,
          raw.pps.reduce((a, pp) => a + pp.tb, 0),
        );
        const blocks = await importFromDhat(inputFromBytes(f, bytes), { dhatMeasure: 'blocks' });
        assert.equal(
          blocks.total,
          raw.pps.reduce((a, pp) => a + pp.tbk, 0),
        );
        assertGolden(`test/fixtures/golden/importers/dhat/${f}.folded`, toFolded(p));
        assert.equal(dhatImporter.detect(await readHead(inputFromBytes('unknown', bytes))), true);
      });
    }
  });
});
