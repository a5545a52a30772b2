import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aggregateFunctions, functionIndexOf } from '../../../src/core/profile/aggregate';
import {
  type Profile,
  ProfileBuilder,
  profileFields,
  reviseProfile,
  type StackTable,
  stackTableOf,
} from '../../../src/core/profile/model';
import { StackTableBuilder } from '../../../src/core/profile/stack-table';

/** The stacks of a table as `thread:frame,frame weight` lines, in table order. */
function rows(t: StackTable): string[] {
  const out: string[] = [];
  for (let s = 0; s < t.count; s++)
    out.push(
      `${t.threads[s]}:${[...t.frames.subarray(t.starts[s], t.starts[s + 1])].join(',')} ${t.weights[s]}`,
    );
  return out;
}

const builder = () => new ProfileBuilder({ format: 'folded', source: 'x.folded', unit: 'samples' });

describe('profile model: frames', () => {
  it('interns equal frames once, whatever order their fields vary in', () => {
    const b = builder();
    const a = b.frameId({ name: 'f', file: 'a.rs', line: 3 });
    assert.equal(b.frameId({ name: 'f', file: 'a.rs', line: 3 }), a);
    const other = b.frameId({ name: 'f', file: 'a.rs', line: 4 });
    assert.notEqual(other, a);
    assert.equal(b.frameId({ name: 'f', file: 'a.rs', line: 4 }), other);
    assert.equal(b.frameId({ name: 'f', file: 'a.rs', line: 3 }), a);
    // cleaned fields: an empty file or module and a line below 1 count as absent
    const bare = b.frameId({ name: 'g' });
    assert.equal(b.frameId({ name: 'g', file: '', module: '', line: 0, column: 0 }), bare);
    assert.equal(b.frameId({ name: 'g', inlined: false }), bare);
    assert.notEqual(b.frameId({ name: 'g', inlined: true }), bare);
    assert.notEqual(b.frameId({ name: 'g', kind: 'kernel' }), bare);
    const p = b.build();
    assert.deepEqual(p.frames[bare], { name: 'g' });
    assert.equal(p.frames.length, 5);
  });
});

