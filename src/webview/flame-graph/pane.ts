/// <reference lib="dom" />
/**
 * One flame graph drawing: a canvas for the frames and an overlay canvas for the
 * hover, focus and selection outlines (so hovering repaints only the overlay).
 * The rectangles come from the pure layout (`core/flame/layout`).
 */
import type { FlameTree } from '../../core/flame/flame-tree';
import {
  type FlameLayout,
  type FlameOrientation,
  hitTest,
  layoutFlame,
  rectOf,
} from '../../core/flame/layout';

/** Row height in CSS pixels (the UI check computes click coordinates with it). */
export const ROW_HEIGHT = 18;

/** How a pane colours and labels its frames. */
export interface PaneStyle {
  /** Fill of a node. */
  fill(node: number): string;
  /** Label of a node (drawn when it fits). */
  label(node: number): string;
  /** Whether a node is dimmed (search without a match). */
  dimmed(node: number): boolean;
  /** Whether a node gets an outline (search match, cursor highlight). */
  outline(node: number): string | undefined;
  /** Whether a node carries a plan mark. */
  marked(node: number): boolean;
  readonly textColor: string;
  readonly dimColor: string;
  readonly markColor: string;
  readonly focusColor: string;
  readonly hoverColor: string;
  readonly background: string;
}

/** A flame graph canvas with its layout. */
export class FlamePane {
  readonly element: HTMLDivElement;
  readonly canvas: HTMLCanvasElement;
  private readonly overlay: HTMLCanvasElement;
  tree: FlameTree | undefined;
  zoom = 0;
  hover = -1;
  focused = -1;
  selected = -1;
  layoutResult: FlameLayout | undefined;
  /** Milliseconds the last full paint took. */
  lastPaintMs = 0;
  /** Longest full paint so far, ms. */
  maxPaintMs = 0;
  /** Longest overlay paint (hover, focus), ms. */
  maxOverlayMs = 0;
  private charWidth = 7;

  constructor(
    parent: HTMLElement,
    public orientation: FlameOrientation,
    private style: PaneStyle,
    label: string,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'pane';
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'frames';
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute('role', 'application');
    this.canvas.setAttribute('aria-roledescription', 'flame graph');
    this.canvas.setAttribute('aria-label', label);
    this.overlay = document.createElement('canvas');
    this.overlay.className = 'overlay';
    this.overlay.setAttribute('aria-hidden', 'true');
    this.element.append(this.canvas, this.overlay);
    parent.append(this.element);
  }

  /** Sets the tree (and resets zoom, focus and selection). */
  setTree(tree: FlameTree, orientation: FlameOrientation): void {
    this.tree = tree;
    this.orientation = orientation;
    this.zoom = 0;
    this.hover = -1;
    this.focused = -1;
    this.selected = -1;
  }

  setStyle(style: PaneStyle): void {
    this.style = style;
  }

  /** Width available to the drawing, CSS pixels. */
  get width(): number {
    return Math.max(100, this.element.clientWidth);
  }

