// Parses every Markdown plan in a directory (real plans kept outside the repository)
// and prints one summary line per plan: phases, tasks done/total, implementation
// locations, references, claims, gains, and the parse time.
//   node --import tsx bench/plan-corpus.ts DIR [--outline]
// --outline also prints each plan's phase tree (kind, status, priority, tasks done/total).
import fs from 'node:fs';
import path from 'node:path';
import { parsePlan } from '../src/core/plan/parse-plan';
import { planProgress } from '../src/core/plan/progress';
import { formatPlanSummaryTable, planSummaryRow } from '../src/core/plan/summary';

function main(): void {
  const dir = process.argv[2];
  const outline = process.argv.includes('--outline');
  if (!dir) {
    console.error('usage: node --import tsx bench/plan-corpus.ts DIR');
    process.exit(2);
  }
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.md') && f !== 'ORIGINS.md')
    .sort();
  const rows = [];
  const times: string[] = [];
  for (const f of files) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    const t0 = performance.now();
    const plan = parsePlan(text, { file: f });
    times.push(`${(performance.now() - t0).toFixed(1)} ms`);
    rows.push(planSummaryRow(f, plan));
    if (outline) {
      const counts = new Map(planProgress(plan).phases.map((p) => [p.phaseId, p]));
      console.log(`\n${f}`);
      const walk = (ps: typeof plan.phases, depth: number): void => {
        for (const p of ps) {
          const c = counts.get(p.sectionId);
          const tags = [p.kind, p.status, p.priority].filter((x) => x !== null).join(', ');
          console.log(`${'  '.repeat(depth + 1)}${p.title}  [${tags}]  ${c?.done ?? 0}/${c?.total ?? 0}`);
          walk(p.children, depth + 1);
        }
      };
      walk(plan.phases, 0);
    }
  }
  if (outline) console.log('');
  const table = formatPlanSummaryTable(rows).split('\n');
  console.log(table[0]);
  for (let i = 0; i < rows.length; i++) console.log(`${table[i + 1]}  (${times[i]})`);
}

main();
