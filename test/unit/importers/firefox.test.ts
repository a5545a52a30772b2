import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import zlib from 'node:zlib';
import { importFromFirefox, isFirefox } from '../../../src/core/importers/firefox';
import { ImportError } from '../../../src/core/importers/import-error';
import { inputFromBytes, readHead } from '../../../src/core/importers/input';
import { toFolded } from '../../../src/core/profile/aggregate';
import { assertGolden, fixturePath } from '../helpers/golden';

interface ProfileJson {
  threads: {
    samples: { stack?: (number | null)[]; schema?: { stack: number }; data?: unknown[][] };
  }[];
  processes?: ProfileJson[];
}

/** Samples with a stack (processed `samples.stack`, gecko `samples.data` rows), in all processes. */
function samplesWithStack(p: ProfileJson): number {
  let n = 0;
  for (const { samples } of p.threads) {
    if (samples.stack) n += samples.stack.filter((s) => s !== null).length;
    else n += (samples.data ?? []).filter((row) => row[samples.schema?.stack ?? 0] !== null).length;
  }
  for (const sub of p.processes ?? []) n += samplesWithStack(sub);
  return n;
}

/** A processed-format profile (as samply writes it): two threads sharing one string array. */
function processed(
  overrides: { weight?: (number | null)[]; prefix?: (number | null)[]; stack?: (number | null)[] } = {},
) {
  const strings = ['main', 'src/main.rs', 'work', 'helper', 'app', 'poll'];
  const thread = (name: string, tid: number, stack: (number | null)[]) => ({
    name,
    processName: 'app',
    pid: '100',
    tid,
    samples: {
      stack,
      time: stack.map((_, i) => i),
      weight: overrides.weight ?? null,
      weightType: 'samples',
      length: stack.length,
    },
    stackTable: { frame: [0, 1, 2, 3], prefix: overrides.prefix ?? [null, 0, 1, 0], length: 4 },
    frameTable: {
      func: [0, 1, 2, 3],
      line: [10, 20, 31, null],
      column: [null, null, 5, null],
      inlineDepth: [0, 0, 1, 0],
      length: 4,
    },
    funcTable: {
      name: [0, 2, 3, 5],
      fileName: [1, 1, 1, null],
      lineNumber: [9, 19, 30, null],
      resource: [0, 0, 0, -1],
      isJS: [false, false, false, false],
      length: 4,
    },
    resourceTable: { name: [4], lib: [0], length: 1 },
  });
  return {
    meta: { version: 24, preprocessedProfileVersion: 49, product: 'samply', interval: 1 },
    libs: [{ name: 'app' }],
    shared: { stringArray: strings },
    threads: [thread('main', 100, overrides.stack ?? [1, 2, 2, null, 3]), thread('main', 101, [2])],
  };
}

/** A gecko-format profile (as Firefox emits it) with a sub-process. */
function gecko() {
  const thread = (name: string) => ({
    name,
    processType: 'default',
    tid: 1,
    pid: 1,
    samples: {
      schema: { stack: 0, time: 1, eventDelay: 2 },
      data: [
        [1, 0, 0],
        [1, 1, 0],
        [0, 2, 0],
        [null, 3, 0],
      ],
    },
    stackTable: {
      schema: { prefix: 0, frame: 1 },
      data: [
        [null, 0],
        [0, 1],
      ],
    },
    frameTable: {
      schema: {
        location: 0,
        relevantForJS: 1,
        innerWindowID: 2,
        implementation: 3,
        line: 4,
        column: 5,
        category: 6,
      },
      data: [
        [0, false, 0, null, null, null, 0],
        [1, false, 0, null, 14, 3, 0],
      ],
    },
    stringTable: ['js::RunScript', 'render (https://site/app.js:12:7)'],
    markers: { schema: {}, data: [] },
  });
  return {
    meta: { version: 27, interval: 1, startTime: 0, product: 'Firefox' },
    libs: [],
    threads: [thread('GeckoMain')],
    processes: [{ meta: { version: 27 }, libs: [], threads: [thread('GeckoMain')], processes: [] }],
  };
}

function load(json: unknown, name = 'profile.json') {
  const bytes =
    json instanceof Uint8Array
      ? json
      : new TextEncoder().encode(typeof json === 'string' ? json : JSON.stringify(json));
  return importFromFirefox(inputFromBytes(name, bytes));
}

async function rejects(json: unknown, pattern: RegExp) {
  await assert.rejects(load(json, 'bad.json'), (e: unknown) => {
    assert.ok(e instanceof ImportError, `expected ImportError, got ${e}`);
    assert.match(e.message, /^bad\.json: cannot read as Firefox Profiler: /);
    assert.match(e.message, pattern);
    return true;
  });
}

