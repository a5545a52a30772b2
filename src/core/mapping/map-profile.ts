import { type Frame, type Profile, stackTableOf, type WeightUnit } from '../profile/model';
import type { Demangle } from '../symbols/demangle';
import { type NormalizedName, normalizeFrameName } from '../symbols/normalize';
import { type LibraryKind, PathMapper } from './path-map';
import { resolveName } from './resolve-name';
import type { SourceMaps } from './source-maps';
import type { IndexedDefinition, WorkspaceIndex } from './workspace-index';

/**
 * Frame → source mapping for a whole profile, with library blame.
 *
 * Each frame is mapped once: frames that carry a file (perf srcline, V8, pprof,
 * callgrind, py-spy names) go through path mapping and the enclosing definition at
 * their line; frames with only a name are looked up in the workspace symbol index.
 * Then every stack is walked once: weight whose leaf is workspace code is that
 * function's self weight; weight whose leaf is library (or unknown) code is **blamed**
 * on the nearest workspace frame of the same stack (the closest caller that maps to
 * the workspace), broken down by the library function that workspace frame called.
 * Inlined library frames (perf DWARF `(inlined)`) land on the workspace frame they
 * were inlined into, at the line it reports, because that frame sits right above them.
 *
 * All weights are in the profile's unit; lines are 1-based; files are workspace-relative.
 * The result is plain data.
 */

/** A workspace definition as reported in mappings. */
export interface DefinitionRef {
  /** Function name, with its type for methods (`EvaluationContext::child`). */
  readonly name: string;
  readonly file: string;
  /** 1-based first line. */
  readonly startLine: number;
  /** 1-based last line (inclusive). */
  readonly endLine: number;
}

/** Where one frame of the profile points. */
export interface FrameMapping {
  readonly status: 'workspace' | 'library' | 'unknown' | 'ambiguous';
  /** Workspace-relative file (status `workspace`). */
  readonly file?: string;
  /** 1-based line, when the profile gave one. */
  readonly line?: number;
  /** The enclosing workspace function (nested functions and closures count as their enclosing function). */
  readonly definition?: DefinitionRef;
  /**
   * Every equally good candidate, none picked: status `ambiguous` (candidates in several
   * files), or status `workspace` without a definition when all candidates are in one file.
   */
  readonly candidates?: readonly DefinitionRef[];
  /**
   * The profile's line lies outside the definition it was mapped to (the source moved since the
   * recording): the frame was placed on the nearest definition of its name in its file.
   * `recordedLine` is the 1-based line the profile gave.
   */
  readonly drifted?: { readonly recordedLine: number };
  /** Status `library`: which library family. */
  readonly library?: LibraryKind;
  /** How it was mapped: from the frame's file, or from its name alone. */
  readonly via?: 'path' | 'name';
  /** Why it is unknown / ambiguous / library, in words. */
  readonly reason?: string;
  /** Short display name of the function (`BTreeMap::clone`, `ptr::drop_in_place`). */
  readonly shortName: string;
}

/** Library weight blamed on a workspace function, per library function it called. */
export interface BlamedWeight {
  /** Short name of the library function entered from workspace code. */
  readonly function: string;
  readonly library?: LibraryKind;
  readonly weight: number;
}

/** Per-line weights of a workspace function. */
export interface MappedLine {
  /** 1-based line. */
  readonly line: number;
  /** Weight of stacks whose leaf is this function at this line. */
  self: number;
  /** Library / unknown weight blamed on this line (the call site or inline site). */
  blamed: number;
  /** Weight of stacks in which this function is at this line (once per stack). */
  total: number;
}

