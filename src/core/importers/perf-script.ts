/**
 * The text written by `perf script` (https://man7.org/linux/man-pages/man1/perf-script.1.html;
 * printed by `tools/perf/builtin-script.c` and `tools/perf/util/evsel_fprintf.c` in the
 * Linux tree; `stackcollapse-perf.pl` in https://github.com/brendangregg/FlameGraph and
 * `inferno-collapse-perf` in https://github.com/jonhoo/inferno are reference readers).
 *
 * ```
 * prog 12414   472.791858:    1001001 cpu-clock:ppp:
 * \t            11eb leaf+0x2b (/tmp/prog)
 *   prog.c:3                                     ← only with -F +srcline
 * \t            109a main+0x2a (/tmp/prog)
 *   prog.c:6
 *
 * ```
 *
 * Each sample is a header line — `comm tid [cpu] time: [period] event:` (also
 * `pid/tid`; fields may be missing when `-F` drops them) — followed by its frames,
 * leaf first, one per line: a tab, the address, the symbol with its `+0x…` offset,
 * and the dso in parentheses (`(inlined)` for inlined frames, `[kernel.kallsyms]`
 * for kernel code). With `-F +srcline` each frame is followed by `  file:line`
 * (`--full-source-path` makes the file absolute; `??:0` means unknown; inlined
 * frames then have no dso and their srcline ends with `(inlined)`). Samples are
 * separated by blank lines. Without call chains (`-G`) the header ends with the
 * sampled `ip sym (dso)`; comment lines from `--header` (`# cmdline : …`) are kept
 * as metadata.
 *
 * Mapping onto the model:
 * - stacks are reversed to root first; each sample weighs 1 (unit samples); the sum
 *   of the periods is kept in `meta.periodSum`;
 * - the event name comes from the header (modifiers such as `:ppp` removed);
 *   only samples of the first event seen are used (like stackcollapse-perf.pl),
 *   others are counted in `meta.otherEventSamples`;
 * - a thread is named by its comm, or `comm-tid` when one comm has several threads;
 * - names are kept as written (mangled with `--no-demangle`; demangling is a later stage);
 *   the srcline becomes the frame's file and 1-based line (line 0 → unknown), so
 *   frames at different lines are different frames;
 * - samples without any frame are skipped and counted in `meta.samplesWithoutFrames`.
 *
 * The file is streamed as bytes ({@link lineBlocks}): a frame line is decoded only the
 * first time it is seen, later ones are found by their bytes; memory is bounded by the unique frame
 * lines and unique stacks, so files larger than 512 MB load.
 */

import type { Buffer } from 'node:buffer';
import { type Profile, ProfileBuilder, stackTableOf } from '../profile/model';
import { FrameBuffer, StackTableBuilder } from '../profile/stack-table';
import { completeLines } from './folded';
import { ByteKeyTable, BytePairTable, lineBlocks } from './folded-bytes';
import { ImportError } from './import-error';
import {
  parsePerfFrameLine,
  parsePerfHeader,
  parsePerfSrcline,
  perfEventBaseName,
  perfFrame,
  perfFrameParts,
} from './perf-script-line';
import type { ImportOptions, ProfileHead, ProfileImporter, ProfileInput } from './types';

const LABEL = 'perf script';
/** Bytes of distinct frame lines kept for the fast path before it starts again (see the loop). */
const MAX_RECORD_BYTES = 8 * 1024 * 1024;

/**
 * True when the head looks like `perf script` output: after optional `#` comment
 * lines and blank lines, the first line is a sample header with a time and an
 * event (`comm tid time: [period] event:`), and the next line is a frame line
 * (tab, hex address), a srcline, a blank line, another header, or the end of the head.
 * Folded stacks never match (their lines end with a weight, not an event).
 * @param head the first bytes of the file (see `readHead`)
 */
