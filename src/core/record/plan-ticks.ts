import type { Plan, PlanPhase, PlanTask } from '../plan/types';

/**
 * Which plan tasks were ticked since the baseline was recorded. A recording's sidecar keeps
 * the tasks that were done when it was recorded ({@link PlanDone}); a phase whose tasks are
 * done now but were not then is what the comparison with that baseline measures.
 * Tasks are matched by their text (a task reworded since counts as new).
 */

/** Done tasks' texts of each plan, by the plan's workspace-relative path. */
export type PlanDone = Readonly<Record<string, readonly string[]>>;

function walk(tasks: readonly PlanTask[], out: PlanTask[]): PlanTask[] {
  for (const t of tasks) {
    out.push(t);
    walk(t.children, out);
  }
  return out;
}

/**
 * The done tasks of each plan (nested tasks included), for a recording's sidecar.
 * @param plans each plan with its workspace-relative path
 */
export function planDoneOf(plans: readonly { readonly file: string; readonly plan: Plan }[]): PlanDone {
  const out: Record<string, string[]> = {};
  // Plan.tasks lists every task, nested ones included, in document order
  for (const p of plans) out[p.file] = p.plan.tasks.filter((t) => t.done).map((t) => t.text);
  return out;
}

/**
 * The tasks of a phase (its own and nested ones, not those of child phases) done now but not
 * when the baseline was recorded.
 * @param baseline the baseline recording's {@link PlanDone}
 * @param planFile the plan's workspace-relative path (the key in `baseline`)
 * @returns the tasks, in document order; empty when the baseline did not record this plan
 */
export function tickedSince(baseline: PlanDone, planFile: string, phase: PlanPhase): PlanTask[] {
  const then = baseline[planFile];
  if (!then) return [];
  const before = new Set(then);
  return walk(phase.tasks, []).filter((t) => t.done && !before.has(t.text));
}
