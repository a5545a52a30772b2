import { isKernelFrame, pseudoFramesOf } from '../analysis/pseudo-frames';
import { type MapProfileOptions, mapProfile, type ProfileMapping } from '../mapping/map-profile';
import type { WorkspaceIndex } from '../mapping/workspace-index';
import { ChildIndex } from '../profile/child-index';
import { type Frame, type Profile, stackTableOf } from '../profile/model';
import type { Demangle } from '../symbols/demangle';
import { type NormalizedName, normalizeFrameName } from '../symbols/normalize';
import type { CompareMeasure, CompareSnapshot, FunctionOrigin, SnapshotFunction } from './types';

/** Options of {@link snapshotFromMapping}. */
export interface SnapshotOptions {
  /** Human-readable format name (`perf script`); defaults to the format id. */
  readonly formatLabel?: string;
  /** Demangler for library names (defaults to the installed default). */
  readonly demangle?: Demangle;
}

/** Options of {@link snapshotProfile}: the mapping options plus the workspace index. */
export interface SnapshotProfileOptions extends SnapshotOptions, MapProfileOptions {
  /** The workspace's symbol index (the caller builds it: core reads no files). */
  readonly index: WorkspaceIndex;
}

/**
 * Maps a profile onto the workspace and reduces it to a {@link CompareSnapshot}
 * (functions by identity across recordings, call tree merged by path). Pure.
 * @param profile any imported profile
 * @param options the workspace index plus the usual mapping options (path mappings, root)
 * @returns plain, structured-cloneable data; weights in the profile's unit
 */
export function snapshotProfile(profile: Profile, options: SnapshotProfileOptions): CompareSnapshot {
  const mapping = mapProfile(profile, options.index, {
    ...(options.pathMappings ? { pathMappings: options.pathMappings } : {}),
    ...(options.root !== undefined ? { root: options.root } : {}),
    ...(options.demangle ? { demangle: options.demangle } : {}),
  });
  return snapshotFromMapping(profile, mapping, options);
}

/**
 * Reduces a profile and its workspace mapping (from `mapProfile`) to a {@link CompareSnapshot}.
 *
 * Function identity: a frame that maps to a workspace definition is `file + qualified name`
 * of that definition (its line is kept for display but is not part of the identity); any
 * other frame is its normalized name ({@link comparableName}). Process and thread names that
 * collapsers put at the root of folded stacks and SVGs are dropped, so a folded file and the
 * `perf script` it came from have the same call tree. Consecutive frames of one function
 * (inlined pieces, several lines) count as one call-tree node.
 * @param profile the profile
 * @param mapping `mapProfile(profile, …)` of the same profile
 * @returns plain data; weights in the profile's unit; lines 1-based
 */
export function snapshotFromMapping(
  profile: Profile,
  mapping: ProfileMapping,
  options: SnapshotOptions = {},
): CompareSnapshot {
  const pseudo = pseudoFramesOf(profile, mapping);
  const functions: SnapshotFunction[] = [];
  const byKey = new Map<string, number>();
  const fnOfFrame = new Int32Array(profile.frames.length);
  const names = (frame: Frame) => {
    const hint = {
      ...(frame.file !== undefined ? { file: frame.file } : {}),
      ...(frame.module !== undefined ? { module: frame.module } : {}),
    };
    const normalized = normalizeFrameName(
      frame.name,
      hint,
      options.demangle ? { demangle: options.demangle } : {},
    );
    return { normalized, comparable: comparableOf(normalized) };
  };
  profile.frames.forEach((frame, id) => {
    if (pseudo.get(id) === 'process') {
      fnOfFrame[id] = -1;
      return;
    }
    const fn = identify(frame, mapping.frames[id], pseudo.has(id), names);
    let index = byKey.get(fn.key);
    if (index === undefined) {
      index = functions.length;
      byKey.set(fn.key, index);
      functions.push(fn);
    }
    fnOfFrame[id] = index;
  });
  for (const stats of mapping.functions) {
    const id = stats.frameIds[0];
    if (id === undefined || fnOfFrame[id] < 0) continue;
    functions[fnOfFrame[id]].selfInclLibraries += stats.selfWithBlame;
  }

  const treeParent: number[] = [-1];
  const treeFunction: number[] = [-1];
  const treeSelf: number[] = [0];
  const treeTotal: number[] = [0];
  const child = new ChildIndex();
  const stamp = new Int32Array(functions.length).fill(-1);
  const table = stackTableOf(profile);
  for (let s = 0; s < table.count; s++) {
    const w = table.weights[s];
    let node = 0;
    let last = -1;
    treeTotal[0] += w;
    for (let i = table.starts[s]; i < table.starts[s + 1]; i++) {
      const fn = fnOfFrame[table.frames[i]];
      if (fn < 0 || fn === last) continue;
      last = fn;
      if (stamp[fn] !== s) {
        stamp[fn] = s;
        functions[fn].total += w;
      }
      const next = child.childOr(node, fn, treeParent.length);
      if (next === treeParent.length) {
        treeParent.push(node);
        treeFunction.push(fn);
        treeSelf.push(0);
        treeTotal.push(0);
      }
      treeTotal[next] += w;
      node = next;
    }
    treeSelf[node] += w;
    if (last >= 0) functions[last].self += w;
  }
  for (const f of functions) if (f.origin !== 'workspace') f.selfInclLibraries = f.self;

  return {
    source: profile.source,
    format: profile.format,
    formatLabel: options.formatLabel ?? profile.format,
    unit: profile.unit,
    eventName: profile.eventName,
    total: profile.total,
    ...(profile.sampleCount !== undefined ? { sampleCount: profile.sampleCount } : {}),
    measure: measureOf(profile),
    functions,
    treeParent,
    treeFunction,
    treeSelf,
    treeTotal,
  };
}