/** One workspace function with its weights. */
export interface WorkspaceFunctionStats {
  readonly name: string;
  /** Workspace-relative file. */
  readonly file: string;
  /** 1-based lines of the definition; undefined when the frame's file is known but no definition encloses it. */
  readonly startLine?: number;
  readonly endLine?: number;
  /** Weight of stacks whose leaf is this function. */
  self: number;
  /** Library / unknown weight blamed on it (it is the nearest workspace caller). */
  blamed: number;
  /** `self + blamed`: what the function costs including the library code it called directly. */
  selfWithBlame: number;
  /** Inclusive weight: stacks in which it appears (once per stack). */
  total: number;
  /** {@link blamed} broken down by library function, heaviest first. */
  readonly blamedBy: BlamedWeight[];
  /** Per-line weights, by line, where the profile gave lines. */
  readonly lines: MappedLine[];
  /** Frame ids that map to this function. */
  readonly frameIds: number[];
}

/** The mapping of a whole profile. */
export interface ProfileMapping {
  readonly unit: WeightUnit;
  /** Profile total weight. */
  readonly total: number;
  /** Per frame id (index into `profile.frames`). */
  readonly frames: readonly FrameMapping[];
  /** Workspace functions, heaviest `selfWithBlame` first. */
  readonly functions: readonly WorkspaceFunctionStats[];
  /** Prefix mappings inferred by suffix matching, with how many frames used each. */
  readonly inferredPathMappings: readonly {
    readonly from: string;
    readonly to: string;
    readonly frames: number;
  }[];
  readonly summary: {
    /** Weight whose leaf is workspace code. */
    readonly workspaceSelf: number;
    /** Weight blamed on a workspace frame. */
    readonly blamed: number;
    /** Weight with no workspace frame in its stack. */
    readonly unattributed: number;
    /** Number of frames per status. */
    readonly frames: Readonly<Record<FrameMapping['status'], number>>;
    /**
     * Every sample accounted for by its leaf frame: `workspace + library + unmapped === total`
     * (weights). `workspace`: the leaf is workspace code; `library`: library, kernel or runtime
     * code; `unmapped`: unknown or ambiguous, broken down by reason in `unmappedReasons`.
     */
    readonly bySample: {
      readonly workspace: number;
      readonly library: number;
      readonly unmapped: number;
      /** Unmapped weight per reason (the leaf frame's reason), heaviest first. */
      readonly unmappedReasons: readonly { readonly reason: string; readonly weight: number }[];
    };
  };
}

/** Options of {@link mapProfile}. */
export interface MapProfileOptions {
  /** Prefix mappings from settings (see `PathMapOptions.pathMappings`). */
  readonly pathMappings?: Readonly<Record<string, string>>;
  /** Absolute workspace folder path, for exact matches of absolute paths. */
  readonly root?: string;
  /** Demangler (defaults to the installed default). */
  readonly demangle?: Demangle;
  /**
   * Rust crate names the profile uses → the workspace crate they are now (a crate renamed
   * since the recording: `{ "old_name": "new_name" }`, underscores as in symbols; dashes are
   * turned into underscores). Setting `hotspotLens.crateAliases`.
   */
  readonly crateAliases?: Readonly<Record<string, string>>;
  /**
   * Source maps of the profile's JavaScript bundles (from `loadSourceMaps`): a frame in a
   * bundle is placed at the original source position its map gives.
   */
  readonly sourceMaps?: SourceMaps;
}

/**
 * Maps every frame of a profile onto the workspace and aggregates per workspace function.
 * @param profile any imported profile
 * @param index the workspace symbol index
 * @returns plain data (see {@link ProfileMapping}); never throws on odd frames
 */
