import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { isCallgrind } from '../../../src/core/importers/callgrind';
import {
  flamegraphSvgImporter,
  importFromFlamegraphSvg,
  isFlamegraphSvg,
} from '../../../src/core/importers/flamegraph-svg';
import { importFromFolded, isFolded } from '../../../src/core/importers/folded';
import { ImportError } from '../../../src/core/importers/import-error';
import { inputFromBytes, readHead } from '../../../src/core/importers/input';
import { isPerfScript } from '../../../src/core/importers/perf-script';
import { toFolded } from '../../../src/core/profile/aggregate';
import { expectedFixtures as fixtures } from '../helpers/expected-fixtures';
import { assertGolden, fixturePath } from '../helpers/golden';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

interface Node {
  name: string;
  count: number;
  children: Map<string, Node>;
}

/**
 * Lays out folded stacks the way a flame graph does (our own small drawing for
 * tests): a root `all`, children left to right in name order, 16 px rows, the
 * root at the bottom (or at the top when inverted). `inferno` adds fg:x/fg:w and
 * writes x/width in percent.
 */
function drawSvg(
  folded: string,
  opts: { inverted?: boolean; countName?: string; inferno?: boolean; heading?: string } = {},
): string {
  const root: Node = { name: 'all', count: 0, children: new Map() };
  let depthMax = 0;
  for (const line of folded.trim().split('\n')) {
    const sp = line.lastIndexOf(' ');
    const w = Number(line.slice(sp + 1));
    const frames = line.slice(0, sp).split(';');
    depthMax = Math.max(depthMax, frames.length);
    root.count += w;
    let n = root;
    for (const f of frames) {
      let c = n.children.get(f);
      if (!c) {
        c = { name: f, count: 0, children: new Map() };
        n.children.set(f, c);
      }
      c.count += w;
      n = c;
    }
  }
  const px = 1180 / root.count;
  const out: string[] = [];
  // Depth first, iteratively (deep stacks would overflow recursion).
  const todo: [Node, number, number][] = [[root, 0, 0]];
  while (todo.length > 0) {
    const [n, x, depth] = todo.pop()!;
    const y = opts.inverted ? 40 + depth * 16 : 40 + (depthMax - depth) * 16;
    const title = `${esc(n.name)} (${thousands(n.count)} ${opts.countName ?? 'samples'}, ${((100 * n.count) / root.count).toFixed(2)}%)`;
    const rect = opts.inferno
      ? `<rect x="${((100 * x) / root.count).toFixed(4)}%" y="${y}" width="${((100 * n.count) / root.count).toFixed(4)}%" height="15" fill="rgb(1,2,3)" fg:x="${x}" fg:w="${n.count}"/>`
      : `<rect x="${(10 + x * px).toFixed(1)}" y="${y}" width="${(n.count * px).toFixed(1)}" height="15.0" fill="rgb(1,2,3)" rx="2" ry="2" />`;
    out.push(
      `<g >\n<title>${title}</title>${rect}\n<text x="0" y="${y}">${esc(n.name.slice(0, 3))}</text>\n</g>`,
    );
    let cx = x;
    for (const c of [...n.children.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      todo.push([c, cx, depth + 1]);
      cx += c.count;
    }
  }
  return [
    '<?xml version="1.0" standalone="no"?>',
    '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">',
    '<svg version="1.1" width="1200" height="400" xmlns="http://www.w3.org/2000/svg">',
    `<text id="title" x="600" y="24">${opts.heading ?? (opts.inverted ? 'Icicle Graph' : 'Flame Graph')}</text>`,
    '<g id="frames">',
    ...out,
    '</g>',
    '</svg>',
    '',
  ].join('\n');
}

const load = (svg: string, chunk?: number) => importFromFlamegraphSvg(inputFromBytes('x.svg', svg, chunk));
const head = (text: string) => readHead(inputFromBytes('unknown', text));

async function rejects(content: string | Uint8Array, pattern: RegExp, line?: number) {
  await assert.rejects(importFromFlamegraphSvg(inputFromBytes('bad.svg', content)), (e: unknown) => {
    assert.ok(e instanceof ImportError, `expected ImportError, got ${e}`);
    assert.match(e.message, /^bad\.svg: cannot read as flame graph SVG: /);
    assert.match(e.message, pattern);
    if (line !== undefined) assert.equal(e.location.line, line);
    return true;
  });
}

const STACKS = 'main;parse;lex 30\nmain;parse 10\nmain;eval;Vec<T>::push 1500\nmain 5\nstart;boot 2\n';

describe('flame graph SVG: fixtures made by flamegraph.pl', () => {
  const list = fixtures('flamegraph-svg');
  it('has fixtures to check', () => assert.ok(list.length >= 5, `only ${list.length} SVG fixtures`));
  for (const [rel, expected] of list) {
    const file = fixturePath('profiles', rel);
    const golden = `test/fixtures/golden/importers/flamegraph-svg/${path.basename(rel)}.txt`;
    it(`${rel}: total equals the root's count, folded dump matches ${golden}`, async () => {
      const p = await importFromFlamegraphSvg(inputFromBytes(rel, fs.readFileSync(file)));
      assert.equal(p.total, expected.total);
      assert.equal(p.format, 'flamegraph-svg');
      // the counts stackcollapse-perf.pl gave flamegraph.pl are periods (ns): read as time,
      // with the sample count beside it, never as a billion "samples"
      assert.equal(p.unit, expected.unit === 'ns' ? 'nanoseconds' : 'samples');
      if (p.unit === 'nanoseconds' && expected.countName !== 'ns') {
        const period = Number(p.meta.samplePeriod);
        assert.ok(period >= 1000, `sampling period ${period} ns`);
        assert.equal(p.sampleCount, Math.round(p.total / period));
      }
      assertGolden(golden, toFolded(p));
    });
    it(`${rel}: detected by content under the name "unknown", and by no other text importer`, async () => {
      const h = await readHead(inputFromBytes('unknown', fs.readFileSync(file)));
      assert.equal(isFlamegraphSvg(h), true);
      assert.equal(isFolded(h), false);
      assert.equal(isPerfScript(h), false);
      assert.equal(isCallgrind(h), false);
    });
  }

  it('rebuilds exactly the folded stacks the SVG was drawn from (all stacks wider than --minwidth)', async () => {
    for (const [rel, expected] of list) {
      if (expected.from === undefined || !rel.endsWith('fp-basic.svg')) continue;
      const svg = await importFromFlamegraphSvg(
        inputFromBytes(rel, fs.readFileSync(fixturePath('profiles', rel))),
      );
      const folded = await importFromFolded(
        inputFromBytes('f', fs.readFileSync(fixturePath('profiles', expected.from))),
      );
      assert.equal(toFolded(svg), toFolded(folded));
    }
  });
});

describe('flame graph SVG: rebuilding stacks from geometry', () => {
  it('rebuilds the stacks of a flamegraph.pl-style SVG (root at the bottom, "all" dropped)', async () => {
    const p = await load(drawSvg(STACKS));
    assert.equal(toFolded(p), toFolded(await importFromFolded(inputFromBytes('f', STACKS))));
    assert.equal(p.total, 1547);
    assert.equal(p.sampleCount, 1547);
    assert.equal(p.eventName, 'samples');
    assert.equal(p.meta.inverted, undefined);
  });

  it('rebuilds an icicle graph (root at the top)', async () => {
    const p = await load(drawSvg(STACKS, { inverted: true }));
    assert.equal(toFolded(p), toFolded(await load(drawSvg(STACKS))));
    assert.equal(p.meta.inverted, 'yes');
  });

  it('prefers inferno fg:x / fg:w (samples) over percentages', async () => {
    const p = await load(drawSvg(STACKS, { inferno: true }), 64);
    assert.equal(toFolded(p), toFolded(await load(drawSvg(STACKS))));
  });

  it('unescapes names and reads thousands separators', async () => {
    const p = await load(drawSvg('main;a<b>&c 1234567\nmain;d 1\n'));
    assert.equal(toFolded(p), 'main;a<b>&c 1234567\nmain;d 1\n');
  });

  it('reads count name ns as nanoseconds, and keeps another count name as the event name', async () => {
    const ns = await load(drawSvg(STACKS, { countName: 'ns' }));
    assert.equal(ns.unit, 'nanoseconds');
    assert.equal(ns.sampleCount, undefined);
    const bytes = await load(drawSvg(STACKS, { countName: 'bytes' }));
    assert.equal(bytes.unit, 'samples');
    assert.equal(bytes.eventName, 'bytes');
  });

  it('turns stacks root first again when the title says the graph is reversed', async () => {
    const leafFirst = 'lex;parse;main 30\npush;eval;main 1500\n';
    const p = await load(drawSvg(leafFirst, { heading: 'Reversed Flame Graph' }));
    assert.equal(toFolded(p), 'main;eval;push 1500\nmain;parse;lex 30\n');
    assert.equal(p.meta.reversed, 'yes');
  });

  it('keeps weight that sits on "all" itself (frames too narrow to draw) as an "all" stack', async () => {
    const svg = drawSvg('main 10\n').replace('all (10 samples', 'all (12 samples');
    const p = await load(svg);
    assert.equal(toFolded(p), 'all 2\nmain 10\n');
    assert.equal(p.total, 12);
  });

  it('reads a 10,000-row flame graph', async () => {
    const frames = Array.from({ length: 10_000 }, (_, i) => `f${i}`);
    const p = await load(drawSvg(`${frames.join(';')} 3\n`));
    assert.equal(p.stacks.length, 1);
    assert.equal(p.stacks[0].frames.length, 10_000);
  });

  it('is the importer registered as "flamegraph-svg"', () => {
    assert.equal(flamegraphSvgImporter.id, 'flamegraph-svg');
    assert.equal(flamegraphSvgImporter.import, importFromFlamegraphSvg);
    assert.equal(flamegraphSvgImporter.detect, isFlamegraphSvg);
  });
});

describe('flame graph SVG: detection', () => {
  it('accepts flame graphs, and rejects other SVGs and other formats', async () => {
    assert.equal(isFlamegraphSvg(await head(drawSvg(STACKS))), true);
    assert.equal(isFlamegraphSvg(await head(drawSvg(STACKS, { inferno: true }))), true);
    assert.equal(isFlamegraphSvg(await head('<svg><rect x="1" y="2"/><title>logo</title></svg>')), false);
    assert.equal(isFlamegraphSvg(await head('main;run 5\n')), false);
    assert.equal(isFlamegraphSvg(await head('{"svg": "<svg"}')), false);
  });
});

describe('flame graph SVG: bad input', () => {
  const billionLaughs = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE svg [',
    ' <!ENTITY lol "lol">',
    ' <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">',
    ' <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">',
    ' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">',
    ' <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">',
    ']>',
    '<svg xmlns="http://www.w3.org/2000/svg"><g><title>&lol9; (1 samples, 100%)</title><rect x="0" y="0" width="1" height="1"/></g></svg>',
  ].join('\n');

  it('rejects a DOCTYPE with entities ("billion laughs") without expanding them', () =>
    rejects(billionLaughs, /DOCTYPE with an internal subset/, 8));
  it('never expands an entity that is not one of the five predefined ones', () =>
    rejects(
      '<svg><g><title>&xxe; (1 samples, 100%)</title><rect x="0" y="0" width="1" height="1"/></g></svg>',
      /not well-formed XML: .*undefined entity/,
    ));
  it('rejects an empty file', () => rejects('', /not well-formed XML|no <svg> element/));
  it('rejects a truncated SVG', () => rejects(drawSvg(STACKS).slice(0, 700), /not well-formed XML/));
  it('rejects JSON', () => rejects('{"nodes": []}', /not well-formed XML/, 1));
  it('rejects binary garbage', () =>
    rejects(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0xff]), /not well-formed XML/));
  it('rejects an SVG without frames', () => rejects('<svg><rect x="1"/></svg>', /no flame graph frames/));
  it('rejects absurd counts (negative, NaN, 1e400) in titles', async () => {
    for (const count of ['-5', 'NaN', '1e400'])
      await rejects(drawSvg('main 3\n').replace('main (3 samples', `main (${count} samples`), /has no count/);
  });
  it('rejects a frame with no parent under it', () =>
    rejects(
      drawSvg('main;a 3\nmain;b 2\n').replace(/(<title>a \(3[^<]*<\/title><rect x=")[\d.]+/, '$1900.0'),
      /no parent frame/,
    ));
});
