/**
 * Text of the flame graph's tooltip and labels: weights with their unit, shares.
 * Pure, shared by the webview and the tests.
 */
import { formatPercent, formatWeight as formatWeightAsShown, groupThousands } from '../analysis/presentation';
import type { WeightUnit } from '../profile/model';

/**
 * A weight in words: `1,234 samples`, `12.3 ms` (nanoseconds scaled to ns/µs/ms/s),
 * `4.0 MiB`, `12 blocks`.
 * @param weight in `unit`
 */
export function formatWeight(weight: number, unit: WeightUnit): string {
  switch (unit) {
    case 'nanoseconds':
    case 'bytes':
    case 'samples':
      // the words the editor's lens, hover and CLI use
      return formatWeightAsShown(weight, unit);
    default: {
      const n = Number.isInteger(weight) ? groupThousands(weight) : weight.toFixed(1);
      return `${n} ${weight === 1 ? unit.replace(/s$/, '') : unit}`;
    }
  }
}

/**
 * A share as a percentage: `12.6%`, `3.1%` (one decimal, as the CodeLens, the line text, the
 * hover and the Hotspots view print it, so the same function reads the same everywhere),
 * with two decimals below 1% (`0.04%`), `<0.01%`, `0%`.
 * @param part and `whole` in the same unit; a zero whole gives `0%`
 */
export function formatShare(part: number, whole: number): string {
  if (!(whole > 0) || part === 0) return '0%';
  const p = (100 * part) / whole;
  if (Math.abs(p) < 0.01) return '<0.01%';
  if (Math.abs(p) < 1) return `${p.toFixed(2)}%`;
  return p > 0 ? formatPercent(p) : `-${formatPercent(-p)}`;
}
