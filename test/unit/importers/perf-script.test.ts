import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { isCallgrind } from '../../../src/core/importers/callgrind';
import { isFlamegraphSvg } from '../../../src/core/importers/flamegraph-svg';
import { isFolded } from '../../../src/core/importers/folded';
import { ImportError } from '../../../src/core/importers/import-error';
import { inputFromBytes, readHead } from '../../../src/core/importers/input';
import {
  importFromPerfScript,
  isPerfScript,
  perfScriptImporter,
} from '../../../src/core/importers/perf-script';
import {
  type PerfFrameLine,
  parsePerfFrameLine,
  perfFrame,
} from '../../../src/core/importers/perf-script-line';
import { aggregateFunctions, toFolded } from '../../../src/core/profile/aggregate';
import { expectedFixtures as fixtures } from '../helpers/expected-fixtures';
import { assertGolden, fixturePath } from '../helpers/golden';

const load = (text: string, chunk?: number) => importFromPerfScript(inputFromBytes('x.perf', text, chunk));
const head = (text: string) => readHead(inputFromBytes('unknown', text));

async function rejects(content: string | Uint8Array, pattern: RegExp, line?: number) {
  await assert.rejects(importFromPerfScript(inputFromBytes('bad.perf', content)), (e: unknown) => {
    assert.ok(e instanceof ImportError, `expected ImportError, got ${e}`);
    assert.match(e.message, /^bad\.perf: cannot read as perf script: /);
    assert.match(e.message, pattern);
    assert.equal(e.location.line, line);
    return true;
  });
}

/** A frame line as perf script prints it. */
const fr = (addr: string, sym: string, dso?: string) =>
  `\t${addr.padStart(16)} ${sym}${dso === undefined ? '' : ` (${dso})`}`;

const SMALL = [
  'prog 12414   472.791858:    1001001 cpu-clock:ppp: ',
  fr('11eb', 'leaf+0x2b', '/tmp/prog'),
  fr('109a', 'main+0x2a', '/tmp/prog'),
  fr('2724a', '__libc_start_call_main+0x7a', '/usr/lib/libc.so.6'),
  '',
  'prog 12414   472.792849:    1001001 cpu-clock:ppp: ',
  fr('1259', 'mid+0x49', '/tmp/prog'),
  fr('109a', 'main+0x2a', '/tmp/prog'),
  fr('2724a', '__libc_start_call_main+0x7a', '/usr/lib/libc.so.6'),
  '',
  'prog 12414   472.793861:    1001001 cpu-clock:ppp: ',
  fr('11e0', 'leaf+0x20', '/tmp/prog'),
  fr('109a', 'main+0x2a', '/tmp/prog'),
  fr('2724a', '__libc_start_call_main+0x7a', '/usr/lib/libc.so.6'),
  '',
].join('\n');

