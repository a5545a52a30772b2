import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import zlib from 'node:zlib';
import {
  Label,
  Line,
  Location,
  Mapping,
  Function as PFunction,
  Profile as PProfile,
  Sample,
  StringTable,
  ValueType,
} from 'pprof-format';
import { ImportError } from '../../../src/core/importers/import-error';
import { inputFromBytes, readHead } from '../../../src/core/importers/input';
import { importFromPprof, isPprof, pprofImporter } from '../../../src/core/importers/pprof';
import { toFolded } from '../../../src/core/profile/aggregate';
import { assertGolden, fixturePath } from '../helpers/golden';

/** Encodes a small pprof profile: main → work (with `helper` inlined into work) and main → idle. */
function encode(opts: { negative?: boolean; threads?: boolean; badLocation?: boolean } = {}): Uint8Array {
  const st = new StringTable();
  const s = (x: string) => st.dedup(x);
  const sampleType = [
    new ValueType({ type: s('samples'), unit: s('count') }),
    new ValueType({ type: s('cpu'), unit: s('nanoseconds') }),
    new ValueType({ type: s('alloc_space'), unit: s('bytes') }),
  ];
  const fn = (id: number, name: string, line: number) =>
    new PFunction({ id, name: s(name), systemName: s(name), filename: s('/src/app.go'), startLine: line });
  const functions = [
    fn(1, 'main.main', 10),
    fn(2, 'main.work', 20),
    fn(3, 'main.helper', 30),
    fn(4, 'main.idle', 40),
  ];
  const mapping = [new Mapping({ id: 1, filename: s('/bin/app'), hasFunctions: true })];
  const location = [
    new Location({ id: 1, mappingId: 1, address: 0x1000, line: [new Line({ functionId: 1, line: 12 })] }),
    // inlined: line[0] is helper (innermost), line[1] is work (the caller)
    new Location({
      id: 2,
      mappingId: 1,
      address: 0x2000,
      line: [new Line({ functionId: 3, line: 31 }), new Line({ functionId: 2, line: 22 })],
    }),
    new Location({ id: 3, mappingId: 1, address: 0x3000, line: [new Line({ functionId: 4, line: 0 })] }),
    new Location({ id: 4, mappingId: 1, address: 0x4abc, line: [] }),
  ];
  const label = (name: string) => (opts.threads ? [new Label({ key: s('thread name'), str: s(name) })] : []);
  const sample = [
    new Sample({ locationId: [2, 1], value: [3, 30_000_000, 100], label: label('worker') }),
    new Sample({ locationId: [3, 1], value: [1, opts.negative ? -5 : 10_000_000, 0], label: label('main') }),
    new Sample({
      locationId: [opts.badLocation ? 99 : 4, 1],
      value: [2, 20_000_000, 7],
      label: label('worker'),
    }),
  ];
  return new PProfile({
    sampleType,
    sample,
    mapping,
    location,
    function: functions,
    stringTable: st,
    periodType: new ValueType({ type: s('cpu'), unit: s('nanoseconds') }),
    period: 10_000_000,
    durationNanos: 1_000_000_000,
  }).encode();
}

async function rejects(bytes: Uint8Array, pattern: RegExp, options = {}) {
  await assert.rejects(importFromPprof(inputFromBytes('bad.pb', bytes), options), (e: unknown) => {
    assert.ok(e instanceof ImportError, `expected ImportError, got ${e}`);
    assert.match(e.message, /^bad\.pb: cannot read as pprof: /);
    assert.match(e.message, pattern);
    return true;
  });
}

/** The tools' own figures for the fixtures (written by make-other-fixtures.sh). */
const expectedOther = JSON.parse(
  fs.readFileSync(fixturePath('profiles', 'expected-other.json'), 'utf8'),
) as Record<string, Record<string, unknown>>;

