import type { Plan, PlanClaim, PlanGain } from '../plan/types';
import { normalizeFrameName } from '../symbols/normalize';
import { figureOf } from './compare-profiles';
import { comparableName } from './snapshot';
import type { ChangeStatus, FunctionChange, ProfileComparison } from './types';

/** A hotspot claim of the plan, checked against both profiles. */
export interface ClaimCheck {
  /** The claimed symbol as written (a group's members joined with " + "). */
  readonly symbol: string;
  /** The percentage the plan claims (0–100). */
  readonly claimedPercent: number;
  /** Which figure: the claim's `self`, else total. */
  readonly figure: 'self' | 'total';
  /** The figure as a percent of the baseline's total; null when no function matches. */
  readonly baselinePercent: number | null;
  /** The figure as a percent of the current profile's total (scaled to the baseline's work in share mode); null when no function matches. */
  readonly nowPercent: number | null;
  /**
   * Change of the figure's weight (common unit, so not misled by shares: an untouched function's
   * share grows when another gets faster) as a percent of its baseline value; null when
   * unmatched or 0 before.
   */
  readonly changePercent: number | null;
  /** Status of that change (noise judged as for functions); null when unmatched. */
  readonly status: ChangeStatus | null;
  /** Keys of the matched functions (one per group member found). */
  readonly functions: readonly string[];
  /** 1-based line of the claim in the plan. */
  readonly line: number;
  /** Phase (or section) title the claim is written under, or null. */
  readonly phase: string | null;
}

/** Met: the measured improvement reaches the expected minimum; partly: improved beyond noise but less; not met otherwise. */
export type GainVerdict = 'met' | 'partly' | 'not met';

/** An expected gain of the plan, read as a range of improvement and checked against the measured change of the total. */
export interface GainCheck {
  /** Phase (or section) title, or null. */
  readonly phase: string | null;
  /** The statement as written after its label ("25–35% of total runtime", "2-3x faster"). */
  readonly text: string;
  /**
   * Expected improvement range, in percent **less time** (how "X% improvement" is read);
   * a speed-up factor f is converted to 100·(1 − 1/f) ("2x faster" = 50% less time). Null when not numeric.
   */
  readonly min: number | null;
  readonly max: number | null;
  /** The expected range as speed-up factors (time before / time after), or null. */
  readonly minSpeedup: number | null;
  readonly maxSpeedup: number | null;
  /** Measured improvement of the total, percent less time (negative: slower). */
  readonly measuredPercent: number;
  /** Measured speed-up (baseline total / current total). */
  readonly measuredSpeedup: number;
  /** One standard deviation of {@link measuredPercent} from sampling noise, in percentage points. */
  readonly measuredSigmaPercent: number;
  /** Null when the statement has no number. */
  readonly verdict: GainVerdict | null;
  /** 1-based line in the plan. */
  readonly line: number;
}

/** The plan checked against a comparison. */
export interface PlanCheck {
  readonly claims: readonly ClaimCheck[];
  readonly gains: readonly GainCheck[];
}

/**
 * Checks a plan against a comparison: each hotspot claim gets its value in the baseline
 * and now (percent of each total: the plan's own terms), each expected gain is read as a
 * range and judged against the measured change of the total.
 *
 * Claims match functions by name: the claimed symbol's comparable name (demangled, hashes
 * and closure numbers dropped) equal to a function's, else its qualified path equal to, or
 * the tail of, a function's qualified path (`evaluate` matches
 * `hotspot_sample::evaluator::engine::evaluate`); among several, the heaviest in the baseline.
 * A group claim sums its members. The figure is self when the claim says self, else total.
 *
 * Gains: "30-40%", "40-60% improvement" and "Expected gain: 10–15%" are percent less
 * time; "2-3x faster" is a speed-up. Met when the measured improvement is at least the
 * minimum; partly when the total got smaller beyond noise but by less; not met otherwise
 * (the noise of the measurement is given beside it).
 * @param comparison from `compareProfiles`
 * @param plan from `parsePlan`
 * @returns claims and gains in plan order
 */