/** Events whose perf period is a time in nanoseconds. */
const TIME_EVENTS = /^(cpu-clock|task-clock|cpu-clock:\w+|task-clock:\w+)$/;
/** Weights this large with a common divisor are sampling periods, not counts (as the folded reader judges). */
const PERIOD_MIN = 1000;

/**
 * What a profile's weights measure and how to convert them (see {@link CompareMeasure}):
 * - `perf script` / perf.data samples of `cpu-clock` or `task-clock` carry their period in
 *   nanoseconds (`meta.periodSum` over the samples): time, at the mean period per sample;
 *   other events (`cycles`) become `events` at their mean period;
 * - nanosecond profiles are time; folded stacks written by `stackcollapse-perf.pl` say their
 *   period in `meta.samplePeriod`;
 * - a folded file or flame graph SVG counted in "samples" whose every weight is a multiple of
 *   one number of at least 1000 holds periods in nanoseconds (flamegraph.pl of
 *   stackcollapse-perf.pl output): time, that number per sample;
 * - any other sample count is `samples:<event>` at an unknown period; bytes, instructions and
 *   callgrind events are exact counts (no sampling noise).
 * @param profile the profile (its unit, event, meta and stack weights are read)
 * @returns the measure; never throws
 */
export function measureOf(profile: Profile): CompareMeasure {
  const count = profile.sampleCount ?? 0;
  const periodSum = Number(profile.meta.periodSum ?? 0);
  const event = String(profile.meta.event ?? profile.eventName);
  if ((profile.format === 'perf-script' || profile.format === 'perf-data') && profile.unit === 'samples') {
    if (periodSum > 0 && count > 0) {
      const period = periodSum / count;
      if (TIME_EVENTS.test(event))
        return {
          quantity: 'time',
          unit: 'nanoseconds',
          factor: period,
          weightPerSample: 1,
          how: `${event} samples × ${fmt(period)} ns mean period`,
        };
      return {
        quantity: `events:${event}`,
        unit: 'events',
        factor: period,
        weightPerSample: 1,
        how: `${event} samples × ${fmt(period)} mean period`,
      };
    }
    return {
      quantity: `samples:${event}`,
      unit: 'samples',
      factor: 1,
      weightPerSample: 1,
      how: `${event} samples (no period in the file)`,
    };
  }
  if (profile.unit === 'nanoseconds') {
    const period = Number(profile.meta.samplePeriod ?? 0);
    const perSample = period > 0 ? period : count > 0 ? profile.total / count : null;
    return {
      quantity: 'time',
      unit: 'nanoseconds',
      factor: 1,
      weightPerSample: perSample,
      how: period > 0 ? `nanoseconds (${fmt(period)} ns per sample)` : 'nanoseconds',
    };
  }
  if (profile.unit === 'samples') {
    if (profile.format === 'folded' || profile.format === 'flamegraph-svg') {
      const period = commonPeriod(profile);
      if (period >= PERIOD_MIN)
        return {
          quantity: 'time',
          unit: 'nanoseconds',
          factor: 1,
          weightPerSample: period,
          how: `every weight is a multiple of ${fmt(period)}: sampling periods in nanoseconds`,
        };
    }
    return {
      quantity: `samples:${profile.eventName}`,
      unit: 'samples',
      factor: 1,
      weightPerSample: 1,
      how: `samples of ${profile.eventName} at an unknown period`,
    };
  }
  return {
    quantity: `${profile.unit}:${profile.eventName}`,
    unit: profile.unit,
    factor: 1,
    weightPerSample: null,
    how: `${profile.eventName} (${profile.unit}), exact counts`,
  };
}

