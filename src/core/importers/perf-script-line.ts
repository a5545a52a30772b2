/**
 * Private helpers of the perf script importer: parsing of the sample header line
 * and of frame and srcline lines, as printed by `perf script`
 * (https://man7.org/linux/man-pages/man1/perf-script.1.html; the printing code is
 * `tools/perf/builtin-script.c` and `tools/perf/util/evsel_fprintf.c` in the Linux tree).
 */
import type { Frame } from '../profile/model';

/** The fields of one sample header line (`comm tid [cpu] time: [period] event: [ip sym (dso)]`). */
export interface PerfSampleHeader {
  /** Process/thread name, trimmed; `''` when the line has none. */
  readonly comm: string;
  /** Thread id as written (`12414`), or `''` when absent. With `pid/tid` this is the tid. */
  readonly tid: string;
  /** The sample period (for cpu-clock: nanoseconds; for cycles: events), or undefined when not printed. */
  readonly period: number | undefined;
  /** The event name as written, without the final `:` (`cpu-clock:ppp`); `''` when not printed. */
  readonly event: string;
  /** What follows the event on the same line (`5641401821eb leaf+0x2b (/tmp/p)` without callchains); may be `''`. */
  readonly tail: string;
}

/**
 * Parses a perf script sample header. The time (`472.791858:`, digits, a dot,
 * digits, a colon, preceded by a space) anchors the line: before it come the
 * comm (which may contain spaces and colons), the `pid/tid` or `tid`, and an
 * optional `[cpu]`; after it an optional period (digits) and the event name
 * ending in `:`.
 * @returns the fields, or undefined when the line is not a sample header
 */
export function parsePerfHeader(line: string): PerfSampleHeader | undefined {
  // Find the time colon.
  let colon = line.indexOf(':');
  let timeStart = -1;
  while (colon > 0) {
    let j = colon - 1;
    const digitsEnd = j;
    while (j >= 0 && isDigit(line.charCodeAt(j))) j--;
    if (j < digitsEnd && j > 0 && line.charCodeAt(j) === 46 /* . */) {
      const dot = j;
      j--;
      while (j >= 0 && isDigit(line.charCodeAt(j))) j--;
      if (j < dot - 1 && j >= 0 && isSpace(line.charCodeAt(j))) {
        timeStart = j + 1;
        break;
      }
    }
    colon = line.indexOf(':', colon + 1);
  }
  if (timeStart < 0) return undefined;

  // Left side: comm, pid/tid, [cpu].
  let e = timeStart - 1;
  while (e >= 0 && isSpace(line.charCodeAt(e))) e--;
  if (e >= 0 && line.charCodeAt(e) === 93 /* ] */) {
    const open = line.lastIndexOf('[', e);
    if (open < 0) return undefined;
    e = open - 1;
    while (e >= 0 && isSpace(line.charCodeAt(e))) e--;
  }
  let tid = '';
  let comm = '';
  const idEnd = e + 1;
  while (e >= 0 && (isDigit(line.charCodeAt(e)) || line.charCodeAt(e) === 47) /* / */) e--;
  if (e < idEnd - 1 && (e < 0 || isSpace(line.charCodeAt(e)))) {
    const ids = line.slice(e + 1, idEnd);
    const slash = ids.indexOf('/');
    tid = slash >= 0 ? ids.slice(slash + 1) : ids;
    comm = line.slice(0, e + 1).trim();
  } else {
    comm = line.slice(0, idEnd).trim();
  }

  // Right side: [period] event: [tail].
  let p = colon + 1;
  const n = line.length;
  while (p < n && isSpace(line.charCodeAt(p))) p++;
  let tokEnd = p;
  while (tokEnd < n && !isSpace(line.charCodeAt(tokEnd))) tokEnd++;
  let period: number | undefined;
  if (tokEnd > p && allDigits(line, p, tokEnd)) {
    // A period, unless this token is the last one and the header has no event (rare).
    let q = tokEnd;
    while (q < n && isSpace(line.charCodeAt(q))) q++;
    let qEnd = q;
    while (qEnd < n && !isSpace(line.charCodeAt(qEnd))) qEnd++;
    if (qEnd > q && line.charCodeAt(qEnd - 1) === 58 /* : */) {
      period = Number(line.slice(p, tokEnd));
      p = q;
      tokEnd = qEnd;
    }
  }
  let event = '';
  if (tokEnd > p && line.charCodeAt(tokEnd - 1) === 58 /* : */) {
    event = line.slice(p, tokEnd - 1);
    p = tokEnd;
  } else if (tokEnd > p && period === undefined) {
    // Without an event the next token must be the sampled ip (hex) — and not a bad
    // period such as `1e400` followed by the event.
    if (!isHexToken(line, p, tokEnd)) return undefined;
    let q = tokEnd;
    while (q < n && isSpace(line.charCodeAt(q))) q++;
    let qEnd = q;
    while (qEnd < n && !isSpace(line.charCodeAt(qEnd))) qEnd++;
    if (qEnd > q && line.charCodeAt(qEnd - 1) === 58 /* : */) return undefined;
  }
  while (p < n && isSpace(line.charCodeAt(p))) p++;
  const tail = p < n ? line.slice(p).trimEnd() : '';
  return { comm, tid, period, event, tail };
}

