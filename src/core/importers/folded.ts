/**
 * Folded (collapsed) stacks: one line per unique stack, frames root first and
 * separated by `;`, then a space and the stack's weight:
 *
 * ```
 * main;run;Vec::clone 42
 * ```
 *
 * Defined by the stackcollapse scripts and read by flamegraph.pl in Brendan Gregg's
 * FlameGraph (https://github.com/brendangregg/FlameGraph, see `stackcollapse-perf.pl`
 * and the input parsing of `flamegraph.pl`).
 *
 * What this reader accepts:
 * - the weight is the text after the **last** space, so frames may contain spaces
 *   (`operator new(unsigned long) 3`); it is a non-negative decimal number
 *   (integers, or decimals such as `1.5`); trailing spaces are ignored;
 * - the unit is {@link ImportOptions.foldedUnit} when given; otherwise samples, unless
 *   every weight is a multiple of one number of at least 1000 — then the weights are
 *   sample periods in nanoseconds (`stackcollapse-perf.pl` writes periods, 1001001 ns per
 *   sample for `cpu-clock` at 999 Hz), and the sample count is the total over that period;
 * - frame annotations written by `stackcollapse-perf.pl --all` and read by
 *   flamegraph.pl: `_[k]` kernel, `_[j]` JIT, `_[i]` inlined, `_[w]` waker. The
 *   suffix is removed from the name and kept as {@link Frame.kind} (`kernel` for
 *   `_[k]`, `user` for `_[j]`, `unknown` for `_[w]`) or {@link Frame.inlined} (`_[i]`);
 * - blank lines and lines starting with `#` are skipped; CRLF line ends and a BOM are fine;
 * - empty frames (`a;;b`) are skipped.
 *
 * Not supported: the two-column "differential" input of `difffolded.pl`
 * (`stack before after`) — its first count would be read as part of the last frame.
 *
 * The file is streamed as bytes ({@link lineBlocks}); each frame is found by its bytes
 * and decoded only the first time it is seen; memory grows with the number of unique
 * frames and stacks only.
 */
import { type Frame, type Profile, ProfileBuilder } from '../profile/model';
import { FrameBuffer, StackTableBuilder } from '../profile/stack-table';
import { ByteKeyTable, lineBlocks } from './folded-bytes';
import { ImportError } from './import-error';
import { HEAD_BYTES } from './input';
import type { ImportOptions, ProfileHead, ProfileImporter, ProfileInput } from './types';

const LABEL = 'folded stacks';

/**
 * Splits a folded-stack frame into its name and the meaning of its annotation
 * suffix (`_[k]`, `_[j]`, `_[i]`, `_[w]`), e.g. `do_syscall_64_[k]` →
 * `{ name: 'do_syscall_64', kind: 'kernel' }`. A name without a suffix is returned as is.
 * Shared with the flame graph SVG reader, whose titles can carry the same suffixes.
 */
export function parseFoldedFrame(raw: string): Frame {
  const n = raw.length;
  if (n > 4 && raw.charCodeAt(n - 1) === 93 /* ] */ && raw.charCodeAt(n - 4) === 95 /* _ */) {
    if (raw.charCodeAt(n - 3) === 91 /* [ */) {
      const name = raw.slice(0, n - 4);
      switch (raw.charCodeAt(n - 2)) {
        case 107 /* k */:
          return { name, kind: 'kernel' };
        case 106 /* j */:
          return { name, kind: 'user' };
        case 105 /* i */:
          return { name, inlined: true };
        case 119 /* w */:
          return { name, kind: 'unknown' };
      }
    }
  }
  return { name: raw };
}

/**
 * Parses a non-negative decimal weight in `text[start, end)`.
 * @returns the number, or NaN when the text is not a plain non-negative decimal number
 */
export function parseFoldedWeight(text: string, start: number, end: number): number {
  if (end <= start) return Number.NaN;
  if (end - start <= 15) {
    let v = 0;
    let i = start;
    for (; i < end; i++) {
      const c = text.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      v = v * 10 + c;
    }
    if (i === end) return v;
  }
  const s = text.slice(start, end);
  if (!/^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(s)) return Number.NaN;
  return Number(s);
}

