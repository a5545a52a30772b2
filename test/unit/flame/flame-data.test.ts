import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import type { ProfileAnalysis } from '../../../src/core/analysis/types';
import { type FlameData, FunctionKind } from '../../../src/core/flame/flame-data';
import { expandFlameTree } from '../../../src/core/flame/flame-tree';
import { functionWeights } from '../../../src/core/flame/transforms';
import { analyzeFiles } from '../../../src/node/analyze-files';
import { computeFlameData } from '../../../src/vscode/flame-graph/flame-pipeline';

const root = path.resolve(import.meta.dirname, '../../../examples/rust-sample');
const profilePath = path.join(root, 'profiles/sample.perf');

describe('flame graph data of the sample workspace', () => {
  let data: FlameData;
  let analysis: ProfileAnalysis;
  before(async () => {
    data = (await computeFlameData({ profilePath, root })).current;
    analysis = (await analyzeFiles({ profilePath, root })).analysis;
  });

  it('weighs the root with the whole profile', () => {
    const tree = expandFlameTree(data.tree);
    assert.equal(tree.total[0], analysis.profile.total);
    assert.equal(data.total, analysis.profile.total);
    assert.equal(data.unit, analysis.profile.unit);
    assert.equal(data.title, 'sample.perf');
  });

  it('gives workspace functions the Hotspots view keys, files and definition lines of the analysis', () => {
    const tree = expandFlameTree(data.tree);
    const byKey = new Map(analysis.hotspots.map((h) => [h.key, h]));
    const f = data.functions;
    let linked = 0;
    for (let i = 0; i < f.names.length; i++) {
      if (f.kinds[i] !== FunctionKind.workspace) {
        assert.equal(f.hotspotKeys[i], '', `${f.names[i]} is not workspace code`);
        continue;
      }
      assert.ok(fs.existsSync(path.join(root, f.files[i])), `${f.files[i]} exists`);
      const h = byKey.get(f.hotspotKeys[i]);
      if (!h) continue;
      linked++;
      assert.equal(f.files[i], h.file);
      assert.ok(f.lines[i] >= h.line && f.lines[i] <= h.endLine, `${f.names[i]}: line ${f.lines[i]}`);
    }
    assert.ok(linked > 0, 'some functions link to hotspots');
    // the heaviest hotspot's total is the total of its functions in the tree (once per stack)
    const top = analysis.hotspots.reduce((a, b) => (b.total > a.total ? b : a));
    const funcs = f.hotspotKeys.flatMap((k, i) => (k === top.key ? [i] : []));
    assert.equal(funcs.length, 1, `${top.key} is one function in the flame graph`);
    assert.equal(functionWeights(tree, funcs[0]).total, top.total);
  });

  it('tells library code apart', () => {
    const kinds = new Set(data.functions.kinds);
    assert.ok(kinds.has(FunctionKind.workspace));
    assert.ok(kinds.has(FunctionKind.library) || kinds.has(FunctionKind.unknown));
  });
});
