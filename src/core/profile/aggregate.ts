import { type Frame, type Profile, stackTableOf } from './model';

/**
 * Aggregations over a {@link Profile}: self and total weight per function and per
 * source line, callers and callees, the call tree and the top-N hotspots.
 *
 * Definitions (all weights in the profile's unit):
 * - **self** weight of a function: the weight of stacks whose leaf frame is that function;
 * - **total** (inclusive) weight: the weight of stacks in which the function appears at
 *   least once (recursion is counted once per stack);
 * - a **function** is identified by {@link functionKey}: the frame name plus its file
 *   (or module when there is no file), ignoring line and column, so the many
 *   per-line frames of one function (perf srcline, V8) aggregate together.
 */

/** Self and total weight of one function. */
export interface FunctionStats {
  /** {@link functionKey} of the function. */
  readonly key: string;
  /** Frame name as the tool wrote it. */
  readonly name: string;
  readonly file?: string;
  readonly module?: string;
  /** Self weight in the profile's unit. */
  self: number;
  /** Total (inclusive) weight in the profile's unit. */
  total: number;
  /** Indices of every frame of this function in {@link Profile.frames}. */
  readonly frameIds: number[];
}

/** Self and total weight of one source line (1-based). */
export interface LineStats {
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  self: number;
  total: number;
}

/** A node of the call tree (functions merged by {@link functionKey} along each path). */
export interface CallTreeNode {
  /** Function key; `''` for the root. */
  readonly key: string;
  readonly name: string;
  self: number;
  total: number;
  readonly children: Map<string, CallTreeNode>;
  readonly parent?: CallTreeNode;
}

/** A caller or callee of a function with the weight that flowed through that edge. */
export interface CallEdge {
  readonly key: string;
  readonly name: string;
  /** Weight of the stacks in which this edge occurs (counted once per stack). */
  readonly weight: number;
}

/**
 * The identity of a function for aggregation: `name`, a NUL, then the file, or the
 * module when there is no file, or nothing.
 */
export function functionKey(frame: Frame): string {
  return `${frame.name}\u0000${frame.file ?? frame.module ?? ''}`;
}

/**
 * The functions of a profile's frames (see {@link functionKey}), numbered in the order of
 * their first frame: function `k` has key `keys[k]` and first frame `firstFrame[k]`, and frame
 * `id` belongs to function `ofFrame[id]`.
 */
export interface FunctionIndex {
  readonly keys: readonly string[];
  readonly firstFrame: Int32Array;
  readonly ofFrame: Int32Array;
}

const functionIndexes = new WeakMap<Profile, FunctionIndex>();

/**
 * The {@link FunctionIndex} of a profile, computed once and kept (the analysis, the hints, the
 * comparison and the flame graph of one load all need it). A profile of many frames (a V8
 * profile has one per call-tree node and position) has far fewer functions: frames are
 * grouped by name and then by file or module without building a key per frame.
 */
export function functionIndexOf(profile: Profile): FunctionIndex {
  const known = functionIndexes.get(profile);
  if (known) return known;
  const frames = profile.frames;
  const ofFrame = new Int32Array(frames.length);
  const firstFrame: number[] = [];
  const keys: string[] = [];
  const byName = new Map<string, Map<string, number>>();
  for (let id = 0; id < frames.length; id++) {
    const frame = frames[id];
    let byPlace = byName.get(frame.name);
    if (byPlace === undefined) {
      byPlace = new Map();
      byName.set(frame.name, byPlace);
    }
    const place = frame.file ?? frame.module ?? '';
    let k = byPlace.get(place);
    if (k === undefined) {
      k = keys.length;
      byPlace.set(place, k);
      keys.push(functionKey(frame));
      firstFrame.push(id);
    }
    ofFrame[id] = k;
  }
  const index = { keys, firstFrame: Int32Array.from(firstFrame), ofFrame };
  functionIndexes.set(profile, index);
  return index;
}

/**
 * Self and total weight of every function in the profile.
 * @returns one entry per function, in no particular order
 */
export function aggregateFunctions(profile: Profile): FunctionStats[] {
  const { keys, firstFrame, ofFrame: frameToStats } = functionIndexOf(profile);
  const all: FunctionStats[] = keys.map((key, k) => {
    const frame = profile.frames[firstFrame[k]];
    return {
      key,
      name: frame.name,
      ...(frame.file !== undefined ? { file: frame.file } : {}),
      ...(frame.module !== undefined ? { module: frame.module } : {}),
      self: 0,
      total: 0,
      frameIds: [],
    };
  });
  for (let id = 0; id < frameToStats.length; id++) all[frameToStats[id]].frameIds.push(id);
  // a function counts once per stack (recursion): the last stack that counted it, +1
  const lastStack = new Int32Array(all.length);
  const self = new Float64Array(all.length);
  const total = new Float64Array(all.length);
  const { count, frames, starts, weights } = stackTableOf(profile);
  for (let si = 0; si < count; si++) {
    const a = starts[si];
    const b = starts[si + 1];
    if (a === b) continue;
    const weight = weights[si];
    self[frameToStats[frames[b - 1]]] += weight;
    for (let i = a; i < b; i++) {
      const k = frameToStats[frames[i]];
      if (lastStack[k] !== si + 1) {
        lastStack[k] = si + 1;
        total[k] += weight;
      }
    }
  }
  const out: FunctionStats[] = [];
  for (let k = 0; k < all.length; k++) {
    if (total[k] === 0 && self[k] === 0) continue;
    all[k].self = self[k];
    all[k].total = total[k];
    out.push(all[k]);
  }
  return out;
}

