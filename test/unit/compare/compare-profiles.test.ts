import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  callTreeNode,
  comparableName,
  compareProfiles,
  compareWeights,
  differentialFolded,
  type FunctionChange,
  type ProfileComparison,
  workspaceFunctionKey,
  workspaceRegressions,
} from '../../../src/core/compare';
import type { WorkspaceIndex } from '../../../src/core/mapping/workspace-index';
import { testDemangler } from '../mapping/setup';
import { demoCrate, memIndex, profileOf, snap } from './setup';

function fn(c: ProfileComparison, name: string): FunctionChange {
  const f = c.functions.find((x) => x.name === name);
  assert.ok(f, `function ${name} not in ${c.functions.map((x) => x.name).join(', ')}`);
  return f;
}

describe('compareProfiles: identity across recordings', () => {
  let before1: WorkspaceIndex;
  let after10: WorkspaceIndex;
  before(async () => {
    before1 = await memIndex(demoCrate(1));
    after10 = await memIndex(demoCrate(10));
  });

  it('matches a workspace function that moved, and library frames with other hashes, closure numbers and addresses', () => {
    const baseline = profileOf([
      'main;demo::work::h0123456789abcdef;demo::helper::h0123456789abcdef 100',
      'main;demo::work::h0123456789abcdef;alloc::vec::Vec<T>::clone::h1111111111111111 50',
      'main;std::thread::spawn::{closure#0};0x7f00aa 30',
    ]);
    const current = profileOf([
      'main;demo::work::hfedcba9876543210;demo::helper::hfedcba9876543210 100',
      'main;demo::work::hfedcba9876543210;alloc::vec::Vec<T>::clone::h2222222222222222 50',
      'main;std::thread::spawn::{{closure}};0x7f00bb 30',
    ]);
    const c = compareProfiles(snap(baseline, before1), snap(current, after10), { normalization: 'absolute' });
    assert.deepEqual(
      c.functions.map((f) => f.status),
      c.functions.map(() => 'unchanged'),
    );
    assert.equal(c.functions.length, 6);
    const work = fn(c, 'work');
    assert.equal(work.key, workspaceFunctionKey('src/lib.rs', 'work'));
    assert.equal(work.key, 'w:src/lib.rs#work');
    assert.equal(work.origin, 'workspace');
    assert.equal(work.line, 10);
    assert.equal(work.baselineLine, 1);
    assert.equal(work.total.baseline, 150);
    assert.equal(work.total.current, 150);
    assert.equal(work.self.current, 0);
    assert.equal(work.selfInclLibraries.current, 50);
    assert.equal(fn(c, 'alloc::vec::Vec<T>::clone').origin, 'library');
    assert.equal(fn(c, '[unknown]').total.baseline, 30);
    assert.equal(fn(c, 'std::thread::spawn::{closure}').total.current, 30);
  });

  it('comparableName drops hashes, closure numbers, offsets and clone suffixes', () => {
    const d = testDemangler();
    assert.equal(comparableName('_ZN4core3fmt5write17h0123456789abcdefE', {}, d), 'core::fmt::write');
    assert.equal(comparableName('foo::{{closure}}::h0123456789abcdef'), 'foo::{closure}');
    assert.equal(comparableName('foo::{closure#3}'), 'foo::{closure}');
    assert.equal(comparableName('memcpy.isra.0'), 'memcpy');
    assert.equal(comparableName('0x7f3a2b1c40'), '[unknown]');
    assert.equal(comparableName('[libc.so.6]'), '[libc.so.6]');
  });

  it('merges the call tree by path and writes differential folded stacks', () => {
    const baseline = profileOf(['main;demo::work;demo::helper 100', 'main;demo::other 20']);
    const current = profileOf([
      'main;demo::work;demo::helper 40',
      'main;demo::other 20',
      'main;demo::work 5',
    ]);
    const c = compareProfiles(snap(baseline, before1), snap(current, after10), { normalization: 'absolute' });
    const root = callTreeNode(c, 0);
    assert.equal(root.total.baseline, 120);
    assert.equal(root.total.current, 65);
    assert.deepEqual(structuredClone(c.callTree), c.callTree);
    const main = callTreeNode(c, root.children[0]);
    assert.equal(c.functions[main.function].name, 'main');
    const names = main.children.map((i) => c.functions[callTreeNode(c, i).function].name);
    assert.deepEqual(names, ['work', 'other']);
    const work = callTreeNode(c, main.children[0]);
    assert.equal(work.parent, main.index);
    assert.equal(work.total.baseline, 100);
    assert.equal(work.total.current, 45);
    assert.equal(work.self.status, 'new');
    assert.deepEqual(differentialFolded(c).sort(), [
      'main;other 20 20',
      'main;work 0 5',
      'main;work;helper 100 40',
    ]);
  });

  it('lists workspace regressions beyond a threshold, not new functions', () => {
    const baseline = profileOf(['main;demo::work 1001', 'main;demo::other 1000']);
    const current = profileOf(['main;demo::work 1501', 'main;demo::other 1000', 'main;demo::helper 900']);
    const c = compareProfiles(snap(baseline, before1), snap(current, before1), { normalization: 'absolute' });
    assert.deepEqual(
      workspaceRegressions(c, 20).map((f) => f.name),
      ['work'],
    );
    assert.deepEqual(workspaceRegressions(c, 60), []);
    assert.equal(fn(c, 'helper').status, 'new');
    assert.throws(() => workspaceRegressions(c, -1), RangeError);
  });
});

