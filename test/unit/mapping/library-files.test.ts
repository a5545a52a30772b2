import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapProfile } from '../../../src/core/mapping/map-profile';
import { type WorkspaceFs, WorkspaceIndex } from '../../../src/core/mapping/workspace-index';
import { ProfileBuilder } from '../../../src/core/profile/model';
import { testParsers } from './setup';

describe('mapping: a JS frame in a library file is library code even when the name matches ours', () => {
  it('keeps node_modules and node: frames out of the workspace', async () => {
    const files = new Map([
      ['src/writer.ts', 'export class BlockWriter {\n  write(): void {}\n}\nexport function resolve() {}\n'],
    ]);
    const fs: WorkspaceFs = {
      listFiles: async () => [...files.keys()],
      readFile: async (p) => files.get(p) ?? '',
    };
    const index = await WorkspaceIndex.build(fs, await testParsers());
    const b = new ProfileBuilder({ format: 'cpuprofile', source: 'x.cpuprofile', unit: 'samples' });
    const lib = b.frameId({
      name: 'write',
      file: 'file:///app/node_modules/micromark/lib/write.js',
      line: 10,
    });
    const internal = b.frameId({ name: 'resolve', file: 'node:internal/modules/cjs/loader', line: 5 });
    const ours = b.frameId({ name: 'write', file: 'file:///app/src/writer.ts', line: 2 });
    b.appendSample([ours, lib], 3);
    b.appendSample([internal], 1);
    const m = mapProfile(b.build(), index, { root: '/app' });
    assert.equal(m.frames[lib].status, 'library');
    assert.notEqual(m.frames[internal].status, 'workspace');
    assert.equal(m.frames[ours].status, 'workspace');
    assert.equal(m.frames[ours].file, 'src/writer.ts');
  });
});