export function isPerfScript(head: ProfileHead): boolean {
  const lines = completeLines(head);
  let i = 0;
  while (i < lines.length && (lines[i].trim() === '' || lines[i].charCodeAt(0) === 35)) i++;
  if (i >= lines.length) return false;
  const h = parsePerfHeader(lines[i]);
  if (h === undefined || h.event === '') return false;
  const next = lines[i + 1];
  if (next === undefined || next.trim() === '') return true;
  if (next.charCodeAt(0) === 9) return /^\t\s*[0-9a-fA-F]+\s+\S/.test(next);
  return parsePerfHeader(next) !== undefined || (h.tail !== '' && /:\d+/.test(next));
}

interface FrameCacheEntry {
  readonly src: string | null;
  readonly id: number;
  other?: Map<string | null, number>;
}

/**
 * Imports `perf script` text (see the module comment for the accepted variants).
 * @param input the file (streamed)
 * @param options progress and cancellation
 * @returns a profile with format `perf-script`, unit samples (1 per sample), the
 *   event name from the headers, one thread per comm (or `comm-tid`), and meta
 *   `periodSum`, `samplesWithoutFrames`, `otherEventSamples` and `--header` facts
 * @throws ImportError naming the file and the first bad line (1-based): a line that
 *   is neither a header, a frame, a srcline, a comment nor blank; or no samples at all
 * @throws ImportCancelledError when `options.signal` fires
 * @param part how to read (see {@link PerfScriptReadOptions}); for one part of a file read in
 *   parts the result is that part's piece, for {@link mergePerfScriptParts}
 */
