import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { importFromFolded } from '../../../src/core/importers/folded';
import { inputFromBytes } from '../../../src/core/importers/input';
import { importFromPerfScript } from '../../../src/core/importers/perf-script';
import { measureMappingAccuracy, parseTruthTable } from '../../../src/core/mapping/accuracy';
import { mapProfile } from '../../../src/core/mapping/map-profile';
import { mapPath } from '../../../src/core/mapping/path-map';
import { resolveName } from '../../../src/core/mapping/resolve-name';
import { type WorkspaceFs, WorkspaceIndex } from '../../../src/core/mapping/workspace-index';
import { type Frame, ProfileBuilder } from '../../../src/core/profile/model';
import { normalizeFrameName } from '../../../src/core/symbols/normalize';
import { createNodeWorkspaceFs } from '../../../src/node/workspace-fs';
import { fixturePath } from '../helpers/golden';
import { indexFixture, testDemangler, testParsers } from './setup';

const demangle = testDemangler();
const resolve = (index: WorkspaceIndex, name: string) =>
  resolveName(normalizeFrameName(name, {}, { demangle }), index);
const foundAt = (index: WorkspaceIndex, name: string) => {
  const r = resolve(index, name);
  assert.equal(r.status, 'found', `${name}: ${JSON.stringify(r)}`);
  return r.status === 'found' ? `${r.definition.file}:${r.definition.startLine}` : '';
};

describe('workspace index: Cargo workspace with several crates', () => {
  let index: WorkspaceIndex;
  before(async () => {
    index = await indexFixture('cargo-multi');
  });
  it('resolves crate names (dashes → underscores, [lib] name, [[bin]] name, src/bin) to their folders', () => {
    assert.equal(
      foundAt(index, 'engine_core::evaluator::context::EvaluationContext::child'),
      'crates/engine-core/src/evaluator/context.rs:18',
    );
    assert.equal(foundAt(index, 'report_fmt::render::Table::new'), 'crates/report/src/render.rs:9');
    assert.equal(foundAt(index, 'engine::args::parse_count'), 'crates/engine-cli/src/args.rs:1');
    assert.equal(foundAt(index, 'bench_tool::main'), 'crates/engine-cli/src/bin/bench-tool.rs:1');
    assert.equal(foundAt(index, 'engine::main'), 'crates/engine-cli/src/main.rs:3');
  });
  it('understands trait impls, default methods, #[path], inline mod, raw identifiers, nested fns', () => {
    assert.equal(
      foundAt(index, '<engine_core::evaluator::context::EvaluationContext as core::clone::Clone>::clone'),
      'crates/engine-core/src/evaluator/context.rs:26',
    );
    assert.equal(
      foundAt(index, '<report_fmt::render::Table as core::fmt::Display>::fmt'),
      'crates/report/src/render.rs:21',
    );
    assert.equal(
      foundAt(index, 'engine_core::filtering::Predicate::count'),
      'crates/engine-core/src/filtering/mod.rs:6',
    );
    assert.equal(foundAt(index, 'engine_core::tables::lookup'), 'crates/engine-core/src/gen/tables.rs:1');
    assert.equal(
      foundAt(index, 'engine_core::inline_util::checksum::{{closure}}'),
      'crates/engine-core/src/lib.rs:7',
    );
    assert.equal(
      foundAt(index, 'engine_core::filtering::r#where::r#where'),
      'crates/engine-core/src/filtering/where.rs:11',
    );
    assert.equal(foundAt(index, 'engine::run::helper'), 'crates/engine-cli/src/main.rs:9');
  });
  it('demangles before looking up, and calls other crates external', () => {
    // legacy mangling of engine_core::run_all with a hash
    assert.equal(
      foundAt(index, '_ZN11engine_core7run_all17h0123456789abcdefE'),
      'crates/engine-core/src/lib.rs:12',
    );
    assert.equal(resolve(index, '<alloc::vec::Vec<T,A> as core::clone::Clone>::clone').status, 'external');
  });
  it('updates and removes files incrementally', async () => {
    const files = new Map<string, string>([
      ['Cargo.toml', '[package]\nname = "tiny-crate"\n'],
      ['src/lib.rs', 'pub mod a;\n'],
      ['src/a.rs', 'pub fn f() {}\n'],
    ]);
    const memFs: WorkspaceFs = {
      listFiles: async () => [...files.keys()],
      readFile: async (p) => {
        const t = files.get(p);
        if (t === undefined) throw new Error(`ENOENT ${p}`);
        return t;
      },
    };
    const idx = await WorkspaceIndex.build(memFs, await testParsers());
    assert.equal(foundAt(idx, 'tiny_crate::a::f'), 'src/a.rs:1');
    files.set('src/a.rs', '\n\npub fn g() {}\npub fn f() {\n}\n');
    await idx.updateFile('src/a.rs');
    assert.equal(foundAt(idx, 'tiny_crate::a::f'), 'src/a.rs:4');
    assert.equal(foundAt(idx, 'tiny_crate::a::g'), 'src/a.rs:3');
    idx.removeFile('src/a.rs');
    assert.equal(resolve(idx, 'tiny_crate::a::f').status, 'not-found');
    assert.deepEqual(structuredClone(idx.data), idx.data);
  });
});

