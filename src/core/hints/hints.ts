import { functionKey } from '../profile/aggregate';
import type { Profile } from '../profile/model';
import { asCompiled, type CompiledHintRules, frameLanguage } from './classify';
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

/** Per-function, per-category accumulator. */
interface CategoryAcc {
  /** Stack weight per set of matched rules (key: sorted rule indices joined by ','). */
  readonly masks: Map<string, { readonly rules: number[]; weight: number }>;
  /** Frame name → weight and the rules that frame itself matched. */
  readonly frames: Map<string, { weight: number; readonly rules: Set<number> }>;
}

interface FunctionAcc {
  total: number;
  readonly categories: Map<number, CategoryAcc>;
}

/** What never changes for a (profile, rules) pair: per-frame function ids and matched rules. */
interface FrameTable {
  readonly fnOf: Int32Array;
  readonly fnKeys: string[];
  /** Matched rule indices per frame (shared empty array when none). */
  readonly rulesOf: readonly (readonly number[])[];
}

const EMPTY: readonly number[] = [];
const tableCache = new WeakMap<Profile, WeakMap<CompiledHintRules, FrameTable>>();

function frameTable(profile: Profile, compiled: CompiledHintRules): FrameTable {
  let perRules = tableCache.get(profile);
  if (!perRules) {
    perRules = new WeakMap();
    tableCache.set(profile, perRules);
  }
  const cached = perRules.get(compiled);
  if (cached) return cached;
  const fnOf = new Int32Array(profile.frames.length);
  const fnKeys: string[] = [];
  const fnIndex = new Map<string, number>();
  const rulesOf: (readonly number[])[] = new Array(profile.frames.length);
  profile.frames.forEach((frame, id) => {
    const key = functionKey(frame);
    let fi = fnIndex.get(key);
    if (fi === undefined) {
      fi = fnKeys.length;
      fnKeys.push(key);
      fnIndex.set(key, fi);
    }
    fnOf[id] = fi;
    const lang = frameLanguage(frame);
    const matched: number[] = [];
    for (const r of compiled.rules) if (r.test(frame, lang)) matched.push(r.index);
    rulesOf[id] = matched.length > 0 ? matched : EMPTY;
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

  const accs = new Map<number, FunctionAcc>();
  const seenFn = new Set<number>();
  const matchedPositions: number[] = [];
  let nextBoundary = new Int32Array(64);
  // scratch per window: category index → rule set / frame names
  const windowRules = new Map<number, Set<number>>();
  const windowFrames = new Map<number, Map<string, readonly number[]>>();

  for (const stack of profile.stacks) {
    const frames = stack.frames;
    const w = stack.weight;
    seenFn.clear();
    matchedPositions.length = 0;
    for (let j = 0; j < frames.length; j++) if (rulesOf[frames[j]].length > 0) matchedPositions.push(j);
    let firstMatch = 0; // index into matchedPositions of the first position >= i
    let nextBoundaryReady = false;
    for (let i = 0; i < frames.length; i++) {
      while (firstMatch < matchedPositions.length && matchedPositions[firstMatch] < i) firstMatch++;
      const fn = fnOf[frames[i]];
      if (seenFn.has(fn)) continue;
      seenFn.add(fn);
      if (wanted && !wanted[fn]) continue;
      let acc = accs.get(fn);
      if (!acc) {
        acc = { total: 0, categories: new Map() };
        accs.set(fn, acc);
      }
      acc.total += w;
      if (firstMatch >= matchedPositions.length) continue;
      // the window ends before the first boundary frame of another function
      let stop = frames.length;
      if (isBoundary) {
        if (!nextBoundaryReady) {
          // nextBoundary[j]: first position >= j whose frame is a boundary (frames.length if none)
          if (nextBoundary.length < frames.length + 1) nextBoundary = new Int32Array(frames.length * 2 + 1);
          nextBoundary[frames.length] = frames.length;
          for (let j = frames.length - 1; j >= 0; j--) {
            nextBoundary[j] = boundary(frames[j]) ? j : nextBoundary[j + 1];
          }
          nextBoundaryReady = true;
        }
        stop = nextBoundary[i + 1];
        while (stop < frames.length && fnOf[frames[stop]] === fn) stop = nextBoundary[stop + 1];
      }
      windowRules.clear();
      windowFrames.clear();
      for (let m = firstMatch; m < matchedPositions.length && matchedPositions[m] < stop; m++) {
        const id = frames[matchedPositions[m]];
        const name = profile.frames[id].name;
        for (const r of rulesOf[id]) {
          const ci = compiled.rules[r].categoryIndex;
          let set = windowRules.get(ci);
          if (!set) {
            set = new Set();
            windowRules.set(ci, set);
          }
          set.add(r);
          let names = windowFrames.get(ci);
          if (!names) {
            names = new Map();
            windowFrames.set(ci, names);
          }
          if (!names.has(name))
            names.set(
              name,
              rulesOf[id].filter((x) => compiled.rules[x].categoryIndex === ci),
            );
        }
      }
      for (const [ci, set] of windowRules) {
        let cat = acc.categories.get(ci);
        if (!cat) {
          cat = { masks: new Map(), frames: new Map() };
          acc.categories.set(ci, cat);
        }
        const ruleList = [...set].sort((a, b) => a - b);
        const key = ruleList.join(',');
        const mask = cat.masks.get(key);
        if (mask) mask.weight += w;
        else cat.masks.set(key, { rules: ruleList, weight: w });
        for (const [name, own] of windowFrames.get(ci) ?? []) {
          const f = cat.frames.get(name);
          if (f) {
            f.weight += w;
            for (const r of own) f.rules.add(r);
          } else cat.frames.set(name, { weight: w, rules: new Set(own) });
        }
      }
    }
  }

  const out = new Map<string, FunctionHint[]>();
  for (const [fn, acc] of accs) {
    if (acc.categories.size === 0 || acc.total <= 0) continue;
    const hints: FunctionHint[] = [];
    for (const [, cat] of acc.categories) {
      const hint = finishCategory(cat, acc.total, compiled, minShare, maxFrames);
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
  for (const { rules, weight } of cat.masks.values()) {
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
  for (const m of cat.masks.values()) if (m.rules.some((r) => counting.has(r))) weight += m.weight;
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
