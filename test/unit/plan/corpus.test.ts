import fs from 'node:fs';
import { describe, it } from 'node:test';
import { parsePlan } from '../../../src/core/plan/parse-plan';
import { formatPlanSummaryTable, planSummaryRow } from '../../../src/core/plan/summary';
import { assertGolden, fixturePath } from '../helpers/golden';

// Every plan fixture in one table (phases, tasks done/total, implementation locations,
// references, claims, gains): a change that shifts any plan shows up in the diff of
// corpus.golden.txt (UPDATE_GOLDEN=1 rewrites it).
describe('plan fixtures corpus', () => {
  it('matches corpus.golden.txt', (t) => {
    const dir = fixturePath('plans');
    const files = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.md') && f !== 'README.md')
      .sort();
    const rows = files.map((f) =>
      planSummaryRow(f, parsePlan(fs.readFileSync(fixturePath('plans', f), 'utf8'), { file: f })),
    );
    const table = formatPlanSummaryTable(rows);
    t.diagnostic(`\n${table}`);
    assertGolden(fixturePath('plans', 'corpus.golden.txt'), table);
  });
});