describe('workspace index: C/C++, Go, Python, TS', () => {
  it('C/C++: namespaces, classes, anonymous namespaces; ambiguity is reported', async () => {
    const index = await indexFixture('c-tree');
    assert.equal(foundAt(index, '_ZN2hl6Engine4stepEi'), 'src/engine.cpp:8');
    assert.equal(foundAt(index, 'hl::Engine::steps() const'), 'include/engine.h:6');
    assert.equal(foundAt(index, '(anonymous namespace)::helper(int)'), 'src/engine.cpp:4');
    const r = resolve(index, 'parse_line');
    assert.equal(r.status, 'ambiguous');
    if (r.status === 'ambiguous')
      assert.deepEqual(r.candidates.map((c) => c.file).sort(), ['src/lexer.c', 'src/parser.c']);
  });
  it('Go: module path, receiver types, closures, package main', async () => {
    const index = await indexFixture('go-mod');
    assert.equal(
      foundAt(index, 'example.com/hotspot/internal/store.(*Store).Get'),
      'internal/store/store.go:11',
    );
    assert.equal(
      foundAt(index, 'example.com/hotspot/internal/store.Store.Len'),
      'internal/store/store.go:15',
    );
    assert.equal(foundAt(index, 'main.work.func1'), 'main.go:13');
    assert.equal(resolve(index, 'encoding/json.Marshal').status, 'external');
  });
  it('Python and TS/JS: classes, nested functions, arrow functions', async () => {
    const py = await indexFixture('py-pkg');
    assert.equal(foundAt(py, 'render (pkg/report.py:9)'), 'pkg/report.py:8');
    assert.equal(resolve(py, 'process').status, 'ambiguous');
    const ts = await indexFixture('ts-proj');
    assert.equal(foundAt(ts, 'JS:*Planner.run /srv/app/src/index.ts:7'), 'src/index.ts:6');
    assert.equal(foundAt(ts, 'JS:*compute /srv/app/src/util.js:1:25'), 'src/util.js:1');
  });
});

describe('mapPath', () => {
  const workspaceFiles = [
    'crates/engine-core/src/lib.rs',
    'crates/engine-cli/src/main.rs',
    'src/main.rs',
    'src/engine.rs',
  ];
  it('maps a profile recorded under another prefix by longest suffix and reports the inferred mapping', () => {
    const m = mapPath('/build/ci/project/crates/engine-core/src/lib.rs', { workspaceFiles });
    assert.deepEqual(m, {
      kind: 'workspace',
      path: 'crates/engine-core/src/lib.rs',
      via: 'suffix',
      inferred: { from: '/build/ci/project', to: '' },
    });
  });
  it('tries exact paths and configured prefix mappings first', () => {
    assert.equal(
      mapPath('/home/me/ws/src/engine.rs', { workspaceFiles, root: '/home/me/ws' }).kind,
      'workspace',
    );
    const m = mapPath('/opt/src/main.rs', {
      workspaceFiles,
      pathMappings: { '/opt/src': 'crates/engine-cli/src' },
    });
    assert.deepEqual(m, { kind: 'workspace', path: 'crates/engine-cli/src/main.rs', via: 'configured' });
  });
  it('counts the workspace folder’s name as a path component (a file at the workspace root)', () => {
    // pprof of a Go library recorded at /home/solarlune/…/libraries/resolv, opened as …/resolv
    const files = ['shapefilter.go', 'examples/main.go'];
    const recorded = '/home/solarlune/Documents/Projects/Go/libraries/resolv/shapefilter.go';
    assert.deepEqual(mapPath(recorded, { workspaceFiles: files, root: '/tmp/corpus/resolv' }), {
      kind: 'workspace',
      path: 'shapefilter.go',
      via: 'suffix',
      inferred: { from: '/home/solarlune/Documents/Projects/Go/libraries/resolv', to: '' },
    });
    assert.equal(mapPath(recorded, { workspaceFiles: files, root: '/tmp/corpus/other' }).kind, 'unknown');
  });
  it('uses a bare basename only when it is unique', () => {
    assert.deepEqual(mapPath('engine.rs', { workspaceFiles }), {
      kind: 'workspace',
      path: 'src/engine.rs',
      via: 'basename',
    });
    assert.equal(mapPath('main.rs', { workspaceFiles }).kind, 'unknown');
    assert.equal(mapPath('/x/y/src/main.rs', { workspaceFiles }).kind, 'unknown');
  });
  it('recognises libraries', () => {
    const lib = (p: string) => {
      const m = mapPath(p, { workspaceFiles });
      return m.kind === 'library' ? m.library : m.kind;
    };
    assert.equal(
      lib('/rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/alloc/src/raw_vec/mod.rs'),
      'rust-std',
    );
    assert.equal(
      lib('/home/u/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/hashbrown-0.16.1/src/map.rs'),
      'cargo-registry',
    );
    assert.equal(lib('/rust/deps/hashbrown-0.15.2/src/raw/mod.rs'), 'cargo-registry');
    assert.equal(lib('file:///srv/app/node_modules/lodash/lodash.js'), 'node_modules');
    assert.equal(lib('/usr/lib/python3/dist-packages/numpy/core/x.py'), 'site-packages');
    assert.equal(lib('/root/go/pkg/mod/golang.org/x/sync@v0.7.0/errgroup/errgroup.go'), 'go-module-cache');
    assert.equal(lib('/usr/include/c++/12/bits/stl_vector.h'), 'system');
    assert.equal(lib('./malloc/./malloc/malloc.c'), 'system');
  });
});

