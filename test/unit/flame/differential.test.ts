import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { annotateWithBaseline, changeScale } from '../../../src/core/flame/differential';
import { childrenOf, FlameTreeBuilder, pathTo } from '../../../src/core/flame/flame-tree';

function keyed(stacks: { path: string[]; weight: number }[]) {
  const keys: string[] = [];
  const index = new Map<string, number>();
  const id = (k: string) => {
    let i = index.get(k);
    if (i === undefined) {
      i = keys.length;
      keys.push(k);
      index.set(k, i);
    }
    return i;
  };
  const ids = stacks.map((s) => ({ path: s.path.map(id), weight: s.weight }));
  const b = new FlameTreeBuilder(keys.length);
  for (const s of ids) b.addPath(s.path, s.weight);
  return { tree: b.build(), keys };
}

describe('differential flame graph', () => {
  // the function tables differ in order: matching must go by key, not index
  const current = keyed([
    { path: ['main', 'parse'], weight: 6 },
    { path: ['main', 'run', 'hash'], weight: 3 },
    { path: ['main', 'new_fn'], weight: 1 },
  ]);
  const baseline = keyed([
    { path: ['main', 'run', 'hash'], weight: 5 },
    { path: ['main', 'parse'], weight: 2 },
    { path: ['main', 'run', 'clone'], weight: 4 },
    { path: ['main', 'old_fn', 'deep'], weight: 1 },
  ]);
  const a = annotateWithBaseline(current, baseline);
  const t = current.tree;
  const at = (...names: string[]) => {
    let node = 0;
    for (const n of names) {
      const next = childrenOf(t, node).find((c) => current.keys[t.func[c]] === n);
      assert.ok(next !== undefined, `no ${names.join('>')}`);
      node = next;
    }
    return node;
  };

  it('carries baseline weights over by call path', () => {
    assert.equal(a.baselineRootTotal, 12);
    assert.equal(a.baselineTotal[0], 12);
    assert.equal(a.baselineTotal[at('main')], 12);
    assert.equal(a.baselineTotal[at('main', 'parse')], 2);
    assert.equal(a.baselineSelf[at('main', 'parse')], 2);
    assert.equal(a.baselineTotal[at('main', 'run')], 9);
    assert.equal(a.baselineTotal[at('main', 'run', 'hash')], 5);
    assert.equal(a.baselineTotal[at('main', 'new_fn')], 0);
  });

  it('keeps the stacks that disappeared, over the baseline functions', () => {
    const d = a.disappeared;
    assert.equal(d.total[0], 5);
    const paths: string[] = [];
    for (let i = 1; i < d.count; i++)
      if (d.self[i] > 0)
        paths.push(
          `${pathTo(d, i)
            .slice(1)
            .map((n) => baseline.keys[d.func[n]])
            .join('>')}=${d.self[i]}`,
        );
    assert.deepEqual(paths.sort(), ['main>old_fn>deep=1', 'main>run>clone=4']);
  });

  it('scales the change of share to [-1, 1], slower positive', () => {
    const c = changeScale(t, a);
    const parse = at('main', 'parse'); // 6/10 now, 2/12 before: the largest growth
    const run = at('main', 'run'); // 3/10 now, 9/12 before: the largest drop
    assert.equal(c[0], 0);
    const growth = 6 / 10 - 2 / 12;
    const drop = 3 / 10 - 9 / 12;
    const max = Math.max(Math.abs(growth), Math.abs(drop));
    assert.ok(Math.abs(c[parse] - growth / max) < 1e-6);
    assert.ok(Math.abs(c[run] - drop / max) < 1e-6);
    assert.ok(c[parse] > 0 && c[run] < 0);
    for (const v of c) assert.ok(v >= -1 && v <= 1);
  });
});

describe('flame graph text', async () => {
  const { formatShare, formatWeight } = await import('../../../src/core/flame/format');
  it('writes weights with their unit', () => {
    assert.equal(formatWeight(1234, 'samples'), '1,234 samples');
    assert.equal(formatWeight(1, 'samples'), '1 sample');
    assert.equal(formatWeight(12_345_678, 'nanoseconds'), '12.3 ms');
    assert.equal(formatWeight(2_500_000_000, 'nanoseconds'), '2.50 s');
    assert.equal(formatWeight(3 * 2 ** 20, 'bytes'), '3.0 MiB');
  });
  it('writes shares with sensible precision', () => {
    // one decimal, as the lens and the line text print the same share
    assert.equal(formatShare(1, 3), '33.3%');
    assert.equal(formatShare(126, 1000), '12.6%');
    assert.equal(formatShare(5, 100), '5.0%');
    assert.equal(formatShare(1, 400), '0.25%');
    assert.equal(formatShare(1, 1e6), '<0.01%');
    assert.equal(formatShare(1, 0), '0%');
  });
});
