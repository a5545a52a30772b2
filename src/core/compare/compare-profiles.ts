import { ChildIndex } from '../profile/child-index';
import type {
  CallTreeChange,
  CallTreeNodeChange,
  ChangeConfidence,
  ChangeStatus,
  ComparedProfileSummary,
  CompareOptions,
  CompareSnapshot,
  FigureChange,
  FunctionChange,
  NoiseModel,
  Normalization,
  ProfileComparison,
  SnapshotFunction,
} from './types';

/**
 * Compares two profiles (issue #14): every function by its identity across recordings
 * and every call-tree path, before and after, with the change, the sampling noise of the
 * change and a status.
 *
 * **Units.** `absolute` puts both in one unit (nanoseconds when both are time — perf
 * `cpu-clock` samples × their period, nanosecond profiles, folded periods — else the shared
 * unit). `auto` picks it when both measure the same thing: time, counter events at a known
 * period, or exact counts of one event; sample counts at an unknown period are not known to
 * measure the same thing, so they are compared as shares. `auto` also picks shares when the two
 * totals are equal (within 3%) while the functions that kept their weight relative to each
 * other all moved together: recordings of one fixed duration, where absolute counts would
 * make every untouched function look slower or faster.
 * In `share` mode weights are percent of the baseline total, and the current profile is
 * scaled so that the functions that did **not** change keep their weight: the scale is the
 * baseline/current ratio of the self weight of the unchanged functions, found by dropping the
 * most significantly changed function and re-estimating until none is left beyond noise (plain
 * shares when what is left is fewer than two functions or less than 5% of the baseline). So when one function gets
 * 95% faster, the others (whose raw shares all grew) come out unchanged, and the measured
 * change of the total is what a fixed workload would have shown.
 *
 * **Noise.** Sample counts are Poisson: a function with n samples has σ = √n samples. A
 * change is beyond noise when it exceeds `noiseSigmas` (default 3) σ of the difference and
 * `minChangePercent` (default 1) percent of the baseline value; otherwise it is unchanged.
 * Exact counts (callgrind, allocation bytes) have no sampling noise; only the percent floor applies.
 *
 * **Status.** `new`: no weight in the baseline; `gone`: none now; else `improved` (less),
 * `regressed` (more) or `unchanged`. A function's status is that of its total.
 *
 * @param baseline snapshot of the earlier profile
 * @param current snapshot of the new profile
 * @param options normalization (`auto`/`absolute`/`share`), noise threshold, percent floor
 * @returns plain data; weights in {@link ProfileComparison.unit}; change percents of the baseline value
 * @throws RangeError when `absolute` is asked for two profiles whose units cannot be converted
 *   into each other (e.g. bytes and samples), naming both
 */
