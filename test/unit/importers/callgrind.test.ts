import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { callgrindImporter, importFromCallgrind, isCallgrind } from '../../../src/core/importers/callgrind';
import { isFlamegraphSvg } from '../../../src/core/importers/flamegraph-svg';
import { isFolded } from '../../../src/core/importers/folded';
import { ImportError } from '../../../src/core/importers/import-error';
import { inputFromBytes, readHead } from '../../../src/core/importers/input';
import { isPerfScript } from '../../../src/core/importers/perf-script';
import { aggregateFunctions, toFolded } from '../../../src/core/profile/aggregate';
import type { Profile } from '../../../src/core/profile/model';
import { expectedFixtures as fixtures } from '../helpers/expected-fixtures';
import { assertGolden, fixturePath } from '../helpers/golden';

const load = (text: string, options: Parameters<typeof importFromCallgrind>[1] = {}, chunk?: number) =>
  importFromCallgrind(inputFromBytes('callgrind.out.1', text, chunk), options);
const head = (text: string) => readHead(inputFromBytes('unknown', text));

async function rejects(
  content: string | Uint8Array,
  pattern: RegExp,
  line?: number,
  options: Parameters<typeof importFromCallgrind>[1] = {},
) {
  await assert.rejects(importFromCallgrind(inputFromBytes('bad.out', content), options), (e: unknown) => {
    assert.ok(e instanceof ImportError, `expected ImportError, got ${e}`);
    assert.match(e.message, /^bad\.out: cannot read as callgrind: /);
    assert.match(e.message, pattern);
    assert.equal(e.location.line, line);
    return true;
  });
}

const stats = (p: Profile) => new Map(aggregateFunctions(p).map((s) => [s.name, [s.self, s.total]]));

/**
 * main (main.c) calls work (inclusive 402) and helper (inclusive 90); work calls
 * helper (inclusive 300). Self: main 8, work 102 (2 of them in inline.h), helper 390.
 * util.c first appears on a cfi= line; positions use +n, * and -n compression, and
 * the call lines do not move the position that later lines are relative to.
 */
const EXAMPLE = `# callgrind format
version: 1
creator: hand-written
cmd: ./prog
positions: line
events: Ir Dr
summary: 500 4
ob=(1) /bin/prog
fl=(1) main.c
fn=(1) main
10 5 1
+1 2
cfn=(3) work
calls=1 20
* 402 3
cfi=(2) util.c
cfn=(2) helper
calls=1 5
+1 90
+2 1
fn=(3)
20 100 3
fi=(3) inline.h
7 2
fe=(1)
cfl=(2)
cfn=(2)
calls=3 5
-6 300
fl=(2)
fn=(2)
5 390
totals: 500 4
`;

describe('callgrind: fixtures made by valgrind', () => {
  const list = fixtures('callgrind');
  it('has fixtures to check', () => assert.ok(list.length >= 3, `only ${list.length} callgrind fixtures`));
  for (const [rel, expected] of list) {
    const file = fixturePath('profiles', rel);
    const golden = `test/fixtures/golden/importers/callgrind/${path.basename(rel)}.txt`;
    it(`${rel}: total equals the summary, self equals the per-line costs; dump matches ${golden}`, async () => {
      const p = await importFromCallgrind(inputFromBytes(rel, fs.readFileSync(file)));
      assert.equal(p.total, expected.total);
      assert.equal(p.meta.summary, expected.total);
      assert.equal(p.eventName, expected.events?.[0] ?? 'Ir');
      assert.equal(p.unit, 'instructions');
      // Line costs never exceed the self weight of their function.
      const lineSum = new Map<string, number>();
      for (const c of p.lineCosts)
        lineSum.set(c.functionName ?? '', (lineSum.get(c.functionName ?? '') ?? 0) + c.weight);
      const selfByName = new Map<string, number>();
      for (const s of aggregateFunctions(p)) selfByName.set(s.name, (selfByName.get(s.name) ?? 0) + s.self);
      for (const [fn, w] of lineSum) assert.ok(w <= (selfByName.get(fn) ?? 0), `line costs of ${fn}`);
      assert.ok(p.lineCosts.length > 0);
      assertGolden(golden, toFolded(p));
    });
    it(`${rel}: detected by content under the name "unknown", and by no other text importer`, async () => {
      const h = await readHead(inputFromBytes('unknown', fs.readFileSync(file)));
      assert.equal(isCallgrind(h), true);
      assert.equal(isFolded(h), false);
      assert.equal(isPerfScript(h), false);
      assert.equal(isFlamegraphSvg(h), false);
    });
  }

  it('reads names written without compression (--compress-strings=no), such as "(below main)"', async () => {
    const p = await importFromCallgrind(
      inputFromBytes('x', fs.readFileSync(fixturePath('profiles', 'callgrind', 'callgrind.out.no-compress'))),
    );
    assert.ok(p.frames.some((f) => f.name === '(below main)'));
    assert.ok(p.frames.some((f) => f.name === 'main'));
  });
});

