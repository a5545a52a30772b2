import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { checkPlan, compareProfiles } from '../../../src/core/compare';
import type { WorkspaceIndex } from '../../../src/core/mapping/workspace-index';
import { parsePlan } from '../../../src/core/plan';
import { demoCrate, memIndex, profileOf, snap } from './setup';

const PLAN = `# Demo plan

## Hotspots
- \`demo::work\`: **60.0%** total
- \`alloc::vec::Vec<T>::clone\`: **20.0%** self
- \`not_in_the_profile\`: **5%** total

## Phase 1: Faster work
**Expected improvement:** 30-40%

## Phase 2: Much faster work
**Expected gain:** 2-3x faster

## Phase 3: Something else
**Expected impact:** 40-60% improvement
`;

describe('checkPlan', () => {
  let index: WorkspaceIndex;
  before(async () => {
    index = await memIndex(demoCrate(1));
  });
  // baseline 1000 samples: work 600 (of which Vec::clone 200), other 400; now work 250: 35% less time
  const baseline = profileOf([
    'main;demo::work 400',
    'main;demo::work;alloc::vec::Vec<T>::clone 200',
    'main;demo::other 400',
  ]);
  const faster = profileOf([
    'main;demo::work 150',
    'main;demo::work;alloc::vec::Vec<T>::clone 100',
    'main;demo::other 400',
  ]);

  it('gives each claim its value then and now', () => {
    const c = compareProfiles(snap(baseline, index), snap(faster, index), { normalization: 'absolute' });
    const check = checkPlan(c, parsePlan(PLAN));
    const [work, clone, missing] = check.claims;
    assert.equal(work.symbol, 'demo::work');
    assert.equal(work.figure, 'total');
    assert.equal(work.baselinePercent, 60);
    assert.equal(work.nowPercent, (100 * 250) / 650);
    assert.ok(Math.abs((work.changePercent ?? 0) - (100 * (250 - 600)) / 600) < 1e-9);
    assert.equal(work.status, 'improved');
    assert.equal(missing.status, null);
    assert.equal(clone.figure, 'self');
    assert.equal(clone.baselinePercent, 20);
    assert.equal(clone.nowPercent, (100 * 100) / 650);
    assert.equal(missing.baselinePercent, null);
    assert.equal(missing.nowPercent, null);
  });

  it('reads expected gains as ranges of less time and judges them against the total', () => {
    const c = compareProfiles(snap(baseline, index), snap(faster, index), { normalization: 'absolute' });
    assert.equal(c.totals.changePercent, -35);
    const [p1, p2, p3] = checkPlan(c, parsePlan(PLAN)).gains;
    assert.equal(p1.phase, 'Phase 1: Faster work');
    assert.deepEqual([p1.min, p1.max, p1.verdict], [30, 40, 'met']);
    assert.equal(p1.measuredPercent, 35);
    assert.ok(Math.abs(p1.measuredSpeedup - 1000 / 650) < 1e-9);
    assert.ok(Math.abs((p1.minSpeedup ?? 0) - 1 / 0.7) < 1e-9);
    // 2-3x faster = 50–66.7% less time: faster beyond noise, but not enough
    assert.equal(p2.min, 50);
    assert.ok(Math.abs((p2.max ?? 0) - 200 / 3) < 1e-9);
    assert.equal(p2.minSpeedup, 2);
    assert.equal(p2.verdict, 'partly');
    assert.deepEqual([p3.min, p3.max, p3.verdict], [40, 60, 'partly']);
  });

  it('a slower run meets nothing', () => {
    const slower = profileOf([
      'main;demo::work 800',
      'main;demo::work;alloc::vec::Vec<T>::clone 200',
      'main;demo::other 400',
    ]);
    const c = compareProfiles(snap(baseline, index), snap(slower, index), { normalization: 'absolute' });
    const gains = checkPlan(c, parsePlan(PLAN)).gains;
    assert.deepEqual(
      gains.map((g) => g.verdict),
      ['not met', 'not met', 'not met'],
    );
    assert.ok(gains[0].measuredPercent < 0);
  });
});
