/**
 * Line/offset bookkeeping for a plan's text and the preparation of that text for the
 * Markdown parser (BOM removal, clamping of absurd indentation, splitting at top-level
 * ATX headings), with the mapping from parser offsets back to the original text.
 */

import type { PlanRange } from './types';

/** Lines a plan's text: offsets (0-based, UTF-16) ↔ 1-based lines and 0-based columns. CR, LF and CRLF end lines. */
export class LineIndex {
  /** Offset of the first character of each line; `starts[0] === 0`. */
  readonly starts: number[];

  /** @param text the original plan text */
  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  /** 1-based line of the character at `offset` (clamped to the text). */
  lineOf(offset: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /** 0-based column (UTF-16 units from the line start) of `offset`. */
  columnOf(offset: number): number {
    return offset - this.starts[this.lineOf(offset) - 1];
  }

  /** Offset of the first character of the 1-based `line`. */
  lineStart(line: number): number {
    return this.starts[Math.min(Math.max(line, 1), this.starts.length) - 1];
  }

  /** The text of the 1-based `line` without its line ending. */
  lineText(line: number): string {
    const start = this.lineStart(line);
    const next = line < this.starts.length ? this.starts[line] : this.text.length;
    let end = next;
    while (end > start && (this.text.charCodeAt(end - 1) === 10 || this.text.charCodeAt(end - 1) === 13))
      end--;
    return this.text.slice(start, end);
  }

  /** A {@link PlanRange} for `[start, end)`; `endLine` is the line of the last character (of `start` when empty). */
  range(start: number, end: number): PlanRange {
    return { start, end, line: this.lineOf(start), endLine: this.lineOf(Math.max(start, end - 1)) };
  }
}

/** A piece of the prepared text handed to the Markdown parser on its own. */
export interface SourceChunk {
  /** The prepared text of the chunk. */
  readonly text: string;
  /** Offset of the chunk's first character in the prepared text. */
  readonly start: number;
}

/**
 * The text as the Markdown parser sees it, and the way back to the original offsets.
 * Only whole characters are removed (a BOM; leading whitespace beyond
 * {@link MAX_INDENT_COLUMNS}), so every kept character maps to exactly one original offset.
 */
export interface PreparedSource {
  /** Chunks in order; their texts concatenated are the prepared text. */
  readonly chunks: readonly SourceChunk[];
  /** Maps an offset in the prepared text to the offset in the original text. */
  toOriginal(offset: number): number;
}

/**
 * Leading whitespace beyond this many columns (tabs to the next multiple of 4) is dropped
 * before parsing. micromark's cost grows with the nesting depth of containers on every
 * line, so a 1,000-level list would take minutes; past 64 columns (32 levels of
 * two-space lists) deeper items become siblings at the deepest kept level.
 */
export const MAX_INDENT_COLUMNS = 64;

/** Chunks are at least this long (characters) unless the text ends; splits happen only at top-level ATX headings. */
const MIN_CHUNK = 16_384;

/**
 * Prepares `text` for parsing: drops a leading BOM, clamps indentation, and splits at
 * ATX headings that start a line in column 0 outside top-level fenced code and HTML
 * blocks (such a heading always closes every open container, so parsing the pieces
 * separately gives the same blocks; only link reference definitions do not carry
 * across pieces). Splitting keeps micromark's super-linear cost on long documents local.
 */
export function prepareSource(text: string): PreparedSource {
  // Deletions: at prepared offset `at[i]`, `len[i]` original characters were removed.
  const at: number[] = [];
  const cum: number[] = [];
  let removed = 0;
  const parts: string[] = [];
  let preparedLength = 0;
  let i = 0;
  if (text.charCodeAt(0) === 0xfeff) {
    removed = 1;
    at.push(0);
    cum.push(1);
    i = 1;
  }
  const splits: number[] = [0];
  let lastSplit = 0;
  let fence: { char: string; length: number } | null = null;
  let htmlEnd: RegExp | null = null;
  while (i < text.length) {
    // One line: [i, lineEnd) plus its ending.
    let lineEnd = i;
    while (lineEnd < text.length) {
      const c = text.charCodeAt(lineEnd);
      if (c === 10 || c === 13) break;
      lineEnd++;
    }
    let next = lineEnd;
    if (next < text.length) {
      next += text.charCodeAt(next) === 13 && text.charCodeAt(next + 1) === 10 ? 2 : 1;
    }
    // Indentation clamp.
    let col = 0;
    let j = i;
    while (j < lineEnd && col < MAX_INDENT_COLUMNS) {
      const c = text.charCodeAt(j);
      if (c === 32) col++;
      else if (c === 9) col += 4 - (col % 4);
      else break;
      j++;
    }
    let k = j;
    if (col >= MAX_INDENT_COLUMNS) {
      while (k < lineEnd && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k++;
    }
    const line = text.slice(i, lineEnd);
    // Split points and top-level block tracking (on the original line).
    if (fence) {
      const m = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
      if (m && m[1][0] === fence.char && m[1].length >= fence.length) fence = null;
    } else if (htmlEnd) {
      if (htmlEnd.test(line)) htmlEnd = null;
    } else {
      const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
      if (open && !(open[1][0] === '`' && line.slice(open[0].length).includes('`'))) {
        fence = { char: open[1][0], length: open[1].length };
      } else if (/^ {0,3}<!--/.test(line) && !line.includes('-->')) {
        htmlEnd = /-->/;
      } else if (
        /^ {0,3}<(?:pre|script|style|textarea)(?:[\s>]|$)/i.test(line) &&
        !/<\/(?:pre|script|style|textarea)>/i.test(line)
      ) {
        htmlEnd = /<\/(?:pre|script|style|textarea)>/i;
      } else if (/^#{1,6}(?:[ \t]|$)/.test(line) && preparedLength - lastSplit >= MIN_CHUNK) {
        splits.push(preparedLength);
        lastSplit = preparedLength;
      }
    }
    parts.push(text.slice(i, j));
    preparedLength += j - i;
    if (k > j) {
      removed += k - j;
      at.push(preparedLength);
      cum.push(removed);
    }
    parts.push(text.slice(k, next));
    preparedLength += next - k;
    i = next;
  }
  const prepared = parts.join('');
  const chunks: SourceChunk[] = [];
  for (let s = 0; s < splits.length; s++) {
    const start = splits[s];
    const end = s + 1 < splits.length ? splits[s + 1] : prepared.length;
    chunks.push({ text: prepared.slice(start, end), start });
  }
  return {
    chunks,
    toOriginal(offset: number): number {
      // Sum of removals recorded at prepared offsets <= offset.
      let lo = 0;
      let hi = at.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (at[mid] <= offset) lo = mid + 1;
        else hi = mid;
      }
      return offset + (lo === 0 ? 0 : cum[lo - 1]);
    },
  };
}
