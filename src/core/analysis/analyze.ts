import {
  compileHintRules,
  defaultHintRules,
  type FunctionHint,
  hintsForProfile,
  mergeHintRules,
  parseUserHintRules,
} from '../hints';
import {
  type FrameMapping,
  mapProfile,
  type ProfileMapping,
  type WorkspaceFunctionStats,
} from '../mapping/map-profile';
import type { SourceMaps } from '../mapping/source-maps';
import type { WorkspaceIndex } from '../mapping/workspace-index';
import { aggregateFunctions, functionIndexOf } from '../profile/aggregate';
import { type Profile, stackTableOf } from '../profile/model';
import type { Demangle } from '../symbols/demangle';
import { heatBucket } from './presentation';
import { isKernelFrame, pseudoFramesOf } from './pseudo-frames';
import type {
  CallSite,
  HotFunction,
  HotHint,
  HotLine,
  LibraryFunction,
  ProfileAnalysis,
  PseudoFrame,
  UnmappedFunction,
} from './types';

/** Options of {@link analyzeProfile}. */
export interface AnalyzeOptions {
  /** Human-readable name of the format the profile came from (`perf script`). */
  readonly formatLabel: string;
  /** The workspace's symbol index (built by the caller: core reads no files). */
  readonly index: WorkspaceIndex;
  /** Absolute path of the workspace folder (exact matches of absolute frame paths). */
  readonly root?: string;
  /** Recorded path prefix → workspace path (from settings). */
  readonly pathMappings?: Readonly<Record<string, string>>;
  /** Decoded source maps of the bundles the profile names (`loadSourceMaps`): frames map through them to the original source. */
  readonly sourceMaps?: SourceMaps;
  /** Crate name in the profile → workspace crate (renamed since the recording; setting `hotspotLens.crateAliases`). */
  readonly crateAliases?: Readonly<Record<string, string>>;
  /** User hint rules as they came from settings (validated here; bad rules are skipped with a note). */
  readonly hintRules?: unknown;
  /** A hint needs this share of a function's total weight, in percent (default 5). */
  readonly hintMinSharePercent?: number;
  /** Demangler (defaults to the installed default). */
  readonly demangle?: Demangle;
  /** How many library functions and unmapped frames to keep (default 200). */
  readonly maxListed?: number;
  /** Called with the profile's mapping onto the workspace (to build a comparison snapshot from the same mapping). */
  readonly onMapped?: (mapping: ProfileMapping) => void;
}

/**
 * Maps a profile onto the workspace and computes everything the editor and the
 * CLI show: hot workspace functions (self, total, library time blamed on them,
 * hints with evidence, callers and callees), hot lines per file, library hotspots,
 * unmapped frames and inferred path mappings. Pure: no editor types, no I/O.
 *
 * Definitions: a function's `self` is the weight of stacks whose leaf is the
 * function itself; `blamedLibrary` is library (or unknown) weight whose nearest
 * workspace caller is the function, and `selfInclLibraries` is `self` plus that;
 * `total` is inclusive. A line has the same three figures, its library weight being
 * what is called from that line (the call site), so the line that calls `clone` is hot.
 * Hotspots are ranked by `selfInclLibraries` (what the function is responsible for),
 * then by total. Pseudo-frames (process names, unsymbolized addresses) are listed
 * apart, never as library functions.
 * Percentages are of the profile's total; lines are 1-based; files workspace-relative.
 * Plan links are added separately (`linkPlans`), since plans change independently.
 */
