// Flame graph costs (`npm run bench` runs it after the importers; or
// `node --import tsx bench/flame-bench.ts`): a call tree of ~100,000 nodes built from
// generated stacks, then what each side does with it, with the functions they call:
//   worker        building the tree from the stacks (FlameTreeBuilder)
//   host          receiving the worker's message and posting it on (structured clone of the
//                 columnar data: what the extension host's thread pays; target < 50 ms)
//   webview       expanding the packed tree and laying out the first view (the part of the
//                 first paint that is ours; target with drawing <= 200 ms), zoom re-layout and
//                 hit testing (target per repaint <= 16 ms), search, sandwich, library collapsing.
// Canvas drawing itself is measured in the real webview by the UI check (test-results/).
// Times in ms: median and max of the runs.
import { type FlameData, FunctionKind } from '../src/core/flame/flame-data';
import { expandFlameTree, FlameTreeBuilder, packFlameTree } from '../src/core/flame/flame-tree';
import { hitTest, layoutFlame } from '../src/core/flame/layout';
import { collapseLibraryRuns, matchFunctions, sandwich, searchTree } from '../src/core/flame/transforms';
import { random, zipf } from './synthetic';

const TARGET_NODES = 100_000;
const FUNCTIONS = 5_000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time<T>(runs: number, fn: () => T): { median: number; max: number; value: T } {
  let value = fn();
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    value = fn();
    ts.push(performance.now() - t0);
  }
  return { median: median(ts), max: Math.max(...ts), value };
}

// stacks: zipf-popular functions, depths 4..40, until the tree has ~100k nodes
const rnd = random(16);
const stacks: { path: number[]; weight: number }[] = [];
{
  const probe = new FlameTreeBuilder(FUNCTIONS);
  while (probe.size < TARGET_NODES) {
    const depth = 4 + Math.floor(rnd() * 36);
    const path: number[] = [0];
    for (let d = 1; d < depth; d++) path.push(1 + zipf(FUNCTIONS - 1, rnd));
    const s = { path, weight: 1 + Math.floor(rnd() * 20) };
    stacks.push(s);
    probe.addPath(s.path, s.weight);
  }
}
const names = Array.from({ length: FUNCTIONS }, (_, i) => `crate::module_${i % 97}::function_${i}<T>`);
const kinds = new Uint8Array(FUNCTIONS).map((_, i) =>
  i % 3 === 0 ? FunctionKind.workspace : FunctionKind.library,
);

const build = time(5, () => {
  const b = new FlameTreeBuilder(FUNCTIONS);
  for (const s of stacks) b.addPath(s.path, s.weight);
  return b.build();
});
const tree = build.value;
const data: FlameData = {
  title: 'bench',
  unit: 'samples',
  eventName: 'cpu-clock',
  total: tree.total[0],
  functions: {
    names,
    fullNames: names,
    keys: names,
    kinds,
    libraries: names.map((_, i) => (kinds[i] === FunctionKind.library ? 'std' : '')),
    files: names.map((_, i) => (kinds[i] === FunctionKind.workspace ? `src/m${i % 97}.rs` : '')),
    lines: new Int32Array(FUNCTIONS).fill(10),
    hotspotKeys: names.map(() => ''),
    categories: new Int16Array(FUNCTIONS).fill(-1),
    categoryNames: [],
  },
  tree: packFlameTree(tree),
};
const clone = time(5, () => structuredClone(data));
const expand = time(5, () => expandFlameTree(clone.value.tree));
const first = time(10, () =>
  layoutFlame(tree, { zoom: 0, width: 1600, rowHeight: 18, orientation: 'flame' }),
);
const layout = first.value;
// zoom into the heaviest node at depth 3
let zoomNode = 1;
for (let i = 1; i < tree.count; i++)
  if (tree.depth[i] === 3 && tree.total[i] > tree.total[zoomNode]) zoomNode = i;
const zoom = time(20, () =>
  layoutFlame(tree, { zoom: zoomNode, width: 1600, rowHeight: 18, orientation: 'icicle' }),
);
const hits = time(20, () => {
  let found = 0;
  for (let y = 0; y < layout.height; y += 37) if (hitTest(layout, 800, y) >= 0) found++;
  return found;
});
const searchNames = time(5, () => matchFunctions(names, 'function_1\\d<'));
const search = time(5, () => searchTree(tree, searchNames.value));
const sw = time(5, () => sandwich(tree, 1 + zipf(FUNCTIONS - 1, random(3)), FUNCTIONS));
const collapse = time(3, () =>
  collapseLibraryRuns(tree, FUNCTIONS, (f) => kinds[f] !== FunctionKind.workspace),
);

const row = (what: string, t: { median: number; max: number }, note = '') =>
  console.log(
    `  ${what.padEnd(52)} ${t.median.toFixed(1).padStart(7)} ms  (max ${t.max.toFixed(1)})${note ? `  ${note}` : ''}`,
  );
console.log(
  `flame graph: ${tree.count.toLocaleString('en-US')} call-tree nodes from ${stacks.length.toLocaleString('en-US')} stacks, ${FUNCTIONS} functions, depth ${tree.maxDepth}`,
);
row('worker: build the call tree from the stacks', build);
row('host: structured clone of the columnar data', clone, 'target < 50 ms on the host');
row('webview: expand the packed tree', expand);
row(`webview: lay out the first view (${layout.count} rects)`, first);
row(
  'webview: first paint, our part (expand + layout)',
  { median: expand.median + first.median, max: expand.max + first.max },
  'target <= 200 ms with drawing',
);
row(`webview: zoom re-layout (${zoom.value.count} rects)`, zoom, 'target <= 16 ms with drawing');
row(
  `webview: ${hits.value} hit tests (hover)`,
  { median: hits.median / Math.max(1, hits.value), max: hits.max },
  'per hover, ms',
);
row(`webview: search (${search.value.nodes} frames matched)`, {
  median: searchNames.median + search.median,
  max: searchNames.max + search.max,
});
row('webview: sandwich of a popular function', sw);
row(`webview: collapse library runs (${collapse.value.count} nodes left)`, collapse);
