import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  aggregateFunctions,
  aggregateLines,
  buildCallTree,
  callersAndCallees,
  functionKey,
  toFolded,
  topHotspots,
} from '../../../src/core/profile/aggregate';
import { ProfileBuilder } from '../../../src/core/profile/model';

function sample() {
  const b = new ProfileBuilder({ format: 'folded', source: 'mem.folded', unit: 'samples' });
  const main = b.frameId({ name: 'main', file: 'src/main.rs', line: 10 });
  const run = b.frameId({ name: 'run', file: 'src/main.rs', line: 20 });
  const run2 = b.frameId({ name: 'run', file: 'src/main.rs', line: 21 });
  const clone = b.frameId({ name: 'Vec::clone' });
  b.appendSample([main, run, clone], 3);
  b.appendSample([main, run2], 2);
  b.appendSample([main, run, clone], 1);
  b.appendSample([main, run, run2], 4); // recursion: run counted once in total
  return b.build();
}

describe('aggregate', () => {
  it('deduplicates stacks and sums weights', () => {
    const p = sample();
    assert.equal(p.stacks.length, 3);
    assert.equal(p.total, 10);
    assert.equal(p.sampleCount, 4);
  });

  it('computes self and total per function, counting recursion once', () => {
    const stats = new Map(aggregateFunctions(sample()).map((s) => [s.name, s]));
    assert.deepEqual([stats.get('main')?.self, stats.get('main')?.total], [0, 10]);
    assert.deepEqual([stats.get('run')?.self, stats.get('run')?.total], [6, 10]);
    assert.deepEqual([stats.get('Vec::clone')?.self, stats.get('Vec::clone')?.total], [4, 4]);
    assert.equal(stats.get('run')?.frameIds.length, 2);
  });

  it('ranks hotspots by self and by total', () => {
    assert.deepEqual(
      topHotspots(sample(), 2, 'self').map((s) => s.name),
      ['run', 'Vec::clone'],
    );
    assert.deepEqual(
      // main and run tie on total (10): the higher self weight ranks first
      topHotspots(sample(), 3, 'total').map((s) => s.name),
      ['run', 'main', 'Vec::clone'],
    );
  });

  it('computes per-line self and total (1-based lines)', () => {
    const lines = aggregateLines(sample());
    const l21 = lines.find((l) => l.line === 21);
    const l20 = lines.find((l) => l.line === 20);
    assert.deepEqual([l21?.self, l21?.total], [6, 6]);
    assert.deepEqual([l20?.self, l20?.total], [0, 8]);
  });

  it('builds a call tree whose totals include children', () => {
    const tree = buildCallTree(sample());
    assert.equal(tree.total, 10);
    const main = [...tree.children.values()][0];
    assert.equal(main.name, 'main');
    const run = [...main.children.values()][0];
    assert.deepEqual([run.total, run.self], [10, 2]);
  });

  it('lists callers and callees of a function', () => {
    const p = sample();
    const key = functionKey({ name: 'run', file: 'src/main.rs' });
    const { callers, callees } = callersAndCallees(p, key);
    assert.deepEqual(
      callers.map((c) => [c.name, c.weight]),
      [['main', 10]],
    );
    assert.deepEqual(
      callees.map((c) => [c.name, c.weight]),
      [['Vec::clone', 4]],
    );
  });

  it('writes folded stacks sorted', () => {
    assert.equal(toFolded(sample()), 'main;run 2\nmain;run;Vec::clone 4\nmain;run;run 4\n');
  });

  it('rejects negative and NaN weights', () => {
    const b = new ProfileBuilder({ format: 'folded', source: 'x', unit: 'samples' });
    const f = b.frameId({ name: 'f' });
    assert.throws(() => b.appendSample([f], -1), RangeError);
    assert.throws(() => b.appendSample([f], Number.NaN), RangeError);
  });
});
