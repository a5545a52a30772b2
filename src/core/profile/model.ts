/**
 * The normalized profile: the one model every importer produces and everything
 * downstream (aggregation, source mapping, hints, the editor, the CLI) reads.
 *
 * Conventions, stated once for the whole code base:
 * - **Lines are 1-based** and **columns are 1-based** wherever a {@link Frame} or a
 *   {@link LineCost} carries them. Importers convert from the format's own base
 *   (for example V8 `callFrame.lineNumber` is 0-based and is converted here).
 *   Line `0` written by a tool ("unknown line") is stored as `undefined`.
 * - **Stacks are root first**: `frames[0]` is the outermost caller (`main`,
 *   `_start`, a thread root), the last element is the leaf that was executing.
 * - **Weights** are non-negative finite numbers in the profile's {@link WeightUnit}.
 *   A sample-count profile has weight 1 per sample (or the sample's count);
 *   a time profile carries nanoseconds; an allocation profile bytes.
 *
 * The model is immutable once built; create one with {@link ProfileBuilder}.
 */

import { type StackTable, StackTableBuilder } from './stack-table';

export type { StackTable } from './stack-table';

/** The unit of every weight in a profile. */
export type WeightUnit = 'samples' | 'nanoseconds' | 'bytes' | 'blocks' | 'instructions' | 'events';

/** Identifiers of the formats Hotspot Lens imports. */
export type ProfileFormatId =
  | 'flamegraph-svg'
  | 'folded'
  | 'perf-script'
  | 'perf-data'
  | 'cpuprofile'
  | 'speedscope'
  | 'pprof'
  | 'firefox'
  | 'callgrind'
  | 'dhat';

/** Broad classification of where a frame's code lives, when the tool says so. */
export type FrameKind = 'user' | 'kernel' | 'unknown';

/**
 * One frame: a function (optionally at a source position) as the profiler
 * wrote it. Two frames are the same frame when all their fields are equal.
 */
export interface Frame {
  /** The function name exactly as the tool wrote it (mangled or demangled, with generics). */
  readonly name: string;
  /** Source file as the tool wrote it (absolute, relative, or a URL); undefined when unknown. */
  readonly file?: string;
  /** 1-based line in {@link file}; undefined when unknown (tools' line 0 becomes undefined). */
  readonly line?: number;
  /** 1-based column; undefined when unknown. */
  readonly column?: number;
  /** Binary, shared object or module the code was in (`libc.so.6`, `[kernel.kallsyms]`, a JS URL's script). */
  readonly module?: string;
  /** True for a frame the compiler inlined into its caller (perf DWARF `(inlined)`). */
  readonly inlined?: boolean;
  /** Kernel or user code, when the tool marks it (perf `[kernel.kallsyms]`, folded `_[k]`). */
  readonly kind?: FrameKind;
}

/** A unique stack with the summed weight of every sample that had it. */
export interface WeightedStack {
  /** Frame indices into {@link Profile.frames}, root first, leaf last. */
  readonly frames: readonly number[];
  /** Summed weight in {@link Profile.unit}; always > 0. */
  readonly weight: number;
  /** Index into {@link Profile.threads}. */
  readonly thread: number;
}

/**
 * A self cost the tool attributes to one source line directly (perf srcline of the
 * leaf frame, V8 `positionTicks`, callgrind per-line costs). Lines are 1-based.
 */
export interface LineCost {
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** Self weight in {@link Profile.unit}. */
  readonly weight: number;
  /** Name of the function the line belongs to, when known. */
  readonly functionName?: string;
}