/**
 * The event name without perf's modifier suffix (`cpu-clock:ppp` → `cpu-clock`,
 * `cycles:u` → `cycles`); tracepoints keep their `subsystem:name`.
 */
export function perfEventBaseName(event: string): string {
  const c = event.lastIndexOf(':');
  if (c > 0 && /^[ukhIGHpPSDWe]+$/.test(event.slice(c + 1))) return event.slice(0, c);
  return event;
}

/** The parts of a frame line `\t    55d4c8a0b1c2 main+0x12 (/path/prog)`. */
export interface PerfFrameLine {
  /** Symbol name without the `+0x…` offset; `[unknown]` when perf could not name it. */
  readonly name: string;
  /** The dso as written (`/usr/lib/libc.so.6`, `[kernel.kallsyms]`), undefined when absent or `[unknown]`. */
  readonly module?: string;
  /** True when perf marked the frame `(inlined)` instead of a dso. */
  readonly inlined: boolean;
  /** `kernel` for kernel dsos (`[kernel.kallsyms]`, `[kernel.vmlinux]`, `*.ko`). */
  readonly kind?: 'kernel';
}

/**
 * Parses a frame line (leading white space, a hex address, the symbol with an
 * optional `+0x…` offset, then `(dso)` or `(inlined)`; the dso may be missing,
 * as for inlined frames printed with srcline).
 * @returns undefined when the line does not start with a hex address
 */
export function parsePerfFrameLine(line: string): PerfFrameLine | undefined {
  let p = 0;
  const n = line.length;
  while (p < n && isSpace(line.charCodeAt(p))) p++;
  const addrStart = p;
  while (p < n && !isSpace(line.charCodeAt(p))) p++;
  if (p === addrStart || !isHexToken(line, addrStart, p)) return undefined;
  while (p < n && isSpace(line.charCodeAt(p))) p++;
  let rest = line.slice(p).trimEnd();
  let dso: string | undefined;
  if (rest.endsWith(')')) {
    // The dso is the last balanced parenthesised group: `(/p (deleted))` holds `/p (deleted)`.
    let depth = 0;
    let open = -1;
    for (let i = rest.length - 1; i >= 0; i--) {
      const c = rest.charCodeAt(i);
      if (c === 41 /* ) */) depth++;
      else if (c === 40 /* ( */ && --depth === 0) {
        open = i;
        break;
      }
    }
    if (open === 0 || (open > 0 && isSpace(rest.charCodeAt(open - 1)))) {
      dso = rest.slice(open + 1, -1);
      rest = rest.slice(0, open).trimEnd();
    }
  }
  const offset = /\+0x[0-9a-fA-F]+$/.exec(rest);
  let name = offset ? rest.slice(0, offset.index) : rest;
  if (name === '') name = '[unknown]';
  const inlined = dso === 'inlined';
  const module = inlined || dso === undefined || dso === '' || dso === '[unknown]' ? undefined : dso;
  const kernel =
    module !== undefined &&
    (module.startsWith('[kernel') || module.endsWith('.ko') || module.endsWith('.ko]'));
  const frame: { -readonly [K in keyof PerfFrameLine]: PerfFrameLine[K] } = { name, inlined };
  if (module !== undefined) frame.module = module;
  if (kernel) frame.kind = 'kernel';
  return frame;
}