describe('callgrind: reading', () => {
  it('builds stacks whose self and inclusive weights equal callgrind self and inclusive costs', async () => {
    const p = await load(EXAMPLE);
    assert.equal(toFolded(p), 'main 8\nmain;helper 90\nmain;work 102\nmain;work;helper 300\n');
    assert.deepEqual(stats(p).get('main'), [8, 500]);
    assert.deepEqual(stats(p).get('work'), [102, 402]);
    assert.deepEqual(stats(p).get('helper'), [390, 390]);
    assert.equal(p.total, 500);
    assert.equal(p.eventName, 'Ir');
    assert.equal(p.unit, 'instructions');
    assert.equal(p.sampleCount, undefined);
    assert.equal(p.meta.cmd, './prog');
    assert.equal(p.meta.summary, 500);
  });

  it('names files and objects: fl= for the function, cfi= may introduce a file', async () => {
    const p = await load(EXAMPLE);
    assert.deepEqual(p.frames.map((f) => [f.name, f.file, f.module]).sort(), [
      ['helper', 'util.c', '/bin/prog'],
      ['main', 'main.c', '/bin/prog'],
      ['work', 'main.c', '/bin/prog'],
    ]);
  });

  it('records per-line self costs with fi=/fe= files and compressed positions (1-based lines)', async () => {
    const p = await load(EXAMPLE);
    const lines = p.lineCosts.map((c) => `${c.file}:${c.line} ${c.functionName} ${c.weight}`).sort();
    assert.deepEqual(lines, [
      'inline.h:7 work 2',
      'main.c:10 main 5',
      'main.c:11 main 2',
      'main.c:13 main 1', // +2 relative to line 11: the call lines did not move the position
      'main.c:20 work 100',
      'util.c:5 helper 390',
    ]);
  });

  it('uses options.event, else Ir', async () => {
    const dr = await load(EXAMPLE, { event: 'Dr' });
    assert.equal(dr.eventName, 'Dr');
    assert.equal(dr.unit, 'events');
    assert.equal(dr.total, 4);
    assert.equal(toFolded(dr), 'main 1\nmain;work 3\n');
  });

  it('uses the first event when there is no Ir', async () => {
    const p = await load('events: Dw Dr\nfl=a.c\nfn=f\n1 7 9\n');
    assert.equal(p.eventName, 'Dw');
    assert.equal(p.total, 7);
  });

  it('reads instr+line positions with hex addresses and * / +n compression', async () => {
    const p = await load(
      'positions: instr line\nevents: Ir\nfl=(1) a.c\nfn=(1) f\n0x1000 3 7\n+4 * 2\n+2 +1 1\n',
    );
    assert.deepEqual(
      p.lineCosts.map((c) => [c.line, c.weight]),
      [
        [3, 9],
        [4, 1],
      ],
    );
  });

  it('gives the same result when lines are split across tiny chunks', async () => {
    assert.equal(toFolded(await load(EXAMPLE, {}, 7)), toFolded(await load(EXAMPLE)));
  });

  it('does not follow recursive calls, and keeps self exact', async () => {
    const text = [
      'events: Ir',
      'fl=(1) r.c',
      'fn=(1) main',
      '1 10',
      'cfn=(2) fact',
      'calls=1 5',
      '* 100',
      'fn=(2)',
      '5 60',
      'cfn=(2)',
      'calls=3 5',
      '* 80',
      'cfn=(3) leaf',
      'calls=1 9',
      '* 40',
      'fn=(3)',
      '9 40',
    ].join('\n');
    const p = await load(text);
    assert.equal(toFolded(p), 'main 10\nmain;fact 60\nmain;fact;leaf 40\n');
  });

  it('cuts a 10,000-deep call chain at depth 256, keeping every self cost', async () => {
    const lines = ['events: Ir', 'fl=(1) deep.c'];
    for (let i = 0; i < 10_000; i++) {
      lines.push(`fn=(${i + 1}) f${i}`, `${i + 1} 1`);
      if (i < 9_999) lines.push(`cfn=(${i + 2}) f${i + 1}`, `calls=1 ${i + 2}`, `* ${9_999 - i}`);
    }
    const p = await load(lines.join('\n'));
    assert.equal(p.total, 10_000);
    assert.ok(p.stacks.every((s) => s.frames.length <= 256));
    assert.ok(aggregateFunctions(p).every((s) => s.self === 1));
  });

  it('stays bounded on a graph with 2^40 paths, keeping every self cost', async () => {
    // 40 layers of two functions (self 2 each); each calls both functions of the next
    // layer, so a function of layer l has inclusive cost 2 * (40 - l).
    const lines = ['events: Ir', 'fl=(1) g.c', 'fn=(1000) main', '1 1'];
    lines.push('cfn=(0) a0', 'calls=1 1', '* 80', 'cfn=(1) b0', 'calls=1 1', '* 80');
    for (let l = 0; l < 40; l++) {
      for (const k of [0, 1]) {
        lines.push(`fn=(${2 * l + k})`, '1 2');
        if (l < 39)
          lines.push(
            `cfn=(${2 * l + 2}) a${l + 1}`,
            'calls=1 1',
            `* ${39 - l}`,
            `cfn=(${2 * l + 3}) b${l + 1}`,
            'calls=1 1',
            `* ${39 - l}`,
          );
      }
    }
    const p = await load(lines.join('\n'));
    assert.equal(p.total, 161);
    const s = stats(p);
    assert.deepEqual(s.get('main'), [1, 161]);
    assert.deepEqual(s.get('a0')?.[0], 2);
    assert.deepEqual(s.get('b39')?.[0], 2);
    assert.equal(s.size, 81);
    assert.ok(p.stacks.length <= 200_000);
  });

  it('is the importer registered as "callgrind"', () => {
    assert.equal(callgrindImporter.id, 'callgrind');
    assert.equal(callgrindImporter.import, importFromCallgrind);
    assert.equal(callgrindImporter.detect, isCallgrind);
  });
});