/** The normalized profile. See the module comment for units and line bases. */
export interface Profile {
  /** Which importer produced it. */
  readonly format: ProfileFormatId;
  /** The file it was read from (as given to the importer). */
  readonly source: string;
  /** Unit of every weight. */
  readonly unit: WeightUnit;
  /** Human-readable name of what was measured (`cpu-clock`, `Ir`, `samples`, `cpu/nanoseconds`). */
  readonly eventName: string;
  /** Interned frames; stacks refer to them by index. */
  readonly frames: readonly Frame[];
  /** Thread (or process/comm) names; stacks refer to them by index. Always at least one. */
  readonly threads: readonly string[];
  /**
   * Unique stacks with weights (deduplicated: memory grows with unique stacks, not samples).
   * A profile from {@link ProfileBuilder} keeps them in columns and makes this list when it
   * is first read: passes over every stack read {@link stackTableOf} instead.
   */
  readonly stacks: readonly WeightedStack[];
  /** Per-line self costs the tool reported directly (may be empty). */
  readonly lineCosts: readonly LineCost[];
  /** Sum of all stack weights, in {@link unit}. */
  readonly total: number;
  /** How many samples (or records) were read, when the format has them; else undefined. */
  readonly sampleCount?: number;
  /** Other facts from the file worth showing (command line, recording time, version). */
  readonly meta: Readonly<Record<string, string | number>>;
}

/** Options for {@link ProfileBuilder}. */
export interface ProfileBuilderOptions {
  readonly format: ProfileFormatId;
  readonly source: string;
  readonly unit: WeightUnit;
  readonly eventName?: string;
}

const DEFAULT_THREAD = 'all';

/** The frame as {@link ProfileBuilder.frameId} stores it: empty strings, lines and columns < 1, and `inlined: false` dropped. */
function cleanFrame(frame: Frame): Frame {
  const clean: { -readonly [K in keyof Frame]: Frame[K] } = { name: frame.name };
  if (frame.file !== undefined && frame.file !== '') clean.file = frame.file;
  if (frame.line !== undefined && frame.line > 0) clean.line = frame.line;
  if (frame.column !== undefined && frame.column > 0) clean.column = frame.column;
  if (frame.module !== undefined && frame.module !== '') clean.module = frame.module;
  if (frame.inlined) clean.inlined = true;
  if (frame.kind !== undefined) clean.kind = frame.kind;
  return clean;
}

/**
 * Whether `frame` equals the interned frame `stored` once cleaned the way
 * {@link ProfileBuilder.frameId} cleans it (empty strings, lines and columns < 1 dropped).
 */
function sameFrame(stored: Frame, frame: Frame): boolean {
  const file = frame.file === '' ? undefined : frame.file;
  const line = frame.line !== undefined && frame.line > 0 ? frame.line : undefined;
  const column = frame.column !== undefined && frame.column > 0 ? frame.column : undefined;
  const module = frame.module === '' ? undefined : frame.module;
  return (
    stored.file === file &&
    stored.line === line &&
    stored.column === column &&
    stored.module === module &&
    (stored.inlined === true) === (frame.inlined === true) &&
    stored.kind === frame.kind
  );
}

/**
 * Builds a {@link Profile}. Every importer feeds one: intern frames with
 * {@link frameId}, then append each sample's stack with {@link appendSample}.
 * Stacks are deduplicated as they arrive, so memory is bounded by the number of
 * unique stacks and frames, not by the number of samples.
 */
export class ProfileBuilder {
  private readonly frames: Frame[] = [];
  /** The first frame interned under each name (see {@link frameId}). */
  private readonly firstByName = new Map<string, number>();
  /** Every other frame, by all its fields. */
  private readonly frameIndex = new Map<string, number>();
  private readonly threads: string[] = [];
  private readonly threadIndex = new Map<string, number>();
  /** The unique stacks so far; their threads are indices into {@link threads}. */
  private stacks = new StackTableBuilder();
  /** A stack being appended, as ids (reused). */
  private scratch = new Int32Array(256);
  /** Set by {@link adoptStacks}: maps the adopted table's thread numbers to thread indices. */
  private adoptedThreads?: (thread: number) => number;
  /** Line costs: file → function name (or '') → line → entry index in the columns below. */
  private readonly lineCostIndex = new Map<string, Map<string, Map<number, number>>>();
  private readonly lineCostFiles: string[] = [];
  private readonly lineCostLines: number[] = [];
  private readonly lineCostWeights: number[] = [];
  /** The function name of each entry's latest cost (undefined when it gave none). */
  private readonly lineCostFunctions: (string | undefined)[] = [];
  private total = 0;
  private samples = 0;
  private eventName: string;
  private unit: WeightUnit;
  private readonly meta: Record<string, string | number> = {};

