/**
 * Private helpers of the streaming text importers (folded stacks, perf script) for
 * their hot path, which works on bytes rather than strings: most lines of a large
 * profile repeat a line seen before (the same frame of the same function), so the
 * importers look each line (or frame) up by its bytes and decode text only the first
 * time they meet it. This keeps them close to the speed of merely reading the file.
 */
import { Buffer } from 'node:buffer';
import { throwIfCancelled } from './input';
import type { ImportOptions, ProfileInput } from './types';

/** A block of whole lines: `bytes[start, end)` are complete lines, the last one ending with `\n`. */
export interface LineBlock {
  readonly bytes: Buffer;
  readonly start: number;
  readonly end: number;
}

/**
 * Streams an input as blocks of complete lines, without decoding and without copying
 * the chunks: a line cut by a chunk boundary is joined with the start of the next chunk
 * in a small block of its own. A leading UTF-8 BOM is skipped; a last line without
 * `\n` gets one.
 * @param keepBack optional: given a block and the start of its last line, returns where
 *   the block should end instead (a line start), to keep that line together with what
 *   follows it (e.g. a perf frame line with its srcline)
 * @throws ImportCancelledError when `options.signal` fires
 */
export async function* lineBlocks(
  input: ProfileInput,
  options: ImportOptions = {},
  keepBack?: (bytes: Uint8Array, lastLineStart: number, end: number) => number,
): AsyncGenerator<LineBlock> {
  /** Where a block [start, end) ending in \n should end, honouring keepBack. */
  const cut = (bytes: Buffer, start: number, end: number): number => {
    if (keepBack === undefined) return end;
    const prevNl = end - 2 >= start ? bytes.lastIndexOf(10, end - 2) : -1;
    const lastStart = prevNl >= start ? prevNl + 1 : start;
    return keepBack(bytes, lastStart, end);
  };
  // The partial block carried into the next chunk, as pieces joined only when the block is
  // yielded: joining them chunk by chunk (or once per candidate line end) would copy a long
  // line or a long block again for every chunk (quadratic; a 10,000-frame perf sample).
  let carry: Buffer[] | undefined;
  let got = 0;
  let first = true;
  /** The carry's last (partial) line followed by `rest`: all `keepBack` needs to judge a cut. */
  const lastLineWith = (pieces: Buffer[], rest: Buffer): Buffer => {
    const parts: Buffer[] = [rest];
    for (let i = pieces.length - 1; i >= 0; i--) {
      const nl = pieces[i].lastIndexOf(10);
      if (nl >= 0) {
        parts.push(pieces[i].subarray(nl + 1));
        break;
      }
      parts.push(pieces[i]);
    }
    return Buffer.concat(parts.reverse());
  };
  // every block is consumed before the next is requested, and what outlives it is copied
  for await (const chunk of input.reusedChunks?.() ?? input.chunks()) {
    throwIfCancelled(input, options);
    got += chunk.byteLength;
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let pos = 0;
    if (first) {
      first = false;
      if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) pos = 3;
    }
    if (carry !== undefined) {
      // Join the carried partial line(s) with this chunk's first line(s) in a small block:
      // up to the first line end where the block may end (see keepBack).
      const pieces = carry;
      let nl = bytes.indexOf(10, pos);
      let prevNl = -1;
      let done = false;
      while (nl >= 0) {
        let ok: boolean;
        if (keepBack === undefined) ok = true;
        else if (prevNl >= 0) ok = keepBack(bytes, prevNl + 1, nl + 1) === nl + 1;
        else {
          const line = lastLineWith(pieces, bytes.subarray(pos, nl + 1));
          ok = keepBack(line, 0, line.length) === line.length;
        }
        if (ok) {
          pieces.push(bytes.subarray(pos, nl + 1));
          const joined = Buffer.concat(pieces);
          yield { bytes: joined, start: 0, end: joined.length };
          pos = nl + 1;
          carry = undefined;
          done = true;
          break;
        }
        prevNl = nl;
        nl = bytes.indexOf(10, nl + 1);
      }
      if (!done) {
        // Copy: the chunk's memory may be reused once the next one is requested.
        pieces.push(Buffer.from(bytes.subarray(pos)));
        continue;
      }
    }
    const lastNl = bytes.lastIndexOf(10);
    if (lastNl < pos) {
      carry = [Buffer.from(bytes.subarray(pos))];
      continue;
    }
    const end = cut(bytes, pos, lastNl + 1);
    // Copy the rest: the chunk's memory may be reused once the next one is requested.
    carry = end < bytes.length ? [Buffer.from(bytes.subarray(end))] : undefined;
    options.onProgress?.(got);
    if (end > pos) yield { bytes, start: pos, end };
  }
  const rest = carry === undefined ? undefined : Buffer.concat(carry);
  if (rest !== undefined && rest.length > 0) {
    const last = Buffer.alloc(rest.length + 1);
    rest.copy(last);
    last[rest.length] = 10;
    yield { bytes: last, start: 0, end: last.length };
  }
}

