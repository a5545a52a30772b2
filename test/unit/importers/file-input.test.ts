import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { readAll } from '../../../src/core/importers/input';
import type { ProfileInput } from '../../../src/core/importers/types';
import { fileInput, fileRangeInput } from '../../../src/node/file-input';

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  // copy: reused chunks share one buffer
  for await (const c of chunks) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

describe('file inputs: whole files, byte ranges, reused read buffers', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspot-lens-file-input-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  // 3.5 MiB of varied bytes: several chunks, the last one short
  const bytes = Buffer.alloc(3.5 * 2 ** 20);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) & 0xff;
  const file = path.join(tmp, 'data.bin');
  fs.writeFileSync(file, bytes);

  it('reads a whole file the same through chunks, reused chunks and readAll', async () => {
    const input = fileInput(file);
    assert.equal(input.size, bytes.length);
    assert.ok((await collect(input.chunks())).equals(bytes));
    assert.ok(input.reusedChunks);
    assert.ok((await collect(input.reusedChunks())).equals(bytes));
    assert.ok(Buffer.from(await readAll(input)).equals(bytes));
  });

  it('reads the next chunk ahead without touching the chunk the caller holds, and stops cleanly', async () => {
    const input = fileInput(file);
    let offset = 0;
    for await (const c of input.reusedChunks!()) {
      const copy = Buffer.from(c);
      // let the read ahead land: the chunk held must not change until the next is asked for
      await new Promise((r) => setTimeout(r, 5));
      assert.ok(Buffer.from(c).equals(copy), `the chunk at ${offset} changed while held`);
      assert.ok(copy.equals(bytes.subarray(offset, offset + copy.length)));
      offset += copy.length;
    }
    assert.equal(offset, bytes.length);
    // a caller that stops after one chunk: the file is closed, a read still in flight ends first
    for await (const c of input.reusedChunks!()) {
      assert.ok(c.length > 0);
      break;
    }
  });

  it('reads exactly a byte range', async () => {
    const start = 1_000_003;
    const end = 2_500_001;
    const input = fileRangeInput(file, start, end, 'named.bin');
    assert.equal(input.name, 'named.bin');
    assert.equal(input.size, end - start);
    const slice = bytes.subarray(start, end);
    assert.ok((await collect(input.chunks())).equals(slice));
    assert.ok((await collect(input.reusedChunks!())).equals(slice));
    assert.ok(Buffer.from(await readAll(input)).equals(slice));
    assert.equal((await readAll(fileRangeInput(file, 10, 10))).byteLength, 0);
  });

  it('readAll keeps every byte when an input yields more than its stated size', async () => {
    const data = Buffer.from('0123456789abcdef');
    const input: ProfileInput = {
      name: 'growing',
      size: 3,
      chunks: async function* () {
        yield data;
      },
      reusedChunks: async function* () {
        yield data.subarray(0, 2);
        yield data.subarray(2, 9);
        yield data.subarray(9);
      },
    };
    assert.equal(Buffer.from(await readAll(input)).toString(), data.toString());
  });
});
