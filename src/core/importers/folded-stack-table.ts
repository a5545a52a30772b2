import type { ProfileBuilder } from '../profile/model';

/**
 * A private helper of the streaming text importers (folded stacks, perf script):
 * it "folds" samples into unique stacks the way stackcollapse does, but over
 * integer frame ids instead of strings, so the hot path never concatenates or
 * hashes strings per sample.
 *
 * Each unique (thread, stack) is stored once: its frame ids live in one growing
 * `Int32Array` pool and an open-addressing hash table (multiplicative hash over
 * the ids) finds it again. Memory therefore grows with the number of unique
 * stacks and their depth, never with the number of samples. When the file has
 * been read, {@link FoldedStackTable.emit} hands every unique stack to a
 * {@link ProfileBuilder} once, with its summed weight and sample count.
 */
export class FoldedStackTable {
  /** Frame ids of every unique stack, root first, back to back. */
  private pool = new Int32Array(1 << 16);
  private poolUsed = 0;
  /** Per unique stack: start in the pool, length, thread, weight, samples. */
  private starts = new Int32Array(1 << 12);
  private lengths = new Int32Array(1 << 12);
  private threads = new Int32Array(1 << 12);
  private hashes = new Int32Array(1 << 12);
  private weights = new Float64Array(1 << 12);
  private counts = new Float64Array(1 << 12);
  private count = 0;
  /** Open-addressing table of stack index + 1 (0 = empty); size is a power of two. */
  private table = new Int32Array(1 << 13);
  /** False while every stack came through {@link appendDistinct}: the hash table is built on the first {@link add}. */
  private indexed = true;

  /** Number of unique (thread, stack) pairs so far. */
  get size(): number {
    return this.count;
  }

  /**
   * Adds `weight` to the stack made of `frames[0..length)` on `thread`.
   * @param frames frame ids (from {@link ProfileBuilder.frameId})
   * @param length how many entries of `frames` belong to the stack
   * @param leafFirst true when `frames` is leaf first (perf script order); the stack is stored root first
   * @param thread a caller-chosen thread number (0-based), resolved to a name in {@link emit}
   * @param weight finite, >= 0, in the profile's unit
   * @param samples how many samples this adds (for {@link Profile.sampleCount})
   */
  add(
    frames: Int32Array,
    length: number,
    leafFirst: boolean,
    thread: number,
    weight: number,
    samples: number,
  ): void {
    if (!this.indexed) this.index();
    const h = stackHash(frames, length, leafFirst, thread);
    const mask = this.table.length - 1;
    let slot = (h ^ (h >>> 15)) & mask;
    for (;;) {
      const entry = this.table[slot];
      if (entry === 0) break;
      const s = entry - 1;
      if (this.hashes[s] === h && this.lengths[s] === length && this.threads[s] === thread) {
        if (this.equal(s, frames, length, leafFirst)) {
          this.weights[s] += weight;
          this.counts[s] += samples;
          return;
        }
      }
      slot = (slot + 1) & mask;
    }
    this.table[slot] = this.store(frames, length, leafFirst, thread, weight, samples, h) + 1;
    if (this.count * 2 > this.table.length) this.rehash();
  }

  /**
   * Appends a stack (root first) that the caller knows differs from every stack added so
   * far, without hashing it: sorted folded stacks (stackcollapse output) are distinct when
   * each line's stack sorts after the previous one. Same parameters as {@link add}, root
   * first; a later {@link add} indexes the appended stacks first, so the two mix correctly.
   */
  appendDistinct(frames: Int32Array, length: number, thread: number, weight: number, samples: number): void {
    this.store(frames, length, false, thread, weight, samples, 0);
    this.indexed = false;
  }

