import { ImportError } from './import-error';

/**
 * Reads a V8 `.cpuprofile` too large for one JavaScript string (V8 caps strings at
 * 2^29 − 24 characters, about 512 MiB), from its bytes, without ever decoding the whole
 * file. Spec of the shape: https://chromedevtools.github.io/devtools-protocol/tot/Profiler/#type-Profile
 *
 * The importer reads profiles with its streaming reader (`cpuprofile-stream.ts`); this one
 * serves the general path for large files that reader leaves (unusual or invalid ones),
 * where it gives the object to validate, or the byte offset of the first syntax error.
 *
 * What makes such a file large is known: `nodes` (hundreds of thousands of small objects)
 * and `samples` / `timeDeltas` (one integer per sample, tens of millions). So the reader
 * walks only the top level of the object: each entry of `nodes` is cut out by its
 * brackets and parsed by `JSON.parse` on its own; `samples` and `timeDeltas` are read as
 * numbers straight from the bytes; any other top-level value is parsed by `JSON.parse`.
 * The result is what `JSON.parse` of the whole file would give for a profile object, so
 * the importer validates it the same way, except that `samples` is a `Float64Array` (8
 * bytes a sample instead of a JS array) and `timeDeltas`, which the importer does not use,
 * is checked but not kept.
 *
 * Strings are skipped with their escapes; numbers follow the JSON grammar (an array of
 * `samples` accepts exactly what JSON does: `-0`, fractions and exponents included).
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;

/** Keys whose arrays hold one number per sample and are read from the bytes. */
const NUMBER_ARRAYS = new Set(['samples', 'timeDeltas']);
/** Of those, the ones the importer does not use: checked, but not kept (no memory per sample). */
const UNUSED_NUMBER_ARRAYS = new Set(['timeDeltas']);

/** Largest `nodes` array (bytes) parsed by one `JSON.parse`; larger ones are parsed node by node. */
const WHOLE_NODES_LIMIT = 128 * 1024 * 1024;

const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * Parses the top-level object of a `.cpuprofile` from its bytes (see the module comment).
 * @param bytes the whole file (a leading UTF-8 BOM is skipped)
 * @param format the format name for errors
 * @param file the file name for errors
 * @returns the top-level object: `nodes` as an array of parsed node objects, `samples` as a
 *   `Float64Array`, no `timeDeltas`, every other key as `JSON.parse` gives it
 * @throws ImportError naming the byte offset of the first syntax error, or a top level that
 *   is not an object
 */
