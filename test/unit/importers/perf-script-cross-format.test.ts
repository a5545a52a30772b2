import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { importFromFlamegraphSvg } from '../../../src/core/importers/flamegraph-svg';
import { importFromFolded } from '../../../src/core/importers/folded';
import { inputFromBytes } from '../../../src/core/importers/input';
import { importFromPerfScript } from '../../../src/core/importers/perf-script';
import { topHotspots } from '../../../src/core/profile/aggregate';
import { type Frame, type Profile, ProfileBuilder } from '../../../src/core/profile/model';
import { fixturePath } from '../helpers/golden';

/**
 * The fp-basic triple is one perf recording in three forms: `perf script` text, the
 * folded stacks stackcollapse-perf.pl made of it, and the SVG flamegraph.pl drew from
 * those. All three must rank the same functions the same way.
 *
 * Normalization, limited to what stackcollapse-perf.pl itself changes:
 * - it puts the process name (comm) as the root frame of every stack: dropped from the
 *   folded and SVG stacks (the perf script importer has the comm as the thread instead);
 * - it names `[unknown]` frames `[<dso basename>]`, or `[unknown]` when the dso is unknown;
 * - it replaces `;` by `:`, cuts names at the first `(` (except `(anonymous namespace)` and
 *   Go-style `pkg.(*T).m` names), drops quotes; perf script names get the same treatment.
 * Weights: perf script counts samples, the folded stacks carry periods (1001001 ns per
 * sample in this recording — checked below), and the SVG shows the folded weights.
 */
function stackcollapseName(frame: Frame): string {
  let name = frame.name;
  if (name === '[unknown]') name = frame.module ? `[${path.basename(frame.module)}]` : '[unknown]';
  name = name.replace(/;/g, ':');
  if (!/\.\(.*\)\./.test(name)) name = name.replace(/\((?!anonymous namespace\)).*/, '');
  return name.replace(/["']/g, '');
}

/** The profile with frames reduced to (normalized) names, one thread, weights scaled. */
function byName(p: Profile, name: (f: Frame) => string, dropRoot: boolean, scale = 1): Profile {
  const b = new ProfileBuilder({ format: p.format, source: p.source, unit: p.unit });
  for (const s of p.stacks) {
    const ids = (dropRoot ? s.frames.slice(1) : s.frames).map((id) =>
      b.frameId({ name: name(p.frames[id]) }),
    );
    b.appendSample(ids, s.weight * scale);
  }
  return b.build();
}

const read = (...parts: string[]) => inputFromBytes(parts.join('/'), fs.readFileSync(fixturePath(...parts)));

const top = (p: Profile, by: 'self' | 'total') =>
  topHotspots(p, 20, by).map((s) => [s.name, s.self, s.total]);

describe('the same recording as perf script, folded stacks and flame graph SVG', () => {
  it('fp-basic: the same top-20 functions by self and by total weight, with the same weights', async () => {
    const perf = await importFromPerfScript(read('profiles', 'perf-script', 'fp-basic.perf'));
    const folded = await importFromFolded(read('profiles', 'folded', 'fp-basic.folded'));
    const svg = await importFromFlamegraphSvg(read('profiles', 'flamegraph-svg', 'fp-basic.svg'));

    const period = 1001001;
    assert.equal(perf.meta.periodSum, perf.total * period, 'every sample has the same period');
    const a = byName(perf, stackcollapseName, false, period);
    const b = byName(folded, (f) => f.name, true);
    const c = byName(svg, (f) => f.name, true);
    assert.equal(a.total, b.total);
    assert.equal(c.total, b.total);
    for (const by of ['self', 'total'] as const) {
      const expected = top(a, by);
      assert.equal(expected.length, 20);
      assert.deepEqual(top(b, by), expected, `folded vs perf script, by ${by}`);
      assert.deepEqual(top(c, by), expected, `SVG vs perf script, by ${by}`);
    }
  });

  it('an inverted (icicle) SVG of the same stacks gives the same profile as the normal SVG', async () => {
    const normal = await importFromFlamegraphSvg(read('profiles', 'flamegraph-svg', 'fp-basic.svg'));
    const icicle = await importFromFlamegraphSvg(read('profiles', 'flamegraph-svg', 'fp-inverted.svg'));
    assert.equal(icicle.meta.inverted, 'yes');
    const id = (f: Frame) => f.name;
    assert.deepEqual(top(byName(icicle, id, false), 'self'), top(byName(normal, id, false), 'self'));
    assert.deepEqual(top(byName(icicle, id, false), 'total'), top(byName(normal, id, false), 'total'));
  });
});
