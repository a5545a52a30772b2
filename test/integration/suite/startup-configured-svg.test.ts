import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { HotspotLensApi } from '../../../src/extension';
import { EXTENSION_ID, waitFor, wsUri } from '../helpers';

// Runs in the harness's `startup` window: a copy of the sample whose only profile is its
// flame graph SVG, configured in .vscode/settings.json, and no file a `workspaceContains`
// activation event names. Nothing here activates the extension: its own activation
// events must, and the configured profile and plan must then be on screen.
describe('startup: a configured SVG profile loads when the workspace opens', () => {
  let api: HotspotLensApi;

  before(async () => {
    const ext = vscode.extensions.getExtension<HotspotLensApi>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed`);
    await waitFor('the extension to activate by itself', () => ext.isActive, 30_000);
    api = ext.exports;
  });

  it('loads the configured SVG and plan without any command being run', async () => {
    const { test } = api;
    await waitFor('the configured profile to load', () => test.session.profile, 30_000);
    const profile = test.session.profile!;
    assert.equal(profile.analysis.profile.format, 'flamegraph-svg');
    assert.equal(path.basename(profile.uri.fsPath), 'flamegraph.svg');
    await waitFor('the configured plan to load', () => test.session.plans.length > 0, 30_000);
    assert.match(test.statusText(), /flamegraph\.svg/);
  });

  it('shows the heat and the lenses on the hottest function', async () => {
    const { test } = api;
    const child = test.session.profile!.analysis.hotspots.find(
      (f) => f.displayName === 'EvaluationContext::child',
    );
    assert.ok(child, 'the SVG maps EvaluationContext::child');
    const editor = await vscode.window.showTextDocument(wsUri(child.file));
    const applied = await waitFor('heat on the open editor', () => {
      const d = test.decorations(editor.document.uri);
      return d.length > 0 ? d : undefined;
    });
    assert.ok(
      applied.some((d) => d.line >= child.line && d.line <= child.endLine),
      `heat inside ${child.displayName}: ${JSON.stringify(applied)}`,
    );
    const titles = await waitFor('the heat lens', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
        'vscode.executeCodeLensProvider',
        editor.document.uri,
      );
      const t = lenses
        .filter((l) => l.range.start.line === child.line - 1)
        .map((l) => l.command?.title ?? '');
      return t.some((x) => x.startsWith('🔥')) ? t : undefined;
    });
    assert.ok(titles.includes('clone-heavy: consider Cow/Arc'), JSON.stringify(titles));
  });

  it('reports how long activation took', () => {
    const t = api.test.activation;
    assert.ok(t.loadMs >= 0 && t.wireMs >= 0, JSON.stringify(t));
    const out = process.env.HOTSPOT_LENS_TEST_RESULTS;
    if (out) fs.writeFileSync(path.join(out, 'activation.json'), `${JSON.stringify(t, null, 2)}\n`);
    console.log(
      `[startup] activation: ${(t.loadMs + t.wireMs).toFixed(1)} ms (loading the code ${t.loadMs.toFixed(1)} ms, wiring ${t.wireMs.toFixed(1)} ms)`,
    );
  });
});