export function mapProfile(
  profile: Profile,
  index: WorkspaceIndex,
  options: MapProfileOptions = {},
): ProfileMapping {
  const mapper = new PathMapper({
    workspaceFiles: index.data.sourceFiles,
    ...(options.pathMappings ? { pathMappings: options.pathMappings } : {}),
    ...(options.root !== undefined ? { root: options.root } : {}),
  });
  const inferred = new Map<string, { from: string; to: string; frames: number }>();
  const aliases = new Map(
    Object.entries(options.crateAliases ?? {}).map(([from, to]) => [
      from.replace(/-/g, '_'),
      to.replace(/-/g, '_'),
    ]),
  );
  const names = frameNames(options.demangle, aliases);
  // V8 names every JS function's script: a .cpuprofile frame without one is a builtin or native code.
  const fileless =
    profile.format === 'cpuprofile' ? 'a V8 builtin or native function (no script)' : undefined;
  const frames: FrameMapping[] = profile.frames.map((frame) =>
    frame.file === undefined && fileless !== undefined && !frame.name.startsWith('(')
      ? {
          status: 'library' as const,
          library: 'system' as const,
          via: 'path' as const,
          reason: fileless,
          shortName: frame.name || '(anonymous)',
        }
      : mapFrame(throughSourceMap(frame, options.sourceMaps), index, mapper, inferred, names),
  );
  settleByNeighbours(frames, profile);

  const functions = new Map<string, WorkspaceFunctionStats>();
  const frameFunction: (WorkspaceFunctionStats | undefined)[] = frames.map((fm, id) => {
    if (fm.status !== 'workspace' || fm.file === undefined) return undefined;
    const key = fm.definition
      ? `${fm.definition.file}\u0000${fm.definition.startLine}\u0000${fm.definition.name}`
      : `${fm.file}\u0000\u0000${fm.shortName}`;
    let stats = functions.get(key);
    if (!stats) {
      stats = {
        name: fm.definition?.name ?? fm.shortName,
        file: fm.definition?.file ?? fm.file,
        ...(fm.definition ? { startLine: fm.definition.startLine, endLine: fm.definition.endLine } : {}),
        self: 0,
        blamed: 0,
        selfWithBlame: 0,
        total: 0,
        blamedBy: [],
        lines: [],
        frameIds: [],
      };
      functions.set(key, stats);
    }
    stats.frameIds.push(id);
    return stats;
  });
  const lineMaps = new Map<WorkspaceFunctionStats, Map<number, MappedLine>>();
  const lineOf = (stats: WorkspaceFunctionStats, line: number): MappedLine => {
    let m = lineMaps.get(stats);
    if (!m) {
      m = new Map();
      lineMaps.set(stats, m);
    }
    let l = m.get(line);
    if (!l) {
      l = { line, self: 0, blamed: 0, total: 0 };
      m.set(line, l);
    }
    return l;
  };
  const blameMaps = new Map<
    WorkspaceFunctionStats,
    Map<string, { function: string; library?: LibraryKind; weight: number }>
  >();

  let workspaceSelf = 0;
  let blamed = 0;
  let unattributed = 0;
  let leafLibrary = 0;
  let leafUnmapped = 0;
  const unmappedReasons = new Map<string, number>();
  const leafReasons: (string | undefined)[] = new Array(frames.length);
  const seenFn = new Set<WorkspaceFunctionStats>();
  const seenLine = new Set<MappedLine>();
  const frameLine: (MappedLine | null | undefined)[] = new Array(frames.length);
  const { count: stackCount, frames: ids, starts, weights } = stackTableOf(profile);
  for (let si = 0; si < stackCount; si++) {
    const a = starts[si];
    const b = starts[si + 1];
    const w = weights[si];
    // Set.clear() allocates anew: only for a set that holds something
    if (seenFn.size > 0) seenFn.clear();
    if (seenLine.size > 0) seenLine.clear();
    // the deepest workspace frame above the leaf (the owner of a library leaf), or a - 1
    let owned = a - 1;
    for (let i = a; i < b; i++) {
      const id = ids[i];
      const stats = frameFunction[id];
      if (!stats) continue;
      if (i < b - 1) owned = i;
      if (!seenFn.has(stats)) {
        seenFn.add(stats);
        stats.total += w;
      }
      // a frame's line is the same in every stack: looked up once per frame
      let l = frameLine[id];
      if (l === undefined) {
        const line = frames[id].line;
        l = line !== undefined ? lineOf(stats, line) : null;
        frameLine[id] = l;
      }
      if (l !== null && !seenLine.has(l)) {
        seenLine.add(l);
        l.total += w;
      }
    }
    const leaf = b > a ? ids[b - 1] : undefined;
    const leafStats = leaf === undefined ? undefined : frameFunction[leaf];
    if (!leafStats) {
      const lm = leaf !== undefined ? frames[leaf] : undefined;
      if (lm && lm.status === 'library') leafLibrary += w;
      else {
        leafUnmapped += w;
        // the reason is the leaf frame's: worded once per frame, not once per stack
        let reason = leaf === undefined ? 'empty stack' : leafReasons[leaf];
        if (reason === undefined) {
          reason =
            lm === undefined
              ? 'empty stack'
              : lm.status === 'workspace'
                ? 'no workspace file'
                : `${lm.status}: ${lm.reason ?? 'no reason given'}`;
          if (leaf !== undefined) leafReasons[leaf] = reason;
        }
        unmappedReasons.set(reason, (unmappedReasons.get(reason) ?? 0) + w);
      }
    }
    if (leafStats) {
      leafStats.self += w;
      workspaceSelf += w;
      const l = frameLine[leaf as number];
      if (l) l.self += w;
      continue;
    }
    const j = owned;
    if (j < a) {
      unattributed += w;
      continue;
    }
    const owner = frameFunction[ids[j]]!;
    owner.blamed += w;
    blamed += w;
    const ownerLine = frameLine[ids[j]];
    if (ownerLine) ownerLine.blamed += w;
    // The library function the workspace frame called: the first known frame below it.
    let k = j + 1;
    while (k < b - 1 && frames[ids[k]].status === 'unknown') k++;
    const callee = frames[ids[k]];
    let bm = blameMaps.get(owner);
    if (!bm) {
      bm = new Map();
      blameMaps.set(owner, bm);
    }
    const entry = bm.get(callee.shortName);
    if (entry) entry.weight += w;
    else {
      bm.set(callee.shortName, {
        function: callee.shortName,
        ...(callee.library !== undefined ? { library: callee.library } : {}),
        weight: w,
      });
    }
  }
  const list = [...functions.values()];
  for (const stats of list) {
    stats.selfWithBlame = stats.self + stats.blamed;
    const bm = blameMaps.get(stats);
    if (bm) stats.blamedBy.push(...[...bm.values()].sort((a, b) => b.weight - a.weight));
    const lm = lineMaps.get(stats);
    if (lm) stats.lines.push(...[...lm.values()].sort((a, b) => a.line - b.line));
  }
  list.sort((a, b) => b.selfWithBlame - a.selfWithBlame || b.total - a.total || a.name.localeCompare(b.name));
  const counts: Record<FrameMapping['status'], number> = {
    workspace: 0,
    library: 0,
    unknown: 0,
    ambiguous: 0,
  };
  for (const f of frames) counts[f.status]++;
  return {
    unit: profile.unit,
    total: profile.total,
    frames,
    functions: list,
    inferredPathMappings: [...inferred.values()].sort((a, b) => b.frames - a.frames),
    summary: {
      workspaceSelf,
      blamed,
      unattributed,
      frames: counts,
      bySample: {
        workspace: workspaceSelf,
        library: leafLibrary,
        unmapped: leafUnmapped,
        unmappedReasons: [...unmappedReasons]
          .map(([reason, weight]) => ({ reason, weight }))
          .sort((a, b) => b.weight - a.weight),
      },
    },
  };
}

