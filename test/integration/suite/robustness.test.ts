import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, bytes, recordedPerfData, waitFor, wsUri } from '../helpers';

const enc = new TextEncoder();

describe('robustness: bad input, limits, cancelling, paths outside the workspace', () => {
  before(async () => {
    const { test } = await api();
    await waitFor('the sample profile to load', () => test.session.profile);
    await waitFor('the sample plan to load', () => test.session.plans.length > 0);
  });

  it('a file that is no profile leaves the loaded profile in place', async () => {
    const { test } = await api();
    const before = test.session.profile!;
    const target = wsUri('profiles/not-a-profile.txt');
    await vscode.workspace.fs.writeFile(target, enc.encode('hello\nthis is not a profile\n'));
    assert.equal(await test.loadProfile(target), false);
    assert.equal(test.session.profile, before);
  });

  it('a truncated profile gets an error and nothing half-loaded', async () => {
    const { test } = await api();
    const before = test.session.profile!;
    const cpu = wsUri('profiles/truncated.cpuprofile');
    await vscode.workspace.fs.writeFile(
      cpu,
      enc.encode('{"nodes":[{"id":1,"callFrame":{"functionName":"(root)","url":""'),
    );
    assert.equal(await test.loadProfile(cpu), false);
    assert.equal(test.session.profile, before);
  });

  it('a profile over hotspotLens.maxProfileSizeMB is refused with a message', async () => {
    const { test } = await api();
    const before = test.session.profile!;
    const sample = await bytes(wsUri('profiles/sample.perf'));
    const big = new Uint8Array(sample.length * 2 + 1);
    big.set(sample, 0);
    big.set(enc.encode('\n'), sample.length);
    big.set(sample, sample.length + 1);
    const target = wsUri('profiles/big.perf');
    await vscode.workspace.fs.writeFile(target, big);
    const cfg = vscode.workspace.getConfiguration('hotspotLens');
    await cfg.update('maxProfileSizeMB', 1, vscode.ConfigurationTarget.Workspace);
    try {
      assert.ok(big.length > 1024 * 1024);
      assert.equal(await test.loadProfile(target), false);
      assert.equal(test.session.profile, before);
    } finally {
      await cfg.update('maxProfileSizeMB', undefined, vscode.ConfigurationTarget.Workspace);
    }
    // under the limit the same file loads (two copies of the recording: twice the samples)
    assert.equal(await test.loadProfile(target), true);
    assert.equal(test.session.profile!.analysis.profile.total, before.analysis.profile.total * 2);
    assert.equal(await test.loadProfile(before.uri), true);
  });

  it('cancelling a load keeps the previous profile', async () => {
    const { test } = await api();
    const before = test.session.profile!;
    // a profile big enough that its load is still running when cancelled, even with the
    // loading worker already started and the workspace index in memory (20 copies, ~11 MB)
    const sample = await bytes(wsUri('profiles/sample.perf'));
    const copies = 20;
    const huge = new Uint8Array((sample.length + 1) * copies);
    for (let i = 0; i < copies; i++) {
      huge.set(sample, i * (sample.length + 1));
      huge[i * (sample.length + 1) + sample.length] = 10;
    }
    const target = wsUri('profiles/huge.perf');
    await vscode.workspace.fs.writeFile(target, huge);
    const pending = test.loadProfile(target);
    const t0 = Date.now();
    while (!test.loading()) {
      if (Date.now() - t0 > 5000) throw new Error('timed out after 5000 ms waiting for the load to start');
      await new Promise((r) => setTimeout(r, 2));
    }
    test.cancelLoad();
    assert.equal(await pending, false);
    assert.equal(test.loading(), false);
    assert.equal(test.session.profile, before);
  });

  it('in a trusted workspace perf.data is read through perf script', async () => {
    const { test } = await api();
    assert.equal(vscode.workspace.isTrusted, true);
    const before = test.session.profile!;
    const target = wsUri('profiles/perf.data');
    await vscode.workspace.fs.copy(recordedPerfData(), target, {
      overwrite: true,
    });
    assert.equal(await test.loadProfile(target), true);
    assert.equal(test.session.profile!.analysis.profile.format, 'perf-data');
    assert.ok(test.session.profile!.analysis.profile.total > 0);
    assert.equal(await test.loadProfile(before.uri), true);
  });

  it('a plan location outside the workspace is shown as outside and not opened without confirmation', async () => {
    const { test } = await api();
    const planUri = wsUri('outside-plan.md');
    await vscode.workspace.fs.writeFile(
      planUri,
      enc.encode(
        '# Plan\n\n## Phase 1: Paths\n\n- [ ] read `../../etc/passwd`\n- [ ] and `/etc/hostname`\n- [ ] and `src/model/value.rs`\n',
      ),
    );
    const previous = test.session.plans.map((p) => p.uri);
    try {
      assert.equal(await test.loadPlans([planUri]), true);
      const plan = test.session.plans[0].plan;
      const outside = plan.locations.filter((l) => l.path.includes('etc/'));
      assert.equal(outside.length, 2, JSON.stringify(plan.locations));
      const rows = test.planRows().flatMap((r) => r.children);
      for (const l of outside) {
        assert.equal(test.plans.locationState(planUri, l).kind, 'outside');
        assert.ok(rows.some((r) => r.label.includes(l.path) && r.description === 'outside the workspace'));
      }
      const inside = plan.locations.find((l) => l.path === 'src/model/value.rs')!;
      assert.equal(test.plans.locationState(planUri, inside).kind, 'found');
      // declined: nothing opens
      const asked: string[] = [];
      test.plans.confirmOutside = async (m) => {
        asked.push(m);
        return false;
      };
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.commands.executeCommand('hotspotLens.plan.openLocation', {
        planUri,
        location: outside[0],
      });
      assert.equal(asked.length, 1);
      assert.match(asked[0], /outside the workspace/);
      assert.equal(vscode.window.activeTextEditor, undefined, 'nothing was opened');
    } finally {
      test.plans.confirmOutside = async () => false;
      await test.loadPlans(previous);
    }
  });
});
