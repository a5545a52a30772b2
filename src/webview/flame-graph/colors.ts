/// <reference lib="dom" />
/**
 * Frame colours from the workbench theme's CSS variables: workspace code, library
 * code, kernel, unknown and hint categories are told apart; neighbours vary in
 * lightness by a hash of the name. Differential colours: red slower / blue faster,
 * or orange / purple (colour-blind-safe).
 */
import { type FlameFunctionTable, FunctionKind } from '../../core/flame/flame-data';

type Rgb = [number, number, number];

function parseColor(text: string, fallback: Rgb): Rgb {
  const t = text.trim();
  let m = /^#([0-9a-f]{3})$/i.exec(t);
  if (m) return [0, 1, 2].map((i) => Number.parseInt(m![1][i] + m![1][i], 16)) as Rgb;
  m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(t);
  if (m) return [0, 2, 4].map((i) => Number.parseInt(m![1].slice(i, i + 2), 16)) as Rgb;
  m = /^rgba?\(\s*([\d.]+)[ ,]+([\d.]+)[ ,]+([\d.]+)/i.exec(t);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  return fallback;
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

function css(c: Rgb, alpha = 1): string {
  const r = Math.round(c[0]);
  const g = Math.round(c[1]);
  const b = Math.round(c[2]);
  return alpha >= 1 ? `rgb(${r},${g},${b})` : `rgba(${r},${g},${b},${alpha})`;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0) / 2 ** 32;
}

/** The theme's colours, read once per theme change. */
export interface Theme {
  readonly background: string;
  readonly foreground: string;
  readonly dimText: string;
  readonly focus: string;
  readonly highlight: string;
  readonly planMark: string;
  readonly searchOutline: string;
  readonly dark: boolean;
  /** Base colours per kind, [workspace, library, unknown, kernel, pseudo], and the hint colour. */
  readonly kinds: readonly Rgb[];
  readonly hint: Rgb;
  readonly bg: Rgb;
}

/** Reads the workbench theme's colours from the webview's CSS variables. */
export function readTheme(): Theme {
  const s = getComputedStyle(document.body);
  const v = (name: string, fallback: Rgb) => parseColor(s.getPropertyValue(name), fallback);
  const bg = v('--vscode-editor-background', [30, 30, 30]);
  const fg = v('--vscode-editor-foreground', [212, 212, 212]);
  const dark = bg[0] + bg[1] + bg[2] < 384;
  return {
    background: css(bg),
    foreground: css(fg),
    dimText: css(mix(fg, bg, 0.35)),
    focus: css(v('--vscode-focusBorder', [0, 120, 212])),
    highlight: css(v('--vscode-editorCursor-foreground', dark ? [255, 255, 255] : [0, 0, 0])),
    planMark: css(v('--vscode-charts-green', [56, 138, 52])),
    searchOutline: css(v('--vscode-editor-findMatchBorder', dark ? [255, 200, 0] : [180, 100, 0])),
    dark,
    kinds: [
      v('--vscode-charts-orange', [209, 134, 22]),
      v('--vscode-charts-blue', [55, 148, 255]),
      mix(fg, bg, 0.5),
      v('--vscode-charts-purple', [179, 128, 255]),
      mix(fg, bg, 0.65),
    ],
    hint: v('--vscode-charts-red', [244, 135, 113]),
    bg,
  };
}

/**
 * Fill colours per function (by kind and hint category), with lightness varied by
 * name; computed on first use, so a table of 100,000 functions costs nothing up front.
 */
export function functionColors(theme: Theme, f: FlameFunctionTable): (func: number) => string {
  const cache: (string | undefined)[] = new Array(f.names.length);
  return (i) => {
    let c = cache[i];
    if (c === undefined) {
      const kind = f.kinds[i];
      const base = f.categories[i] >= 0 && kind !== FunctionKind.workspace ? theme.hint : theme.kinds[kind];
      const t = (theme.dark ? 0.35 : 0.3) + hash(f.names[i]) * 0.3;
      c = css(mix(base, theme.bg, t));
      cache[i] = c;
    }
    return c;
  };
}

/** Neutral fill (the root, dimmed frames). */
export function neutralColor(theme: Theme): string {
  return css(mix(theme.kinds[2], theme.bg, 0.4));
}

const RED: Rgb = [215, 48, 39];
const BLUE: Rgb = [69, 117, 180];
// ColorBrewer PuOr ends: distinguishable with the common colour-vision deficiencies
const ORANGE: Rgb = [230, 97, 1];
const PURPLE: Rgb = [94, 60, 153];

/**
 * Differential fill from a change in [-1, 1]: slower (positive) red or orange,
 * faster blue or purple, unchanged neutral; stronger with the change.
 */
export function changeColor(theme: Theme, change: number, colorBlindSafe: boolean): string {
  const neutral = mix(theme.kinds[2], theme.bg, 0.3);
  const target = change >= 0 ? (colorBlindSafe ? ORANGE : RED) : colorBlindSafe ? PURPLE : BLUE;
  const t = Math.min(1, Math.sqrt(Math.abs(change)));
  return css(mix(neutral, target, t));
}

/** The legend of the differential colours, for the toolbar. */
export function changeLegend(colorBlindSafe: boolean): { slower: string; faster: string } {
  return colorBlindSafe
    ? { slower: css(ORANGE), faster: css(PURPLE) }
    : { slower: css(RED), faster: css(BLUE) };
}
