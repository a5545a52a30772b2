import fs from 'node:fs';
import type { ProfileInput } from '../core/importers/types';

/**
 * A {@link ProfileInput} over a file on disk, streamed in 1 MiB chunks so that
 * files larger than V8's maximum string length can be imported.
 * @param path absolute path
 * @param name the name used in messages (default: the path)
 * @throws Error (ENOENT, EACCES…) from `fs.statSync` when the file cannot be read
 */
export function fileInput(path: string, name = path): ProfileInput {
  return fileRangeInput(path, 0, fs.statSync(path).size, name);
}

/**
 * A {@link ProfileInput} over the bytes `[start, end)` of a file (one part of a file read
 * in parts), streamed in 1 MiB chunks.
 * @param start 0-based byte offset
 * @param end byte offset after the last byte (at most the file's size)
 * @param name the name used in messages (the whole file's)
 */
export function fileRangeInput(path: string, start: number, end: number, name = path): ProfileInput {
  const size = end - start;
  return {
    name,
    size,
    async *chunks() {
      if (size <= 0) return;
      const stream = fs.createReadStream(path, { highWaterMark: 1 << 20, start, end: end - 1 });
      try {
        for await (const chunk of stream) yield chunk as Buffer;
      } finally {
        stream.destroy();
      }
    },
    async *reusedChunks() {
      if (size <= 0) return;
      const handle = await fs.promises.open(path, 'r');
      try {
        const buf = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, size));
        for (let pos = start; pos < end; ) {
          const { bytesRead } = await handle.read(buf, 0, Math.min(buf.length, end - pos), pos);
          if (bytesRead <= 0) break;
          pos += bytesRead;
          yield buf.subarray(0, bytesRead);
        }
      } finally {
        await handle.close();
      }
    },
  };
}

/** Bytes per chunk of {@link fileRangeInput}. */
const CHUNK_BYTES = 1 << 20;