export async function importFromPerfScript(
  input: ProfileInput,
  options: ImportOptions = {},
  part?: PerfScriptReadOptions,
): Promise<Profile> {
  const file = input.name;
  const builder = new ProfileBuilder({ format: 'perf-script', source: file, unit: 'samples' });
  const table = new StackTableBuilder();
  const buf = new FrameBuffer();
  const frameCache = new Map<string, FrameCacheEntry>();

  const threadKeys = new Map<string, number>();
  const threadComm: string[] = [];
  const threadTid: string[] = [];
  let lastComm = '';
  let lastTid = '';
  let lastThread = -1;

  let firstEvent: string | undefined = part?.whole === false ? part.firstEvent : undefined;
  let sampleActive = false; // a header has been read and its sample is not finished
  let sampleUsed = false; // the current sample's event is the first event
  let sampleThread = 0;
  let pending: string | null = null; // the sampled ip of a header without call chain (-G), waiting for a possible srcline
  let periodSum = 0;
  let samplesWithoutFrames = 0;
  let otherEventSamples = 0;
  let samples = 0;
  let lineNo = 0;
  let lastRecord = -1; // key of the previous frame line of this sample, in the byte table

  const resolve = (frameLine: string, src: string | null): number => {
    const e = frameCache.get(frameLine);
    if (e !== undefined) {
      if (e.src === src) return e.id;
      const known = e.other?.get(src);
      if (known !== undefined) return known;
    }
    const parsed = parsePerfFrameLine(frameLine);
    if (parsed === undefined)
      throw new ImportError(LABEL, file, `frame line does not start with an address: "${clip(frameLine)}"`, {
        line: lineNo - (src === null ? 0 : 1),
      });
    const id = builder.frameId(perfFrame(parsed, src === null ? undefined : parsePerfSrcline(src)));
    if (e === undefined) frameCache.set(frameLine, { src, id });
    else {
      if (e.other === undefined) e.other = new Map();
      e.other.set(src, id);
    }
    return id;
  };

  const finishSample = (): void => {
    lastRecord = -1;
    if (!sampleActive) return;
    if (pending !== null) {
      buf.push(resolve(pending, null));
      pending = null;
    }
    if (sampleUsed) {
      if (buf.length > 0) table.add(buf.ids, buf.length, true, sampleThread, 1, 1);
      else samplesWithoutFrames++;
    }
    buf.length = 0;
    sampleActive = false;
  };

  const startSample = (line: string): boolean => {
    const h = parsePerfHeader(line);
    if (h === undefined) return false;
    finishSample();
    sampleActive = true;
    samples++;
    if (firstEvent === undefined) firstEvent = h.event;
    sampleUsed = h.event === firstEvent;
    if (!sampleUsed) {
      otherEventSamples++;
      return true;
    }
    if (h.period !== undefined) periodSum += h.period;
    if (h.comm !== lastComm || h.tid !== lastTid || lastThread < 0) {
      const key = `${h.comm}\u0000${h.tid}`;
      let t = threadKeys.get(key);
      if (t === undefined) {
        t = threadComm.length;
        threadKeys.set(key, t);
        threadComm.push(h.comm);
        threadTid.push(h.tid);
      }
      lastComm = h.comm;
      lastTid = h.tid;
      lastThread = t;
    }
    sampleThread = lastThread;
    if (h.tail !== '') pending = h.tail;
    return true;
  };

  // Hot path on bytes: a frame line (with its srcline, when present) is looked up by
  // its bytes and decoded only the first time it is seen. Other lines are decoded.
  const records = new ByteKeyTable();
  const maxRecordBytes = part?.lineCacheBytes ?? MAX_RECORD_BYTES;
  const shortRecords = new Map<string, number>();
  const text = (bytes: Buffer, start: number, end: number) => bytes.toString('utf8', start, end);
  // A frame line without srcline is first looked up by its symbol and dso (see perfFrameParts).
  const bySymbol = new BytePairTable();
  const parts = new Int32Array(4);
  const internRecord = (bytes: Buffer, start: number, end: number, srcStart: number, srcEnd: number) => {
    if (srcStart < 0 && perfFrameParts(bytes, start, end, parts)) {
      const h = BytePairTable.hash(bytes, parts[0], parts[1], parts[2], parts[3]);
      let id = bySymbol.get(bytes, parts[0], parts[1], parts[2], parts[3], h);
      if (id < 0) {
        id = internFrameLine(bytes, start, end, -1, -1);
        bySymbol.set(bytes, parts[0], parts[1], parts[2], parts[3], h, id);
      }
      return id;
    }
    return internFrameLine(bytes, start, end, srcStart, srcEnd);
  };
  const internFrameLine = (bytes: Buffer, start: number, end: number, srcStart: number, srcEnd: number) => {
    const frameLine = text(bytes, start, end);
    const parsed = parsePerfFrameLine(frameLine);
    if (parsed === undefined)
      throw new ImportError(LABEL, file, `frame line does not start with an address: "${clip(frameLine)}"`, {
        line: lineNo - (srcStart < 0 ? 0 : 1),
      });
    const src = srcStart < 0 ? undefined : parsePerfSrcline(text(bytes, srcStart, srcEnd));
    return builder.frameId(perfFrame(parsed, src));
  };
  // Keep a block's last line for the next block when it is a frame line: its srcline may follow.
  const keepBack = (bytes: Uint8Array, lastLineStart: number, end: number) =>
    bytes[lastLineStart] === 9 ? lastLineStart : end;

  for await (const { bytes, start, end } of lineBlocks(input, options, keepBack)) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let s = start;
    while (s < end) {
      const c0 = bytes[s];
      if (c0 === 9 /* \t */ && sampleActive) {
        if (pending !== null) {
          buf.push(resolve(pending, null));
          pending = null;
        }
        // Fast path: a frame line (with its srcline) seen before, found without searching
        // for its end: first as the line that followed the previous frame line last time,
        // else by its fingerprint.
        const fast = s + ByteKeyTable.MIN_LINE_KEY <= end;
        let k = fast && lastRecord >= 0 ? records.matchSuccessor(lastRecord, view, bytes, s, end) : -1;
        let print = 0;
        if (k < 0 && fast) {
          print = ByteKeyTable.printLine(view, s);
          k = records.matchLine(view, bytes, s, end, print);
          if (k >= 0 && lastRecord >= 0) records.setSuccessor(lastRecord, k);
        }
        if (k >= 0) {
          lastRecord = k;
          buf.push(records.value(k));
          lineNo += records.keyFlags(k) === 1 ? 2 : 1;
          s += records.keyLength(k);
          s += bytes[s] === 13 ? 2 : 1;
          continue;
        }
        const e = bytes.indexOf(10, s);
        lineNo++;
        const le = e > s && bytes[e - 1] === 13 ? e - 1 : e;
        let recordEnd = le;
        let next = e + 1;
        let srcStart = -1;
        if (next < end && bytes[next] === 32 /* srcline */) {
          const e2 = bytes.indexOf(10, next);
          lineNo++;
          srcStart = next;
          recordEnd = e2 > next && bytes[e2 - 1] === 13 ? e2 - 1 : e2;
          next = e2 + 1;
        }
        let id: number;
        if (records.bytes + (recordEnd - s) > maxRecordBytes) {
          // Memory stays bounded by the unique frames, not the unique lines (every address
          // is a line): the lines seen so far are forgotten, and those that recur are read
          // again (their frames are found by name in the builder).
          records.clear();
          lastRecord = -1;
        }
        if (fast && recordEnd - s >= ByteKeyTable.MIN_LINE_KEY) {
          id = internRecord(bytes, s, le, srcStart, recordEnd);
          records.set(bytes, s, recordEnd, print, id, srcStart < 0 ? 0 : 1);
          const added = records.size - 1;
          if (lastRecord >= 0) records.setSuccessor(lastRecord, added);
          lastRecord = added;
        } else {
          lastRecord = -1;
          // Short frame lines (never seen in real output) go through a string map.
          const key = text(bytes, s, recordEnd);
          id = shortRecords.get(key) ?? internRecord(bytes, s, le, srcStart, recordEnd);
          shortRecords.set(key, id);
        }
        buf.push(id);
        s = next;
        continue;
      }
      const e = bytes.indexOf(10, s);
      lineNo++;
      const le = e > s && bytes[e - 1] === 13 ? e - 1 : e;
      if (le === s) {
        finishSample();
        s = e + 1;
        continue;
      }
      const line = text(bytes, s, le);
      s = e + 1;
      if (c0 === 9) {
        if (line.trim() === '') continue;
        throw new ImportError(LABEL, file, 'frame line before any sample header', { line: lineNo });
      }
      if (c0 === 35 /* # */ && !sampleActive) {
        headerComment(builder, line);
        continue;
      }
      if (startSample(line)) continue;
      if (c0 === 32 && pending !== null) {
        // srcline of a sample printed without call chain (-G)
        buf.push(resolve(pending, line));
        pending = null;
        continue;
      }
      if (line.trim() === '') {
        finishSample();
        continue;
      }
      throw new ImportError(LABEL, file, lineProblem(line, samples), { line: lineNo });
    }
  }
  finishSample();

  if (part?.whole === false) {
    // a piece for mergePerfScriptParts: threads by comm and tid, the whole file's checks later
    builder.adoptStacks(table, (t) => `${threadComm[t]}\u0000${threadTid[t]}`);
    builder.setMeta(PART_SAMPLES, samples);
    builder.setMeta('periodSum', periodSum);
    builder.setMeta('samplesWithoutFrames', samplesWithoutFrames);
    builder.setMeta('otherEventSamples', otherEventSamples);
    if (firstEvent !== undefined) builder.setMeta('event', firstEvent);
    return builder.build();
  }
  return finish(builder, table, file, {
    samples,
    threadComm,
    threadTid,
    firstEvent,
    periodSum,
    samplesWithoutFrames,
    otherEventSamples,
  });
}

