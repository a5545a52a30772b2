import assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'hotspot-lens.hotspot-lens';

describe('activation', () => {
  it('activates, and registers every contributed command', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not installed in the extension host`);
    await ext.activate();
    assert.equal(ext.isActive, true);
    const contributed: string[] = ext.packageJSON.contributes.commands.map(
      (c: { command: string }) => c.command,
    );
    assert.ok(contributed.length >= 6, 'package.json contributes the commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  it('contributes the Plan and Hotspots views, which can be shown', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const views = ext.packageJSON.contributes.views.hotspotLens.map((v: { id: string }) => v.id);
    assert.deepEqual(views, ['hotspotLens.plan', 'hotspotLens.hotspots']);
    // `<view id>.focus` commands exist only for views the workbench registered
    await vscode.commands.executeCommand('hotspotLens.plan.focus');
    await vscode.commands.executeCommand('hotspotLens.hotspots.focus');
  });

  it('every setting has a description', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const props: Record<string, { description?: string; markdownDescription?: string }> =
      ext.packageJSON.contributes.configuration.properties;
    const undocumented = Object.entries(props)
      .filter(([, p]) => !p.description && !p.markdownDescription)
      .map(([k]) => k);
    assert.deepEqual(undocumented, []);
    assert.equal(vscode.workspace.getConfiguration('hotspotLens').get('annotations.lineText'), 'both');
  });
});