describe('perf script: fixtures made by perf', () => {
  const list = fixtures('perf-script');
  it('has fixtures to check', () => assert.ok(list.length >= 8, `only ${list.length} perf script fixtures`));
  for (const [rel, expected] of list) {
    const file = fixturePath('profiles', rel);
    const golden = `test/fixtures/golden/importers/perf-script/${path.basename(rel)}.txt`;
    it(`${rel}: sample count, period sum, event and threads equal the tools' figures; dump matches ${golden}`, async () => {
      const p = await importFromPerfScript(inputFromBytes(rel, fs.readFileSync(file)));
      assert.equal(p.total, expected.total);
      assert.equal(p.sampleCount, expected.total);
      assert.equal(p.unit, 'samples');
      if (expected.totalPeriod !== undefined) assert.equal(p.meta.periodSum, expected.totalPeriod);
      if (expected.events?.length === 1) assert.equal(p.eventName, expected.events[0]);
      if (expected.threadNames !== undefined) {
        // One thread per (comm, tid); comms with several tids are named comm-tid.
        assert.equal(p.threads.length, expected.threadCount);
        const names = expected.threadNames;
        const commOf = (t: string) =>
          names.includes(t)
            ? t
            : names.find((c) => t.startsWith(`${c}-`) && /^\d+$/.test(t.slice(c.length + 1)));
        for (const t of p.threads)
          assert.ok(commOf(t) !== undefined, `thread ${t} is not named after a comm`);
        assert.deepEqual([...new Set(p.threads.map(commOf))].sort(), [...names].sort());
      }
      if (expected.inlinedFrameLines) assert.ok(p.frames.some((f) => f.inlined));
      if (expected.kernelFrameLines) assert.ok(p.frames.some((f) => f.kind === 'kernel'));
      assertGolden(golden, toFolded(p));
    });
    it(`${rel}: detected by content under the name "unknown", and by no other text importer`, async () => {
      const h = await readHead(inputFromBytes('unknown', fs.readFileSync(file)));
      assert.equal(isPerfScript(h), true);
      assert.equal(isFolded(h), false);
      assert.equal(isFlamegraphSvg(h), false);
      assert.equal(isCallgrind(h), false);
    });
  }

  it('srcline fixtures: frames carry file and 1-based line; --full-source-path gives absolute files', async () => {
    const read = (name: string) =>
      importFromPerfScript(
        inputFromBytes(name, fs.readFileSync(fixturePath('profiles', 'perf-script', name))),
      );
    const plain = await read('fp-srcline.perf');
    const full = await read('fp-srcline-fullpath.perf');
    const withLine = (p: typeof plain) =>
      p.frames.filter((f) => f.file !== undefined && f.line !== undefined);
    assert.ok(withLine(plain).length > 10);
    assert.ok(withLine(plain).some((f) => f.file === 'engine.rs' || !f.file?.includes('/')));
    assert.ok(withLine(full).every((f) => f.file?.startsWith('/') || f.file?.startsWith('.')));
    assert.ok(full.frames.every((f) => f.line === undefined || f.line >= 1));
    // The same recording without srcline has the same self weights per function name.
    const bare = await importFromPerfScript(
      inputFromBytes('x', fs.readFileSync(fixturePath('profiles', 'perf-script', 'fp-srcline.perf'))),
    );
    const selfByName = (p: typeof plain) => {
      const m = new Map<string, number>();
      for (const s of aggregateFunctions(p)) m.set(s.name, (m.get(s.name) ?? 0) + s.self);
      return m;
    };
    assert.deepEqual(selfByName(full), selfByName(bare));
  });
});

