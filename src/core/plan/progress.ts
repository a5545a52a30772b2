import type { PhaseProgress, Plan, PlanProgress } from './types';

/**
 * Counts done/total tasks of a plan (GFM and status-mark tasks, nested ones included),
 * overall and per phase. A phase's counts include the tasks of its child phases
 * ("Week 1" under "Phase 1"); tasks outside any phase count only overall.
 * @param plan a plan from `parsePlan`
 * @returns `{ done, total, phases }`, phases in document order (by section id)
 */
export function planProgress(plan: Plan): PlanProgress {
  const own = new Map<number, { done: number; total: number }>();
  let done = 0;
  for (const task of plan.tasks) {
    if (task.done) done++;
    if (task.phaseId === null) continue;
    const c = own.get(task.phaseId) ?? { done: 0, total: 0 };
    c.total++;
    if (task.done) c.done++;
    own.set(task.phaseId, c);
  }
  const phases: PhaseProgress[] = [];
  // Sections come in document order and a parent before its descendants, so walking the
  // phases backwards adds each child's totals to its parent after the child is complete.
  const totals = new Map<number, { done: number; total: number }>();
  const phaseSections = plan.sections.filter((s) => s.phase !== null);
  for (let i = phaseSections.length - 1; i >= 0; i--) {
    const s = phaseSections[i];
    const t = totals.get(s.id) ?? { done: 0, total: 0 };
    const o = own.get(s.id);
    if (o) {
      t.done += o.done;
      t.total += o.total;
    }
    totals.set(s.id, t);
    const parentPhase = s.parentId !== null ? plan.sections[s.parentId].phaseId : null;
    if (parentPhase !== null) {
      const p = totals.get(parentPhase) ?? { done: 0, total: 0 };
      p.done += t.done;
      p.total += t.total;
      totals.set(parentPhase, p);
    }
  }
  for (const s of phaseSections) {
    const t = totals.get(s.id) ?? { done: 0, total: 0 };
    phases.push({ phaseId: s.id, title: s.title, done: t.done, total: t.total });
  }
  return { done, total: plan.tasks.length, phases };
}
