import type { HotFunction, HotLine } from './types';

/**
 * Text and numbers as the editor and the CLI show them. Pure functions, so the
 * exact strings a person sees are unit-tested in plain Node.
 */

/** What the text after a hot line shows. */
export type LineTextMode = 'both' | 'total' | 'self' | 'off';

/**
 * Formats a percentage (0–100) for display: one decimal, `<0.1%` for tiny
 * non-zero values, no trailing `.0` for 100.
 */
export function formatPercent(p: number): string {
  if (!(p > 0)) return '0%';
  if (p < 0.1) return '<0.1%';
  if (p >= 99.95) return '100%';
  return `${p.toFixed(1)}%`;
}

/** The three figures of a function or a line, in percent (0–100) of the profile's total. */
export type HeatFigures = Pick<HotLine, 'selfPercent' | 'selfInclLibrariesPercent' | 'totalPercent'>;

/**
 * The three figures as shown everywhere: `52.3% total`, `18.6% self` and
 * `49.5% incl. libraries`; the last is undefined when library code called from here
 * adds nothing to the self figure as displayed (so self never silently includes it).
 */
export function heatFigureTexts(f: HeatFigures): { total: string; self: string; inclLibraries?: string } {
  const incl = formatPercent(f.selfInclLibrariesPercent);
  const self = formatPercent(f.selfPercent);
  return {
    total: `${formatPercent(f.totalPercent)} total`,
    self: `${self} self`,
    ...(incl !== self ? { inclLibraries: `${incl} incl. libraries` } : {}),
  };
}

function inclLibrariesPart(f: HeatFigures): string {
  const t = heatFigureTexts(f);
  return t.inclLibraries ? ` · ${t.inclLibraries}` : '';
}

/**
 * The after-line text of a hot line: `52.3% total · 18.6% self · 49.5% incl. libraries`
 * (mode `both`; the last part only when library code called from the line adds to its
 * self time), `52.3% total` (mode `total`), `18.6% self · 49.5% incl. libraries` (mode
 * `self`), or `undefined` for `off`. The same figures, worded the same, as
 * {@link functionLensTitle}, the hover, the Hotspots view and the CLI.
 */
export function lineText(line: HeatFigures, mode: LineTextMode): string | undefined {
  switch (mode) {
    case 'off':
      return undefined;
    case 'self':
      return `${formatPercent(line.selfPercent)} self${inclLibrariesPart(line)}`;
    case 'total':
      return `${formatPercent(line.totalPercent)} total`;
    default:
      return `${formatPercent(line.totalPercent)} total · ${formatPercent(line.selfPercent)} self${inclLibrariesPart(line)}`;
  }
}

/**
 * The heat CodeLens title of a hot function: `🔥 52.3% total · 18.6% self · 49.5% incl. libraries`
 * (the last part only when library code it calls adds to its self time).
 */
export function functionLensTitle(f: HeatFigures): string {
  return `🔥 ${formatPercent(f.totalPercent)} total · ${formatPercent(f.selfPercent)} self${inclLibrariesPart(f)}`;
}

/**
 * Heat bucket of a share of the total: 4 for ≥ 20%, 3 for ≥ 8%, 2 for ≥ 2%, else 1.
 * @param percent 0–100
 */
export function heatBucket(percent: number): 1 | 2 | 3 | 4 {
  return percent >= 20 ? 4 : percent >= 8 ? 3 : percent >= 2 ? 2 : 1;
}

/** Lines at or above the threshold (percent of the profile's total, by total weight). */
export function visibleLines(lines: readonly HotLine[], thresholdPercent: number): HotLine[] {
  return lines.filter((l) => l.totalPercent >= thresholdPercent || l.selfPercent >= thresholdPercent);
}

/**
 * Formats a weight with its unit for hovers and the CLI: `1,234 samples`,
 * `12.3 ms` (nanoseconds scaled), `4.2 MiB` (bytes scaled), `1,234,567 Ir`.
 * @param weight in `unit`
 */
export function formatWeight(weight: number, unit: string, eventName?: string): string {
  const int = (n: number) => groupThousands(Math.round(n));
  switch (unit) {
    case 'nanoseconds': {
      // scaled by size, so a negative change (a differential weight) reads the same way
      const abs = Math.abs(weight);
      if (abs >= 1e9) return `${(weight / 1e9).toFixed(2)} s`;
      if (abs >= 1e6) return `${(weight / 1e6).toFixed(1)} ms`;
      if (abs >= 1e3) return `${(weight / 1e3).toFixed(1)} µs`;
      return `${int(weight)} ns`;
    }
    case 'bytes': {
      const abs = Math.abs(weight);
      if (abs >= 1 << 30) return `${(weight / (1 << 30)).toFixed(1)} GiB`;
      if (abs >= 1 << 20) return `${(weight / (1 << 20)).toFixed(1)} MiB`;
      if (abs >= 1 << 10) return `${(weight / (1 << 10)).toFixed(1)} KiB`;
      return `${int(weight)} B`;
    }
    case 'samples':
      return `${int(weight)} ${weight === 1 ? 'sample' : 'samples'}`;
    case 'instructions':
      return `${int(weight)} ${eventName && eventName !== 'instructions' ? eventName : 'instructions'}`;
    default:
      return `${int(weight)} ${unit}`;
  }
}

