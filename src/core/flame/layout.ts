/**
 * Rectangles of a flame graph view, from a {@link FlameTree}: x and width from the
 * weights, y from the depth. Pure arithmetic in CSS pixels; the webview draws what
 * this returns and hit-tests with it, and the tests and the UI check compute click
 * coordinates with it.
 */
import { type FlameTree, isInSubtree } from './flame-tree';

/** Root at the bottom (flame graph) or at the top (icicle). */
export type FlameOrientation = 'flame' | 'icicle';

/** What is shown: which node is zoomed to the full width, at what size. */
export interface FlameViewport {
  /** The zoomed node (0 = the whole profile). Its ancestors are drawn full width. */
  readonly zoom: number;
  /** Width of the drawing, in CSS pixels (> 0). */
  readonly width: number;
  /** Height of one row, in CSS pixels. */
  readonly rowHeight: number;
  readonly orientation: FlameOrientation;
  /** Nodes narrower than this many pixels are not drawn, nor their subtrees (default 0.5). */
  readonly minWidth?: number;
}

/** The visible rectangles, columnar; all in CSS pixels, y = top edge. */
export interface FlameLayout {
  /** Number of rectangles. */
  readonly count: number;
  /** Node index of each rectangle, ancestors of the zoom first, then the zoomed subtree in pre-order. */
  readonly node: Int32Array;
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly width: Float32Array;
  /** Height of every row (the viewport's rowHeight). */
  readonly rowHeight: number;
  /** Height of the whole drawing: (maxDepth + 1) rows. */
  readonly height: number;
}

/**
 * Lays out a view: the zoomed node spans the width, each descendant's x and width
 * are proportional to its left edge and total weight within it; the zoom's
 * ancestors span the whole width. Rows: depth 0 at the bottom for `flame`, at the
 * top for `icicle`. Cost is proportional to the number of visible rectangles.
 * @throws RangeError when the zoom node is not in the tree or the width is not positive
 */
export function layoutFlame(tree: FlameTree, view: FlameViewport): FlameLayout {
  const zoom = view.zoom;
  if (!(zoom >= 0 && zoom < tree.count)) throw new RangeError(`no node ${zoom} to zoom into`);
  if (!(view.width > 0)) throw new RangeError(`the width must be positive, got ${view.width}`);
  const minWidth = view.minWidth ?? 0.5;
  const rowHeight = view.rowHeight;
  const height = (tree.maxDepth + 1) * rowHeight;
  const flame = view.orientation === 'flame';
  const zoomTotal = tree.total[zoom];
  const scale = zoomTotal > 0 ? view.width / zoomTotal : 0;
  const x0 = tree.start[zoom];
  let cap = 1024;
  let node = new Int32Array(cap);
  let xs = new Float32Array(cap);
  let ys = new Float32Array(cap);
  let ws = new Float32Array(cap);
  let count = 0;
  const push = (n: number, x: number, w: number) => {
    if (count === cap) {
      cap *= 2;
      const grow = <T extends Int32Array | Float32Array>(a: T, b: T): T => {
        b.set(a);
        return b;
      };
      node = grow(node, new Int32Array(cap));
      xs = grow(xs, new Float32Array(cap));
      ys = grow(ys, new Float32Array(cap));
      ws = grow(ws, new Float32Array(cap));
    }
    const d = tree.depth[n];
    node[count] = n;
    xs[count] = x;
    ys[count] = flame ? height - (d + 1) * rowHeight : d * rowHeight;
    ws[count] = w;
    count++;
  };
  const ancestors: number[] = [];
  for (let a = tree.parent[zoom]; a >= 0; a = tree.parent[a]) ancestors.push(a);
  for (let k = ancestors.length - 1; k >= 0; k--) push(ancestors[k], 0, view.width);
  const end = tree.end[zoom];
  for (let i = zoom; i < end; ) {
    const w = tree.total[i] * scale;
    if (w < minWidth) {
      i = tree.end[i];
      continue;
    }
    push(i, (tree.start[i] - x0) * scale, w);
    i++;
  }
  return {
    count,
    node: node.subarray(0, count),
    x: xs.subarray(0, count),
    y: ys.subarray(0, count),
    width: ws.subarray(0, count),
    rowHeight,
    height,
  };
}

/**
 * The node drawn at a point, or -1.
 * @param x CSS pixels from the drawing's left edge
 * @param y CSS pixels from the drawing's top edge
 */
export function hitTest(layout: FlameLayout, x: number, y: number): number {
  for (let i = 0; i < layout.count; i++) {
    const top = layout.y[i];
    if (y < top || y >= top + layout.rowHeight) continue;
    const left = layout.x[i];
    if (x >= left && x < left + layout.width[i]) return layout.node[i];
  }
  return -1;
}

/**
 * The rectangle of a node in a layout (its centre is a good place to click), or
 * undefined when it is not drawn.
 */
export function rectOf(
  layout: FlameLayout,
  node: number,
): { x: number; y: number; width: number; height: number } | undefined {
  for (let i = 0; i < layout.count; i++) {
    if (layout.node[i] === node)
      return { x: layout.x[i], y: layout.y[i], width: layout.width[i], height: layout.rowHeight };
  }
  return undefined;
}

/** A keyboard move: to the caller, to the heaviest callee, or to a sibling. */
export type FlameMove = 'parent' | 'child' | 'previous' | 'next';

/**
 * Where a keyboard move lands. `parent`/`child` move between caller and heaviest
 * callee; `previous`/`next` between siblings, else to the nearest node at the same
 * depth in that direction inside the zoom. Returns the node itself when there is
 * nowhere to go.
 * @param zoom moves stay inside the zoomed subtree (and never go above the zoom)
 */
export function moveFocus(tree: FlameTree, node: number, move: FlameMove, zoom = 0): number {
  switch (move) {
    case 'parent':
      return node === zoom || tree.parent[node] < 0 ? node : tree.parent[node];
    case 'child':
      return node + 1 < tree.end[node] ? node + 1 : node;
    case 'next': {
      const d = tree.depth[node];
      const stop = tree.end[zoom];
      for (let i = tree.end[node]; i < stop; i++) if (tree.depth[i] === d) return i;
      return node;
    }
    case 'previous': {
      const d = tree.depth[node];
      for (let i = node - 1; i > zoom; i--) if (tree.depth[i] === d && isInSubtree(tree, zoom, i)) return i;
      return node;
    }
  }
}
