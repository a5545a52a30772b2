/**
 * The call tree of a flame graph in columnar form: one typed array per field, nodes
 * in pre-order (a parent before its children, siblings heaviest first), so a
 * subtree is the contiguous index range `[i, end[i])`. This is what crosses from the
 * loading worker to the extension host and on to the webview (typed arrays clone
 * and transfer cheaply), and what the layout reads.
 *
 * Node 0 is the synthetic root ("all"): its function is -1 and its total is the
 * profile's total. Weights are in the profile's unit (samples, nanoseconds, …).
 * Stacks are merged by function (see `flame-data.ts`), not by frame, so the lines of
 * one function are one node.
 */

import { ChildIndex } from '../profile/child-index';

/** The call tree, columnar. Every array has {@link FlameTree.count} entries. */
export interface FlameTree {
  /** Number of nodes, the root included. */
  readonly count: number;
  /** Parent node index; -1 for the root (node 0). Always smaller than the node's own index. */
  readonly parent: Int32Array;
  /** Function index (into the function table the tree was built with); -1 for the root. */
  readonly func: Int32Array;
  /** Depth: 0 for the root, 1 for the stacks' outermost frames. */
  readonly depth: Int32Array;
  /** One past the last node of the subtree: the subtree of `i` is `[i, end[i])`. */
  readonly end: Int32Array;
  /** Self weight: samples whose stack ends at this node. */
  readonly self: Float64Array;
  /** Total weight: self plus the totals of the children. */
  readonly total: Float64Array;
  /** Left edge in weight units from the root's left edge (siblings laid out heaviest first). */
  readonly start: Float64Array;
  /** How many frames library collapsing folded into this node (0 when none). */
  readonly folded: Int32Array;
  /** Largest depth in the tree. */
  readonly maxDepth: number;
}

/**
 * Builds a {@link FlameTree} by adding paths or nodes, merging equal functions under
 * the same parent. Node ids handed out while building are the builder's own; the
 * finished tree is renumbered in pre-order with siblings sorted by total weight
 * (descending; ties by function index ascending, so the result is deterministic).
 */
export class FlameTreeBuilder {
  private parents: number[] = [-1];
  private funcs: number[];
  private selfs: number[] = [0];
  private foldedCounts: number[] = [0];
  private readonly index = new ChildIndex();

  /**
   * @param functionCount number of functions in the table (function indices are `0..functionCount-1`;
   *   kept for the callers, the children's index needs no bound)
   * @param rootFunc function of the root node (-1 for the synthetic "all" root; a function for a sandwich)
   */
  constructor(_functionCount: number, rootFunc = -1) {
    this.funcs = [rootFunc];
  }

  /** Number of nodes so far (the root included). */
  get size(): number {
    return this.parents.length;
  }

  /**
   * The child of builder node `parent` for function `func`, created when missing.
   * @returns the builder node id (0 is the root)
   */
  child(parent: number, func: number): number {
    const id = this.index.childOr(parent, func, this.parents.length);
    if (id === this.parents.length) {
      this.parents.push(parent);
      this.funcs.push(func);
      this.selfs.push(0);
      this.foldedCounts.push(0);
    }
    return id;
  }

  /** Adds self weight (in the profile's unit, >= 0) to builder node `node`. */
  addSelf(node: number, weight: number): void {
    this.selfs[node] += weight;
  }

  /** Counts `n` frames folded into builder node `node` (library collapsing). */
  addFolded(node: number, n: number): void {
    this.foldedCounts[node] += n;
  }

  /**
   * Adds a stack of function indices, root first, with its weight (self of its last node).
   * @returns the builder node id of the stack's leaf (the root for an empty path)
   */
  addPath(path: ArrayLike<number>, weight: number): number {
    let node = 0;
    for (let i = 0; i < path.length; i++) node = this.child(node, path[i]);
    this.selfs[node] += weight;
    return node;
  }

  /** Finishes the tree: totals, pre-order with heaviest siblings first, offsets, depths. */
  build(): FlameTree {
    const n = this.parents.length;
    const totals = new Float64Array(n);
    for (let i = 0; i < n; i++) totals[i] = this.selfs[i];
    // children are always created after their parent: a reverse sweep sums totals
    for (let i = n - 1; i > 0; i--) totals[this.parents[i]] += totals[i];
    const childCount = new Int32Array(n);
    for (let i = 1; i < n; i++) childCount[this.parents[i]]++;
    const firstChild = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) firstChild[i + 1] = firstChild[i] + childCount[i];
    const fill = firstChild.slice(0, n);
    const children = new Int32Array(Math.max(0, n - 1));
    for (let i = 1; i < n; i++) children[fill[this.parents[i]]++] = i;
    const funcs = this.funcs;
    for (let i = 0; i < n; i++) {
      const a = firstChild[i];
      const b = firstChild[i + 1];
      if (b - a > 1) {
        const sorted = Array.from(children.subarray(a, b)).sort(
          (x, y) => totals[y] - totals[x] || funcs[x] - funcs[y],
        );
        children.set(sorted, a);
      }
    }
    const tree = allocate(n);
    const order = new Int32Array(n); // new index → builder id
    const newIndex = new Int32Array(n);
    // iterative pre-order
    const stack = new Int32Array(n);
    let sp = 0;
    stack[sp++] = 0;
    let next = 0;
    while (sp > 0) {
      const b = stack[--sp];
      order[next] = b;
      newIndex[b] = next;
      next++;
      for (let c = firstChild[b + 1] - 1; c >= firstChild[b]; c--) stack[sp++] = children[c];
    }
    let maxDepth = 0;
    for (let i = 0; i < n; i++) {
      const b = order[i];
      const p = this.parents[b];
      const np = p < 0 ? -1 : newIndex[p];
      tree.parent[i] = np;
      tree.func[i] = funcs[b];
      tree.self[i] = this.selfs[b];
      tree.total[i] = totals[b];
      tree.folded[i] = this.foldedCounts[b];
      tree.depth[i] = np < 0 ? 0 : tree.depth[np] + 1;
      if (tree.depth[i] > maxDepth) maxDepth = tree.depth[i];
    }
    finishOffsets(tree.parent, tree.total, tree.start, tree.end);
    return { ...tree, count: n, maxDepth };
  }
}

