/**
 * The call tree of a V8 `.cpuprofile` held in columns (typed arrays, one entry per node)
 * instead of one object per node: the shape both readers of the importer produce (the byte
 * reader straight from the file, the JSON path from parsed objects), so the profile is built
 * by one code path. A million nodes take about 80 MB here, against several hundred as objects.
 *
 * Spec of a node: `Profiler.ProfileNode` in
 * https://chromedevtools.github.io/devtools-protocol/tot/Profiler/#type-Profile
 * (`id`, `callFrame` {`functionName`, `url`, `lineNumber`, `columnNumber`: 0-based},
 * `hitCount`, `children` ids, `parent` id in trace chunks, `positionTicks` {`line`: 1-based, `ticks`}).
 */

/** A growable Float64Array (no object per element). */
export class Float64Vec {
  data: Float64Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Float64Array(capacity);
  }

  push(v: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = v;
  }

  /** The values pushed so far, in a new array of exactly that length. */
  toArray(): Float64Array {
    return this.data.slice(0, this.length);
  }

  private grow(): void {
    const bigger = new Float64Array(this.data.length * 2);
    bigger.set(this.data);
    this.data = bigger;
  }
}

/** A growable Int32Array. */
export class Int32Vec {
  data: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }

  push(v: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = v;
  }

  /** The values pushed so far, in a new array of exactly that length. */
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }

  private grow(): void {
    const bigger = new Int32Array(this.data.length * 2);
    bigger.set(this.data);
    this.data = bigger;
  }
}

/**
 * The nodes of one V8 profile, node `i` in position `i` of every column (file order).
 * Ids, lines and counts are numbers as the file wrote them (safe integers for ids and lines).
 */
export interface CpuprofileNodes {
  /** Number of nodes. */
  readonly count: number;
  /** `id` of each node. */
  readonly id: Float64Array;
  /** `parent` id of each node; NaN when the node has none (the usual case outside traces). */
  readonly parent: Float64Array;
  /** `hitCount` of each node (samples); 0 when absent. */
  readonly hitCount: Float64Array;
  /** `callFrame.functionName` of each node, as an index into {@link strings}. */
  readonly functionName: Int32Array;
  /** `callFrame.url` of each node, as an index into {@link strings} (`''` when absent). */
  readonly url: Int32Array;
  /** `callFrame.lineNumber` (0-based; −1 when unknown or absent). */
  readonly lineNumber: Float64Array;
  /** `callFrame.columnNumber` (0-based; −1 when unknown or absent). */
  readonly columnNumber: Float64Array;
  /** Children of node `i`: `childIds[childStart[i] .. childStart[i + 1])` (length count + 1). */
  readonly childStart: Int32Array;
  /** `children` ids of every node, one after the other. */
  readonly childIds: Float64Array;
  /** Position ticks of node `i`: entries `tickStart[i] .. tickStart[i + 1]` (length count + 1). */
  readonly tickStart: Int32Array;
  /** `positionTicks[].line` (1-based) of every node, one after the other. */
  readonly tickLine: Float64Array;
  /** `positionTicks[].ticks` (samples) of every node, one after the other. */
  readonly tickCount: Float64Array;
  /** The distinct strings the nodes refer to (index 0 is `''`). */
  readonly strings: readonly string[];
}

/** One node in object form, as `JSON.parse` and the schema give it (the JSON path and traces). */
export interface CpuprofileNodeObject {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url?: string;
    readonly lineNumber?: number;
    readonly columnNumber?: number;
  };
  readonly hitCount?: number;
  readonly children?: readonly number[];
  readonly parent?: number;
  readonly positionTicks?: readonly { readonly line: number; readonly ticks: number }[];
}

/**
 * Collects nodes into {@link CpuprofileNodes}. A node's children and ticks are pushed first
 * ({@link childIds}, {@link tickLine}, {@link tickCount}), then {@link endNode} closes it.
 * A reader that meets the end of its data in the middle of a node calls {@link undoNode}.
 */
export class CpuprofileNodesBuilder {
  readonly id = new Float64Vec();
  readonly parent = new Float64Vec();
  readonly hitCount = new Float64Vec();
  readonly functionName = new Int32Vec();
  readonly url = new Int32Vec();
  readonly lineNumber = new Float64Vec();
  readonly columnNumber = new Float64Vec();
  readonly childStart = new Int32Vec();
  readonly childIds = new Float64Vec();
  readonly tickStart = new Int32Vec();
  readonly tickLine = new Float64Vec();
  readonly tickCount = new Float64Vec();
  readonly strings: string[] = [''];
  private readonly stringIndex = new Map<string, number>([['', 0]]);

  constructor() {
    this.childStart.push(0);
    this.tickStart.push(0);
  }

  /** Number of nodes ended so far. */
  get count(): number {
    return this.id.length;
  }

  /** The index of a string in {@link strings}, added when new. */
  intern(s: string): number {
    let k = this.stringIndex.get(s);
    if (k === undefined) {
      k = this.addString(s);
      this.stringIndex.set(s, k);
    }
    return k;
  }