/** Thread names: the comm, or comm-tid when the comm has several threads (1:1 with the input). */
function threadNames(threadComm: readonly string[], threadTid: readonly string[]): string[] {
  const tidsPerComm = new Map<string, number>();
  for (const c of threadComm) tidsPerComm.set(c, (tidsPerComm.get(c) ?? 0) + 1);
  const used = new Set<string>();
  return threadComm.map((c, i) => {
    const base = c === '' ? 'all' : c;
    let name = (tidsPerComm.get(c) ?? 0) > 1 && threadTid[i] !== '' ? `${base}-${threadTid[i]}` : base;
    // Keep names distinct even in contrived cases (a comm "a-1" beside comm "a" with tid 1).
    for (let n = 2; used.has(name); n++) name = `${base}-${threadTid[i]}#${n}`;
    used.add(name);
    return name;
  });
}

/**
 * The end of reading a whole file (at once, or its parts merged): the file's checks, the
 * threads named over the whole file, the unique stacks and the meta.
 * @throws ImportError when the file has no samples, or none with a stack
 */
function finish(
  builder: ProfileBuilder,
  table: StackTableBuilder,
  file: string,
  m: {
    samples: number;
    threadComm: readonly string[];
    threadTid: readonly string[];
    firstEvent: string | undefined;
    periodSum: number;
    samplesWithoutFrames: number;
    otherEventSamples: number;
  },
): Profile {
  if (m.samples === 0)
    throw new ImportError(
      LABEL,
      file,
      'no samples found (expected a header like "prog 1234 56.789: 1001001 cpu-clock:")',
    );
  if (table.size === 0)
    throw new ImportError(LABEL, file, `none of the ${m.samples} samples has a stack (record with -g)`);
  const names = threadNames(m.threadComm, m.threadTid);
  builder.adoptStacks(table, (t) => names[t]);
  const event =
    m.firstEvent === undefined || m.firstEvent === '' ? 'samples' : perfEventBaseName(m.firstEvent);
  builder.setEventName(event);
  if (m.firstEvent) builder.setMeta('event', m.firstEvent);
  builder.setMeta('periodSum', m.periodSum);
  if (m.samplesWithoutFrames > 0) builder.setMeta('samplesWithoutFrames', m.samplesWithoutFrames);
  if (m.otherEventSamples > 0) builder.setMeta('otherEventSamples', m.otherEventSamples);
  return builder.build();
}

