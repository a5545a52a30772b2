/**
 * Differential flame graphs: the current profile's tree annotated with a baseline's
 * weights, matched by call path (the sequence of function keys from the root), so
 * widths come from the current profile and colour from the change.
 */
import { type FlameTree, FlameTreeBuilder } from './flame-tree';

/** A tree with the keys that identify its functions across profiles. */
export interface KeyedFlameTree {
  readonly tree: FlameTree;
  /** Per function index: a key equal for the same function in another profile (name and file or module). */
  readonly keys: readonly string[];
}

/** The baseline's weights on the current tree, and what disappeared. */
export interface BaselineAnnotation {
  /** Per current node: the baseline total at the same call path (0 when the path is new). */
  readonly baselineTotal: Float64Array;
  /** Per current node: the baseline self weight at the same call path. */
  readonly baselineSelf: Float64Array;
  /** The baseline's root total, for shares. */
  readonly baselineRootTotal: number;
  /**
   * The baseline stacks whose path does not exist in the current tree, as a tree over
   * the **baseline's** function indices (its self weights are the baseline's). Empty
   * (a lone root) when nothing disappeared.
   */
  readonly disappeared: FlameTree;
}

/**
 * Matches every baseline node to the current node with the same call path (by
 * function key) and carries its weights over; baseline stacks that end at a path the
 * current tree lacks form the `disappeared` tree. Weights are in each profile's
 * unit; compare shares (weight / root total) when the totals differ.
 */
export function annotateWithBaseline(current: KeyedFlameTree, baseline: KeyedFlameTree): BaselineAnnotation {
  const cur = current.tree;
  const base = baseline.tree;
  const byPath = new Map<string, number>();
  for (let i = 1; i < cur.count; i++) byPath.set(`${cur.parent[i]}\u0000${current.keys[cur.func[i]]}`, i);
  const baselineTotal = new Float64Array(cur.count);
  const baselineSelf = new Float64Array(cur.count);
  const match = new Int32Array(base.count).fill(-1);
  match[0] = 0;
  baselineTotal[0] = base.total[0];
  baselineSelf[0] = base.self[0];
  const gone = new FlameTreeBuilder(baseline.keys.length);
  const goneNode = new Int32Array(base.count).fill(-1);
  goneNode[0] = 0;
  const ensure = (b: number): number => {
    if (goneNode[b] >= 0) return goneNode[b];
    const chain: number[] = [];
    let a = b;
    while (goneNode[a] < 0) {
      chain.push(a);
      a = base.parent[a];
    }
    let node = goneNode[a];
    for (let k = chain.length - 1; k >= 0; k--) {
      node = gone.child(node, base.func[chain[k]]);
      goneNode[chain[k]] = node;
    }
    return node;
  };
  for (let b = 1; b < base.count; b++) {
    const pm = match[base.parent[b]];
    const m = pm >= 0 ? byPath.get(`${pm}\u0000${baseline.keys[base.func[b]]}`) : undefined;
    if (m !== undefined) {
      match[b] = m;
      baselineTotal[m] += base.total[b];
      baselineSelf[m] += base.self[b];
    } else if (base.self[b] > 0) {
      gone.addSelf(ensure(b), base.self[b]);
    }
  }
  return { baselineTotal, baselineSelf, baselineRootTotal: base.total[0], disappeared: gone.build() };
}

/**
 * The change of each node as a signed value in [-1, 1] for colouring: the
 * difference of the node's share of its profile's total (current minus baseline),
 * divided by the largest absolute difference in the tree. Positive = slower (a larger
 * share now), negative = faster, 0 = unchanged (or both totals 0).
 */
export function changeScale(tree: FlameTree, annotation: BaselineAnnotation): Float32Array {
  const out = new Float32Array(tree.count);
  const ct = tree.total[0];
  const bt = annotation.baselineRootTotal;
  let max = 0;
  for (let i = 0; i < tree.count; i++) {
    const d = (ct > 0 ? tree.total[i] / ct : 0) - (bt > 0 ? annotation.baselineTotal[i] / bt : 0);
    out[i] = d;
    if (Math.abs(d) > max) max = Math.abs(d);
  }
  if (max > 0) for (let i = 0; i < tree.count; i++) out[i] /= max;
  return out;
}
