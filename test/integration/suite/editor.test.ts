import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, folder, open, waitFor, wsUri } from '../helpers';

/**
 * The sample workspace's settings load profiles/sample.perf (a real perf recording of
 * the sample) and OPTIMIZATION_PLAN.md: what a person sees in the editor.
 */
describe('editor: heat, CodeLens, hover, Hotspots view, status bar', () => {
  before(async () => {
    const a = await api();
    await waitFor('the sample profile to load', () => a.test.session.profile);
    await waitFor('the sample plan to load', () => a.test.session.plans.length > 0);
  });

  it('loads the profile from the workspace settings', async () => {
    const { test } = await api();
    const p = test.session.profile!;
    assert.equal(p.analysis.profile.format, 'perf-script');
    assert.equal(p.analysis.profile.unit, 'samples');
    assert.equal(p.analysis.profile.total, 438, 'the sample perf script has 438 samples');
    assert.equal(p.folder.uri.toString(), folder().uri.toString());
    assert.match(test.statusText(), /sample\.perf · 438 samples/);
    assert.match(test.statusText(), /Plan \d+\/\d+/);
  });

  it('decorates the hot lines of a file with heat text', async () => {
    const { test } = await api();
    const editor = await open('src/evaluator/context.rs');
    const applied = await waitFor('decorations on context.rs', () => {
      const d = test.decorations(editor.document.uri);
      return d.length > 0 ? d : undefined;
    });
    const child = test.session.profile!.analysis.hotspots.find(
      (f) => f.displayName === 'EvaluationContext::child',
    )!;
    assert.ok(child, 'EvaluationContext::child is a hotspot');
    const inChild = applied.filter((d) => d.line >= child.line && d.line <= child.endLine);
    assert.ok(
      inChild.length > 0,
      `a hot line inside child (lines ${child.line}-${child.endLine}): ${JSON.stringify(applied)}`,
    );
    for (const d of applied) {
      assert.match(d.text ?? '', /^[\d.<]+% total · [\d.<]+% self( · [\d.<]+% incl\. libraries)?$/);
      assert.equal(d.stale, false);
      assert.ok(d.bucket >= 1 && d.bucket <= 4);
    }
    // every decorated line is a line of the document, on a function the profile names
    const text = editor.document.getText().split('\n');
    for (const d of applied) assert.ok(d.line <= text.length);
  });

  it('puts heat, hint and plan lenses on the function that does the cloning', async () => {
    const { test } = await api();
    const doc = await vscode.workspace.openTextDocument(wsUri('src/evaluator/context.rs'));
    const child = test.session.profile!.analysis.hotspots.find(
      (f) => f.displayName === 'EvaluationContext::child',
    )!;
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      doc.uri,
    );
    const onChild = lenses
      .filter((l) => l.range.start.line === child.line - 1)
      .map((l) => l.command?.title ?? '');
    assert.ok(
      onChild.some((t) => /^🔥 [\d.]+% total · [\d.<]+% self( · [\d.<]+% incl\. libraries)?$/.test(t)),
      `heat lens on child: ${JSON.stringify(onChild)}`,
    );
    assert.ok(
      onChild.includes('clone-heavy: consider Cow/Arc'),
      `hint lens on child: ${JSON.stringify(onChild)}`,
    );
    assert.ok(
      onChild.some((t) => t.startsWith('Plan: ')),
      `plan link lens on child: ${JSON.stringify(onChild)}`,
    );
    // the file-top lens: the plan names this file as an implementation location
    const top = lenses.filter((l) => l.range.start.line === 0).map((l) => l.command?.title ?? '');
    assert.ok(
      top.some((t) => /^Plan · .+ · \d+\/\d+ tasks done$/.test(t)),
      `file-top plan lens: ${JSON.stringify(top)}`,
    );
  });

  it('marks Value::deep_clone clone-heavy, and a cold function gets no lens', async () => {
    const { test } = await api();
    const doc = await vscode.workspace.openTextDocument(wsUri('src/model/value.rs'));
    const deep = test.session.profile!.analysis.hotspots.find((f) => f.displayName === 'Value::deep_clone')!;
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      doc.uri,
    );
    const titles = lenses.filter((l) => l.range.start.line === deep.line - 1).map((l) => l.command?.title);
    assert.ok(titles.includes('clone-heavy: consider Cow/Arc'), JSON.stringify(titles));
    const hotLines = new Set(test.session.functionsIn(doc.uri).map((f) => f.line - 1));
    for (const l of lenses) {
      if (l.range.start.line !== 0)
        assert.ok(hotLines.has(l.range.start.line), `lens on a cold line ${l.range.start.line + 1}`);
    }
  });

  it('hovers show self/total, callers, callees, evidence and the plan', async () => {
    const { test } = await api();
    const doc = await vscode.workspace.openTextDocument(wsUri('src/evaluator/context.rs'));
    const child = test.session.profile!.analysis.hotspots.find(
      (f) => f.displayName === 'EvaluationContext::child',
    )!;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      doc.uri,
      new vscode.Position(child.line - 1, 4),
    );
    const md = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
      .join('\n');
    assert.match(md, /EvaluationContext::child/);
    assert.match(md, /[\d.]+% total \(\d+ samples?\) · [\d.<]+% self \(\d+ samples?\)/);
    assert.match(md, /Callers: /);
    assert.match(md, /Callees: /);
    assert.match(md, /clone-heavy: consider Cow\/Arc/);
    assert.match(md, /Evidence: \d+% of its time in/);
    assert.match(md, /📋 Plan: /);
  });

  it('lists hotspots by self incl. libraries, by total and by self, grouped by category and filtered', async () => {
    const { test } = await api();
    const tree = test.hotspotsTree;
    // the ranking a user reads first: what a function is responsible for, so the
    // entry points (main, run: most of the total, no self) do not head it
    tree.update({ sortBy: 'selfInclLibraries', groupBy: 'none', onlyMyCode: true, filter: '' });
    const ranked = test.hotspotRows();
    assert.match(ranked[0].description, /^[\d.]+% incl\. libraries · [\d.<]+% self · [\d.]+% total · src\//);
    assert.ok(!['main', 'run'].includes(ranked[0].label), ranked[0].label);
    const incl = ranked.map((r) => Number.parseFloat(r.description));
    assert.deepEqual(
      incl,
      [...incl].sort((a, b) => b - a),
    );
    tree.update({ sortBy: 'total' });
    const byTotal = test.hotspotRows();
    assert.ok(byTotal.length >= 10);
    assert.match(
      byTotal[0].description,
      /^[\d.]+% total · [\d.<]+% self( · [\d.<]+% incl\. libraries)? · src\//,
    );
    const totals = byTotal.map((r) => Number.parseFloat(r.description));
    assert.deepEqual(
      totals,
      [...totals].sort((a, b) => b - a),
    );
    tree.update({ sortBy: 'self' });
    assert.match(test.hotspotRows()[0].description, /^[\d.<]+% self · /);
    tree.update({ sortBy: 'selfInclLibraries' });
    tree.update({ groupBy: 'category' });
    const groups = test.hotspotRows().map((r) => r.label);
    assert.ok(groups.includes('clone-heavy'), JSON.stringify(groups));
    tree.update({ groupBy: 'none', filter: 'deep_clone' });
    assert.deepEqual(
      test.hotspotRows().map((r) => r.label),
      ['Value::deep_clone'],
    );
    tree.update({ filter: '', onlyMyCode: false, sortBy: 'total' });
    const all = test.hotspotRows();
    assert.ok(all.some((r) => /library|rust-std|system/.test(r.description)));
    // perf's [unknown] is not a library function: it has a group of its own, last
    assert.ok(!all.some((r) => r.label === '[unknown]'), 'pseudo-frames are not ranked');
    const pseudo = all[all.length - 1];
    assert.equal(pseudo.label, 'Not functions');
    assert.ok(pseudo.children.some((c) => c.label === '[unknown]' && /unsymbolized/.test(c.description)));
    tree.update({ onlyMyCode: true, sortBy: 'selfInclLibraries' });
  });

  it('opening a file from the Hotspots view scrolls to its hottest function', async () => {
    const { test } = await api();
    const tree = test.hotspotsTree;
    tree.update({ sortBy: 'selfInclLibraries', groupBy: 'file', onlyMyCode: true, filter: '' });
    try {
      const file = 'src/evaluator/context.rs';
      const group = tree.getChildren().find((n) => tree.getTreeItem(n).label === file);
      assert.ok(group, 'a group for context.rs');
      const command = tree.getTreeItem(group).command;
      assert.ok(command, 'the file group opens the file');
      await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
      const hottest = test.session.profile!.analysis.hotspots.find((f) => f.file === file)!;
      const editor = await waitFor('the file to open', () =>
        vscode.window.activeTextEditor?.document.uri.path.endsWith(file)
          ? vscode.window.activeTextEditor
          : undefined,
      );
      assert.equal(editor.selection.active.line, hottest.line - 1, `at ${hottest.displayName}`);
    } finally {
      tree.update({ groupBy: 'none' });
    }
  });

  it('toggles annotations off and on', async () => {
    const { test } = await api();
    const editor = await open('src/evaluator/context.rs');
    await vscode.commands.executeCommand('hotspotLens.toggleAnnotations');
    await waitFor('decorations cleared', () => test.decorations(editor.document.uri).length === 0);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      editor.document.uri,
    );
    assert.equal(lenses.length, 0);
    await vscode.commands.executeCommand('hotspotLens.toggleAnnotations');
    await waitFor('decorations back', () => test.decorations(editor.document.uri).length > 0);
  });
});
