import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import zlib from 'node:zlib';
import { gunzipBounded, MAX_DECOMPRESSED_BYTES } from '../../../src/core/importers/input';

describe('gzip input: bounded decompression', () => {
  it('decompresses normal data', () => {
    const data = new TextEncoder().encode('hello profile');
    assert.deepEqual(Buffer.from(gunzipBounded(zlib.gzipSync(data))), Buffer.from(data));
  });

  it('refuses data that decompresses past the limit instead of allocating it', () => {
    const bomb = zlib.gzipSync(Buffer.alloc(1 << 20)); // 1 MiB of zeros, ~1 KiB compressed
    assert.ok(bomb.length < 4096);
    assert.throws(() => gunzipBounded(bomb, 64 * 1024), /decompresses to more than 0 MiB/);
    assert.equal(MAX_DECOMPRESSED_BYTES, 512 * 1024 * 1024);
  });

  it('says a broken stream is broken', () => {
    const good = zlib.gzipSync(Buffer.from('x'.repeat(1000)));
    assert.throws(() => gunzipBounded(good.subarray(0, good.length - 10)), /the gzip stream is broken/);
  });
});