/** Display name of a definition: `Type::name` for methods, `name` otherwise. */
export function definitionDisplayName(def: IndexedDefinition): string {
  const owner = def.typeName ?? (def.inTraitBody ? def.traitName : undefined);
  return owner !== undefined ? `${owner}::${def.name}` : def.name;
}

function ref(index: WorkspaceIndex, def: IndexedDefinition): DefinitionRef {
  const outer = index.enclosingDefinition(def);
  return {
    name: definitionDisplayName(outer),
    file: outer.file,
    startLine: outer.startLine,
    endLine: outer.endLine,
  };
}

/** Short display name of a frame: from the self type on for methods, else the last two path segments. */
export function shortFrameName(n: NormalizedName): string {
  if (n.flags.unknown) return '[unknown]';
  const qp = n.qualifiedPath;
  if (qp.length === 0) return n.demangled;
  const sep = n.language === 'go' || n.language === 'js' || n.language === 'python' ? '.' : '::';
  if (n.typeName !== undefined) {
    const i = qp.lastIndexOf(n.typeName);
    if (i >= 0) return qp.slice(i).join(sep);
  }
  if (n.language === 'go') return qp.slice(1).join('.') || qp.join('.');
  return qp.slice(-2).join(sep);
}

/** A frame's normalized name (crate aliases applied) and short name: see {@link frameNames}. */
type FrameNames = (frame: Frame) => { readonly n: NormalizedName; readonly shortName: string };

