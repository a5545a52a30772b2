/**
 * Streaming byte reader of a V8 `.cpuprofile`: reads the file chunk by chunk, never as one
 * string nor one buffer, so any size loads (past V8's 512 MiB string limit) and memory is
 * bounded by the call tree and one count per node, not by the file.
 *
 * Spec of the shape: `Profiler.Profile` in
 * https://chromedevtools.github.io/devtools-protocol/tot/Profiler/#type-Profile
 * (`nodes`, `startTime` / `endTime` in microseconds, `samples` = node id per sample,
 * `timeDeltas` in microseconds).
 *
 * What makes such a file large is known: `nodes` (hundreds of thousands of small objects of a
 * fixed shape) and `samples` / `timeDeltas` (one integer per sample, tens of millions). So:
 * - each node is read field by field from the bytes into columns ({@link CpuprofileNodes}),
 *   checking exactly what the importer's schema checks (types, safe integers, counts ≥ 0);
 *   strings are decoded once per distinct byte sequence (nodes share names and URLs);
 * - `samples` are counted per node as they are read (a count per node, nothing per sample)
 *   when `nodes` came first, as V8 writes them; otherwise kept as a Float64Array;
 * - `timeDeltas` are checked as JSON numbers and dropped (the importer does not use them);
 * - any other top-level value is checked as JSON and skipped.
 *
 * The reader accepts only what is valid JSON and passes the importer's schema. On anything
 * else (a syntax error, a missing or mistyped field, a duplicate key, a sample naming an
 * unknown node, a Chrome trace, an empty file) it stops and says so (`undefined`): the
 * importer then reads the file the general way, which reports the error exactly as before
 * (with its JSON path or byte offset) or reads the unusual but valid file.
 */

import type { CpuprofileNodes } from './cpuprofile-nodes';
import { CpuprofileNodesBuilder, Float64Vec, indexNodeIds, type NodeIndex } from './cpuprofile-nodes';
import { throwIfCancelled } from './input';
import type { ImportOptions, ProfileInput } from './types';

/** What {@link readCpuprofileStream} read from a valid profile object. */
export interface StreamedCpuprofile {
  readonly nodes: CpuprofileNodes;
  /** `startTime` in microseconds, when present. */
  readonly startTime?: number;
  /** `endTime` in microseconds, when present. */
  readonly endTime?: number;
  /**
   * The samples, when the file has a `samples` array: counted per node position (with the
   * index used, which found every id), or, when `samples` came before `nodes`, the ids as read.
   */
  readonly samples?:
    | { readonly counts: Float64Array; readonly length: number; readonly index: NodeIndex }
    | { readonly ids: Float64Array; readonly length: number };
}

// JSON's bytes as local constants: imported from another module they would be property
// reads of that module in the unbundled (tsx) runs of the tests and benchmarks, per byte.
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

/** Thrown inside the reader when an item runs past the bytes read so far. */
const NEED_MORE = { reason: 'need more bytes' };
/** Thrown inside the reader when the file is not what the fast path accepts. */
const GIVE_UP = { reason: 'not for the byte reader' };

const keyBytes = (...keys: string[]) => keys.map((k) => new TextEncoder().encode(k));
const TOP_KEYS = keyBytes('nodes', 'samples', 'timeDeltas', 'startTime', 'endTime', 'traceEvents');
const [K_NODES, K_SAMPLES, K_TIME_DELTAS, K_START, K_END, K_TRACE] = [0, 1, 2, 3, 4, 5];
const NODE_KEYS = keyBytes('id', 'callFrame', 'hitCount', 'children', 'parent', 'positionTicks');
const [N_ID, N_CALL_FRAME, N_HIT_COUNT, N_CHILDREN, N_PARENT, N_TICKS] = [0, 1, 2, 3, 4, 5];
const FRAME_KEYS = keyBytes('functionName', 'url', 'scriptId', 'lineNumber', 'columnNumber');
const [F_NAME, F_URL, F_SCRIPT, F_LINE, F_COLUMN] = [0, 1, 2, 3, 4];
const TICK_KEYS = keyBytes('line', 'ticks');