  constructor(private readonly options: ProfileBuilderOptions) {
    this.eventName = options.eventName ?? options.unit;
    this.unit = options.unit;
  }

  /**
   * Interns a frame and returns its index. Equal frames (all fields equal once cleaned: an
   * empty file or module, a line or column below 1 count as absent) get the same index.
   * Lines and columns must already be 1-based; pass `undefined` for unknown (not 0).
   */
  frameId(frame: Frame): number {
    // Most names have one frame: found by name alone, without building the whole key.
    const first = this.firstByName.get(frame.name);
    if (first !== undefined && sameFrame(this.frames[first], frame)) return first;
    const clean = cleanFrame(frame);
    if (first === undefined) {
      const id = this.frames.length;
      this.frames.push(clean);
      this.firstByName.set(frame.name, id);
      return id;
    }
    // the first frame of a name is found through firstByName only; others by all their fields
    const key = `${clean.name}\u0000${clean.file ?? ''}\u0000${clean.line ?? ''}\u0000${clean.column ?? ''}\u0000${
      clean.module ?? ''
    }\u0000${clean.inlined ? 1 : 0}\u0000${clean.kind ?? ''}`;
    let id = this.frameIndex.get(key);
    if (id === undefined) {
      id = this.frames.length;
      this.frames.push(clean);
      this.frameIndex.set(key, id);
    }
    return id;
  }

  /** Interns a thread name and returns its index. */
  threadId(name: string): number {
    let id = this.threadIndex.get(name);
    if (id === undefined) {
      id = this.threads.length;
      this.threads.push(name);
      this.threadIndex.set(name, id);
    }
    return id;
  }

  /**
   * Adds one sample (or an aggregated stack) with its weight.
   * @param stack frame indices from {@link frameId}, **root first**. An empty stack is ignored.
   * @param weight in the builder's unit; must be finite and >= 0 (0 is ignored).
   * @param thread thread name; defaults to a single thread called `all`.
   * @param sampleCount how many samples this call represents (default 1), for {@link Profile.sampleCount}.
   * @throws RangeError when the weight is negative, NaN or infinite (importers turn it into an ImportError).
   */
  appendSample(stack: readonly number[], weight: number, thread?: string, sampleCount = 1): void {
    if (!Number.isFinite(weight) || weight < 0) throw new RangeError(`invalid weight ${weight}`);
    this.notAdopted();
    this.samples += sampleCount;
    if (weight === 0 || stack.length === 0) return;
    if (this.scratch.length < stack.length) this.scratch = new Int32Array(stack.length * 2);
    for (let i = 0; i < stack.length; i++) this.scratch[i] = stack[i];
    this.stacks.add(this.scratch, stack.length, false, this.threadId(thread ?? DEFAULT_THREAD), weight, 0);
    this.total += weight;
  }

  /**
   * Fast path of {@link appendSample} for importers that already fold samples into
   * unique stacks themselves: appends a (thread, stack) that the caller guarantees it has
   * not appended before, without looking for it among the others. Mixing it with
   * {@link appendSample} stays correct (the stacks are indexed when needed).
   * Same parameters and errors as {@link appendSample}.
   */
  appendDistinctStack(stack: readonly number[], weight: number, thread?: string, sampleCount = 1): void {
    if (!Number.isFinite(weight) || weight < 0) throw new RangeError(`invalid weight ${weight}`);
    this.notAdopted();
    this.samples += sampleCount;
    if (weight === 0 || stack.length === 0) return;
    if (this.scratch.length < stack.length) this.scratch = new Int32Array(stack.length * 2);
    for (let i = 0; i < stack.length; i++) this.scratch[i] = stack[i];
    this.stacks.appendDistinct(
      this.scratch,
      stack.length,
      this.threadId(thread ?? DEFAULT_THREAD),
      weight,
      0,
    );
    this.total += weight;
  }

