/**
 * V8 / Chrome `.cpuprofile` importer (Node `--cpu-prof`, Chrome DevTools "Save profile").
 *
 * Spec: the DevTools protocol's `Profiler.Profile` type,
 * https://chromedevtools.github.io/devtools-protocol/tot/Profiler/#type-Profile
 * (`nodes` with `callFrame` and `children`, `samples` = node id per sample,
 * `timeDeltas` in microseconds, `positionTicks` per source line).
 *
 * Conversions:
 * - `callFrame.lineNumber` / `columnNumber` are **0-based** (−1 when unknown) → 1-based frame lines/columns;
 * - `positionTicks[].line` is **1-based** already → {@link ProfileBuilder.addLineCost} as is;
 * - an empty `functionName` becomes `(anonymous)`; url and line are kept, so two anonymous
 *   functions stay distinct frames; `url` is kept as written (`file:///…` or a plain path);
 * - the `(root)` node is dropped from stacks; `(program)`, `(idle)` and `(garbage collector)` are kept;
 * - weight: 1 per sample (unit `samples`); the mean sampling interval goes into meta.
 *
 * Also accepted: the Chrome DevTools Performance-panel trace (trace-event JSON, an array of
 * events or `{ traceEvents: [...] }`), from its `Profile` / `ProfileChunk` events, one thread
 * per profile. A trace without those events is rejected with a clear error.
 * Trace-event format: https://docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU
 */
import { z } from 'zod';
import { type Profile, ProfileBuilder } from '../profile/model';
import { type CpuprofileNodes, indexNodeIds, type NodeIndex, nodesFromObjects } from './cpuprofile-nodes';
import { readCpuprofileBytes } from './cpuprofile-reader';
import { readCpuprofileStream } from './cpuprofile-stream';
import { ImportError } from './import-error';
import { readAll, throwIfCancelled } from './input';
import { parseJsonText, validateJson } from './json-validation';
import type { ImportOptions, ProfileHead, ProfileImporter, ProfileInput } from './types';

const FORMAT = 'V8 .cpuprofile';

const callFrameSchema = z.object({
  functionName: z.string(),
  url: z.string().optional(),
  scriptId: z.union([z.string(), z.number()]).optional(),
  lineNumber: z.number().int().optional(),
  columnNumber: z.number().int().optional(),
});

const nodeSchema = z.object({
  id: z.number().int(),
  callFrame: callFrameSchema,
  hitCount: z.number().nonnegative().optional(),
  children: z.array(z.number().int()).optional(),
  parent: z.number().int().optional(),
  positionTicks: z.array(z.object({ line: z.number().int(), ticks: z.number().nonnegative() })).optional(),
});

// `samples` and `timeDeltas` hold one entry per sample (millions): zod checks only that they
// are arrays (without copying them); the sample ids are checked in the counting loop.
// The byte reader of very large files gives `samples` as a Float64Array.
const largeArray = z.custom<ArrayLike<unknown>>((v) => Array.isArray(v) || v instanceof Float64Array, {
  message: 'expected an array',
});

const cpuProfileSchema = z.object({
  nodes: z.array(nodeSchema).min(1),
  startTime: z.number().optional(),
  endTime: z.number().optional(),
  samples: largeArray.optional(),
  timeDeltas: largeArray.optional(),
});

type CpuProfileNode = z.infer<typeof nodeSchema>;

/**
 * In the general path (files the streaming reader leaves: unusual or invalid ones), files at
 * least this large (bytes) are read by {@link readCpuprofileBytes} instead of `JSON.parse` of
 * the whole text: V8 cannot hold a string over 2^29 − 24 characters, and the text of a 400 MB
 * file already costs twice its size in memory.
 */
export const BYTE_READER_THRESHOLD = 256 * 1024 * 1024;

