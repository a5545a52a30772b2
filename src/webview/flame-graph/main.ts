/// <reference lib="dom" />
/**
 * The flame graph webview (bundled to `dist/webview/flame-graph.js`, IIFE for the
 * browser). Receives the columnar data from the extension, draws it with our own
 * canvas renderer, and asks the extension to open sources and reveal hotspots by
 * function index only. Protocol: `src/vscode/flame-graph/protocol.ts`.
 */

import { annotateWithBaseline, type BaselineAnnotation, changeScale } from '../../core/flame/differential';
import { type FlameData, type FlameFunctionTable, FunctionKind } from '../../core/flame/flame-data';
import { expandFlameTree, type FlameTree, pathTo } from '../../core/flame/flame-tree';
import { formatShare, formatWeight } from '../../core/flame/format';
import { type FlameMove, moveFocus } from '../../core/flame/layout';
import {
  collapseLibraryRuns,
  functionWeights,
  matchFunctions,
  type Sandwich,
  type SearchResult,
  sandwich,
  searchTree,
} from '../../core/flame/transforms';
import type {
  FlamePlanMark,
  FlameStateReport,
  FlameTestAction,
  FlameViewOptions,
  HostMessage,
} from '../../vscode/flame-graph/protocol';
import { changeColor, changeLegend, functionColors, neutralColor, readTheme, type Theme } from './colors';
import { FlamePane, type PaneStyle } from './pane';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };
const vscode = acquireVsCodeApi();
const post = (m: unknown) => vscode.postMessage(m);

type Mode = 'tree' | 'sandwich' | 'disappeared';

interface Model {
  data: FlameData;
  baseline: FlameData | undefined;
  full: FlameTree;
  baselineFull: FlameTree | undefined;
  collapsed: FlameTree | undefined;
  baselineCollapsed: FlameTree | undefined;
  /** The tree shown in `tree` mode. */
  tree: FlameTree;
  annotation: BaselineAnnotation | undefined;
  change: Float32Array | undefined;
  colors: (func: number) => string;
  baselineColors: (func: number) => string;
  /** Names searched (short and full), built on the first search. */
  searchable: string[] | undefined;
}

const app = document.getElementById('flame-app') as HTMLDivElement;
let model: Model | undefined;
let options: FlameViewOptions = { orientation: 'flame', collapseLibraryFrames: false, colorBlindSafe: false };
let theme: Theme = readTheme();
let mode: Mode = 'tree';
let search: { pattern: string; funcs: Uint8Array; result: SearchResult } | undefined;
let highlightKey: string | null = null;
let highlightFuncs = new Uint8Array(0);
let planByKey = new Map<string, readonly string[]>();
let planFuncs = new Uint8Array(0);
let sandwichOf: Sandwich | undefined;
let firstPaintMs: number | null = null;

// ---- DOM ----
const toolbar = el('div', 'toolbar');
toolbar.setAttribute('role', 'toolbar');
const breadcrumb = el('nav', 'breadcrumb');
breadcrumb.setAttribute('aria-label', 'Zoom path');
const searchBox = el('input', 'search') as HTMLInputElement;
searchBox.type = 'search';
searchBox.placeholder = 'Search (regex)';
searchBox.setAttribute('aria-label', 'Search functions (regular expression)');
const searchInfo = el('span', 'search-info');
searchInfo.setAttribute('aria-live', 'polite');
const orientation = el('select', 'orientation') as HTMLSelectElement;
orientation.setAttribute('aria-label', 'Layout');
for (const [v, t] of [
  ['flame', 'Flame (root at bottom)'],
  ['icicle', 'Icicle (root at top)'],
]) {
  const o = document.createElement('option');
  o.value = v;
  o.textContent = t;
  orientation.append(o);
}
const collapse = checkbox(
  'Only my code',
  'Collapse runs of library frames into the frame that entered the library',
);
const sandwichButton = el('button', 'sandwich-button') as HTMLButtonElement;
sandwichButton.textContent = 'Sandwich';
sandwichButton.title = 'Callers and callees of the selected function';
const diffGroup = el('span', 'diff');
const colorBlind = checkbox('Colour-blind safe', 'Orange/purple instead of red/blue');
const disappearedButton = el('button', 'disappeared-button') as HTMLButtonElement;
const legend = el('span', 'legend');
diffGroup.append(legend, colorBlind.label, disappearedButton);
toolbar.append(searchBox, searchInfo, orientation, collapse.label, sandwichButton, diffGroup);
const status = el('div', 'status');
const scroller = el('div', 'scroller');
const tooltip = el('div', 'tooltip');
tooltip.setAttribute('role', 'tooltip');
tooltip.hidden = true;
const live = el('div', 'sr-only');
live.setAttribute('aria-live', 'polite');
app.append(toolbar, breadcrumb, status, scroller, tooltip, live);

