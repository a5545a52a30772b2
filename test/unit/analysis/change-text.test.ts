import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { changeText, speedupText } from '../../../src/core/analysis/presentation';

describe('changes since the baseline, as the views word them', () => {
  it('arrows for beyond-noise changes, ≈ within noise, words for new and gone', () => {
    assert.equal(changeText({ changePercent: -95.6, status: 'improved' }), '▼96% vs baseline');
    assert.equal(changeText({ changePercent: 4.25, status: 'regressed' }), '▲4.3% vs baseline');
    assert.equal(changeText({ changePercent: 2, status: 'unchanged' }), '≈ vs baseline');
    assert.equal(changeText({ changePercent: null, status: 'new' }), 'new since baseline');
    assert.equal(changeText({ changePercent: -100, status: 'gone' }), 'gone since baseline');
  });

  it('a change of time as a speed-up', () => {
    assert.equal(speedupText(-27.9), '1.39× faster');
    assert.equal(speedupText(50), '1.50× slower');
    assert.equal(speedupText(0.2), 'same speed');
    assert.equal(speedupText(-100), 'gone');
  });
});

describe('groupThousands', () => {
  it('prints integers as en-US does', async () => {
    const { groupThousands } = await import('../../../src/core/analysis/presentation');
    for (const n of [0, 7, 999, 1000, 12345, 1234567, -1234567, 1464882678, 10 ** 15, 12.5, 1234.5])
      assert.equal(groupThousands(n), n.toLocaleString('en-US', { maximumFractionDigits: 20 }), String(n));
  });
});
