import type { FunctionChange, ProfileComparison } from './types';

/**
 * The workspace functions whose total grew by more than `thresholdPercent` percent of its
 * baseline value **and** beyond noise (status `regressed`): the CI gate of
 * `hotspot-lens diff --fail-on-regression`. New functions (no baseline) are not counted: a
 * renamed or moved-out function would otherwise trip the gate.
 * @param comparison from `compareProfiles`
 * @param thresholdPercent percent of the baseline total of each function (≥ 0)
 * @returns the regressions, biggest growth (percent) first
 * @throws RangeError when the threshold is negative or not a number
 */
export function workspaceRegressions(
  comparison: ProfileComparison,
  thresholdPercent: number,
): FunctionChange[] {
  if (!(thresholdPercent >= 0))
    throw new RangeError(`regression threshold must be a percent >= 0, got ${thresholdPercent}`);
  return comparison.functions
    .filter(
      (f) =>
        f.origin === 'workspace' &&
        f.total.status === 'regressed' &&
        f.total.changePercent !== null &&
        f.total.changePercent > thresholdPercent,
    )
    .sort((a, b) => (b.total.changePercent ?? 0) - (a.total.changePercent ?? 0));
}
