import type { PhaseProgress, Plan, PlanProgress } from './types';

/**
 * Counts done/total tasks of a plan, overall and per phase. A phase's counts include
 * the tasks of its child phases ("Week 1" under "Phase 1"); GFM tasks and status-mark
 * tasks both count, nested tasks too.
 * @returns overall counts and one entry per phase in document (section) order
 */
export function planProgress(plan: Plan): PlanProgress {
  const own = new Map<number, { done: number; total: number }>();
  for (const t of plan.tasks) {
    if (t.phaseId === null) continue;
    const c = own.get(t.phaseId) ?? { done: 0, total: 0 };
    c.total++;
    if (t.done) c.done++;
    own.set(t.phaseId, c);
  }
  const phases: PhaseProgress[] = [];
  const count = (phase: Plan['phases'][number]): { done: number; total: number } => {
    const c = { ...(own.get(phase.sectionId) ?? { done: 0, total: 0 }) };
    const entry = { phaseId: phase.sectionId, title: phase.title, done: 0, total: 0 };
    phases.push(entry);
    for (const child of phase.children) {
      const k = count(child);
      c.done += k.done;
      c.total += k.total;
    }
    entry.done = c.done;
    entry.total = c.total;
    return c;
  };
  for (const p of plan.phases) count(p);
  phases.sort((a, b) => a.phaseId - b.phaseId);
  return { done: plan.tasks.filter((t) => t.done).length, total: plan.tasks.length, phases };
}