describe('profile model: stacks in columns', () => {
  it('gives the same stacks as the table and as the list, deduplicated, in first-seen order', () => {
    const b = builder();
    const [m, r, c] = ['main', 'run', 'clone'].map((name) => b.frameId({ name }));
    b.appendSample([m, r, c], 3);
    b.appendSample([m, r], 2, 'worker');
    b.appendSample([m, r, c], 1);
    b.appendSample([m, r], 0); // weight 0: counted as a sample, no stack
    b.appendSample([], 5); // an empty stack: no stack, no weight
    const p = b.build();
    assert.deepEqual(rows(stackTableOf(p)), ['0:0,1,2 4', '1:0,1 2']);
    assert.deepEqual(p.threads, ['all', 'worker']);
    assert.deepEqual(p.stacks, [
      { frames: [m, r, c], weight: 4, thread: 0 },
      { frames: [m, r], weight: 2, thread: 1 },
    ]);
    assert.equal(p.total, 6);
    assert.equal(p.sampleCount, 5);
  });

  it('mixes distinct appends (buffer or array) with deduplicating ones', () => {
    const b = builder();
    const [x, y] = ['x', 'y'].map((name) => b.frameId({ name }));
    b.appendDistinctFrames(Int32Array.from([x, y, 99]), 2, 1);
    b.appendDistinctStack([y], 2);
    b.appendSample([x, y], 4); // found among the distinct ones
    b.appendSample([y, x], 8);
    const p = b.build();
    assert.deepEqual(rows(stackTableOf(p)), ['0:0,1 5', '0:1 2', '0:1,0 8']);
  });

  it('adopts an importer table: drops stacks without weight, names its threads once per number', () => {
    const table = new StackTableBuilder();
    const ids = Int32Array.from([0, 1, 2]);
    table.appendDistinct(ids, 3, 7, 3, 3);
    table.add(ids, 2, false, 9, 0, 1); // weight 0: dropped
    table.add(ids, 3, true, 7, 1, 1); // leaf first: 2,1,0
    table.add(ids, 3, false, 7, 2, 2); // same as the first
    const b = builder();
    for (const name of ['a', 'b', 'c']) b.frameId({ name });
    const asked: number[] = [];
    b.adoptStacks(table, (t) => {
      asked.push(t);
      return `thread ${t}`;
    });
    assert.throws(() => b.appendSample([0], 1), /adopted/);
    const p = b.build();
    assert.deepEqual(rows(stackTableOf(p)), ['0:0,1,2 5', '0:2,1,0 1']);
    assert.deepEqual(p.threads, ['thread 7']);
    assert.deepEqual(asked, [7]);
    assert.equal(p.total, 6);
    assert.equal(p.sampleCount, 7);
  });

  it('refuses to adopt a table once stacks were appended', () => {
    const b = builder();
    b.appendSample([b.frameId({ name: 'a' })], 1);
    assert.throws(() => b.adoptStacks(new StackTableBuilder(), () => 'x'), /already has stacks/);
  });

  it('makes a table from the stacks of a profile written as data, once', () => {
    const p: Profile = {
      format: 'folded',
      source: 'data',
      unit: 'samples',
      eventName: 'samples',
      frames: [{ name: 'a' }, { name: 'b' }],
      threads: ['all'],
      stacks: [
        { frames: [0, 1], weight: 2, thread: 0 },
        { frames: [1], weight: 1, thread: 0 },
      ],
      lineCosts: [],
      total: 3,
      meta: {},
    };
    const t = stackTableOf(p);
    assert.deepEqual(rows(t), ['0:0,1 2', '0:1 1']);
    assert.equal(stackTableOf(p), t);
  });

  it('revises a profile without turning its stacks into objects', () => {
    const b = builder();
    b.appendSample([b.frameId({ name: 'a' })], 2);
    const p = b.build();
    const table = stackTableOf(p);
    const revised = reviseProfile(p, { format: 'perf-data', source: 'perf.data' });
    assert.equal(stackTableOf(revised), table);
    assert.equal(revised.format, 'perf-data');
    assert.equal(revised.source, 'perf.data');
    assert.equal(revised.total, 2);
    assert.deepEqual(revised.stacks, p.stacks);
    assert.equal('stacks' in profileFields(p), false);
    // a copy that spreads the profile keeps its stacks (the list is read once)
    const copy = { ...p, source: 'copy' };
    assert.deepEqual(rows(stackTableOf(copy)), rows(table));
  });
});

describe('profile model: functions', () => {
  it('groups frames into functions by name and file (or module), in first-frame order', () => {
    const b = builder();
    const f1 = b.frameId({ name: 'f', file: 'a.rs', line: 1 });
    const g = b.frameId({ name: 'g', module: 'libc.so' });
    const f2 = b.frameId({ name: 'f', file: 'a.rs', line: 2 });
    const f3 = b.frameId({ name: 'f', file: 'b.rs', line: 2 });
    const g2 = b.frameId({ name: 'g', module: 'libc.so', inlined: true });
    b.appendSample([f1, g], 1);
    b.appendSample([f2, f3, g2], 2);
    const p = b.build();
    const index = functionIndexOf(p);
    assert.deepEqual(index.keys, ['f\u0000a.rs', 'g\u0000libc.so', 'f\u0000b.rs']);
    assert.deepEqual([...index.ofFrame], [0, 1, 0, 2, 1]);
    assert.deepEqual([...index.firstFrame], [f1, g, f3]);
    assert.equal(functionIndexOf(p), index);
    const stats = Object.fromEntries(
      aggregateFunctions(p).map((s) => [s.key, [s.self, s.total, s.frameIds]]),
    );
    assert.deepEqual(stats, {
      'f\u0000a.rs': [0, 3, [f1, f2]],
      'g\u0000libc.so': [3, 3, [g, g2]],
      'f\u0000b.rs': [0, 2, [f3]],
    });
  });
});