function profileOf(stacks: [Frame[], number][]) {
  const b = new ProfileBuilder({ format: 'folded', source: 'test.folded', unit: 'samples' });
  for (const [frames, w] of stacks)
    b.appendSample(
      frames.map((f) => b.frameId(f)),
      w,
      undefined,
      w,
    );
  return b.build();
}

describe('mapProfile', () => {
  let index: WorkspaceIndex;
  before(async () => {
    index = await indexFixture('cargo-multi');
  });
  it('blames library time on the nearest workspace caller, per library function', () => {
    const main = { name: 'engine::main' };
    const runAll = { name: 'engine_core::run_all' };
    const child = { name: 'engine_core::evaluator::context::EvaluationContext::child' };
    const clone = { name: '<alloc::collections::btree::map::BTreeMap<K,V,A> as core::clone::Clone>::clone' };
    const drop = {
      name: 'core::ptr::drop_in_place<alloc::collections::btree::map::BTreeMap<alloc::string::String,i64>>',
    };
    const malloc = { name: 'malloc', module: 'libc.so.6' };
    const profile = profileOf([
      [[{ name: '_start' }, main, runAll, child, clone, { name: '[unknown]' }, malloc], 6],
      [[main, runAll, child, clone], 4],
      [[main, runAll, child, drop], 3],
      [[main, runAll, child], 2],
      [[main, runAll], 1],
      [[{ name: '_start' }, { name: '__libc_start_main' }], 5],
    ]);
    const m = mapProfile(profile, index, { demangle });
    const f = m.functions.find((x) => x.name === 'EvaluationContext::child');
    assert.ok(f);
    assert.equal(f.file, 'crates/engine-core/src/evaluator/context.rs');
    assert.deepEqual([f.startLine, f.endLine], [18, 22]);
    assert.equal(f.self, 2);
    assert.equal(f.blamed, 13);
    assert.equal(f.selfWithBlame, 15);
    assert.equal(f.total, 15);
    assert.deepEqual(
      f.blamedBy.map((b) => [b.function, b.weight]),
      [
        ['BTreeMap::clone', 10],
        ['ptr::drop_in_place', 3],
      ],
    );
    const run = m.functions.find((x) => x.name === 'run_all');
    assert.equal(run?.self, 1);
    assert.equal(run?.total, 16);
    assert.deepEqual(m.summary, {
      workspaceSelf: 3,
      blamed: 13,
      unattributed: 5,
      frames: { workspace: 3, library: 5, unknown: 1, ambiguous: 0 },
      // leaves: malloc 6 + clone 4 + drop_in_place 3 + __libc_start_main 5 are library code
      bySample: { workspace: 3, library: 18, unmapped: 0, unmappedReasons: [] },
    });
  });
  it('maps srcline frames recorded elsewhere, attributes inlined library frames to the workspace line, reports ambiguity', async () => {
    const cIndex = await indexFixture('c-tree');
    const profile = profileOf([
      [
        [
          { name: 'main', file: '/build/ci/project/src/engine.cpp', line: 17 },
          { name: 'hl::Engine::step(int)', file: '/build/ci/project/src/engine.cpp', line: 10 },
          {
            name: 'std::min<int>(int const&, int const&)',
            file: '/usr/include/c++/12/bits/stl_algobase.h',
            line: 238,
            inlined: true,
          },
        ],
        7,
      ],
      [[{ name: 'lex' }, { name: 'parse_line' }], 2],
    ]);
    const m = mapProfile(profile, cIndex, { demangle });
    assert.deepEqual(m.frames[1], {
      status: 'workspace',
      file: 'src/engine.cpp',
      line: 10,
      definition: { name: 'Engine::step', file: 'src/engine.cpp', startLine: 8, endLine: 11 },
      via: 'path',
      shortName: 'Engine::step',
    });
    const step = m.functions.find((f) => f.name === 'Engine::step');
    assert.deepEqual(step?.lines, [{ line: 10, self: 0, blamed: 7, total: 7 }]);
    assert.deepEqual(m.inferredPathMappings, [{ from: '/build/ci/project', to: '', frames: 2 }]);
    // `parse_line` is defined in lexer.c and parser.c; its caller `lex` is in lexer.c.
    const settled = m.frames[profile.frames.findIndex((f) => f.name === 'parse_line')];
    assert.equal(settled.status, 'workspace');
    assert.equal(settled.definition?.file, 'src/lexer.c');
    assert.equal(settled.candidates?.length, 2);
    assert.match(settled.reason ?? '', /caller or callee is in src\/lexer\.c/);
    // Called from a file that has neither: stays ambiguous, none picked.
    const alone = mapProfile(profileOf([[[{ name: 'main' }, { name: 'parse_line' }], 2]]), cIndex, {
      demangle,
    });
    const amb = alone.frames[1];
    assert.equal(amb.status, 'ambiguous');
    assert.equal(amb.candidates?.length, 2);
    assert.equal(amb.definition, undefined);
  });
});

