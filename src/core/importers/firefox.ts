/**
 * Firefox Profiler importer: the processed format (what profiler.firefox.com saves, and what
 * samply writes) and the raw gecko format (what Firefox itself emits), plain or gzipped.
 *
 * Specs:
 * - processed: https://github.com/firefox-devtools/profiler/blob/main/docs-developer/processed-profile-format.md
 *   (column-oriented tables per thread: `samples.stack`/`weight`, `stackTable.prefix`/`frame`,
 *   `frameTable.func`/`line`/`column`/`inlineDepth`, `funcTable.name`/`fileName`/`lineNumber`/`resource`,
 *   `resourceTable.name`; strings in `shared.stringArray` or per thread `stringArray`/`stringTable`);
 * - gecko: https://github.com/firefox-devtools/profiler/blob/main/docs-developer/gecko-profile-format.md
 *   (row-oriented tables `{ schema, data }`, frame `location` strings such as
 *   `fn (https://site/app.js:12:5)` or `fn (file:///app.js:12:5)[15]` (a source id appended),
 *   `stringTable`, sub-process profiles in `processes`).
 *
 * - Stacks are prefix links (a stack's `prefix` is its caller's stack), so they come out root first.
 * - Weight: 1 per sample, or the `weight` column; `weightType` `samples` → samples,
 *   `tracing-ms` → nanoseconds, `bytes` → bytes. Threads whose weight type differs from the first
 *   thread's are skipped (named in meta `skippedThreads`).
 * - Lines and columns are used as written (1-based in both formats).
 * - One model thread per profile thread, named `name` (with the pid/tid added when names repeat).
 */
import { z } from 'zod';
import type { Frame, WeightUnit } from '../profile/model';
import { type Profile, ProfileBuilder } from '../profile/model';
import { parseDhatFrame } from './dhat';
import { ImportError } from './import-error';
import { gunzipBounded, isGzip, readAll, throwIfCancelled } from './input';
import { parseJsonText, validateJson } from './json-validation';
import { gunzipHead } from './pprof';
import type { ImportOptions, ProfileHead, ProfileImporter, ProfileInput } from './types';

const FORMAT = 'Firefox Profiler';

const index = z.number().int().nonnegative();
const optIndex = z.number().int().nullable();
const idLike = z.union([z.number(), z.string()]).optional();

const processedThreadSchema = z.object({
  name: z.string().optional(),
  processName: z.string().optional(),
  pid: idLike,
  tid: idLike,
  samples: z.object({
    stack: z.array(optIndex),
    weight: z.array(z.number().nonnegative().nullable()).nullable().optional(),
    weightType: z.string().optional(),
  }),
  stackTable: z.object({ frame: z.array(index), prefix: z.array(optIndex) }).optional(),
  frameTable: z
    .object({
      func: z.array(index),
      line: z.array(z.number().nullable()).optional(),
      column: z.array(z.number().nullable()).optional(),
      inlineDepth: z.array(z.number().nullable()).optional(),
    })
    .optional(),
  funcTable: z
    .object({
      name: z.array(index),
      fileName: z.array(optIndex).optional(),
      lineNumber: z.array(z.number().nullable()).optional(),
      columnNumber: z.array(z.number().nullable()).optional(),
      resource: z.array(z.number().int().nullable()).optional(),
    })
    .optional(),
  resourceTable: z.object({ name: z.array(optIndex) }).optional(),
  stringArray: z.array(z.string()).optional(),
  stringTable: z.array(z.string()).optional(),
});

const processedSchema = z.object({
  meta: z.object({}).passthrough(),
  shared: z
    .object({
      stringArray: z.array(z.string()).optional(),
      stackTable: processedThreadSchema.shape.stackTable,
      frameTable: processedThreadSchema.shape.frameTable,
      funcTable: processedThreadSchema.shape.funcTable,
      resourceTable: processedThreadSchema.shape.resourceTable,
    })
    .optional(),
  threads: z.array(processedThreadSchema),
});