const sandwichTitle = el('div', 'sandwich-title');
const mainPane = new FlamePane(scroller, 'flame', styleFor('main'), 'Flame graph');
const callersPane = new FlamePane(scroller, 'flame', styleFor('callers'), 'Callers of the selected function');
const calleesPane = new FlamePane(
  scroller,
  'icicle',
  styleFor('callees'),
  'Callees of the selected function',
);
scroller.insertBefore(sandwichTitle, calleesPane.element);
callersPane.element.hidden = true;
calleesPane.element.hidden = true;
sandwichTitle.hidden = true;

function el(tag: string, cls: string): HTMLElement {
  const e = document.createElement(tag);
  e.className = cls;
  return e;
}

function checkbox(text: string, title: string): { label: HTMLLabelElement; input: HTMLInputElement } {
  const label = document.createElement('label');
  label.className = 'toggle';
  label.title = title;
  const input = document.createElement('input');
  input.type = 'checkbox';
  label.append(input, document.createTextNode(` ${text}`));
  return { label, input };
}

// ---- model ----
function table(pane: FlamePane): FlameFunctionTable | undefined {
  if (!model) return undefined;
  return pane === mainPane && mode === 'disappeared' ? model.baseline?.functions : model.data.functions;
}

function isLibraryKind(f: FlameFunctionTable) {
  return (func: number) => f.kinds[func] !== FunctionKind.workspace;
}

function setData(data: FlameData, baseline: FlameData | undefined, opts: FlameViewOptions): void {
  const full = expandFlameTree(data.tree);
  const baselineFull = baseline ? expandFlameTree(baseline.tree) : undefined;
  model = {
    data,
    baseline,
    full,
    baselineFull,
    collapsed: undefined,
    baselineCollapsed: undefined,
    tree: full,
    annotation: undefined,
    change: undefined,
    colors: functionColors(theme, data.functions),
    baselineColors: functionColors(theme, (baseline ?? data).functions),
    searchable: undefined,
  };
  options = opts;
  mode = 'tree';
  sandwichOf = undefined;
  search = undefined;
  highlightFuncs = new Uint8Array(data.functions.names.length);
  planFuncs = new Uint8Array(data.functions.names.length);
  applyHighlight();
  applyPlanMarks();
  rebuildTree();
}

/** Picks the full or collapsed tree and recomputes what depends on it. */
function rebuildTree(): void {
  if (!model) return;
  const m = model;
  const fcount = m.data.functions.names.length;
  if (options.collapseLibraryFrames) {
    m.collapsed ??= collapseLibraryRuns(m.full, fcount, isLibraryKind(m.data.functions));
    if (m.baseline && m.baselineFull)
      m.baselineCollapsed ??= collapseLibraryRuns(
        m.baselineFull,
        m.baseline.functions.names.length,
        isLibraryKind(m.baseline.functions),
      );
  }
  m.tree = options.collapseLibraryFrames && m.collapsed ? m.collapsed : m.full;
  const base = options.collapseLibraryFrames ? m.baselineCollapsed : m.baselineFull;
  if (m.baseline && base) {
    m.annotation = annotateWithBaseline(
      { tree: m.tree, keys: m.data.functions.keys },
      { tree: base, keys: m.baseline.functions.keys },
    );
    m.change = changeScale(m.tree, m.annotation);
  } else {
    m.annotation = undefined;
    m.change = undefined;
  }
  if (search) runSearch(search.pattern);
  mainPane.setTree(
    mode === 'disappeared' && m.annotation ? m.annotation.disappeared : m.tree,
    options.orientation,
  );
  if (sandwichOf) sandwichOf = sandwich(m.tree, sandwichOf.func, fcount);
  syncControls();
}