  /**
   * {@link appendDistinctStack} of the stack `frames[0, length)` (root first), for importers
   * that build each stack in a reused buffer rather than an array of its own.
   */
  appendDistinctFrames(
    frames: Int32Array,
    length: number,
    weight: number,
    thread?: string,
    sampleCount = 1,
  ): void {
    if (!Number.isFinite(weight) || weight < 0) throw new RangeError(`invalid weight ${weight}`);
    this.notAdopted();
    this.samples += sampleCount;
    if (weight === 0 || length === 0) return;
    this.stacks.appendDistinct(frames, length, this.threadId(thread ?? DEFAULT_THREAD), weight, 0);
    this.total += weight;
  }

  /**
   * Takes an importer's own {@link StackTableBuilder} as the profile's stacks, without
   * copying them (the streaming text importers fold samples into one as they read): its
   * weights and sample counts are added to the profile's, stacks of weight 0 are dropped,
   * and its thread numbers become threads through `threadName` (called once per number).
   * The table must not be used by the caller afterwards.
   * @throws Error when stacks were appended to this builder before
   */
  adoptStacks(table: StackTableBuilder, threadName: (thread: number) => string | undefined): void {
    if (this.stacks.size > 0 || this.adoptedThreads) throw new Error('the builder already has stacks');
    this.stacks = table;
    this.samples += table.sampleCount();
    this.total += table.totalWeight();
    this.adoptedThreads = (t) => this.threadId(threadName(t) ?? DEFAULT_THREAD);
  }

  private notAdopted(): void {
    if (this.adoptedThreads) throw new Error('stacks were adopted; append no others');
  }

  /**
   * Records a self cost on a source line (1-based) reported directly by the tool.
   * Costs on the same (file, line, function) are summed. Lines < 1 are ignored.
   */
  addLineCost(file: string, line: number, weight: number, functionName?: string): void {
    if (!(line >= 1) || !(weight > 0) || !file) return;
    // nested maps rather than a string key per call (a V8 profile has a cost per node and line)
    let byFunction = this.lineCostIndex.get(file);
    if (byFunction === undefined) {
      byFunction = new Map();
      this.lineCostIndex.set(file, byFunction);
    }
    let byLine = byFunction.get(functionName ?? '');
    if (byLine === undefined) {
      byLine = new Map();
      byFunction.set(functionName ?? '', byLine);
    }
    const i = byLine.get(line);
    if (i === undefined) {
      byLine.set(line, this.lineCostWeights.length);
      this.lineCostFiles.push(file);
      this.lineCostLines.push(line);
      this.lineCostWeights.push(weight);
      this.lineCostFunctions.push(functionName);
    } else {
      this.lineCostWeights[i] += weight;
      this.lineCostFunctions[i] = functionName;
    }
  }

  /** Sets a metadata entry shown to the user (command line, date, tool version). */
  setMeta(key: string, value: string | number): void {
    this.meta[key] = value;
  }

  /** Changes the event name (e.g. once a perf header names `cpu-clock`). */
  setEventName(name: string): void {
    this.eventName = name;
  }

  /** Changes the unit (e.g. once a header says the weights are nanoseconds). */
  setUnit(unit: WeightUnit): void {
    this.unit = unit;
  }

  /** Number of samples appended so far (for progress). */
  get sampleCount(): number {
    return this.samples;
  }

  /** Number of unique stacks so far. */
  get stackCount(): number {
    return this.stacks.size;
  }

  /**
   * Finishes the profile. The builder must not be used afterwards.
   * @param options `sampleCount`: false to leave {@link Profile.sampleCount} out, or a number
   *   to state it (folded periods: the total over the period); default the samples appended
   */
  build(options: { sampleCount?: boolean | number } = {}): Profile {
    const table = this.stacks.finish(this.adoptedThreads);
    const threads = this.threads.length > 0 ? this.threads.slice() : [DEFAULT_THREAD];
    const sampleCount =
      options.sampleCount === false
        ? undefined
        : typeof options.sampleCount === 'number'
          ? options.sampleCount
          : this.samples;
    return profileWithStacks(
      {
        format: this.options.format,
        source: this.options.source,
        unit: this.unit,
        eventName: this.eventName,
        frames: this.frames,
        threads,
        lineCosts: this.lineCostWeights.map((weight, i): LineCost => {
          const functionName = this.lineCostFunctions[i];
          return {
            file: this.lineCostFiles[i],
            line: this.lineCostLines[i],
            weight,
            ...(functionName !== undefined ? { functionName } : {}),
          };
        }),
        total: this.total,
        ...(sampleCount !== undefined ? { sampleCount } : {}),
        meta: { ...this.meta },
      },
      table,
    );
  }
}