/**
 * A hash table from byte strings (a perf frame line with its srcline, a folded frame)
 * to non-negative integers. Keys are copied into one growing pool. A line lookup starts
 * where a key would start in the input, hashes a fixed window of it and then compares the
 * whole stored key plus its terminator, so it needs no search for the line's end; a range
 * lookup (a folded frame, whose end the reader finds while hashing it) hashes the whole
 * range. Answers are exact.
 */
export class ByteKeyTable {
  private pool = new Uint8Array(1 << 16);
  private poolView = new DataView(this.pool.buffer);
  private poolUsed = 0;
  private offsets = new Int32Array(1 << 10);
  private lengths = new Int32Array(1 << 10);
  private prints = new Int32Array(1 << 10);
  private values = new Int32Array(1 << 10);
  private flags = new Int32Array(1 << 10);
  private successors = new Int32Array(1 << 10);
  private count = 0;
  private table = new Int32Array(1 << 11);

  /** Number of keys. */
  get size(): number {
    return this.count;
  }

  /** Bytes of the keys stored. */
  get bytes(): number {
    return this.poolUsed;
  }

  /**
   * Forgets every key but keeps the memory, so a table that is cleared when it reaches a
   * size never holds more than that (no second pool while the old one awaits collection).
   */
  clear(): void {
    this.count = 0;
    this.poolUsed = 0;
    this.table.fill(0);
  }

  /** Length in bytes of key `k` (from {@link matchLine} / {@link matchSegment}). */
  keyLength(k: number): number {
    return this.lengths[k];
  }

  /** Value of key `k`. */
  value(k: number): number {
    return this.values[k];
  }

  /** Flags stored with key `k`. */
  keyFlags(k: number): number {
    return this.flags[k];
  }

  /** Line keys shorter than this are not stored (see {@link printLine}). */
  static readonly MIN_LINE_KEY = 24;

  /**
   * Fingerprint of a line key starting at `start`: a hash of its bytes 4 to 24 (for
   * perf frame lines: the address and the start of the symbol), read 4 at a time.
   * Only keys of at least {@link MIN_LINE_KEY} bytes may be stored with it.
   * @param view a DataView over the input bytes; `start + 24` must not exceed its length
   */
  static printLine(view: DataView, start: number): number {
    let h = Math.imul(view.getInt32(start + 4) ^ 0x2c1b3c6d, 0x01000193);
    h = Math.imul(h ^ view.getInt32(start + 8), 0x01000193);
    h = Math.imul(h ^ view.getInt32(start + 12), 0x01000193);
    h = Math.imul(h ^ view.getInt32(start + 16), 0x01000193);
    h = Math.imul(h ^ view.getInt32(start + 20), 0x01000193);
    return h ^ (h >>> 15);
  }

  /**
   * The key that starts at `bytes[start]` and is followed there by a line end (`\n` or
   * `\r\n`); a key without flag 1 must moreover not be followed by a line starting with
   * a space (a perf srcline belongs to the key when present).
   * @param view a DataView over exactly the memory of `bytes`
   * @param end the end of the valid bytes
   * @returns the key index, or -1
   */
  matchLine(view: DataView, bytes: Uint8Array, start: number, end: number, print: number): number {
    const table = this.table;
    const mask = table.length - 1;
    let slot = print & mask;
    for (;;) {
      const entry = table[slot];
      if (entry === 0) return -1;
      const k = entry - 1;
      if (this.prints[k] === print && this.isLineAt(k, view, bytes, start, end)) return k;
      slot = (slot + 1) & mask;
    }
  }

