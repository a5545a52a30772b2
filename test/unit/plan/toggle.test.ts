import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parsePlan } from '../../../src/core/plan/parse-plan';
import { planTaskToggle } from '../../../src/core/plan/toggle';
import type { PlanTextEdit, PlanToggleRefusal } from '../../../src/core/plan/types';

function apply(text: string, r: PlanTextEdit | PlanToggleRefusal): string {
  assert.ok(!('refused' in r), `refused: ${'refused' in r ? r.refused : ''}`);
  const e = r as PlanTextEdit;
  return text.slice(0, e.offset) + e.replacement + text.slice(e.offset + e.length);
}

/** A plan built from random lines: line ends, BOM, indentation, trailing spaces, marks vary. */
const planText = fc
  .record({
    bom: fc.boolean(),
    eol: fc.constantFrom('\n', '\r\n', '\r'),
    lines: fc.array(
      fc.oneof(
        fc.record({
          kind: fc.constant('task' as const),
          indent: fc.constantFrom('', '  ', '\t', '    '),
          marker: fc.constantFrom('-', '*', '+', '1.', '2)'),
          gap: fc.constantFrom(' ', '\t', '  '),
          mark: fc.constantFrom(' ', 'x'),
          text: fc.stringMatching(/^[a-zA-Z0-9 éñ🚀`*_]{1,20}$/u),
          trailing: fc.constantFrom('', ' ', '\t', '   '),
        }),
        fc.record({
          kind: fc.constant('other' as const),
          text: fc.constantFrom('# Plan', '## Phase 1: Go', '### Week 2', 'Some prose.', '', '```', '- item'),
        }),
      ),
      { minLength: 1, maxLength: 25 },
    ),
  })
  .map(({ bom, eol, lines }) => {
    const body = lines
      .map((l) =>
        l.kind === 'task' ? `${l.indent}${l.marker}${l.gap}[${l.mark}] ${l.text}${l.trailing}` : l.text,
      )
      .join(eol);
    return (bom ? '\uFEFF' : '') + body + eol;
  });

describe('planTaskToggle', () => {
  it('toggling and toggling back restores the text exactly; only one character changes', () => {
    fc.assert(
      fc.property(planText, (text) => {
        const plan = parsePlan(text);
        for (const task of plan.tasks.filter((t) => t.checkbox)) {
          const once = apply(text, planTaskToggle(text, task, !task.done));
          assert.equal(once.length, text.length);
          let diffs = 0;
          for (let i = 0; i < text.length; i++) if (once[i] !== text[i]) diffs++;
          assert.equal(diffs, 1);
          assert.equal(once[task.checkbox!.start + 1], task.done ? ' ' : 'x');
          const moved = parsePlan(once).tasks.find((t) => t.checkbox?.start === task.checkbox!.start)!;
          assert.equal(moved.done, !task.done);
          const back = apply(once, planTaskToggle(once, moved, task.done));
          assert.equal(back, text);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('keeps an upper-case X when asked to tick a ticked task', () => {
    const text = '- [X] done\n';
    const task = parsePlan(text).tasks[0];
    assert.deepEqual(planTaskToggle(text, task, true), { offset: 3, length: 1, replacement: 'X' });
    assert.deepEqual(planTaskToggle(text, task, false), { offset: 3, length: 1, replacement: ' ' });
  });

  it('finds a task again by its text after the document changed', () => {
    const before = '# P\r\n- [ ] alpha\r\n- [ ] beta\r\n';
    const beta = parsePlan(before).tasks[1];
    const after = '# P\r\nNew intro line.\r\n\r\n- [ ] alpha\r\n- [ ] beta\r\n';
    const edit = planTaskToggle(after, beta, true) as PlanTextEdit;
    assert.equal(apply(after, edit), '# P\r\nNew intro line.\r\n\r\n- [ ] alpha\r\n- [x] beta\r\n');
  });

  it('refuses when the task is gone, ambiguous, or has no checkbox', () => {
    const before = '- [ ] alpha\n- [ ] beta\n';
    const beta = parsePlan(before).tasks[1];
    const gone = planTaskToggle('- [ ] alpha\n- [ ] gamma\n', beta, true);
    assert.match((gone as PlanToggleRefusal).refused, /no longer in the plan/);
    const twice = planTaskToggle('- [ ] intro text\n- [ ] beta\n- [ ] beta\n', beta, true);
    assert.match((twice as PlanToggleRefusal).refused, /appears 2 times/);
    const status = parsePlan('- ✅ shipped\n').tasks[0];
    assert.match(
      (planTaskToggle('- ✅ shipped\n', status, false) as PlanToggleRefusal).refused,
      /status mark/,
    );
  });
});
