import { functionIndexOf } from '../profile/aggregate';
import { type Frame, type Profile, stackTableOf } from '../profile/model';
import { asCompiled, type CompiledHintRules } from './classify';
import type { HintCategory, HintRule } from './types';

/** One frame that made a hint, with the weight of the stacks it appeared in. */
export interface HintFrame {
  /** Frame name as the tool wrote it. */
  readonly name: string;
  /** Weight (profile unit) of the function's stacks in which this frame matched, counted once per stack. */
  readonly weight: number;
}

/** A hint on one function: a category of cost found at or below it, with the evidence. */
export interface FunctionHint {
  readonly category: HintCategory;
  /** Short text for a CodeLens, from the heaviest rule that counted (`clone-heavy: consider Cow/Arc`). */
  readonly label: string;
  /** Longer advice, from the same rule as {@link label}. */
  readonly suggestion: string;
  /** Weight (profile unit) of the function's stacks in which a frame of this category appeared at or below it. */
  readonly weight: number;
  /** {@link weight} divided by the function's total weight, in 0..1. */
  readonly share: number;
  /** The heaviest matching frames (at most `maxFrames`, default 5), heaviest first. */
  readonly frames: readonly HintFrame[];
  /** Ids of the rules that counted, heaviest first. */
  readonly ruleIds: readonly string[];
}

/** Options of {@link hintsForProfile} and {@link hintsForFunction}. */
export interface HintOptions {
  /**
   * Default threshold: a category appears when its rules without their own
   * `minShare` cover at least this share (0..1) of the function's total weight.
   * Default 0.05 (5 %).
   */
  readonly minShare?: number;
  /**
   * Marks frames (by index into `profile.frames`) that are "user" functions in their
   * own right — the editor passes "this frame maps to a workspace file". Walking down
   * from a function, the walk stops at the first such frame of **another** function:
   * cost below it is that function's, not the caller's. Without it every ancestor of
   * a costly frame can get the hint (when above the threshold).
   */
  readonly isBoundary?: (frameId: number) => boolean;
  /** How many evidence frames to keep per hint (default 5). */
  readonly maxFrames?: number;
  /** Compute hints only for these function keys (`functionKey`); default all. */
  readonly functionKeys?: ReadonlySet<string>;
}

/** Per-function, per-category accumulator (built when the pass is done). */
interface CategoryAcc {
  /** Stack weight per set of matched rules (each set once). */
  readonly masks: { readonly rules: readonly number[]; readonly weight: number }[];
  /** Frame name → weight (once per stack) and the rules that frame itself matched. */
  readonly frames: Map<string, { weight: number; readonly rules: Set<number> }>;
}

/** An accumulation slot: a category's rule set (no name) or one frame's evidence (name). */
interface Entry {
  readonly ci: number;
  readonly rules: readonly number[];
  readonly name?: string;
}

/** What never changes for a (profile, rules) pair: per-frame function ids and matched rules. */
interface FrameTable {
  readonly fnOf: Int32Array;
  readonly fnKeys: readonly string[];
  /** Matched rule indices per frame (shared empty array when none). */
  readonly rulesOf: readonly (readonly number[])[];
}

const tableCache = new WeakMap<Profile, WeakMap<CompiledHintRules, FrameTable>>();

function frameTable(profile: Profile, compiled: CompiledHintRules): FrameTable {
  let perRules = tableCache.get(profile);
  if (!perRules) {
    perRules = new WeakMap();
    tableCache.set(profile, perRules);
  }
  const cached = perRules.get(compiled);
  if (cached) return cached;
  const { keys: fnKeys, firstFrame, ofFrame: fnOf } = functionIndexOf(profile);
  const rulesOf: (readonly number[])[] = new Array(profile.frames.length);
  const byClass = new Map<string, readonly number[]>();
  const classify = (frame: Frame): readonly number[] => {
    const classKey = `${frame.name}\u0000${frame.kind ?? ''}\u0000${frame.module ?? ''}\u0000${frame.file ?? ''}`;
    let matched = byClass.get(classKey);
    if (!matched) {
      matched = compiled.matchFrame(frame);
      byClass.set(classKey, matched);
    }
    return matched;
  };
  // the per-line frames of one function share name, kind, module and file: classified once
  const ofFunction: (readonly number[] | undefined)[] = new Array(fnKeys.length);
  profile.frames.forEach((frame, id) => {
    const fn = fnOf[id];
    const first = profile.frames[firstFrame[fn]];
    if (frame.kind === first.kind && frame.module === first.module && frame.file === first.file) {
      let matched = ofFunction[fn];
      if (matched === undefined) {
        matched = classify(first);
        ofFunction[fn] = matched;
      }
      rulesOf[id] = matched;
    } else rulesOf[id] = classify(frame);
  });
  const table = { fnOf, fnKeys, rulesOf };
  perRules.set(compiled, table);
  return table;
}

