/**
 * The unique stacks of a profile, in columns: stack `s` (0-based, `s < count`) is the frame
 * ids `frames[starts[s], starts[s + 1])`, root first, with summed weight `weights[s]` (in the
 * profile's unit, > 0) on thread `threads[s]` (an index into `Profile.threads`). Walking
 * every stack is one pass over a few typed arrays, without an object or an array per stack.
 * Read a profile's table with `stackTableOf` (model.ts).
 */
export interface StackTable {
  /** Number of unique stacks. */
  readonly count: number;
  /** Frame ids (indices into `Profile.frames`) of every stack, back to back, root first. */
  readonly frames: Int32Array;
  /** Where each stack starts in {@link frames}; `count + 1` entries, the last is the end. */
  readonly starts: Int32Array;
  /** Summed weight of each stack, in the profile's unit. */
  readonly weights: Float64Array;
  /** Thread of each stack: an index into `Profile.threads`. */
  readonly threads: Int32Array;
}

/**
 * Collects unique stacks the way stackcollapse folds samples, but over integer frame ids
 * instead of strings, so the hot path of an importer never concatenates or hashes strings
 * per sample; `ProfileBuilder` keeps its stacks in one, and the streaming text importers
 * (folded stacks, perf script) fill their own and hand it over (`ProfileBuilder.adoptStacks`).
 *
 * Each unique (thread, stack) is stored once: its frame ids live in one growing
 * `Int32Array` pool and an open-addressing hash table (multiplicative hash over
 * the ids) finds it again. Memory therefore grows with the number of unique
 * stacks and their depth, never with the number of samples. {@link finish} gives the
 * {@link StackTable} over the same memory.
 */
export class StackTableBuilder {
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
   * @param thread a thread number (0-based): a profile's thread index, or the caller's own number mapped in {@link finish}
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

  /** Summed sample count (the `samples` given to {@link add} and {@link appendDistinct}); ask before {@link finish}. */
  sampleCount(): number {
    let n = 0;
    for (let s = 0; s < this.count; s++) n += this.counts[s];
    return n;
  }

  /** Summed weight of every stack, in first-seen order. */
  totalWeight(): number {
    let w = 0;
    for (let s = 0; s < this.count; s++) w += this.weights[s];
    return w;
  }

  /**
   * The stacks as a {@link StackTable}, in first-seen order, without those of weight 0 or
   * without frames. It shares this builder's memory: add nothing afterwards.
   * @param threadIndex maps each thread number given to {@link add} to the profile's thread
   *   index (default: the numbers are the indices)
   */
  finish(threadIndex?: (thread: number) => number): StackTable {
    let n = 0;
    let used = 0;
    // drop the stacks a profile does not keep, moving the others down (rare: usually none)
    for (let s = 0; s < this.count; s++) {
      const length = this.lengths[s];
      if (!(this.weights[s] > 0) || length === 0) continue;
      if (n !== s || used !== this.starts[s]) {
        this.pool.copyWithin(used, this.starts[s], this.starts[s] + length);
        this.lengths[n] = length;
        this.threads[n] = this.threads[s];
        this.weights[n] = this.weights[s];
      }
      this.starts[n] = used;
      used += length;
      n++;
    }
    const starts = new Int32Array(n + 1);
    starts.set(this.starts.subarray(0, n));
    starts[n] = used;
    const threads = this.threads.subarray(0, n);
    if (threadIndex) {
      const cache = new Map<number, number>();
      for (let s = 0; s < n; s++) {
        const t = threads[s];
        let index = cache.get(t);
        if (index === undefined) {
          index = threadIndex(t);
          cache.set(t, index);
        }
        threads[s] = index;
      }
    }
    return {
      count: n,
      frames: this.pool.subarray(0, used),
      starts,
      weights: this.weights.subarray(0, n),
      threads,
    };
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