  /** Stores a new unique stack with hash `h` and returns its index (the hash table is not touched). */
  private store(
    frames: Int32Array,
    length: number,
    leafFirst: boolean,
    thread: number,
    weight: number,
    samples: number,
    h: number,
  ): number {
    const s = this.count++;
    if (s >= this.starts.length) this.growStacks();
    if (this.poolUsed + length > this.pool.length) {
      let n = this.pool.length * 2;
      while (n < this.poolUsed + length) n *= 2;
      const next = new Int32Array(n);
      next.set(this.pool.subarray(0, this.poolUsed));
      this.pool = next;
    }
    const start = this.poolUsed;
    // element loops: a subarray and set() per stack cost more than the copy of a few ids
    const pool = this.pool;
    if (leafFirst) for (let i = 0; i < length; i++) pool[start + i] = frames[length - 1 - i];
    else for (let i = 0; i < length; i++) pool[start + i] = frames[i];
    this.poolUsed += length;
    this.starts[s] = start;
    this.lengths[s] = length;
    this.threads[s] = thread;
    this.hashes[s] = h;
    this.weights[s] = weight;
    this.counts[s] = samples;
    return s;
  }

  /** Hashes the stacks appended by {@link appendDistinct} and builds the hash table over all stacks. */
  private index(): void {
    for (let s = 0; s < this.count; s++) {
      this.hashes[s] = stackHash(this.pool.subarray(this.starts[s]), this.lengths[s], false, this.threads[s]);
    }
    let size = this.table.length;
    while (this.count * 2 > size) size *= 2;
    this.table = new Int32Array(size / 2);
    this.rehash();
    this.indexed = true;
  }

  /**
   * Appends every unique stack to `builder`, in first-seen order.
   * @param threadName maps the thread numbers given to {@link add} to names
   */
  emit(builder: ProfileBuilder, threadName: (thread: number) => string | undefined): void {
    for (let s = 0; s < this.count; s++) {
      const start = this.starts[s];
      const length = this.lengths[s];
      const stack: number[] = new Array(length);
      for (let i = 0; i < length; i++) stack[i] = this.pool[start + i];
      // Each (thread, stack) is in the table once, so the builder need not look for duplicates.
      builder.appendDistinctStack(stack, this.weights[s], threadName(this.threads[s]), this.counts[s]);
    }
  }

  private equal(s: number, frames: Int32Array, length: number, leafFirst: boolean): boolean {
    const pool = this.pool;
    const start = this.starts[s];
    if (leafFirst) {
      for (let i = 0; i < length; i++) if (pool[start + i] !== frames[length - 1 - i]) return false;
    } else {
      for (let i = 0; i < length; i++) if (pool[start + i] !== frames[i]) return false;
    }
    return true;
  }

  private growStacks(): void {
    const n = this.starts.length * 2;
    const grow32 = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    const grow64 = (a: Float64Array) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.starts = grow32(this.starts);
    this.lengths = grow32(this.lengths);
    this.threads = grow32(this.threads);
    this.hashes = grow32(this.hashes);
    this.weights = grow64(this.weights);
    this.counts = grow64(this.counts);
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let s = 0; s < this.count; s++) {
      const h = this.hashes[s];
      let slot = (h ^ (h >>> 15)) & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = s + 1;
    }
    this.table = table;
  }
}

/** Hash of a (thread, stack) over its frame ids, root first whatever the order of `frames`. */
function stackHash(frames: Int32Array, length: number, leafFirst: boolean, thread: number): number {
  let h = (thread + 1) * 0x9e3779b1;
  if (leafFirst) {
    for (let i = length - 1; i >= 0; i--) h = Math.imul(h ^ frames[i], 0x01000193) + 0x7f4a7c15;
  } else {
    for (let i = 0; i < length; i++) h = Math.imul(h ^ frames[i], 0x01000193) + 0x7f4a7c15;
  }
  return h | 0;
}

/**
 * A growable buffer of frame ids for the sample being read (reused between samples).
 */
export class FrameBuffer {
  /** The ids; only `[0, length)` is meaningful. */
  ids = new Int32Array(256);
  /** Number of ids in the buffer. */
  length = 0;

  /** Appends one frame id. */
  push(id: number): void {
    if (this.length === this.ids.length) {
      const next = new Int32Array(this.ids.length * 2);
      next.set(this.ids);
      this.ids = next;
    }
    this.ids[this.length++] = id;
  }
}
