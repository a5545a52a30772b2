import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { functionLensTitle, heatFigureTexts, lineText } from '../../../src/core/analysis/presentation';
import { analyzeFiles } from '../../../src/node/analyze-files';

const repo = path.resolve(__dirname, '..', '..', '..');
const rustSample = path.join(repo, 'examples/rust-sample');

describe('self, self incl. libraries and total', () => {
  const figures = { selfPercent: 18.6, selfInclLibrariesPercent: 49.5, totalPercent: 52.3 };

  it('self is never shown with the library time in it', () => {
    assert.equal(functionLensTitle(figures), '🔥 52.3% total · 18.6% self · 49.5% incl. libraries');
    assert.equal(lineText(figures, 'both'), '52.3% total · 18.6% self · 49.5% incl. libraries');
    assert.equal(lineText(figures, 'self'), '18.6% self · 49.5% incl. libraries');
    assert.equal(lineText(figures, 'total'), '52.3% total');
    assert.equal(lineText(figures, 'off'), undefined);
  });

  it('says nothing of libraries when they add nothing to self as displayed', () => {
    const own = { selfPercent: 3.1, selfInclLibrariesPercent: 3.1 + 1e-9, totalPercent: 12.8 };
    assert.equal(functionLensTitle(own), '🔥 12.8% total · 3.1% self');
    assert.equal(lineText(own, 'both'), '12.8% total · 3.1% self');
    assert.deepEqual(heatFigureTexts(own), { total: '12.8% total', self: '3.1% self' });
  });

  it('on a real profile: the definition line carries the function figures, self apart from libraries', async () => {
    const { analysis } = await analyzeFiles({
      profilePath: path.join(rustSample, 'profiles/sample.perf'),
      root: rustSample,
    });
    const child = analysis.hotspots.find((f) => f.displayName === 'EvaluationContext::child');
    assert.ok(child);
    // EvaluationContext::child clones a B-tree: nearly all of its time is in library code
    assert.ok(child.selfInclLibraries > child.self + 0.5 * child.total, JSON.stringify(child));
    assert.equal(
      child.selfInclLibraries - child.self,
      child.blamedLibrary.reduce((s, b) => s + b.weight, 0),
    );
    const def = analysis.lines[child.file].find((l) => l.line === child.line);
    assert.ok(def);
    assert.equal(def.self, child.self, 'the line text says self for the same weight the lens does');
    assert.equal(def.selfInclLibraries, child.selfInclLibraries);
    assert.equal(def.total, child.total);
    assert.equal(lineText(def, 'both'), functionLensTitle(child).replace('🔥 ', ''));
    for (const f of analysis.hotspots) {
      assert.ok(f.self <= f.selfInclLibraries && f.selfInclLibraries <= f.total + 1e-9, f.displayName);
    }
    for (const lines of Object.values(analysis.lines)) {
      for (const l of lines)
        assert.ok(l.self <= l.selfInclLibraries && l.selfInclLibraries <= l.total + 1e-9);
    }
  });

  it('hotspots are ranked by self incl. libraries: entry points with no self do not lead', async () => {
    const { analysis } = await analyzeFiles({
      profilePath: path.join(rustSample, 'profiles/sample.perf'),
      root: rustSample,
    });
    const ranks = analysis.hotspots.map((f) => f.selfInclLibraries);
    assert.deepEqual(
      ranks,
      [...ranks].sort((a, b) => b - a),
    );
    const main = analysis.hotspots.findIndex((f) => f.displayName === 'main');
    const top = analysis.hotspots[0];
    assert.ok(main === -1 || main > 3, `main ranks ${main}`);
    assert.ok(top.totalPercent < 50, `${top.displayName} leads with ${top.totalPercent}% total`);
  });
});
