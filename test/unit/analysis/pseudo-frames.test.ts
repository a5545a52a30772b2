import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { classifyPseudoFrames, isUnsymbolizedName } from '../../../src/core/analysis/pseudo-frames';
import { importFromFolded } from '../../../src/core/importers/folded';
import { inputFromBytes } from '../../../src/core/importers/input';
import { analyzeFiles } from '../../../src/node/analyze-files';

const repo = path.resolve(__dirname, '..', '..', '..');
const rustSample = path.join(repo, 'examples/rust-sample');

async function folded(text: string) {
  return importFromFolded(inputFromBytes('t.folded', new TextEncoder().encode(text)));
}

function pseudoNames(p: Awaited<ReturnType<typeof folded>>, workspace: readonly string[] = []) {
  const kinds = classifyPseudoFrames(p, (id) => workspace.includes(p.frames[id].name));
  return Object.fromEntries([...kinds].map(([id, k]) => [p.frames[id].name, k]));
}

describe('pseudo-frames', () => {
  it('unsymbolized addresses in the forms real tools print', () => {
    for (const name of [
      '[unknown]',
      '0x7f3a2b1c40',
      '7f3a2b1c40de',
      '8688393984', // DTrace on macOS: an address printed in decimal
      'libfoo.so+0x1a2b',
      'libsystem_kernel.dylib`0x1a2b',
      '[libc.so.6]',
      '[vdso]',
      '[kernel.kallsyms]',
    ]) {
      assert.equal(isUnsymbolizedName(name), true, name);
    }
    for (const name of [
      'main',
      '_main',
      'deadbeef',
      'alloc::sync::Arc<T>::drop_slow',
      'mybin`mycrate::net::Conn::poll',
      'Vec<T>::clone',
      'f2',
      'sha256',
      'operator()',
    ]) {
      assert.equal(isUnsymbolizedName(name), false, name);
    }
  });

  it('process and thread names at the root of collapsed stacks, in their comm, comm-pid and comm-pid/tid forms', async () => {
    const p = await folded(
      [
        'myapp;_start;__libc_start_main;main;work 10',
        'tokio-runtime-w;clone3;start_thread;worker 5',
        'myapp-4182/4190;[unknown];hot 3',
        'other-77;main;work 1',
        'swapper;secondary_startup_64_no_verify;cpu_idle_[k] 2',
      ].join('\n'),
    );
    assert.deepEqual(pseudoNames(p), {
      myapp: 'process',
      'tokio-runtime-w': 'process',
      'myapp-4182/4190': 'process',
      'other-77': 'process',
      swapper: 'process',
      '[unknown]': 'unsymbolized',
    });
  });

  it('a root that is a function stays a function', async () => {
    // no collapser root: stacks start at the program's own functions
    const p = await folded(
      ['main;run;work 10', 'run_tests;[unknown] 2', 'my_crate::run;[unknown] 1'].join('\n'),
    );
    assert.deepEqual(pseudoNames(p), { '[unknown]': 'unsymbolized' });
    // a workspace function is never a pseudo-frame, whatever its place
    const q = await folded('myapp;_start;main 3\n');
    assert.deepEqual(pseudoNames(q, ['myapp']), {});
  });

  it('the FlameGraph sample: its process and worker-thread names and [unknown] are listed apart, not as library hotspots', async () => {
    const { analysis } = await analyzeFiles({
      profilePath: path.join(rustSample, 'profiles/sample.folded'),
      root: rustSample,
    });
    const byName = new Map(analysis.pseudoFrames.map((f) => [f.name, f.kind]));
    assert.equal(byName.get('hotspot-sample'), 'process');
    assert.equal(byName.get('pool-worker-0'), 'process');
    assert.equal(byName.get('[unknown]'), 'unsymbolized');
    for (const l of analysis.libraryHotspots)
      assert.ok(!byName.has(l.name), `${l.name} listed as a library function`);
  });

  it('perf script keeps threads apart: no frame of it is a process name', async () => {
    const { analysis } = await analyzeFiles({
      profilePath: path.join(rustSample, 'profiles/sample.perf'),
      root: rustSample,
    });
    assert.deepEqual(
      analysis.pseudoFrames.filter((f) => f.kind === 'process'),
      [],
    );
    // its [kernel.kallsyms] frames are kernel functions, shown as such
    assert.ok(analysis.libraryHotspots.some((l) => l.kind === 'kernel' && l.library === 'kernel'));
    assert.ok(analysis.pseudoFrames.some((f) => f.name === '[unknown]' && f.kind === 'unsymbolized'));
  });
});