export function readCpuprofileBytes(
  bytes: Uint8Array,
  format: string,
  file: string,
): Record<string, unknown> {
  const fail = (problem: string, offset: number): never => {
    throw new ImportError(format, file, problem, { offset });
  };
  const n = bytes.length;
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const ws = () => {
    while (i < n) {
      const c = bytes[i];
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      i++;
    }
  };
  const expect = (c: number, what: string) => {
    ws();
    if (bytes[i] !== c) fail(`not valid JSON: expected ${what}`, i);
    i++;
  };
  /** Index just past the string that starts at `start` (a quote). */
  const endOfString = (start: number): number => {
    let j = start + 1;
    while (j < n) {
      const c = bytes[j];
      if (c === QUOTE) return j + 1;
      j += c === BACKSLASH ? 2 : 1;
    }
    return fail('not valid JSON: a string is not closed', start);
  };
  /** Index just past the JSON value that starts at `start` (its syntax is checked later by JSON.parse). */
  const endOfValue = (start: number): number => {
    const c = bytes[start];
    if (c === QUOTE) return endOfString(start);
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      let depth = 0;
      let j = start;
      while (j < n) {
        const b = bytes[j];
        if (b === QUOTE) {
          j = endOfString(j);
          continue;
        }
        if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++;
        else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
          depth--;
          if (depth === 0) return j + 1;
        }
        j++;
      }
      return fail('not valid JSON: an object or array is not closed', start);
    }
    let j = start;
    while (j < n) {
      const b = bytes[j];
      if (
        b === COMMA ||
        b === CLOSE_BRACE ||
        b === CLOSE_BRACKET ||
        b === 0x20 ||
        b === 0x0a ||
        b === 0x0d ||
        b === 0x09
      )
        break;
      j++;
    }
    if (j === start) fail(`not valid JSON: expected a value`, start);
    return j;
  };
  const parseSlice = (start: number, end: number): unknown => {
    try {
      return JSON.parse(decoder.decode(bytes.subarray(start, end)));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const pos = /position (\d+)/.exec(message);
      const at = start + (pos ? Number(pos[1]) : 0);
      return fail(`not valid JSON: ${message}`, at);
    }
  };
  /** Reads a JSON number at `i` (advancing `i`): integers from the bytes, others through JSON.parse. */
  const number = (): number => {
    const start = i;
    let neg = false;
    if (bytes[i] === MINUS) {
      neg = true;
      i++;
    }
    let v = 0;
    let digits = 0;
    while (i < n && bytes[i] >= ZERO && bytes[i] <= NINE) {
      v = v * 10 + (bytes[i] - ZERO);
      i++;
      digits++;
    }
    const c = bytes[i];
    const plainInteger =
      digits > 0 &&
      digits <= 15 &&
      !(digits > 1 && bytes[start + (neg ? 1 : 0)] === ZERO) &&
      c !== 0x2e &&
      c !== 0x65 &&
      c !== 0x45;
    if (plainInteger) return neg ? -v : v;
    // fractions, exponents, long integers, leading zeros: JSON.parse decides (and rejects)
    i = endOfValue(start);
    const parsed = parseSlice(start, i);
    if (typeof parsed !== 'number') fail(`not valid JSON: expected a number`, start);
    return parsed as number;
  };
  const array = (read: () => unknown): unknown[] => {
    const out: unknown[] = [];
    expect(OPEN_BRACKET, '"["');
    ws();
    if (bytes[i] === CLOSE_BRACKET) {
      i++;
      return out;
    }
    for (;;) {
      ws();
      out.push(read());
      ws();
      const c = bytes[i];
      if (c === COMMA) {
        i++;
        continue;
      }
      if (c === CLOSE_BRACKET) {
        i++;
        return out;
      }
      return fail(`not valid JSON: expected "," or "]"`, i);
    }
  };
  /**
   * An array of numbers at `i`, as a Float64Array (or only checked, when `keep` is false);
   * the common case (a plain integer, then "," or "]") inline.
   */
  const numberArray = (keep: boolean): Float64Array | undefined => {
    let buf = new Float64Array(keep ? 1 << 16 : 0);
    let len = 0;
    const push = (v: number) => {
      if (!keep) return;
      if (len === buf.length) {
        const grown = new Float64Array(buf.length * 2);
        grown.set(buf);
        buf = grown;
      }
      buf[len++] = v;
    };
    const done = () => (keep ? buf.slice(0, len) : undefined);
    i++; // [
    ws();
    if (bytes[i] === CLOSE_BRACKET) {
      i++;
      return done();
    }
    for (;;) {
      let c = bytes[i];
      let v = 0;
      let digits = 0;
      const neg = c === MINUS;
      let j = neg ? i + 1 : i;
      c = bytes[j];
      while (c >= ZERO && c <= NINE) {
        v = v * 10 + (c - ZERO);
        c = bytes[++j];
        digits++;
      }
      if (
        digits > 0 &&
        digits <= 15 &&
        (c === COMMA || c === CLOSE_BRACKET) &&
        !(digits > 1 && bytes[neg ? i + 1 : i] === ZERO)
      ) {
        push(neg ? -v : v);
        i = j + 1;
        if (c === CLOSE_BRACKET) return done();
        continue;
      }
      // whitespace, fractions, exponents, bad data: the general path
      ws();
      push(number());
      ws();
      c = bytes[i];
      if (c === COMMA) {
        i++;
        ws();
        continue;
      }
      if (c === CLOSE_BRACKET) {
        i++;
        return done();
      }
      return fail(`not valid JSON: expected "," or "]"`, i);
    }
  };
  const element = (): unknown => {
    const start = i;
    i = endOfValue(start);
    return parseSlice(start, i);
  };

  ws();
  if (bytes[i] !== OPEN_BRACE) fail('expected a JSON object (a V8 CPU profile) at the top level', i);
  i++;
  const out: Record<string, unknown> = {};
  ws();
  if (bytes[i] === CLOSE_BRACE) return out;
  for (;;) {
    ws();
    if (bytes[i] !== QUOTE) fail(`not valid JSON: expected a key`, i);
    const keyEnd = endOfString(i);
    const key = parseSlice(i, keyEnd) as string;
    i = keyEnd;
    expect(COLON, '":"');
    ws();
    if (key === 'nodes' && bytes[i] === OPEN_BRACKET) {
      // one JSON.parse for the whole array when its text fits a string comfortably
      const end = endOfValue(i);
      if (end - i <= WHOLE_NODES_LIMIT) {
        out[key] = parseSlice(i, end);
        i = end;
      } else out[key] = array(element);
    } else if (NUMBER_ARRAYS.has(key) && bytes[i] === OPEN_BRACKET) {
      const values = numberArray(!UNUSED_NUMBER_ARRAYS.has(key));
      if (values) out[key] = values;
    } else out[key] = element();
    ws();
    if (bytes[i] === COMMA) {
      i++;
      continue;
    }
    if (bytes[i] === CLOSE_BRACE) {
      i++;
      break;
    }
    fail(`not valid JSON: expected "," or "}"`, i);
  }
  ws();
  if (i < n) fail(`not valid JSON: unexpected data after the profile`, i);
  return out;
}