/** Top-level states between items. */
enum State {
  Begin,
  FirstKey,
  Key,
  AfterValue,
  FirstNode,
  Node,
  AfterNode,
  FirstNumber,
  Numbers,
  End,
}

/** What the samples array does with each number. */
enum SampleMode {
  /** timeDeltas: check only. */
  Check,
  /** samples after nodes: count per node position. */
  Count,
  /** samples before nodes: keep the ids. */
  Keep,
}

const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * Reads a `.cpuprofile` from its chunks (see the module comment).
 * Reports progress with `options.onProgress` (bytes read) after every chunk.
 * @returns the nodes in columns and the samples counted per node, or `undefined` when the
 *   file is not a valid profile object in the shape this reader takes (see the module comment)
 * @throws ImportCancelledError when `options.signal` fires
 */
export async function readCpuprofileStream(
  input: ProfileInput,
  options: ImportOptions = {},
): Promise<StreamedCpuprofile | undefined> {
  const reader = new CpuprofileByteReader();
  let got = 0;
  const chunks = input.reusedChunks ? input.reusedChunks() : input.chunks();
  for await (const chunk of chunks) {
    throwIfCancelled(input, options);
    got += chunk.byteLength;
    options.onProgress?.(got);
    if (!reader.push(chunk)) return undefined;
  }
  return reader.finish();
}

/**
 * The reader's state: a window of bytes (what is left of the previous chunks followed by the
 * new one), a top-level state, and what was read so far. The window is read in items (a key,
 * a node, a number, any other value) that are either read whole or not at all: an item cut by
 * the window's end is read again, from its start, once more bytes came.
 */
class CpuprofileByteReader {
  private buf = new Uint8Array(0);
  private pos = 0;
  private end = 0;
  /** Window length needed before reading again (an item longer than the bytes at hand). */
  private wanted = 0;
  private atStart = true;
  private state = State.Begin;
  private readonly seen = new Set<number>();
  private readonly nodes = new CpuprofileNodesBuilder();
  private nodesDone = false;
  private readonly strings = new ByteStrings(this.nodes);
  private startTime: number | undefined;
  private endTime: number | undefined;
  private sampleMode = SampleMode.Check;
  private counts: Float64Array | undefined;
  private index: NodeIndex | undefined;
  private dense: Int32Array | undefined;
  /**
   * Samples per node id when ids are dense (one 4-byte random access per sample, where
   * `counts[dense[id]]` takes two), added into {@link counts} by {@link flushById}.
   */
  private byId: Uint32Array | undefined;
  /** Samples counted in {@link byId} since its last flush (flushed before a count could pass 2^32). */
  private byIdSince = 0;
  private kept: Float64Vec | undefined;
  private sampleLength = 0;
  private hasSamples = false;

  /** Reads what it can of one more chunk; false when the file is not for this reader. */
  push(chunk: Uint8Array): boolean {
    const left = this.end - this.pos;
    const need = left + chunk.byteLength;
    if (need > this.buf.length) {
      const bigger = new Uint8Array(Math.max(need, this.buf.length * 2, 1 << 16));
      bigger.set(this.buf.subarray(this.pos, this.end));
      this.buf = bigger;
    } else if (left > 0) this.buf.copyWithin(0, this.pos, this.end);
    this.buf.set(chunk, left);
    this.pos = 0;
    this.end = need;
    if (this.atStart) {
      if (need < 3) return true;
      if (this.buf[0] === 0xef && this.buf[1] === 0xbb && this.buf[2] === 0xbf) this.pos = 3;
      this.atStart = false;
    }
    if (this.end < this.wanted) return true;
    return this.run();
  }