function allocate(n: number) {
  return {
    parent: new Int32Array(n),
    func: new Int32Array(n),
    depth: new Int32Array(n),
    end: new Int32Array(n),
    self: new Float64Array(n),
    total: new Float64Array(n),
    start: new Float64Array(n),
    folded: new Int32Array(n),
  };
}

/** Fills `start` (left edges) and `end` (subtree ends) of a pre-ordered tree. */
function finishOffsets(parent: Int32Array, total: Float64Array, start: Float64Array, end: Int32Array): void {
  const n = parent.length;
  const cursor = new Float64Array(n); // next child's left edge, per node
  for (let i = 0; i < n; i++) {
    end[i] = i + 1;
    const p = parent[i];
    if (p >= 0) {
      start[i] = cursor[p];
      cursor[p] += total[i];
    } else start[i] = 0;
    cursor[i] = start[i];
  }
  for (let i = n - 1; i > 0; i--) if (end[i] > end[parent[i]]) end[parent[i]] = end[i];
}

/**
 * The parts of a {@link FlameTree} that must be sent; the rest is derived by
 * {@link expandFlameTree}. Parent, function, self and folded per node, in pre-order.
 */
export interface PackedFlameTree {
  readonly parent: Int32Array;
  readonly func: Int32Array;
  readonly self: Float64Array;
  readonly folded: Int32Array;
}

/** The fields of a tree worth sending (see {@link PackedFlameTree}); no copy is made. */
export function packFlameTree(tree: FlameTree): PackedFlameTree {
  return { parent: tree.parent, func: tree.func, self: tree.self, folded: tree.folded };
}

/**
 * Rebuilds the derived fields (depth, totals, offsets, subtree ends) of a packed tree.
 * The packed tree must be in pre-order with siblings in display order, as built.
 * @throws RangeError when the arrays differ in length, or a parent does not precede its child
 */
export function expandFlameTree(packed: PackedFlameTree): FlameTree {
  const n = packed.parent.length;
  if (n === 0 || packed.func.length !== n || packed.self.length !== n || packed.folded.length !== n)
    throw new RangeError('a flame tree needs a root and arrays of equal length');
  const depth = new Int32Array(n);
  const total = Float64Array.from(packed.self);
  let maxDepth = 0;
  for (let i = 1; i < n; i++) {
    const p = packed.parent[i];
    if (!(p >= 0 && p < i)) throw new RangeError(`node ${i} has parent ${p}: not in pre-order`);
    depth[i] = depth[p] + 1;
    if (depth[i] > maxDepth) maxDepth = depth[i];
  }
  if (packed.parent[0] !== -1) throw new RangeError('node 0 must be the root (parent -1)');
  for (let i = n - 1; i > 0; i--) total[packed.parent[i]] += total[i];
  const start = new Float64Array(n);
  const end = new Int32Array(n);
  finishOffsets(packed.parent, total, start, end);
  return {
    count: n,
    parent: packed.parent,
    func: packed.func,
    depth,
    end,
    self: packed.self,
    total,
    start,
    folded: packed.folded,
    maxDepth,
  };
}

/**
 * The children of a node, in display order (heaviest first).
 * @returns node indices
 */
export function childrenOf(tree: FlameTree, node: number): number[] {
  const out: number[] = [];
  for (let c = node + 1; c < tree.end[node]; c = tree.end[c]) out.push(c);
  return out;
}

/**
 * The path from the root to a node, both included (the breadcrumb of a zoom).
 * @returns node indices, root first
 */
export function pathTo(tree: FlameTree, node: number): number[] {
  const out: number[] = [];
  for (let n = node; n >= 0; n = tree.parent[n]) out.push(n);
  return out.reverse();
}

/** True when `node` is `ancestor` or lies in its subtree. */
export function isInSubtree(tree: FlameTree, ancestor: number, node: number): boolean {
  return node >= ancestor && node < tree.end[ancestor];
}
