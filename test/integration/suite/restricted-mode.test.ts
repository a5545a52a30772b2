import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, recordedPerfData, waitFor, wsUri } from '../helpers';

/**
 * Runs only in the harness's Restricted Mode window: Workspace Trust is on and the
 * folder is not trusted. Hotspot Lens still reads and shows profiles and plans, but
 * runs no external program (no `perf script` for perf.data).
 */
describe('Restricted Mode (untrusted workspace)', () => {
  it('the folder really is untrusted and the extension is active', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const { test } = await api();
    assert.ok(test);
  });

  it('still reads and shows the profile and the plan', async () => {
    const { test } = await api();
    await waitFor('the sample profile to load', () => test.session.profile);
    await waitFor('the sample plan to load', () => test.session.plans.length > 0);
    assert.ok(test.session.profile!.analysis.hotspots.length > 10);
    assert.ok(test.planRows().length > 3);
  });

  it('refuses perf.data (it would run perf script) and keeps the loaded profile', async () => {
    const { test } = await api();
    const before = test.session.profile!;
    const target = wsUri('profiles/perf.data');
    await vscode.workspace.fs.copy(recordedPerfData(), target, {
      overwrite: true,
    });
    assert.equal(await test.loadProfile(target), false);
    assert.equal(test.session.profile, before, 'the previous profile is still loaded, whole');
  });

  it('Record Profile is off and says why, and runs nothing', async () => {
    const { test } = await api();
    const before = test.session.profile!;
    const r = await vscode.commands.executeCommand<{ ok: boolean; error?: string }>(
      'hotspotLens.recordProfile',
      {
        profiler: 'perf',
        command: ['true'],
      },
    );
    assert.equal(r?.ok, false);
    assert.match(
      r?.error ?? '',
      /Record Profile runs programs .* Restricted Mode does not allow\. Trust this folder/,
    );
    assert.equal(test.session.profile, before);
  });
});