  /** After the last chunk: the profile, or undefined when the file is not for this reader. */
  finish(): StreamedCpuprofile | undefined {
    if (this.atStart || !this.run()) return undefined;
    // the whole object was read (and only white space after it), or the file was cut short
    if (this.state !== State.End) return undefined;
    if (!this.nodesDone || this.nodes.count === 0) return undefined;
    if (this.byId && !this.flushById()) return undefined;
    const nodes = this.nodes.finish();
    let samples: StreamedCpuprofile['samples'];
    if (this.hasSamples)
      samples = this.counts
        ? { counts: this.counts, length: this.sampleLength, index: this.index! }
        : { ids: this.kept!.toArray(), length: this.sampleLength };
    return { nodes, startTime: this.startTime, endTime: this.endTime, samples };
  }

  /** Reads items until the window ends; false when the file is not for this reader. */
  private run(): boolean {
    this.wanted = 0;
    for (;;) {
      const start = this.pos;
      try {
        this.step();
      } catch (e) {
        if (e === NEED_MORE) {
          // the item at `start` runs past the window: read it again with at least twice its bytes
          if (this.state === State.Node) this.nodes.undoNode();
          this.pos = start;
          this.wanted = 2 * (this.end - start) + 1;
          return true;
        }
        if (e === GIVE_UP) return false;
        throw e;
      }
    }
  }

  /** Reads one item (NEED_MORE when the window ends first). */
  private step(): void {
    switch (this.state) {
      case State.Begin:
        if (this.peek() !== OPEN_BRACE) throw GIVE_UP;
        this.pos++;
        this.state = State.FirstKey;
        return;
      case State.FirstKey:
        if (this.peek() === CLOSE_BRACE) {
          this.pos++;
          this.state = State.End;
        } else this.state = State.Key;
        return;
      case State.Key:
        this.key();
        return;
      case State.AfterValue: {
        const c = this.peek();
        this.pos++;
        if (c === COMMA) this.state = State.Key;
        else if (c === CLOSE_BRACE) this.state = State.End;
        else throw GIVE_UP;
        return;
      }
      case State.FirstNode:
        if (this.peek() === CLOSE_BRACKET) throw GIVE_UP; // no nodes: the schema wants one
        this.state = State.Node;
        return;
      case State.Node:
        this.node();
        this.state = State.AfterNode;
        return;
      case State.AfterNode: {
        const c = this.peek();
        this.pos++;
        if (c === COMMA) this.state = State.Node;
        else if (c === CLOSE_BRACKET) {
          this.nodesDone = true;
          this.state = State.AfterValue;
        } else throw GIVE_UP;
        return;
      }
      case State.FirstNumber:
        if (this.peek() === CLOSE_BRACKET) {
          this.pos++;
          this.state = State.AfterValue;
        } else this.state = State.Numbers;
        return;
      case State.Numbers:
        this.numbers();
        return;
      case State.End:
        this.peek();
        throw GIVE_UP; // something after the top-level object
    }
  }

  /** A top-level key, its colon, and the start of its value (or all of it, when small). */
  private key(): void {
    this.peek();
    const k = this.knownKey(TOP_KEYS);
    if (this.peek() !== COLON) throw GIVE_UP;
    this.pos++;
    const c = this.peek();
    // a repeated key: JSON.parse keeps the last one, leave it to the general path
    if (k >= 0 && this.seen.has(k)) throw GIVE_UP;
    switch (k) {
      case K_NODES:
        if (c !== OPEN_BRACKET) throw GIVE_UP;
        this.pos++;
        this.state = State.FirstNode;
        break;
      case K_SAMPLES:
      case K_TIME_DELTAS:
        if (c !== OPEN_BRACKET) throw GIVE_UP;
        this.pos++;
        if (k === K_SAMPLES) this.startSamples();
        else this.sampleMode = SampleMode.Check;
        this.state = State.FirstNumber;
        break;
      case K_START:
      case K_END: {
        const v = this.number();
        if (k === K_START) this.startTime = v;
        else this.endTime = v;
        this.state = State.AfterValue;
        break;
      }
      case K_TRACE:
        throw GIVE_UP; // a Chrome trace
      default:
        this.skipValue();
        this.state = State.AfterValue;
    }
    if (k >= 0) this.seen.add(k);
  }