export function analyzeProfile(profile: Profile, options: AnalyzeOptions): ProfileAnalysis {
  const notes: string[] = [];
  const total = profile.total;
  const pct = (w: number) => (total > 0 ? (100 * w) / total : 0);
  const mapping = mapProfile(profile, options.index, {
    ...(options.pathMappings ? { pathMappings: options.pathMappings } : {}),
    ...(options.crateAliases ? { crateAliases: options.crateAliases } : {}),
    ...(options.sourceMaps ? { sourceMaps: options.sourceMaps } : {}),
    ...(options.root ? { root: options.root } : {}),
    ...(options.demangle ? { demangle: options.demangle } : {}),
  });
  options.onMapped?.(mapping);

  // hint rules: defaults + validated user rules
  const user = parseUserHintRules(options.hintRules ?? []);
  for (const p of user.problems) notes.push(`hint rule skipped: ${p}`);
  const compiled = compileHintRules(mergeHintRules(defaultHintRules, user.rules));
  const functionIndex = functionIndexOf(profile);
  const keyOfFrame = (id: number) => functionIndex.keys[functionIndex.ofFrame[id]];
  const workspaceKeys = new Set<string>();
  for (const f of mapping.functions) for (const id of f.frameIds) workspaceKeys.add(keyOfFrame(id));
  const hintMap = hintsForProfile(profile, compiled, {
    minShare: (options.hintMinSharePercent ?? 5) / 100,
    isBoundary: (id) => mapping.frames[id].status === 'workspace',
    functionKeys: workspaceKeys,
  });

  const fnOfFrame = functionOfFrame(mapping.functions, profile.frames.length);
  const calls = collectCalls(profile, mapping.frames, fnOfFrame);

  const hotspots: HotFunction[] = [];
  const lineAcc = new Map<string, Map<number, { self: number; library: number; total: number }>>();
  for (const stats of mapping.functions) {
    for (const l of stats.lines) {
      let byLine = lineAcc.get(stats.file);
      if (!byLine) {
        byLine = new Map();
        lineAcc.set(stats.file, byLine);
      }
      const acc = byLine.get(l.line) ?? { self: 0, library: 0, total: 0 };
      acc.self += l.self;
      acc.library += l.blamed;
      acc.total += l.total;
      byLine.set(l.line, acc);
    }
    if (stats.startLine === undefined || stats.endLine === undefined) continue;
    const heaviest = heaviestFrameName(profile, stats);
    const key = `${stats.file}#${stats.name}#${stats.startLine}`;
    const c = calls.get(stats);
    hotspots.push({
      key,
      name: heaviest,
      displayName: stats.name,
      file: stats.file,
      line: stats.startLine,
      endLine: stats.endLine,
      self: stats.self,
      selfInclLibraries: stats.self + stats.blamed,
      total: stats.total,
      selfPercent: pct(stats.self),
      selfInclLibrariesPercent: pct(stats.self + stats.blamed),
      totalPercent: pct(stats.total),
      blamedLibrary: stats.blamedBy.map((b) => ({ function: b.function, weight: b.weight })),
      hints: mergeHints(stats.frameIds.map((id) => hintMap.get(keyOfFrame(id)) ?? [])),
      planLinks: [],
      callers: c ? toCallSites(c.callers) : [],
      callees: c ? toCallSites(c.callees) : [],
    });
  }
  hotspots.sort(
    (a, b) =>
      b.selfInclLibraries - a.selfInclLibraries ||
      b.total - a.total ||
      b.self - a.self ||
      a.key.localeCompare(b.key),
  );

  // a function may have several lines but the line of its definition is where a
  // line-less profile (folded, SVG) puts its weight: that is right for the lens, and
  // the line heat then marks the definition line.
  for (const f of hotspots) {
    const byLine = lineAcc.get(f.file);
    const hasLines = byLine && [...byLine.keys()].some((l) => l >= f.line && l <= f.endLine);
    if (!hasLines) {
      const m = byLine ?? new Map<number, { self: number; library: number; total: number }>();
      m.set(f.line, { self: f.self, library: f.selfInclLibraries - f.self, total: f.total });
      lineAcc.set(f.file, m);
    }
  }
  const lines: Record<string, HotLine[]> = {};
  for (const [file, byLine] of lineAcc) {
    lines[file] = [...byLine.entries()]
      .map(([line, w]) => ({
        line,
        self: w.self,
        selfInclLibraries: w.self + w.library,
        total: w.total,
        selfPercent: pct(w.self),
        selfInclLibrariesPercent: pct(w.self + w.library),
        totalPercent: pct(w.total),
        bucket: heatBucket(pct(w.total)),
      }))
      .sort((a, b) => a.line - b.line);
  }

  const maxListed = options.maxListed ?? 200;
  const pseudo = pseudoFramesOf(profile, mapping);
  const { libraryHotspots, unmapped, pseudoFrames } = outsideWorkspace(
    profile,
    mapping.frames,
    pseudo,
    maxListed,
  );
  for (const u of unmapped) if (u.reason.startsWith('ambiguous')) notes.push(`${u.function}: ${u.reason}`);
  const inferredPathMappings: Record<string, string> = {};
  for (const m of mapping.inferredPathMappings) inferredPathMappings[m.from] = m.to;

  return {
    profile: {
      format: profile.format,
      formatLabel: options.formatLabel,
      source: profile.source,
      unit: profile.unit,
      eventName: profile.eventName,
      total,
      ...(profile.sampleCount !== undefined ? { sampleCount: profile.sampleCount } : {}),
      threads: profile.threads,
    },
    hotspots,
    lines,
    unmapped,
    libraryHotspots,
    pseudoFrames,
    inferredPathMappings,
    notes,
  };
}

