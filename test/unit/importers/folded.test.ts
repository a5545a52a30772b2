import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { isCallgrind } from '../../../src/core/importers/callgrind';
import { isFlamegraphSvg } from '../../../src/core/importers/flamegraph-svg';
import { foldedImporter, importFromFolded, isFolded } from '../../../src/core/importers/folded';
import { ImportError } from '../../../src/core/importers/import-error';
import { inputFromBytes, readHead } from '../../../src/core/importers/input';
import { isPerfScript } from '../../../src/core/importers/perf-script';
import { aggregateFunctions, toFolded } from '../../../src/core/profile/aggregate';
import { expectedFixtures as fixtures } from '../helpers/expected-fixtures';
import { assertGolden, fixturePath } from '../helpers/golden';

function load(text: string, options: Parameters<typeof importFromFolded>[1] = {}, chunk?: number) {
  return importFromFolded(inputFromBytes('x.folded', text, chunk), options);
}

async function rejects(content: string | Uint8Array, pattern: RegExp, line?: number) {
  await assert.rejects(importFromFolded(inputFromBytes('bad.folded', content)), (e: unknown) => {
    assert.ok(e instanceof ImportError, `expected ImportError, got ${e}`);
    assert.match(e.message, /^bad\.folded: cannot read as folded stacks: /);
    assert.match(e.message, pattern);
    assert.equal(e.location.line, line);
    return true;
  });
}

const head = (text: string) => readHead(inputFromBytes('unknown', text));

describe('folded stacks: fixtures made by stackcollapse-perf.pl', () => {
  const list = fixtures('folded');
  it('has fixtures to check', () => assert.ok(list.length >= 5, `only ${list.length} folded fixtures`));
  for (const [rel, expected] of list) {
    const file = fixturePath('profiles', rel);
    const golden = `test/fixtures/golden/importers/folded/${path.basename(rel)}.txt`;
    it(`${rel}: total equals the tool's total, folded dump matches ${golden}`, async () => {
      const bytes = fs.readFileSync(file);
      const unit = expected.unit === 'ns' ? 'nanoseconds' : 'samples';
      const p = await importFromFolded(inputFromBytes(rel, bytes), { foldedUnit: unit });
      assert.equal(p.total, expected.total);
      assert.equal(p.unit, unit);
      assert.equal(p.format, 'folded');
      assertGolden(golden, toFolded(p));
    });
    it(`${rel}: detected by content under the name "unknown", and by no other text importer`, async () => {
      const h = await readHead(inputFromBytes('unknown', fs.readFileSync(file)));
      assert.equal(isFolded(h), true);
      assert.equal(isPerfScript(h), false);
      assert.equal(isFlamegraphSvg(h), false);
      assert.equal(isCallgrind(h), false);
    });
  }

  it('reads the --all annotations of fp-basic-all.folded as kinds and strips them from names', async () => {
    const all = await importFromFolded(
      inputFromBytes('a', fs.readFileSync(fixturePath('profiles', 'folded', 'fp-basic-all.folded'))),
    );
    const plain = await importFromFolded(
      inputFromBytes('b', fs.readFileSync(fixturePath('profiles', 'folded', 'fp-basic.folded'))),
    );
    const kernel = all.frames.filter((f) => f.kind === 'kernel');
    assert.ok(kernel.length > 0, 'kernel frames expected');
    assert.ok(all.frames.every((f) => !/_\[[kjiw]\]$/.test(f.name)));
    // Same recording, same names once the suffixes are gone.
    const names = (p: typeof all) => new Set(p.frames.map((f) => f.name));
    assert.deepEqual(names(all), names(plain));
  });
});