/** The bytes as UTF-8 text, without a leading BOM. */
function utf8Text(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Fast path for well-formed files: true when `json` satisfies exactly what
 * {@link cpuProfileSchema} requires. zod copies every node it validates, which on a large
 * profile (450,000 nodes) costs two thirds of the JSON.parse itself; this check allocates
 * nothing. When it says no, zod validates and its first issue becomes the error, so zod
 * stays the authority on what is wrong.
 */
function matchesCpuProfileSchema(json: unknown): boolean {
  if (typeof json !== 'object' || json === null) return false;
  const p = json as Record<string, unknown>;
  const optNumber = (v: unknown) => v === undefined || typeof v === 'number';
  const optInt = (v: unknown) => v === undefined || Number.isSafeInteger(v);
  if (!Array.isArray(p.nodes) || p.nodes.length === 0) return false;
  if (!optNumber(p.startTime) || !optNumber(p.endTime)) return false;
  if (!(p.samples === undefined || Array.isArray(p.samples) || p.samples instanceof Float64Array))
    return false;
  if (!(p.timeDeltas === undefined || Array.isArray(p.timeDeltas))) return false;
  for (const node of p.nodes as unknown[]) {
    if (typeof node !== 'object' || node === null) return false;
    const n = node as Record<string, unknown>;
    if (!Number.isSafeInteger(n.id) || !optInt(n.parent)) return false;
    if (!(n.hitCount === undefined || (typeof n.hitCount === 'number' && n.hitCount >= 0))) return false;
    const cf = n.callFrame as Record<string, unknown> | null;
    if (typeof cf !== 'object' || cf === null || typeof cf.functionName !== 'string') return false;
    if (!(cf.url === undefined || typeof cf.url === 'string')) return false;
    if (!(cf.scriptId === undefined || typeof cf.scriptId === 'string' || typeof cf.scriptId === 'number'))
      return false;
    if (!optInt(cf.lineNumber) || !optInt(cf.columnNumber)) return false;
    if (n.children !== undefined) {
      if (!Array.isArray(n.children)) return false;
      for (const c of n.children) if (!Number.isSafeInteger(c)) return false;
    }
    if (n.positionTicks !== undefined) {
      if (!Array.isArray(n.positionTicks)) return false;
      for (const t of n.positionTicks as Record<string, unknown>[]) {
        if (typeof t !== 'object' || t === null || !Number.isSafeInteger(t.line)) return false;
        if (!(typeof t.ticks === 'number' && t.ticks >= 0)) return false;
      }
    }
  }
  return true;
}

const traceEventSchema = z.object({
  name: z.string().optional(),
  ph: z.string().optional(),
  pid: z.union([z.number(), z.string()]).optional(),
  tid: z.union([z.number(), z.string()]).optional(),
  id: z.union([z.string(), z.number()]).optional(),
  args: z.record(z.string(), z.unknown()).optional(),
});

const traceSchema = z.union([
  z.array(traceEventSchema),
  z.object({ traceEvents: z.array(traceEventSchema) }).transform((t) => t.traceEvents),
]);

const chunkDataSchema = z.object({
  cpuProfile: z
    .object({
      nodes: z.array(nodeSchema).optional(),
      samples: largeArray.optional(),
    })
    .optional(),
  timeDeltas: z.array(z.number()).optional(),
});

/**
 * True when the head looks like a V8 `.cpuprofile` (a JSON object with `nodes` whose
 * entries have a `callFrame`) or a Chrome trace-event file (`traceEvents`, or an array of
 * events with `ph`).
 */
export function isCpuprofile(head: ProfileHead): boolean {
  const t = head.text.replace(/^\uFEFF?\s*/, '');
  if (t.startsWith('{')) {
    if (/"nodes"\s*:\s*\[/.test(t) && /"callFrame"\s*:/.test(t)) return true;
    return /^\{\s*"traceEvents"\s*:/.test(t) || (/"traceEvents"\s*:/.test(t) && /"ph"\s*:/.test(t));
  }
  return /^\[\s*\{/.test(t) && /"ph"\s*:/.test(t) && /"(ts|pid)"\s*:/.test(t);
}

/** How {@link importFromCpuprofile} reads the file (tests choose; the defaults are the fast ones). */
export interface CpuprofileReadOptions {
  /**
   * Read with the streaming byte reader ({@link readCpuprofileStream}) first (default true).
   * False reads the general way only: `JSON.parse` (or {@link readCpuprofileBytes}) and the schema.
   */
  readonly stream?: boolean;
  /**
   * In the general way, files at least this large (bytes) are read by {@link readCpuprofileBytes}
   * instead of one `JSON.parse`; default {@link BYTE_READER_THRESHOLD}.
   */
  readonly byteReaderThreshold?: number;
}

/**
 * Imports a V8 `.cpuprofile` (or a Chrome DevTools trace with CPU profile chunks).
 * Spec: https://chromedevtools.github.io/devtools-protocol/tot/Profiler/#type-Profile
 * Weight unit: samples (1 per sample; `hitCount` when the file has no `samples` array).
 * Frames: 1-based lines/columns (from V8's 0-based ones); stacks root first without `(root)`;
 * line costs from `positionTicks` (1-based lines); meta: `durationMicroseconds` and
 * `samplingIntervalMicroseconds` when the file has samples, `startTime` and `endTime`.
 *
 * A profile object is read by the streaming byte reader ({@link readCpuprofileStream}: chunk by
 * chunk, any size, memory bounded by the call tree); a file it does not take (a trace, a
 * duplicate key, or anything invalid) is read the general way, as `JSON.parse` of the text (or
 * {@link readCpuprofileBytes} past {@link BYTE_READER_THRESHOLD}) validated by the schema,
 * which gives the same profile for the same valid file and names the first problem of an invalid one.
 * @throws ImportError for empty or invalid JSON (with its byte offset), a structure that does
 *   not match the spec (first zod issue with its JSON path), a sample naming an unknown node,
 *   a node with two parents, a cycle in the node tree, a trace without CPU profile events, or
 *   counts or position ticks whose sum overflows to Infinity
 * @throws ImportCancelledError when `options.signal` fires
 */
export async function importFromCpuprofile(
  input: ProfileInput,
  options: ImportOptions = {},
  read: CpuprofileReadOptions = {},
): Promise<Profile> {
  const builder = new ProfileBuilder({ format: 'cpuprofile', source: input.name, unit: 'samples' });
  const streamed = read.stream === false ? undefined : await readCpuprofileStream(input, options);
  throwIfCancelled(input, options);
  if (streamed) {
    const { nodes, samples, startTime, endTime } = streamed;
    addCpuProfile(builder, nodes, samples, undefined, input.name);
    if (samples) setTiming(builder, samples.length, startTime, endTime);
    return finishProfile(builder, input, options);
  }
  const bytes = await readAll(input, options);
  // Past the size where the file no longer fits one JavaScript string, read its structure
  // from the bytes (nodes one by one, sample arrays as numbers); below it JSON.parse is faster.
  const json =
    bytes.byteLength >= (read.byteReaderThreshold ?? BYTE_READER_THRESHOLD)
      ? readCpuprofileBytes(bytes, FORMAT, input.name)
      : parseJsonText(utf8Text(bytes), FORMAT, input.name);
  throwIfCancelled(input, options);
  if (Array.isArray(json) || (typeof json === 'object' && json !== null && 'traceEvents' in json)) {
    importTrace(builder, json, input.name);
  } else {
    const p = matchesCpuProfileSchema(json)
      ? (json as z.infer<typeof cpuProfileSchema>)
      : validateJson(cpuProfileSchema, json, FORMAT, input.name);
    const samples = p.samples ? { ids: p.samples, length: p.samples.length } : undefined;
    addCpuProfile(builder, nodesFromObjects(p.nodes), samples, undefined, input.name);
    if (samples) setTiming(builder, samples.length, p.startTime, p.endTime);
  }
  return finishProfile(builder, input, options);
}

/** Meta of a profile with samples: its duration and mean sampling interval (microseconds). */
function setTiming(
  builder: ProfileBuilder,
  sampleCount: number,
  startTime: number | undefined,
  endTime: number | undefined,
): void {
  if (sampleCount > 0 && startTime !== undefined && endTime !== undefined) {
    const duration = endTime - startTime;
    builder.setMeta('durationMicroseconds', duration);
    builder.setMeta('samplingIntervalMicroseconds', Math.round((duration / sampleCount) * 100) / 100);
  }
}

/** Builds the profile, rejecting sums that overflowed. */
function finishProfile(builder: ProfileBuilder, input: ProfileInput, options: ImportOptions): Profile {
  throwIfCancelled(input, options);
  const profile = builder.build();
  // Counts and ticks are finite one by one; their sums can still overflow (1e308 + 1e308).
  const overflow =
    !Number.isFinite(profile.total) || profile.lineCosts.some((c) => !Number.isFinite(c.weight));
  if (overflow)
    throw new ImportError(FORMAT, input.name, 'hit counts or position ticks add up to more than 1.8e308');
  return profile;
}

/** The importer for V8 `.cpuprofile` files (see {@link importFromCpuprofile}). */
export const cpuprofileImporter: ProfileImporter = {
  id: 'cpuprofile',
  label: FORMAT,
  extensions: ['.cpuprofile'],
  detect: isCpuprofile,
  import: importFromCpuprofile,
};

/**
 * The samples of one profile: the node ids as read (checked here), or already counted per
 * node position by the byte reader (which checked every id with `index`).
 */
type Samples =
  | { readonly ids: ArrayLike<unknown>; readonly length: number }
  | { readonly counts: Float64Array; readonly length: number; readonly index: NodeIndex };

/**
 * Adds one V8 profile (node tree + samples) to the builder. Sample counts are summed
 * per node first, so memory does not grow with the number of samples, and each sampled
 * node's stack is found by walking parent links (bounded by the node count: a cycle is an error).
 * @param samples undefined: each node's `hitCount` is its weight
 */
function addCpuProfile(
  builder: ProfileBuilder,
  nodes: CpuprofileNodes,
  samples: Samples | undefined,
  thread: string | undefined,
  file: string,
): void {
  const n = nodes.count;
  const { id: ids, childStart, childIds, strings } = nodes;
  let index: NodeIndex;
  if (samples && 'index' in samples) index = samples.index;
  else {
    const found = indexNodeIds(ids, n);
    if ('duplicateAt' in found)
      throw new ImportError(
        FORMAT,
        file,
        `node id ${ids[found.duplicateAt]} appears twice (nodes[${found.duplicateAt}])`,
      );
    index = found;
  }
  const indexOf = index.find;
  const parent = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    for (let k = childStart[i]; k < childStart[i + 1]; k++) {
      const childId = childIds[k];
      const c = indexOf(childId);
      if (c < 0)
        throw new ImportError(FORMAT, file, `nodes[${i}] (id ${ids[i]}) has unknown child id ${childId}`);
      if (parent[c] !== -1 && parent[c] !== i)
        throw new ImportError(
          FORMAT,
          file,
          `node id ${childId} has two parents (ids ${ids[parent[c]]} and ${ids[i]})`,
        );
      parent[c] = i;
    }
  }
  for (let i = 0; i < n; i++) {
    const p = nodes.parent[i];
    if (Number.isNaN(p) || parent[i] !== -1) continue;
    const pi = indexOf(p);
    if (pi < 0) throw new ImportError(FORMAT, file, `nodes[${i}] (id ${ids[i]}) has unknown parent id ${p}`);
    parent[i] = pi;
  }

  let counts: Float64Array;
  let sampleCount = 0;
  if (samples && 'counts' in samples) {
    counts = samples.counts;
    sampleCount = samples.length;
  } else if (samples) {
    counts = new Float64Array(n);
    const sampleIds = samples.ids;
    for (let s = 0; s < sampleIds.length; s++) {
      const id = sampleIds[s];
      const i = typeof id === 'number' ? indexOf(id) : -1;
      if (i < 0)
        throw new ImportError(
          FORMAT,
          file,
          `samples[${s}] refers to node id ${JSON.stringify(id)}, which is not in nodes`,
        );
      counts[i]++;
    }
    sampleCount = sampleIds.length;
  } else {
    counts = nodes.hitCount.slice();
    for (let i = 0; i < n; i++) sampleCount += counts[i];
  }

  // Frame of every node, first. Nodes share call frames; a hash of (name, url, line, column)
  // finds them without building a string key per node.
  const frameOf = new Int32Array(n).fill(-1);
  const frames = new FrameKeys(n);
  for (let i = 0; i < n; i++) {
    const name = nodes.functionName[i];
    const url = nodes.url[i];
    if (strings[name] === '(root)' && strings[url] === '') continue; // (root), without a url
    const ln = nodes.lineNumber[i];
    const cn = nodes.columnNumber[i];
    const line = ln >= 0 ? ln + 1 : 0;
    const col = cn >= 0 ? cn + 1 : 0;
    let id = frames.get(name, url, line, col);
    if (id < 0) {
      const functionName = strings[name];
      id = builder.frameId({
        name: functionName === '' ? '(anonymous)' : functionName,
        file: strings[url] || undefined,
        line: line || undefined,
        column: col || undefined,
      });
      frames.set(name, url, line, col, id);
    }
    frameOf[i] = id;
  }
  // Children lists by position (compressed: children of p are children[offsets[p] .. offsets[p + 1]]).
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) if (parent[i] >= 0) offsets[parent[i] + 1]++;
  for (let i = 0; i < n; i++) offsets[i + 1] += offsets[i];
  const children = new Int32Array(n);
  const next = offsets.slice(0, n);
  for (let i = 0; i < n; i++) if (parent[i] >= 0) children[next[parent[i]]++] = i;

  // Each node's stack is a node of a trie keyed by (caller's stack, frame). Visiting the tree
  // from its roots (iteratively: parents before children) numbers the unique stacks with
  // numeric keys; the builder then sees each unique stack once, not once per node.
  // (at most one trie node per tree node, plus the empty stack 0)
  const trieOf = new Int32Array(n).fill(-1);
  const trieParent = new Int32Array(n + 1);
  const trieFrame = new Int32Array(n + 1);
  const trieWeight = new Float64Array(n + 1);
  let trieSize = 1;
  trieParent[0] = -1;
  trieFrame[0] = -1;
  const trieIndex = new PairIndex(n);
  const todo: number[] = [];
  for (let i = 0; i < n; i++) if (parent[i] === -1) todo.push(i);
  while (todo.length > 0) {
    const i = todo.pop()!;
    const up = parent[i] === -1 ? 0 : trieOf[parent[i]];
    let t = up;
    const f = frameOf[i];
    if (f >= 0) {
      t = trieIndex.get(up, f, trieSize);
      if (t === trieSize) {
        trieParent[t] = up;
        trieFrame[t] = f;
        trieSize++;
      }
    }
    trieOf[i] = t;
    trieWeight[t] += counts[i];
    for (let k = offsets[i]; k < offsets[i + 1]; k++) todo.push(children[k]);
  }
  for (let i = 0; i < n; i++)
    if (trieOf[i] === -1 && counts[i] > 0)
      throw new ImportError(FORMAT, file, `the node tree has a cycle through node id ${ids[i]}`);

  // Each trie node is a distinct stack of this thread (the trie merged equal paths), so the
  // builder needs no key per stack to find duplicates: each is written root first into one buffer.
  let stack = new Int32Array(256);
  for (let t = 1; t < trieSize; t++) {
    if (trieWeight[t] <= 0) continue;
    let depth = 0;
    for (let u = t; u > 0; u = trieParent[u]) depth++;
    if (stack.length < depth) stack = new Int32Array(depth * 2);
    for (let u = t, k = depth - 1; u > 0; u = trieParent[u], k--) stack[k] = trieFrame[u];
    builder.appendDistinctFrames(stack, depth, trieWeight[t], thread, 0);
  }
  // Line costs: V8's own per-line ticks, on every node that has them (V8 counts them with
  // `hitCount`, which can differ by a few from the node's entries in `samples`).
  const { tickStart, tickLine, tickCount } = nodes;
  for (let i = 0; i < n; i++) {
    const url = strings[nodes.url[i]];
    if (!url || tickStart[i] === tickStart[i + 1]) continue;
    const functionName = strings[nodes.functionName[i]];
    const name = functionName === '' ? '(anonymous)' : functionName;
    for (let k = tickStart[i]; k < tickStart[i + 1]; k++)
      builder.addLineCost(url, tickLine[k], tickCount[k], name);
  }
  // Sample counts were added per node with sampleCount 0; record the real count once.
  builder.appendSample([], 0, thread, sampleCount);
}

/** Imports the CPU profiles of a Chrome trace (Profile / ProfileChunk events). */
function importTrace(builder: ProfileBuilder, json: unknown, file: string): void {
  const events = validateJson(traceSchema, json, FORMAT, file);
  const threadNames = new Map<string, string>();
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'thread_name' && typeof e.args?.name === 'string')
      threadNames.set(`${e.pid}:${e.tid}`, e.args.name);
  }
  const profiles = new Map<string, { thread: string; nodes: CpuProfileNode[]; samples: unknown[] }>();
  for (const e of events) {
    if (e.name !== 'Profile' && e.name !== 'ProfileChunk') continue;
    const key = `${e.pid}:${e.id}`;
    let p = profiles.get(key);
    if (!p) {
      const tname = threadNames.get(`${e.pid}:${e.tid}`) ?? `pid ${e.pid} tid ${e.tid}`;
      p = { thread: tname, nodes: [], samples: [] };
      profiles.set(key, p);
    }
    if (e.name !== 'ProfileChunk') continue;
    const data = validateJson(chunkDataSchema, e.args?.data ?? {}, FORMAT, file);
    if (data.cpuProfile?.nodes) for (const node of data.cpuProfile.nodes) p.nodes.push(node);
    const chunk = data.cpuProfile?.samples;
    if (chunk) for (let k = 0; k < chunk.length; k++) p.samples.push(chunk[k]);
  }
  const withNodes = [...profiles.values()].filter((p) => p.nodes.length > 0);
  if (withNodes.length === 0)
    throw new ImportError(
      FORMAT,
      file,
      'this Chrome trace has no CPU profile (no ProfileChunk events); record with the JavaScript samples category, or save a .cpuprofile',
    );
  const used = new Map<string, number>();
  for (const p of withNodes) {
    const seen = used.get(p.thread) ?? 0;
    used.set(p.thread, seen + 1);
    const thread = seen === 0 ? p.thread : `${p.thread} #${seen + 1}`;
    addCpuProfile(
      builder,
      nodesFromObjects(p.nodes),
      { ids: p.samples, length: p.samples.length },
      thread,
      file,
    );
  }
}

/**
 * A hash index of (caller stack, frame) pairs of non-negative 32-bit integers, with open
 * addressing in typed arrays: no allocation per lookup (a Map with the combined number as
 * key allocates a heap number once the key passes 2^30).
 */
class PairIndex {
  private keysA: Int32Array;
  private keysB: Int32Array;
  private values: Int32Array;
  private size = 0;

  constructor(expected: number) {
    let cap = 1024;
    while (cap < expected * 2) cap *= 2;
    this.keysA = new Int32Array(cap).fill(-1);
    this.keysB = new Int32Array(cap);
    this.values = new Int32Array(cap);
  }

  /** The value stored for (a, b); when there is none, stores `fresh` and returns it. */
  get(a: number, b: number, fresh: number): number {
    if (this.size * 2 >= this.keysA.length) this.grow();
    const mask = this.keysA.length - 1;
    let h = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) & mask;
    for (;;) {
      const k = this.keysA[h];
      if (k === -1) {
        this.keysA[h] = a;
        this.keysB[h] = b;
        this.values[h] = fresh;
        this.size++;
        return fresh;
      }
      if (k === a && this.keysB[h] === b) return this.values[h];
      h = (h + 1) & mask;
    }
  }

  private grow(): void {
    const { keysA, keysB, values } = this;
    this.keysA = new Int32Array(keysA.length * 2).fill(-1);
    this.keysB = new Int32Array(keysA.length * 2);
    this.values = new Int32Array(keysA.length * 2);
    this.size = 0;
    for (let i = 0; i < keysA.length; i++) if (keysA[i] !== -1) this.get(keysA[i], keysB[i], values[i]);
  }
}

