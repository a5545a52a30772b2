import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { importFromCpuprofile } from '../../../src/core/importers/cpuprofile';
import { readCpuprofileStream } from '../../../src/core/importers/cpuprofile-stream';
import { ImportCancelledError, ImportError } from '../../../src/core/importers/import-error';
import { inputFromBytes } from '../../../src/core/importers/input';
import type { Profile } from '../../../src/core/profile/model';
import { fixturePath } from '../helpers/golden';

const enc = new TextEncoder();
const bytesOf = (content: string | Uint8Array) =>
  typeof content === 'string' ? enc.encode(content) : content;

/** The profile through the streaming reader, with the file cut into chunks of `chunkSize` bytes. */
function streamed(content: string | Uint8Array, chunkSize?: number): Promise<Profile> {
  return importFromCpuprofile(inputFromBytes('x.cpuprofile', bytesOf(content), chunkSize));
}

/** The profile the general way: JSON.parse, or (threshold 0) the old byte reader. */
function general(content: string | Uint8Array, byteReaderThreshold?: number): Promise<Profile> {
  return importFromCpuprofile(
    inputFromBytes('x.cpuprofile', bytesOf(content)),
    {},
    { stream: false, byteReaderThreshold },
  );
}

/** True when the streaming reader takes the file itself (does not leave it to the general path). */
async function takes(content: string | Uint8Array, chunkSize?: number): Promise<boolean> {
  return (
    (await readCpuprofileStream(inputFromBytes('x.cpuprofile', bytesOf(content), chunkSize))) !== undefined
  );
}

/** The error message of an import, or '' when it succeeds. */
async function errorOf(p: Promise<Profile>): Promise<string> {
  try {
    await p;
    return '';
  } catch (e) {
    assert.ok(e instanceof ImportError, `expected ImportError, got ${e}`);
    return e.message;
  }
}