  /** Adds a string without looking for an equal one (for readers that intern by bytes). */
  addString(s: string): number {
    this.strings.push(s);
    return this.strings.length - 1;
  }

  /**
   * Ends a node whose children and ticks were pushed since the previous one.
   * @param parent the parent id, NaN when absent
   * @param lineNumber 0-based, −1 when absent; columnNumber likewise
   */
  endNode(
    id: number,
    parent: number,
    hitCount: number,
    functionName: number,
    url: number,
    lineNumber: number,
    columnNumber: number,
  ): void {
    this.id.push(id);
    this.parent.push(parent);
    this.hitCount.push(hitCount);
    this.functionName.push(functionName);
    this.url.push(url);
    this.lineNumber.push(lineNumber);
    this.columnNumber.push(columnNumber);
    this.childStart.push(this.childIds.length);
    this.tickStart.push(this.tickLine.length);
  }

  /** Forgets the children and ticks pushed since the last ended node. */
  undoNode(): void {
    this.childIds.length = this.childStart.data[this.childStart.length - 1];
    this.tickLine.length = this.tickStart.data[this.tickStart.length - 1];
    this.tickCount.length = this.tickLine.length;
  }

  /** Adds a node given as an object (already validated by the schema). */
  addObject(node: CpuprofileNodeObject): void {
    if (node.children) for (const c of node.children) this.childIds.push(c);
    if (node.positionTicks)
      for (const t of node.positionTicks) {
        this.tickLine.push(t.line);
        this.tickCount.push(t.ticks);
      }
    const cf = node.callFrame;
    this.endNode(
      node.id,
      node.parent ?? Number.NaN,
      node.hitCount ?? 0,
      this.intern(cf.functionName),
      this.intern(cf.url ?? ''),
      cf.lineNumber ?? -1,
      cf.columnNumber ?? -1,
    );
  }

  /** The columns (copied to their exact lengths); the builder must not be used afterwards. */
  finish(): CpuprofileNodes {
    return {
      count: this.id.length,
      id: this.id.toArray(),
      parent: this.parent.toArray(),
      hitCount: this.hitCount.toArray(),
      functionName: this.functionName.toArray(),
      url: this.url.toArray(),
      lineNumber: this.lineNumber.toArray(),
      columnNumber: this.columnNumber.toArray(),
      childStart: this.childStart.toArray(),
      childIds: this.childIds.toArray(),
      tickStart: this.tickStart.toArray(),
      tickLine: this.tickLine.toArray(),
      tickCount: this.tickCount.toArray(),
      strings: this.strings,
    };
  }
}

/**
 * Columns of nodes given as objects (the JSON path, trace chunks), in the same order.
 * Spec of a node: https://chromedevtools.github.io/devtools-protocol/tot/Profiler/#type-ProfileNode
 * @param nodes nodes that passed the importer's schema (lines and columns 0-based, −1 or
 *   absent when unknown; `positionTicks[].line` 1-based; counts in samples)
 * @returns the nodes in columns (absent fields as described on {@link CpuprofileNodes})
 */
export function nodesFromObjects(nodes: readonly CpuprofileNodeObject[]): CpuprofileNodes {
  const b = new CpuprofileNodesBuilder();
  for (const node of nodes) b.addObject(node);
  return b.finish();
}

/**
 * Lookup from node id to node position: a dense table when ids are small non-negative
 * integers (V8 numbers them 1..n), else a Map.
 */
export interface NodeIndex {
  /** Position of the node with this id, or −1 for an unknown id. */
  find(id: number): number;
  /** When ids are dense: position by id (−1 for a gap), for `0 <= id < dense.length` (integer ids). */
  readonly dense?: Int32Array;
}

/**
 * Indexes node ids (`ProfileNode.id`, https://chromedevtools.github.io/devtools-protocol/tot/Profiler/#type-ProfileNode):
 * a dense table when ids are non-negative and at most 4 × count + 1024 (V8 numbers them 1..n), else a Map.
 * @param ids node ids (safe integers), node `i` at position `i`; only the first `count` are read
 * @returns the index, or (instead of throwing) the position of the first node whose id appeared before
 */
export function indexNodeIds(ids: Float64Array, count: number): NodeIndex | { duplicateAt: number } {
  let minId = 0;
  let maxId = 0;
  for (let i = 0; i < count; i++) {
    if (ids[i] > maxId) maxId = ids[i];
    if (ids[i] < minId) minId = ids[i];
  }
  if (minId >= 0 && maxId <= 4 * count + 1024) {
    const dense = new Int32Array(maxId + 1).fill(-1);
    for (let i = 0; i < count; i++) {
      if (dense[ids[i]] !== -1) return { duplicateAt: i };
      dense[ids[i]] = i;
    }
    return { dense, find: (id) => (id >= 0 && id <= maxId && Number.isInteger(id) ? dense[id] : -1) };
  }
  const map = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    if (map.has(ids[i])) return { duplicateAt: i };
    map.set(ids[i], i);
  }
  return { find: (id) => map.get(id) ?? -1 };
}