/**
 * The `n` hottest functions, by self or total weight (ties broken by the other
 * measure, then by name, so the order is stable).
 */
export function topHotspots(profile: Profile, n: number, by: 'self' | 'total' = 'total'): FunctionStats[] {
  return sortHotspots(aggregateFunctions(profile), by).slice(0, Math.max(0, n));
}

/** Sorts function stats by self or total weight, descending, with a stable tie-break. */
export function sortHotspots(stats: FunctionStats[], by: 'self' | 'total'): FunctionStats[] {
  const other = by === 'self' ? 'total' : 'self';
  return stats.sort(
    (a, b) => b[by] - a[by] || b[other] - a[other] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}

/**
 * Self and total weight per (file, line). Self comes from the profile's explicit
 * {@link Profile.lineCosts} when it has any, otherwise from the leaf frame's line;
 * total from every frame with a line in each stack (a line counted once per stack).
 */
export function aggregateLines(profile: Profile): LineStats[] {
  const byKey = new Map<string, LineStats>();
  const get = (file: string, line: number): LineStats => {
    const key = `${file}\u0000${line}`;
    let s = byKey.get(key);
    if (!s) {
      s = { file, line, self: 0, total: 0 };
      byKey.set(key, s);
    }
    return s;
  };
  const useLineCosts = profile.lineCosts.length > 0;
  const seen = new Set<LineStats>();
  for (const stack of profile.stacks) {
    seen.clear();
    const frames = stack.frames;
    for (let i = 0; i < frames.length; i++) {
      const f = profile.frames[frames[i]];
      if (f.file === undefined || f.line === undefined) continue;
      const s = get(f.file, f.line);
      if (!seen.has(s)) {
        seen.add(s);
        s.total += stack.weight;
      }
      if (!useLineCosts && i === frames.length - 1) s.self += stack.weight;
    }
  }
  if (useLineCosts) {
    for (const c of profile.lineCosts) {
      const s = get(c.file, c.line);
      s.self += c.weight;
      if (s.total < s.self) s.total = s.self;
    }
  }
  return [...byKey.values()];
}

/**
 * Builds the top-down call tree. Each root-to-leaf path merges frames of the same
 * function; node totals include their children, node self is the weight of stacks
 * ending there.
 */
export function buildCallTree(profile: Profile): CallTreeNode {
  const root: CallTreeNode = { key: '', name: '', self: 0, total: 0, children: new Map() };
  const keys = profile.frames.map(functionKey);
  for (const stack of profile.stacks) {
    let node = root;
    node.total += stack.weight;
    for (const id of stack.frames) {
      const key = keys[id];
      let child = node.children.get(key);
      if (!child) {
        child = { key, name: profile.frames[id].name, self: 0, total: 0, children: new Map(), parent: node };
        node.children.set(key, child);
      }
      child.total += stack.weight;
      node = child;
    }
    node.self += stack.weight;
  }
  return root;
}

/**
 * Callers and callees of one function (by {@link functionKey}), heaviest first.
 * An edge's weight is the weight of the stacks where the caller directly calls the
 * callee, counted once per stack.
 */
export function callersAndCallees(
  profile: Profile,
  key: string,
): { callers: CallEdge[]; callees: CallEdge[] } {
  const keys = profile.frames.map(functionKey);
  const callers = new Map<string, { name: string; weight: number }>();
  const callees = new Map<string, { name: string; weight: number }>();
  const seenCallers = new Set<string>();
  const seenCallees = new Set<string>();
  const add = (map: Map<string, { name: string; weight: number }>, k: string, name: string, w: number) => {
    const e = map.get(k);
    if (e) e.weight += w;
    else map.set(k, { name, weight: w });
  };
  for (const stack of profile.stacks) {
    seenCallers.clear();
    seenCallees.clear();
    const f = stack.frames;
    for (let i = 0; i < f.length; i++) {
      if (keys[f[i]] !== key) continue;
      if (i > 0) {
        const k = keys[f[i - 1]];
        if (k !== key && !seenCallers.has(k)) {
          seenCallers.add(k);
          add(callers, k, profile.frames[f[i - 1]].name, stack.weight);
        }
      }
      if (i + 1 < f.length) {
        const k = keys[f[i + 1]];
        if (k !== key && !seenCallees.has(k)) {
          seenCallees.add(k);
          add(callees, k, profile.frames[f[i + 1]].name, stack.weight);
        }
      }
    }
  }
  const list = (m: Map<string, { name: string; weight: number }>): CallEdge[] =>
    [...m.entries()]
      .map(([k, v]) => ({ key: k, name: v.name, weight: v.weight }))
      .sort((a, b) => b.weight - a.weight);
  return { callers: list(callers), callees: list(callees) };
}

/**
 * Writes the profile as folded stacks (`root;…;leaf weight`, one line per unique
 * stack and thread, sorted), the golden-output format of the importer tests.
 * Frame names only; thread names are prefixed when there is more than one thread.
 */
export function toFolded(profile: Profile): string {
  const multi = profile.threads.length > 1;
  const merged = new Map<string, number>();
  for (const s of profile.stacks) {
    const names = s.frames.map((id) => profile.frames[id].name);
    const line = (multi ? [profile.threads[s.thread], ...names] : names).join(';');
    merged.set(line, (merged.get(line) ?? 0) + s.weight);
  }
  return `${[...merged.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, w]) => `${k} ${w}`)
    .join('\n')}\n`;
}
