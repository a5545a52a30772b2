import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { inputFromBytes } from '../../../src/core/importers/input';
import { importProfile } from '../../../src/core/importers/registry';
import { mapProfile } from '../../../src/core/mapping/map-profile';
import { loadSourceMaps, type ProfileFileReader } from '../../../src/core/mapping/source-maps';
import { WorkspaceIndex } from '../../../src/core/mapping/workspace-index';
import type { Profile } from '../../../src/core/profile/model';
import { createNodeWorkspaceFs } from '../../../src/node/workspace-fs';
import { fixturePath } from '../helpers/golden';
import { testDemangler, testParsers } from './setup';

// Issue #12 pattern 10: bundled TypeScript. test/fixtures/mapping/js-bundle/make.sh bundles
// workspace/src/*.ts with esbuild (map beside the bundle, and inline) and records each bundle
// with `node --cpu-prof` from a temporary copy; the reader below serves that copy's dist/
// from the fixture's dist/.

const demangle = testDemangler();
const dir = fixturePath('mapping', 'js-bundle');

/** Serves `…/app/dist/<file>` from the fixture's dist/; counts what was read. */
function fixtureReader(reads: string[]): ProfileFileReader {
  return async (file) => {
    reads.push(file);
    const m = /\/app\/dist\/([^/]+)$/.exec(file);
    if (!m) return undefined;
    const p = path.join(dir, 'dist', m[1]);
    return fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined;
  };
}

async function load(file: string): Promise<Profile> {
  return (await importProfile(inputFromBytes(file, new Uint8Array(fs.readFileSync(path.join(dir, file))))))
    .profile;
}

describe('#12 pattern 10: bundled JavaScript mapped through its source map', () => {
  let index: WorkspaceIndex;
  before(async () => {
    index = await WorkspaceIndex.build(
      createNodeWorkspaceFs(path.join(dir, 'workspace')),
      await testParsers(),
    );
  });
  for (const file of ['profile.cpuprofile', 'profile-inline.cpuprofile']) {
    it(`${file}: every bundle frame lands on its TypeScript definition`, async () => {
      const profile = await load(file);
      const reads: string[] = [];
      const maps = await loadSourceMaps(profile, fixtureReader(reads));
      assert.equal(maps.size, 1);
      // the map beside the bundle is read only when the bundle does not carry it inline
      assert.equal(
        reads.some((r) => r.endsWith('.map')),
        file === 'profile.cpuprofile',
      );
      const m = mapProfile(profile, index, { demangle, sourceMaps: maps });
      const placed = new Set<string>();
      profile.frames.forEach((f, i) => {
        if (!f.file?.includes('/app/dist/')) return;
        const fm = m.frames[i];
        if (f.line === 1 && f.name === '(anonymous)') return; // the bundle's module wrapper
        assert.equal(fm.status, 'workspace', `${f.name} ${f.line}:${f.column}: ${fm.reason}`);
        placed.add(`${f.name} → ${fm.file}:${fm.definition?.name}:${fm.definition?.startLine}`);
      });
      for (const want of [
        'main → src/cli.ts:main:4',
        'add → src/matrix.ts:add:13',
        'add → src/tally.ts:Tally::add:4',
        'build → src/matrix.ts:build:3',
        'build → src/tally.ts:Tally::build:8',
        'words → src/tally.ts:words:13',
        'multiply → src/matrix.ts:multiply:17',
      ])
        assert.ok(placed.has(want), `${want} not in:\n${[...placed].join('\n')}`);
    });
  }
  it('without the maps the bundle frames are not guessed by name (add, build, main)', async () => {
    const profile = await load('profile.cpuprofile');
    const m = mapProfile(profile, index, { demangle });
    profile.frames.forEach((f, i) => {
      if (f.file?.includes('/app/dist/')) assert.notEqual(m.frames[i].status, 'workspace', f.name);
    });
  });
  it('a bundle without a readable map is left out', async () => {
    const profile = await load('profile.cpuprofile');
    const maps = await loadSourceMaps(profile, async () => undefined);
    assert.equal(maps.size, 0);
    const broken = await loadSourceMaps(profile, async (f) => (f.endsWith('.map') ? '{not json' : ''));
    assert.equal(broken.size, 0);
  });
});