describe('folded stacks: reading', () => {
  it('splits frames on ";" and takes the weight after the last space, so frames may contain spaces', async () => {
    const p = await load(
      'main;operator new(unsigned long) 3\nmain;std::vector<int, std::allocator<int> >::push_back 2\n',
    );
    assert.equal(
      toFolded(p),
      'main;operator new(unsigned long) 3\nmain;std::vector<int, std::allocator<int> >::push_back 2\n',
    );
    assert.equal(p.total, 5);
    assert.equal(p.sampleCount, 5);
    assert.equal(p.unit, 'samples');
    assert.deepEqual(p.threads, ['all']);
  });

  it('sums repeated stacks and skips blank lines, comments, CRLF, a BOM and trailing spaces', async () => {
    const p = await load('\ufeff# collapsed\r\na;b 1\r\n\r\na;b 2  \r\na;c 4\r\n   \r\n');
    assert.equal(toFolded(p), 'a;b 3\na;c 4\n');
    assert.equal(p.meta.stackLines, 3);
  });

  it('reads a last line without a newline, and lines split across chunks', async () => {
    const text = 'root;mid;leaf 10\nroot;mid 5\nroot;other;leaf 7';
    const whole = await load(text);
    const tiny = await load(text, {}, 3);
    assert.equal(toFolded(tiny), toFolded(whole));
    assert.equal(whole.total, 22);
  });

  it('reads sorted lines that share prefixes the same whatever the chunk size', async () => {
    const text = 'a;b;c 1\na;b;c;d 2\na;b;cc 3\na;b;cc;d 4\na;bb 5\nab;b 6\na;b;c 7\n';
    const whole = await load(text);
    assert.equal(toFolded(whole), 'a;b;c 8\na;b;c;d 2\na;b;cc 3\na;b;cc;d 4\na;bb 5\nab;b 6\n');
    for (let chunk = 1; chunk <= 20; chunk++)
      assert.equal(toFolded(await load(text, {}, chunk)), toFolded(whole));
  });

  it('maps the annotation suffixes _[k] _[j] _[i] _[w] to kind / inlined and strips them', async () => {
    const p = await load('main;jitted_[j];helper_[i];do_syscall_64_[k];try_to_wake_up_[w];plain_[x] 1\n');
    assert.deepEqual(p.frames, [
      { name: 'main' },
      { name: 'jitted', kind: 'user' },
      { name: 'helper', inlined: true },
      { name: 'do_syscall_64', kind: 'kernel' },
      { name: 'try_to_wake_up', kind: 'unknown' },
      { name: 'plain_[x]' },
    ]);
  });

  it('reads weights as samples when one of them is not an integer, even before weights that look like periods', async () => {
    const p = await load('a;b 1.5\na;c 2002002\na;d 1001001\n');
    assert.equal(p.unit, 'samples');
    assert.equal(p.meta.samplePeriod, undefined);
    const periods = await load('a;c 2002002\na;d 1001001\n');
    assert.equal(periods.unit, 'nanoseconds');
    assert.equal(periods.meta.samplePeriod, 1001001);
  });

  it('keeps nanoseconds when asked, without a sample count', async () => {
    const p = await load('a;b 1001001\na 2002002\n', { foldedUnit: 'nanoseconds' });
    assert.equal(p.unit, 'nanoseconds');
    assert.equal(p.eventName, 'nanoseconds');
    assert.equal(p.total, 3003003);
    assert.equal(p.sampleCount, undefined);
  });

  it('finds every frame whatever its length and wherever it ends in a 4-byte word', async () => {
    // names of 1 to 9 bytes (ASCII, a space, multibyte UTF-8) that share prefixes, in stacks
    // read sorted and shuffled: a frame's hash ends on a partial word, or at the weight's space
    const names = ['a', 'ab', 'abc', 'abcd', 'abcde', 'abcdef', 'abcdefg', 'abcdefgh', 'abcdefghi'];
    names.push('a b', 'ab cd', 'é', 'aé', 'aéb', '日本', 'x日本y');
    let seed = 7;
    const next = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const lines: string[] = [];
    for (let i = 0; i < 400; i++) {
      const depth = 1 + next(6);
      lines.push(
        `${Array.from({ length: depth }, () => names[next(names.length)]).join(';')} ${1 + next(9)}`,
      );
    }
    // the reference: split each line as text, sum equal stacks
    const expected = new Map<string, number>();
    for (const l of lines) {
      const sp = l.lastIndexOf(' ');
      expected.set(l.slice(0, sp), (expected.get(l.slice(0, sp)) ?? 0) + Number(l.slice(sp + 1)));
    }
    for (const order of [[...lines].sort(), lines]) {
      for (const chunk of [7, 1 << 20]) {
        const p = await load(order.join('\n'), {}, chunk);
        const got = new Map<string, number>();
        for (const s of p.stacks) {
          const key = s.frames.map((id) => p.frames[id].name).join(';');
          got.set(key, (got.get(key) ?? 0) + s.weight);
        }
        assert.deepEqual(got, expected, `chunk ${chunk}`);
        assert.equal(p.frames.length, names.length);
      }
    }
  });

  it('keeps each stack once however the lines repeat it (sorted, unsorted, empty frames, bytes not UTF-8)', async () => {
    const unique = (p: Awaited<ReturnType<typeof load>>) =>
      new Set(p.stacks.map((s) => `${s.thread}:${s.frames.join(',')}`)).size === p.stacks.length;
    const cases: [string | Uint8Array, string][] = [
      // sorted, then a line that repeats an earlier stack: the sorted run is hashed after all
      ['a;b 1\na;b;c 2\na;c 3\nb 4\na;b;c 5\n', 'a;b 1\na;b;c 7\na;c 3\nb 4\n'],
      // the same stack on consecutive lines, with different weights
      ['a;b 1\na;b 2\na;c 3\n', 'a;b 3\na;c 3\n'],
      // empty frames make different bytes the same stack, even in sorted order
      ['a;;b 1\na;b 2\na;b; 3\n;a;b 4\n', 'a;b 10\n'],
    ];
    for (const [text, folded] of cases) {
      for (const chunk of [1, 2, 3, 5, 8, 1 << 20]) {
        const p = await importFromFolded(inputFromBytes('x.folded', text, chunk));
        assert.equal(toFolded(p), folded, `chunk ${chunk}`);
        assert.ok(unique(p), `a stack is listed twice with chunk ${chunk}: ${JSON.stringify(p.stacks)}`);
      }
    }
    // 0xfe and 0xff are not UTF-8: both frames read as U+FFFD, one frame, so one stack
    const bytes = Uint8Array.from([0xfe, 0x3b, 0x78, 0x20, 0x31, 0x0a, 0xff, 0x3b, 0x78, 0x20, 0x32, 0x0a]);
    const p = await importFromFolded(inputFromBytes('x.folded', bytes));
    assert.equal(p.stacks.length, 1);
    assert.equal(p.stacks[0].weight, 3);
  });

  it('accepts decimal weights and skips empty frames', async () => {
    const p = await load('a;;b 1.5\na;b 0.5\n');
    assert.equal(toFolded(p), 'a;b 2\n');
  });

  it('gives self and total per function (root first)', async () => {
    const p = await load('main;work;hash 6\nmain;work 3\nmain;idle 1\n');
    const stats = new Map(aggregateFunctions(p).map((s) => [s.name, [s.self, s.total]]));
    assert.deepEqual(stats.get('main'), [0, 10]);
    assert.deepEqual(stats.get('work'), [3, 9]);
    assert.deepEqual(stats.get('hash'), [6, 6]);
  });

  it('reads a 10,000-frame stack', async () => {
    const frames = Array.from({ length: 10_000 }, (_, i) => `f${i}`);
    const p = await load(`${frames.join(';')} 4\n`);
    assert.equal(p.stacks.length, 1);
    assert.equal(p.stacks[0].frames.length, 10_000);
    assert.equal(p.frames[p.stacks[0].frames[9_999]].name, 'f9999');
  });

  it('is the importer registered as "folded"', () => {
    assert.equal(foldedImporter.id, 'folded');
    assert.equal(foldedImporter.import, importFromFolded);
    assert.equal(foldedImporter.detect, isFolded);
  });
});