describe('callgrind: detection', () => {
  it('accepts callgrind heads with or without the format line', async () => {
    assert.equal(isCallgrind(await head(EXAMPLE)), true);
    assert.equal(isCallgrind(await head('events: Ir\nfl=a.c\nfn=main\n1 2\n')), true);
  });
  it('rejects folded stacks, perf script, JSON and SVG', async () => {
    assert.equal(isCallgrind(await head('main;run 5\n')), false);
    assert.equal(isCallgrind(await head('p 1 1.0: 1 cpu-clock:\n\t1 main+0x1 (/p)\n')), false);
    assert.equal(isCallgrind(await head('{"events": "Ir"}')), false);
    assert.equal(isCallgrind(await head('<svg></svg>')), false);
  });
});

describe('callgrind: bad input', () => {
  it('rejects an empty file', () => rejects('', /no "events:" header/));
  it('rejects JSON', () => rejects('{"nodes": [1, 2]}\n', /not a callgrind header or cost line/, 1));
  it('rejects binary garbage', () => rejects(new Uint8Array([0x00, 0xff, 0xfe, 0x0a]), /binary data/, 1));
  it('rejects a file truncated after calls=', () =>
    rejects('events: Ir\nfn=a\n1 1\ncfn=b\ncalls=1 2\n', /ends after a "calls=" line/, 5));
  it('rejects a cost line before events:', () => rejects('fn=a\n1 1\n', /before the "events:" header/, 2));
  it('rejects an unknown event', () =>
    rejects('events: Ir\nfn=a\n1 1\n', /event "Bc" is not in this profile \(events: Ir\)/, 1, {
      event: 'Bc',
    }));
  it('rejects a name id used before it is defined', () =>
    rejects('events: Ir\nfn=(7)\n1 1\n', /name id \(7\) is used before it is defined/, 2));
  it('rejects negative, NaN and 1e400 counters', async () => {
    await rejects('events: Ir\nfn=a\n1 -5\n', /counter "-5" is not a non-negative integer/, 3);
    await rejects('events: Ir\nfn=a\n1 NaN\n', /counter "NaN"/, 3);
    await rejects('events: Ir\nfn=a\n1 1e400\n', /counter "1e400"/, 3);
  });
  it('rejects a file without costs', () => rejects('events: Ir\nfn=a\n', /no Ir costs/));
});
