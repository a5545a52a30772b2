/**
 * What a flame graph view needs from a loaded profile, in compact columnar form:
 * the function table (names, kinds, locations, the Hotspots view's keys, hint
 * categories) and the call tree over those functions. Built where the profile is
 * (the loading worker), so the extension host only forwards typed arrays.
 */
import { isKernelFrame, pseudoFramesOf } from '../analysis/pseudo-frames';
import type { CompiledHintRules } from '../hints/classify';
import type { ProfileMapping } from '../mapping/map-profile';
import { functionIndexOf } from '../profile/aggregate';
import { type Profile, stackTableOf, type WeightUnit } from '../profile/model';
import { type FlameTree, FlameTreeBuilder, type PackedFlameTree, packFlameTree } from './flame-tree';

/** Kinds of function, as stored in {@link FlameFunctionTable.kinds}. */
export const FunctionKind = {
  /** Maps to a definition in the workspace. */
  workspace: 0,
  /** A library (standard library, dependency, shared object). */
  library: 1,
  /** Not found in the workspace, not a known library (or ambiguous). */
  unknown: 2,
  /** Kernel code. */
  kernel: 3,
  /** Not a function: a process or thread name, an unsymbolized address. */
  pseudo: 4,
} as const;

/** The functions a tree's nodes refer to, columnar (one entry per function index). */
export interface FlameFunctionTable {
  /** Short display name (`EvaluationContext::child`). */
  readonly names: readonly string[];
  /** The name as the tool wrote it. */
  readonly fullNames: readonly string[];
  /** Identity across profiles (name and file or module), for differential matching. */
  readonly keys: readonly string[];
  /** {@link FunctionKind} per function. */
  readonly kinds: Uint8Array;
  /** Library or module label ('' when none). */
  readonly libraries: readonly string[];
  /** Workspace-relative file for workspace functions, the recorded file otherwise ('' when unknown). */
  readonly files: readonly string[];
  /** 1-based line (the definition's first line for workspace functions); 0 when unknown. */
  readonly lines: Int32Array;
  /** The Hotspots view's key of the function (`file#name#line`), '' when it has none. */
  readonly hotspotKeys: readonly string[];
  /** Index into {@link categoryNames} of the hint category the function's frames match; -1 for none. */
  readonly categories: Int16Array;
  /** Hint category ids (`clone-heavy`, …). */
  readonly categoryNames: readonly string[];
}

/** A flame graph's data: functions, the packed call tree and the profile's facts. */
export interface FlameData {
  /** Short title (the profile's file name). */
  readonly title: string;
  readonly unit: WeightUnit;
  readonly eventName: string;
  /** Sum of all weights, in {@link unit} (the root's total). */
  readonly total: number;
  readonly functions: FlameFunctionTable;
  readonly tree: PackedFlameTree;
}

/**
 * Builds the flame graph data of a mapped profile: frames are merged into functions
 * (same name and file or module), every stack (root first) is added to a call tree
 * over those functions (threads merged under one root), and each function carries
 * its mapping (workspace file and definition line, library, kind), its Hotspots key
 * and its hint category.
 * @param mapping the profile's mapping (`mapProfile`), one entry per frame
 * @param hintRules compiled hint rules for the categories (none when omitted)
 */
export function buildFlameData(
  profile: Profile,
  mapping: ProfileMapping,
  options: { readonly title: string; readonly hintRules?: CompiledHintRules },
): FlameData {
  const frames = profile.frames;
  const { keys, firstFrame, ofFrame: funcOfFrame } = functionIndexOf(profile);
  // each function's frame shown: its first, or its first that maps to the workspace
  const repr = Array.from(firstFrame);
  for (let id = 0; id < frames.length; id++) {
    const f = funcOfFrame[id];
    if (mapping.frames[id].status === 'workspace' && mapping.frames[repr[f]].status !== 'workspace')
      repr[f] = id;
  }
  const hotspotKeyOfFrame = new Map<number, string>();
  for (const s of mapping.functions) {
    if (s.startLine === undefined) continue;
    for (const id of s.frameIds) hotspotKeyOfFrame.set(id, `${s.file}#${s.name}#${s.startLine}`);
  }
  const pseudo = pseudoFramesOf(profile, mapping);
  const n = repr.length;
  const names: string[] = [];
  const fullNames: string[] = [];
  const libraries: string[] = [];
  const files: string[] = [];
  const hotspotKeys: string[] = [];
  const kinds = new Uint8Array(n);
  const lines = new Int32Array(n);
  const categories = new Int16Array(n).fill(-1);
  const categoryNames: string[] = [];
  const categoryIndex = new Map<string, number>();
  for (let f = 0; f < n; f++) {
    const id = repr[f];
    const frame = frames[id];
    const m = mapping.frames[id];
    names.push(m.shortName || frame.name);
    fullNames.push(frame.name);
    let kind: number;
    if (m.status === 'workspace') kind = FunctionKind.workspace;
    else if (pseudo.has(id)) kind = FunctionKind.pseudo;
    else if (isKernelFrame(frame)) kind = FunctionKind.kernel;
    else if (m.status === 'library') kind = FunctionKind.library;
    else kind = FunctionKind.unknown;
    kinds[f] = kind;
    libraries.push(
      kind === FunctionKind.kernel ? 'kernel' : (m.library ?? (frame.module ? baseName(frame.module) : '')),
    );
    if (kind === FunctionKind.workspace) {
      files.push(m.definition?.file ?? m.file ?? '');
      lines[f] = m.definition?.startLine ?? m.line ?? 0;
    } else {
      files.push(frame.file ?? '');
      lines[f] = frame.line ?? 0;
    }
    hotspotKeys.push(hotspotKeyOfFrame.get(id) ?? '');
    if (options.hintRules) {
      const rules = options.hintRules.matchFrame(frame);
      if (rules.length > 0) {
        const cat = options.hintRules.rules[rules[0]].rule.category;
        let c = categoryIndex.get(cat);
        if (c === undefined) {
          c = categoryNames.length;
          categoryNames.push(cat);
          categoryIndex.set(cat, c);
        }
        categories[f] = c;
      }
    }
  }
  const tree = callTreeOfStacks(profile, funcOfFrame, n);
  return {
    title: options.title,
    unit: profile.unit,
    eventName: profile.eventName,
    total: tree.total[0],
    functions: {
      names,
      fullNames,
      keys,
      kinds,
      libraries,
      files,
      lines,
      hotspotKeys,
      categories,
      categoryNames,
    },
    tree: packFlameTree(tree),
  };
}

/**
 * The call tree of a profile's stacks over functions: each stack (root first) is
 * merged into the tree by `funcOfFrame`, its weight becoming its last node's self.
 * @param funcOfFrame function index per frame index
 * @param functionCount size of the function table
 */
export function callTreeOfStacks(
  profile: Profile,
  funcOfFrame: Int32Array,
  functionCount: number,
): FlameTree {
  const b = new FlameTreeBuilder(functionCount);
  const { count, frames, starts, weights } = stackTableOf(profile);
  for (let s = 0; s < count; s++) {
    let node = 0;
    for (let i = starts[s]; i < starts[s + 1]; i++) node = b.child(node, funcOfFrame[frames[i]]);
    b.addSelf(node, weights[s]);
  }
  return b.build();
}

function baseName(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i >= 0 ? p.slice(i + 1) : p;
}
