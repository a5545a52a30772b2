import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, repoUri, waitFor, wsUri } from '../helpers';

/**
 * Before and after: the real pair recorded by examples/rust-sample/scripts/make-before-after.sh
 * (Phase 2's parent-linked EvaluationContext). Load "before", overwrite the file with "after"
 * (a re-profile), and see the delta lens, the line text, the Changes mode, the status bar and
 * the Plan view's verdict. The sample profile is loaded again at the end.
 */
describe('compare: re-profile, and what changed since the baseline', () => {
  const target = () => wsUri('profiles/reprofile.perf');
  const pair = (name: string) => repoUri(`examples/rust-sample/profiles/before-after/${name}`);

  before(async () => {
    // the sample's configured profile and plan load on activation: let that finish first
    const { test } = await api();
    await waitFor('the sample profile to load', () => test.session.profile);
    await waitFor('the sample plan to load', () => test.session.plans.length > 0);
  });

  after(async () => {
    const { test } = await api();
    await vscode.commands.executeCommand('hotspotLens.clearBaseline');
    test.hotspotsTree.update({ mode: 'hotspots' });
    assert.equal(await test.loadProfile(wsUri('profiles/sample.perf')), true);
    await vscode.workspace.fs.delete(target()).then(undefined, () => undefined);
  });

  it('a re-profile of the loaded file makes the previous profile the baseline', async () => {
    const { test } = await api();
    await vscode.workspace.fs.copy(pair('before.perf'), target(), { overwrite: true });
    assert.equal(await test.loadProfile(target()), true);
    assert.equal(test.session.comparison, undefined, 'no baseline yet');
    const before = test.session.profile;
    // the profiler writes the new recording over the old one
    await vscode.workspace.fs.copy(pair('after.perf'), target(), { overwrite: true });
    const comparison = await waitFor('the re-profile to be compared', () =>
      test.session.profile !== before ? test.session.comparison : undefined,
    );
    assert.match(test.session.baseline!.label, /^reprofile\.perf before the re-profile of \d\d:\d\d$/);
    assert.equal(comparison.normalization, 'absolute');
    assert.ok(comparison.totals.changePercent! < -20, `total ${comparison.totals.changePercent}%`);
    assert.match(test.statusText(), /vs baseline −\d+% CPU/);
  });

  it('the CodeLens and the line text say how much faster the changed function got', async () => {
    const { test } = await api();
    const child = test.session.profile!.analysis.hotspots.find(
      (f) => f.displayName === 'EvaluationContext::child',
    );
    assert.ok(child);
    const doc = await vscode.workspace.openTextDocument(wsUri(child.file));
    const editor = await vscode.window.showTextDocument(doc);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      doc.uri,
    );
    const heat = lenses
      .filter((l) => l.range.start.line === child.line - 1)
      .map((l) => l.command?.title ?? '')
      .find((t) => t.startsWith('🔥') && t.includes('vs baseline'));
    assert.ok(heat, JSON.stringify(lenses.map((l) => l.command?.title)));
    const m = /▼(\d+)% vs baseline$/.exec(heat);
    assert.ok(m && Number(m[1]) >= 90, heat);
    const line = await waitFor('the line text with the change', () =>
      test
        .decorations(editor.document.uri)
        .find((d) => d.line === child.line && d.text?.includes('vs baseline')),
    );
    assert.match(line.text ?? '', /▼\d+% vs baseline$/);
    assert.equal(line.change, 'improved');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      doc.uri,
      new vscode.Position(child.line - 1, 4),
    );
    const md = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
      .join('\n');
    assert.match(
      md,
      /vs baseline.*total [\d.]+% → [\d.]+% \(.+ → .+; ▼\d+% vs baseline, beyond sampling noise/,
    );
  });

  it('the Changes mode lists what got slower first, then what got faster', async () => {
    const { test } = await api();
    await vscode.commands.executeCommand('hotspotLens.hotspots.showChanges');
    const rows = test.hotspotRows();
    const labels = rows.map((r) => r.label);
    assert.ok(labels.includes('Faster'), JSON.stringify(labels));
    if (labels.includes('Slower')) assert.ok(labels.indexOf('Slower') < labels.indexOf('Faster'));
    const faster = rows.find((r) => r.label === 'Faster')!.children;
    const child = faster.find((c) => c.label === 'EvaluationContext::child');
    assert.ok(child, JSON.stringify(faster.map((c) => c.label)));
    assert.match(
      child.description,
      /^▼\d+% vs baseline · [\d.]+% → [\d.<]+% total · src\/evaluator\/context\.rs:\d+$/,
    );
    // by size of the change: the biggest drop first
    const sizes = faster.map((c) => c.description);
    assert.ok(sizes.length > 1);
    test.hotspotsTree.update({ mode: 'hotspots' });
  });

  it('the Plan view checks the claims and the expected gain against the new profile', async () => {
    const { test } = await api();
    await waitFor('the plan', () => test.session.plans.length > 0);
    const rows = test.planRows();
    const all = rows.flatMap((r) => [r, ...r.children]);
    const verdict = all.find((r) => /expected [\d.–]+%, measured [\d.]+%/.test(r.description));
    assert.ok(verdict, JSON.stringify(all.map((r) => `${r.label}: ${r.description}`)));
    assert.match(verdict.description, /[✓◐✗] expected/);
    const check = test.session.planCheckFor(test.session.plans[0].uri)!;
    const claim = check.claims.find((c) => /EvaluationContext::child/.test(c.symbol));
    assert.ok(claim && claim.baselinePercent! > 10 && claim.nowPercent! < 2, JSON.stringify(claim));
  });

  it('Clear Baseline ends the comparison; Compare with Baseline… sets one from a file', async () => {
    const { test } = await api();
    await vscode.commands.executeCommand('hotspotLens.clearBaseline');
    assert.equal(test.session.comparison, undefined);
    assert.doesNotMatch(test.statusText(), /vs baseline/);
    // a baseline in another format of the same recording: the SVG of "before"
    assert.equal(await test.compareWithBaseline(pair('before.svg')), true);
    const c = test.session.comparison!;
    assert.ok(c.totals.changePercent! < -20, `SVG baseline: total ${c.totals.changePercent}%`);
  });
});