describe('accuracy on the real recording of examples/rust-sample', () => {
  const root = path.resolve(fixturePath('..', '..'));
  const truthDir = fixturePath('ground-truth');
  // built in a hook: tests registered after an await in the suite body may never start
  let index: WorkspaceIndex;
  before(async () => {
    index = await WorkspaceIndex.build(
      createNodeWorkspaceFs(path.join(root, 'examples/rust-sample')),
      await testParsers(),
    );
  });
  const truth = parseTruthTable(fs.readFileSync(path.join(truthDir, 'functions.tsv'), 'utf8'));
  const read = (f: string) => inputFromBytes(f, new Uint8Array(fs.readFileSync(path.join(truthDir, f))));
  it('names alone (folded stacks) put >= 97% of workspace-frame samples in the right file and function', async () => {
    const profile = await importFromFolded(read('sample.folded'));
    const acc = measureMappingAccuracy(profile, mapProfile(profile, index, { demangle }), truth);
    assert.ok(acc.workspaceWeight > 0);
    assert.ok(acc.accuracy >= 0.97, `accuracy ${acc.accuracy}: ${JSON.stringify(acc.misses.slice(0, 5))}`);
    assert.equal(acc.falsePositiveWeight, 0);
  });
  it('srcline (perf script +srcline --full-source-path) puts 100% in the right file and function', async () => {
    const profile = await importFromPerfScript(read('sample.srcline.perf'));
    const m = mapProfile(profile, index, { demangle });
    const acc = measureMappingAccuracy(profile, m, truth);
    assert.equal(acc.accuracy, 1, JSON.stringify(acc.misses.slice(0, 5)));
    assert.equal(acc.falsePositiveWeight, 0);
    assert.ok(m.inferredPathMappings.length > 0 || m.frames.some((f) => f.via === 'path'));
  });
});

describe('mapProfile: frames whose file is a URL', () => {
  it("a loader's data: module (tsx) is not the workspace, whatever its function is called", async () => {
    // tsx runs each TypeScript file as a `data:text/javascript,…` module; its functions'
    // names (here `run`, which the workspace also defines) must not map by name alone
    const index = await indexFixture('ts-proj');
    const url = `data:text/javascript,__filename%3D%22%2Fapp%2Fsrc%2Fcli.ts%22%3B(()%3D%3E%7B${'x'.repeat(400)}`;
    const profile = profileOf([[[{ name: 'run', file: url, line: 2, column: 13005 }], 3]]);
    const m = mapProfile(profile, index, { demangle });
    assert.notEqual(m.frames[0].status, 'workspace', JSON.stringify(m.frames[0]));
    assert.ok((m.frames[0].reason ?? '').length < 300, 'the reason does not carry the whole module');
  });
});
