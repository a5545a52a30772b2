import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { parsePlan } from '../../../src/core/plan/parse-plan';
import { isGainLabel } from '../../../src/core/plan/recognizers';
import { fixturePath } from '../helpers/golden';

describe('gains', () => {
  it('reads multipliers, targets with a figure, gains in headings and localized labels, each in its phase', () => {
    const plan = parsePlan(fs.readFileSync(fixturePath('plans', 'gains-multipliers.md'), 'utf8'));
    assert.deepEqual(
      plan.gains.map((g) => [g.section, g.low, g.high, g.unit]),
      [
        ['Phase 1: Parallel sort', 3, 5, 'factor'],
        ['Phase 2: Fewer copies', 40, 50, 'percent'],
        ['第一阶段（预期总收益：15-20%）', 15, 20, 'percent'],
        ['Фаза 4: Кэш', 2, 2, 'factor'],
      ],
    );
    for (const g of plan.gains) assert.equal(plan.sections[g.sectionId!].phaseId, g.phaseId);
  });

  it('takes "Target" as a gain only with a percentage or a factor', () => {
    assert.equal(isGainLabel('Target', '40-50% speedup'), true);
    assert.equal(isGainLabel('Target', 'all tests green'), false);
    assert.equal(isGainLabel('Est. gain'), true);
    assert.equal(isGainLabel('预期收益'), true);
    assert.equal(isGainLabel('Ожидаемый прирост'), true);
    assert.equal(isGainLabel('Gain'), false);
  });
});