describe('compareProfiles: units', () => {
  let index: WorkspaceIndex;
  before(async () => {
    index = await memIndex(demoCrate(1));
  });

  it('one function 95% faster in recordings of a fixed duration: the untouched ones stay unchanged', () => {
    // baseline: hot 60%, a 20%, b 20%. After hot got 95% faster, the same 1000 samples
    // hold 30 units of hot work and 200 of a and of b, scaled up: 70, 465, 465.
    const baseline = profileOf(['main;hot 600', 'main;a 200', 'main;b 200']);
    const current = profileOf(['main;hot 70', 'main;a 465', 'main;b 465']);
    for (const normalization of ['auto', 'share'] as const) {
      const c = compareProfiles(snap(baseline, index), snap(current, index), { normalization });
      assert.equal(c.normalization, 'share');
      assert.equal(c.unit, 'percent');
      assert.equal(fn(c, 'a').status, 'unchanged');
      assert.equal(fn(c, 'b').status, 'unchanged');
      assert.ok(Math.abs(fn(c, 'a').total.changePercent ?? 99) < 0.5);
      const hot = fn(c, 'hot');
      assert.equal(hot.status, 'improved');
      assert.ok(Math.abs((hot.total.changePercent ?? 0) + 95) < 0.5, String(hot.total.changePercent));
      // what a fixed workload would show: 600 + 200 + 200 → 30 + 200 + 200
      assert.ok(Math.abs((c.totals.changePercent ?? 0) + 57) < 0.5, String(c.totals.changePercent));
    }
    // the same counts compared in absolute terms make the untouched functions "regress"
    const abs = compareProfiles(snap(baseline, index), snap(current, index), { normalization: 'absolute' });
    assert.equal(fn(abs, 'a').status, 'regressed');
  });

  it('a function that was 90% of the run gets 95% faster, fixed duration: the others stay unchanged', () => {
    // hot 900 → 45 units of work, a and b 50 each: shares 31%, 34.5%, 34.5% of 1000 samples
    const baseline = profileOf(['main;hot 900', 'main;a 50', 'main;b 50']);
    const current = profileOf(['main;hot 310', 'main;a 345', 'main;b 345']);
    const c = compareProfiles(snap(baseline, index), snap(current, index));
    assert.equal(c.normalization, 'share');
    assert.equal(fn(c, 'a').status, 'unchanged');
    assert.equal(fn(c, 'b').status, 'unchanged');
    assert.ok(Math.abs((fn(c, 'hot').total.changePercent ?? 0) + 95) < 0.5);
  });

  it('one function 95% faster in the same workload: unchanged in every mode', () => {
    const baseline = profileOf(['main;hot 600', 'main;a 200', 'main;b 200']);
    const current = profileOf(['main;hot 30', 'main;a 200', 'main;b 200']);
    for (const normalization of ['auto', 'share', 'absolute'] as const) {
      const c = compareProfiles(snap(baseline, index), snap(current, index), { normalization });
      assert.equal(fn(c, 'a').status, 'unchanged', normalization);
      assert.equal(fn(c, 'b').status, 'unchanged', normalization);
      assert.equal(fn(c, 'hot').status, 'improved', normalization);
      assert.ok(Math.abs((fn(c, 'hot').total.changePercent ?? 0) + 95) < 0.01);
      assert.ok(Math.abs((c.totals.changePercent ?? 0) + 57) < 0.01);
    }
  });

  it('auto: absolute nanoseconds for perf cpu-clock samples against folded periods', () => {
    const perf = profileOf(['main;demo::work 1000'], {
      format: 'perf-script',
      eventName: 'cpu-clock',
      meta: { event: 'cpu-clock', periodSum: 1000 * 1_000_000 },
    });
    const folded = profileOf(['main;demo::work 500000000'], {
      unit: 'nanoseconds',
      eventName: 'samples',
      meta: { samplePeriod: 1_000_000 },
      sampleCount: 500,
    });
    const c = compareProfiles(snap(perf, index), snap(folded, index));
    assert.equal(c.normalization, 'absolute');
    assert.equal(c.unit, 'nanoseconds');
    assert.equal(c.totals.baseline, 1e9);
    assert.equal(c.totals.current, 5e8);
    // σ of the change: √(1000 + 500) samples of 1 ms each
    assert.ok(Math.abs(c.totals.sigma - Math.sqrt(1500) * 1e6) < 1);
    assert.equal(c.totals.changePercent, -50);
    assert.equal(fn(c, 'work').status, 'improved');
    // a weight in each profile's own unit (1000 samples, 5e8 ns) judged the same way
    assert.deepEqual(compareWeights(c, 1000, 5e8), c.totals);
  });

  it('auto: a flame graph SVG counted in periods is time', () => {
    const svg = profileOf(['main;demo::work 3000000', 'main;demo::other 6000000'], {
      format: 'flamegraph-svg',
    });
    const c = compareProfiles(
      snap(svg, index),
      snap(profileOf(['main;demo::work 6', 'main;demo::other 6'], { format: 'flamegraph-svg' }), index),
    );
    assert.equal(c.baseline.measure.quantity, 'time');
    assert.equal(c.baseline.measure.weightPerSample, 3_000_000);
    assert.equal(c.current.measure.quantity, 'samples:samples');
    assert.equal(c.normalization, 'share');
  });

  it('absolute is refused for units that do not convert, naming both files', () => {
    const bytes = profileOf(['main;demo::work 100'], {
      unit: 'bytes',
      eventName: 'bytes',
      source: 'heap.json',
    });
    const samples = profileOf(['main;demo::work 100'], { source: 'cpu.folded' });
    assert.throws(
      () => compareProfiles(snap(bytes, index), snap(samples, index), { normalization: 'absolute' }),
      /heap\.json.*cpu\.folded.*different units/,
    );
    assert.equal(compareProfiles(snap(bytes, index), snap(samples, index)).normalization, 'share');
  });
});

