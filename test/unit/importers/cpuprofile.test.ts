import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import {
  cpuprofileImporter,
  importFromCpuprofile,
  isCpuprofile,
} from '../../../src/core/importers/cpuprofile';
import { ImportError } from '../../../src/core/importers/import-error';
import { inputFromBytes, readHead } from '../../../src/core/importers/input';
import { aggregateFunctions, toFolded } from '../../../src/core/profile/aggregate';
import { assertGolden, fixturePath } from '../helpers/golden';

interface Node {
  id: number;
  callFrame: {
    functionName: string;
    url: string;
    lineNumber: number;
    columnNumber: number;
    scriptId?: string;
  };
  children?: number[];
  hitCount?: number;
  positionTicks?: { line: number; ticks: number }[];
}

function node(id: number, functionName: string, url = '', line = -1, col = -1, children?: number[]): Node {
  return {
    id,
    callFrame: { functionName, url, lineNumber: line, columnNumber: col, scriptId: '0' },
    ...(children ? { children } : {}),
  };
}

function load(json: unknown, name = 'x.cpuprofile') {
  return importFromCpuprofile(inputFromBytes(name, typeof json === 'string' ? json : JSON.stringify(json)));
}

async function rejects(json: unknown, pattern: RegExp) {
  await assert.rejects(load(json, 'bad.cpuprofile'), (e: unknown) => {
    assert.ok(e instanceof ImportError, `expected ImportError, got ${e}`);
    assert.match(e.message, /^bad\.cpuprofile: cannot read as V8 \.cpuprofile: /);
    assert.match(e.message, pattern);
    return true;
  });
}

const small = {
  nodes: [
    node(1, '(root)', '', -1, -1, [2, 3, 4]),
    node(2, 'main', 'file:///app/main.js', 9, 4, [5, 6]),
    node(3, '(garbage collector)'),
    node(4, '(program)'),
    { ...node(5, '', 'file:///app/main.js', 19, 10), positionTicks: [{ line: 21, ticks: 2 }] },
    node(6, '', '/app/lib.js', 0, 0),
  ],
  startTime: 1000,
  endTime: 1600,
  samples: [5, 5, 6, 3, 4, 2],
  timeDeltas: [100, 100, -20, 120, 100, 100],
};

/** The tools' own figures for the fixtures (written by make-other-fixtures.sh). */
const expectedOther = JSON.parse(
  fs.readFileSync(fixturePath('profiles', 'expected-other.json'), 'utf8'),
) as Record<string, Record<string, unknown>>;