/** The tools' own figures for the fixtures (written by make-other-fixtures.sh). */
const expectedOther = JSON.parse(
  fs.readFileSync(fixturePath('profiles', 'expected-other.json'), 'utf8'),
) as Record<string, Record<string, unknown>>;

describe('Firefox Profiler importer', () => {
  it('reads the processed format: prefix-linked stacks root first, funcs, files, lines, resources, inlining', async () => {
    const p = await load(processed());
    assert.equal(p.unit, 'samples');
    assert.equal(p.total, 5);
    assert.equal(p.sampleCount, 6);
    assert.deepEqual(p.threads, ['main (100:100)', 'main (100:101)']);
    assert.equal(
      toFolded(p),
      'main (100:100);main;poll 1\nmain (100:100);main;work 1\nmain (100:100);main;work;helper 2\nmain (100:101);main;work;helper 1\n',
    );
    assert.deepEqual(
      p.frames.find((f) => f.name === 'helper'),
      {
        name: 'helper',
        file: 'src/main.rs',
        line: 31,
        column: 5,
        module: 'app',
        inlined: true,
      },
    );
    assert.deepEqual(
      p.frames.find((f) => f.name === 'poll'),
      { name: 'poll' },
    );
  });

  it('uses the weight column when present, and reads gzipped files', async () => {
    const p = await load(
      zlib.gzipSync(JSON.stringify(processed({ weight: [5, 1, 1, 9, 2] }))),
      'profile.json.gz',
    );
    // thread 1: 5 + 1 + 1 + 2 (the stackless sample weighing 9 is left out); thread 2: 5
    assert.equal(p.total, 5 + 1 + 1 + 2 + 5);
  });

  it('reads the gecko format with sub-processes and parses "fn (url:line:col)" locations', async () => {
    const p = await load(gecko());
    assert.equal(p.threads.length, 2);
    assert.equal(p.total, 6);
    const render = p.frames.find((f) => f.name === 'render');
    assert.deepEqual(render, { name: 'render', file: 'https://site/app.js', line: 14, column: 3 });
    assert.match(toFolded(p), /;js::RunScript;render 2$/m);
  });

  it('detects both formats, through gzip', async () => {
    for (const json of [processed(), gecko()]) {
      const text = JSON.stringify(json);
      assert.equal(isFirefox(await readHead(inputFromBytes('unknown', text))), true);
      assert.equal(isFirefox(await readHead(inputFromBytes('unknown', zlib.gzipSync(text)))), true);
    }
    assert.equal(isFirefox(await readHead(inputFromBytes('unknown', '{"nodes":[],"samples":[]}'))), false);
  });

  describe('bad input', () => {
    it('empty file', () => rejects('', /the file is empty/));
    it('truncated', () => rejects(JSON.stringify(processed()).slice(0, 100), /not valid JSON/));
    it('broken gzip', () =>
      rejects(zlib.gzipSync(JSON.stringify(processed())).subarray(0, 40), /gzip stream is broken/));
    it('the wrong format', () => rejects({ nodes: [] }, /\$\.meta: /));
    it('a cycle in the stack table', () => rejects(processed({ prefix: [3, 0, 1, 0] }), /cycle/));
    it('a stack index beyond the table', () =>
      rejects(processed({ stack: [1, 77] }), /sample 1 refers to stack 77/));
    it('a negative weight', () =>
      rejects(processed({ weight: [1, -1, 1, 1, 1] }), /\$\.threads\[0\]\.samples\.weight\[1\]/));
  });

  describe('fixtures recorded with Firefox (gecko) and processed by the Firefox Profiler', () => {
    const dir = fixturePath('profiles', 'firefox');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
    it('has fixtures', () => assert.ok(files.length >= 1));
    for (const f of files) {
      it(`${f}: total equals the samples with a stack, golden folded dump, detected without its name`, async () => {
        const bytes = fs.readFileSync(`${dir}/${f}`);
        const p = await importFromFirefox(inputFromBytes(f, bytes));
        assert.equal(p.total, samplesWithStack(JSON.parse(bytes.toString('utf8'))));
        const threads = expectedOther[`firefox/${f}`].threads as { samples: number }[];
        assert.equal(
          p.sampleCount,
          threads.reduce((a, t) => a + t.samples, 0),
        );
        assert.equal(p.threads.length, threads.length);
        assertGolden(`test/fixtures/golden/importers/firefox/${f}.folded`, toFolded(p));
        assert.equal(isFirefox(await readHead(inputFromBytes('unknown', bytes))), true);
      });
    }
    it('parses JS frame locations with a source id suffix', async () => {
      const f = files.find((x) => x.includes('js')) ?? files[0];
      const p = await importFromFirefox(inputFromBytes(f, fs.readFileSync(`${dir}/${f}`)));
      assert.ok(
        p.frames.some((fr) => fr.file?.endsWith('.js') && fr.line !== undefined && !fr.name.includes('(')),
      );
    });
  });
});
