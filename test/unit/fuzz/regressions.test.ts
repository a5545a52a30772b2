import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Line,
  Location,
  Function as PprofFunction,
  Profile,
  Sample,
  StringTable,
  ValueType,
} from 'pprof-format';
import { deepPerfScript } from '../../../fuzz/deep';
import { importFromCpuprofile } from '../../../src/core/importers/cpuprofile';
import { importFromFolded } from '../../../src/core/importers/folded';
import { lineBlocks } from '../../../src/core/importers/folded-bytes';
import { ImportError } from '../../../src/core/importers/import-error';
import { inputFromBytes, lineBatches } from '../../../src/core/importers/input';
import { importFromPerfScript } from '../../../src/core/importers/perf-script';
import { importFromPprof } from '../../../src/core/importers/pprof';
import { importFromSpeedscope } from '../../../src/core/importers/speedscope';
import { toFolded } from '../../../src/core/profile/aggregate';

/** Bugs the fuzzer found, each as the smallest input that showed it. */
describe('fuzz regressions', () => {
  const speedscope = (profiles: unknown[]) =>
    inputFromBytes(
      'x.speedscope.json',
      JSON.stringify({
        $schema: 'https://www.speedscope.app/file-format-schema.json',
        shared: { frames: [{ name: 'main' }, { name: 'f' }] },
        profiles,
      }),
    );

  it('speedscope: a weight that overflows when converted to nanoseconds is an ImportError, not a RangeError', async () => {
    const input = speedscope([
      {
        type: 'sampled',
        name: 'p',
        unit: 'milliseconds',
        startValue: 0,
        endValue: 1,
        samples: [[0, 1]],
        weights: [1e308],
      },
    ]);
    await assert.rejects(importFromSpeedscope(input), (e: unknown) => {
      assert.ok(e instanceof ImportError);
      assert.match(e.message, /weights\[0\]: weight Infinity is out of range/);
      return true;
    });
  });

  it('speedscope: an evented interval that overflows is an ImportError', async () => {
    const input = speedscope([
      {
        type: 'evented',
        name: 'p',
        unit: 'seconds',
        startValue: 0,
        endValue: 1e308,
        events: [
          { type: 'O', frame: 0, at: 0 },
          { type: 'C', frame: 0, at: 1e308 },
        ],
      },
    ]);
    await assert.rejects(importFromSpeedscope(input), /events\[1\]: weight Infinity is out of range/);
  });

  it('speedscope: weights whose sum overflows are an ImportError, not a profile with an infinite total', async () => {
    const input = speedscope([
      {
        type: 'sampled',
        name: 'p',
        unit: 'none',
        startValue: 0,
        endValue: 1,
        samples: [[0], [0, 1]],
        weights: [1e308, 1e308],
      },
    ]);
    await assert.rejects(importFromSpeedscope(input), /add up to more than the largest number/);
  });

  it('speedscope: large finite weights still import', async () => {
    const input = speedscope([
      {
        type: 'sampled',
        name: 'p',
        unit: 'none',
        startValue: 0,
        endValue: 1,
        samples: [[0], [0, 1]],
        weights: [1e300, 1],
      },
    ]);
    const p = await importFromSpeedscope(input);
    assert.equal(p.total, 1e300 + 1);
  });

  it('cpuprofile: position ticks whose sum overflows are an ImportError, not an infinite line cost', async () => {
    const node = (id: number, name: string, extra: object) => ({
      id,
      callFrame: { functionName: name, scriptId: '1', url: 'file:///a.js', lineNumber: 0, columnNumber: 0 },
      ...extra,
    });
    const profile = (ticks: number) => ({
      nodes: [
        node(1, '(root)', { hitCount: 0, children: [2, 3] }),
        node(2, 'f', { hitCount: 1, positionTicks: [{ line: 3, ticks }] }),
        node(3, 'f', { hitCount: 1, positionTicks: [{ line: 3, ticks }] }),
      ],
      startTime: 0,
      endTime: 2,
      samples: [2, 3],
      timeDeltas: [1, 1],
    });
    const fix = (p: ReturnType<typeof profile>) => inputFromBytes('a.cpuprofile', JSON.stringify(p));
    await assert.rejects(importFromCpuprofile(fix(profile(1e308))), (e: unknown) => {
      assert.ok(e instanceof ImportError);
      assert.match(e.message, /add up to more than 1\.8e308/);
      return true;
    });
    const ok = await importFromCpuprofile(fix(profile(2)));
    assert.deepEqual(
      ok.lineCosts.map((c) => [c.line, c.weight]),
      [[3, 4]],
    );
  });

  it('pprof: a time_nanos beyond the Date range (a varint longer than 64 bits) gives no start time instead of a RangeError', async () => {
    const encode = (timeNanos: bigint | undefined) => {
      const st = new StringTable();
      const name = st.dedup('main');
      const bytes = new Profile({
        sampleType: [new ValueType({ type: st.dedup('samples'), unit: st.dedup('count') })],
        sample: [new Sample({ locationId: [1], value: [3] })],
        location: [new Location({ id: 1, line: [new Line({ functionId: 1, line: 7 })] })],
        function: [new PprofFunction({ id: 1, name, systemName: name, filename: st.dedup('main.go') })],
        stringTable: st,
        ...(timeNanos !== undefined ? { timeNanos } : {}),
      }).encode();
      if (timeNanos !== undefined) return bytes;
      // time_nanos (field 9) as a 12-byte varint, longer than 64 bits: pprof-format decodes it
      // to a bigint of about 3e23 ns, beyond what a Date holds (the fuzzer's input had one).
      const longVarint = [0x48, ...new Array(11).fill(0xff), 0x01];
      return Uint8Array.from([...bytes, ...longVarint]);
    };
    const far = await importFromPprof(inputFromBytes('far.pb', encode(undefined)));
    assert.equal(far.total, 3);
    assert.equal(far.meta.startTime, undefined);
    const near = await importFromPprof(inputFromBytes('near.pb', encode(1_700_000_000_000_000_000n)));
    assert.equal(near.meta.startTime, '2023-11-14T22:13:20.000Z');
  });

  // The fuzzer's 10,000-frame perf sample and long lines were quadratic in the streaming
  // line readers (the carried partial block was re-joined for every chunk and every
  // candidate line end): 0.9–1.6 s instead of 0.1 s for 560 KB, 3.7 s for one 16 MB line.
  // These tests pin the output across chunk sizes; the time is in the fuzzers' bound.
  it('lineBlocks with keepBack: a 10,000-frame perf sample reads the same in any chunk size', async () => {
    const bytes = deepPerfScript()[0].bytes;
    const whole = toFolded(await importFromPerfScript(inputFromBytes('deep.perf', bytes)));
    for (const size of [65_536, 4096, 300]) {
      const p = await importFromPerfScript(inputFromBytes('deep.perf', bytes, size));
      assert.equal(toFolded(p), whole, `chunk size ${size}`);
    }
    let blocks = 0;
    let length = 0;
    for await (const b of lineBlocks(inputFromBytes('deep.perf', bytes, 4096), {}, (buf, last, end) =>
      buf[last] === 9 ? last : end,
    )) {
      blocks++;
      length += b.end - b.start;
    }
    assert.equal(length, bytes.byteLength);
    assert.ok(blocks >= 2, `${blocks} blocks`);
  });

  it('lineBatches: a line longer than many chunks, and a BOM cut between chunks', async () => {
    const long = 'x'.repeat(20_000);
    const text = `\ufeffa\r\n${long}\r\nb\n${long}`;
    for (const size of [2, 1000, 65_536]) {
      const lines: string[] = [];
      for await (const batch of lineBatches(inputFromBytes('t', text, size))) lines.push(...batch);
      assert.deepEqual(lines, ['a', long, 'b', long], `chunk size ${size}`);
    }
  });

  it('folded: weights whose sum overflows are an ImportError on the line where it happens', async () => {
    for (const text of ['a;b 1e308\na;b 1e308\n', 'a;b 1e308\na;c 1e308\n']) {
      await assert.rejects(importFromFolded(inputFromBytes('x.folded', text)), (e: unknown) => {
        assert.ok(e instanceof ImportError);
        assert.equal(e.location.line, 2);
        assert.match(e.problem, /add up to more than 1\.8e308/);
        return true;
      });
    }
    const ok = await importFromFolded(inputFromBytes('x.folded', 'a;b 1e308\na;c 1\n'));
    assert.equal(ok.total, 1e308 + 1);
  });
});