describe('V8 .cpuprofile importer', () => {
  it('converts 0-based lines/columns to 1-based and names anonymous functions, keeping them distinct', async () => {
    const p = await load(small);
    const anon = p.frames.filter((f) => f.name === '(anonymous)');
    assert.deepEqual(
      anon.map((f) => [f.file, f.line, f.column]).sort((a, b) => String(b[0]).localeCompare(String(a[0]))),
      [
        ['file:///app/main.js', 20, 11],
        ['/app/lib.js', 1, 1],
      ],
    );
    assert.deepEqual(
      p.frames.find((f) => f.name === 'main'),
      { name: 'main', file: 'file:///app/main.js', line: 10, column: 5 },
    );
  });

  it('drops (root), keeps GC and (program), weighs one sample each, and reads positionTicks as 1-based lines', async () => {
    const p = await load(small);
    assert.equal(p.unit, 'samples');
    assert.equal(p.total, 6);
    assert.equal(p.sampleCount, 6);
    assert.equal(
      toFolded(p),
      ['(garbage collector) 1', '(program) 1', 'main 1', 'main;(anonymous) 3', ''].join('\n'),
    );
    assert.ok(p.frames.every((f) => f.name !== '(root)'));
    assert.deepEqual(p.lineCosts, [
      { file: 'file:///app/main.js', line: 21, weight: 2, functionName: '(anonymous)' },
    ]);
    assert.equal(p.meta.samplingIntervalMicroseconds, 100);
  });

  it('falls back to hitCount when there is no samples array', async () => {
    const nodes = small.nodes.map((n) => ({ ...n, hitCount: n.id === 2 ? 7 : 0 }));
    const p = await load({ nodes, startTime: 0, endTime: 1 });
    assert.equal(p.total, 7);
    assert.equal(toFolded(p), 'main 7\n');
  });

  it('handles a 10,000-frame stack without recursion', async () => {
    const nodes: Node[] = [];
    for (let i = 1; i <= 10_000; i++)
      nodes.push(node(i, `f${i}`, 'file:///deep.js', i, 0, i < 10_000 ? [i + 1] : []));
    const p = await load({ nodes, startTime: 0, endTime: 10, samples: [10_000, 10_000, 5000] });
    assert.equal(p.total, 3);
    assert.equal(Math.max(...p.stacks.map((s) => s.frames.length)), 10_000);
  });

  it('reads a Chrome DevTools trace with ProfileChunk events, one thread per profile', async () => {
    const trace = {
      traceEvents: [
        { ph: 'M', name: 'thread_name', pid: 1, tid: 7, args: { name: 'CrRendererMain' } },
        { ph: 'P', name: 'Profile', pid: 1, tid: 7, id: '0x1', args: { data: { startTime: 0 } } },
        {
          ph: 'P',
          name: 'ProfileChunk',
          pid: 1,
          tid: 7,
          id: '0x1',
          args: {
            data: {
              cpuProfile: {
                nodes: [
                  { id: 1, callFrame: { functionName: '(root)', url: '' } },
                  {
                    id: 2,
                    parent: 1,
                    callFrame: {
                      functionName: 'tick',
                      url: 'https://x/app.js',
                      lineNumber: 2,
                      columnNumber: 0,
                    },
                  },
                ],
                samples: [2, 2],
              },
              timeDeltas: [1, 1],
            },
          },
        },
        {
          ph: 'P',
          name: 'ProfileChunk',
          pid: 1,
          tid: 7,
          id: '0x1',
          args: { data: { cpuProfile: { samples: [2] }, timeDeltas: [1] } },
        },
      ],
    };
    const p = await load(trace, 'trace.json');
    assert.deepEqual(p.threads, ['CrRendererMain']);
    assert.equal(toFolded(p), 'tick 3\n');
    assert.equal(p.frames[0].line, 3);
    assert.equal(
      isCpuprofile({ name: 'unknown', bytes: new Uint8Array(), text: JSON.stringify(trace) }),
      true,
    );
  });

  it('rejects a Chrome trace without CPU profile events with a clear error', async () => {
    await rejects(
      { traceEvents: [{ ph: 'X', name: 'RunTask', pid: 1, tid: 1, ts: 0 }] },
      /no CPU profile \(no ProfileChunk events\)/,
    );
  });

  describe('bad input', () => {
    it('empty file', () => rejects('', /the file is empty/));
    it('truncated JSON', () => rejects(JSON.stringify(small).slice(0, 80), /not valid JSON/));
    it('binary garbage', () => rejects('\u0000\u0001\u00ff\u0002PK', /not valid JSON/));
    it('the wrong format names the first zod issue with its JSON path', () =>
      rejects({ shared: { frames: [] }, profiles: [] }, /\$\.nodes: /));
    it('a wrong field type deep inside', () =>
      rejects(
        { nodes: [{ id: 1, callFrame: { functionName: 3 } }] },
        /\$\.nodes\[0\]\.callFrame\.functionName/,
      ));
    it('a sample naming an unknown node', () =>
      rejects({ ...small, samples: [5, 99] }, /samples\[1\] refers to node id 99/));
    it('a child id that does not exist', () =>
      rejects({ nodes: [node(1, 'a', '', 0, 0, [42])], samples: [1] }, /unknown child id 42/));
    it('cyclic parent links', () =>
      rejects({ nodes: [node(1, 'a', '', 0, 0, [2]), node(2, 'b', '', 0, 0, [1])], samples: [1] }, /cycle/));
    it('a node with two parents', () =>
      rejects(
        { nodes: [node(1, 'a', '', 0, 0, [3]), node(2, 'b', '', 0, 0, [3]), node(3, 'c')], samples: [3] },
        /two parents/,
      ));
    it('a negative hitCount', () =>
      rejects({ nodes: [{ ...node(1, 'a'), hitCount: -1 }] }, /\$\.nodes\[0\]\.hitCount/));
    it('duplicate node ids', () =>
      rejects({ nodes: [node(1, 'a'), node(1, 'b')], samples: [1] }, /appears twice/));
    it('huge numbers are kept as weights without overflow', async () => {
      const p = await load({ nodes: [{ ...node(1, 'a'), hitCount: 1e300 }] });
      assert.equal(p.total, 1e300);
    });
  });

  describe('fixtures from node --cpu-prof', () => {
    const dir = fixturePath('profiles', 'cpuprofile');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
    it('has fixtures', () => assert.ok(files.length >= 2));
    for (const f of files) {
      it(`${f}: total equals the sample count, golden folded dump, detected without its name`, async () => {
        const bytes = fs.readFileSync(`${dir}/${f}`);
        const p = await importFromCpuprofile(inputFromBytes(f, bytes));
        const expected = expectedOther[`cpuprofile/${f}`];
        assert.equal(p.total, expected.samples);
        assert.equal(p.sampleCount, expected.samples);
        // V8's per-line ticks become line costs, except on nodes without a url (no file to put them on)
        const raw = JSON.parse(bytes.toString('utf8')) as {
          nodes: { callFrame: { url: string }; positionTicks?: { ticks: number }[] }[];
        };
        const withoutUrl = raw.nodes
          .filter((n) => !n.callFrame.url)
          .reduce((a, n) => a + (n.positionTicks ?? []).reduce((x, t) => x + t.ticks, 0), 0);
        assert.equal(p.lineCosts.reduce((a, c) => a + c.weight, 0) + withoutUrl, expected.positionTicksSum);
        // every function that V8 saw sampled has self time
        assert.ok(aggregateFunctions(p).some((s) => s.self > 0 && s.file?.startsWith('file://')));
        assertGolden(`test/fixtures/golden/importers/cpuprofile/${f}.folded`, toFolded(p));
        assert.equal(cpuprofileImporter.detect(await readHead(inputFromBytes('unknown', bytes))), true);
      });
    }
  });
});
