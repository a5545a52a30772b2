import { parsePlan } from './parse-plan';
import type { PlanTask, PlanTextEdit, PlanToggleRefusal } from './types';

function lineAround(text: string, offset: number): string {
  let s = offset;
  while (s > 0 && text[s - 1] !== '\n' && text[s - 1] !== '\r') s--;
  let e = offset;
  while (e < text.length && text[e] !== '\n' && text[e] !== '\r') e++;
  return text.slice(s, e);
}

function editAt(text: string, start: number, done: boolean): PlanTextEdit | PlanToggleRefusal {
  const mark = text[start + 1];
  const want = done ? 'x' : ' ';
  // Already in the wanted state: an empty-effect edit keeps callers simple.
  if ((done && (mark === 'x' || mark === 'X')) || (!done && mark === ' ')) {
    return { offset: start + 1, length: 1, replacement: mark };
  }
  return { offset: start + 1, length: 1, replacement: want };
}

/**
 * Computes the edit that ticks (`done = true`) or unticks a GFM task in the current
 * text of its plan: the one character between the brackets becomes `'x'` or `' '`;
 * nothing else changes, so CRLF, BOM, tabs and trailing spaces are kept byte for byte.
 *
 * The task's checkbox range (from `parsePlan` on an earlier version of the text) is
 * trusted only if `text` still has `[ ]`/`[x]`/`[X]` there on a line that, checkbox
 * aside, reads like the task's line did. Otherwise the text is parsed again and the task
 * is found by its text; exactly one task with that text must exist.
 *
 * @param text the plan's current text
 * @param task a task from `parsePlan` (of this or an earlier version of the text)
 * @param done the wanted state
 * @returns `{ offset, length: 1, replacement }` (offset 0-based UTF-16 into `text`), or
 *   `{ refused }` with a sentence for the user: status-mark task (not tickable), task
 *   no longer in the plan, or several tasks with the same text. Never throws.
 */
export function planTaskToggle(
  text: string,
  task: PlanTask,
  done: boolean,
): PlanTextEdit | PlanToggleRefusal {
  if (task.checkbox === null) {
    return {
      refused: `"${task.text}" is marked with ${task.statusMark ?? 'a status mark'}, not a checkbox; edit the plan to change it.`,
    };
  }
  const { start } = task.checkbox;
  if (/^\[[ xX]\]$/.test(text.slice(start, start + 3))) {
    const reparsedHere = parsePlan(lineAround(text, start).trimStart());
    const here = reparsedHere.tasks[0];
    if (here && here.checkbox !== null && normalize(here.text) === normalize(task.text)) {
      return editAt(text, start, done);
    }
  }
  const plan = parsePlan(text);
  const matches = plan.tasks.filter((t) => t.checkbox !== null && normalize(t.text) === normalize(task.text));
  if (matches.length === 1) return editAt(text, (matches[0].checkbox as { start: number }).start, done);
  if (matches.length === 0) {
    return {
      refused: `The task "${task.text}" is no longer in the plan (it was edited or removed); reload the plan.`,
    };
  }
  return {
    refused: `The plan has ${matches.length} tasks reading "${task.text}" and the one you picked moved; reload the plan.`,
  };
}

function normalize(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
