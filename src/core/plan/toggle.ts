import { parsePlan } from './parse-plan';
import type { PlanTask, PlanTextEdit, PlanToggleRefusal } from './types';

/**
 * Computes the one-character edit that ticks (`done` true → `'x'`) or unticks (`' '`)
 * a GFM task in the current text of its plan. Only the character between the brackets
 * changes, so line ends, BOM, tabs and trailing spaces stay byte for byte.
 *
 * The text is parsed again: when a task with the same text still has its checkbox at
 * the same offset, that checkbox is edited; when the document changed and it moved,
 * the task is found again by its text (only if exactly one checkbox task has it).
 * A task already in the asked state yields an edit that writes the same character.
 *
 * @param text the plan's current text (as `parsePlan` was given it)
 * @param task a task from an earlier `parsePlan` of this plan
 * @param done the state to set
 * @returns the edit (offset in UTF-16 units into `text`, length 1), or `{ refused }`
 *   with a sentence for the user when the task has no checkbox (status-mark tasks),
 *   is no longer in the plan, or its text now matches several tasks
 */
export function planTaskToggle(
  text: string,
  task: PlanTask,
  done: boolean,
): PlanTextEdit | PlanToggleRefusal {
  if (!task.checkbox) {
    return { refused: `"${task.text}" has a status mark, not a checkbox: edit the mark in the plan.` };
  }
  const tasks = parsePlan(text).tasks.filter((t) => t.checkbox !== null);
  const same = tasks.find((t) => t.checkbox!.start === task.checkbox!.start && t.text === task.text);
  let found = same;
  if (!found) {
    const byText = tasks.filter((t) => t.text === task.text);
    if (byText.length === 0) {
      return { refused: `The task "${task.text}" is no longer in the plan (it was edited or removed).` };
    }
    if (byText.length > 1) {
      return {
        refused: `The plan changed and "${task.text}" now appears ${byText.length} times: reload the plan and tick it again.`,
      };
    }
    found = byText[0];
  }
  const offset = found.checkbox!.start + 1;
  const current = text[offset];
  const replacement = done ? (current === 'X' || current === 'x' ? current : 'x') : ' ';
  return { offset, length: 1, replacement };
}