  private startSamples(): void {
    this.hasSamples = true;
    if (!this.nodesDone) {
      this.sampleMode = SampleMode.Keep;
      this.kept = new Float64Vec(1 << 16);
      return;
    }
    const index = indexNodeIds(this.nodes.id.data, this.nodes.count);
    if ('duplicateAt' in index) throw GIVE_UP;
    this.index = index;
    this.dense = index.dense;
    this.counts = new Float64Array(this.nodes.count);
    if (this.dense) this.byId = new Uint32Array(this.dense.length);
    this.sampleMode = SampleMode.Count;
  }

  /**
   * The numbers of `samples` or `timeDeltas`: a run of plain integers followed by "," by the
   * tight loops below (one item, committed at once), else one number the general way (one item).
   */
  private numbers(): void {
    const from = this.pos;
    let i = from;
    if (this.sampleMode === SampleMode.Count && this.byId) {
      if (this.byIdSince >= 2 ** 31 && !this.flushById()) throw GIVE_UP;
      i = countSamples(this.buf, from, this.end, this.byId);
      this.sampleLength += scanned;
      this.byIdSince += scanned;
    } else if (this.sampleMode === SampleMode.Check) i = checkNumbers(this.buf, from, this.end);
    if (i !== from) {
      this.pos = i;
      return;
    }
    // the last number, or one that is not a plain integer, or one cut by the window's end
    this.peek();
    const value = this.number();
    const d = this.peek();
    if (d !== COMMA && d !== CLOSE_BRACKET) throw GIVE_UP;
    this.pos++;
    this.record(value); // last: nothing after it can ask for more bytes
    if (d === CLOSE_BRACKET) this.state = State.AfterValue;
  }

  /** Records one sample read the general way. */
  private record(v: number): void {
    if (this.sampleMode === SampleMode.Count) {
      const byId = this.byId;
      if (byId && Number.isInteger(v) && v >= 0 && v < byId.length) {
        byId[v]++;
        this.byIdSince++;
        this.sampleLength++;
        return;
      }
      const k = this.index!.find(v);
      if (k < 0) throw GIVE_UP;
      this.counts![k]++;
      this.sampleLength++;
    } else if (this.sampleMode === SampleMode.Keep) {
      this.kept!.push(v);
      this.sampleLength++;
    }
  }

  /**
   * Adds the samples counted by id into the counts by node position.
   * @returns false when a sample names an id that no node has
   */
  private flushById(): boolean {
    const byId = this.byId!;
    const dense = this.dense!;
    const counts = this.counts!;
    for (let id = 0; id < byId.length; id++) {
      const c = byId[id];
      if (c === 0) continue;
      const k = dense[id];
      if (k < 0) return false;
      counts[k] += c;
      byId[id] = 0;
    }
    this.byIdSince = 0;
    return true;
  }

