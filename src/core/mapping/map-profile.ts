import type { Frame, Profile, WeightUnit } from '../profile/model';
import type { Demangle } from '../symbols/demangle';
import { type NormalizedName, normalizeFrameName } from '../symbols/normalize';
import { type LibraryKind, PathMapper } from './path-map';
import { resolveName } from './resolve-name';
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
  /** Status `ambiguous`: every equally good candidate. None is picked. */
  readonly candidates?: readonly DefinitionRef[];
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
  const frames = profile.frames.map((frame) => mapFrame(frame, index, mapper, inferred, options.demangle));

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
  const seenFn = new Set<WorkspaceFunctionStats>();
  const seenLine = new Set<MappedLine>();
  for (const stack of profile.stacks) {
    const ids = stack.frames;
    const w = stack.weight;
    seenFn.clear();
    seenLine.clear();
    for (const id of ids) {
      const stats = frameFunction[id];
      if (!stats) continue;
      if (!seenFn.has(stats)) {
        seenFn.add(stats);
        stats.total += w;
      }
      const line = frames[id].line;
      if (line !== undefined) {
        const l = lineOf(stats, line);
        if (!seenLine.has(l)) {
          seenLine.add(l);
          l.total += w;
        }
      }
    }
    const leaf = ids[ids.length - 1];
    const leafStats = frameFunction[leaf];
    if (leafStats) {
      leafStats.self += w;
      workspaceSelf += w;
      const line = frames[leaf].line;
      if (line !== undefined) lineOf(leafStats, line).self += w;
      continue;
    }
    let j = ids.length - 2;
    while (j >= 0 && !frameFunction[ids[j]]) j--;
    if (j < 0) {
      unattributed += w;
      continue;
    }
    const owner = frameFunction[ids[j]]!;
    owner.blamed += w;
    blamed += w;
    const ownerLine = frames[ids[j]].line;
    if (ownerLine !== undefined) lineOf(owner, ownerLine).blamed += w;
    // The library function the workspace frame called: the first known frame below it.
    let k = j + 1;
    while (k < ids.length - 1 && frames[ids[k]].status === 'unknown') k++;
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
    summary: { workspaceSelf, blamed, unattributed, frames: counts },
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

function mapFrame(
  frame: Frame,
  index: WorkspaceIndex,
  mapper: PathMapper,
  inferred: Map<string, { from: string; to: string; frames: number }>,
  demangle: Demangle | undefined,
): FrameMapping {
  const n = normalizeFrameName(
    frame.name,
    { file: frame.file, module: frame.module },
    demangle ? { demangle } : {},
  );
  const shortName = shortFrameName(n);
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
    // The name decides which function this is when it is unambiguous: perf prints the
    // srcline of the innermost code inlined at the sampled address, which can be std code
    // inside our function or our code inside a std generic.
    // Interpreters and JITs (JS, Python) report the file of the running function itself,
    // not of inlined code: a frame whose file is outside the workspace is library code even
    // when a workspace function has the same name (micromark's `write` is not ours).
    const fileIsExact =
      pm.kind !== 'workspace' &&
      (n.language === 'js' ||
        n.language === 'python' ||
        /^(node:|file:|https?:|webpack:)/.test(file) ||
        /\.(m?[jt]sx?|cjs|py)$/.test(file));
    const byName = n.flags.kernel || n.flags.runtime || fileIsExact ? undefined : resolveName(n, index);
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
    if (pm.kind === 'workspace') {
      const def = line !== undefined ? index.definitionAt(pm.path, line) : undefined;
      return {
        status: 'workspace',
        file: pm.path,
        ...(line !== undefined ? { line } : {}),
        ...(def ? { definition: ref(index, def) } : {}),
        via: 'path',
        shortName,
      };
    }
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
      return { status: 'ambiguous', candidates, via: 'name', reason: r.reason, shortName };
    }
    case 'external':
      return { status: 'library', library: libraryOfName(n), via: 'name', reason: r.reason, shortName };
    default:
      if (n.flags.unknown)
        return { status: 'unknown', reason: 'the profiler did not know this frame', shortName };
      if (n.language === 'c' || n.language === 'cpp') {
        return { status: 'library', library: 'system', via: 'name', reason: r.reason, shortName };
      }
      return { status: 'unknown', reason: pathReason ?? r.reason, shortName };
  }
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