/**
 * Finds where each hot function's definition is now, in a file edited since the
 * profile was recorded, and returns the line shift per function (new − old start
 * line). A function is found by its short name on a definition-looking line
 * nearest to its recorded line; when it is not found its shift is undefined
 * (its annotations stay where they were, shown as stale).
 * @param text the document's current text
 * @param functions hot functions of this file (1-based lines as recorded)
 */
export function reanchorFunctions(
  text: string,
  functions: readonly Pick<HotFunction, 'key' | 'displayName' | 'line'>[],
): Map<string, number | undefined> {
  const lines = text.split(/\r?\n/);
  const out = new Map<string, number | undefined>();
  for (const f of functions) {
    const short = shortName(f.displayName);
    if (!short) {
      out.set(f.key, undefined);
      continue;
    }
    const re = new RegExp(`(^|[^A-Za-z0-9_])${escapeRegExp(short)}\\s*(<[^>]*>\\s*)?\\(`);
    const def =
      /\b(fn|def|func|function|void|int|auto|static|pub|async)\b|=>|^\s*[A-Za-z_][\w:<>,\s*&]*\s+[A-Za-z_]\w*\s*\(/;
    let best: number | undefined;
    for (let i = 0; i < lines.length; i++) {
      if (!re.test(lines[i]) || !def.test(lines[i])) continue;
      if (best === undefined || Math.abs(i + 1 - f.line) < Math.abs(best - f.line)) best = i + 1;
    }
    out.set(f.key, best === undefined ? undefined : best - f.line);
  }
  return out;
}

function shortName(displayName: string): string {
  const noGenerics = displayName.replace(/<[^<>]*>/g, '');
  const parts = noGenerics.split(/::|\.|#/).filter((p) => p && !p.includes('{') && !p.includes('closure'));
  const last = parts[parts.length - 1] ?? '';
  return /^[A-Za-z_$][\w$]*$/.test(last) ? last : '';
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A change since the baseline as the views show it (see {@link changeText}). */
export interface ChangeFigure {
  /** Percent of the baseline value (−95 = 95% less); null when the baseline is 0. */
  readonly changePercent: number | null;
  readonly status: 'improved' | 'regressed' | 'unchanged' | 'new' | 'gone';
}

/**
 * A change since the baseline, short: `▼95% vs baseline` (faster), `▲12% vs baseline`
 * (slower), `≈ vs baseline` (within sampling noise), `new since baseline`, `gone since baseline`.
 */
export function changeText(c: ChangeFigure): string {
  switch (c.status) {
    case 'new':
      return 'new since baseline';
    case 'gone':
      return 'gone since baseline';
    case 'unchanged':
      return '≈ vs baseline';
    default: {
      const p =
        c.changePercent === null
          ? ''
          : `${Math.abs(c.changePercent) >= 10 ? Math.abs(c.changePercent).toFixed(0) : Math.abs(c.changePercent).toFixed(1)}%`;
      return `${c.status === 'improved' ? '▼' : '▲'}${p} vs baseline`;
    }
  }
}

/**
 * How much faster or slower, as a speed-up: `1.39× faster`, `1.12× slower`, or `same speed`
 * within 0.5%. @param changePercent the change of time, percent of the baseline (−28 = 28% less)
 */
export function speedupText(changePercent: number): string {
  if (Math.abs(changePercent) < 0.5 || changePercent <= -100)
    return changePercent <= -100 ? 'gone' : 'same speed';
  const factor = changePercent < 0 ? 100 / (100 + changePercent) : (100 + changePercent) / 100;
  return `${factor.toFixed(2)}× ${changePercent < 0 ? 'faster' : 'slower'}`;
}

/**
 * An integer with commas between groups of three digits (`1,234,567`), as `en-US` prints it,
 * without `toLocaleString` (whose first call loads locale data: a tenth of the CLI's start-up).
 */
export function groupThousands(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const [whole, frac] = String(n).split('.');
  const sign = whole.startsWith('-') ? '-' : '';
  const digits = sign ? whole.slice(1) : whole;
  if (/e/i.test(digits)) return n.toLocaleString('en-US');
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${frac !== undefined ? `.${frac}` : ''}`;
}