/**
 * {@link normalizeFrameName} with the crate aliases applied, and the short name, computed once
 * per normalized name (`normalizeFrameName` keeps its results, so the many per-line frames of
 * one function, a V8 profile has one per call-tree node and position, get the same object).
 */
function frameNames(demangle: Demangle | undefined, aliases: ReadonlyMap<string, string>): FrameNames {
  const known = new Map<NormalizedName, { n: NormalizedName; shortName: string }>();
  return (frame) => {
    const normalized = normalizeFrameName(
      frame.name,
      { file: frame.file, module: frame.module },
      demangle ? { demangle } : {},
    );
    let names = known.get(normalized);
    if (names === undefined) {
      const n = withCrateAlias(normalized, aliases);
      names = { n, shortName: shortFrameName(n) };
      known.set(normalized, names);
    }
    return names;
  };
}

function mapFrame(
  frame: Frame,
  index: WorkspaceIndex,
  mapper: PathMapper,
  inferred: Map<string, { from: string; to: string; frames: number }>,
  names: FrameNames,
): FrameMapping {
  const { n, shortName } = names(frame);
  const file = frame.file ?? n.location?.file;
  const line = frame.file !== undefined ? frame.line : (n.location?.line ?? frame.line);
  let pathReason: string | undefined;
  if (file !== undefined) {
    const pm = mapper.map(file);
    if (pm.kind === 'workspace' && pm.inferred) {
      const key = `${pm.inferred.from}\u0000${pm.inferred.to}`;
      const e = inferred.get(key);
      if (e) e.frames++;
      else inferred.set(key, { ...pm.inferred, frames: 1 });
    }
    // Interpreters and JITs (JS, Python) report the file of the running function itself, not
    // of inlined code: their file decides, and a frame whose file is outside the workspace is
    // never mapped by its bare name onto a workspace function (micromark's `write` is not ours,
    // nor is a driver script under /app/).
    const fileIsExact =
      n.language === 'js' ||
      n.language === 'python' ||
      // any URL (node:, file:, https:, webpack:, data: modules of loaders such as tsx, …);
      // two letters at least, so a Windows drive (C:) stays a path
      /^[a-z][a-z0-9+.-]+:/i.test(file) ||
      /\.(m?[jt]sx?|cjs|py)$/.test(file);
    if (fileIsExact) {
      if (pm.kind === 'workspace') return pathMapped(index, n, pm.path, line, shortName);
      if (pm.kind === 'library')
        return { status: 'library', library: pm.library, via: 'path', reason: pm.path, shortName };
      if (n.flags.kernel || n.flags.runtime || /^(node:|internal\/)/.test(file) || !/[\\/]/.test(file))
        return {
          status: 'library',
          library: 'system',
          via: 'path',
          reason: `runtime file ${file}`,
          shortName,
        };
      return {
        status: 'unknown',
        reason: `its file ${clipFile(file)} is not in the workspace (${pm.reason}); not matched by name`,
        shortName,
      };
    }
    // Native code: the name decides which function this is when it is unambiguous: perf
    // prints the srcline of the innermost code inlined at the sampled address, which can be
    // std code inside our function or our code inside a std generic.
    const byName = n.flags.kernel || n.flags.runtime ? undefined : resolveName(n, index);
    if (byName?.status === 'found') {
      const def = ref(index, byName.definition);
      const lineInside =
        pm.kind === 'workspace' &&
        pm.path === def.file &&
        line !== undefined &&
        line >= def.startLine &&
        line <= def.endLine;
      return {
        status: 'workspace',
        file: def.file,
        ...(lineInside ? { line } : {}),
        definition: def,
        via: lineInside ? 'path' : 'name',
        ...(lineInside ? {} : { reason: `its source line ${file}:${line ?? 0} is code inlined into it` }),
        shortName,
      };
    }
    if (byName?.status === 'external' || n.flags.kernel || n.flags.runtime) {
      const library =
        pm.kind === 'library' ? pm.library : n.flags.kernel || n.flags.runtime ? 'system' : libraryOfName(n);
      return {
        status: 'library',
        library,
        via: 'name',
        reason: byName?.reason ?? (n.flags.kernel ? 'kernel' : 'runtime'),
        shortName,
      };
    }
    if (pm.kind === 'workspace') return pathMapped(index, n, pm.path, line, shortName);
    if (pm.kind === 'library') {
      return { status: 'library', library: pm.library, via: 'path', reason: pm.path, shortName };
    }
    pathReason = pm.reason;
  }
  if (n.flags.kernel || n.flags.runtime) {
    return {
      status: 'library',
      library: 'system',
      via: 'name',
      reason: n.flags.kernel ? 'kernel' : 'runtime',
      shortName,
    };
  }
  const r = resolveName(n, index);
  switch (r.status) {
    case 'found':
      return {
        status: 'workspace',
        file: r.definition.file,
        definition: ref(index, r.definition),
        via: 'name',
        shortName,
      };
    case 'ambiguous': {
      const seen = new Set<string>();
      const candidates: DefinitionRef[] = [];
      for (const c of r.candidates) {
        const d = ref(index, c);
        const k = `${d.file}:${d.startLine}`;
        if (!seen.has(k)) {
          seen.add(k);
          candidates.push(d);
        }
      }
      if (candidates.length === 1) {
        return {
          status: 'workspace',
          file: candidates[0].file,
          definition: candidates[0],
          via: 'name',
          shortName,
        };
      }
      // Ambiguous function, certain file: every candidate is in one file.
      if (candidates.every((c) => c.file === candidates[0].file)) {
        return {
          status: 'workspace',
          file: candidates[0].file,
          candidates,
          via: 'name',
          reason: `${r.reason}, all in ${candidates[0].file} (lines ${candidates.map((c) => c.startLine).join(', ')})`,
          shortName,
        };
      }
      return { status: 'ambiguous', candidates, via: 'name', reason: r.reason, shortName };
    }
    case 'file':
      return { status: 'workspace', file: r.file, via: 'name', reason: r.reason, shortName };
    case 'external': {
      const renamed = n.language === 'rust' ? renamedCrate(n, index) : undefined;
      if (renamed) return { status: 'unknown', via: 'name', reason: renamed, shortName };
      if (n.module !== undefined && isSystemModule(n.module))
        return { status: 'library', library: 'system', via: 'name', reason: `module ${n.module}`, shortName };
      return { status: 'library', library: libraryOfName(n), via: 'name', reason: r.reason, shortName };
    }
    default:
      if (n.flags.unknown)
        return { status: 'unknown', reason: 'the profiler did not know this frame', shortName };
      if (n.truncated) return { status: 'unknown', reason: r.reason, shortName };
      if (n.module !== undefined && isSystemModule(n.module))
        return { status: 'library', library: 'system', via: 'name', reason: `module ${n.module}`, shortName };
      if (n.language === 'c' || n.language === 'cpp') {
        return { status: 'library', library: 'system', via: 'name', reason: r.reason, shortName };
      }
      return { status: 'unknown', reason: pathReason ?? r.reason, shortName };
  }
}

