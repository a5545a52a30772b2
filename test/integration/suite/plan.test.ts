import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, bytes, waitFor, wsUri } from '../helpers';

const PLAN = 'OPTIMIZATION_PLAN.md';

describe('plan: tree, ticking, locations, hand edits', () => {
  before(async () => {
    const a = await api();
    await waitFor('the sample plan to load', () => a.test.session.plans.length > 0);
  });

  it('shows the plan phases with progress and tasks with checkboxes', async () => {
    const { test } = await api();
    const rows = test.planRows();
    const phases = rows.filter((r) => /^Phase \d/.test(r.label));
    assert.ok(phases.length >= 3, `phases: ${JSON.stringify(rows.map((r) => r.label))}`);
    for (const p of phases) assert.match(p.description, /^\d+\/\d+$/);
    const tasks = phases.flatMap((p) => p.children.filter((c) => c.checked !== undefined));
    assert.ok(tasks.length >= 4, 'tasks with checkboxes under the phases');
    assert.ok(
      tasks.some((t) => t.checked === true),
      'a done task is shown ticked',
    );
    assert.ok(
      tasks.some((t) => t.checked === false),
      'an open task is shown unticked',
    );
  });

  it('ticking a task writes [x] to disk; unticking restores the file byte for byte', async () => {
    const { test } = await api();
    const uri = wsUri(PLAN);
    const before = await bytes(uri);
    const plan = test.session.plans[0].plan;
    const task = plan.tasks.find((t) => t.checkbox && !t.done)!;
    assert.ok(task, 'an open task');
    assert.equal(await test.plans.setTaskDone({ planUri: uri, task }, true), true);
    const ticked = new TextDecoder().decode(await bytes(uri));
    const line = ticked.split(/\r?\n/)[task.checkbox!.line - 1];
    assert.equal(line.slice(task.checkbox!.column, task.checkbox!.column + 3), '[x]');
    assert.equal(
      ticked.length,
      new TextDecoder().decode(before).length,
      'one character replaced, nothing else',
    );
    const after = await waitFor('the tree to show the tick', () =>
      test.session.plans[0].plan.tasks.find((t) => t.line === task.line && t.done),
    );
    assert.equal(after.text, task.text);
    assert.equal(await test.plans.setTaskDone({ planUri: uri, task: after }, false), true);
    assert.deepEqual(await bytes(uri), before);
  });

  it('ticking through the tree view checkbox event writes the plan', async () => {
    const { test } = await api();
    const uri = wsUri(PLAN);
    const before = await bytes(uri);
    const task = test.session.plans[0].plan.tasks.find((t) => t.checkbox && !t.done)!;
    await test.plans.onCheckboxes([
      [{ kind: 'task', planUri: uri, task }, vscode.TreeItemCheckboxState.Checked],
    ]);
    const text = new TextDecoder().decode(await bytes(uri));
    assert.ok(text.split(/\r?\n/)[task.line - 1].includes('[x]'));
    const again = test.session.plans[0].plan.tasks.find((t) => t.line === task.line)!;
    await test.plans.onCheckboxes([
      [{ kind: 'task', planUri: uri, task: again }, vscode.TreeItemCheckboxState.Unchecked],
    ]);
    assert.deepEqual(await bytes(uri), before);
  });

  it('refuses to tick a task that is no longer where it was, and writes nothing', async () => {
    const { test } = await api();
    const uri = wsUri(PLAN);
    const task = test.session.plans[0].plan.tasks.find((t) => t.checkbox && !t.done)!;
    const doc = await vscode.workspace.openTextDocument(uri);
    // the user rewrote the task's text in the meantime (unsaved)
    const line = doc.lineAt(task.line - 1);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, line.range, line.text.replace(task.text.slice(0, 8), 'REWORDED'));
    assert.ok(await vscode.workspace.applyEdit(edit));
    const stale = { ...task, text: task.text };
    const before = doc.getText();
    assert.equal(await test.plans.setTaskDone({ planUri: uri, task: stale }, true), false);
    assert.equal(doc.getText(), before, 'no byte written');
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.equal(doc.isDirty, false);
  });

  it('a hand edit of the plan refreshes the tree', async () => {
    const { test } = await api();
    const uri = wsUri(PLAN);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const count = test.session.plans[0].plan.tasks.length;
    const edit = new vscode.WorkspaceEdit();
    edit.insert(
      uri,
      new vscode.Position(doc.lineCount, 0),
      '\n## Phase 9: Added by hand\n\n- [ ] a task typed by hand\n',
    );
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitFor(
      'the tree to show the new task',
      () => test.session.plans[0].plan.tasks.length === count + 1,
    );
    assert.ok(test.planRows().some((r) => r.label === 'Phase 9: Added by hand'));
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitFor('the tree to drop it again', () => test.session.plans[0].plan.tasks.length === count);
  });

  it('a location opens the right file at the right line', async () => {
    const { test } = await api();
    const uri = wsUri(PLAN);
    const plan = test.session.plans[0].plan;
    const withLine = plan.locations.find((l) => l.line !== null && !l.isNew && !l.isOutside)!;
    assert.ok(withLine, 'the plan names a path:line location');
    await vscode.commands.executeCommand('hotspotLens.plan.openLocation', {
      planUri: uri,
      location: withLine,
    });
    const editor = vscode.window.activeTextEditor!;
    assert.ok(editor.document.uri.path.endsWith(withLine.path), editor.document.uri.path);
    assert.equal(editor.selection.active.line, withLine.line! - 1);
    const withSymbol = plan.locations.find((l) => l.symbol && l.line === null && !l.isNew);
    if (withSymbol) {
      await vscode.commands.executeCommand('hotspotLens.plan.openLocation', {
        planUri: uri,
        location: withSymbol,
      });
      const e = vscode.window.activeTextEditor!;
      assert.ok(
        e.document.lineAt(e.selection.active.line).text.includes(withSymbol.symbol!.split(/::/).pop()!),
      );
    }
  });

  it('clicking a task reveals it in the Markdown', async () => {
    const { test } = await api();
    const uri = wsUri(PLAN);
    const task = test.session.plans[0].plan.tasks[0];
    await vscode.commands.executeCommand('hotspotLens.plan.revealTask', uri, task.line);
    const e = vscode.window.activeTextEditor!;
    assert.equal(e.document.uri.toString(), uri.toString());
    assert.equal(e.selection.active.line, task.line - 1);
  });
});
