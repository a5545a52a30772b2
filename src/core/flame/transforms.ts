/**
 * Trees derived from a flame graph's call tree: library runs collapsed, and the
 * sandwich of one function (its callers and its callees). Pure; weights stay in the
 * profile's unit.
 */
import { type FlameTree, FlameTreeBuilder } from './flame-tree';

/**
 * Collapses runs of consecutive library frames: a library node whose parent is also
 * a library node is merged into that parent (its self weight added there, its
 * children become the parent's children, merged by function). The first frame of a
 * run (where the code entered the library) stays, and counts in `folded` how many
 * frames it absorbed. Totals are unchanged at every kept path, so the root total is
 * the same.
 * @param functionCount size of the function table
 * @param isLibrary whether a function (by index) is library (or unknown) code
 */
export function collapseLibraryRuns(
  tree: FlameTree,
  functionCount: number,
  isLibrary: (func: number) => boolean,
): FlameTree {
  const b = new FlameTreeBuilder(functionCount, tree.func[0]);
  const out = new Int32Array(tree.count);
  const lib = new Uint8Array(tree.count);
  for (let i = 1; i < tree.count; i++) {
    const p = tree.parent[i];
    const f = tree.func[i];
    lib[i] = f >= 0 && isLibrary(f) ? 1 : 0;
    if (lib[i] && p > 0 && lib[p]) {
      out[i] = out[p];
      b.addFolded(out[i], 1);
    } else out[i] = b.child(out[p], f);
    b.addSelf(out[i], tree.self[i]);
  }
  b.addSelf(0, tree.self[0]);
  return b.build();
}

/** The nodes of a function that are not inside another node of the same function (recursion counted once). */
export function outermostNodes(tree: FlameTree, func: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < tree.count; i++) {
    if (tree.func[i] === func) {
      out.push(i);
      i = tree.end[i] - 1;
    }
  }
  return out;
}

/** A function's figures in a tree. */
export interface FunctionWeights {
  /** Weight of stacks ending in the function. */
  readonly self: number;
  /** Weight of stacks containing the function (once per stack, recursion counted once). */
  readonly total: number;
}

/** Self and total weight of one function over the whole tree, in the profile's unit. */
export function functionWeights(tree: FlameTree, func: number): FunctionWeights {
  let self = 0;
  for (let i = 0; i < tree.count; i++) if (tree.func[i] === func) self += tree.self[i];
  let total = 0;
  for (const n of outermostNodes(tree, func)) total += tree.total[n];
  return { self, total };
}

/** The sandwich of a function. */
export interface Sandwich {
  /** Function index. */
  readonly func: number;
  /**
   * Its callers, inverted: the root is the function, its children are its direct
   * callers, theirs the callers' callers, up to the stacks' outermost frames. Each
   * root-to-node path weight is how much of the function's total came through it.
   */
  readonly callers: FlameTree;
  /** Its callees: every (outermost) occurrence's subtree merged, rooted at the function. */
  readonly callees: FlameTree;
  readonly self: number;
  /** Both roots' totals equal this. */
  readonly total: number;
}

/**
 * The sandwich view of one function: callers above, callees below. Recursion is
 * counted once (only outermost occurrences contribute, nested ones stay inside the
 * callee tree), so both roots' totals equal the function's total.
 * @param functionCount size of the function table
 */
export function sandwich(tree: FlameTree, func: number, functionCount: number): Sandwich {
  const occurrences = outermostNodes(tree, func);
  const callees = new FlameTreeBuilder(functionCount, func);
  const callers = new FlameTreeBuilder(functionCount, func);
  const map = new Int32Array(tree.count);
  for (const o of occurrences) {
    map[o] = 0;
    callees.addSelf(0, tree.self[o]);
    for (let i = o + 1; i < tree.end[o]; i++) {
      map[i] = callees.child(map[tree.parent[i]], tree.func[i]);
      callees.addSelf(map[i], tree.self[i]);
    }
    let node = 0;
    for (let a = tree.parent[o]; a > 0; a = tree.parent[a]) node = callers.child(node, tree.func[a]);
    callers.addSelf(node, tree.total[o]);
  }
  const w = functionWeights(tree, func);
  return { func, callers: callers.build(), callees: callees.build(), self: w.self, total: w.total };
}

/** What a search matched. */
export interface SearchResult {
  /** 1 for nodes whose function matched, per node. */
  readonly matched: Uint8Array;
  /** How many nodes matched. */
  readonly nodes: number;
  /** Weight of the stacks with at least one matching frame (each counted once), in the profile's unit. */
  readonly weight: number;
  /** {@link weight} as a share of the root's total, 0–1 (0 for an empty tree). */
  readonly share: number;
}

/**
 * Marks the nodes whose function matches, and sums the weight they cover without
 * counting a stack twice (a match inside a match adds nothing).
 * @param matchesFunc per function index, 1 when the function matches
 */
export function searchTree(tree: FlameTree, matchesFunc: ArrayLike<number>): SearchResult {
  const matched = new Uint8Array(tree.count);
  let nodes = 0;
  let weight = 0;
  let coveredUntil = 0;
  for (let i = 1; i < tree.count; i++) {
    const f = tree.func[i];
    if (f >= 0 && matchesFunc[f]) {
      matched[i] = 1;
      nodes++;
      if (i >= coveredUntil) {
        weight += tree.total[i];
        coveredUntil = tree.end[i];
      }
    }
  }
  const rootTotal = tree.total[0];
  return { matched, nodes, weight, share: rootTotal > 0 ? weight / rootTotal : 0 };
}

/**
 * Which functions' names match a regular expression (case-insensitive unless the
 * pattern has upper case letters).
 * @returns 1 per matching function index
 * @throws SyntaxError for an invalid pattern
 */
export function matchFunctions(names: readonly string[], pattern: string): Uint8Array {
  const re = new RegExp(pattern, /[A-Z]/.test(pattern) ? '' : 'i');
  const out = new Uint8Array(names.length);
  for (let i = 0; i < names.length; i++) if (re.test(names[i])) out[i] = 1;
  return out;
}