export function compareProfiles(
  baseline: CompareSnapshot,
  current: CompareSnapshot,
  options: CompareOptions = {},
): ProfileComparison {
  const requested = options.normalization ?? 'auto';
  const sigmas = options.noiseSigmas ?? 3;
  const floor = (options.minChangePercent ?? 1) / 100;
  const notes: string[] = [];
  const bm = baseline.measure;
  const cm = current.measure;
  const sameQuantity = bm.quantity === cm.quantity;
  const sameUnit = bm.unit === cm.unit;
  // "the same thing": time, counter events at known periods, or exact counts of one event;
  // samples at an unknown period are not known to be comparable
  const comparable = sameQuantity && !bm.quantity.startsWith('samples:');

  // Match functions by identity.
  const keys = new Map<string, { b?: SnapshotFunction; c?: SnapshotFunction }>();
  for (const f of baseline.functions) keys.set(f.key, { b: f });
  for (const f of current.functions) {
    const e = keys.get(f.key);
    if (e) e.c = f;
    else keys.set(f.key, { c: f });
  }
  const pairs = [...keys.values()];
  const robust = estimateScale(pairs, baseline, current, sigmas, floor);
  const robustUsable = robust.scale > 0 && robust.fraction >= MIN_UNCHANGED_FRACTION && robust.functions >= 2;
  // In absolute terms, what the functions that kept their weight relative to each other
  // now weigh, as a multiple of their baseline weight (1 for the same workload).
  const held = robustUsable ? cm.factor / (robust.scale * bm.factor) : 1;
  const heldShifted = robustUsable && Math.abs(held - 1) > Math.max(0.05, sigmas * robust.relativeSigma);
  const totalsEqual =
    baseline.total > 0 &&
    Math.abs((current.total * cm.factor) / (baseline.total * bm.factor) - 1) <= FIXED_DURATION_TOLERANCE;

  let normalization: Normalization;
  let reason: string;
  if (requested === 'share') {
    normalization = 'share';
    reason = 'shares of each total (asked for)';
  } else if (requested === 'absolute') {
    if (!sameQuantity && !sameUnit)
      throw new RangeError(
        `cannot compare ${baseline.source} (${bm.how}) with ${current.source} (${cm.how}) in absolute terms: different units; use share`,
      );
    normalization = 'absolute';
    reason = sameQuantity
      ? `absolute ${bm.unit} (asked for; both measure ${describe(bm.quantity)})`
      : `absolute ${bm.unit} (asked for, though they measure ${describe(bm.quantity)} and ${describe(cm.quantity)})`;
  } else if (comparable && heldShifted && totalsEqual) {
    normalization = 'share';
    reason = `shares of each total: both measure ${describe(bm.quantity)}, but the totals are equal while the functions that kept their weight relative to each other moved together (${fmtRatio(held)}): recordings of a fixed duration`;
  } else if (comparable) {
    normalization = 'absolute';
    reason = `absolute ${bm.unit}: both measure ${describe(bm.quantity)}`;
  } else {
    normalization = 'share';
    reason = sameQuantity
      ? `shares of each total: both count ${describe(bm.quantity)}, so equal counts need not mean equal time`
      : `shares of each total: the baseline measures ${describe(bm.quantity)}, the current profile ${describe(cm.quantity)}`;
  }
  if (bm.how !== cm.how) notes.push(`baseline: ${bm.how}; current: ${cm.how}`);

  // Per side, weights (own unit) → common unit: kb for the baseline, kc for current.
  let kb: number;
  let kc: number;
  if (normalization === 'absolute') {
    kb = bm.factor;
    kc = cm.factor;
    if (heldShifted && Math.abs(held - 1) > 0.2)
      notes.push(
        `the functions that kept their weight relative to each other weigh ${fmtRatio(held)} their baseline weight in absolute terms: if the recordings ran for a fixed duration, compare shares`,
      );
  } else {
    kb = baseline.total > 0 ? 100 / baseline.total : 0;
    kc = kb * (robustUsable ? robust.scale : baseline.total / (current.total || 1));
    if (!robustUsable)
      notes.push(
        `plain shares of each total: too few functions kept their weight relative to each other to scale by them (${Math.round(100 * robust.fraction)}% of the baseline)`,
      );
    else
      notes.push(
        `current scaled so that the functions that did not change (${Math.round(100 * robust.fraction)}% of the baseline's self weight) keep their weight: one current ${current.unit === 'samples' ? 'sample' : current.unit} counts as ${fmtRatio(robust.scale)} baseline ${baseline.unit}`,
      );
  }
  const noise: NoiseModel = {
    baseline: bm.weightPerSample === null ? 0 : kb * bm.weightPerSample,
    current: cm.weightPerSample === null ? 0 : kc * cm.weightPerSample,
    sigmas,
    minChangePercent: floor * 100,
  };
  const figure = (b: number, c: number): FigureChange => figureOf(noise, b * kb, c * kc);

  const functions: FunctionChange[] = pairs.map(({ b, c }) => {
    const f = (c ?? b) as SnapshotFunction;
    const total = figure(b?.total ?? 0, c?.total ?? 0);
    const line = c?.line ?? b?.line;
    return {
      key: f.key,
      name: f.name,
      qualifiedName: f.qualifiedName,
      origin: f.origin,
      ...(f.file !== undefined ? { file: f.file } : {}),
      ...(line !== undefined ? { line } : {}),
      ...(b?.line !== undefined && c?.line !== undefined && b.line !== c.line
        ? { baselineLine: b.line }
        : {}),
      self: figure(b?.self ?? 0, c?.self ?? 0),
      total,
      selfInclLibraries: figure(b?.selfInclLibraries ?? 0, c?.selfInclLibraries ?? 0),
      status: total.status,
      confidence: confidenceOf(total.z),
    };
  });
  functions.sort(
    (x, y) =>
      Math.abs(y.total.change) - Math.abs(x.total.change) ||
      y.total.baseline - x.total.baseline ||
      x.key.localeCompare(y.key),
  );
  const indexOfKey = new Map(functions.map((f, i) => [f.key, i]));

  const callTree = mergeTrees(baseline, current, indexOfKey, kb, kc);
  return {
    baseline: summary(baseline, kb),
    current: summary(current, kc),
    requested,
    normalization,
    unit: normalization === 'share' ? 'percent' : bm.unit,
    normalizationReason: reason,
    scale: kb > 0 ? kc / kb : 1,
    totals: figure(baseline.total, current.total),
    functions,
    callTree,
    noise,
    factors: { baseline: kb, current: kc },
    notes,
  };
}