function styleFor(which: 'main' | 'callers' | 'callees'): PaneStyle {
  const pane = () => (which === 'main' ? mainPane : which === 'callers' ? callersPane : calleesPane);
  return {
    fill: (n) => {
      const p = pane();
      const f = p.tree?.func[n] ?? -1;
      if (!model || f < 0) return neutralColor(theme);
      if (which === 'main' && mode === 'tree' && model.change)
        return changeColor(theme, model.change[n], options.colorBlindSafe);
      return which === 'main' && mode === 'disappeared' ? model.baselineColors(f) : model.colors(f);
    },
    label: (n) => {
      const p = pane();
      const f = p.tree?.func[n] ?? -1;
      const t = table(p);
      if (f < 0 || !t) return model ? `all (${formatWeight(p.tree?.total[n] ?? 0, model.data.unit)})` : 'all';
      const folded = p.tree?.folded[n] ?? 0;
      return folded > 0 ? `${t.names[f]} (+${folded})` : t.names[f];
    },
    dimmed: (n) => {
      const p = pane();
      if (!search || p !== mainPane || mode !== 'tree') return false;
      const f = p.tree?.func[n] ?? -1;
      return f >= 0 && !search.funcs[f];
    },
    outline: (n) => {
      const p = pane();
      const f = p.tree?.func[n] ?? -1;
      if (f < 0 || (p === mainPane && mode === 'disappeared')) return undefined;
      if (highlightFuncs[f]) return theme.highlight;
      if (search && p === mainPane && search.funcs[f]) return theme.searchOutline;
      return undefined;
    },
    marked: (n) => {
      const p = pane();
      const f = p.tree?.func[n] ?? -1;
      return f >= 0 && !(p === mainPane && mode === 'disappeared') && planFuncs[f] === 1;
    },
    get textColor() {
      return theme.foreground;
    },
    get dimColor() {
      return theme.dimText;
    },
    get markColor() {
      return theme.planMark;
    },
    get focusColor() {
      return theme.focus;
    },
    get hoverColor() {
      return theme.foreground;
    },
    get background() {
      return theme.background;
    },
  };
}

// ---- painting ----
function paintAll(): number {
  if (!model) return 0;
  let rects = 0;
  const sandwiching = mode === 'sandwich' && sandwichOf;
  mainPane.element.hidden = !!sandwiching;
  callersPane.element.hidden = !sandwiching;
  calleesPane.element.hidden = !sandwiching;
  sandwichTitle.hidden = !sandwiching;
  if (sandwiching && sandwichOf) {
    const name = model.data.functions.names[sandwichOf.func];
    sandwichTitle.textContent = `▲ callers of ${name} · callees ▼ — ${formatWeight(sandwichOf.total, model.data.unit)} total, ${formatWeight(sandwichOf.self, model.data.unit)} self`;
    rects += callersPane.paint() + calleesPane.paint();
  } else {
    rects += mainPane.paint();
  }
  renderBreadcrumb();
  return rects;
}

function renderBreadcrumb(): void {
  breadcrumb.replaceChildren();
  const pane = mainPane;
  if (!model || !pane.tree || mode === 'sandwich') {
    if (mode === 'sandwich') {
      const back = el('button', 'crumb') as HTMLButtonElement;
      back.textContent = '← Back to the flame graph';
      back.onclick = () => setMode('tree');
      breadcrumb.append(back);
    }
    return;
  }
  if (mode === 'disappeared') {
    const back = el('button', 'crumb') as HTMLButtonElement;
    back.textContent = '← Back to the differential flame graph';
    back.onclick = () => setMode('tree');
    breadcrumb.append(back, document.createTextNode(' Stacks of the baseline that no longer occur: '));
  }
  const path = pathTo(pane.tree, pane.zoom);
  path.forEach((n, i) => {
    if (i > 0) breadcrumb.append(document.createTextNode(' › '));
    const b = el('button', 'crumb') as HTMLButtonElement;
    const t = table(pane);
    const f = pane.tree!.func[n];
    b.textContent = f < 0 || !t ? 'all' : t.names[f];
    b.disabled = n === pane.zoom;
    b.onclick = () => zoomTo(pane, n);
    breadcrumb.append(b);
  });
  breadcrumb.scrollLeft = breadcrumb.scrollWidth;
}

