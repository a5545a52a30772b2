import { planProgress } from './progress';
import type { Plan, PlanPhase } from './types';

/** The figures of one plan in a corpus summary table. */
export interface PlanSummaryRow {
  /** A name for the plan (the file name given). */
  readonly name: string;
  /** Phases, child phases included. */
  readonly phases: number;
  /** Tasks (GFM and status-marked, nested ones included). */
  readonly tasks: number;
  /** Tasks that are done. */
  readonly done: number;
  /** Implementation locations (references excluded). */
  readonly locations: number;
  /** Reference paths: scratch files, scripts the plan only runs, outside files named by link. */
  readonly references: number;
  /** Hotspot claims. */
  readonly claims: number;
  /** Expected gains. */
  readonly gains: number;
}

/**
 * Counts a parsed plan's phases, tasks, implementation locations, references, claims
 * and gains for a summary table (corpus tests, `bench/plan-corpus.ts`).
 * @param name the name shown in the table's first column
 */
export function planSummaryRow(name: string, plan: Plan): PlanSummaryRow {
  let phases = 0;
  const walk = (ps: readonly PlanPhase[]): void => {
    for (const p of ps) {
      phases++;
      walk(p.children);
    }
  };
  walk(plan.phases);
  const progress = planProgress(plan);
  const refs = plan.locations.filter((l) => l.kind === 'reference').length;
  return {
    name,
    phases,
    tasks: progress.total,
    done: progress.done,
    locations: plan.locations.length - refs,
    references: refs,
    claims: plan.claims.length,
    gains: plan.gains.length,
  };
}

/**
 * Formats summary rows as a fixed-width text table, one plan per line, with a header
 * line: `plan  phases  tasks (done/total)  locations  refs  claims  gains`.
 * @returns the table, each line ending with "\n"
 */
export function formatPlanSummaryTable(rows: readonly PlanSummaryRow[]): string {
  const cells = [
    ['plan', 'phases', 'tasks', 'locations', 'refs', 'claims', 'gains'],
    ...rows.map((r) => [
      r.name,
      String(r.phases),
      `${r.done}/${r.tasks}`,
      String(r.locations),
      String(r.references),
      String(r.claims),
      String(r.gains),
    ]),
  ];
  const widths = cells[0].map((_, i) => Math.max(...cells.map((c) => c[i].length)));
  return cells
    .map((c) =>
      c
        .map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i])))
        .join('  ')
        .trimEnd(),
    )
    .map((l) => `${l}\n`)
    .join('');
}
