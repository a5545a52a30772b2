/**
 * pprof importer (`.pb`, `.pb.gz`: Go `runtime/pprof`, `go tool pprof -proto`, Node `pprof`,
 * perf_to_profile, …).
 *
 * Spec: https://github.com/google/pprof/blob/main/proto/profile.proto — decoded with the
 * maintained `pprof-format` package; gzip is undone with `node:zlib`.
 *
 * - Sample type: `options.sampleType` (`cpu` or `cpu/nanoseconds`); by default cpu/nanoseconds when
 *   present, else samples/count, else the profile's `default_sample_type`, else the first.
 * - Unit from the sample type's unit: nanoseconds (micro-, milliseconds and seconds are converted),
 *   bytes, count → samples, anything else → events.
 * - `location_id[0]` is the leaf; a location with several `line`s describes inlining: the last
 *   line is the caller, so each becomes a frame (root first) and all but the outermost are `inlined`.
 * - Frame name from the function's `name` (else `system_name`), file from `filename`, line from the
 *   `line` (1-based; 0 = unknown; the function's `start_line` is used when the line is 0),
 *   column from `column`, module from the mapping's `filename`. A location without lines is named
 *   by its address (`0x4a2b10`).
 * - A sample label `thread`, `thread name` or `thread_name` (string) names the thread.
 */
import zlib from 'node:zlib';
import {
  type Function as PprofFunction,
  type Location as PprofLocation,
  Profile as PprofProfile,
} from 'pprof-format';
import { type Profile, ProfileBuilder, type WeightUnit } from '../profile/model';
import { ImportError } from './import-error';
import { gunzipBounded, isGzip, readAll, throwIfCancelled } from './input';
import type { ImportOptions, ProfileHead, ProfileImporter, ProfileInput } from './types';

const FORMAT = 'pprof';
const TWO_63 = 2n ** 63n;

/** Expected protobuf wire type of each top-level `Profile` field (profile.proto field numbers). */
const PROFILE_WIRE_TYPES: Readonly<Record<number, readonly number[]>> = {
  1: [2], // sample_type
  2: [2], // sample
  3: [2], // mapping
  4: [2], // location
  5: [2], // function
  6: [2], // string_table
  7: [0], // drop_frames
  8: [0], // keep_frames
  9: [0], // time_nanos
  10: [0], // duration_nanos
  11: [2], // period_type
  12: [0], // period
  13: [0, 2], // comment (repeated int64, maybe packed)
  14: [0], // default_sample_type
  15: [0], // doc_url
};

/**
 * Inflates the start of a gzip stream that may be cut anywhere (a detection head).
 * @param bytes gzip bytes (only the first 16 KiB are used, bounding the output)
 * @returns the inflated bytes, or undefined when the bytes are not a valid gzip start
 */
