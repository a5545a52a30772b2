import zlib from 'node:zlib';
import { ImportCancelledError } from './import-error';
import type { ImportOptions, ProfileHead, ProfileInput } from './types';

/** How many bytes of a file detection looks at. */
export const HEAD_BYTES = 64 * 1024;

/**
 * Makes a {@link ProfileInput} over bytes or text already in memory (tests, the CLI
 * for small files, editors' unsaved buffers).
 * @param name file name used in messages
 * @param content the whole file
 * @param chunkSize bytes per chunk when streaming (default 1 MiB)
 */
export function inputFromBytes(
  name: string,
  content: Uint8Array | string,
  chunkSize = 1 << 20,
): ProfileInput {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return {
    name,
    size: bytes.byteLength,
    async *chunks() {
      for (let i = 0; i < bytes.byteLength; i += chunkSize)
        yield bytes.subarray(i, Math.min(i + chunkSize, bytes.byteLength));
    },
  };
}

/** Reads the first {@link HEAD_BYTES} (or `limit`) bytes of an input for detection. */
export async function readHead(input: ProfileInput, limit = HEAD_BYTES): Promise<ProfileHead> {
  const parts: Uint8Array[] = [];
  let got = 0;
  for await (const chunk of input.chunks()) {
    const take = chunk.subarray(0, Math.min(chunk.byteLength, limit - got));
    parts.push(take);
    got += take.byteLength;
    if (got >= limit) break;
  }
  const bytes = concat(parts, got);
  return { name: input.name, bytes, text: new TextDecoder('utf-8', { fatal: false }).decode(bytes) };
}

/**
 * Reads a whole input into one buffer (for formats that must be parsed whole: JSON, protobuf, SVG).
 * Reports progress and honours cancellation.
 * @throws ImportCancelledError when the signal fires
 */
export async function readAll(input: ProfileInput, options: ImportOptions = {}): Promise<Uint8Array> {
  if (input.size !== undefined && input.size > 0 && input.reusedChunks) {
    // the size is known: one buffer, filled chunk by chunk (no pieces kept, no second copy)
    let out = new Uint8Array(input.size);
    let got = 0;
    for await (const chunk of input.reusedChunks()) {
      throwIfCancelled(input, options);
      if (got + chunk.byteLength > out.byteLength) {
        // the file grew while it was read: make room
        const bigger = new Uint8Array(Math.max(out.byteLength * 2, got + chunk.byteLength));
        bigger.set(out.subarray(0, got));
        out = bigger;
      }
      out.set(chunk, got);
      got += chunk.byteLength;
      options.onProgress?.(got);
    }
    return got === out.byteLength ? out : out.subarray(0, got);
  }
  const parts: Uint8Array[] = [];
  let got = 0;
  for await (const chunk of input.chunks()) {
    throwIfCancelled(input, options);
    parts.push(chunk);
    got += chunk.byteLength;
    options.onProgress?.(got);
  }
  return concat(parts, got);
}

/**
 * Reads a whole input as UTF-8 text (a leading BOM is dropped).
 * @throws ImportCancelledError when the signal fires
 */
export async function readAllText(input: ProfileInput, options: ImportOptions = {}): Promise<string> {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(await readAll(input, options));
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Streams an input as lines without holding the file in memory, so files larger
 * than V8's maximum string length can be read. Lines are yielded in batches (an
 * array per chunk) for speed; a trailing `\r` is removed; the final line is
 * yielded even without a newline. Line numbers are the caller's to count (1-based).
 * @throws ImportCancelledError when the signal fires
 */
export async function* lineBatches(
  input: ProfileInput,
  options: ImportOptions = {},
): AsyncGenerator<string[]> {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let carry = '';
  // Pieces of a line longer than a chunk, joined once its end arrives: joining them chunk by
  // chunk would copy the line again for every chunk (quadratic in the line's length).
  const longLine: string[] = [];
  let got = 0;
  let first = true;
  for await (const chunk of input.chunks()) {
    throwIfCancelled(input, options);
    got += chunk.byteLength;
    let piece = decoder.decode(chunk, { stream: true });
    if (first && piece.length > 0) {
      if (piece.charCodeAt(0) === 0xfeff) piece = piece.slice(1);
      first = false;
    }
    if (piece.indexOf('\n') < 0) {
      longLine.push(piece);
      continue;
    }
    let text = carry;
    if (longLine.length > 0) {
      text += longLine.join('');
      longLine.length = 0;
    }
    text += piece;
    const lastNl = text.lastIndexOf('\n');
    carry = text.slice(lastNl + 1);
    const lines = text.slice(0, lastNl).split('\n');
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i];
      if (l.length > 0 && l.charCodeAt(l.length - 1) === 13) lines[i] = l.slice(0, -1);
    }
    options.onProgress?.(got);
    yield lines;
  }
  carry += longLine.join('') + decoder.decode();
  if (carry.length > 0) yield [carry.endsWith('\r') ? carry.slice(0, -1) : carry];
}

/** Throws {@link ImportCancelledError} when `options.signal` has fired. */
export function throwIfCancelled(input: { readonly name: string }, options: ImportOptions): void {
  if (options.signal?.aborted) throw new ImportCancelledError(input.name);
}

/** True when the bytes start with the gzip magic number (1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.byteLength;
  }
  return out;
}

/** The most a gzip-compressed profile may decompress to (512 MiB): more is refused, not allocated. */
export const MAX_DECOMPRESSED_BYTES = 512 * 1024 * 1024;

/**
 * Decompresses gzip data, refusing output larger than `limit` bytes (a gzip bomb).
 * @returns the decompressed bytes
 * @throws Error whose message says the data decompresses to more than the limit, or that the stream is broken
 */
export function gunzipBounded(bytes: Uint8Array, limit = MAX_DECOMPRESSED_BYTES): Uint8Array {
  try {
    return zlib.gunzipSync(bytes, { maxOutputLength: limit });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) {
      throw new Error(`it decompresses to more than ${Math.round(limit / 1048576)} MiB`);
    }
    throw new Error(`the gzip stream is broken (${(e as Error).message})`);
  }
}