  /** One entry of `nodes`, into the columns. */
  private node(): void {
    if (this.peek() !== OPEN_BRACE) throw GIVE_UP;
    this.pos++;
    let seen = 0;
    let id = 0;
    let parent = Number.NaN;
    let hitCount = 0;
    let name = -1;
    let url = 0;
    let line = -1;
    let column = -1;
    if (this.peek() === CLOSE_BRACE) throw GIVE_UP; // no id, no callFrame
    for (;;) {
      this.peek();
      const k = this.knownKey(NODE_KEYS);
      if (this.peek() !== COLON) throw GIVE_UP;
      this.pos++;
      this.peek();
      if (k >= 0) {
        if (seen & (1 << k)) throw GIVE_UP;
        seen |= 1 << k;
      }
      switch (k) {
        case N_ID:
          id = this.safeInteger();
          break;
        case N_CALL_FRAME: {
          if (this.buf[this.pos] !== OPEN_BRACE) throw GIVE_UP;
          this.pos++;
          let frameSeen = 0;
          if (this.peek() === CLOSE_BRACE) throw GIVE_UP; // no functionName
          for (;;) {
            this.peek();
            const f = this.knownKey(FRAME_KEYS);
            if (this.peek() !== COLON) throw GIVE_UP;
            this.pos++;
            const c = this.peek();
            if (f >= 0) {
              if (frameSeen & (1 << f)) throw GIVE_UP;
              frameSeen |= 1 << f;
            }
            switch (f) {
              case F_NAME:
                if (c !== QUOTE) throw GIVE_UP;
                name = this.strings.read(this);
                break;
              case F_URL:
                if (c !== QUOTE) throw GIVE_UP;
                url = this.strings.read(this);
                break;
              case F_SCRIPT:
                if (c === QUOTE) this.skipString();
                else this.number();
                break;
              case F_LINE:
                line = this.safeInteger();
                break;
              case F_COLUMN:
                column = this.safeInteger();
                break;
              default:
                this.skipValue();
            }
            const d = this.peek();
            this.pos++;
            if (d === CLOSE_BRACE) break;
            if (d !== COMMA) throw GIVE_UP;
          }
          if (name < 0) throw GIVE_UP;
          break;
        }
        case N_HIT_COUNT:
          hitCount = this.number();
          if (!(hitCount >= 0)) throw GIVE_UP;
          break;
        case N_CHILDREN: {
          if (this.buf[this.pos] !== OPEN_BRACKET) throw GIVE_UP;
          this.pos++;
          const childIds = this.nodes.childIds;
          if (this.peek() === CLOSE_BRACKET) {
            this.pos++;
            break;
          }
          for (;;) {
            this.peek();
            childIds.push(this.safeInteger());
            const d = this.peek();
            this.pos++;
            if (d === CLOSE_BRACKET) break;
            if (d !== COMMA) throw GIVE_UP;
          }
          break;
        }
        case N_PARENT:
          parent = this.safeInteger();
          break;
        case N_TICKS:
          this.positionTicks();
          break;
        default:
          this.skipValue();
      }
      const d = this.peek();
      this.pos++;
      if (d === CLOSE_BRACE) break;
      if (d !== COMMA) throw GIVE_UP;
    }
    if (!(seen & (1 << N_ID)) || !(seen & (1 << N_CALL_FRAME))) throw GIVE_UP;
    this.nodes.endNode(id, parent, hitCount, name, url, line, column);
  }

  /** A node's `positionTicks`: objects with a safe-integer `line` and a `ticks` count ≥ 0. */
  private positionTicks(): void {
    if (this.buf[this.pos] !== OPEN_BRACKET) throw GIVE_UP;
    this.pos++;
    if (this.peek() === CLOSE_BRACKET) {
      this.pos++;
      return;
    }
    for (;;) {
      if (this.peek() !== OPEN_BRACE) throw GIVE_UP;
      this.pos++;
      let seen = 0;
      let line = 0;
      let ticks = 0;
      if (this.peek() !== CLOSE_BRACE)
        for (;;) {
          this.peek();
          const k = this.knownKey(TICK_KEYS);
          if (this.peek() !== COLON) throw GIVE_UP;
          this.pos++;
          this.peek();
          if (k >= 0) {
            if (seen & (1 << k)) throw GIVE_UP;
            seen |= 1 << k;
          }
          if (k === 0) line = this.safeInteger();
          else if (k === 1) {
            ticks = this.number();
            if (!(ticks >= 0)) throw GIVE_UP;
          } else this.skipValue();
          const d = this.peek();
          if (d === CLOSE_BRACE) break;
          this.pos++;
          if (d !== COMMA) throw GIVE_UP;
        }
      this.pos++; // }
      if (seen !== 3) throw GIVE_UP;
      this.nodes.tickLine.push(line);
      this.nodes.tickCount.push(ticks);
      const d = this.peek();
      this.pos++;
      if (d === CLOSE_BRACKET) return;
      if (d !== COMMA) throw GIVE_UP;
    }
  }