export function gunzipHead(bytes: Uint8Array): Uint8Array | undefined {
  try {
    return zlib.gunzipSync(bytes.subarray(0, 16 * 1024), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  } catch {
    return undefined;
  }
}

/**
 * True when the head (gunzipped first when it is gzip) parses as the start of a protobuf
 * `Profile` message: every top-level field has a profile.proto field number with the right
 * wire type, there are at least two fields of which one is a sub-message (fields 1–6), and
 * every `sample_type` holds only `type`/`unit` varints.
 */
export function isPprof(head: ProfileHead): boolean {
  const bytes = isGzip(head.bytes) ? gunzipHead(head.bytes) : head.bytes;
  if (!bytes || bytes.byteLength < 2) return false;
  let pos = 0;
  let fields = 0;
  let messages = 0;
  const plausible = () => fields >= 2 && messages >= 1;
  while (pos < bytes.byteLength) {
    const tag = readVarint(bytes, pos);
    if (tag === null) return false;
    if (tag === undefined) return plausible(); // cut inside the head
    const field = Math.floor(tag.value / 8);
    const wire = tag.value % 8;
    if (!PROFILE_WIRE_TYPES[field]?.includes(wire)) return false;
    pos = tag.next;
    if (wire === 0) {
      const v = readVarint(bytes, pos);
      if (v === null) return false;
      if (v === undefined) return plausible();
      pos = v.next;
    } else {
      const len = readVarint(bytes, pos);
      if (len === null) return false;
      if (len === undefined) return plausible();
      if (field === 1 && !isValueType(bytes.subarray(len.next, len.next + len.value))) return false;
      if (field <= 6) messages++;
      pos = len.next + len.value;
    }
    fields++;
  }
  return plausible();
}

/**
 * Imports a pprof profile (gzipped or not).
 * Unit from the chosen sample type (see the module comment); one thread per thread label
 * (a single thread `all` without labels); `sampleCount` is the number of pprof samples.
 * @throws ImportError for an empty file, a broken gzip stream, bytes that are not a pprof
 *   protobuf, an unknown `options.sampleType` (the message lists the available ones), a
 *   negative value, or a sample naming an unknown location / function / string
 * @throws ImportCancelledError when `options.signal` fires
 */
export async function importFromPprof(input: ProfileInput, options: ImportOptions = {}): Promise<Profile> {
  const file = input.name;
  let bytes = await readAll(input, options);
  if (bytes.byteLength === 0) throw new ImportError(FORMAT, file, 'the file is empty');
  if (isGzip(bytes)) {
    try {
      bytes = gunzipBounded(bytes);
    } catch (e) {
      throw new ImportError(FORMAT, file, (e as Error).message);
    }
  }
  throwIfCancelled(input, options);
  let p: PprofProfile;
  try {
    p = PprofProfile.decode(bytes);
  } catch (e) {
    throw new ImportError(FORMAT, file, `not a pprof protobuf (${(e as Error).message})`);
  }
  const strings = p.stringTable.strings;
  const str = (index: number | bigint, what: string): string => {
    const i = Number(index);
    if (i === 0) return '';
    if (!(i > 0 && i < strings.length))
      throw new ImportError(
        FORMAT,
        file,
        `${what} refers to string ${i}, beyond the string table (${strings.length})`,
      );
    return strings[i];
  };
  if (p.sampleType.length === 0)
    throw new ImportError(FORMAT, file, 'the profile has no sample types (is this really a pprof file?)');

  const types = p.sampleType.map((t) => ({
    type: str(t.type, 'sample_type.type'),
    unit: str(t.unit, 'sample_type.unit'),
  }));
  const chosen = chooseSampleType(types, options.sampleType, Number(p.defaultSampleType), (i) =>
    str(i, 'default_sample_type'),
  );
  if (chosen < 0)
    throw new ImportError(
      FORMAT,
      file,
      `sample type "${options.sampleType}" is not in the profile; available: ${types.map((t) => `${t.type}/${t.unit}`).join(', ')}`,
    );
  const { unit, scale } = unitOf(types[chosen].unit);
  const builder = new ProfileBuilder({
    format: 'pprof',
    source: file,
    unit,
    eventName: `${types[chosen].type}/${types[chosen].unit}`,
  });
  builder.setMeta('sampleTypes', types.map((t) => `${t.type}/${t.unit}`).join(', '));
  if (p.periodType)
    builder.setMeta(
      'period',
      `${num(p.period)} ${str(p.periodType.unit, 'period_type.unit')} of ${str(p.periodType.type, 'period_type.type')}`,
    );
  if (num(p.durationNanos) > 0) builder.setMeta('durationNanoseconds', num(p.durationNanos));
  // A time_nanos beyond the Date range (±8.64e15 ms) is not a time: no start time then.
  const start = new Date(num(p.timeNanos) / 1e6);
  if (num(p.timeNanos) > 0 && Number.isFinite(start.getTime()))
    builder.setMeta('startTime', start.toISOString());
  const comments = p.comment.map((c) => str(c, 'comment')).filter((c) => c !== '');
  if (comments.length > 0) builder.setMeta('comment', comments.join('\n'));

  const functions = new Map<number, PprofFunction>();
  for (const f of p.function) functions.set(Number(f.id), f);
  const mappingNames = new Map<number, string>();
  for (const m of p.mapping) mappingNames.set(Number(m.id), str(m.filename, 'mapping.filename'));
  const locations = new Map<number, PprofLocation>();
  for (const l of p.location) locations.set(Number(l.id), l);
  const framesOfLocation = new Map<number, readonly number[]>();

  const locationFrames = (id: number, where: string): readonly number[] => {
    const cached = framesOfLocation.get(id);
    if (cached) return cached;
    const loc = locations.get(id);
    if (!loc)
      throw new ImportError(FORMAT, file, `${where} refers to location ${id}, which is not in the profile`);
    const module = mappingNames.get(Number(loc.mappingId)) || undefined;
    const out: number[] = [];
    if (loc.line.length === 0) {
      out.push(builder.frameId({ name: `0x${BigInt(loc.address).toString(16)}`, module }));
    } else {
      // line[last] is the outermost caller; the others were inlined into it.
      for (let k = loc.line.length - 1; k >= 0; k--) {
        const ln = loc.line[k];
        const fn = functions.get(Number(ln.functionId));
        if (!fn)
          throw new ImportError(
            FORMAT,
            file,
            `location ${id} refers to function ${Number(ln.functionId)}, which is not in the profile`,
          );
        const line = num(ln.line) > 0 ? num(ln.line) : num(fn.startLine);
        out.push(
          builder.frameId({
            name:
              str(fn.name, `function ${Number(fn.id)} name`) ||
              str(fn.systemName, 'function system_name') ||
              '??',
            file: str(fn.filename, `function ${Number(fn.id)} filename`) || undefined,
            line: line > 0 ? line : undefined,
            column: num(ln.column) > 0 ? num(ln.column) : undefined,
            module,
            inlined: k < loc.line.length - 1,
          }),
        );
      }
    }
    framesOfLocation.set(id, out);
    return out;
  };

  const stack: number[] = [];
  for (let s = 0; s < p.sample.length; s++) {
    if ((s & 0x3fff) === 0) throwIfCancelled(input, options);
    const sample = p.sample[s];
    const raw = sample.value[chosen];
    const value = raw === undefined ? 0 : signed(raw);
    if (value < 0)
      throw new ImportError(
        FORMAT,
        file,
        `sample ${s} has a negative ${types[chosen].type} value (${value})`,
      );
    stack.length = 0;
    for (let k = sample.locationId.length - 1; k >= 0; k--) {
      for (const f of locationFrames(Number(sample.locationId[k]), `sample ${s}`)) stack.push(f);
    }
    let thread: string | undefined;
    for (const label of sample.label) {
      const key = str(label.key, 'label.key');
      if (/^thread([ _]?name)?$/i.test(key) && Number(label.str) !== 0) thread = str(label.str, 'label.str');
    }
    builder.appendSample(stack, value * scale, thread);
  }
  return builder.build();
}

/** The importer for pprof protobuf files (see {@link importFromPprof}). */
export const pprofImporter: ProfileImporter = {
  id: 'pprof',
  label: FORMAT,
  extensions: ['.pb.gz', '.pb', '.pprof', '.prof'],
  detect: isPprof,
  import: importFromPprof,
};

/** Index of the sample type to use, or -1 when `wanted` names none of them. */
function chooseSampleType(
  types: readonly { type: string; unit: string }[],
  wanted: string | undefined,
  defaultType: number,
  str: (i: number) => string,
): number {
  if (wanted !== undefined)
    return types.findIndex((t) => t.type === wanted || `${t.type}/${t.unit}` === wanted);
  const cpu = types.findIndex((t) => t.type === 'cpu' && t.unit === 'nanoseconds');
  if (cpu >= 0) return cpu;
  const samples = types.findIndex((t) => t.type === 'samples' && t.unit === 'count');
  if (samples >= 0) return samples;
  if (defaultType > 0) {
    const name = str(defaultType);
    const d = types.findIndex((t) => t.type === name);
    if (d >= 0) return d;
  }
  return 0;
}

/** The model unit and scale factor for a pprof unit string. */
function unitOf(unit: string): { unit: WeightUnit; scale: number } {
  switch (unit) {
    case 'nanoseconds':
      return { unit: 'nanoseconds', scale: 1 };
    case 'microseconds':
      return { unit: 'nanoseconds', scale: 1e3 };
    case 'milliseconds':
      return { unit: 'nanoseconds', scale: 1e6 };
    case 'seconds':
      return { unit: 'nanoseconds', scale: 1e9 };
    case 'bytes':
      return { unit: 'bytes', scale: 1 };
    case 'count':
    case '':
      return { unit: 'samples', scale: 1 };
    default:
      return { unit: 'events', scale: 1 };
  }
}

/** A decoded varint as a number (bigints above 2^53 lose precision). */
function num(v: number | bigint): number {
  return typeof v === 'bigint' ? Number(v) : v;
}

/** An int64 decoded as an unsigned varint, reinterpreted as signed (negative values use 10 bytes). */
function signed(v: number | bigint): number {
  if (typeof v === 'number') return v;
  return Number(v >= TWO_63 ? v - 2n ** 64n : v);
}

/** Reads a protobuf varint; undefined when the bytes end first, null when longer than 10 bytes. */
function readVarint(bytes: Uint8Array, pos: number): { value: number; next: number } | undefined | null {
  let value = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (pos + i >= bytes.byteLength) return undefined;
    const b = bytes[pos + i];
    value += (b & 0x7f) * mul;
    mul *= 128;
    if (b < 0x80) return { value, next: pos + i + 1 };
  }
  return null;
}

/** True when the bytes (possibly cut) are a `ValueType` message: only fields 1 and 2, varints. */
function isValueType(bytes: Uint8Array): boolean {
  let pos = 0;
  while (pos < bytes.byteLength) {
    const tag = readVarint(bytes, pos);
    if (!tag) return tag === undefined;
    if (tag.value !== 8 && tag.value !== 16) return false;
    const v = readVarint(bytes, tag.next);
    if (!v) return v === undefined;
    pos = v.next;
  }
  return true;
}