/**
 * Hints for every function of a profile, in one pass over the unique stacks.
 *
 * For each stack and each function in it, the frames considered are those from the
 * function's outermost occurrence down to the leaf (the function itself included),
 * stopping before the first frame of another function for which `isBoundary` is
 * true. A category's weight for the function is the weight of the stacks in which
 * any of its rules matched such a frame (once per stack); its share is that weight
 * over the function's total (inclusive) weight.
 *
 * Thresholds: the rules of a category without their own `minShare` count together
 * when their stacks reach `options.minShare` (default 0.05) of the total; a rule with
 * `minShare` counts when its own stacks reach that share. A category appears when at
 * least one rule counts, with the weight of the stacks matched by counting rules, and
 * the label and suggestion of the heaviest counting rule.
 *
 * Cost: O(Σ stack depth + matched frames × enclosing functions); frames are
 * classified once per (profile, rules) and cached.
 *
 * @param profile any profile (weights in its unit)
 * @param rules compiled rules, or a rule array (compiled and cached per array)
 * @returns function key (`functionKey`) → hints, heaviest first; functions without
 *   hints are absent
 * @throws RangeError when `minShare` is outside 0..1
 */
export function hintsForProfile(
  profile: Profile,
  rules: CompiledHintRules | readonly HintRule[],
  options: HintOptions = {},
): Map<string, FunctionHint[]> {
  const compiled = asCompiled(rules);
  const minShare = options.minShare ?? 0.05;
  if (!(minShare >= 0 && minShare <= 1)) throw new RangeError(`minShare must be in 0..1, got ${minShare}`);
  const maxFrames = options.maxFrames ?? 5;
  const { fnOf, fnKeys, rulesOf } = frameTable(profile, compiled);
  const wanted = options.functionKeys ? fnKeys.map((k) => options.functionKeys?.has(k) ?? true) : undefined;
  // no function wanted (no workspace function in the profile): nothing to walk
  if (wanted && !wanted.includes(true)) return new Map();
  const isBoundary = options.isBoundary;
  const boundaryCache = isBoundary ? new Int8Array(profile.frames.length) : undefined; // 0 unknown, 1 no, 2 yes
  const boundary = (id: number): boolean => {
    if (!isBoundary || !boundaryCache) return false;
    let b = boundaryCache[id];
    if (b === 0) {
      b = isBoundary(id) ? 2 : 1;
      boundaryCache[id] = b;
    }
    return b === 2;
  };

  // A window is the run of matched frames from a function's outermost frame down to its
  // stop. Within one stack many functions share a window (all those between two matched
  // frames), so each window is turned once per stack into a list of entry ids — one per
  // (category, set of matched rules) and one per (category, frame name, rules of that
  // frame) — and every function that has the window adds the stack weight to each id.
  const totals = new Float64Array(fnKeys.length);
  const present = new Uint8Array(fnKeys.length);
  const weights: (Map<number, number> | undefined)[] = new Array(fnKeys.length);
  const entries: Entry[] = [];
  const entryIndex = new Map<string, number>();
  const seenFn = new Int32Array(fnKeys.length).fill(-1); // stack index that last saw the function
  const matchedPositions: number[] = [];
  const stackWindows = new Map<number, number[]>(); // (firstMatch, stop) → entry ids
  let nextBoundary = new Int32Array(64);

  const entryId = (key: string, make: () => Entry): number => {
    let id = entryIndex.get(key);
    if (id === undefined) {
      id = entries.length;
      entries.push(make());
      entryIndex.set(key, id);
    }
    return id;
  };
  const windowOf = (frames: Int32Array, from: number, stop: number): number[] => {
    const rulesByCategory = new Map<number, number[]>();
    const framesByCategory = new Map<number, Map<string, number[]>>();
    for (let m = from; m < matchedPositions.length && matchedPositions[m] < stop; m++) {
      const id = frames[matchedPositions[m]];
      const name = profile.frames[id].name;
      for (const r of rulesOf[id]) {
        const ci = compiled.rules[r].categoryIndex;
        let rules = rulesByCategory.get(ci);
        if (!rules) {
          rules = [];
          rulesByCategory.set(ci, rules);
          framesByCategory.set(ci, new Map());
        }
        if (!rules.includes(r)) rules.push(r);
        const names = framesByCategory.get(ci) as Map<string, number[]>;
        const own = names.get(name);
        if (!own) names.set(name, [r]);
        else if (!own.includes(r)) own.push(r);
      }
    }
    const ids: number[] = [];
    for (const [ci, rules] of rulesByCategory) {
      rules.sort((a, b) => a - b);
      ids.push(entryId(`m${ci}:${rules.join(',')}`, () => ({ ci, rules })));
      for (const [name, own] of framesByCategory.get(ci) ?? []) {
        own.sort((a, b) => a - b);
        ids.push(entryId(`f${ci}:${own.join(',')}:${name}`, () => ({ ci, rules: own, name })));
      }
    }
    return ids;
  };

  const table = stackTableOf(profile);
  let frames = new Int32Array(64); // the stack being walked, copied out of the table
  for (let si = 0; si < table.count; si++) {
    const a = table.starts[si];
    const length = table.starts[si + 1] - a;
    if (frames.length < length) frames = new Int32Array(length * 2);
    for (let i = 0; i < length; i++) frames[i] = table.frames[a + i];
    const w = table.weights[si];
    let matchedReady = false; // matchedPositions is found for the stack's first wanted function
    let firstMatch = 0; // index into matchedPositions of the first position >= i
    let nextBoundaryReady = false;
    for (let i = 0; i < length; i++) {
      const fn = fnOf[frames[i]];
      if (seenFn[fn] === si) continue;
      seenFn[fn] = si;
      if (wanted && !wanted[fn]) continue;
      present[fn] = 1;
      totals[fn] += w;
      if (!matchedReady) {
        if (stackWindows.size > 0) stackWindows.clear();
        matchedPositions.length = 0;
        for (let j = 0; j < length; j++) if (rulesOf[frames[j]].length > 0) matchedPositions.push(j);
        matchedReady = true;
      }
      while (firstMatch < matchedPositions.length && matchedPositions[firstMatch] < i) firstMatch++;
      if (firstMatch >= matchedPositions.length) continue;
      // the window ends before the first boundary frame of another function
      let stop = length;
      if (isBoundary) {
        if (!nextBoundaryReady) {
          // nextBoundary[j]: first position >= j whose frame is a boundary (length if none)
          if (nextBoundary.length < length + 1) nextBoundary = new Int32Array(length * 2 + 1);
          nextBoundary[length] = length;
          for (let j = length - 1; j >= 0; j--) {
            nextBoundary[j] = boundary(frames[j]) ? j : nextBoundary[j + 1];
          }
          nextBoundaryReady = true;
        }
        stop = nextBoundary[i + 1];
        while (stop < length && fnOf[frames[stop]] === fn) stop = nextBoundary[stop + 1];
        if (matchedPositions[firstMatch] >= stop) continue;
      }
      const windowKey = firstMatch * (length + 1) + stop;
      let window = stackWindows.get(windowKey);
      if (!window) {
        window = windowOf(frames, firstMatch, stop);
        stackWindows.set(windowKey, window);
      }
      let acc = weights[fn];
      if (!acc) {
        acc = new Map();
        weights[fn] = acc;
      }
      for (const e of window) acc.set(e, (acc.get(e) ?? 0) + w);
    }
  }

  const out = new Map<string, FunctionHint[]>();
  for (let fn = 0; fn < fnKeys.length; fn++) {
    const acc = weights[fn];
    if (!present[fn] || !acc || totals[fn] <= 0) continue;
    const categories = new Map<number, CategoryAcc>();
    for (const [e, w] of acc) {
      const entry = entries[e];
      let cat = categories.get(entry.ci);
      if (!cat) {
        cat = { masks: [], frames: new Map() };
        categories.set(entry.ci, cat);
      }
      if (entry.name === undefined) cat.masks.push({ rules: entry.rules, weight: w });
      else {
        const f = cat.frames.get(entry.name);
        if (f) {
          f.weight += w;
          for (const r of entry.rules) f.rules.add(r);
        } else cat.frames.set(entry.name, { weight: w, rules: new Set(entry.rules) });
      }
    }
    const hints: FunctionHint[] = [];
    for (const cat of categories.values()) {
      const hint = finishCategory(cat, totals[fn], compiled, minShare, maxFrames);
      if (hint) hints.push(hint);
    }
    if (hints.length === 0) continue;
    hints.sort(
      (a, b) => b.weight - a.weight || (a.category < b.category ? -1 : a.category > b.category ? 1 : 0),
    );
    out.set(fnKeys[fn], hints);
  }
  return out;
}