export function checkPlan(comparison: ProfileComparison, plan: Plan): PlanCheck {
  const titles = new Map<number, string>();
  for (const s of plan.sections) titles.set(s.id, s.title);
  const where = (phaseId: number | null, sectionId: number | null) =>
    (phaseId !== null ? titles.get(phaseId) : undefined) ??
    (sectionId !== null ? titles.get(sectionId) : undefined) ??
    null;
  const finder = functionFinder(comparison.functions);
  const claims = plan.claims.map((c) => checkClaim(comparison, c, finder, where(c.phaseId, c.sectionId)));
  const gains = plan.gains.map((g) => checkGain(comparison, g, where(g.phaseId, g.sectionId)));
  return { claims, gains };
}

function checkClaim(
  comparison: ProfileComparison,
  claim: PlanClaim,
  find: (symbol: string) => FunctionChange | undefined,
  phase: string | null,
): ClaimCheck {
  const figure = claim.kind === 'self' ? 'self' : 'total';
  const found: FunctionChange[] = [];
  for (const s of claim.symbols) {
    const f = find(s);
    if (f && !found.includes(f)) found.push(f);
  }
  const bTotal = comparison.totals.baseline;
  const cTotal = comparison.totals.current;
  let b = 0;
  let c = 0;
  for (const f of found) {
    b += f[figure].baseline;
    c += f[figure].current;
  }
  const matched = found.length > 0;
  return {
    symbol: claim.symbol,
    claimedPercent: claim.percent,
    figure,
    baselinePercent: matched && bTotal > 0 ? (100 * b) / bTotal : null,
    nowPercent: matched && cTotal > 0 ? (100 * c) / cTotal : null,
    changePercent: matched && b > 0 ? (100 * (c - b)) / b : null,
    status: matched ? figureOf(comparison.noise, b, c).status : null,
    functions: found.map((f) => f.key),
    line: claim.line,
    phase,
  };
}

function functionFinder(
  functions: readonly FunctionChange[],
): (symbol: string) => FunctionChange | undefined {
  const byName = new Map<string, FunctionChange[]>();
  const add = (k: string, f: FunctionChange) => {
    if (k === '') return;
    const list = byName.get(k);
    if (list) list.push(f);
    else byName.set(k, [f]);
  };
  for (const f of functions) {
    add(f.name, f);
    if (f.qualifiedName !== f.name) add(f.qualifiedName, f);
  }
  const heaviest = (list: readonly FunctionChange[]) =>
    list.reduce((a, x) => (x.total.baseline > a.total.baseline ? x : a), list[0]);
  return (symbol) => {
    const exact = byName.get(comparableName(symbol)) ?? byName.get(symbol.trim());
    if (exact) return heaviest(exact);
    const path = normalizeFrameName(symbol).qualifiedPath.join('::');
    if (path === '') return undefined;
    const same = byName.get(path);
    if (same) return heaviest(same);
    const tail = functions.filter(
      (f) =>
        f.qualifiedName.endsWith(`::${path}`) || (f.origin === 'workspace' && path.endsWith(`::${f.name}`)),
    );
    return tail.length > 0 ? heaviest(tail) : undefined;
  };
}

function checkGain(comparison: ProfileComparison, gain: PlanGain, phase: string | null): GainCheck {
  const t = comparison.totals;
  const measuredPercent = t.baseline > 0 ? (-100 * t.change) / t.baseline : 0;
  const measuredSpeedup = t.current > 0 ? t.baseline / t.current : Number.POSITIVE_INFINITY;
  let min: number | null = null;
  let max: number | null = null;
  if (gain.low !== null && gain.high !== null && gain.unit !== null) {
    const lo = Math.min(gain.low, gain.high);
    const hi = Math.max(gain.low, gain.high);
    if (gain.unit === 'percent') {
      min = lo;
      max = hi;
    } else {
      min = lo > 0 ? 100 * (1 - 1 / lo) : null;
      max = hi > 0 ? 100 * (1 - 1 / hi) : null;
    }
  }
  const speedup = (p: number | null) =>
    p === null ? null : p >= 100 ? Number.POSITIVE_INFINITY : 100 / (100 - p);
  let verdict: GainVerdict | null = null;
  if (min !== null) {
    if (measuredPercent >= min) verdict = 'met';
    else if (t.status === 'improved') verdict = 'partly';
    else verdict = 'not met';
  }
  return {
    phase,
    text: gain.text,
    min,
    max,
    minSpeedup: speedup(min),
    maxSpeedup: speedup(max),
    measuredPercent,
    measuredSpeedup,
    measuredSigmaPercent: t.baseline > 0 ? (100 * t.sigma) / t.baseline : 0,
    verdict,
    line: gain.line,
  };
}
