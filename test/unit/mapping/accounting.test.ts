import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { inputFromBytes } from '../../../src/core/importers/input';
import { importProfile } from '../../../src/core/importers/registry';
import { mapProfile, type ProfileMapping } from '../../../src/core/mapping/map-profile';
import { WorkspaceIndex } from '../../../src/core/mapping/workspace-index';
import type { Profile } from '../../../src/core/profile/model';
import { createNodeWorkspaceFs } from '../../../src/node/workspace-fs';
import { fixturePath } from '../helpers/golden';
import { testDemangler, testParsers } from './setup';

// Issue #12 patterns 6 and 7 on a real `node --cpu-prof` recording
// (test/fixtures/mapping/js-drift/make.sh): the source moved after the recording, and a
// driver script outside the workspace has functions named like workspace functions.

const demangle = testDemangler();

async function load(file: string): Promise<Profile> {
  const { profile } = await importProfile(
    inputFromBytes(path.basename(file), new Uint8Array(fs.readFileSync(file))),
  );
  return profile;
}

describe('#12 pattern 6: source that moved after the recording', () => {
  let profile: Profile;
  let mapping: ProfileMapping;
  before(async () => {
    const index = await WorkspaceIndex.build(
      createNodeWorkspaceFs(fixturePath('mapping', 'js-drift', 'workspace')),
      await testParsers(),
    );
    profile = await load(fixturePath('mapping', 'js-drift', 'profile.cpuprofile'));
    mapping = mapProfile(profile, index, { demangle });
  });
  it('places each frame on the nearest definition of its name in its file, marked as drifted', () => {
    const placed = new Map<string, string>();
    profile.frames.forEach((f, i) => {
      if (!f.file?.endsWith('/app/src/stats.js')) return;
      const m = mapping.frames[i];
      assert.equal(m.status, 'workspace', f.name);
      assert.equal(m.definition?.name, f.name);
      assert.ok(m.drifted && m.drifted.recordedLine < (m.definition?.startLine ?? 0), f.name);
      placed.set(f.name, `${m.file}:${m.definition?.startLine}`);
    });
    assert.deepEqual(Object.fromEntries(placed), {
      mean: 'src/stats.js:11',
      variance: 'src/stats.js:17',
      histogram: 'src/stats.js:27',
      run: 'src/stats.js:35',
    });
  });
  it('leaves frames whose source did not move unmarked', () => {
    const i = profile.frames.findIndex((f) => f.name === 'generate');
    assert.equal(mapping.frames[i].definition?.startLine, 3);
    assert.equal(mapping.frames[i].drifted, undefined);
  });
  it('keeps the drifted weight among the workspace functions', () => {
    const histogram = mapping.functions.find((f) => f.name === 'histogram');
    assert.ok(histogram && histogram.self > 0);
    assert.equal(histogram.startLine, 27);
  });
});

describe('#12 pattern 7: no false positives from files outside the workspace', () => {
  it('never maps a driver script’s `run` and `mean` onto the workspace functions of those names', async () => {
    const index = await WorkspaceIndex.build(
      createNodeWorkspaceFs(fixturePath('mapping', 'js-drift', 'workspace')),
      await testParsers(),
    );
    assert.ok(index.definitionsNamed('run').length > 0 && index.definitionsNamed('mean').length > 0);
    const profile = await load(fixturePath('mapping', 'js-drift', 'profile.cpuprofile'));
    const mapping = mapProfile(profile, index, { demangle });
    let driverFrames = 0;
    profile.frames.forEach((f, i) => {
      if (!f.file?.endsWith('/driver/run.js')) return;
      driverFrames++;
      assert.equal(mapping.frames[i].status, 'unknown', f.name);
      assert.match(mapping.frames[i].reason ?? '', /not in the workspace/);
    });
    assert.ok(driverFrames >= 2);
    // V8 builtins (no script) are not matched by name either.
    profile.frames.forEach((f, i) => {
      if (f.file === undefined && !f.name.startsWith('('))
        assert.equal(mapping.frames[i].status, 'library', f.name);
    });
  });
});

describe('#12 pattern 6: every sample is accounted for', () => {
  const cases: [string, string][] = [
    ['mapping/js-drift/profile.cpuprofile', 'mapping/js-drift/workspace'],
    ['mapping/rust-traits/profile.perf', 'mapping/rust-traits/workspace'],
    ['mapping/rust-traits/profile-macos.folded', 'mapping/rust-traits/workspace'],
    ['mapping/cpp-names/profile-dtrace.folded', 'mapping/cpp-names/workspace'],
    ['mapping/cpp-names/profile.folded', 'mapping/cpp-names/workspace'],
    ['ground-truth/sample.svg', '../../examples/rust-sample'],
    ['profiles/cpuprofile/js-fine.cpuprofile', 'mapping/js-drift/workspace'],
    ['profiles/callgrind/cpp.callgrind', 'mapping/cpp-names/workspace'],
  ];
  for (const [profileFile, workspace] of cases) {
    it(`${profileFile}: workspace + library + unmapped = total, each unmapped sample with a reason`, async () => {
      const index = await WorkspaceIndex.build(
        createNodeWorkspaceFs(fixturePath(workspace)),
        await testParsers(),
      );
      const profile = await load(fixturePath(profileFile));
      const s = mapProfile(profile, index, { demangle }).summary.bySample;
      assert.ok(profile.total > 0);
      assert.equal(s.workspace + s.library + s.unmapped, profile.total);
      assert.equal(
        s.unmappedReasons.reduce((a, r) => a + r.weight, 0),
        s.unmapped,
      );
      for (const r of s.unmappedReasons) assert.ok(r.reason.length > 10, r.reason);
    });
  }
});