function functionOfFrame(
  functions: readonly WorkspaceFunctionStats[],
  frameCount: number,
): (WorkspaceFunctionStats | undefined)[] {
  const out: (WorkspaceFunctionStats | undefined)[] = new Array(frameCount);
  for (const f of functions) for (const id of f.frameIds) out[id] = f;
  return out;
}

function heaviestFrameName(profile: Profile, stats: WorkspaceFunctionStats): string {
  return profile.frames[stats.frameIds[0]]?.name ?? stats.name;
}

type CallAcc = Map<string, { name: string; weight: number; file?: string; line?: number; library: boolean }>;

/** Callers and callees of each workspace function, counted once per stack and edge. */
function collectCalls(
  profile: Profile,
  frames: readonly FrameMapping[],
  fnOf: readonly (WorkspaceFunctionStats | undefined)[],
): Map<WorkspaceFunctionStats, { callers: CallAcc; callees: CallAcc }> {
  const out = new Map<WorkspaceFunctionStats, { callers: CallAcc; callees: CallAcc }>();
  const seen = new Set<string>();
  const describe = (id: number) => {
    const f = fnOf[id];
    if (f) {
      return {
        key: `ws:${f.file}#${f.name}#${f.startLine ?? 0}`,
        name: f.name,
        ...(f.startLine !== undefined ? { file: f.file, line: f.startLine } : {}),
        library: false,
      };
    }
    const m = frames[id];
    return { key: `lib:${m.shortName}`, name: m.shortName, library: true };
  };
  const add = (acc: CallAcc, d: ReturnType<typeof describe>, w: number) => {
    const e = acc.get(d.key);
    if (e) e.weight += w;
    else
      acc.set(d.key, {
        name: d.name,
        weight: w,
        library: d.library,
        ...(d.file ? { file: d.file, line: d.line } : {}),
      });
  };
  if (!fnOf.some((f) => f !== undefined)) return out; // no workspace function
  const { count, frames: ids, starts, weights } = stackTableOf(profile);
  for (let si = 0; si < count; si++) {
    const a = starts[si];
    const b = starts[si + 1];
    const weight = weights[si];
    let cleared = false;
    for (let i = a; i < b; i++) {
      const f = fnOf[ids[i]];
      if (!f) continue;
      if (!cleared) {
        if (seen.size > 0) seen.clear(); // clear() allocates anew
        cleared = true;
      }
      let entry = out.get(f);
      if (!entry) {
        entry = { callers: new Map(), callees: new Map() };
        out.set(f, entry);
      }
      // skip frames of the same function (inlined or recursive layers)
      let up = i - 1;
      while (up >= a && fnOf[ids[up]] === f) up--;
      let down = i + 1;
      while (down < b && fnOf[ids[down]] === f) down++;
      if (up >= a) {
        const d = describe(ids[up]);
        const k = `c:${f.file}#${f.name}>${d.key}`;
        if (!seen.has(k)) {
          seen.add(k);
          add(entry.callers, d, weight);
        }
      }
      if (down < b) {
        const d = describe(ids[down]);
        const k = `e:${f.file}#${f.name}>${d.key}`;
        if (!seen.has(k)) {
          seen.add(k);
          add(entry.callees, d, weight);
        }
      }
    }
  }
  return out;
}

function toCallSites(acc: CallAcc): CallSite[] {
  return [...acc.values()]
    .sort((a, b) => b.weight - a.weight)
    .slice(0, 10)
    .map((c) => ({
      name: c.name,
      weight: c.weight,
      library: c.library,
      ...(c.file ? { file: c.file, line: c.line } : {}),
    }));
}

/**
 * When two categories carry nearly the same weight (within this fraction), the one
 * that says more about what to change wins: a B-tree *clone* is first a clone.
 */
