import type { ProfileComparison } from './types';

/**
 * The comparison as differential folded stacks: one line per call-tree path that has self
 * weight in either profile, `frame;frame;… before after`, root first: the format
 * `difffolded.pl` writes and `flamegraph.pl` reads to draw a differential flame graph (red:
 * grew, blue: shrank). Frames are function display names (`;` inside a name becomes `:`);
 * weights are self weights in the comparison's common unit (share mode: percent of the
 * baseline total, scaled as in the comparison), rounded to integers when the unit is a count
 * or nanoseconds and to 4 decimals for percent. Lines are in call-tree order (heaviest first).
 * @param comparison from `compareProfiles`
 * @returns the lines, without newlines
 */
export function differentialFolded(comparison: ProfileComparison): string[] {
  const { callTree: t, functions } = comparison;
  const round =
    comparison.unit === 'percent'
      ? (n: number) => String(Math.round(n * 1e4) / 1e4)
      : (n: number) => String(Math.round(n));
  const out: string[] = [];
  const path: string[] = [];
  const walk = (node: number) => {
    if (node !== 0) path.push(functions[t.function[node]].name.replaceAll(';', ':'));
    if (node !== 0 && (t.baselineSelf[node] > 0 || t.currentSelf[node] > 0))
      out.push(`${path.join(';')} ${round(t.baselineSelf[node])} ${round(t.currentSelf[node])}`);
    for (let i = t.childStart[node]; i < t.childStart[node + 1]; i++) walk(t.childList[i]);
    if (node !== 0) path.pop();
  };
  if (t.parent.length > 0) walk(0);
  return out;
}