/** Share mode scales by the unchanged functions only when they hold at least this fraction of the baseline. */
const MIN_UNCHANGED_FRACTION = 0.05;
/** Totals within this fraction of each other count as equal (recordings of one fixed duration). */
const FIXED_DURATION_TOLERANCE = 0.03;

function describe(quantity: string): string {
  if (quantity === 'time') return 'time';
  const [kind, event] = quantity.split(/:(.*)/s);
  if (kind === 'samples') return `${event} samples at an unknown period`;
  if (kind === 'events') return `${event} events`;
  return `${event} (${kind})`;
}

function fmtRatio(r: number): string {
  return `×${r >= 10 ? r.toFixed(1) : r.toFixed(3)}`;
}

/**
 * One figure before and after, with the sampling noise of the change and its status, as
 * every figure of a comparison is judged (use it for sums the comparison does not list, e.g.
 * the weights of a file's functions added up).
 * @param noise `comparison.noise`
 * @param baseline baseline weight, common unit
 * @param current current weight, common unit
 * @returns the figure; `changePercent` null when the baseline is 0
 */
export function figureOf(noise: NoiseModel, baseline: number, current: number): FigureChange {
  const b = baseline;
  const c = current;
  const change = c - b;
  const sigma = Math.sqrt(noise.baseline * b + noise.current * c);
  const z = change === 0 ? 0 : sigma > 0 ? Math.abs(change) / sigma : Number.POSITIVE_INFINITY;
  let status: ChangeStatus;
  if (b <= 0 && c <= 0) status = 'unchanged';
  else if (b <= 0) status = 'new';
  else if (c <= 0) status = 'gone';
  else if (z < noise.sigmas || Math.abs(change) < (noise.minChangePercent / 100) * b) status = 'unchanged';
  else status = change < 0 ? 'improved' : 'regressed';
  return {
    baseline: b,
    current: c,
    change,
    changePercent: b > 0 ? (100 * change) / b : null,
    sigma,
    z,
    status,
  };
}

/**
 * Compares two weights given in each profile's own unit (e.g. a hot line's total from the
 * baseline's and the current profile's `ProfileAnalysis`), converted and judged exactly like
 * the comparison's functions.
 * @param comparison from `compareProfiles`
 * @param baselineWeight in the baseline profile's unit
 * @param currentWeight in the current profile's unit
 * @returns the figure in the common unit
 */