/**
 * A hash index of call frames by (function name, url) string indices and (line, column),
 * with open addressing in typed arrays: no string key and no allocation per node.
 */
class FrameKeys {
  private names: Int32Array;
  private urls: Int32Array;
  private lines: Float64Array;
  private columns: Float64Array;
  private ids: Int32Array;
  private size = 0;

  constructor(expected: number) {
    let cap = 1024;
    while (cap < expected * 2) cap *= 2;
    this.names = new Int32Array(cap).fill(-1);
    this.urls = new Int32Array(cap);
    this.lines = new Float64Array(cap);
    this.columns = new Float64Array(cap);
    this.ids = new Int32Array(cap);
  }

  private slot(name: number, url: number, line: number, column: number): number {
    const mask = this.names.length - 1;
    let h =
      (Math.imul(name, 0x9e3779b1) ^
        Math.imul(url, 0x85ebca6b) ^
        Math.imul(line | 0, 0xc2b2ae35) ^
        (column | 0)) &
      mask;
    for (;;) {
      const k = this.names[h];
      if (
        k === -1 ||
        (k === name && this.urls[h] === url && this.lines[h] === line && this.columns[h] === column)
      )
        return h;
      h = (h + 1) & mask;
    }
  }

  /** The frame id stored for the key, or −1. */
  get(name: number, url: number, line: number, column: number): number {
    const h = this.slot(name, url, line, column);
    return this.names[h] === -1 ? -1 : this.ids[h];
  }

  /** Stores the frame id of a key that {@link get} did not find. */
  set(name: number, url: number, line: number, column: number, id: number): void {
    if ((this.size + 1) * 2 >= this.names.length) this.grow();
    const h = this.slot(name, url, line, column);
    this.names[h] = name;
    this.urls[h] = url;
    this.lines[h] = line;
    this.columns[h] = column;
    this.ids[h] = id;
    this.size++;
  }

  private grow(): void {
    const { names, urls, lines, columns, ids } = this;
    const cap = names.length * 2;
    this.names = new Int32Array(cap).fill(-1);
    this.urls = new Int32Array(cap);
    this.lines = new Float64Array(cap);
    this.columns = new Float64Array(cap);
    this.ids = new Int32Array(cap);
    this.size = 0;
    for (let h = 0; h < names.length; h++)
      if (names[h] !== -1) this.set(names[h], urls[h], lines[h], columns[h], ids[h]);
  }
}