/** The stack table of each profile that has one (see {@link stackTableOf}). */
const stackTables = new WeakMap<Profile, StackTable>();

/**
 * The unique stacks of a profile in columns (see {@link StackTable}): the table a
 * {@link ProfileBuilder} built, or, for a profile written out as data (tests, a copy), one
 * made from {@link Profile.stacks} once and kept. Walk this rather than `stacks` in any pass
 * over every stack: it needs no object or array per stack.
 */
export function stackTableOf(profile: Profile): StackTable {
  let table = stackTables.get(profile);
  if (table === undefined) {
    table = tableOfStacks(profile.stacks);
    stackTables.set(profile, table);
  }
  return table;
}

/**
 * A profile made of `fields` and the stacks of `table`; its {@link Profile.stacks} list is
 * made from the table the first time it is read. Use it to derive a profile from another
 * (`{ ...fields of the other, format: 'perf-data' }`) without turning its stacks into objects.
 * @param fields every field of a profile but `stacks`
 * @param table the stacks (shared, not copied)
 */
export function profileWithStacks(fields: Omit<Profile, 'stacks'>, table: StackTable): Profile {
  let list: WeightedStack[] | undefined;
  const profile: Profile = {
    ...fields,
    get stacks(): readonly WeightedStack[] {
      list ??= stacksOfTable(table);
      return list;
    },
  };
  stackTables.set(profile, table);
  return profile;
}

/** `profile` with some of its fields replaced, sharing its stacks (see {@link profileWithStacks}). */
export function reviseProfile(profile: Profile, changes: Partial<Omit<Profile, 'stacks'>>): Profile {
  return profileWithStacks({ ...profileFields(profile), ...changes }, stackTableOf(profile));
}

/**
 * Every field of a profile but `stacks`, read without making the stacks list (to send a
 * profile to another thread with its {@link stackTableOf} table, or to derive one).
 */
export function profileFields(profile: Profile): Omit<Profile, 'stacks'> {
  return {
    format: profile.format,
    source: profile.source,
    unit: profile.unit,
    eventName: profile.eventName,
    frames: profile.frames,
    threads: profile.threads,
    lineCosts: profile.lineCosts,
    total: profile.total,
    ...(profile.sampleCount !== undefined ? { sampleCount: profile.sampleCount } : {}),
    meta: profile.meta,
  };
}

function stacksOfTable(table: StackTable): WeightedStack[] {
  const out: WeightedStack[] = new Array(table.count);
  for (let s = 0; s < table.count; s++) {
    const a = table.starts[s];
    const b = table.starts[s + 1];
    const frames: number[] = new Array(b - a);
    for (let i = a; i < b; i++) frames[i - a] = table.frames[i];
    out[s] = { frames, weight: table.weights[s], thread: table.threads[s] };
  }
  return out;
}

function tableOfStacks(stacks: readonly WeightedStack[]): StackTable {
  let size = 0;
  for (const st of stacks) size += st.frames.length;
  const frames = new Int32Array(size);
  const starts = new Int32Array(stacks.length + 1);
  const weights = new Float64Array(stacks.length);
  const threads = new Int32Array(stacks.length);
  let used = 0;
  stacks.forEach((st, s) => {
    starts[s] = used;
    for (const id of st.frames) frames[used++] = id;
    weights[s] = st.weight;
    threads[s] = st.thread;
  });
  starts[stacks.length] = used;
  return { count: stacks.length, frames, starts, weights, threads };
}
