import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { FunctionKind } from '../../../src/core/flame/flame-data';
import { childrenOf, expandFlameTree } from '../../../src/core/flame/flame-tree';
import { importProfile } from '../../../src/core/importers/registry';
import { fileInput } from '../../../src/node/file-input';
import { computeFlameData } from '../../../src/vscode/flame-graph/flame-pipeline';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures');
const root = path.join(fixtures, 'workspaces/c-tree');

/** One profile of every format Hotspot Lens imports. */
const PROFILES = [
  'perf-script/c-fp.perf',
  'folded/c-fp.folded',
  'flamegraph-svg/fp-basic.svg',
  'cpuprofile/js-default.cpuprofile',
  'pprof/go-cpu.pb.gz',
  'speedscope/cpp-fp.speedscope.json',
  'firefox/gecko-native.json',
  'callgrind/c.callgrind',
  'dhat/c-heap.json',
];

describe('flame graph data of every format', () => {
  for (const rel of PROFILES) {
    it(`builds a consistent call tree from ${rel}`, async () => {
      const file = path.join(fixtures, 'profiles', rel);
      const { profile } = await importProfile(fileInput(file), {});
      const data = (await computeFlameData({ profilePath: file, root })).current;
      const tree = expandFlameTree(data.tree);
      assert.equal(data.unit, profile.unit);
      assert.ok(
        Math.abs(tree.total[0] - profile.total) <= 1e-9 * profile.total,
        `${tree.total[0]} vs ${profile.total}`,
      );
      assert.ok(tree.count > 1);
      // the outermost frames of the stacks are the root's children, weighing what the stacks weigh
      const roots = new Map<string, number>();
      for (const s of profile.stacks) {
        const name = profile.frames[s.frames[0]].name;
        roots.set(name, (roots.get(name) ?? 0) + s.weight);
      }
      const byName = new Map<string, number>();
      for (const c of childrenOf(tree, 0)) {
        const name = data.functions.fullNames[tree.func[c]];
        byName.set(name, (byName.get(name) ?? 0) + tree.total[c]);
      }
      assert.equal(byName.size, roots.size);
      for (const [name, w] of roots)
        assert.ok(Math.abs((byName.get(name) ?? 0) - w) <= 1e-9 * profile.total, name);
      for (const k of data.functions.kinds) assert.ok(k <= FunctionKind.pseudo);
      assert.equal(data.functions.names.length, data.functions.keys.length);
    });
  }
});