/**
 * Parses a srcline line (`  p.c:3`, `  /abs/p.c:4 (inlined)`, `  ??:0`).
 * @returns file (undefined for `??`), 1-based line (undefined for 0 or unknown) and the inlined mark
 */
export function parsePerfSrcline(line: string): { file?: string; line?: number; inlined: boolean } {
  let text = line.trim();
  let inlined = false;
  if (text.endsWith(' (inlined)')) {
    inlined = true;
    text = text.slice(0, -' (inlined)'.length).trimEnd();
  }
  const m = /^(.*):(\d+)(?:\s.*)?$/.exec(text);
  const file = m ? m[1] : text;
  const lineNo = m ? Number(m[2]) : 0;
  const known = file !== '' && file !== '??';
  return {
    ...(known ? { file } : {}),
    ...(known && lineNo > 0 ? { line: lineNo } : {}),
    inlined,
  };
}

/**
 * Where the symbol and the dso are in a frame line of the common shape, from its bytes:
 * `<spaces><hex address> <symbol>[+0x<hex offset>] (<dso>)`, the dso without parentheses
 * of its own, nothing after it. For such a line {@link parsePerfFrameLine} gives a frame
 * that depends on the bytes of the symbol (without its offset) and of the dso only, so the
 * importer can find the frame by them without decoding the line.
 * @param bytes the input; the line is `bytes[start, end)` without its line end
 * @param out receives `[symbolStart, symbolEnd, dsoStart, dsoEnd]` (byte offsets)
 * @returns false for any other shape (the line is then parsed as text)
 */
export function perfFrameParts(bytes: Uint8Array, start: number, end: number, out: Int32Array): boolean {
  let p = start;
  while (p < end && (bytes[p] === 32 || bytes[p] === 9)) p++;
  const addr = p;
  while (p < end && isHexByte(bytes[p])) p++;
  if (p === addr || p >= end || bytes[p] !== 32) return false;
  while (p < end && bytes[p] === 32) p++;
  const symbolStart = p;
  if (end - symbolStart < 3 || bytes[end - 1] !== 41 /* ) */) return false;
  let open = end - 2;
  while (open > symbolStart && bytes[open] !== 40 /* ( */) {
    if (bytes[open] === 41) return false;
    open--;
  }
  if (open <= symbolStart + 1 || bytes[open - 1] !== 32) return false;
  const restEnd = open - 1;
  // the symbol must not end in white space or a byte of a multi-byte character (trimmed as text)
  const last = bytes[restEnd - 1];
  if (last <= 32 || last >= 0x80) return false;
  let symbolEnd = restEnd;
  let h = restEnd;
  while (h > symbolStart && isHexByte(bytes[h - 1])) h--;
  if (
    h < restEnd &&
    h - 3 >= symbolStart &&
    bytes[h - 1] === 120 /* x */ &&
    bytes[h - 2] === 48 &&
    bytes[h - 3] === 43
  )
    symbolEnd = h - 3;
  out[0] = symbolStart;
  out[1] = symbolEnd;
  out[2] = open + 1;
  out[3] = end - 1;
  return true;
}

function isHexByte(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** Combines a parsed frame line and its optional srcline into a model frame. */
export function perfFrame(frame: PerfFrameLine, src: ReturnType<typeof parsePerfSrcline> | undefined): Frame {
  const out: { -readonly [K in keyof Frame]: Frame[K] } = { name: frame.name };
  if (src?.file !== undefined) out.file = src.file;
  if (src?.line !== undefined) out.line = src.line;
  if (frame.module !== undefined) out.module = frame.module;
  if (frame.inlined || src?.inlined) out.inlined = true;
  if (frame.kind !== undefined) out.kind = frame.kind;
  return out;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

function allDigits(s: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

function isHexToken(s: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (!(isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  return end > start;
}