/**
 * True when the head of a file looks like folded stacks: every complete,
 * non-blank, non-comment line of the head (at least one) is `frames weight`, does
 * not start with white space, and is not a perf script sample header
 * (`comm tid time: …`) or a `key: value` header line (callgrind, perf script --header).
 * So perf script, callgrind, JSON and SVG heads are all rejected.
 * @param head the first bytes of the file (see `readHead`)
 */
export function isFolded(head: ProfileHead): boolean {
  const lines = completeLines(head);
  let seen = 0;
  for (const line of lines) {
    if (line.length === 0 || line.charCodeAt(0) === 35) continue;
    const c0 = line.charCodeAt(0);
    if (c0 === 32 || c0 === 9) return false;
    const trimmed = line.trimEnd();
    const sp = trimmed.lastIndexOf(' ');
    if (sp <= 0) return false;
    const w = parseFoldedWeight(trimmed, sp + 1, trimmed.length);
    if (!(w >= 0) || !Number.isFinite(w)) return false;
    const stack = trimmed.slice(0, sp);
    if (stack.includes('\t') || /\s\d+\.\d+:\s/.test(stack) || /^[\w-]+:(?:\s|$)/.test(stack)) return false;
    if (++seen >= 200) break;
  }
  return seen > 0;
}

/**
 * Imports folded stacks (see the module comment for the format and its variants).
 * @param input the file
 * @param options `foldedUnit` (`samples`, default, or `nanoseconds`), progress and cancellation
 * @returns a profile with format `folded`, unit samples (sample count = total weight)
 *   or nanoseconds (no sample count), one thread `all`
 * @throws ImportError for a line without a weight, a weight that is not a
 *   non-negative finite number, weights whose sum overflows (1e308 + 1e308), or a file
 *   with no stacks (with the 1-based line)
 * @throws ImportCancelledError when `options.signal` fires
 */