describe('perf script: reading', () => {
  it('reads samples leaf first into root-first stacks, 1 per sample, with the period sum and event', async () => {
    const p = await load(SMALL);
    assert.equal(toFolded(p), '__libc_start_call_main;main;leaf 2\n__libc_start_call_main;main;mid 1\n');
    assert.equal(p.total, 3);
    assert.equal(p.sampleCount, 3);
    assert.equal(p.eventName, 'cpu-clock');
    assert.equal(p.meta.event, 'cpu-clock:ppp');
    assert.equal(p.meta.periodSum, 3003003);
    assert.deepEqual(p.threads, ['prog']);
    assert.deepEqual(p.frames[0], { name: 'leaf', module: '/tmp/prog' });
  });

  it('gives the same result when lines are split across tiny chunks', async () => {
    assert.equal(toFolded(await load(SMALL, 5)), toFolded(await load(SMALL)));
  });

  it('reads header variants: pid/tid, [cpu], no period, comm with spaces and colons', async () => {
    const text = [
      'Web Content 100/101 [003] 10.000001: 250000 cycles:u:',
      fr('1', 'a+0x1', '/x'),
      '',
      'kworker/0:1 7 [000]  10.000002: cycles:u:',
      fr('ffffffff81000000', 'worker_thread+0x10', '[kernel.kallsyms]'),
      '',
      'Web Content 100/102 [001] 10.000003: 250000 cycles:u:',
      fr('2', 'b+0x2', '/x'),
      '',
    ].join('\n');
    const p = await load(text);
    assert.deepEqual([...p.threads].sort(), ['Web Content-101', 'Web Content-102', 'kworker/0:1']);
    assert.equal(p.eventName, 'cycles');
    assert.equal(p.meta.periodSum, 500000);
    assert.deepEqual(
      p.frames.find((f) => f.name === 'worker_thread'),
      { name: 'worker_thread', module: '[kernel.kallsyms]', kind: 'kernel' },
    );
  });

  it('reads srcline lines: relative and absolute files, ??:0 as unknown, (inlined) frames', async () => {
    const text = [
      'p 1 1.000001: 1001001 cpu-clock:',
      fr('11e0', 'leaf+0x20', '/tmp/p'),
      '  /src/p.c:3',
      fr('1222', 'inl+0x12'),
      '  p.c:4 (inlined)',
      fr('1222', 'mid+0x12', '/tmp/p'),
      '  p.c:0',
      fr('10f0', '_start+0x20', '/tmp/p'),
      '  ??:0',
      '',
    ].join('\n');
    const p = await load(text);
    assert.deepEqual(p.frames, [
      { name: 'leaf', file: '/src/p.c', line: 3, module: '/tmp/p' },
      { name: 'inl', file: 'p.c', line: 4, inlined: true },
      { name: 'mid', file: 'p.c', module: '/tmp/p' },
      { name: '_start', module: '/tmp/p' },
    ]);
    assert.equal(toFolded(p), '_start;mid;inl;leaf 1\n');
  });

  it('keeps each frame with its srcline wherever the chunks are cut, with CRLF too', async () => {
    const text = [
      'p 1 1.000001: 1001001 cpu-clock:',
      fr('11e0', 'leaf+0x20', '/tmp/p'),
      '  /src/p.c:3',
      fr('1222', 'inl+0x12'),
      '  p.c:4 (inlined)',
      fr('10f0', '_start+0x20', '/tmp/p'),
      '',
      'p 1 1.000002: 1001001 cpu-clock:',
      fr('11e0', 'leaf+0x20', '/tmp/p'),
      '  /src/p.c:3',
      fr('10f0', '_start+0x20', '/tmp/p'),
      '  p.c:9',
      '',
    ].join('\n');
    const whole = await load(text);
    assert.equal(whole.frames.length, 4);
    for (const t of [text, text.replace(/\n/g, '\r\n')])
      for (let chunk = 1; chunk <= 40; chunk++) {
        const p = await load(t, chunk);
        assert.deepEqual(p.frames, whole.frames, `chunk size ${chunk}`);
        assert.equal(toFolded(p), toFolded(whole), `chunk size ${chunk}`);
      }
  });

  it('makes frames at different source lines different frames of the same function', async () => {
    const s = (line: number) =>
      ['p 1 1.0: 1 cpu-clock:', fr(String(line), `work+0x${line}`, '/p'), `  w.c:${line}`, ''].join('\n');
    const p = await load([s(3), s(4), s(3)].join('\n'));
    assert.equal(p.frames.length, 2);
    const stats = aggregateFunctions(p);
    assert.equal(stats.length, 1);
    assert.equal(stats[0].self, 3);
  });

  it('reads (inlined) dso markers, [unknown] symbols and --no-demangle names as written', async () => {
    const text = [
      'p 1 1.0: 1 cpu-clock:',
      fr('1', '_ZN4core3ptr13drop_in_place17h0123456789abcdefE+0x10', '/p'),
      fr('2', 'inner+0x4', 'inlined'),
      fr('3', '[unknown]', '[unknown]'),
      fr('4', '[unknown]', '/usr/lib/libgcc_s.so.1'),
      '',
    ].join('\n');
    const p = await load(text);
    assert.deepEqual(p.frames, [
      { name: '_ZN4core3ptr13drop_in_place17h0123456789abcdefE', module: '/p' },
      { name: 'inner', inlined: true },
      { name: '[unknown]' },
      { name: '[unknown]', module: '/usr/lib/libgcc_s.so.1' },
    ]);
  });

  it('keeps C++ names with parentheses and operators, dropping only the final +0x offset', async () => {
    const text = [
      'p 1 1.0: 1 cpu-clock:',
      fr('1', 'operator+(Big const&, Big const&)+0x1f', '/p'),
      fr('2', '(anonymous namespace)::run(int) const+0x2', '/p (deleted)'),
      '',
    ].join('\n');
    const p = await load(text);
    assert.deepEqual(
      p.frames.map((f) => [f.name, f.module]),
      [
        ['operator+(Big const&, Big const&)', '/p'],
        ['(anonymous namespace)::run(int) const', '/p (deleted)'],
      ],
    );
  });

  it('uses only the first event and counts the others', async () => {
    const text = [
      'p 1 1.0: 10 cpu-clock:',
      fr('1', 'a+0x1', '/p'),
      '',
      'p 1 1.1: 1 page-faults:',
      fr('2', 'b+0x1', '/p'),
      '',
      'p 1 1.2: 10 cpu-clock:',
      fr('1', 'a+0x1', '/p'),
      '',
    ].join('\n');
    const p = await load(text);
    assert.equal(toFolded(p), 'a 2\n');
    assert.equal(p.meta.otherEventSamples, 1);
    assert.equal(p.meta.periodSum, 20);
  });

  it('reads output without call chains (-G): the sampled ip is on the header line, padded comm', async () => {
    const text = [
      '               p 12414   472.791858:    1001001 cpu-clock:ppp:      5641401821eb leaf+0x2b (/tmp/p)',
      '               p 12414   472.792849:    1001001 cpu-clock:ppp:      564140182259 mid+0x49 (/tmp/p)',
      '               p 12414   472.793861:    1001001 cpu-clock:ppp:      5641401821eb leaf+0x2b (/tmp/p)',
    ].join('\n');
    const p = await load(text);
    assert.equal(toFolded(p), 'leaf 2\nmid 1\n');
    assert.deepEqual(p.threads, ['p']);
  });

  it('keeps --header facts as metadata and counts samples without frames', async () => {
    const text = [
      '# ========',
      '# captured on    : Sun Nov 22 00:32:08 2026',
      '# cmdline : /usr/bin/perf record -g ./p',
      '# ========',
      '#',
      'p 1 1.0: 1 cpu-clock:',
      '',
      'p 1 1.1: 1 cpu-clock:',
      fr('1', 'a+0x1', '/p'),
      '',
    ].join('\n');
    const p = await load(text);
    assert.equal(p.meta.cmdline, '/usr/bin/perf record -g ./p');
    assert.equal(p.meta.capturedOn, 'Sun Nov 22 00:32:08 2026');
    assert.equal(p.meta.samplesWithoutFrames, 1);
    assert.equal(p.total, 1);
  });

  it('reads a 10,000-frame stack', async () => {
    const lines = ['p 1 1.0: 1 cpu-clock:'];
    for (let i = 0; i < 10_000; i++) lines.push(fr(i.toString(16), `f${i}+0x1`, '/p'));
    const p = await load(`${lines.join('\n')}\n`);
    assert.equal(p.stacks[0].frames.length, 10_000);
    assert.equal(p.frames[p.stacks[0].frames[0]].name, 'f9999');
  });

  it('gives every frame line the frame its text parses to, whether found by its symbol and dso or parsed', async () => {
    // Same symbol and dso at other addresses and offsets, and near misses of the common shape
    // (no offset, spaces, tabs, nested parentheses, [unknown], inlined, kernel, non-ASCII).
    const shapes = [
      'leaf+0x2b (/tmp/prog)',
      'leaf+0x1f (/tmp/prog)',
      'leaf (/tmp/prog)',
      'leaf +0x2b (/tmp/prog)',
      'leaf+0x2b  (/tmp/prog)',
      'leaf+0x2b\t(/tmp/prog)',
      'leaf+0x2b (/tmp/prog (deleted))',
      'leaf+0x2b (/other/prog)',
      'leaf+0xzz (/tmp/prog)',
      'leaf+0x (/tmp/prog)',
      '+0x2b (/tmp/prog)',
      '[unknown] ([unknown])',
      'std::vec::Vec<T>::push+0x10 (inlined)',
      'do_syscall_64+0x5d ([kernel.kallsyms])',
      'operator new(unsigned long)+0x1c (/usr/lib/libstdc++.so.6)',
      'größe::berechnen+0x4 (/tmp/ü)',
      'leaf+0x2b ()',
      'leaf+0x2b (/tmp/prog) ',
    ];
    const sample = (i: number, shape: string) => [
      `prog 1 ${i}.0: 1 cpu-clock:`,
      `\t${(0x1000 + i).toString(16).padStart(16)} ${shape}`,
      fr('109a', 'main+0x2a', '/tmp/prog'),
      '',
    ];
    const text = `${shapes.flatMap((shape, i) => [...sample(2 * i, shape), ...sample(2 * i + 1, shape)]).join('\n')}\n`;
    const p = await load(text);
    for (const shape of shapes) {
      const expected = perfFrame(parsePerfFrameLine(`\t1000 ${shape}`) as PerfFrameLine, undefined);
      const ids = new Set(
        p.frames.flatMap((f, id) => (JSON.stringify(f) === JSON.stringify(expected) ? [id] : [])),
      );
      assert.equal(ids.size, 1, `${shape}: ${JSON.stringify(expected)} among ${JSON.stringify(p.frames)}`);
    }
    // and the profile is the one each line parsed on its own gives (no frame mixed up with another)
    const parsedAlone = shapes.map((shape) =>
      JSON.stringify(perfFrame(parsePerfFrameLine(`\t1000 ${shape}`) as PerfFrameLine, undefined)),
    );
    const leafFrames = p.stacks.map((st) => JSON.stringify(p.frames[st.frames[st.frames.length - 1]]));
    assert.deepEqual(new Set(leafFrames), new Set(parsedAlone));
    assert.equal(p.total, 2 * shapes.length);
  });

  it('is the importer registered as "perf-script"', () => {
    assert.equal(perfScriptImporter.id, 'perf-script');
    assert.equal(perfScriptImporter.import, importFromPerfScript);
    assert.equal(perfScriptImporter.detect, isPerfScript);
  });
});