function syncControls(): void {
  orientation.value = options.orientation;
  collapse.input.checked = options.collapseLibraryFrames;
  colorBlind.input.checked = options.colorBlindSafe;
  const differential = !!model?.annotation;
  diffGroup.hidden = !differential;
  if (differential && model?.annotation) {
    const l = changeLegend(options.colorBlindSafe);
    legend.replaceChildren();
    const sw = (c: string, t: string) => {
      const s = el('span', 'swatch');
      s.style.background = c;
      legend.append(s, document.createTextNode(` ${t} `));
    };
    sw(l.slower, 'slower');
    sw(l.faster, 'faster');
    const gone = model.annotation.disappeared.total[0];
    disappearedButton.textContent =
      mode === 'disappeared'
        ? 'Back to the differential'
        : `Disappeared stacks (${formatShare(gone, model.annotation.baselineRootTotal)} of baseline)`;
    disappearedButton.disabled = gone === 0 && mode !== 'disappeared';
  }
  sandwichButton.disabled = !model || (mode !== 'sandwich' && selectedFunc() < 0);
  sandwichButton.textContent = mode === 'sandwich' ? 'Flame graph' : 'Sandwich';
}

function selectedFunc(): number {
  const p = mainPane;
  const n = p.selected >= 0 ? p.selected : p.focused;
  return n >= 0 && p.tree && mode === 'tree' ? p.tree.func[n] : -1;
}

function setMode(next: Mode): void {
  if (!model) return;
  if (next === 'sandwich') {
    const f = sandwichOf?.func ?? selectedFunc();
    if (f < 0) return;
    showSandwich(f);
    return;
  }
  mode = next;
  mainPane.setTree(
    next === 'disappeared' && model.annotation ? model.annotation.disappeared : model.tree,
    options.orientation,
  );
  syncControls();
  paintAll();
}

function showSandwich(func: number): void {
  if (!model) return;
  sandwichOf = sandwich(model.tree, func, model.data.functions.names.length);
  mode = 'sandwich';
  callersPane.setTree(sandwichOf.callers, 'flame');
  calleesPane.setTree(sandwichOf.callees, 'icicle');
  syncControls();
  paintAll();
  scroller.scrollTop = Math.max(
    0,
    callersPane.element.offsetTop + callersPane.element.offsetHeight - scroller.clientHeight / 2,
  );
}

function zoomTo(pane: FlamePane, node: number): void {
  if (!pane.tree) return;
  const t0 = performance.now();
  pane.zoom = node;
  pane.focused = node;
  pane.paint();
  renderBreadcrumb();
  lastZoomMs = performance.now() - t0;
  app.dataset.lastPaintMs = lastZoomMs.toFixed(1);
}
let lastZoomMs = 0;

// ---- search, highlight, plan marks ----
function runSearch(pattern: string): void {
  if (!model) return;
  if (pattern.trim() === '') {
    search = undefined;
    searchInfo.textContent = '';
    searchBox.classList.remove('invalid');
    return;
  }
  let funcs: Uint8Array;
  try {
    const fn = model.data.functions;
    model.searchable ??= fn.names.map((n, i) => (n === fn.fullNames[i] ? n : `${n}\n${fn.fullNames[i]}`));
    funcs = matchFunctions(model.searchable, pattern);
  } catch (e) {
    searchBox.classList.add('invalid');
    searchInfo.textContent = `invalid pattern: ${e instanceof Error ? e.message : String(e)}`;
    return;
  }
  searchBox.classList.remove('invalid');
  const result = searchTree(model.tree, funcs);
  search = { pattern, funcs, result };
  searchInfo.textContent =
    result.nodes === 0
      ? 'no match'
      : `matched ${formatShare(result.weight, model.tree.total[0])} of total (${formatWeight(result.weight, model.data.unit)}, ${result.nodes} frames)`;
}

function applyHighlight(): void {
  if (!model) return;
  highlightFuncs.fill(0);
  if (highlightKey) {
    const keys = model.data.functions.hotspotKeys;
    for (let i = 0; i < keys.length; i++) if (keys[i] === highlightKey) highlightFuncs[i] = 1;
  }
}

function applyPlanMarks(): void {
  if (!model) return;
  planFuncs.fill(0);
  const keys = model.data.functions.hotspotKeys;
  for (let i = 0; i < keys.length; i++) if (keys[i] && planByKey.has(keys[i])) planFuncs[i] = 1;
}

/** Zooms to the heaviest node of a function (Hotspots key) and selects it. */
function focusHotspot(key: string): boolean {
  if (!model) return false;
  const keys = model.data.functions.hotspotKeys;
  const tree = model.tree;
  let best = -1;
  for (let i = 1; i < tree.count; i++) {
    const f = tree.func[i];
    if (keys[f] === key && (best < 0 || tree.total[i] > tree.total[best])) best = i;
  }
  if (best < 0) return false;
  if (mode !== 'tree') setMode('tree');
  mainPane.selected = best;
  zoomTo(mainPane, best);
  mainPane.reveal(best, scroller);
  announce(mainPane, best);
  syncControls();
  return true;
}

