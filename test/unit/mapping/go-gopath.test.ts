import assert from 'node:assert/strict';
import fs from 'node:fs';
import { before, describe, it } from 'node:test';
import { inputFromBytes } from '../../../src/core/importers/input';
import { importProfile } from '../../../src/core/importers/registry';
import { mapProfile } from '../../../src/core/mapping/map-profile';
import { WorkspaceIndex } from '../../../src/core/mapping/workspace-index';
import { createNodeWorkspaceFs } from '../../../src/node/workspace-fs';
import { fixturePath } from '../helpers/golden';
import { testDemangler, testParsers } from './setup';

// Issue #12 pattern 5: Go without go.mod. test/fixtures/mapping/go-gopath/make.sh builds a
// GOPATH-layout program (package github.com/user/lib/lib in src/github.com/user/lib/lib/)
// under a temporary GOPATH and records it with runtime/pprof; cpu.folded is the same
// recording through `go tool pprof -raw` and FlameGraph's stackcollapse-go.pl (names only).

const demangle = testDemangler();
const dir = fixturePath('mapping', 'go-gopath');
const lib = 'src/github.com/user/lib/lib/space.go';

describe('#12 pattern 5: Go packages in a GOPATH layout', () => {
  let index: WorkspaceIndex;
  before(async () => {
    index = await WorkspaceIndex.build(createNodeWorkspaceFs(`${dir}/workspace`), await testParsers());
  });
  it('knows the import path of a folder of Go files without go.mod', () => {
    assert.equal(index.isWorkspaceGoPackage('github.com/user/lib/lib'), true);
    assert.equal(index.isWorkspaceGoPackage('user/lib/lib'), true);
    assert.equal(index.isWorkspaceGoPackage('github.com/other/lib'), false);
  });
  it('does not take vendored packages for workspace packages', async () => {
    const files = new Map([
      [
        'vendor/github.com/pkg/errors/errors.go',
        'package errors\n\nfunc New(s string) error { return nil }\n',
      ],
      ['main.go', 'package main\n\nfunc main() {}\n'],
    ]);
    const idx = await WorkspaceIndex.build(
      {
        listFiles: async () => [...files.keys()],
        readFile: async (p) => files.get(p) ?? '',
      },
      await testParsers(),
    );
    assert.equal(idx.isWorkspaceGoPackage('github.com/pkg/errors'), false);
    const m = mapProfile(
      {
        ...(
          await importProfile(
            inputFromBytes('x.folded', new TextEncoder().encode('main.main;github.com/pkg/errors.New 3\n')),
          )
        ).profile,
      },
      idx,
      { demangle },
    );
    assert.deepEqual(
      m.frames.map((f) => f.status),
      ['workspace', 'library'],
    );
  });
  for (const file of ['cpu.pprof', 'cpu.folded']) {
    it(`${file}: every frame of the package lands on its method in ${lib}`, async () => {
      const { profile } = await importProfile(
        inputFromBytes(file, new Uint8Array(fs.readFileSync(`${dir}/${file}`))),
      );
      const m = mapProfile(profile, index, { demangle });
      const placed = new Map<string, string>();
      profile.frames.forEach((f, i) => {
        if (!f.name.startsWith('github.com/user/lib/lib.')) return;
        const fm = m.frames[i];
        assert.equal(fm.status, 'workspace', `${f.name}: ${fm.reason}`);
        placed.set(f.name, `${fm.file}:${fm.definition?.startLine}`);
      });
      assert.equal(placed.get('github.com/user/lib/lib.(*Space).pull'), `${lib}:39`);
      assert.equal(placed.get('github.com/user/lib/lib.(*Space).Step'), `${lib}:27`);
      assert.equal(placed.get('github.com/user/lib/lib.(*Space).Energy.func1'), `${lib}:55`);
      const s = m.summary.bySample;
      assert.ok(s.workspace > s.library, JSON.stringify(s));
    });
  }
});