  /**
   * Skips white space and returns the byte after it, without consuming it.
   * @throws NEED_MORE when the window ends first
   */
  peek(): number {
    const buf = this.buf;
    const end = this.end;
    let i = this.pos;
    while (i < end) {
      const c = buf[i];
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
        this.pos = i;
        return c;
      }
      i++;
    }
    this.pos = i;
    throw NEED_MORE;
  }

  /**
   * Reads the key string at `pos` (a quote) and returns its position in `keys`, or −1 for
   * any other key. A key with escapes or non-ASCII bytes is left to the general path.
   */
  private knownKey(keys: readonly Uint8Array[]): number {
    const buf = this.buf;
    const start = this.pos;
    if (buf[start] !== QUOTE) throw GIVE_UP;
    let i = start + 1;
    for (;;) {
      if (i >= this.end) throw NEED_MORE;
      const c = buf[i];
      if (c === QUOTE) break;
      if (c === BACKSLASH || c < 0x20 || c >= 0x80) throw GIVE_UP;
      i++;
    }
    this.pos = i + 1;
    const len = i - start - 1;
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k];
      if (key.length !== len) continue;
      let j = 0;
      while (j < len && key[j] === buf[start + 1 + j]) j++;
      if (j === len) return k;
    }
    return -1;
  }

  /**
   * A JSON number at `pos` (strict grammar), advancing past it.
   * @throws GIVE_UP when there is no number; NEED_MORE when it may go on past the window
   */
  number(): number {
    const buf = this.buf;
    const end = this.end;
    const start = this.pos;
    let i = start;
    if (buf[i] === MINUS) i++;
    if (i >= end) throw NEED_MORE;
    let c = buf[i];
    let v = 0;
    const first = i;
    if (c === ZERO) i++;
    else if (c > ZERO && c <= NINE) {
      // may run past `end` into stale bytes: then i >= end, and the number is read again later
      while (c >= ZERO && c <= NINE) {
        v = v * 10 + (c - ZERO);
        c = buf[++i];
      }
    } else throw GIVE_UP;
    let plain = i - first <= 15;
    if (i >= end) throw NEED_MORE;
    c = buf[i];
    if (c === DOT) {
      plain = false;
      i = this.digits(i + 1);
      c = buf[i];
    }
    if (c === LOWER_E || c === UPPER_E) {
      plain = false;
      i++;
      if (i >= end) throw NEED_MORE;
      if (buf[i] === PLUS || buf[i] === MINUS) i++;
      i = this.digits(i);
    }
    this.pos = i;
    let value: number;
    if (plain) value = buf[start] === MINUS ? -v : v;
    else value = Number(decoder.decode(buf.subarray(start, i)));
    return value;
  }

  /** At least one digit from `i`; returns the index after them. */
  private digits(i: number): number {
    const buf = this.buf;
    const end = this.end;
    const first = i;
    while (i < end && buf[i] >= ZERO && buf[i] <= NINE) i++;
    if (i >= end) throw NEED_MORE;
    if (i === first) throw GIVE_UP;
    return i;
  }

  /** A number that must be a safe integer (ids, lines, columns). */
  private safeInteger(): number {
    const v = this.number();
    if (!Number.isSafeInteger(v)) throw GIVE_UP;
    return v;
  }

  /**
   * Skips the JSON string at `pos` (a quote), checking its escapes and that it has no raw
   * control characters, as JSON.parse does.
   * @returns the index of its closing quote
   */
  skipString(): number {
    const buf = this.buf;
    const end = this.end;
    let i = this.pos + 1;
    for (;;) {
      if (i >= end) throw NEED_MORE;
      const c = buf[i];
      if (c === QUOTE) break;
      if (c < 0x20) throw GIVE_UP;
      if (c === BACKSLASH) {
        if (i + 1 >= end) throw NEED_MORE;
        const e = buf[i + 1];
        if (e === 0x75) {
          // \uXXXX
          if (i + 5 >= end) throw NEED_MORE;
          for (let h = i + 2; h < i + 6; h++) if (!isHex(buf[h])) throw GIVE_UP;
          i += 6;
          continue;
        }
        if (!isEscape(e)) throw GIVE_UP;
        i += 2;
        continue;
      }
      i++;
    }
    this.pos = i + 1;
    return i;
  }

  /** Skips any JSON value at `pos`, checking its syntax (without recursion: any depth). */
  private skipValue(): void {
    const open: number[] = [];
    for (;;) {
      // a value
      const c = this.peek();
      if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        this.pos++;
        const close = c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET;
        if (this.peek() === close) this.pos++;
        else {
          open.push(close);
          if (close === CLOSE_BRACE) this.memberName();
          continue;
        }
      } else if (c === QUOTE) this.skipString();
      else if (c === MINUS || (c >= ZERO && c <= NINE)) this.number();
      else if (c === 0x74) this.literal('true');
      else if (c === 0x66) this.literal('false');
      else if (c === 0x6e) this.literal('null');
      else throw GIVE_UP;
      // after a value: "," or the end of its arrays and objects
      for (;;) {
        if (open.length === 0) return;
        const d = this.peek();
        this.pos++;
        const close = open[open.length - 1];
        if (d === COMMA) {
          if (close === CLOSE_BRACE) this.memberName();
          break;
        }
        if (d !== close) throw GIVE_UP;
        open.pop();
      }
    }
  }

  /** An object member's name and colon. */
  private memberName(): void {
    if (this.peek() !== QUOTE) throw GIVE_UP;
    this.skipString();
    if (this.peek() !== COLON) throw GIVE_UP;
    this.pos++;
  }

  private literal(word: string): void {
    for (let k = 0; k < word.length; k++) {
      if (this.pos + k >= this.end) throw NEED_MORE;
      if (this.buf[this.pos + k] !== word.charCodeAt(k)) throw GIVE_UP;
    }
    this.pos += word.length;
  }

  /** The window's bytes (for {@link ByteStrings}). */
  get bytes(): Uint8Array {
    return this.buf;
  }

  /** The window's end (for {@link ByteStrings}). */
  get limit(): number {
    return this.end;
  }

  /** Moves past a string read by {@link ByteStrings}. */
  set position(p: number) {
    this.pos = p;
  }

  get position(): number {
    return this.pos;
  }
}