/** A deterministic profile shaped like `node --cpu-prof` output (xorshift, no Math.random). */
function generated(nodeCount: number, sampleCount: number, seed = 7): string {
  let x = seed;
  const rand = (n: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
  const names = ['', 'emit', 'parse', 'walk', 'visit', 'résumé', 'a"quoted"\\name', 'tab\there'];
  const urls = ['', 'file:///app/main.js', 'node:internal/timers', 'file:///app/lib/ünïcode.js'];
  const children: number[][] = Array.from({ length: nodeCount + 1 }, () => []);
  for (let id = 2; id <= nodeCount; id++) children[1 + rand(id - 1)].push(id);
  const nodes = [];
  for (let id = 1; id <= nodeCount; id++) {
    const root = id === 1;
    const node: Record<string, unknown> = {
      id,
      callFrame: {
        functionName: root ? '(root)' : names[rand(names.length)],
        scriptId: String(rand(50)),
        url: root ? '' : urls[rand(urls.length)],
        lineNumber: root ? -1 : rand(300) - 1,
        columnNumber: root ? -1 : rand(80) - 1,
      },
      hitCount: rand(5),
    };
    if (children[id].length > 0) node.children = children[id];
    if (!root && rand(3) === 0)
      node.positionTicks = [
        { line: 1 + rand(300), ticks: 1 + rand(4) },
        { line: 1 + rand(300), ticks: 1 + rand(4) },
      ];
    nodes.push(node);
  }
  const samples = Array.from({ length: sampleCount }, () => 1 + rand(nodeCount));
  const timeDeltas = samples.map(() => rand(200) - 20);
  return JSON.stringify({
    nodes,
    startTime: 1_000_000,
    endTime: 1_000_000 + sampleCount * 100,
    samples,
    timeDeltas,
  });
}

/** A small profile exercising what the byte reader must read like JSON.parse. */
const unusual = `\uFEFF {
  "startTime" : 0.5e3 , "extra": {"a":[1,{"b":null}],"c":"]}\\"","d":[true,false,-1.5E-3]},
  "samples":[ 3 , 3,2 ,3e0,2.0 ,4,-0,4 ] ,
  "nodes": [
    { "callFrame": { "url": "file:///a\\u00e9.js", "functionName": "f\\n\\"x\\"", "columnNumber": 4,
        "lineNumber": 1e1, "scriptId": 12, "codeType": "JS" },
      "id": 2, "children": [ 3 ], "hitCount": 0.5, "deoptReason": "" ,
      "positionTicks": [ { "ticks": 2.5, "line": 4, "extra": [] } ] },
    {"id":0,"callFrame":{"functionName":"(root)"},"children":[2,4]},
    {"id":3,"callFrame":{"functionName":"","url":"file:///a\\u00e9.js","lineNumber":-1}},
    {"id":4,"callFrame":{"functionName":"日本","url":"/b.js","lineNumber":0,"columnNumber":0}}
  ],
  "endTime": 1500, "timeDeltas": [1, -2, 3.5, 4e2, 0, 0, 0, 0]
}
`;

describe('.cpuprofile streaming reader', () => {
  const dir = fixturePath('profiles', 'cpuprofile');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));

  it('gives every node --cpu-prof fixture the same profile as JSON.parse and as the old byte reader', async () => {
    assert.ok(files.length >= 2);
    for (const f of files) {
      const bytes = fs.readFileSync(`${dir}/${f}`);
      assert.ok(await takes(bytes), f);
      const p = await streamed(bytes);
      assert.deepEqual(p, await general(bytes), f);
      assert.deepEqual(p, await general(bytes, 0), f);
      assert.ok(p.stacks.length > 10 && p.lineCosts.length > 0, f);
    }
  });

  it('gives the same profile whatever the chunk size (items cut at every byte)', async () => {
    const text = fs.readFileSync(`${dir}/js-default.cpuprofile`, 'utf8');
    const whole = await general(text);
    for (const size of [1, 2, 3, 5, 64, 1000, 4096])
      assert.deepEqual(await streamed(text, size), whole, `${size}`);
  });

  it('reads a larger generated profile (escapes, non-ASCII, negative deltas) as JSON.parse does', async () => {
    const text = generated(3000, 20_000);
    assert.ok(await takes(text));
    const whole = await general(text);
    assert.equal(whole.sampleCount, 20_000);
    for (const size of [7, 4093, 1 << 20]) assert.deepEqual(await streamed(text, size), whole, `${size}`);
  });

  it('reads white space, any key order, unknown keys, escapes, a BOM and every JSON number form', async () => {
    for (const size of [1, 3, 1 << 20]) assert.ok(await takes(unusual, size), `${size}`);
    const p = await streamed(unusual);
    assert.deepEqual(p, await general(unusual));
    assert.deepEqual(p, await general(unusual, 0));
    assert.deepEqual(await streamed(unusual, 1), p);
    // the reader's numbers are JSON's: 3e0 and 2.0 are ids 3 and 2, -0 is id 0 (the root: no stack)
    assert.equal(p.sampleCount, 8);
    assert.equal(p.total, 7);
    assert.equal(p.meta.durationMicroseconds, 1000);
    assert.deepEqual(
      p.frames.map((f) => [f.name, f.file, f.line, f.column]),
      [
        ['f\n"x"', 'file:///aé.js', 11, 5],
        ['(anonymous)', 'file:///aé.js', undefined, undefined],
        ['日本', '/b.js', 1, 1],
      ],
    );
    assert.deepEqual(p.lineCosts, [{ file: 'file:///aé.js', line: 4, weight: 2.5, functionName: 'f\n"x"' }]);
  });

  it('reads samples written before nodes, and node ids too sparse for a table', async () => {
    const before = JSON.stringify({
      samples: [5, 9e6, 9e6],
      nodes: [
        { id: 1, callFrame: { functionName: '(root)', url: '' }, children: [5, 9e6] },
        { id: 5, callFrame: { functionName: 'a', url: 'file:///a.js', lineNumber: 0 } },
        { id: 9e6, callFrame: { functionName: 'b', url: 'file:///a.js', lineNumber: 3 } },
      ],
    });
    const after = JSON.stringify({ ...JSON.parse(before), samples: undefined, timeDeltas: [] }).replace(
      '"timeDeltas"',
      '"samples":[5,9000000,9000000],"timeDeltas"',
    );
    for (const text of [before, after]) {
      assert.ok(await takes(text), text);
      const p = await streamed(text, 5);
      assert.deepEqual(p, await general(text));
      assert.equal(p.total, 3);
    }
  });

  it('falls back to hitCount without samples, and keeps Infinity-free sums exact', async () => {
    const text = JSON.stringify({
      nodes: [
        { id: 1, callFrame: { functionName: '(root)' }, hitCount: 0, children: [2] },
        { id: 2, callFrame: { functionName: 'x', url: '/x.js' }, hitCount: 1e300 },
      ],
    });
    assert.ok(await takes(text));
    const p = await streamed(text);
    assert.deepEqual(p, await general(text));
    assert.equal(p.total, 1e300);
  });

  it('leaves unusual valid files to the general path, which reads them as before', async () => {
    const chunk = { cpuProfile: { nodes: [{ id: 1, callFrame: { functionName: 'a' } }], samples: [1] } };
    const valid = [
      // Chrome traces
      JSON.stringify([{ ph: 'P', name: 'ProfileChunk', pid: 1, tid: 1, id: 1, args: { data: chunk } }]),
      JSON.stringify({
        traceEvents: [{ ph: 'P', name: 'ProfileChunk', pid: 1, tid: 1, id: 1, args: { data: chunk } }],
      }),
      // JSON.parse keeps the last of two equal keys
      '{"nodes":[{"id":1,"callFrame":{"functionName":"a","functionName":"b"}}],"samples":[1]}',
      '{"nodes":[],"nodes":[{"id":1,"callFrame":{"functionName":"a"}}],"samples":[1]}',
      // an escaped key, and timeDeltas that the schema does not check
      '{"nod\\u0065s":[{"id":1,"callFrame":{"functionName":"a"}}],"samples":[1]}',
      '{"nodes":[{"id":1,"callFrame":{"functionName":"a"}}],"samples":[1],"timeDeltas":["x"]}',
      // two byte order marks (TextDecoder drops one, the importer the other)
      '\uFEFF\uFEFF{"nodes":[{"id":1,"callFrame":{"functionName":"a"}}],"samples":[1]}',
    ];
    for (const text of valid) {
      assert.equal(await takes(text), false, text);
      const p = await importFromCpuprofile(inputFromBytes('x.cpuprofile', text));
      assert.deepEqual(p, await general(text), text);
    }
    assert.equal((await streamed(valid[2])).frames[0].name, 'b');
  });

  it('leaves invalid files to the general path, so the errors are those of JSON.parse and the schema', async () => {
    const node = (id: unknown, extra = '') =>
      `{"id":${JSON.stringify(id)},"callFrame":{"functionName":"a"}${extra}}`;
    const bad: [string, RegExp][] = [
      ['', /the file is empty/],
      ['   \n', /the file is empty/],
      ['{', /not valid JSON/],
      [generated(50, 100).slice(0, -40), /not valid JSON/],
      ['{"nodes":[{"id":1,}]}', /not valid JSON/],
      [`{"nodes":[${node(1)}]} x`, /not valid JSON/],
      [`{"nodes":[${node(1)}],"samples":[1,01]}`, /not valid JSON/],
      [`{"nodes":[${node(1)}],"samples":[1 2]}`, /not valid JSON/],
      [`{"nodes":[${node(1)}],"x":"\u0001"}`, /not valid JSON/],
      [`{"nodes":[${node(1)}],"x":"\\q"}`, /not valid JSON/],
      [`{"nodes":[${node(1)}],"x":tru}`, /not valid JSON/],
      ['{"nodes":[]}', /\$\.nodes: /],
      ['{"samples":[]}', /\$\.nodes: /],
      [`{"nodes":[${node('1')}]}`, /\$\.nodes\[0\]\.id: /],
      [`{"nodes":[${node(1.5)}]}`, /\$\.nodes\[0\]\.id: /],
      [`{"nodes":[${node(1, ',"hitCount":-1')}]}`, /\$\.nodes\[0\]\.hitCount: /],
      [`{"nodes":[${node(1, ',"children":[2.5]')}]}`, /\$\.nodes\[0\]\.children\[0\]: /],
      [
        `{"nodes":[${node(1, ',"positionTicks":[{"line":1}]')}]}`,
        /\$\.nodes\[0\]\.positionTicks\[0\]\.ticks: /,
      ],
      [
        '{"nodes":[{"id":1,"callFrame":{"functionName":"a","url":null}}]}',
        /\$\.nodes\[0\]\.callFrame\.url: /,
      ],
      ['{"nodes":[{"id":1}]}', /\$\.nodes\[0\]\.callFrame: /],
      [`{"nodes":[${node(1)}],"startTime":"0"}`, /\$\.startTime: /],
      [`{"nodes":[${node(1)}],"samples":[1,7]}`, /samples\[1\] refers to node id 7, which is not in nodes/],
      [`{"nodes":[${node(1)}],"samples":[1,"1"]}`, /samples\[1\] refers to node id "1"/],
      [`{"nodes":[${node(1)},${node(1)}],"samples":[1]}`, /node id 1 appears twice \(nodes\[1\]\)/],
    ];
    for (const [text, pattern] of bad) {
      assert.equal(await takes(text), false, text);
      const message = await errorOf(streamed(text));
      assert.match(message, /^x\.cpuprofile: cannot read as V8 \.cpuprofile: /, text);
      assert.match(message, pattern, text);
      assert.equal(message, await errorOf(general(text)), text);
    }
  });

  it('names the byte offset of a syntax error in a large file (the old byte reader past the threshold)', async () => {
    const text = `${generated(200, 1000).slice(0, -5)}x]}`;
    const message = await errorOf(
      importFromCpuprofile(inputFromBytes('big.cpuprofile', text), {}, { byteReaderThreshold: 0 }),
    );
    assert.match(
      message,
      /^big\.cpuprofile: cannot read as V8 \.cpuprofile: not valid JSON: .*\(byte \d+\)$/,
    );
    const offset = Number(/\(byte (\d+)\)$/.exec(message)![1]);
    assert.equal(enc.encode(text)[offset], 'x'.charCodeAt(0));
  });

  it('reports errors in the tree itself (once the file is read), as the general path does', async () => {
    const a = { id: 1, callFrame: { functionName: 'a' } };
    const bad: [unknown, RegExp][] = [
      [{ nodes: [{ ...a, children: [9] }], samples: [1] }, /nodes\[0\] \(id 1\) has unknown child id 9/],
      [{ nodes: [{ ...a, parent: 9 }] }, /nodes\[0\] \(id 1\) has unknown parent id 9/],
      [
        {
          nodes: [
            { ...a, children: [3] },
            { ...a, id: 2, children: [3] },
            { ...a, id: 3 },
          ],
          samples: [3],
        },
        /node id 3 has two parents \(ids 1 and 2\)/,
      ],
      [
        {
          nodes: [
            { ...a, children: [2] },
            { ...a, id: 2, children: [1] },
          ],
          samples: [1],
        },
        /cycle through node id 1/,
      ],
      [
        {
          nodes: [
            { ...a, hitCount: 1e308 },
            { ...a, id: 2, hitCount: 1e308, callFrame: { functionName: 'b' } },
          ],
        },
        /add up to more than 1\.8e308/,
      ],
    ];
    for (const [json, pattern] of bad) {
      const text = JSON.stringify(json);
      assert.ok(await takes(text), text);
      const message = await errorOf(streamed(text, 3));
      assert.match(message, /^x\.cpuprofile: cannot read as V8 \.cpuprofile: /);
      assert.match(message, pattern, text);
      assert.equal(message, await errorOf(general(text)), text);
    }
  });

  it('reports progress up to the size and stops when cancelled', async () => {
    const text = generated(500, 5000);
    const seen: number[] = [];
    await importFromCpuprofile(inputFromBytes('x.cpuprofile', text, 4096), {
      onProgress: (n) => seen.push(n),
    });
    assert.equal(seen.at(-1), enc.encode(text).length);
    assert.ok(seen.every((n, i) => i === 0 || n > seen[i - 1]));
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      importFromCpuprofile(inputFromBytes('x.cpuprofile', text, 4096), { signal: controller.signal }),
      ImportCancelledError,
    );
  });
});