export async function importFromFolded(input: ProfileInput, options: ImportOptions = {}): Promise<Profile> {
  // without an explicit unit the weights are samples, unless they look like periods (see below)
  const unit = options.foldedUnit ?? 'samples';
  const auto = options.foldedUnit === undefined;
  let divisor = 0;
  const builder = new ProfileBuilder({ format: 'folded', source: input.name, unit });
  const table = new StackTableBuilder();
  let buf = new FrameBuffer();
  // The previous stack line: where it is, its frame ids and where each frame ended (offsets in the line).
  let prevIds = new FrameBuffer();
  let ends = new FrameBuffer();
  let prevEnds = new FrameBuffer();
  // The previous stack line's bytes: in the current block, or copied when a block ends.
  let prevBytes: Uint8Array | undefined;
  let prevView: DataView | undefined;
  let prevStart = 0;
  let prevStackEnd = 0;
  let prevCopy = new Uint8Array(1024);
  // While every stack line sorts strictly after the one before (stackcollapse writes them
  // sorted) and has no empty frame, each line is a stack not seen before: no hashing.
  let sorted = true;
  const countSamples = unit === 'samples';
  let lineNo = 0;
  let stackLines = 0;
  let weightSum = 0;
  // Hot path on bytes: each frame is looked up by its bytes, decoded only the first time.
  const frames = new ByteKeyTable();
  for await (const { bytes, start, end } of lineBlocks(input, options)) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let s = start;
    while (s < end) {
      const lineStart = s;
      const e = bytes.indexOf(10, s);
      s = e + 1;
      lineNo++;
      let le = e;
      // Trailing white space (and the \r of CRLF) is not part of the weight.
      while (le > lineStart && (bytes[le - 1] === 32 || bytes[le - 1] === 9 || bytes[le - 1] === 13)) le--;
      if (le === lineStart || bytes[lineStart] === 35 /* # */) continue;
      let sp = le - 1;
      while (sp >= lineStart && bytes[sp] !== 32) sp--;
      let weight = Number.NaN;
      if (sp > lineStart && le - sp - 1 <= 15) {
        weight = 0;
        for (let i = sp + 1; i < le; i++) {
          const d = bytes[i] - 48;
          if (d < 0 || d > 9) {
            weight = Number.NaN;
            break;
          }
          weight = weight * 10 + d;
        }
        if (sp + 1 === le) weight = Number.NaN;
      }
      if (Number.isNaN(weight) && sp > lineStart) {
        const text = bytes.toString('utf8', sp + 1, le);
        weight = parseFoldedWeight(text, 0, text.length);
      }
      if (!(weight >= 0 && weight < Number.POSITIVE_INFINITY)) {
        const line = bytes.toString('utf8', lineStart, le);
        throw lineError(input.name, line, sp > lineStart ? line.lastIndexOf(' ') : -1, lineNo);
      }
      buf.length = 0;
      ends.length = 0;
      let p = lineStart;
      // A stack with an empty frame (`a;;b`, `a;b;`) may equal another line's stack.
      let distinct: boolean = sorted && bytes[lineStart] !== 59 && bytes[sp - 1] !== 59;
      if (prevBytes !== undefined && prevView !== undefined) {
        // Collapsed stacks are sorted: reuse the frames this line shares with the previous one.
        const prevLength = prevStackEnd - prevStart;
        const max = Math.min(sp - lineStart, prevLength);
        let c = 0;
        while (c + 4 <= max && view.getInt32(lineStart + c) === prevView.getInt32(prevStart + c)) c += 4;
        while (c < max && bytes[lineStart + c] === prevBytes[prevStart + c]) c++;
        if (distinct)
          distinct = c < max ? bytes[lineStart + c] > prevBytes[prevStart + c] : sp - lineStart > prevLength;
        let i = 0;
        while (i < prevEnds.length && prevEnds.ids[i] < c) {
          buf.push(prevIds.ids[i]);
          ends.push(prevEnds.ids[i]);
          i++;
        }
        if (i > 0) p = lineStart + prevEnds.ids[i - 1] + 1;
      }
      while (p < sp) {
        if (bytes[p] === 59 /* ; */) {
          p++; // empty frame
          distinct = false;
          continue;
        }
        // The frame's end, found while hashing it 4 bytes at a time. A word XOR ";;;;" has a
        // zero byte where the word has a `;`, and the lowest flagged byte is the first `;`
        // (little endian). The last word is hashed masked to the frame's bytes. A word at
        // q < sp may always be read: at least a digit and the line end follow `sp`.
        let q = p;
        let h = 0x2c1b3c6d;
        while (q < sp) {
          const word = view.getInt32(q, true);
          const x = word ^ 0x3b3b3b3b;
          const semi = (x - 0x01010101) & ~x & 0x80808080;
          let n = semi === 0 ? 4 : (31 - Math.clz32(semi & -semi)) >> 3;
          if (n > sp - q) n = sp - q;
          if (n === 4) {
            h = Math.imul(h ^ word, 0x01000193);
            q += 4;
            continue;
          }
          if (n > 0) h = Math.imul(h ^ (word & ((1 << (n << 3)) - 1)), 0x01000193);
          q += n;
          break;
        }
        const print = h ^ (h >>> 15);
        const k = frames.matchRange(view, p, q, print);
        if (k >= 0) {
          buf.push(frames.value(k));
          ends.push(q - lineStart);
          p = q + 1;
          continue;
        }
        const name = bytes.toString('utf8', p, q);
        // Bytes that are not UTF-8 all decode to U+FFFD: two such frames may be one frame.
        if (name.includes('\ufffd')) sorted = distinct = false;
        const id = builder.frameId(parseFoldedFrame(name));
        frames.set(bytes, p, q, print, id);
        buf.push(id);
        ends.push(q - lineStart);
        p = q + 1;
      }
      if (buf.length === 0)
        throw new ImportError(LABEL, input.name, 'the stack has no frames', { line: lineNo });
      // Each weight is finite; their sum (and so any stack's summed weight) must be too.
      weightSum += weight;
      if (weightSum === Number.POSITIVE_INFINITY)
        throw new ImportError(LABEL, input.name, 'the weights add up to more than 1.8e308', { line: lineNo });
      // a weight that is not an integer means they are not periods (divisor -1 for good)
      if (auto && divisor >= 0) divisor = Number.isInteger(weight) ? gcd(divisor, weight) : -1;
      if (distinct) table.appendDistinct(buf.ids, buf.length, 0, weight, countSamples ? weight : 1);
      else {
        sorted = false;
        table.add(buf.ids, buf.length, false, 0, weight, countSamples ? weight : 1);
      }
      stackLines++;
      prevBytes = bytes;
      prevView = view;
      prevStart = lineStart;
      prevStackEnd = sp;
      [prevIds, buf] = [buf, prevIds];
      [prevEnds, ends] = [ends, prevEnds];
    }
    if (prevBytes === bytes) {
      // The block's memory may be reused for the next one: keep the last stack line.
      const length = prevStackEnd - prevStart;
      if (prevCopy.length < length) prevCopy = new Uint8Array(length * 2);
      prevCopy.set(bytes.subarray(prevStart, prevStackEnd));
      prevBytes = prevCopy;
      prevView = new DataView(prevCopy.buffer, prevCopy.byteOffset, prevCopy.byteLength);
      prevStart = 0;
      prevStackEnd = length;
    }
  }
  if (stackLines === 0)
    throw new ImportError(LABEL, input.name, 'no stacks found (expected lines like "main;run 42")');
  builder.adoptStacks(table, () => undefined);
  builder.setMeta('stackLines', stackLines);
  if (auto && divisor >= PERIOD_MIN) {
    // Every weight is a multiple of one large number: stackcollapse-perf.pl wrote sample
    // periods (1001001 ns per sample at 999 Hz cpu-clock), not counts.
    builder.setUnit('nanoseconds');
    builder.setMeta('samplePeriod', divisor);
    return builder.build({ sampleCount: Math.round(weightSum / divisor) });
  }
  return builder.build({ sampleCount: countSamples });
}

