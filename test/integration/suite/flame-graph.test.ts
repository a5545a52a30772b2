import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { expandFlameTree, type FlameTree } from '../../../src/core/flame/flame-tree';
import { matchFunctions, searchTree } from '../../../src/core/flame/transforms';
import { CommandId } from '../../../src/vscode/command-ids';
import type { FlameGraphView } from '../../../src/vscode/flame-graph/flame-view';
import type { FlameStateReport } from '../../../src/vscode/flame-graph/protocol';
import { api, open, waitFor, wsUri } from '../helpers';

/**
 * The flame graph on the sample workspace (its settings load profiles/sample.perf and
 * the plan): the panel opens and paints, messages round-trip through the webview, a
 * frame opens its source, the webview cannot name paths, the cursor and the plan
 * show in the frames, the custom editor and the differential mode.
 */
describe('flame graph view', () => {
  let view: FlameGraphView;
  let tree: FlameTree;

  before(async () => {
    const a = await api();
    await waitFor('the sample profile to load', () => a.test.session.profile);
    view = (await vscode.commands.executeCommand<FlameGraphView>(CommandId.showFlameGraph))!;
    assert.ok(view, 'the command returns the panel');
    await waitFor('the first paint', () => view.timing.firstPaintMs !== undefined, 60_000);
    tree = expandFlameTree(view.data!.current.tree);
  });

  const state = async () => (await view.ask({ kind: 'state' })) as unknown as FlameStateReport;

  it('opens beside the source and paints the loaded profile', async () => {
    const { test } = await api();
    assert.equal(view.shows?.uri.toString(), test.session.profile!.uri.toString());
    assert.equal(view.data!.current.total, test.session.profile!.analysis.profile.total);
    // the loaded profile's graph is the one its loading built, with the same mapping:
    // nothing is imported or mapped a second time
    assert.equal(view.data!.current, test.session.profile!.flame);
    const s = await state();
    assert.equal(s.nodes, tree.count);
    assert.ok(s.drawn > 1 && s.drawn <= tree.count, `drew ${s.drawn} of ${tree.count} frames`);
    assert.equal(s.mode, 'tree');
    assert.equal(s.differential, false);
    assert.ok(s.firstPaintMs !== null);
    assert.deepEqual(s.breadcrumb, ['all']);
    // recorded, never asserted: worker time, extension-host time posting the data, first paint
    console.log(`[flame] ${tree.count} nodes; timing (ms) ${JSON.stringify(view.timing)}`);
  });

  it('round-trips a search through the webview and reports the matched share', async () => {
    const pattern = 'EvaluationContext::child';
    const s = await view.ask({ kind: 'search', pattern });
    const f = view.data!.current.functions;
    const expected = searchTree(
      tree,
      matchFunctions(
        f.names.map((n, i) => `${n}\n${f.fullNames[i]}`),
        pattern,
      ),
    );
    assert.ok(expected.nodes > 0, 'the sample has EvaluationContext::child frames');
    assert.equal(s.searchNodes, expected.nodes);
    assert.equal(s.searchShare, expected.share);
    assert.match(String(s.searchInfo), /^matched [\d.]+% of total/);
    const cleared = await view.ask({ kind: 'search', pattern: '' });
    assert.equal(cleared.searchShare, null);
  });

  it('zooms into a frame with a breadcrumb back to the root', async () => {
    const node = tree.end[0] > 2 ? 2 : 1;
    const s = await view.ask({ kind: 'zoom', node });
    assert.equal(s.zoom, node);
    assert.equal((s.breadcrumb as string[]).length, tree.depth[node] + 1);
    await view.ask({ kind: 'zoom', node: 0 });
  });

  it('opens the mapped source line of a frame', async () => {
    const { test } = await api();
    const top = test.session.profile!.analysis.hotspots[0];
    const f = view.data!.current.functions;
    const func = f.hotspotKeys.indexOf(top.key);
    assert.ok(func >= 0, `${top.key} is in the flame graph`);
    let node = -1;
    for (let i = 1; i < tree.count; i++)
      if (tree.func[i] === func && (node < 0 || tree.total[i] > tree.total[node])) node = i;
    await view.ask({ kind: 'activate', node });
    const editor = await waitFor('the source to open', () => {
      const e = vscode.window.activeTextEditor;
      return e?.document.uri.path.endsWith(`/${f.files[func]}`) ? e : undefined;
    });
    assert.equal(editor.selection.active.line + 1, f.lines[func]);
    assert.ok(f.lines[func] >= top.line && f.lines[func] <= top.endLine);
  });

  it('refuses messages that name a path or a function it did not send', async () => {
    const before = vscode.window.activeTextEditor?.document.uri.toString();
    assert.equal(await view.receive({ type: 'open', file: '/etc/passwd', line: 1 }), false);
    assert.equal(await view.receive({ type: 'open', func: 10_000_000 }), false);
    assert.equal(await view.receive({ type: 'open', func: -1 }), false);
    assert.equal(await view.receive({ type: 'select', func: 'x' }), false);
    assert.equal(await view.receive({ type: 'nope' }), false);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), before);
  });

  it('focuses a function by its Hotspots key (the CodeLens and hover entry point)', async () => {
    const { test } = await api();
    const h = test.session.profile!.analysis.hotspots[1];
    await vscode.commands.executeCommand(CommandId.flameGraphFocusFunction, h.key);
    const s = await waitFor('the function to be selected', async () => {
      const st = await state();
      return st.selected > 0 && view.data!.current.functions.hotspotKeys[tree.func[st.selected]] === h.key
        ? st
        : undefined;
    });
    assert.equal(s.zoom, s.selected);
  });

  it('highlights the frames of the hot function under the cursor', async () => {
    const { test } = await api();
    const h = test.session.profile!.analysis.hotspots[0];
    const editor = await open(h.file);
    const line = h.line; // 1-based
    editor.selection = new vscode.Selection(line, 0, line, 0);
    const expected = [...tree.func].filter(
      (fn) => fn >= 0 && view.data!.current.functions.hotspotKeys[fn] === h.key,
    ).length;
    const s = await waitFor('the highlight', async () => {
      const st = await state();
      return st.highlighted > 0 ? st : undefined;
    });
    assert.equal(s.highlighted, expected);
  });

  it('marks the frames of functions a plan section covers', async () => {
    const { test } = await api();
    await waitFor('the plan', () => test.session.plans.length > 0);
    const keys = new Set(
      test.session
        .profile!.analysis.hotspots.filter((h) => test.session.planLinksFor(h).length > 0)
        .map((h) => h.key),
    );
    assert.ok(keys.size > 0, 'the sample plan covers some hotspots');
    const expected = [...tree.func].filter(
      (fn) => fn >= 0 && keys.has(view.data!.current.functions.hotspotKeys[fn]),
    ).length;
    const s = await waitFor('the plan marks', async () => {
      const st = await state();
      return st.planMarked > 0 ? st : undefined;
    });
    assert.equal(s.planMarked, expected);
  });

  it('shows the sandwich of a function: callers and callees both sum to its total', async () => {
    const f = tree.func[1];
    const s = await view.ask({ kind: 'sandwich', func: f });
    assert.equal(s.mode, 'sandwich');
    assert.equal(s.callersTotal, s.functionTotal);
    assert.equal(s.calleesTotal, s.functionTotal);
    assert.ok(Number(s.functionTotal) > 0);
  });

  it('opens a profile file with the read-only custom editor', async () => {
    const { test } = await api();
    const uri = wsUri('profiles/sample.folded');
    await vscode.commands.executeCommand('vscode.openWith', uri, 'hotspotLens.flameGraph');
    const editorView = await waitFor(
      'the custom editor to paint',
      () =>
        test.flameGraph.openViews.find(
          (v) => v.shows?.uri.toString() === uri.toString() && v.timing.firstPaintMs !== undefined,
        ),
      60_000,
    );
    assert.notEqual(editorView, test.flameGraph.panel);
    const s = (await editorView.ask({ kind: 'state' })) as unknown as FlameStateReport;
    assert.equal(s.nodes, editorView.data!.current.tree.parent.length);
    assert.equal(editorView.data!.current.title, 'sample.folded');
    editorView.dispose();
  });

  it('colours a differential flame graph from a baseline and keeps the disappeared stacks', async () => {
    const { test } = await api();
    const current = wsUri('profiles/sample.folded');
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(current));
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    // the baseline: the first stack ten times heavier, one stack that no longer occurs
    const [stack, count] = [
      lines[0].slice(0, lines[0].lastIndexOf(' ')),
      Number(lines[0].slice(lines[0].lastIndexOf(' ') + 1)),
    ];
    const baselineText = [`${stack} ${count * 10}`, ...lines.slice(1), 'main;gone_function 7', ''].join('\n');
    const baseline = wsUri('profiles/baseline.folded');
    await vscode.workspace.fs.writeFile(baseline, new TextEncoder().encode(baselineText));
    const v = (await vscode.commands.executeCommand<FlameGraphView>(CommandId.showFlameGraph, {
      profile: current,
      baseline,
    }))!;
    await waitFor('the differential data', () => (v.data?.baseline ? v : undefined), 60_000);
    const s = await waitFor('the differential paint', async () => {
      const st = (await v.ask({ kind: 'state' })) as unknown as FlameStateReport;
      return st.differential ? st : undefined;
    });
    assert.equal(s.mode, 'tree');
    assert.equal(v.data!.baseline!.title, 'baseline.folded');
    assert.equal((s as unknown as { disappearedWeight: number }).disappearedWeight, 7);
    // reload the loaded profile's graph in the panel for the other tests' sake
    await vscode.commands.executeCommand(CommandId.showFlameGraph, { profile: test.session.profile!.uri });
  });
});
