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
import { ImportError } from './import-error';
import { readAllText, throwIfCancelled } from './input';
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
const largeArray = z.custom<unknown[]>((v) => Array.isArray(v), { message: 'expected an array' });

const cpuProfileSchema = z.object({
  nodes: z.array(nodeSchema).min(1),
  startTime: z.number().optional(),
  endTime: z.number().optional(),
  samples: largeArray.optional(),
  timeDeltas: largeArray.optional(),
});

type CpuProfileNode = z.infer<typeof nodeSchema>;

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

/**
 * Imports a V8 `.cpuprofile` (or a Chrome DevTools trace with CPU profile chunks).
 * Weight unit: samples (1 per sample; `hitCount` when the file has no `samples` array).
 * Frames: 1-based lines/columns; stacks root first without `(root)`.
 * @throws ImportError for empty or invalid JSON, a structure that does not match the spec
 *   (first zod issue with its JSON path), a sample naming an unknown node, a node with two
 *   parents, a cycle in the node tree, or a trace without CPU profile events
 * @throws ImportCancelledError when `options.signal` fires
 */
export async function importFromCpuprofile(
  input: ProfileInput,
  options: ImportOptions = {},
): Promise<Profile> {
  const text = await readAllText(input, options);
  const json = parseJsonText(text, FORMAT, input.name);
  throwIfCancelled(input, options);
  const builder = new ProfileBuilder({ format: 'cpuprofile', source: input.name, unit: 'samples' });
  if (Array.isArray(json) || (typeof json === 'object' && json !== null && 'traceEvents' in json)) {
    importTrace(builder, json, input.name);
  } else {
    const p = validateJson(cpuProfileSchema, json, FORMAT, input.name);
    addCpuProfile(builder, p.nodes, p.samples, undefined, input.name);
    if (p.samples && p.samples.length > 0 && p.startTime !== undefined && p.endTime !== undefined) {
      const duration = p.endTime - p.startTime;
      builder.setMeta('durationMicroseconds', duration);
      builder.setMeta('samplingIntervalMicroseconds', Math.round((duration / p.samples.length) * 100) / 100);
    }
  }
  throwIfCancelled(input, options);
  return builder.build();
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
 * Adds one V8 profile (node tree + sample ids) to the builder. Sample counts are summed
 * per node first, so memory does not grow with the number of samples, and each sampled
 * node's stack is found by walking parent links (bounded by the node count: a cycle is an error).
 */
function addCpuProfile(
  builder: ProfileBuilder,
  nodes: readonly CpuProfileNode[],
  samples: readonly unknown[] | undefined,
  thread: string | undefined,
  file: string,
): void {
  const n = nodes.length;
  const indexOfId = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    if (indexOfId.has(nodes[i].id))
      throw new ImportError(FORMAT, file, `node id ${nodes[i].id} appears twice (nodes[${i}])`);
    indexOfId.set(nodes[i].id, i);
  }
  const parent = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const node = nodes[i];
    if (node.children) {
      for (const childId of node.children) {
        const c = indexOfId.get(childId);
        if (c === undefined)
          throw new ImportError(FORMAT, file, `nodes[${i}] (id ${node.id}) has unknown child id ${childId}`);
        if (parent[c] !== -1 && parent[c] !== i)
          throw new ImportError(
            FORMAT,
            file,
            `node id ${childId} has two parents (ids ${nodes[parent[c]].id} and ${node.id})`,
          );
        parent[c] = i;
      }
    }
  }
  for (let i = 0; i < n; i++) {
    const p = nodes[i].parent;
    if (p === undefined || parent[i] !== -1) continue;
    const pi = indexOfId.get(p);
    if (pi === undefined)
      throw new ImportError(FORMAT, file, `nodes[${i}] (id ${nodes[i].id}) has unknown parent id ${p}`);
    parent[i] = pi;
  }

  const counts = new Float64Array(n);
  let sampleCount = 0;
  if (samples) {
    // Node ids are usually small integers (1..n): a dense table avoids a Map lookup per sample.
    let maxId = 0;
    for (let i = 0; i < n; i++) if (nodes[i].id > maxId) maxId = nodes[i].id;
    const dense = maxId >= 0 && maxId <= 4 * n + 1024 ? new Int32Array(maxId + 1).fill(-1) : undefined;
    if (dense) for (let i = 0; i < n; i++) if (nodes[i].id >= 0) dense[nodes[i].id] = i;
    for (let s = 0; s < samples.length; s++) {
      const id = samples[s];
      const i =
        typeof id !== 'number'
          ? undefined
          : dense
            ? id >= 0 && id <= maxId && Number.isInteger(id) && dense[id] >= 0
              ? dense[id]
              : undefined
            : indexOfId.get(id);
      if (i === undefined)
        throw new ImportError(
          FORMAT,
          file,
          `samples[${s}] refers to node id ${JSON.stringify(id)}, which is not in nodes`,
        );
      counts[i]++;
    }
    sampleCount = samples.length;
  } else {
    for (let i = 0; i < n; i++) {
      counts[i] = nodes[i].hitCount ?? 0;
      sampleCount += counts[i];
    }
  }

  const frameOf = new Int32Array(n).fill(-1);
  const frame = (i: number): number => {
    if (frameOf[i] === -1) {
      const cf = nodes[i].callFrame;
      const line = cf.lineNumber;
      const col = cf.columnNumber;
      frameOf[i] = builder.frameId({
        name: cf.functionName === '' ? '(anonymous)' : cf.functionName,
        file: cf.url || undefined,
        line: line !== undefined && line >= 0 ? line + 1 : undefined,
        column: col !== undefined && col >= 0 ? col + 1 : undefined,
      });
    }
    return frameOf[i];
  };
  const isRoot = (i: number) => nodes[i].callFrame.functionName === '(root)' && !nodes[i].callFrame.url;

  const stack: number[] = [];
  for (let i = 0; i < n; i++) {
    if (counts[i] <= 0) continue;
    stack.length = 0;
    let steps = 0;
    for (let j = i; j !== -1; j = parent[j]) {
      if (++steps > n)
        throw new ImportError(FORMAT, file, `the node tree has a cycle through node id ${nodes[i].id}`);
      if (!isRoot(j)) stack.push(frame(j));
    }
    stack.reverse();
    builder.appendSample(stack, counts[i], thread, 0);
  }
  // Line costs: V8's own per-line ticks, on every node that has them (V8 counts them with
  // `hitCount`, which can differ by a few from the node's entries in `samples`).
  for (let i = 0; i < n; i++) {
    const cf = nodes[i].callFrame;
    const ticks = nodes[i].positionTicks;
    if (!cf.url || !ticks) continue;
    const name = cf.functionName === '' ? '(anonymous)' : cf.functionName;
    for (const t of ticks) builder.addLineCost(cf.url, t.line, t.ticks, name);
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
    if (data.cpuProfile?.samples) for (const s of data.cpuProfile.samples) p.samples.push(s);
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
    addCpuProfile(builder, p.nodes, p.samples, seen === 0 ? p.thread : `${p.thread} #${seen + 1}`, file);
  }
}