export function compareWeights(
  comparison: ProfileComparison,
  baselineWeight: number,
  currentWeight: number,
): FigureChange {
  return figureOf(
    comparison.noise,
    baselineWeight * comparison.factors.baseline,
    currentWeight * comparison.factors.current,
  );
}

/**
 * One node of the merged call tree with its figures.
 * @param comparison from `compareProfiles`
 * @param index node index (0 is the root)
 * @throws RangeError for an index outside the tree
 */
export function callTreeNode(comparison: ProfileComparison, index: number): CallTreeNodeChange {
  const t = comparison.callTree;
  if (!(index >= 0 && index < t.parent.length)) throw new RangeError(`no call-tree node ${index}`);
  return {
    index,
    parent: t.parent[index],
    function: t.function[index],
    children: Array.from(t.childList.subarray(t.childStart[index], t.childStart[index + 1])),
    self: figureOf(comparison.noise, t.baselineSelf[index], t.currentSelf[index]),
    total: figureOf(comparison.noise, t.baselineTotal[index], t.currentTotal[index]),
  };
}

function confidenceOf(z: number): ChangeConfidence {
  return z >= 3 ? 'sure' : z >= 2 ? 'likely' : 'noise';
}

function summary(s: CompareSnapshot, k: number): ComparedProfileSummary {
  return {
    source: s.source,
    format: s.format,
    formatLabel: s.formatLabel,
    unit: s.unit,
    eventName: s.eventName,
    total: s.total,
    ...(s.sampleCount !== undefined ? { sampleCount: s.sampleCount } : {}),
    commonTotal: s.total * k,
    measure: s.measure,
  };
}

/**
 * The ratio (baseline / current, in each profile's own unit) of the self weight of the
 * functions that did not change: starting from all functions, the one whose self weight
 * deviates most (in σ of Poisson noise, or 1% of its value for exact counts) from the
 * current ratio is dropped and the ratio re-estimated, until no function deviates beyond
 * `sigmas`, or dropping one more would leave fewer than two functions or less than 2% of the
 * baseline. Self weights partition
 * each total, so untouched code is weighed once.
 * @returns the scale (0 when the current profile is empty), the fraction of the baseline's weight
 *   it rests on, how many functions (with weight on both sides) that is, and the scale's relative
 *   standard deviation from sampling noise
 */
function estimateScale(
  pairs: readonly { b?: SnapshotFunction; c?: SnapshotFunction }[],
  baseline: CompareSnapshot,
  current: CompareSnapshot,
  sigmas: number,
  floor: number,
): { scale: number; fraction: number; relativeSigma: number; functions: number } {
  const n = pairs.length;
  const bs = new Float64Array(n);
  const cs = new Float64Array(n);
  let sumB = 0;
  let sumC = 0;
  for (let i = 0; i < n; i++) {
    bs[i] = pairs[i].b?.self ?? 0;
    cs[i] = pairs[i].c?.self ?? 0;
    sumB += bs[i];
    sumC += cs[i];
  }
  if (sumC <= 0 || sumB <= 0) return { scale: 0, fraction: 0, relativeSigma: 0, functions: 0 };
  const qb = baseline.measure.weightPerSample;
  const qc = current.measure.weightPerSample;
  const active = new Uint8Array(n).fill(1);
  const minB = 0.02 * sumB;
  let left = 0;
  for (let i = 0; i < n; i++) if (bs[i] > 0 && cs[i] > 0) left++;
  const maxRounds = Math.min(n, 500);
  let scale = sumB / sumC;
  for (let round = 0; round < maxRounds; round++) {
    scale = sumB / sumC;
    let worst = -1;
    let worstZ = sigmas;
    for (let i = 0; i < n; i++) {
      if (!active[i] || (bs[i] === 0 && cs[i] === 0)) continue;
      const c = cs[i] * scale;
      const d = Math.abs(c - bs[i]);
      if (d < floor * Math.max(bs[i], c)) continue;
      const variance =
        (qb === null ? (0.01 * bs[i]) ** 2 : qb * bs[i]) +
        (qc === null ? (0.01 * c) ** 2 : scale * scale * qc * cs[i]);
      const z = variance > 0 ? d / Math.sqrt(variance) : Number.POSITIVE_INFINITY;
      if (z > worstZ) {
        worstZ = z;
        worst = i;
      }
    }
    if (worst < 0) break;
    if (sumB - bs[worst] < minB || sumC - cs[worst] <= 0 || (bs[worst] > 0 && cs[worst] > 0 && left <= 2))
      break;
    if (bs[worst] > 0 && cs[worst] > 0) left--;
    active[worst] = 0;
    sumB -= bs[worst];
    sumC -= cs[worst];
  }
  // relative σ of the scale from Poisson noise of the two sums (exact counts: none)
  const relativeSigma = Math.sqrt((qb === null ? 0 : qb / sumB) + (qc === null ? 0 : qc / sumC));
  return {
    scale: sumB / sumC,
    fraction: sumB / Math.max(1e-300, baseline.total),
    relativeSigma,
    functions: left,
  };
}