const NEAR_TIE = 0.1;
const CATEGORY_PRIORITY = [
  'clone-heavy',
  'drop-heavy',
  'lock-contention',
  'hashing',
  'formatting',
  'json-materialization',
  'reparsing',
  'thread-pool-overhead',
  'btree-map',
  'allocation-heavy',
  'syscalls-io',
];

function categoryRank(c: string): number {
  const i = CATEGORY_PRIORITY.indexOf(c);
  return i < 0 ? CATEGORY_PRIORITY.length : i;
}

/**
 * Merges the hints of a function's frame keys: per category, the heaviest; then
 * heaviest first, near ties broken by {@link CATEGORY_PRIORITY}.
 */
function mergeHints(lists: readonly (readonly FunctionHint[])[]): HotHint[] {
  const best = new Map<string, FunctionHint>();
  for (const list of lists) {
    for (const h of list) {
      const prev = best.get(h.category);
      if (!prev || h.weight > prev.weight) best.set(h.category, h);
    }
  }
  return [...best.values()]
    .sort((a, b) => {
      const hi = Math.max(a.weight, b.weight);
      if (hi > 0 && Math.abs(a.weight - b.weight) <= NEAR_TIE * hi) {
        return categoryRank(a.category) - categoryRank(b.category) || b.weight - a.weight;
      }
      return b.weight - a.weight;
    })
    .map((h) => ({
      category: h.category,
      label: h.label,
      suggestion: h.suggestion,
      weight: h.weight,
      sharePercent: 100 * h.share,
      frames: h.frames.map((f) => ({ name: f.name, weight: f.weight })),
    }));
}

/** Library hotspots, pseudo-frames and unmapped frames, by total weight. */
function outsideWorkspace(
  profile: Profile,
  frames: readonly FrameMapping[],
  pseudo: ReadonlyMap<number, PseudoFrame['kind']>,
  maxListed: number,
): { libraryHotspots: LibraryFunction[]; unmapped: UnmappedFunction[]; pseudoFrames: PseudoFrame[] } {
  const libraryHotspots: LibraryFunction[] = [];
  const unmapped: UnmappedFunction[] = [];
  const pseudoFrames: PseudoFrame[] = [];
  const stats = aggregateFunctions(profile).sort((a, b) => b.total - a.total);
  for (const s of stats) {
    const statuses = s.frameIds.map((id) => frames[id]);
    if (statuses.some((m) => m.status === 'workspace' && m.definition !== undefined)) continue;
    // A workspace file without a definition (ambiguous function in one file, a name cut
    // short): listed with its file and candidates rather than dropped.
    const inFile = statuses.find((m) => m.status === 'workspace');
    if (inFile) {
      if (unmapped.length < maxListed) {
        const lines = (inFile.candidates ?? []).map((c) => c.startLine).join(', ');
        const reason = `in ${inFile.file}${lines !== '' ? ` (candidates at lines ${lines})` : ''}: ${inFile.reason ?? 'no definition found'}`;
        unmapped.push({ function: s.name, total: s.total, reason });
      }
      continue;
    }
    const kind = pseudo.get(s.frameIds[0]);
    if (kind) {
      if (pseudoFrames.length < maxListed)
        pseudoFrames.push({ name: s.name, kind, self: s.self, total: s.total });
      continue;
    }
    const m = statuses[0];
    const kernel = s.frameIds.some((id) => isKernelFrame(profile.frames[id]));
    if (m.status === 'library' || (m.status === 'unknown' && m.library) || kernel) {
      if (libraryHotspots.length < maxListed) {
        libraryHotspots.push({
          name: m.shortName || s.name,
          self: s.self,
          total: s.total,
          library: kernel ? 'kernel' : (m.library ?? 'unknown'),
          kind: kernel ? 'kernel' : 'library',
        });
      }
    } else if (unmapped.length < maxListed) {
      const reason =
        m.status === 'ambiguous'
          ? `ambiguous: defined in ${(m.candidates ?? []).map((c) => `${c.file}:${c.startLine}`).join(', ')}`
          : (m.reason ?? 'no workspace definition found');
      unmapped.push({ function: s.name, total: s.total, reason });
    }
  }
  return { libraryHotspots, unmapped, pseudoFrames };
}