/** Meta key of a part's sample count (see {@link importFromPerfScript}'s `part`). */
const PART_SAMPLES = 'partSamples';

/**
 * How {@link importFromPerfScript} reads: the whole file (`whole: true`), or one part of a
 * file read in parts, in parallel (`src/node/parallel-import.ts`): each part starts at a
 * sample header (just after a blank line) and ends where the next part starts.
 */
export type PerfScriptReadOptions = {
  /**
   * Bytes of distinct frame lines remembered for the fast path before it starts again
   * (default 8 MiB): bounds memory by the unique frames rather than the unique lines.
   */
  readonly lineCacheBytes?: number;
} & (
  | { readonly whole: true }
  | {
      readonly whole: false;
      /**
       * The event of the file's first sample (see {@link perfScriptFirstEvent}): only its
       * samples are used, in every part, as when the file is read whole.
       */
      readonly firstEvent: string | undefined;
    }
);

/**
 * The event of the first sample header in the head of a `perf script` file (`cpu-clock:ppp`),
 * undefined when the head has none.
 * @param head the first bytes of the file (see `readHead`)
 */
export function perfScriptFirstEvent(head: ProfileHead): string | undefined {
  for (const line of completeLines(head)) {
    if (line.trim() === '' || line.charCodeAt(0) === 35 || line.charCodeAt(0) === 9) continue;
    const h = parsePerfHeader(line);
    if (h !== undefined) return h.event;
  }
  return undefined;
}

