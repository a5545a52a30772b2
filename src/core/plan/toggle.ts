import type { PlanTask, PlanTextEdit, PlanToggleRefusal } from './types';

/**
 * Computes the one-character edit that sets a task's checkbox. (Implementation in progress.)
 */
export function planTaskToggle(
  text: string,
  task: PlanTask,
  done: boolean,
): PlanTextEdit | PlanToggleRefusal {
  void text;
  void task;
  void done;
  return { refused: 'not implemented yet' };
}
