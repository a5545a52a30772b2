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
  let carry: Buffer | undefined;
  let got = 0;
  let first = true;
  for await (const chunk of input.chunks()) {
    throwIfCancelled(input, options);
    got += chunk.byteLength;
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let pos = 0;
    if (first) {
      first = false;
      if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) pos = 3;
    }
    if (carry !== undefined) {
      // Join the carried partial line(s) with this chunk's first line(s) in a small block.
      let nl = bytes.indexOf(10, pos);
      let done = false;
      while (nl >= 0) {
        const joined = Buffer.concat([carry, bytes.subarray(pos, nl + 1)]);
        const end = cut(joined, 0, joined.length);
        if (end === joined.length) {
          yield { bytes: joined, start: 0, end };
          pos = nl + 1;
          carry = undefined;
          done = true;
          break;
        }
        nl = bytes.indexOf(10, nl + 1);
      }
      if (!done) {
        carry = Buffer.concat([carry as Buffer, bytes.subarray(pos)]);
        continue;
      }
    }
    const lastNl = bytes.lastIndexOf(10);
    if (lastNl < pos) {
      carry = Buffer.from(bytes.subarray(pos));
      continue;
    }
    const end = cut(bytes, pos, lastNl + 1);
    // Copy the rest: the chunk's memory may be reused once the next one is requested.
    carry = end < bytes.length ? Buffer.from(bytes.subarray(end)) : undefined;
    options.onProgress?.(got);
    if (end > pos) yield { bytes, start: pos, end };
  }
  if (carry !== undefined && carry.length > 0) {
    const last = Buffer.alloc(carry.length + 1);
    carry.copy(last);
    last[carry.length] = 10;
    yield { bytes: last, start: 0, end: last.length };
  }
}

/**
 * A hash table from byte strings (a line, a frame name) to non-negative integers.
 * Keys are copied into one growing pool; a lookup hashes a fingerprint (the length,
 * the first 32 and the last 8 bytes) and then compares the whole key byte by byte, so
 * answers are exact.
 */
export class ByteKeyTable {
  private pool = new Uint8Array(1 << 16);
  private poolUsed = 0;
  private offsets = new Int32Array(1 << 10);
  private lengths = new Int32Array(1 << 10);
  private prints = new Int32Array(1 << 10);
  private values = new Int32Array(1 << 10);
  private count = 0;
  private table = new Int32Array(1 << 11);

  /** Number of keys. */
  get size(): number {
    return this.count;
  }

  /** The fingerprint of `bytes[start, end)` to pass to {@link get} and {@link set}. */
  static fingerprint(bytes: Uint8Array, start: number, end: number): number {
    let h = Math.imul(end - start, 0x9e3779b1);
    const headEnd = end - start > 32 ? start + 32 : end;
    for (let i = start; i < headEnd; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
    const tailStart = Math.max(end - 8, headEnd);
    for (let i = tailStart; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
    return h ^ (h >>> 15);
  }

  /** The value stored for `bytes[start, end)`, or -1. */
  get(bytes: Uint8Array, start: number, end: number, print: number): number {
    const table = this.table;
    const mask = table.length - 1;
    const length = end - start;
    let slot = print & mask;
    for (;;) {
      const entry = table[slot];
      if (entry === 0) return -1;
      const k = entry - 1;
      if (this.prints[k] === print && this.lengths[k] === length) {
        const pool = this.pool;
        let p = this.offsets[k];
        let i = start;
        while (i < end && pool[p] === bytes[i]) {
          i++;
          p++;
        }
        if (i === end) return this.values[k];
      }
      slot = (slot + 1) & mask;
    }
  }

  /** Stores `value` (>= 0) for `bytes[start, end)`, which must not be in the table yet. */
  set(bytes: Uint8Array, start: number, end: number, print: number, value: number): void {
    const length = end - start;
    if (this.poolUsed + length > this.pool.length) {
      let n = this.pool.length * 2;
      while (n < this.poolUsed + length) n *= 2;
      const next = new Uint8Array(n);
      next.set(this.pool.subarray(0, this.poolUsed));
      this.pool = next;
    }
    this.pool.set(bytes.subarray(start, end), this.poolUsed);
    const k = this.count++;
    if (k >= this.offsets.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.offsets = grow(this.offsets);
      this.lengths = grow(this.lengths);
      this.prints = grow(this.prints);
      this.values = grow(this.values);
    }
    this.offsets[k] = this.poolUsed;
    this.lengths[k] = length;
    this.prints[k] = print;
    this.values[k] = value;
    this.poolUsed += length;
    if (this.count * 2 > this.table.length) this.rehash();
    else this.place(this.table, k);
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