describe('folded stacks: detection', () => {
  it('accepts folded stacks, with comments and blank lines', async () => {
    assert.equal(isFolded(await head('# x\n\nmain;run 5\nmain 1\n')), true);
    assert.equal(isFolded(await head('main 1')), true);
  });

  it('rejects perf script, callgrind, JSON, SVG and empty heads', async () => {
    assert.equal(isFolded(await head('prog 123 10.5: 1001001 cpu-clock:\n\t 1 main+0x1 (/p)\n\n')), false);
    // A perf script header printed without an event (-F comm,tid,time,period) still ends with a number.
    assert.equal(isFolded(await head('prog 12414   472.791858:    1001001\n')), false);
    assert.equal(isFolded(await head('version: 1\ncreator: callgrind\nevents: Ir\nsummary: 12\n')), false);
    assert.equal(isFolded(await head('{"nodes": []}\n')), false);
    assert.equal(isFolded(await head('<svg><g><title>a (1 samples, 100%)</title></g></svg>\n')), false);
    assert.equal(isFolded(await head('')), false);
    assert.equal(isFolded(await head('\n# only a comment\n')), false);
  });
});

describe('folded stacks: bad input', () => {
  it('rejects an empty file', () => rejects('', /no stacks found/));
  it('rejects a file of comments only', () => rejects('# nothing\n\n', /no stacks found/));
  it('rejects a truncated last line (no weight)', () => rejects('a;b 12\na;b;c', /no weight/, 2));
  it('rejects JSON', () => rejects('{"nodes": [], "samples": []}\n', /weight "\[\]}" is not a number/, 1));
  it('rejects binary garbage', () =>
    rejects(new Uint8Array([0x00, 0xff, 0x13, 0x37, 0x20, 0xfe, 0x00, 0x0a, 0x01]), /binary data/, 1));
  it('rejects a negative weight', () => rejects('a;b 1\na;b -5\n', /weight "-5" is negative/, 2));
  it('rejects NaN', () => rejects('a NaN\n', /weight "NaN" is not a number/, 1));
  it('rejects a weight too large for a number (1e400)', () => rejects('a 1e400\n', /too large/, 1));
  it('rejects a stack with no frames', () => rejects('; 5\n', /no frames/, 1));
});