// ---- tooltip and screen reader text ----
function describe(pane: FlamePane, n: number): { title: string; lines: string[] } {
  const tree = pane.tree;
  const t = table(pane);
  if (!model || !tree || !t) return { title: '', lines: [] };
  const unit =
    (pane === mainPane && mode === 'disappeared' ? model.baseline?.unit : model.data.unit) ?? model.data.unit;
  const whole = pane === mainPane ? tree.total[0] : model.tree.total[0];
  const f = tree.func[n];
  if (f < 0) return { title: 'all', lines: [`Total: ${formatWeight(tree.total[n], unit)}`] };
  const w = pane === mainPane && mode !== 'disappeared' ? functionWeights(tree, f) : undefined;
  const lines = [
    `Total: ${formatShare(tree.total[n], whole)} · ${formatWeight(tree.total[n], unit)}`,
    `Self: ${formatShare(tree.self[n], whole)} · ${formatWeight(tree.self[n], unit)}`,
  ];
  if (w) lines.push(`All calls: ${formatShare(w.total, whole)} total · ${formatShare(w.self, whole)} self`);
  if (t.kinds[f] === FunctionKind.workspace)
    lines.push(`${t.files[f]}${t.lines[f] > 0 ? `:${t.lines[f]}` : ''}`);
  else {
    const kind = ['workspace', 'library', 'unknown', 'kernel', 'not a function'][t.kinds[f]];
    lines.push(
      `${kind}${t.libraries[f] ? `: ${t.libraries[f]}` : ''}${t.files[f] ? ` · ${t.files[f]}${t.lines[f] > 0 ? `:${t.lines[f]}` : ''}` : ''}`,
    );
  }
  if (t.categories[f] >= 0) lines.push(`Hint: ${t.categoryNames[t.categories[f]]}`);
  if (tree.folded[n] > 0) lines.push(`${tree.folded[n]} library frames folded in`);
  const plan = t.hotspotKeys[f] ? planByKey.get(t.hotspotKeys[f]) : undefined;
  if (plan && !(pane === mainPane && mode === 'disappeared')) lines.push(`Plan: ${plan.join('; ')}`);
  if (pane === mainPane && mode === 'tree' && model.annotation) {
    const a = model.annotation;
    const before = a.baselineTotal[n];
    lines.push(
      `Before: ${formatShare(before, a.baselineRootTotal)} · ${formatWeight(before, model.baseline?.unit ?? unit)} → after: ${formatShare(tree.total[n], whole)} · ${formatWeight(tree.total[n], unit)}`,
    );
    if (before === 0) lines.push('New in this profile');
  }
  const title = t.fullNames[f] !== t.names[f] ? `${t.names[f]}\n${t.fullNames[f]}` : t.names[f];
  return { title, lines };
}

function showTooltip(pane: FlamePane, n: number, e: MouseEvent): void {
  if (n < 0) {
    tooltip.hidden = true;
    return;
  }
  const d = describe(pane, n);
  const title = el('div', 'tt-title');
  title.textContent = d.title;
  tooltip.replaceChildren(
    title,
    ...d.lines.map((l) => {
      const div = el('div', 'tt-line');
      div.textContent = l;
      return div;
    }),
  );
  tooltip.hidden = false;
  const pad = 14;
  const w = tooltip.offsetWidth;
  const h = tooltip.offsetHeight;
  const x = e.clientX + pad + w > window.innerWidth ? Math.max(0, e.clientX - pad - w) : e.clientX + pad;
  const y = e.clientY + pad + h > window.innerHeight ? Math.max(0, e.clientY - pad - h) : e.clientY + pad;
  tooltip.style.left = `${x}px`;
  tooltip.style.top = `${y}px`;
}

function announce(pane: FlamePane, n: number): void {
  const d = describe(pane, n);
  const text = `${d.title.split('\n')[0]}. ${d.lines.join('. ')}`;
  pane.canvas.setAttribute('aria-label', text);
  live.textContent = text;
}

