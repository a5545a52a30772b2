import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { timeBoundMs } from '../../../fuzz/targets';
import { importFromFlamegraphSvg } from '../../../src/core/importers/flamegraph-svg';
import { ImportError } from '../../../src/core/importers/import-error';
import { inputFromBytes } from '../../../src/core/importers/input';
import type { ProfileInput } from '../../../src/core/importers/types';

/** XML safety of the flame graph SVG importer: no entity expansion, no external fetches, streaming. */

const FRAME = '<g><title>main (5 samples, 100%)</title><rect x="10" y="100" width="1180" height="15"/></g>';
const svg = (doctype: string, body = FRAME) =>
  `<?xml version="1.0" standalone="no"?>\n${doctype}\n<svg version="1.1" xmlns="http://www.w3.org/2000/svg">\n${body}\n</svg>\n`;

async function outcome(text: string): Promise<{ error?: ImportError; names?: string[]; ms: number }> {
  const t0 = performance.now();
  try {
    const p = await importFromFlamegraphSvg(inputFromBytes('evil.svg', text, 4096));
    return { names: p.frames.map((f) => f.name), ms: performance.now() - t0 };
  } catch (e) {
    if (!(e instanceof ImportError)) throw e;
    return { error: e, ms: performance.now() - t0 };
  }
}

describe('flame graph SVG: XML safety', () => {
  const secret = `hotspot-lens-secret-${process.pid}`;
  let secretFile = '';
  let server: http.Server;
  let requests = 0;
  let base = '';
  before(async () => {
    secretFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hl-xxe-')), 'secret.txt');
    fs.writeFileSync(secretFile, secret);
    server = http.createServer((_req, res) => {
      requests++;
      res.end(`<!ENTITY leak "${secret}">`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.close();
    fs.rmSync(path.dirname(secretFile), { recursive: true, force: true });
  });

  it('billion laughs: rejected with an ImportError, quickly, nothing expanded', async () => {
    const defs = ['<!ENTITY lol "lol">'];
    for (let i = 1; i <= 9; i++) defs.push(`<!ENTITY lol${i} "${`&lol${i - 1 || ''};`.repeat(10)}">`);
    const r = await outcome(svg(`<!DOCTYPE svg [\n${defs.join('\n')}\n]>`, FRAME.replace('main', '&lol9;')));
    assert.ok(r.error, 'an ImportError');
    assert.match(r.error.message, /DOCTYPE with an internal subset/);
    assert.ok(r.ms < timeBoundMs(4096), `took ${r.ms} ms`);
  });

  it('an undeclared entity in a frame title is an error, not an expansion', async () => {
    const r = await outcome(svg('', FRAME.replace('main', '&lol9;')));
    assert.ok(r.error);
    assert.match(r.error.message, /not well-formed XML/);
  });

  it('external entities (file: and http:) are neither read nor fetched', async () => {
    for (const uri of [`file://${secretFile}`, `${base}/entity`]) {
      const r = await outcome(
        svg(`<!DOCTYPE svg [ <!ENTITY x SYSTEM "${uri}"> ]>`, FRAME.replace('main', 'main&x;')),
      );
      assert.ok(r.error, uri);
      assert.ok(!r.error.message.includes(secret));
    }
    // An external DTD without an internal subset passes the DOCTYPE check: it must still not be
    // fetched, and an entity it would declare stays undeclared.
    const dtd = await outcome(
      svg(`<!DOCTYPE svg SYSTEM "${base}/svg.dtd">`, FRAME.replace('main', 'main&leak;')),
    );
    assert.ok(dtd.error);
    assert.ok(!dtd.error.message.includes(secret));
    const plain = await outcome(svg(`<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "${base}/svg11.dtd">`));
    assert.deepEqual(plain.names, ['main']);
    const param = await outcome(svg(`<!DOCTYPE svg [ <!ENTITY % p SYSTEM "${base}/p.dtd"> %p; ]>`));
    assert.ok(param.error);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(requests, 0, 'no HTTP request reached the server');
  });

  it('streams: a bad DOCTYPE in the first chunk stops the import without reading the rest', async () => {
    let chunks = 0;
    const endless: ProfileInput = {
      name: 'endless.svg',
      async *chunks() {
        chunks++;
        yield new TextEncoder().encode(svg('<!DOCTYPE svg [ <!ENTITY a "a"> ]>', '').slice(0, -7));
        const more = new TextEncoder().encode(FRAME.repeat(1000));
        for (;;) {
          chunks++;
          yield more;
        }
      },
    };
    await assert.rejects(importFromFlamegraphSvg(endless), ImportError);
    assert.ok(chunks < 10, `read ${chunks} chunks of an endless file`);
  });

  it('streams: progress is reported chunk by chunk on a large SVG', async () => {
    const body = Array.from(
      { length: 20_000 },
      (_, i) =>
        `<g><title>f${i} (1 samples, 0.01%)</title><rect x="${(i * 0.05).toFixed(2)}" y="84" width="0.05" height="15"/></g>`,
    ).join('\n');
    const text = svg(
      '',
      `<g><title>all (20,000 samples, 100%)</title><rect x="0" y="100" width="1000" height="15"/></g>\n${body}`,
    );
    const seen: number[] = [];
    const p = await importFromFlamegraphSvg(inputFromBytes('big.svg', text, 64 * 1024), {
      onProgress: (n) => seen.push(n),
    });
    assert.equal(p.total, 20_000);
    assert.ok(seen.length >= Math.floor(text.length / (64 * 1024)), `${seen.length} progress reports`);
    assert.deepEqual(
      seen,
      [...seen].sort((a, b) => a - b),
    );
  });
});
