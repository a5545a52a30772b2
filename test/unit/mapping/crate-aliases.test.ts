import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { inputFromBytes } from '../../../src/core/importers/input';
import { importFromPerfScript } from '../../../src/core/importers/perf-script';
import { mapProfile } from '../../../src/core/mapping/map-profile';
import { type WorkspaceFs, WorkspaceIndex } from '../../../src/core/mapping/workspace-index';
import { fixturePath } from '../helpers/golden';
import { testDemangler, testParsers } from './setup';

// Issue #12 pattern 8: the crate was renamed after the recording. The perf recording of
// test/fixtures/mapping/rust-traits names `trait_impls::…`; here its Cargo.toml says
// `fhir-traits`, as after a rename.

const demangle = testDemangler();
const dir = fixturePath('mapping', 'rust-traits');

function renamedWorkspace(): WorkspaceFs {
  const root = path.join(dir, 'workspace');
  const files = new Map<string, string>();
  for (const f of fs.readdirSync(path.join(root, 'src')))
    files.set(`src/${f}`, fs.readFileSync(path.join(root, 'src', f), 'utf8'));
  files.set('Cargo.toml', '[package]\nname = "fhir-traits"\nversion = "0.2.0"\nedition = "2021"\n');
  return {
    listFiles: async () => [...files.keys()],
    readFile: async (p) => {
      const t = files.get(p);
      if (t === undefined) throw new Error(`ENOENT ${p}`);
      return t;
    },
  };
}

describe('#12 pattern 8: a crate renamed since the recording', async () => {
  const load = () =>
    importFromPerfScript(
      inputFromBytes('profile.perf', new Uint8Array(fs.readFileSync(path.join(dir, 'profile.perf')))),
    );
  it('says so in the unmapped reason, naming the setting', async () => {
    const index = await WorkspaceIndex.build(renamedWorkspace(), await testParsers());
    const profile = await load();
    const m = mapProfile(profile, index, { demangle });
    const i = profile.frames.findIndex((f) => /^trait_impls::json::document/.test(f.name));
    assert.ok(i >= 0);
    assert.equal(m.frames[i].status, 'unknown');
    assert.match(
      m.frames[i].reason ?? '',
      /crate trait_impls is not a workspace crate, but workspace crate fhir_traits defines/,
    );
    assert.match(m.frames[i].reason ?? '', /hotspotLens\.crateAliases.*"trait_impls": "fhir_traits"/);
    // Other crates' frames stay library code.
    const std = profile.frames.findIndex((f) => f.name.startsWith('alloc::'));
    assert.ok(std >= 0);
    assert.equal(m.frames[std].status, 'library');
  });
  it('maps the old name onto the renamed crate with crateAliases', async () => {
    const index = await WorkspaceIndex.build(renamedWorkspace(), await testParsers());
    const profile = await load();
    const m = mapProfile(profile, index, { demangle, crateAliases: { trait_impls: 'fhir-traits' } });
    const where = new Set<string>();
    profile.frames.forEach((f, i) => {
      if (!/^<?trait_impls::/.test(f.name)) return;
      assert.equal(m.frames[i].status, 'workspace', f.name);
      where.add(`${m.frames[i].file}:${m.frames[i].definition?.startLine}`);
    });
    assert.ok(where.has('src/value.rs:47') && where.has('src/json.rs:12'), [...where].join(' '));
  });
});
