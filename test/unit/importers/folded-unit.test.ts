import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { importFromFolded } from '../../../src/core/importers/folded';
import { inputFromBytes } from '../../../src/core/importers/input';
import { fixturePath } from '../helpers/golden';

describe('folded stacks: the unit of the weights', () => {
  it('reads stackcollapse-perf.pl periods as nanoseconds and counts the samples', async () => {
    // a real recording: cpu-clock at 999 Hz, 1001001 ns per sample, 193 samples
    const bytes = fs.readFileSync(fixturePath('profiles', 'folded', 'fp-basic.folded'));
    const p = await importFromFolded(inputFromBytes('fp-basic.folded', bytes));
    assert.equal(p.unit, 'nanoseconds');
    assert.equal(p.total, 193 * 1001001);
    assert.equal(p.sampleCount, 193);
    assert.equal(p.meta.samplePeriod, 1001001);
  });

  it('keeps small counts as samples', async () => {
    const p = await importFromFolded(inputFromBytes('x.folded', 'main;a 3\nmain;b 1000\nmain;c 2000\n'));
    assert.equal(p.unit, 'samples');
    assert.equal(p.sampleCount, 3003);
  });

  it('an explicit unit wins', async () => {
    const text = 'main;a 2002002\nmain;b 1001001\n';
    const asSamples = await importFromFolded(inputFromBytes('x.folded', text), { foldedUnit: 'samples' });
    assert.equal(asSamples.unit, 'samples');
    const asNs = await importFromFolded(inputFromBytes('x.folded', 'main;a 5\n'), {
      foldedUnit: 'nanoseconds',
    });
    assert.equal(asNs.unit, 'nanoseconds');
  });
});