const geckoTable = z.object({
  schema: z.record(z.string(), z.number().int().nonnegative()),
  data: z.array(z.array(z.unknown())),
});

const geckoThreadSchema = z.object({
  name: z.string().optional(),
  processType: z.string().optional(),
  pid: idLike,
  tid: idLike,
  samples: geckoTable,
  stackTable: geckoTable,
  frameTable: geckoTable,
  stringTable: z.array(z.string()),
});

interface GeckoProfile {
  meta: Record<string, unknown>;
  threads: z.infer<typeof geckoThreadSchema>[];
  processes?: GeckoProfile[];
}

const geckoSchema: z.ZodType<GeckoProfile> = z.lazy(() =>
  z.object({
    meta: z.record(z.string(), z.unknown()),
    threads: z.array(geckoThreadSchema),
    processes: z.array(geckoSchema).optional(),
  }),
);

/** A thread reduced to what the importer needs, common to both formats. */
interface ThreadView {
  readonly name: string;
  readonly sampleCount: number;
  /** Stack index of sample i, or -1 for none. */
  sampleStack(i: number): number;
  /** Weight of sample i (1 when the file has no weights). */
  sampleWeight(i: number): number;
  readonly weightType: string;
  readonly stackCount: number;
  /** Caller stack index, or -1 at the root. */
  stackPrefix(s: number): number;
  stackFrame(s: number): number;
  readonly frameCount: number;
  frame(f: number): Frame;
}

/**
 * True when the head (gunzipped first when it is gzip) is a JSON object with `meta` and
 * `threads`, and either a `stackTable`/`frameTable` or a `shared`/`libs` section — the shape
 * common to gecko and processed profiles.
 */