/**
 * Strings of the nodes (names, URLs), decoded once per distinct byte sequence: a hash table
 * of the bytes already seen, kept in one pool (the window they came from is reused).
 */
class ByteStrings {
  private slots = new Int32Array(1 << 12);
  private used = 0;
  private readonly hashes = new Float64Vec();
  private readonly starts = new Float64Vec();
  private readonly lengths = new Float64Vec();
  /** Position in the nodes' string list of each distinct byte sequence. */
  private readonly ids = new Float64Vec();
  private pool = new Uint8Array(1 << 16);
  private poolLength = 0;

  constructor(private readonly nodes: CpuprofileNodesBuilder) {}

  /** Reads the string at the reader's position (a quote); returns its index in the nodes' strings. */
  read(r: CpuprofileByteReader): number {
    const buf = r.bytes;
    const end = r.limit;
    const start = r.position + 1;
    let i = start;
    let h = 0x811c9dc5 | 0;
    let plain = true;
    for (;;) {
      if (i >= end) throw NEED_MORE;
      const c = buf[i];
      if (c === QUOTE) break;
      if (c < 0x20) throw GIVE_UP;
      if (c === BACKSLASH) {
        // checked (and decoded) by JSON.parse below; an escaped quote does not end the string
        if (i + 1 >= end) throw NEED_MORE;
        plain = false;
        h = Math.imul(h ^ c, 0x01000193);
        i++;
      } else if (c >= 0x80) plain = false;
      h = Math.imul(h ^ buf[i], 0x01000193);
      i++;
    }
    const len = i - start;
    const mask = this.slots.length - 1;
    let s = h & mask;
    for (;;) {
      const slot = this.slots[s];
      if (slot === 0) break;
      const k = slot - 1;
      if (this.hashes.data[k] === h && this.lengths.data[k] === len && this.same(k, buf, start, len)) {
        r.position = i + 1;
        return this.ids.data[k];
      }
      s = (s + 1) & mask;
    }
    let text: string;
    if (plain) text = decoder.decode(buf.subarray(start, i));
    else {
      try {
        text = JSON.parse(decoder.decode(buf.subarray(start - 1, i + 1))) as string;
      } catch {
        throw GIVE_UP;
      }
    }
    r.position = i + 1;
    const k = this.hashes.length;
    this.hashes.push(h);
    this.lengths.push(len);
    this.starts.push(this.poolLength);
    this.ids.push(this.nodes.addString(text));
    if (this.poolLength + len > this.pool.length) {
      const bigger = new Uint8Array(Math.max(this.pool.length * 2, this.poolLength + len));
      bigger.set(this.pool.subarray(0, this.poolLength));
      this.pool = bigger;
    }
    this.pool.set(buf.subarray(start, i), this.poolLength);
    this.poolLength += len;
    this.slots[s] = k + 1;
    if (++this.used * 2 > this.slots.length) this.rehash();
    return this.ids.data[k];
  }

