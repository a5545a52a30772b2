import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ImportError } from '../../../src/core/importers/import-error';
import { inputFromBytes } from '../../../src/core/importers/input';
import { importFromSpeedscope } from '../../../src/core/importers/speedscope';

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
});