  /**
   * Like {@link matchLine}, but tries only the key that followed key `previous` the
   * last time (see {@link setSuccessor}): the caller of a frame is usually the same
   * frame again, so most lines are found without hashing or probing.
   * @returns the key index, or -1 when the line is not that key
   */
  matchSuccessor(previous: number, view: DataView, bytes: Uint8Array, start: number, end: number): number {
    const k = this.successors[previous];
    return k >= 0 && this.isLineAt(k, view, bytes, start, end) ? k : -1;
  }

  /** Whether key `k` is the whole line at `bytes[start]` (the rule of {@link matchLine}). */
  private isLineAt(k: number, view: DataView, bytes: Uint8Array, start: number, end: number): boolean {
    let after = start + this.lengths[k];
    if (after < end && bytes[after] === 13) after++;
    if (!(after < end && bytes[after] === 10 && this.equalAt(k, view, start))) return false;
    return this.flags[k] === 1 || after + 1 >= end || bytes[after + 1] !== 32;
  }

  /** Remembers that key `next` followed key `previous` (for {@link matchSuccessor}). */
  setSuccessor(previous: number, next: number): void {
    this.successors[previous] = next;
  }

  /**
   * The key that is exactly `bytes[start, end)`.
   * @param view a DataView over exactly the memory of `bytes`
   * @param print the caller's hash of every byte of the range (the one given to {@link set}):
   *   names that share a long prefix (`github.com/acme/svc/internal/…`) must not collide
   * @returns the key index, or -1
   */
  matchRange(view: DataView, start: number, end: number, print: number): number {
    const table = this.table;
    const mask = table.length - 1;
    const length = end - start;
    for (let slot = print & mask; ; slot = (slot + 1) & mask) {
      const entry = table[slot];
      if (entry === 0) return -1;
      const k = entry - 1;
      if (this.prints[k] === print && this.lengths[k] === length && this.equalAt(k, view, start)) return k;
    }
  }

  /** Stores `value` (>= 0) and `flags` for the key `bytes[start, end)` with fingerprint `print`. */
  set(bytes: Uint8Array, start: number, end: number, print: number, value: number, flags = 0): void {
    const length = end - start;
    if (this.poolUsed + length > this.pool.length) {
      this.pool = roomFor(this.pool, this.poolUsed, length);
      this.poolView = new DataView(this.pool.buffer);
    }
    this.pool.set(bytes.subarray(start, end), this.poolUsed);
    const k = this.count++;
    if (k >= this.offsets.length) {
      this.offsets = doubled(this.offsets);
      this.lengths = doubled(this.lengths);
      this.prints = doubled(this.prints);
      this.values = doubled(this.values);
      this.flags = doubled(this.flags);
      this.successors = doubled(this.successors);
    }
    this.offsets[k] = this.poolUsed;
    this.lengths[k] = length;
    this.prints[k] = print;
    this.values[k] = value;
    this.flags[k] = flags;
    this.successors[k] = -1;
    this.poolUsed += length;
    if (this.count * 2 > this.table.length) this.rehash();
    else this.place(this.table, k);
  }

  /** True when key `k` equals the input bytes at `start` (the caller checked the bounds). */
  private equalAt(k: number, view: DataView, start: number): boolean {
    const pool = this.poolView;
    let p = this.offsets[k];
    const stop = start + this.lengths[k];
    let i = start;
    // 8 bytes at a time as doubles: equal doubles have equal bits except +0 / -0 (checked
    // as integers); NaN never compares equal, so such bytes fall back to the 4-byte loop.
    while (i + 8 <= stop) {
      const a = pool.getFloat64(p);
      if (a !== view.getFloat64(i) || (a === 0 && pool.getInt32(p) !== view.getInt32(i))) break;
      i += 8;
      p += 8;
    }
    while (i + 4 <= stop) {
      if (pool.getInt32(p) !== view.getInt32(i)) return false;
      i += 4;
      p += 4;
    }
    while (i < stop) {
      if (pool.getUint8(p) !== view.getUint8(i)) return false;
      i++;
      p++;
    }
    return true;
  }