  /** Lays out and paints everything. */
  paint(): number {
    const t0 = performance.now();
    const tree = this.tree;
    if (!tree) return 0;
    const width = this.width;
    const layout = layoutFlame(tree, {
      zoom: this.zoom,
      width,
      rowHeight: ROW_HEIGHT,
      orientation: this.orientation,
    });
    this.layoutResult = layout;
    const dpr = window.devicePixelRatio || 1;
    for (const c of [this.canvas, this.overlay]) {
      const w = Math.round(width * dpr);
      const h = Math.round(layout.height * dpr);
      if (c.width !== w || c.height !== h) {
        c.width = w;
        c.height = h;
        c.style.width = `${width}px`;
        c.style.height = `${layout.height}px`;
      }
    }
    const ctx = this.canvas.getContext('2d', { alpha: false });
    if (!ctx) return 0;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = this.style.background;
    ctx.fillRect(0, 0, width, layout.height);
    ctx.font = `12px ${getComputedStyle(document.body).fontFamily || 'sans-serif'}`;
    this.charWidth = ctx.measureText('abcdefghijklmnopqrstuvwxyz').width / 26 || 7;
    ctx.textBaseline = 'middle';
    const s = this.style;
    const h = ROW_HEIGHT - 1;
    const outlines: number[] = [];
    for (let k = 0; k < layout.count; k++) {
      const n = layout.node[k];
      const x = layout.x[k];
      const y = layout.y[k];
      const w = layout.width[k];
      const dim = s.dimmed(n);
      ctx.fillStyle = s.fill(n);
      ctx.globalAlpha = dim ? 0.3 : 1;
      ctx.fillRect(x, y, Math.max(w - 0.5, 0.5), h);
      if (s.marked(n) && w > 4) {
        ctx.fillStyle = s.markColor;
        ctx.fillRect(x, y, 3, h);
      }
      if (w > 24) {
        const text = s.label(n);
        const fit = Math.floor((w - 8) / this.charWidth);
        if (fit >= 2) {
          ctx.fillStyle = dim ? s.dimColor : s.textColor;
          ctx.fillText(
            text.length > fit ? `${text.slice(0, fit - 1)}…` : text,
            x + (s.marked(n) ? 6 : 4),
            y + h / 2,
          );
        }
      }
      if (s.outline(n) !== undefined) outlines.push(k);
    }
    ctx.globalAlpha = 1;
    ctx.lineWidth = 2;
    for (const k of outlines) {
      ctx.strokeStyle = s.outline(layout.node[k]) ?? s.focusColor;
      ctx.strokeRect(layout.x[k] + 1, layout.y[k] + 1, Math.max(layout.width[k] - 2, 1), h - 2);
    }
    this.paintOverlay();
    this.lastPaintMs = performance.now() - t0;
    this.maxPaintMs = Math.max(this.maxPaintMs, this.lastPaintMs);
    return layout.count;
  }

  /** Repaints only the outlines of the hovered, focused and selected frames. */
  paintOverlay(): void {
    const t0 = performance.now();
    const layout = this.layoutResult;
    const ctx = this.overlay.getContext('2d');
    if (!ctx || !layout) return;
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, this.overlay.width, this.overlay.height);
    const outline = (node: number, color: string, width: number) => {
      if (node < 0) return;
      const r = rectOf(layout, node);
      if (!r) return;
      ctx.strokeStyle = color;
      ctx.lineWidth = width;
      ctx.strokeRect(r.x + width / 2, r.y + width / 2, Math.max(r.width - width, 1), r.height - 1 - width);
    };
    outline(this.selected, this.style.focusColor, 2);
    outline(this.hover, this.style.hoverColor, 1);
    if (this.focused !== this.selected) outline(this.focused, this.style.focusColor, 2);
    this.maxOverlayMs = Math.max(this.maxOverlayMs, performance.now() - t0);
  }

  /** The node at a mouse event's position, or -1. */
  nodeAt(e: MouseEvent): number {
    if (!this.layoutResult) return -1;
    const r = this.canvas.getBoundingClientRect();
    return hitTest(this.layoutResult, e.clientX - r.left, e.clientY - r.top);
  }

  /** Scrolls the pane's scroller so a node's row is visible. */
  reveal(node: number, scroller: HTMLElement): void {
    if (!this.layoutResult) return;
    const r = rectOf(this.layoutResult, node);
    if (!r) return;
    const top =
      this.canvas.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop;
    const y = top + r.y;
    if (y < scroller.scrollTop) scroller.scrollTop = y - ROW_HEIGHT;
    else if (y + ROW_HEIGHT > scroller.scrollTop + scroller.clientHeight)
      scroller.scrollTop = y + 2 * ROW_HEIGHT - scroller.clientHeight;
  }
}