/**
 * An ambiguous frame whose caller or callee (in any stack) was placed in the file of exactly
 * one of its candidates is that candidate: two programs' `main` in `reader.cpp` and
 * `writer.cpp`, one of which calls `ReadFromShm` defined beside it. Changes `frames` in place.
 */
function settleByNeighbours(frames: FrameMapping[], profile: Profile): void {
  if (!frames.some((f) => f.status === 'ambiguous')) return;
  const evidence = new Map<number, Set<string>>();
  const note = (id: number, other: number) => {
    const o = frames[other];
    if (frames[id].status !== 'ambiguous' || o.status !== 'workspace' || o.file === undefined) return;
    let set = evidence.get(id);
    if (!set) {
      set = new Set();
      evidence.set(id, set);
    }
    set.add(o.file);
  };
  const { count, frames: ids, starts } = stackTableOf(profile);
  for (let s = 0; s < count; s++) {
    for (let k = starts[s] + 1; k < starts[s + 1]; k++) {
      note(ids[k - 1], ids[k]);
      note(ids[k], ids[k - 1]);
    }
  }
  for (const [id, files] of evidence) {
    const f = frames[id];
    const fitting = (f.candidates ?? []).filter((c) => files.has(c.file));
    if (fitting.length !== 1) continue;
    frames[id] = {
      status: 'workspace',
      file: fitting[0].file,
      definition: fitting[0],
      candidates: f.candidates ?? [],
      via: 'name',
      reason: `${f.reason ?? 'ambiguous'}; its caller or callee is in ${fitting[0].file}`,
      shortName: f.shortName,
    };
  }
}

