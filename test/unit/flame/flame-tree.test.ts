import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  childrenOf,
  expandFlameTree,
  type FlameTree,
  FlameTreeBuilder,
  packFlameTree,
  pathTo,
} from '../../../src/core/flame/flame-tree';
import { hitTest, layoutFlame, moveFocus, rectOf } from '../../../src/core/flame/layout';
import {
  collapseLibraryRuns,
  functionWeights,
  matchFunctions,
  sandwich,
  searchTree,
} from '../../../src/core/flame/transforms';

/** A deterministic pseudo-random generator (LCG), so the generated stacks are stable. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

type Stack = { path: number[]; weight: number };

function randomStacks(seed: number, count: number, funcs: number, maxDepth: number): Stack[] {
  const r = rng(seed);
  const out: Stack[] = [];
  for (let i = 0; i < count; i++) {
    const depth = 1 + Math.floor(r() * maxDepth);
    const path: number[] = [];
    for (let d = 0; d < depth; d++) path.push(Math.floor(r() * (d === 0 ? 2 : funcs)));
    out.push({ path, weight: 1 + Math.floor(r() * 9) });
  }
  return out;
}

function treeOf(stacks: Stack[], funcs: number): FlameTree {
  const b = new FlameTreeBuilder(funcs);
  for (const s of stacks) b.addPath(s.path, s.weight);
  return b.build();
}

function pathKey(tree: FlameTree, node: number): string {
  return pathTo(tree, node)
    .slice(1)
    .map((n) => tree.func[n])
    .join(',');
}

/** Weight of the stacks that start with a prefix (the expected total of the node at that path). */
function prefixWeight(stacks: Stack[], prefix: string): number {
  let w = 0;
  for (const s of stacks) {
    const k = s.path.join(',');
    if (prefix === '' || k === prefix || k.startsWith(`${prefix},`)) w += s.weight;
  }
  return w;
}

describe('flame tree', () => {
  const stacks = randomStacks(7, 400, 6, 6);
  const tree = treeOf(stacks, 6);

  it('gives every node the weight of the stacks through its call path', () => {
    assert.ok(tree.count > 50, `expected a sizeable tree, got ${tree.count} nodes`);
    for (let i = 0; i < tree.count; i++) {
      assert.equal(tree.total[i], prefixWeight(stacks, pathKey(tree, i)), `node ${i} at ${pathKey(tree, i)}`);
    }
    const exact = new Map<string, number>();
    for (const s of stacks) exact.set(s.path.join(','), (exact.get(s.path.join(',')) ?? 0) + s.weight);
    for (let i = 1; i < tree.count; i++) assert.equal(tree.self[i], exact.get(pathKey(tree, i)) ?? 0);
  });

  it('merges equal call paths into one node', () => {
    const keys = new Set<string>();
    for (let i = 1; i < tree.count; i++) keys.add(pathKey(tree, i));
    assert.equal(keys.size, tree.count - 1);
  });

  it('orders siblings heaviest first and lays them side by side inside their parent', () => {
    for (let i = 0; i < tree.count; i++) {
      const kids = childrenOf(tree, i);
      let edge = tree.start[i];
      for (let k = 0; k < kids.length; k++) {
        if (k > 0) assert.ok(tree.total[kids[k - 1]] >= tree.total[kids[k]]);
        assert.equal(tree.start[kids[k]], edge);
        assert.equal(tree.parent[kids[k]], i);
        assert.equal(tree.depth[kids[k]], tree.depth[i] + 1);
        edge += tree.total[kids[k]];
      }
      assert.equal(edge + tree.self[i], tree.start[i] + tree.total[i]);
    }
  });

  it('survives packing and expanding (what crosses to the webview)', () => {
    const packed = packFlameTree(tree);
    const copy = expandFlameTree({
      parent: Int32Array.from(packed.parent),
      func: Int32Array.from(packed.func),
      self: Float64Array.from(packed.self),
      folded: Int32Array.from(packed.folded),
    });
    assert.deepEqual(copy, tree);
    assert.throws(
      () =>
        expandFlameTree({
          parent: Int32Array.from([-1, 2, 0]),
          func: Int32Array.from([-1, 0, 1]),
          self: new Float64Array(3),
          folded: new Int32Array(3),
        }),
      RangeError,
    );
  });

  it('builds the sandwich of a function: both halves sum to its total, recursion once', () => {
    // 0=main 1=run 2=parse 3=alloc
    const s: Stack[] = [
      { path: [0, 1, 2], weight: 5 },
      { path: [0, 2], weight: 3 },
      { path: [0, 1, 2, 2, 3], weight: 2 }, // recursion of parse
      { path: [0, 1], weight: 7 },
      { path: [0, 3], weight: 1 },
    ];
    const t = treeOf(s, 4);
    const sw = sandwich(t, 2, 4);
    assert.equal(sw.total, 10);
    assert.equal(sw.self, 8);
    assert.deepEqual(functionWeights(t, 2), { self: 8, total: 10 });
    assert.equal(sw.callers.total[0], 10);
    assert.equal(sw.callees.total[0], 10);
    assert.equal(sw.callees.func[0], 2);
    assert.equal(sw.callees.self[0], 8);
    // callers: parse ← run ← main (7), parse ← main (3)
    const callers = childrenOf(sw.callers, 0).map((n) => [sw.callers.func[n], sw.callers.total[n]]);
    assert.deepEqual(callers, [
      [1, 7],
      [0, 3],
    ]);
    const viaRun = childrenOf(sw.callers, 0)[0];
    assert.deepEqual(
      childrenOf(sw.callers, viaRun).map((n) => [sw.callers.func[n], sw.callers.total[n]]),
      [[0, 7]],
    );
    // callees: the nested parse and alloc under it
    const callees = childrenOf(sw.callees, 0).map((n) => [sw.callees.func[n], sw.callees.total[n]]);
    assert.deepEqual(callees, [[2, 2]]);
  });

  it('sums search matches once per stack and reports the share of the total', () => {
    const names = ['main', 'run_parser', 'parse', 'alloc', 'Parse::next', 'drop'];
    const match = matchFunctions(names, 'pars');
    assert.deepEqual([...match], [0, 1, 1, 0, 1, 0]);
    const r = searchTree(tree, match);
    let expected = 0;
    for (const st of stacks) if (st.path.some((f) => match[f])) expected += st.weight;
    assert.equal(r.weight, expected);
    assert.equal(r.share, expected / tree.total[0]);
    let nodes = 0;
    for (let i = 1; i < tree.count; i++) {
      assert.equal(r.matched[i], match[tree.func[i]]);
      nodes += match[tree.func[i]];
    }
    assert.equal(r.nodes, nodes);
    assert.deepEqual([...matchFunctions(names, 'Parse')], [0, 0, 0, 0, 1, 0]);
    assert.throws(() => matchFunctions(names, '('), SyntaxError);
  });

  it('collapses runs of library frames into the frame that entered the library', () => {
    const isLib = (f: number) => f >= 3;
    const c = collapseLibraryRuns(tree, 6, isLib);
    assert.equal(c.total[0], tree.total[0]);
    let folded = 0;
    for (let i = 1; i < c.count; i++) {
      const p = c.parent[i];
      if (p > 0) assert.ok(!(isLib(c.func[i]) && isLib(c.func[p])), `library run left at node ${i}`);
      folded += c.folded[i];
    }
    // expected: the stacks with runs squeezed, as a fresh tree
    const squeezed = stacks.map((s) => ({
      path: s.path.filter((f, i) => !(i > 0 && isLib(f) && isLib(s.path[i - 1]))),
      weight: s.weight,
    }));
    const expected = treeOf(squeezed, 6);
    assert.deepEqual([...c.total], [...expected.total]);
    assert.deepEqual([...c.func], [...expected.func]);
    let removedNodes = 0;
    for (let i = 1; i < tree.count; i++) {
      const p = tree.parent[i];
      if (p > 0 && isLib(tree.func[i]) && isLib(tree.func[p])) removedNodes++;
    }
    assert.ok(removedNodes > 0);
    assert.equal(folded, removedNodes);
  });
});

