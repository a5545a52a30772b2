import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, repoUri, waitFor, wsUri } from '../helpers';

describe('path mapping: a profile recorded under another prefix', () => {
  let previous: vscode.Uri | undefined;

  before(async () => {
    const { test } = await api();
    await waitFor('the sample profile to load', () => test.session.profile);
    previous = test.session.profile?.uri;
  });

  after(async () => {
    const { test } = await api();
    if (previous) await test.loadProfile(previous);
  });

  it('maps perf srcline paths from the recording machine onto this workspace', async () => {
    const { test } = await api();
    // the ground truth was recorded in the repository's examples/rust-sample; the harness
    // opened a copy of it elsewhere, so every absolute path in it has another prefix
    const target = wsUri('profiles/recorded-elsewhere.perf');
    await vscode.workspace.fs.copy(repoUri('test/fixtures/ground-truth/sample.srcline.perf'), target, {
      overwrite: true,
    });
    assert.equal(await test.loadProfile(target), true);
    const a = test.session.profile!.analysis;
    assert.equal(a.profile.format, 'perf-script');
    const files = new Set(a.hotspots.map((h) => h.file));
    for (const f of ['src/evaluator/engine.rs', 'src/evaluator/context.rs', 'src/model/value.rs']) {
      assert.ok(files.has(f), `${f} among ${[...files].join(', ')}`);
    }
    for (const f of files) assert.ok(!f.startsWith('/'), `workspace-relative: ${f}`);
    const inferred = Object.entries(a.inferredPathMappings);
    assert.ok(
      inferred.some(([from]) => from.endsWith('/examples/rust-sample') || from.includes('rust-sample')),
      JSON.stringify(inferred),
    );
    // and the lines land in the workspace's file
    const lines = a.lines['src/evaluator/engine.rs'] ?? [];
    assert.ok(lines.length > 0, 'hot lines in engine.rs');
  });

  it('a configured prefix mapping is used', async () => {
    const { test } = await api();
    const cfg = vscode.workspace.getConfiguration('hotspotLens');
    // the variable the setting documents, written literally (not a template)
    const workspaceFolderVariable = ['$', '{workspaceFolder}'].join('');
    await cfg.update(
      'pathMappings',
      { '/work/main/examples/rust-sample': workspaceFolderVariable },
      vscode.ConfigurationTarget.Workspace,
    );
    try {
      assert.equal(await test.loadProfile(wsUri('profiles/recorded-elsewhere.perf')), true);
      const a = test.session.profile!.analysis;
      assert.deepEqual(Object.keys(a.inferredPathMappings), [], 'nothing left to infer');
      assert.ok(a.hotspots.some((h) => h.file === 'src/evaluator/engine.rs'));
    } finally {
      await cfg.update('pathMappings', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