function mergeTrees(
  baseline: CompareSnapshot,
  current: CompareSnapshot,
  indexOfKey: ReadonlyMap<string, number>,
  kb: number,
  kc: number,
): CallTreeChange {
  // merged node per (merged parent, function index)
  const parent: number[] = [-1];
  const fn: number[] = [-1];
  const child = new ChildIndex();
  const maps: Int32Array[] = [];
  for (const snap of [baseline, current]) {
    const fnIndex = snap.functions.map((f) => indexOfKey.get(f.key) as number);
    const mapped = new Int32Array(snap.treeParent.length);
    for (let i = 1; i < snap.treeParent.length; i++) {
      const p = mapped[snap.treeParent[i]];
      const f = fnIndex[snap.treeFunction[i]];
      const m = child.childOr(p, f, parent.length);
      if (m === parent.length) {
        parent.push(p);
        fn.push(f);
      }
      mapped[i] = m;
    }
    maps.push(mapped);
  }
  const n = parent.length;
  const bSelf = new Float64Array(n);
  const bTotal = new Float64Array(n);
  const cSelf = new Float64Array(n);
  const cTotal = new Float64Array(n);
  const fill = (
    snap: CompareSnapshot,
    mapped: Int32Array,
    k: number,
    self: Float64Array,
    total: Float64Array,
  ) => {
    for (let i = 0; i < snap.treeParent.length; i++) {
      self[mapped[i]] += snap.treeSelf[i] * k;
      total[mapped[i]] += snap.treeTotal[i] * k;
    }
  };
  fill(baseline, maps[0], kb, bSelf, bTotal);
  fill(current, maps[1], kc, cSelf, cTotal);
  // children, heaviest first (compressed: counts, offsets, then each node's list sorted)
  const childStart = new Int32Array(n + 1);
  for (let i = 1; i < n; i++) childStart[parent[i] + 1]++;
  for (let i = 0; i < n; i++) childStart[i + 1] += childStart[i];
  const childList = new Int32Array(Math.max(0, n - 1));
  const fillAt = childStart.slice(0, n);
  for (let i = 1; i < n; i++) childList[fillAt[parent[i]]++] = i;
  for (let i = 0; i < n; i++) {
    const from = childStart[i];
    const to = childStart[i + 1];
    if (to - from > 1)
      childList.subarray(from, to).sort((x, y) => cTotal[y] - cTotal[x] || bTotal[y] - bTotal[x] || x - y);
  }
  return {
    parent: Int32Array.from(parent),
    function: Int32Array.from(fn),
    baselineSelf: bSelf,
    currentSelf: cSelf,
    baselineTotal: bTotal,
    currentTotal: cTotal,
    childStart,
    childList,
  };
}