describe('flame layout', () => {
  const s: Stack[] = [
    { path: [0, 1, 2], weight: 6 },
    { path: [0, 1], weight: 2 },
    { path: [0, 3], weight: 2 },
  ];
  const t = treeOf(s, 4);

  it('makes widths proportional to total weights and puts the root at the bottom of a flame graph', () => {
    const l = layoutFlame(t, { zoom: 0, width: 1000, rowHeight: 20, orientation: 'flame' });
    assert.equal(l.count, t.count);
    assert.equal(l.height, (t.maxDepth + 1) * 20);
    for (let k = 0; k < l.count; k++) {
      const n = l.node[k];
      assert.ok(Math.abs(l.width[k] - (1000 * t.total[n]) / t.total[0]) < 1e-3);
      assert.equal(l.y[k], l.height - (t.depth[n] + 1) * 20);
    }
    const icicle = layoutFlame(t, { zoom: 0, width: 1000, rowHeight: 20, orientation: 'icicle' });
    for (let k = 0; k < icicle.count; k++) assert.equal(icicle.y[k], t.depth[icicle.node[k]] * 20);
  });

  it('zooms a node to the full width, keeps its ancestors, drops the rest', () => {
    const run = childrenOf(t, childrenOf(t, 0)[0])[0];
    assert.equal(t.func[run], 1);
    const l = layoutFlame(t, { zoom: run, width: 800, rowHeight: 16, orientation: 'icicle' });
    const drawn = [...l.node];
    assert.deepEqual(
      drawn.map((n) => t.func[n]),
      [-1, 0, 1, 2],
    );
    for (let k = 0; k < l.count; k++) {
      if (t.func[l.node[k]] === 2) assert.ok(Math.abs(l.width[k] - 600) < 1e-3);
      else assert.equal(l.width[k], 800);
    }
  });

  it('skips frames narrower than the minimum width with their subtrees', () => {
    const l = layoutFlame(t, { zoom: 0, width: 10, rowHeight: 16, orientation: 'icicle', minWidth: 2.5 });
    assert.deepEqual(
      [...l.node].map((n) => t.func[n]),
      [-1, 0, 1, 2],
    );
  });

  it('hit-tests a point back to the node drawn there', () => {
    const l = layoutFlame(t, { zoom: 0, width: 500, rowHeight: 18, orientation: 'flame' });
    for (let n = 0; n < t.count; n++) {
      const r = rectOf(l, n);
      assert.ok(r);
      assert.equal(hitTest(l, r.x + r.width / 2, r.y + r.height / 2), n);
    }
    assert.equal(hitTest(l, 499, 0), -1);
    assert.throws(
      () => layoutFlame(t, { zoom: 99, width: 5, rowHeight: 1, orientation: 'flame' }),
      RangeError,
    );
  });

  it('moves the keyboard focus between caller, callee and neighbours', () => {
    const main = childrenOf(t, 0)[0];
    const [run, other] = childrenOf(t, main);
    assert.equal(moveFocus(t, main, 'child'), run);
    assert.equal(moveFocus(t, run, 'parent'), main);
    assert.equal(moveFocus(t, run, 'next'), other);
    assert.equal(moveFocus(t, other, 'previous'), run);
    assert.equal(moveFocus(t, other, 'next'), other);
    assert.equal(moveFocus(t, run, 'parent', run), run);
  });
});