/**
 * Joins the parts of one `perf script` file, each read by {@link importFromPerfScript} with a
 * `part`, in file order, into the profile the whole file gives read at once: the same frames,
 * stacks, threads (named over the whole file) and meta, in the same order.
 * @param file the file's name, for messages
 * @param parts the parts' profiles, in file order
 * @throws ImportError when the file has no samples, or none with a stack (the messages of a
 *   file read at once)
 */
export function mergePerfScriptParts(file: string, parts: readonly Profile[]): Profile {
  const builder = new ProfileBuilder({ format: 'perf-script', source: file, unit: 'samples' });
  const table = new StackTableBuilder();
  const threadKeys = new Map<string, number>();
  const threadComm: string[] = [];
  const threadTid: string[] = [];
  let samples = 0;
  let periodSum = 0;
  let samplesWithoutFrames = 0;
  let otherEventSamples = 0;
  let firstEvent: string | undefined;
  let ids = new Int32Array(256);
  for (const p of parts) {
    const frameIds = p.frames.map((f) => builder.frameId(f));
    const threads = p.threads.map((key) => {
      let t = threadKeys.get(key);
      if (t === undefined) {
        t = threadComm.length;
        threadKeys.set(key, t);
        const cut = key.indexOf('\u0000');
        threadComm.push(key.slice(0, cut));
        threadTid.push(key.slice(cut + 1));
      }
      return t;
    });
    const st = stackTableOf(p);
    for (let k = 0; k < st.count; k++) {
      const a = st.starts[k];
      const n = st.starts[k + 1] - a;
      if (ids.length < n) ids = new Int32Array(n * 2);
      for (let i = 0; i < n; i++) ids[i] = frameIds[st.frames[a + i]];
      table.add(ids, n, false, threads[st.threads[k]], st.weights[k], st.weights[k]);
    }
    const num = (k: string) => Number(p.meta[k] ?? 0);
    samples += num(PART_SAMPLES);
    periodSum += num('periodSum');
    samplesWithoutFrames += num('samplesWithoutFrames');
    otherEventSamples += num('otherEventSamples');
    firstEvent ??= typeof p.meta.event === 'string' ? p.meta.event : undefined;
    for (const [k, v] of Object.entries(p.meta)) if (!PART_META.has(k)) builder.setMeta(k, v); // the --header facts, from the first part
  }
  return finish(builder, table, file, {
    samples,
    threadComm,
    threadTid,
    firstEvent,
    periodSum,
    samplesWithoutFrames,
    otherEventSamples,
  });
}

/** The meta a part carries for the merge (not copied to the merged profile as such). */
const PART_META = new Set([PART_SAMPLES, 'periodSum', 'samplesWithoutFrames', 'otherEventSamples', 'event']);

/** The perf script importer (id `perf-script`). */
export const perfScriptImporter: ProfileImporter = {
  id: 'perf-script',
  label: LABEL,
  extensions: ['.perf', '.perf-script', '.perfscript', '.txt', '.script'],
  detect: isPerfScript,
  import: importFromPerfScript,
};

const HEADER_META: Record<string, string> = {
  cmdline: 'cmdline',
  'captured on': 'capturedOn',
  hostname: 'hostname',
  'perf version': 'perfVersion',
  arch: 'arch',
  'cpu desc': 'cpuDesc',
};

function headerComment(builder: ProfileBuilder, line: string): void {
  const m = /^#\s*([a-z ]+?)\s*:\s*(.*)$/.exec(line);
  if (!m) return;
  const key = HEADER_META[m[1]];
  if (key !== undefined) builder.setMeta(key, m[2].trim());
}

function lineProblem(line: string, samples: number): string {
  if (line.includes('\u0000') || line.includes('\ufffd')) return 'binary data, not text';
  const what = samples === 0 ? 'not a perf script sample header' : 'unexpected line';
  return `${what} (expected "comm tid time: period event:" or a tab-indented frame): "${clip(line)}"`;
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}