// ---- interaction ----
function openNode(pane: FlamePane, n: number): void {
  const f = pane.tree?.func[n] ?? -1;
  if (f < 0) return;
  const baseline = pane === mainPane && mode === 'disappeared';
  post({ type: 'open', func: f, table: baseline ? 'baseline' : 'current' });
}

function selectNode(pane: FlamePane, n: number): void {
  if (!model || !pane.tree) return;
  const f = pane.tree.func[n];
  if (pane !== mainPane) {
    if (f >= 0) showSandwich(f);
    return;
  }
  pane.selected = n;
  zoomTo(pane, n);
  announce(pane, n);
  syncControls();
  if (f >= 0 && mode === 'tree' && model.data.functions.hotspotKeys[f]) post({ type: 'select', func: f });
}

for (const pane of [mainPane, callersPane, calleesPane]) {
  const c = pane.canvas;
  c.addEventListener('mousemove', (e) => {
    const n = pane.nodeAt(e);
    if (n !== pane.hover) {
      pane.hover = n;
      pane.paintOverlay();
      app.dataset.maxOverlayMs = pane.maxOverlayMs.toFixed(2);
    }
    showTooltip(pane, n, e);
  });
  c.addEventListener('mouseleave', () => {
    pane.hover = -1;
    pane.paintOverlay();
    tooltip.hidden = true;
  });
  c.addEventListener('click', (e) => {
    const n = pane.nodeAt(e);
    if (n < 0) return;
    if (e.ctrlKey || e.metaKey) {
      openNode(pane, n);
      return;
    }
    selectNode(pane, n);
  });
  c.addEventListener('dblclick', (e) => {
    const n = pane.nodeAt(e);
    if (n >= 0) openNode(pane, n);
  });
  c.addEventListener('keydown', (e) => {
    if (!pane.tree) return;
    const flame = pane.orientation === 'flame';
    const moves: Record<string, FlameMove> = {
      ArrowUp: flame ? 'child' : 'parent',
      ArrowDown: flame ? 'parent' : 'child',
      ArrowLeft: 'previous',
      ArrowRight: 'next',
    };
    const current = pane.focused >= 0 ? pane.focused : pane.zoom;
    if (moves[e.key]) {
      e.preventDefault();
      const next = moveFocus(pane.tree, current, moves[e.key], pane.zoom);
      pane.focused = next;
      pane.paintOverlay();
      pane.reveal(next, scroller);
      announce(pane, next);
      syncControls();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      openNode(pane, current);
    } else if (e.key === ' ') {
      e.preventDefault();
      selectNode(pane, current);
    } else if (e.key === 'Escape' && pane === mainPane) {
      const p = pane.tree.parent[pane.zoom];
      if (p >= 0) zoomTo(pane, p);
    }
  });
  c.addEventListener('focus', () => {
    if (pane.focused < 0 && pane.tree) {
      pane.focused = pane.zoom;
      pane.paintOverlay();
    }
    if (pane.focused >= 0) announce(pane, pane.focused);
  });
}

let searchTimer: ReturnType<typeof setTimeout> | undefined;
searchBox.addEventListener('input', () => {
  if (searchTimer) clearTimeout(searchTimer);
  searchTimer = setTimeout(() => {
    runSearch(searchBox.value);
    paintAll();
  }, 120);
});
orientation.addEventListener('change', () => {
  options = { ...options, orientation: orientation.value === 'icicle' ? 'icicle' : 'flame' };
  mainPane.orientation = options.orientation;
  saveOptions();
  paintAll();
});
collapse.input.addEventListener('change', () => {
  options = { ...options, collapseLibraryFrames: collapse.input.checked };
  saveOptions();
  if (mode === 'sandwich') mode = 'tree';
  rebuildTree();
  paintAll();
});
colorBlind.input.addEventListener('change', () => {
  options = { ...options, colorBlindSafe: colorBlind.input.checked };
  saveOptions();
  syncControls();
  paintAll();
});
sandwichButton.addEventListener('click', () => setMode(mode === 'sandwich' ? 'tree' : 'sandwich'));
disappearedButton.addEventListener('click', () => setMode(mode === 'disappeared' ? 'tree' : 'disappeared'));

function saveOptions(): void {
  post({ type: 'options', ...options });
}

let resizeTimer: ReturnType<typeof setTimeout> | undefined;
new ResizeObserver(() => {
  if (resizeTimer) clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => paintAll(), 50);
}).observe(scroller);