/**
 * The frame at its original source position when a source map covers its bundle position:
 * `dist/cli.js:42:13` → `src/cli.ts:4` (the name stays: bundlers keep function names).
 */
function throughSourceMap(frame: Frame, maps: SourceMaps | undefined): Frame {
  if (!maps || maps.size === 0 || frame.file === undefined || frame.line === undefined) return frame;
  const pos = maps.lookup(frame.file, frame.line, frame.column);
  if (!pos) return frame;
  return {
    ...frame,
    file: pos.file,
    line: pos.line,
    ...(pos.column !== undefined ? { column: pos.column } : {}),
  };
}

/**
 * A frame whose file is a workspace file: the definition at its line; when the line lies
 * outside every definition of the frame's name (the source moved since the recording), the
 * nearest definition of that name in the file, marked as drifted.
 */
function pathMapped(
  index: WorkspaceIndex,
  n: NormalizedName,
  file: string,
  line: number | undefined,
  shortName: string,
): FrameMapping {
  const at = line !== undefined ? index.definitionAt(file, line) : undefined;
  const fn = n.functionName;
  const named = fn !== '' && fn !== '(anonymous)' && fn !== '<anonymous>';
  if (named && line !== undefined && (!at || !sameFunction(index, at, fn, line))) {
    let nearest: IndexedDefinition | undefined;
    let distance = Number.POSITIVE_INFINITY;
    for (const d of index.definitionsIn(file)) {
      if (d.name !== fn) continue;
      const dist = line < d.startLine ? d.startLine - line : line > d.endLine ? line - d.endLine : 0;
      if (dist < distance) {
        nearest = d;
        distance = dist;
      }
    }
    if (nearest && distance > 0) {
      return {
        status: 'workspace',
        file,
        definition: ref(index, nearest),
        drifted: { recordedLine: line },
        via: 'path',
        reason: `recorded at line ${line}; ${fn} is now at lines ${nearest.startLine}–${nearest.endLine} (the source changed since the recording)`,
        shortName,
      };
    }
  }
  return {
    status: 'workspace',
    file,
    ...(line !== undefined ? { line } : {}),
    ...(at ? { definition: ref(index, at) } : {}),
    via: 'path',
    shortName,
  };
}