function commonPeriod(profile: Profile): number {
  let g = 0;
  const { count, weights } = stackTableOf(profile);
  for (let s = 0; s < count; s++) {
    const w = weights[s];
    if (!Number.isInteger(w)) return 0;
    let a = g;
    let b = w;
    while (b > 0) [a, b] = [b, a % b];
    g = a;
    if (g < PERIOD_MIN) return 0;
  }
  return g;
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

const RUST_HASH = /::h[0-9a-f]{16}(?=$|::|>)/g;
const CLOSURE = /\{\{closure\}\}|\{closure#\d+\}/g;
const OFFSET = /\+0x[0-9a-f]+$/i;
const C_SUFFIX = /(\.(isra|constprop|part|cold|lto_priv|localalias|llvm)(\.\d+)*)+$| \[clone [^\]]*\]$/;

/**
 * The name a library, kernel or unmapped frame is matched by across recordings: the
 * demangled name without Rust hashes (`::h1a2b…`), with closure numbers dropped
 * (`{closure#2}` and `{{closure}}` both read `{closure}`), without `+0x…` offsets, LLVM
 * and GCC clone suffixes (`.llvm.123`, `.isra.0`, `[clone .cold]`) or perf's `(inlined)`,
 * and without folded annotations (`_[k]`). Unsymbolized addresses all read `[unknown]`.
 * @param name the frame name as the tool wrote it
 * @param hint the frame's file and module, when known
 * @returns the comparable name; never throws
 */
export function comparableName(
  name: string,
  hint: { file?: string; module?: string } = {},
  demangle?: Demangle,
): string {
  return comparableOf(normalizeFrameName(name, hint, demangle ? { demangle } : {}));
}

/** {@link comparableOf} of each normalized name (`normalizeFrameName` keeps its results). */
const comparables = new WeakMap<NormalizedName, string>();

/** {@link comparableName} of a name already normalized, computed once per name. */
function comparableOf(n: NormalizedName): string {
  let c = comparables.get(n);
  if (c === undefined) {
    c = comparableText(n);
    comparables.set(n, c);
  }
  return c;
}

function comparableText(n: NormalizedName): string {
  if (n.flags.unknown) {
    const t = n.demangled.trim();
    return /^\[[^\]\s]+\]$/.test(t) && !/^\[0x/i.test(t) ? t : '[unknown]';
  }
  return n.demangled
    .replace(RUST_HASH, '')
    .replace(CLOSURE, '{closure}')
    .replace(OFFSET, '')
    .replace(C_SUFFIX, '');
}

function identify(
  frame: Frame,
  mapped: ProfileMapping['frames'][number],
  unsymbolized: boolean,
  names: (frame: Frame) => { normalized: NormalizedName; comparable: string },
): SnapshotFunction {
  const { normalized, comparable } = names(frame);
  const qualifiedName = normalized.qualifiedPath.join('::');
  if (mapped.status === 'workspace' && mapped.file !== undefined) {
    const name = mapped.definition?.name ?? mapped.shortName;
    const file = mapped.definition?.file ?? mapped.file;
    return {
      key: workspaceFunctionKey(file, name),
      name,
      qualifiedName,
      origin: 'workspace',
      file,
      ...(mapped.definition ? { line: mapped.definition.startLine } : {}),
      self: 0,
      total: 0,
      selfInclLibraries: 0,
    };
  }
  const name = unsymbolized ? comparableUnknown(frame.name) : comparable;
  const origin: FunctionOrigin =
    isKernelFrame(frame) || normalized.flags.kernel ? 'kernel' : unsymbolized ? 'unknown' : 'library';
  return {
    key: `n:${name}`,
    name,
    qualifiedName: qualifiedName || name,
    origin,
    self: 0,
    total: 0,
    selfInclLibraries: 0,
  };
}

/**
 * The identity of a workspace function in a comparison (`FunctionChange.key`): `w:<file>#<name>`.
 * A `HotFunction` of an analysis has the key `workspaceFunctionKey(f.file, f.displayName)`, so
 * the editor can put a function's change on its CodeLens.
 * @param file workspace-relative POSIX path
 * @param name the definition's name with its type for methods (`EvaluationContext::child`)
 */
export function workspaceFunctionKey(file: string, name: string): string {
  return `w:${file}#${name}`;
}

function comparableUnknown(name: string): string {
  const t = name.trim();
  if (/^\[[^\]\s]+\]$/.test(t) && !/^\[0x/i.test(t)) return t;
  const lib = /^([^\s()`]+?)(\+0x[0-9a-f]+|`(0x)?[0-9a-f]+.*)$/i.exec(t);
  return lib ? `[${lib[1]}]` : '[unknown]';
}