describe('perf script: detection', () => {
  it('accepts perf script with and without call chains, after --header comments', async () => {
    assert.equal(isPerfScript(await head(SMALL)), true);
    assert.equal(isPerfScript(await head(`# ====\n# cmdline : perf record\n#\n${SMALL}`)), true);
    assert.equal(
      isPerfScript(await head('  p 1 1.000001: 1 cpu-clock:  5641401821eb leaf+0x2b (/tmp/p)\n')),
      true,
    );
  });

  it('rejects folded stacks, callgrind, JSON and SVG', async () => {
    assert.equal(isPerfScript(await head('main;run 5\nmain 1\n')), false);
    assert.equal(isPerfScript(await head('prog;main 1.5: 3\n')), false);
    assert.equal(isPerfScript(await head('# callgrind format\nversion: 1\nevents: Ir\n')), false);
    assert.equal(isPerfScript(await head('{"nodes": []}\n')), false);
    assert.equal(isPerfScript(await head('<?xml version="1.0"?>\n<svg></svg>\n')), false);
    assert.equal(isPerfScript(await head('')), false);
  });
});

describe('perf script: bad input', () => {
  it('rejects an empty file', () => rejects('', /no samples found/));
  it('rejects JSON', () => rejects('{"nodes": []}\n', /not a perf script sample header/, 1));
  it('rejects folded stacks', () => rejects('main;run 5\n', /not a perf script sample header/, 1));
  it('rejects binary garbage', () =>
    rejects(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x00, 0xff, 0x0a]), /binary data/, 1));
  it('rejects a file truncated inside a header line', () =>
    rejects(`${SMALL}p 12414   472.79`, /unexpected line/, 15));
  it('rejects a frame line without an address', () =>
    rejects('p 1 1.0: 1 cpu-clock:\n\tnot-hex main (/p)\n', /does not start with an address/, 2));
  it('rejects a negative, NaN or 1e400 period (the header does not parse)', async () => {
    await rejects('p 1 1.0: -5 cpu-clock:\n', /not a perf script sample header/, 1);
    await rejects('p 1 1.0: NaN cpu-clock:\n', /not a perf script sample header/, 1);
    await rejects('p 1 1.0: 1e400 cpu-clock:\n', /not a perf script sample header/, 1);
  });
  it('rejects samples that all lack stacks', () =>
    rejects('p 1 1.0: 1 cpu-clock:\n\n', /none of the 1 samples/));
});