/** True when the definition at `line` is the function `fn` or holds a nested definition of it there. */
function sameFunction(index: WorkspaceIndex, at: IndexedDefinition, fn: string, line: number): boolean {
  if (at.name === fn) return true;
  return index
    .definitionsIn(at.file)
    .some((d) => d.name === fn && line >= d.startLine && line <= d.endLine && d.startLine >= at.startLine);
}

/** The name with its crate replaced when the user mapped it (`hotspotLens.crateAliases`). */
function withCrateAlias(n: NormalizedName, aliases: ReadonlyMap<string, string>): NormalizedName {
  if (aliases.size === 0 || n.language !== 'rust' || n.crate === undefined) return n;
  const to = aliases.get(n.crate);
  if (to === undefined) return n;
  const qp = n.qualifiedPath[0] === n.crate ? [to, ...n.qualifiedPath.slice(1)] : n.qualifiedPath;
  return { ...n, crate: to, qualifiedPath: qp };
}

/**
 * A Rust frame of a crate the workspace does not have, whose path a workspace crate defines
 * (`old_name::net::Conn::poll` with `new-name` in Cargo.toml): the reason to show, or undefined.
 */
function renamedCrate(n: NormalizedName, index: WorkspaceIndex): string | undefined {
  if (
    n.crate === undefined ||
    n.qualifiedPath.length < 2 ||
    /^(std|core|alloc|proc_macro|test)$/.test(n.crate)
  )
    return undefined;
  // Cheap first: a workspace Rust definition whose path after the crate is the frame's.
  const rest = n.qualifiedPath.slice(1).join('::');
  const crates = new Set<string>();
  for (const d of index.definitionsNamed(n.functionName)) {
    if (d.language !== 'rust') continue;
    for (const sp of d.symbolPaths) if (sp.length > 1 && sp.slice(1).join('::') === rest) crates.add(sp[0]);
  }
  const found = [...crates].filter(
    (crate) => resolveName(withCrateAlias(n, new Map([[n.crate ?? '', crate]])), index).status === 'found',
  );
  if (found.length === 0) return undefined;
  return (
    `crate ${n.crate} is not a workspace crate, but workspace crate ${found.join(' / ')} defines ` +
    `${rest}: renamed since the recording? ` +
    `Map it with the setting hotspotLens.crateAliases: { "${n.crate}": "${found[0]}" }`
  );
}

/** System libraries and loaders named before a DTrace backtick (`libsystem_malloc.dylib`, `dyld`, `libc.so.6`). */
function isSystemModule(module: string): boolean {
  return /\.(dylib|so)(\.\d+)*$|^(dyld|libsystem_|libc\+\+|libdyld|libobjc|kernel|unknown$)/.test(module);
}

function libraryOfName(n: NormalizedName): LibraryKind {
  if (n.language === 'rust')
    return ['std', 'core', 'alloc', 'proc_macro', 'test'].includes(n.crate ?? '')
      ? 'rust-std'
      : 'cargo-registry';
  if (n.language === 'go') return (n.crate ?? '').split('/')[0].includes('.') ? 'go-module-cache' : 'system';
  if (n.language === 'js') return 'node_modules';
  if (n.language === 'python') return 'site-packages';
  return 'system';
}

/** A file or URL short enough for a reason (a `data:` URL holds a whole module). */
function clipFile(file: string): string {
  return file.length > 120 ? `${file.slice(0, 117)}…` : file;
}
