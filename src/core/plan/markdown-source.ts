/**
 * Markdown → mdast with positions that point into the caller's exact string, using
 * micromark + mdast-util-from-markdown with GFM (https://github.github.com/gfm/).
 *
 * Two guards keep the parser's cost near-linear on hostile input without changing what
 * an ordinary plan parses to:
 * - A line whose leading container syntax (indentation, `>`, list markers) is wider than
 *   {@link MAX_PREFIX_COLUMNS} columns is parsed as if the prefix stopped there (deeper
 *   nesting is attached at that depth): the library's list handling grows with the cube
 *   of the nesting depth, and it recurses once per level on one line.
 * - Texts longer than {@link CHUNK_THRESHOLD} characters are parsed in pieces split
 *   before top-level ATX headings outside fenced code (a heading at column 0 closes
 *   every open block, so each piece parses as it would in the whole text, except that
 *   link reference definitions only apply within their piece).
 * Every position is mapped back to the original text, so offsets stay exact.
 */
import type { Nodes, Root, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';

/**
 * Width (columns, tabs to multiples of 4) of a line's leading container syntax —
 * indentation, `>`, list markers — beyond which the rest of that prefix is not parsed.
 */
export const MAX_PREFIX_COLUMNS = 256;
/** Texts longer than this many UTF-16 units are parsed in pieces. */
export const CHUNK_THRESHOLD = 32 * 1024;
const CHUNK_TARGET = 16 * 1024;

/** A parsed Markdown text whose node positions are offsets/lines in the original string. */
export interface MarkdownSource {
  /** The original text. */
  readonly text: string;
  /** The mdast tree; `position.start.offset`/`end.offset` index {@link text}, lines are 1-based. */
  readonly root: Root;
  /** Offset of the first character of each 1-based line `n` at index `n - 1` (line 1 starts after a BOM). */
  readonly lineStarts: readonly number[];
}

/** Computes the start offset of every line (CRLF, LF, CR end a line); line 1 starts after a BOM. */
export function computeLineStarts(text: string): number[] {
  const starts = [text.charCodeAt(0) === 0xfeff ? 1 : 0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/** 1-based line of `offset`, by binary search in `lineStarts`. */
export function lineOfOffset(lineStarts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/**
 * Parses `text` as GFM Markdown. Never throws for a string input.
 * @returns the tree with positions into `text` and the line table
 */
export function parseMarkdownSource(text: string): MarkdownSource {
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const body = text.slice(bom);
  let root: Root = { type: 'root', children: [] };
  // The library recurses per nesting level; should a line still nest too deeply for
  // the stack, parse again with a tighter limit, and as a last resort give an empty tree.
  for (const limit of [MAX_PREFIX_COLUMNS, 16]) {
    try {
      root = parseClamped(body, limit, bom);
      break;
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
    }
  }
  root.position = {
    start: { line: 1, column: 1, offset: 0 },
    end: { line: 1, column: 1, offset: text.length },
  };
  return { text, root, lineStarts: computeLineStarts(text) };
}

function parseClamped(body: string, limit: number, bom: number): Root {
  const { parsed: clamped, removals } = clampPrefixes(body, limit);
  const parsed = neutralizeBrackets(clamped);
  const root: Root = { type: 'root', children: [] };
  for (const piece of splitPieces(parsed)) {
    const sub = fromMarkdown(piece.text, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
    shiftPositions(sub.children, piece.offset, piece.line - 1);
    for (const child of sub.children) root.children.push(child);
  }
  mapOffsets(root.children, bom, removals);
  return root;
}

/** Most `[` on one line the Markdown library is given; it is quadratic in bracket nesting. */
export const MAX_BRACKETS_PER_LINE = 64;

/**
 * Replaces the `[` and `]` beyond {@link MAX_BRACKETS_PER_LINE} on a line with `(` and `)` for parsing
 * only: the same length, so every offset still points into the original text, and no
 * real plan has that many links on one line (found by fuzzing: 6,000 nested brackets
 * took seconds).
 */
function neutralizeBrackets(text: string): string {
  let count = 0;
  for (let i = text.indexOf('['); i >= 0 && count <= MAX_BRACKETS_PER_LINE; i = text.indexOf('[', i + 1))
    count++;
  if (count <= MAX_BRACKETS_PER_LINE) return text;
  return text.replace(/[^\n]*/g, (line) => {
    if (line.indexOf('[') < 0) return line;
    let open = 0;
    let close = 0;
    return line
      .replace(/\[/g, () => (++open > MAX_BRACKETS_PER_LINE ? '(' : '['))
      .replace(/\]/g, () => (++close > MAX_BRACKETS_PER_LINE ? ')' : ']'));
  });
}

/** Removed indentation: `at` is the offset in the parsed text where `count` characters were cut. */
interface Removal {
  readonly at: number;
  /** Characters removed at or before `at`, cumulative. */
  readonly total: number;
}

function clampPrefixes(text: string, limit: number): { parsed: string; removals: Removal[] } {
  const removals: Removal[] = [];
  // Fast path: no line starts with that much container syntax.
  if (!new RegExp(`(?:^|[\\r\\n])[ \\t>*+\\-.)\\d]{${Math.min(limit, 64)}}`).test(text)) {
    return { parsed: text, removals };
  }
  let out = '';
  let total = 0;
  let copied = 0;
  const prefix = /(?:[ \t]|>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))*/y;
  const newline = /[\r\n]/g;
  let i = 0;
  while (i < text.length) {
    prefix.lastIndex = i;
    const m = prefix.exec(text);
    const end = i + (m ? m[0].length : 0);
    let column = 0;
    let cut = -1;
    for (let j = i; j < end && cut < 0; j++) {
      column = text[j] === '\t' ? column + 4 - (column % 4) : column + 1;
      if (column >= limit) cut = j + 1;
    }
    if (cut >= 0 && end > cut) {
      // Keep the prefix's last marker (`-`, `1.`, `>`), so the line still opens its block.
      let k = end;
      while (k > i && (text[k - 1] === ' ' || text[k - 1] === '\t')) k--;
      let marker = k - 1;
      if (text[marker] === '.' || text[marker] === ')')
        while (marker > i && /\d/.test(text[marker - 1])) marker--;
      const stop = marker >= cut ? marker : end;
      if (stop > cut) {
        out += text.slice(copied, cut);
        total += stop - cut;
        removals.push({ at: out.length, total });
        copied = stop;
      }
    }
    newline.lastIndex = end;
    const nl = newline.exec(text);
    if (!nl) break;
    i = nl.index + 1;
    if (text[nl.index] === '\r' && text[i] === '\n') i++;
  }
  out += text.slice(copied);
  return { parsed: out, removals };
}

interface Piece {
  readonly text: string;
  readonly offset: number;
  /** 1-based line of the piece's first character. */
  readonly line: number;
}

function splitPieces(text: string): Piece[] {
  if (text.length <= CHUNK_THRESHOLD) return [{ text, offset: 0, line: 1 }];
  const pieces: Piece[] = [];
  let pieceStart = 0;
  let pieceLine = 1;
  let line = 1;
  let fence: { char: string; size: number } | null = null;
  let inComment = false;
  let pos = 0;
  const lineEnd = /\r\n|\r|\n/g;
  while (pos < text.length) {
    lineEnd.lastIndex = pos;
    const m = lineEnd.exec(text);
    const end = m ? m.index : text.length;
    const next = m ? end + m[0].length : text.length;
    const content = text.slice(pos, end);
    if (fence) {
      const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(content);
      if (close && close[1][0] === fence.char && close[1].length >= fence.size) fence = null;
    } else if (inComment) {
      if (content.includes('-->')) inComment = false;
    } else {
      const open = /^ {0,3}(`{3,}|~{3,})/.exec(content);
      if (open) fence = { char: open[1][0], size: open[1].length };
      else if (/^ {0,3}<!--/.test(content) && !content.includes('-->')) inComment = true;
      else if (/^#{1,6}(?:[ \t]|$)/.test(content) && pos - pieceStart >= CHUNK_TARGET) {
        pieces.push({ text: text.slice(pieceStart, pos), offset: pieceStart, line: pieceLine });
        pieceStart = pos;
        pieceLine = line;
      }
    }
    pos = next;
    line++;
  }
  pieces.push({ text: text.slice(pieceStart), offset: pieceStart, line: pieceLine });
  return pieces;
}

type Point = { line: number; column: number; offset?: number };

function eachPoint(nodes: readonly (RootContent | Nodes)[], visit: (p: Point) => void): void {
  const seen = new Set<Point>();
  const stack: (RootContent | Nodes)[] = [...nodes];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const pos = node.position;
    if (pos) {
      for (const p of [pos.start, pos.end]) {
        if (!seen.has(p)) {
          seen.add(p);
          visit(p);
        }
      }
    }
    if ('children' in node) for (const c of node.children) stack.push(c as Nodes);
  }
}

function shiftPositions(nodes: readonly RootContent[], offset: number, lines: number): void {
  if (offset === 0 && lines === 0) return;
  eachPoint(nodes, (p) => {
    p.line += lines;
    if (p.offset !== undefined) p.offset += offset;
  });
}

function mapOffsets(nodes: readonly RootContent[], bom: number, removals: readonly Removal[]): void {
  if (bom === 0 && removals.length === 0) return;
  eachPoint(nodes, (p) => {
    if (p.offset === undefined) return;
    let removed = 0;
    let lo = 0;
    let hi = removals.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (removals[mid].at <= p.offset) {
        removed = removals[mid].total;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    p.offset += bom + removed;
  });
}