  private place(table: Int32Array, k: number): void {
    const mask = table.length - 1;
    let slot = this.prints[k] & mask;
    while (table[slot] !== 0) slot = (slot + 1) & mask;
    table[slot] = k + 1;
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2);
    for (let k = 0; k < this.count; k++) this.place(table, k);
    this.table = table;
  }
}

/**
 * A hash table from a pair of byte strings (a perf frame line's symbol and its dso) to
 * non-negative integers: lines of one function at different addresses differ in their
 * address and offset only, so their frame is found by the pair without decoding the line.
 * Both keys are copied into one growing pool.
 */
export class BytePairTable {
  private pool = new Uint8Array(1 << 14);
  private poolUsed = 0;
  private offsets = new Int32Array(1 << 8);
  private firstLengths = new Int32Array(1 << 8);
  private secondLengths = new Int32Array(1 << 8);
  private hashes = new Int32Array(1 << 8);
  private values = new Int32Array(1 << 8);
  private count = 0;
  private table = new Int32Array(1 << 9);

  /** Number of pairs. */
  get size(): number {
    return this.count;
  }

  /** Hash of the pair `bytes[a0, a1)`, `bytes[b0, b1)`. */
  static hash(bytes: Uint8Array, a0: number, a1: number, b0: number, b1: number): number {
    let h = 0x2c1b3c6d;
    for (let i = a0; i < a1; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
    h = Math.imul(h ^ 0xff, 0x01000193);
    for (let i = b0; i < b1; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
    return h ^ (h >>> 15);
  }

  /**
   * The value of the pair `bytes[a0, a1)`, `bytes[b0, b1)` with hash `h` (from {@link hash}).
   * @returns the value, or -1 when the pair is not in the table
   */
  get(bytes: Uint8Array, a0: number, a1: number, b0: number, b1: number, h: number): number {
    const mask = this.table.length - 1;
    const la = a1 - a0;
    const lb = b1 - b0;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = this.table[slot];
      if (entry === 0) return -1;
      const k = entry - 1;
      if (this.hashes[k] !== h || this.firstLengths[k] !== la || this.secondLengths[k] !== lb) continue;
      const pool = this.pool;
      let p = this.offsets[k];
      let same = true;
      for (let i = a0; same && i < a1; i++) same = pool[p++] === bytes[i];
      for (let i = b0; same && i < b1; i++) same = pool[p++] === bytes[i];
      if (same) return this.values[k];
    }
  }

  /** Stores `value` (>= 0) for a pair not in the table, with hash `h` (from {@link hash}). */
  set(bytes: Uint8Array, a0: number, a1: number, b0: number, b1: number, h: number, value: number): void {
    const la = a1 - a0;
    const lb = b1 - b0;
    if (this.poolUsed + la + lb > this.pool.length) this.pool = roomFor(this.pool, this.poolUsed, la + lb);
    const k = this.count++;
    if (k >= this.offsets.length) {
      this.offsets = doubled(this.offsets);
      this.firstLengths = doubled(this.firstLengths);
      this.secondLengths = doubled(this.secondLengths);
      this.hashes = doubled(this.hashes);
      this.values = doubled(this.values);
    }
    this.offsets[k] = this.poolUsed;
    this.pool.set(bytes.subarray(a0, a1), this.poolUsed);
    this.pool.set(bytes.subarray(b0, b1), this.poolUsed + la);
    this.poolUsed += la + lb;
    this.firstLengths[k] = la;
    this.secondLengths[k] = lb;
    this.hashes[k] = h;
    this.values[k] = value;
    if (this.count * 2 > this.table.length) {
      this.table = new Int32Array(this.table.length * 2);
      for (let j = 0; j < this.count; j++) this.place(j);
    } else this.place(k);
  }

  private place(k: number): void {
    const mask = this.table.length - 1;
    let slot = this.hashes[k] & mask;
    while (this.table[slot] !== 0) slot = (slot + 1) & mask;
    this.table[slot] = k + 1;
  }
}

/** `a` copied into an array twice as long. */
function doubled(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/** A pool at least twice as long as `pool` with room for `more` bytes after `used`, holding `pool`'s first `used` bytes. */
function roomFor(pool: Uint8Array, used: number, more: number): Uint8Array<ArrayBuffer> {
  let n = pool.length * 2;
  while (n < used + more) n *= 2;
  const next = new Uint8Array(n);
  next.set(pool.subarray(0, used));
  return next;
}