/** Applies the thresholds to one category of one function; undefined when it does not appear. */
function finishCategory(
  cat: CategoryAcc,
  total: number,
  compiled: CompiledHintRules,
  minShare: number,
  maxFrames: number,
): FunctionHint | undefined {
  const ruleWeight = new Map<number, number>();
  let defaultGroupWeight = 0;
  for (const { rules, weight } of cat.masks) {
    let hasDefault = false;
    for (const r of rules) {
      ruleWeight.set(r, (ruleWeight.get(r) ?? 0) + weight);
      if (compiled.rules[r].rule.minShare === undefined) hasDefault = true;
    }
    if (hasDefault) defaultGroupWeight += weight;
  }
  const counting = new Set<number>();
  const defaultCounts = defaultGroupWeight > 0 && defaultGroupWeight / total >= minShare;
  for (const [r, weight] of ruleWeight) {
    const own = compiled.rules[r].rule.minShare;
    if (own === undefined ? defaultCounts : weight > 0 && weight / total >= own) counting.add(r);
  }
  if (counting.size === 0) return undefined;
  let weight = 0;
  for (const m of cat.masks) if (m.rules.some((r) => counting.has(r))) weight += m.weight;
  const ranked = [...counting].sort((a, b) => (ruleWeight.get(b) ?? 0) - (ruleWeight.get(a) ?? 0) || a - b);
  const top = compiled.rules[ranked[0]].rule;
  const frames: HintFrame[] = [];
  for (const [name, f] of cat.frames) {
    if ([...f.rules].some((r) => counting.has(r))) frames.push({ name, weight: f.weight });
  }
  frames.sort((a, b) => b.weight - a.weight || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    category: top.category,
    label: top.label,
    suggestion: top.suggestion,
    weight,
    share: weight / total,
    frames: frames.slice(0, Math.max(0, maxFrames)),
    ruleIds: ranked.map((r) => compiled.rules[r].rule.id),
  };
}

/**
 * Hints for one function; see {@link hintsForProfile} for the definitions. Scans all
 * stacks, so to annotate many functions call {@link hintsForProfile} once instead.
 * @param key the function's `functionKey` (name, NUL, file or module)
 * @returns hints heaviest first; empty when the function is absent or has none
 * @throws RangeError when `minShare` is outside 0..1
 */
export function hintsForFunction(
  profile: Profile,
  key: string,
  rules: CompiledHintRules | readonly HintRule[],
  options: Omit<HintOptions, 'functionKeys'> = {},
): FunctionHint[] {
  return hintsForProfile(profile, rules, { ...options, functionKeys: new Set([key]) }).get(key) ?? [];
}