  private same(k: number, buf: Uint8Array, start: number, len: number): boolean {
    const pool = this.pool;
    const p = this.starts.data[k];
    for (let j = 0; j < len; j++) if (pool[p + j] !== buf[start + j]) return false;
    return true;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let k = 0; k < this.hashes.length; k++) {
      let s = this.hashes.data[k] & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = k + 1;
    }
    this.slots = slots;
  }
}

/** How many numbers the last {@link countSamples} counted. */
let scanned = 0;

/**
 * Counts the samples of a run of plain integers each followed by "," (`123,`) per id
 * (`byId[id]++`), from `i`; stops at the first number that is not such a one (the last, an
 * id past `byId`, white space, a sign, a fraction, a leading zero, more than 15 digits) or
 * that the window's end may cut.
 * @returns the index of the number it stopped at; {@link scanned} says how many it counted
 */
function countSamples(buf: Uint8Array, i: number, end: number, byId: Uint32Array): number {
  const top = byId.length;
  let n = 0;
  for (;;) {
    let j = i;
    let c = buf[j];
    let v = 0;
    while (c >= ZERO && c <= NINE) {
      v = v * 10 + (c - ZERO);
      c = buf[++j];
    }
    // j < end also makes sure the digits did not run into stale bytes past the window
    if (c !== COMMA || j >= end || j === i || j - i > 15 || v >= top) break;
    if (buf[i] === ZERO && j - i > 1) break;
    byId[v]++;
    n++;
    i = j + 1;
  }
  scanned = n;
  return i;
}

/**
 * Checks a run of integers each followed by "," (`-12,`) from `i` (timeDeltas, which are not
 * kept); stops like {@link countSamples}.
 * @returns the index of the number it stopped at
 */
function checkNumbers(buf: Uint8Array, i: number, end: number): number {
  for (;;) {
    let j = buf[i] === MINUS ? i + 1 : i;
    const first = j;
    let c = buf[j];
    while (c >= ZERO && c <= NINE) c = buf[++j];
    if (c !== COMMA || j >= end || j === first || j - first > 15) break;
    if (buf[first] === ZERO && j - first > 1) break;
    i = j + 1;
  }
  return i;
}

function isHex(c: number): boolean {
  return (c >= ZERO && c <= NINE) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** The characters JSON allows after a backslash, other than `u`. */
function isEscape(c: number): boolean {
  return (
    c === QUOTE ||
    c === BACKSLASH ||
    c === 0x2f ||
    c === 0x62 ||
    c === 0x66 ||
    c === 0x6e ||
    c === 0x72 ||
    c === 0x74
  );
}