export function isFirefox(head: ProfileHead): boolean {
  let text = head.text;
  if (isGzip(head.bytes)) {
    const raw = gunzipHead(head.bytes);
    if (!raw) return false;
    text = new TextDecoder().decode(raw);
  }
  const t = text.replace(/^\uFEFF?\s*/, '');
  if (!t.startsWith('{') || !/"meta"\s*:\s*\{/.test(t)) return false;
  if (/"threads"\s*:\s*\[/.test(t) && /"(stackTable|frameTable|samples)"\s*:/.test(t)) return true;
  // meta first with libs or a processed version: the thread tables may lie beyond the head
  return /"(preprocessedProfileVersion|startTime)"\s*:/.test(t) && /"(libs|interval)"\s*:/.test(t);
}

/**
 * Imports a Firefox Profiler profile (processed or gecko format, plain or gzipped).
 * Unit: samples, nanoseconds (`tracing-ms` weights) or bytes; one model thread per thread.
 * @throws ImportError for an empty file, a broken gzip stream, invalid JSON, a structure that
 *   matches neither format (first zod issue with its JSON path), an index outside its table,
 *   or a cycle in the stack table's prefix links
 * @throws ImportCancelledError when `options.signal` fires
 */
export async function importFromFirefox(input: ProfileInput, options: ImportOptions = {}): Promise<Profile> {
  const file = input.name;
  let bytes = await readAll(input, options);
  if (isGzip(bytes)) {
    try {
      bytes = gunzipBounded(bytes);
    } catch (e) {
      throw new ImportError(FORMAT, file, (e as Error).message);
    }
  }
  const json = parseJsonText(new TextDecoder().decode(bytes), FORMAT, file);
  throwIfCancelled(input, options);
  const threads = isGeckoJson(json) ? geckoThreads(json, file) : processedThreads(json, file);
  if (threads.length === 0) throw new ImportError(FORMAT, file, 'the profile has no threads');

  const firstType = threads.find((t) => t.sampleCount > 0)?.weightType ?? 'samples';
  const { unit, scale } = weightUnit(firstType);
  const builder = new ProfileBuilder({ format: 'firefox', source: file, unit });
  const meta = (json as { meta?: Record<string, unknown> }).meta ?? {};
  for (const key of ['product', 'oscpu', 'interval', 'version', 'preprocessedProfileVersion'] as const) {
    const v = meta[key];
    if (typeof v === 'string' || typeof v === 'number') builder.setMeta(key, v);
  }
  const names = new Map<string, number>();
  for (const t of threads) names.set(t.name, (names.get(t.name) ?? 0) + 1);
  const skipped: string[] = [];
  const used = new Set<string>();
  for (const t of threads) {
    throwIfCancelled(input, options);
    if (t.sampleCount === 0) continue;
    if (t.weightType !== firstType) {
      skipped.push(`${t.name} (${t.weightType})`);
      continue;
    }
    let name = t.name;
    for (let k = 2; used.has(name); k++) name = `${t.name} #${k}`;
    used.add(name);
    addThread(builder, t, name, scale, file);
  }
  if (skipped.length > 0) builder.setMeta('skippedThreads', skipped.join(', '));
  return builder.build();
}

/** The importer for Firefox Profiler / samply profiles (see {@link importFromFirefox}). */
export const firefoxImporter: ProfileImporter = {
  id: 'firefox',
  label: FORMAT,
  extensions: ['.json.gz', '.profile.json', '.gecko.json'],
  detect: isFirefox,
  import: importFromFirefox,
};

function weightUnit(weightType: string): { unit: WeightUnit; scale: number } {
  if (weightType === 'tracing-ms') return { unit: 'nanoseconds', scale: 1e6 };
  if (weightType === 'bytes') return { unit: 'bytes', scale: 1 };
  return { unit: 'samples', scale: 1 };
}

/** Sums weights per stack index, then walks each used stack's prefix chain once. */
function addThread(
  builder: ProfileBuilder,
  t: ThreadView,
  thread: string,
  scale: number,
  file: string,
): void {
  const perStack = new Map<number, number>();
  for (let i = 0; i < t.sampleCount; i++) {
    const s = t.sampleStack(i);
    const w = t.sampleWeight(i);
    if (!Number.isFinite(w) || w < 0)
      throw new ImportError(FORMAT, file, `thread "${t.name}": sample ${i} has weight ${w}`);
    if (s < 0) continue;
    if (s >= t.stackCount)
      throw new ImportError(
        FORMAT,
        file,
        `thread "${t.name}": sample ${i} refers to stack ${s}, beyond the stack table (${t.stackCount})`,
      );
    perStack.set(s, (perStack.get(s) ?? 0) + w);
  }
  const frameIds = new Int32Array(t.frameCount).fill(-1);
  const stack: number[] = [];
  for (const [s, w] of perStack) {
    stack.length = 0;
    let steps = 0;
    for (let k = s; k >= 0; k = t.stackPrefix(k)) {
      if (k >= t.stackCount || ++steps > t.stackCount)
        throw new ImportError(
          FORMAT,
          file,
          k >= t.stackCount
            ? `thread "${t.name}": stack prefix ${k} is beyond the stack table (${t.stackCount})`
            : `thread "${t.name}": the stack table has a cycle through stack ${s}`,
        );
      const f = t.stackFrame(k);
      if (!(f >= 0 && f < t.frameCount))
        throw new ImportError(
          FORMAT,
          file,
          `thread "${t.name}": stack ${k} refers to frame ${f}, beyond the frame table (${t.frameCount})`,
        );
      if (frameIds[f] === -1) frameIds[f] = builder.frameId(t.frame(f));
      stack.push(frameIds[f]);
    }
    stack.reverse();
    builder.appendSample(stack, w * scale, thread, 0);
  }
  builder.appendSample([], 0, thread, t.sampleCount);
}

/**
 * Gecko or processed? The processed format has `meta.preprocessedProfileVersion`; otherwise a
 * thread (top level, or in a sub-process: Firefox may leave the parent's list empty) whose
 * `samples` has a `schema` means gecko.
 */
function isGeckoJson(json: unknown): boolean {
  const root = json as { meta?: { preprocessedProfileVersion?: unknown } };
  if (typeof root?.meta?.preprocessedProfileVersion === 'number') return false;
  const pending: unknown[] = [json];
  for (let visited = 0; pending.length > 0 && visited < 1000; visited++) {
    const p = pending.pop() as { threads?: unknown; processes?: unknown };
    if (Array.isArray(p?.threads))
      for (const t of p.threads) {
        const samples = (t as { samples?: unknown })?.samples;
        if (typeof samples === 'object' && samples !== null) return 'schema' in samples;
      }
    if (Array.isArray(p?.processes)) pending.push(...p.processes);
  }
  return false;
}

function threadLabel(name: string | undefined, pid: unknown, tid: unknown, k: number): string {
  const base = name || `thread ${k + 1}`;
  return pid !== undefined || tid !== undefined ? `${base}\u0000${pid ?? ''}:${tid ?? ''}` : base;
}

/** Replaces the internal `\0pid:tid` suffix: kept only where names repeat. */
function finishNames(views: ThreadView[]): ThreadView[] {
  const counts = new Map<string, number>();
  const base = (n: string) => n.split('\u0000')[0];
  for (const v of views) counts.set(base(v.name), (counts.get(base(v.name)) ?? 0) + 1);
  return views.map((v) => {
    const [b, ids] = v.name.split('\u0000');
    const name =
      (counts.get(b) ?? 0) > 1 && ids ? `${b} (${ids.replace(/^:/, 'tid ').replace(/:$/, '')})` : b;
    return { ...v, name };
  });
}

function processedThreads(json: unknown, file: string): ThreadView[] {
  const p = validateJson(processedSchema, json, FORMAT, file);
  const views = p.threads.map((t, k): ThreadView => {
    const where = `$.threads[${k}]`;
    const strings = p.shared?.stringArray ?? t.stringArray ?? t.stringTable;
    const stackTable = t.stackTable ?? p.shared?.stackTable;
    const frameTable = t.frameTable ?? p.shared?.frameTable;
    const funcTable = t.funcTable ?? p.shared?.funcTable;
    const resourceTable = t.resourceTable ?? p.shared?.resourceTable;
    const missing = !strings
      ? 'stringArray'
      : !stackTable
        ? 'stackTable'
        : !frameTable
          ? 'frameTable'
          : !funcTable
            ? 'funcTable'
            : undefined;
    if (missing && t.samples.stack.length > 0)
      throw new ImportError(FORMAT, file, `${where}: the thread has samples but no ${missing}`);
    const str = (i: number | null | undefined, what: string): string | undefined => {
      if (i === null || i === undefined || i < 0) return undefined;
      if (!strings || i >= strings.length)
        throw new ImportError(
          FORMAT,
          file,
          `${where}: ${what} refers to string ${i}, beyond the string table (${strings?.length ?? 0})`,
        );
      return strings[i];
    };
    const weights = t.samples.weight;
    return {
      name: threadLabel(t.name ?? t.processName, t.pid, t.tid, k),
      sampleCount: t.samples.stack.length,
      sampleStack: (i) => t.samples.stack[i] ?? -1,
      sampleWeight: (i) => (weights ? (weights[i] ?? 1) : 1),
      weightType: t.samples.weightType ?? 'samples',
      stackCount: stackTable ? Math.min(stackTable.frame.length, stackTable.prefix.length) : 0,
      stackPrefix: (s) => stackTable?.prefix[s] ?? -1,
      stackFrame: (s) => stackTable?.frame[s] ?? -1,
      frameCount: frameTable?.func.length ?? 0,
      frame: (f) => {
        const fn = frameTable!.func[f];
        if (fn >= funcTable!.name.length)
          throw new ImportError(
            FORMAT,
            file,
            `${where}: frame ${f} refers to function ${fn}, beyond the function table (${funcTable!.name.length})`,
          );
        const line = frameTable!.line?.[f] ?? funcTable!.lineNumber?.[fn] ?? undefined;
        const column = frameTable!.column?.[f] ?? funcTable!.columnNumber?.[fn] ?? undefined;
        const res = funcTable!.resource?.[fn];
        const module =
          res !== null && res !== undefined && res >= 0
            ? str(resourceTable?.name[res], `resource ${res}`)
            : undefined;
        return {
          name: str(funcTable!.name[fn], `function ${fn} name`) ?? '',
          file: str(funcTable!.fileName?.[fn], `function ${fn} fileName`),
          line: line !== undefined && Number.isInteger(line) ? line : undefined,
          column: column !== undefined && Number.isInteger(column) ? column : undefined,
          module,
          inlined: (frameTable!.inlineDepth?.[f] ?? 0) > 0,
        };
      },
    };
  });
  return finishNames(views);
}

function geckoThreads(json: unknown, file: string): ThreadView[] {
  const root = validateJson(geckoSchema, json, FORMAT, file);
  const views: ThreadView[] = [];
  const visit = (p: GeckoProfile, path: string, depth: number) => {
    if (depth > 16) throw new ImportError(FORMAT, file, `${path}: sub-process profiles nested too deeply`);
    for (const [k, t] of p.threads.entries())
      views.push(geckoThread(t, `${path}.threads[${k}]`, views.length, file));
    for (const [k, sub] of (p.processes ?? []).entries()) visit(sub, `${path}.processes[${k}]`, depth + 1);
  };
  visit(root, '$', 0);
  return finishNames(views);
}

function geckoThread(
  t: z.infer<typeof geckoThreadSchema>,
  where: string,
  k: number,
  file: string,
): ThreadView {
  const col = (table: z.infer<typeof geckoTable>, name: string, required: boolean): number => {
    const c = table.schema[name];
    if (c === undefined && required)
      throw new ImportError(FORMAT, file, `${where}: a table schema has no "${name}" column`);
    return c ?? -1;
  };
  const cell = (row: unknown[] | undefined, c: number): unknown => (c >= 0 && row ? row[c] : undefined);
  const int = (v: unknown): number => (typeof v === 'number' && Number.isInteger(v) ? v : -1);
  const sStack = col(t.samples, 'stack', true);
  const sWeight = col(t.samples, 'weight', false);
  const kPrefix = col(t.stackTable, 'prefix', true);
  const kFrame = col(t.stackTable, 'frame', true);
  const fLocation = col(t.frameTable, 'location', true);
  const fLine = col(t.frameTable, 'line', false);
  const fColumn = col(t.frameTable, 'column', false);
  return {
    name: threadLabel(t.name, t.pid, t.tid, k),
    sampleCount: t.samples.data.length,
    sampleStack: (i) => int(cell(t.samples.data[i], sStack)),
    sampleWeight: (i) => {
      const w = cell(t.samples.data[i], sWeight);
      return w === undefined || w === null ? 1 : typeof w === 'number' ? w : Number.NaN;
    },
    weightType: 'samples',
    stackCount: t.stackTable.data.length,
    stackPrefix: (s) => int(cell(t.stackTable.data[s], kPrefix)),
    stackFrame: (s) => int(cell(t.stackTable.data[s], kFrame)),
    frameCount: t.frameTable.data.length,
    frame: (f) => {
      const row = t.frameTable.data[f];
      const loc = int(cell(row, fLocation));
      if (loc < 0 || loc >= t.stringTable.length)
        throw new ImportError(
          FORMAT,
          file,
          `${where}.frameTable.data[${f}]: location ${loc} is beyond the string table (${t.stringTable.length})`,
        );
      // "fn (url:line:col)", "fn (file:line)", either maybe followed by "[sourceId]", or a bare
      // label / address ("js::RunScript", "0x7f47146dc452")
      const text = t.stringTable[loc].replace(/\)\[\d+\]$/, ')');
      const parsed = parseDhatFrame(text) ?? { name: text };
      const line = int(cell(row, fLine));
      const column = int(cell(row, fColumn));
      return {
        ...parsed,
        ...(line > 0 ? { line } : {}),
        ...(column > 0 ? { column } : {}),
      };
    },
  };
}