/**
 * The smallest common divisor of all weights that makes them read as periods rather
 * than sample counts (a sampling period of 1 µs or more, in nanoseconds). Shared with
 * the flame graph SVG importer, whose counts are the same folded weights.
 */
export const PERIOD_MIN = 1000;

/**
 * Greatest common divisor of two non-negative integers (0 for non-integers); folds
 * over weights to find the sampling period `stackcollapse-perf.pl` multiplied them by.
 */
export function gcd(a: number, b: number): number {
  if (!Number.isInteger(b) || !Number.isInteger(a)) return 0;
  while (b > 0) [a, b] = [b, a % b];
  return a;
}

/** The folded stacks importer (id `folded`). */
export const foldedImporter: ProfileImporter = {
  id: 'folded',
  label: LABEL,
  extensions: ['.folded', '.collapsed', '.stacks', '.txt'],
  detect: isFolded,
  import: importFromFolded,
};

function lineError(file: string, line: string, sp: number, lineNo: number): ImportError {
  if (line.includes('\u0000') || line.includes('\ufffd'))
    return new ImportError(LABEL, file, 'binary data, not text', { line: lineNo });
  if (sp <= 0)
    return new ImportError(LABEL, file, 'no weight after the stack (expected "frame;frame 42")', {
      line: lineNo,
    });
  const text = line.slice(sp + 1);
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  const v = Number(text);
  const problem =
    v < 0
      ? `weight "${shown}" is negative`
      : v === Number.POSITIVE_INFINITY
        ? `weight "${shown}" is too large`
        : `weight "${shown}" is not a number`;
  return new ImportError(LABEL, file, problem, { line: lineNo });
}

/**
 * The lines of a detection head that are complete: the last line is dropped when
 * the head was cut at {@link HEAD_BYTES}. Shared with the perf script detector.
 */
export function completeLines(head: ProfileHead): string[] {
  let text = head.text;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split('\n');
  if (head.bytes.byteLength >= HEAD_BYTES && lines.length > 1) lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.endsWith('\r')) lines[i] = l.slice(0, -1);
  }
  return lines;
}