describe('compareProfiles: noise', () => {
  let index: WorkspaceIndex;
  before(async () => {
    index = await memIndex(demoCrate(1));
  });
  const pair = (b: number, c: number, unit: 'samples' | 'instructions' = 'samples') =>
    compareProfiles(
      snap(profileOf([`main;demo::work ${b}`, 'main;demo::other 10000'], { unit, eventName: 'Ir' }), index),
      snap(profileOf([`main;demo::work ${c}`, 'main;demo::other 10000'], { unit, eventName: 'Ir' }), index),
      { normalization: 'absolute' },
    );

  it('a change within 3σ of Poisson noise is unchanged; beyond it, a change', () => {
    const small = fn(pair(100, 120), 'work').total;
    assert.equal(small.sigma, Math.sqrt(220));
    assert.ok(small.z < 3);
    assert.equal(small.status, 'unchanged');
    const big = fn(pair(100, 150), 'work');
    assert.ok(big.total.z > 3);
    assert.equal(big.status, 'regressed');
    assert.equal(big.confidence, 'sure');
    assert.equal(fn(pair(100, 135), 'work').confidence, 'likely');
    assert.equal(fn(pair(100, 127), 'work').confidence, 'noise');
  });

  it('exact counts have no sampling noise; changes under 1% are unchanged', () => {
    const tiny = fn(pair(100000, 100500, 'instructions'), 'work').total;
    assert.equal(tiny.sigma, 0);
    assert.equal(tiny.status, 'unchanged');
    assert.equal(fn(pair(100000, 98000, 'instructions'), 'work').status, 'improved');
  });

  it('new and gone', () => {
    const c = compareProfiles(
      snap(profileOf(['main;demo::work 50', 'main;demo::other 50']), index),
      snap(profileOf(['main;demo::helper 50', 'main;demo::other 50']), index),
      { normalization: 'absolute' },
    );
    assert.equal(fn(c, 'work').status, 'gone');
    assert.equal(fn(c, 'work').total.changePercent, -100);
    assert.equal(fn(c, 'helper').status, 'new');
    assert.equal(fn(c, 'helper').total.changePercent, null);
  });
});