describe('pprof importer', () => {
  it('defaults to cpu/nanoseconds and turns inlined lines into frames (the last line is the caller)', async () => {
    const p = await importFromPprof(inputFromBytes('cpu.pb', encode()));
    assert.equal(p.unit, 'nanoseconds');
    assert.equal(p.eventName, 'cpu/nanoseconds');
    assert.equal(p.total, 60_000_000);
    assert.equal(p.sampleCount, 3);
    assert.equal(
      toFolded(p),
      'main.main;0x4abc 20000000\nmain.main;main.idle 10000000\nmain.main;main.work;main.helper 30000000\n',
    );
    const helper = p.frames.find((f) => f.name === 'main.helper');
    const work = p.frames.find((f) => f.name === 'main.work');
    assert.deepEqual(helper, {
      name: 'main.helper',
      file: '/src/app.go',
      line: 31,
      module: '/bin/app',
      inlined: true,
    });
    assert.deepEqual(work, { name: 'main.work', file: '/src/app.go', line: 22, module: '/bin/app' });
    // line 0 (unknown) falls back to the function's start line
    assert.equal(p.frames.find((f) => f.name === 'main.idle')?.line, 40);
    assert.deepEqual(
      p.frames.find((f) => f.name === '0x4abc'),
      { name: '0x4abc', module: '/bin/app' },
    );
  });

  it('selects another sample type by name or type/unit, and maps count to samples and bytes to bytes', async () => {
    const bytes = await importFromPprof(inputFromBytes('m.pb', encode()), { sampleType: 'alloc_space' });
    assert.equal(bytes.unit, 'bytes');
    assert.equal(bytes.total, 107);
    const count = await importFromPprof(inputFromBytes('m.pb', encode()), { sampleType: 'samples/count' });
    assert.equal(count.unit, 'samples');
    assert.equal(count.total, 6);
  });

  it('lists the available sample types when the requested one is missing', () =>
    rejects(
      encode(),
      /sample type "wall" is not in the profile; available: samples\/count, cpu\/nanoseconds, alloc_space\/bytes/,
      {
        sampleType: 'wall',
      },
    ));

  it('reads gzipped files and thread-name labels', async () => {
    const p = await importFromPprof(inputFromBytes('t.pb.gz', zlib.gzipSync(encode({ threads: true }))));
    assert.deepEqual([...p.threads].sort(), ['main', 'worker']);
    assert.match(toFolded(p), /^worker;main\.main;main\.work;main\.helper 30000000$/m);
  });

  it('detects by content, through gzip, and not text or JSON', () => {
    const head = (bytes: Uint8Array) => ({ name: 'unknown', bytes, text: '' });
    assert.equal(isPprof(head(encode())), true);
    assert.equal(isPprof(head(zlib.gzipSync(encode()))), true);
    assert.equal(isPprof(head(encode().subarray(0, 40))), true);
    for (const text of ['main;work 3\n', '{"nodes":[]}', '# perf script\n', '<svg></svg>', 'pxpx'])
      assert.equal(isPprof(head(new TextEncoder().encode(text))), false, text);
  });

  describe('bad input', () => {
    it('empty file', () => rejects(new Uint8Array(), /the file is empty/));
    it('a broken gzip stream', () =>
      rejects(zlib.gzipSync(encode()).subarray(0, 30), /gzip stream is broken/));
    it('the wrong format (JSON text)', () =>
      rejects(new TextEncoder().encode('{"nodes": []}'), /not a pprof protobuf|no sample types/));
    it('binary garbage', () =>
      rejects(Uint8Array.from([0xff, 0xff, 0xff, 0x07, 0x01]), /not a pprof protobuf|no sample types/));
    it('truncated protobuf', () =>
      rejects(
        encode().subarray(0, 60),
        /not a pprof protobuf|no sample types|beyond the string table|not in the profile/,
      ));
    it('a negative value', () =>
      rejects(encode({ negative: true }), /sample 1 has a negative cpu value \(-5\)/));
    it('an out-of-range location id', () =>
      rejects(encode({ badLocation: true }), /sample 2 refers to location 99/));
  });

  describe('fixtures from Go runtime/pprof', () => {
    const dir = fixturePath('profiles', 'pprof');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.pb.gz'));
    it('has fixtures', () => assert.ok(files.length >= 2));
    for (const f of files) {
      it(`${f}: golden folded dump, detected without its name`, async () => {
        const bytes = fs.readFileSync(`${dir}/${f}`);
        const p = await importFromPprof(inputFromBytes(f, bytes));
        // the sum of the chosen sample type, as `go tool pprof -raw` reports it
        const totals = expectedOther[`pprof/${f}`].sampleTypeTotals as Record<string, number>;
        assert.equal(p.total, totals[p.eventName]);
        for (const [type, total] of Object.entries(totals)) {
          const other = await importFromPprof(inputFromBytes(f, bytes), { sampleType: type });
          assert.equal(other.total, total, type);
        }
        assertGolden(`test/fixtures/golden/importers/pprof/${f}.folded`, toFolded(p));
        assert.equal(pprofImporter.detect(await readHead(inputFromBytes('unknown', bytes))), true);
      });
    }
  });
});
