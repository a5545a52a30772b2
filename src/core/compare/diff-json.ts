import type { PlanCheck } from './plan-check';
import type { ProfileComparison } from './types';

/**
 * The JSON `hotspot-lens diff --json` prints. Weights are in the common unit (`unit` of both
 * sides: the shared unit when `normalization` is `absolute`, `percent` of the baseline total
 * when `share`); every change percent is of the baseline value (negative: less). Lines 1-based,
 * files relative to the root; null where unknown. `functions` lists every function seen in
 * either profile, biggest change of total first (cut to `--top N` when given).
 */
export interface DiffJson {
  readonly baseline: SideJson;
  readonly profile: SideJson;
  readonly normalization: 'absolute' | 'share';
  /** Change of the total weight, percent of the baseline total (−33 = a third less). */
  readonly totalChangePercent: number;
  readonly functions: {
    function: string;
    file: string | null;
    line: number | null;
    library: boolean;
    baselineSelf: number;
    self: number;
    baselineTotal: number;
    total: number;
    selfChangePercent: number | null;
    totalChangePercent: number | null;
    status: 'improved' | 'regressed' | 'unchanged' | 'new' | 'gone';
  }[];
  readonly claims: {
    symbol: string;
    claimedPercent: number;
    baselinePercent: number | null;
    nowPercent: number | null;
    line: number;
  }[];
  readonly expectedGains: {
    phase: string | null;
    text: string;
    /** Expected improvement range, percent less time (speed-ups converted: 2x = 50). */
    min: number | null;
    max: number | null;
    /** Measured improvement of the total, percent less time. */
    measuredPercent: number;
    verdict: 'met' | 'partly' | 'not met' | null;
  }[];
}

interface SideJson {
  source: string;
  format: string;
  /** The common unit of every weight in the JSON. */
  unit: string;
  /** Total in the common unit. */
  total: number;
}

/**
 * Builds the `diff --json` object (see {@link DiffJson}).
 * @param top how many functions to list (biggest change of total first; Infinity for all)
 */
export function toDiffJson(comparison: ProfileComparison, check: PlanCheck, top: number): DiffJson {
  const unit = comparison.unit;
  return {
    baseline: {
      source: comparison.baseline.source,
      format: comparison.baseline.format,
      unit,
      total: round(comparison.totals.baseline),
    },
    profile: {
      source: comparison.current.source,
      format: comparison.current.format,
      unit,
      total: round(comparison.totals.current),
    },
    normalization: comparison.normalization,
    totalChangePercent: round(comparison.totals.changePercent ?? 0),
    functions: comparison.functions.slice(0, top).map((f) => ({
      function: f.name,
      file: f.file ?? null,
      line: f.line ?? null,
      library: f.origin !== 'workspace',
      baselineSelf: round(f.self.baseline),
      self: round(f.self.current),
      baselineTotal: round(f.total.baseline),
      total: round(f.total.current),
      selfChangePercent: roundOrNull(f.self.changePercent),
      totalChangePercent: roundOrNull(f.total.changePercent),
      status: f.status,
    })),
    claims: check.claims.map((c) => ({
      symbol: c.symbol,
      claimedPercent: c.claimedPercent,
      baselinePercent: roundOrNull(c.baselinePercent),
      nowPercent: roundOrNull(c.nowPercent),
      line: c.line,
    })),
    expectedGains: check.gains.map((g) => ({
      phase: g.phase,
      text: g.text,
      min: roundOrNull(g.min),
      max: roundOrNull(g.max),
      measuredPercent: round(g.measuredPercent),
      verdict: g.verdict,
    })),
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function roundOrNull(n: number | null): number | null {
  return n === null ? null : round(n);
}
