import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import type { ReportJson } from '../../../src/cli/report-command';
import type { HotFunction } from '../../../src/core/analysis/types';
import { api, folder, open, repoUri, waitFor } from '../helpers';

/** `{ total, self, inclLibraries }` read from a text such as `52.3% total · 18.6% self · 49.5% incl. libraries`. */
function figuresIn(text: string): { total?: number; self?: number; inclLibraries?: number } {
  const read = (word: string) => {
    const m = new RegExp(`(<?[\\d.]+)% ${word}`).exec(text);
    if (!m) return undefined;
    return m[1].startsWith('<') ? 0.05 : Number.parseFloat(m[1]);
  };
  const out: { total?: number; self?: number; inclLibraries?: number } = {};
  const total = read('total');
  const self = read('self');
  const incl = read('incl\\. libraries');
  if (total !== undefined) out.total = total;
  if (self !== undefined) out.self = self;
  if (incl !== undefined) out.inclLibraries = incl;
  return out;
}

/** What every surface must show for the function: the same three figures, one decimal. */
function expected(f: HotFunction) {
  const one = (p: number) => Math.round(p * 10) / 10;
  return {
    total: one(f.totalPercent),
    self: one(f.selfPercent),
    inclLibraries: one(f.selfInclLibrariesPercent),
  };
}

/**
 * One function, one set of numbers: the CodeLens, the text after its line, the hover,
 * the Hotspots view and `hotspot-lens report --json` agree on self, self incl. libraries
 * and total, and self never silently includes the library time.
 */
describe('figures: lens, line text, hover, Hotspots view and CLI agree', () => {
  let f: HotFunction;

  before(async () => {
    const { test } = await api();
    await waitFor('the sample profile to load', () => test.session.profile);
    // a function that calls library code (so self and self incl. libraries differ) and
    // whose definition line carries the function's figures (the sample has no line info)
    const a = test.session.profile!.analysis;
    const candidate = a.hotspots.find(
      (h) =>
        h.displayName === 'EvaluationContext::child' &&
        (a.lines[h.file] ?? []).filter((l) => l.line >= h.line && l.line <= h.endLine).length === 1,
    );
    assert.ok(candidate, 'EvaluationContext::child with its figures on its definition line');
    f = candidate;
    assert.ok(f.selfInclLibrariesPercent - f.selfPercent > 1, 'the function calls library code');
  });

  it('the CodeLens and the text after the definition line', async () => {
    const { test } = await api();
    const editor = await open(f.file);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      editor.document.uri,
    );
    const heat = lenses
      .filter((l) => l.range.start.line === f.line - 1)
      .map((l) => l.command?.title ?? '')
      .find((t) => t.startsWith('🔥'));
    assert.ok(heat, 'a heat lens on the definition');
    assert.deepEqual(figuresIn(heat), expected(f), heat);
    const line = await waitFor('the heat on the definition line', () =>
      test.decorations(editor.document.uri).find((d) => d.line === f.line),
    );
    assert.deepEqual(figuresIn(line.text ?? ''), expected(f), line.text);
  });

  it('the hover', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      vscode.Uri.joinPath(folder().uri, f.file),
      new vscode.Position(f.line - 1, 4),
    );
    const md = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
      .join('\n');
    const first = md.split('\n').find((l) => /% total/.test(l)) ?? '';
    assert.deepEqual(figuresIn(first), expected(f), first);
  });

  it('the Hotspots view', async () => {
    const { test } = await api();
    test.hotspotsTree.update({ sortBy: 'selfInclLibraries', groupBy: 'none', onlyMyCode: true, filter: '' });
    const row = test
      .hotspotRows()
      .find((r) => r.label === f.displayName && r.description.endsWith(`${f.file}:${f.line}`));
    assert.ok(row, `a row for ${f.displayName}`);
    assert.deepEqual(figuresIn(row.description), expected(f), row.description);
  });

  it('hotspot-lens report --json on the same profile and folder', async () => {
    const { test } = await api();
    const cli = repoUri('dist/cli.js').fsPath;
    const out = execFileSync(
      process.execPath,
      [
        cli,
        'report',
        '--profile',
        test.session.profile!.uri.fsPath,
        '--root',
        folder().uri.fsPath,
        '--json',
        '--top',
        '500',
      ],
      { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } },
    );
    const json = JSON.parse(out) as ReportJson;
    const h = json.hotspots.find(
      (x) => x.function === f.displayName && x.file === f.file && x.line === f.line,
    );
    assert.ok(h, `${f.displayName} in the CLI report`);
    const e = expected(f);
    // the CLI prints two decimals: the same figure within rounding
    assert.ok(Math.abs(h.totalPercent - e.total) <= 0.051, `total ${h.totalPercent} vs ${e.total}`);
    assert.ok(Math.abs(h.selfPercent - e.self) <= 0.051, `self ${h.selfPercent} vs ${e.self}`);
    assert.ok(
      Math.abs(h.selfInclLibrariesPercent - e.inclLibraries) <= 0.051,
      `incl. libraries ${h.selfInclLibrariesPercent} vs ${e.inclLibraries}`,
    );
    assert.equal(h.self, f.self);
    assert.equal(h.selfInclLibraries, f.selfInclLibraries);
    assert.equal(h.total, f.total);
  });
});
