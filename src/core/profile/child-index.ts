/**
 * The children of a call tree under construction: (parent node, function) → child node, for
 * the trees that merge stacks (the comparison snapshot, the merged comparison tree, the flame
 * graph). An open-addressing table over typed arrays: no `Map` entry, and no key number that
 * may outgrow a small integer, per node.
 */
export class ChildIndex {
  private parents = new Int32Array(1 << 10);
  private funcs = new Int32Array(1 << 10);
  /** Child node + 1 per slot; 0 is an empty slot. */
  private children = new Int32Array(1 << 10);
  private count = 0;

  /**
   * The child of `parent` (a node id, ≥ 0) for `func` (a function index, ≥ -1), or the node
   * `next` (≥ 0) recorded as that child when there is none yet.
   * @returns the child's node id: `next` exactly when it was added
   */
  childOr(parent: number, func: number, next: number): number {
    const mask = this.children.length - 1;
    let slot = hash(parent, func) & mask;
    for (;;) {
      const c = this.children[slot];
      if (c === 0) break;
      if (this.parents[slot] === parent && this.funcs[slot] === func) return c - 1;
      slot = (slot + 1) & mask;
    }
    this.parents[slot] = parent;
    this.funcs[slot] = func;
    this.children[slot] = next + 1;
    if (++this.count * 2 > this.children.length) this.grow();
    return next;
  }

  private grow(): void {
    const { parents, funcs, children } = this;
    const size = children.length * 2;
    this.parents = new Int32Array(size);
    this.funcs = new Int32Array(size);
    this.children = new Int32Array(size);
    const mask = size - 1;
    for (let i = 0; i < children.length; i++) {
      if (children[i] === 0) continue;
      let slot = hash(parents[i], funcs[i]) & mask;
      while (this.children[slot] !== 0) slot = (slot + 1) & mask;
      this.parents[slot] = parents[i];
      this.funcs[slot] = funcs[i];
      this.children[slot] = children[i];
    }
  }
}

function hash(parent: number, func: number): number {
  const h = Math.imul(parent ^ Math.imul(func + 1, 0x85ebca6b), 0x9e3779b1);
  return h ^ (h >>> 16);
}
