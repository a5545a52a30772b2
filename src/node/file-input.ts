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
  const size = fs.statSync(path).size;
  return {
    name,
    size,
    async *chunks() {
      const stream = fs.createReadStream(path, { highWaterMark: 1 << 20 });
      try {
        for await (const chunk of stream) yield chunk as Buffer;
      } finally {
        stream.destroy();
      }
    },
  };
}