new MutationObserver(() => {
  theme = readTheme();
  if (model) {
    model.colors = functionColors(theme, model.data.functions);
    if (model.baseline) model.baselineColors = functionColors(theme, model.baseline.functions);
  }
  paintAll();
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

// ---- messages ----
window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const m = event.data;
  switch (m.type) {
    case 'loading':
      status.textContent = `Loading the flame graph of ${m.title}…`;
      status.hidden = false;
      app.setAttribute('aria-busy', 'true');
      break;
    case 'error':
      status.textContent = m.message;
      status.hidden = false;
      status.classList.add('error');
      app.setAttribute('aria-busy', 'false');
      break;
    case 'data': {
      const t0 = performance.now();
      status.hidden = true;
      status.classList.remove('error');
      setData(m.data, m.baseline, m.options);
      const rects = paintAll();
      if (options.orientation === 'flame') scroller.scrollTop = scroller.scrollHeight;
      firstPaintMs = performance.now() - t0;
      app.setAttribute('aria-busy', 'false');
      post({ type: 'painted', phase: 'first', ms: firstPaintMs, rects });
      // read by the UI check (never asserted: recorded to test-results)
      app.dataset.title = m.data.title;
      app.dataset.differential = String(!!m.baseline);
      app.dataset.rects = String(rects);
      app.dataset.nodes = String(model?.full.count ?? 0);
      app.dataset.firstPaintMs = firstPaintMs.toFixed(1);
      if (m.focusHotspotKey) focusHotspot(m.focusHotspotKey);
      break;
    }
    case 'options': {
      // a setting changed: rebuild only when the tree itself changes (keeps the zoom otherwise)
      const rebuild = m.options.collapseLibraryFrames !== options.collapseLibraryFrames;
      options = m.options;
      mainPane.orientation = options.orientation;
      if (rebuild) rebuildTree();
      else syncControls();
      paintAll();
      break;
    }
    case 'highlight':
      highlightKey = m.hotspotKey;
      applyHighlight();
      paintAll();
      break;
    case 'focus':
      focusHotspot(m.hotspotKey);
      break;
    case 'planMarks':
      planByKey = new Map((m.marks as readonly FlamePlanMark[]).map((p) => [p.hotspotKey, p.sections]));
      applyPlanMarks();
      paintAll();
      break;
    case 'test':
      post({ type: 'testResult', id: m.id, result: runTest(m.action) });
      break;
  }
});

function state(): FlameStateReport & Record<string, unknown> {
  const tree = mainPane.tree;
  let highlighted = 0;
  let planMarked = 0;
  if (tree)
    for (let i = 1; i < tree.count; i++) {
      highlighted += highlightFuncs[tree.func[i]] ?? 0;
      planMarked += planFuncs[tree.func[i]] ?? 0;
    }
  return {
    nodes: tree?.count ?? 0,
    zoom: mainPane.zoom,
    selected: mainPane.selected,
    focused: mainPane.focused,
    mode,
    drawn: mainPane.layoutResult?.count ?? 0,
    searchShare: search ? search.result.share : null,
    searchNodes: search ? search.result.nodes : 0,
    highlighted,
    planMarked,
    breadcrumb: [...breadcrumb.querySelectorAll('button')].map((b) => b.textContent ?? ''),
    firstPaintMs,
    canvasWidth: mainPane.width,
    differential: !!model?.annotation,
    disappearedWeight: model?.annotation ? model.annotation.disappeared.total[0] : null,
    maxPaintMs: mainPane.maxPaintMs,
    maxOverlayMs: mainPane.maxOverlayMs,
    lastZoomMs,
    searchInfo: searchInfo.textContent ?? '',
  };
}

function runTest(action: FlameTestAction): Record<string, unknown> {
  switch (action.kind) {
    case 'state':
      return state();
    case 'search':
      searchBox.value = action.pattern;
      runSearch(action.pattern);
      paintAll();
      return state();
    case 'zoom':
      zoomTo(mainPane, action.node);
      return state();
    case 'select':
      selectNode(mainPane, action.node);
      return state();
    case 'activate':
      mainPane.focused = action.node;
      openNode(mainPane, action.node);
      return state();
    case 'sandwich':
      showSandwich(action.func);
      return {
        ...state(),
        callersTotal: sandwichOf?.callers.total[0] ?? 0,
        calleesTotal: sandwichOf?.callees.total[0] ?? 0,
        functionTotal: sandwichOf?.total ?? 0,
      };
  }
}

post({ type: 'ready' });
