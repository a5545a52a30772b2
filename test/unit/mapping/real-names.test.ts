import assert from 'node:assert/strict';
import fs from 'node:fs';
import { before, describe, it } from 'node:test';
import { analyzeProfile } from '../../../src/core/analysis/analyze';
import { importFromFolded } from '../../../src/core/importers/folded';
import { inputFromBytes } from '../../../src/core/importers/input';
import { importFromPerfScript } from '../../../src/core/importers/perf-script';
import { type FrameMapping, mapProfile } from '../../../src/core/mapping/map-profile';
import { WorkspaceIndex } from '../../../src/core/mapping/workspace-index';
import type { Profile } from '../../../src/core/profile/model';
import { normalizeFrameName } from '../../../src/core/symbols/normalize';
import { createNodeWorkspaceFs } from '../../../src/node/workspace-fs';
import { fixturePath } from '../helpers/golden';
import { testDemangler, testParsers } from './setup';

// Issue #12, patterns 1–4, on real tool output: test/fixtures/mapping/rust-traits and
// cpp-names (each with the make.sh that recorded it with perf and collapsed it with
// FlameGraph's stackcollapse-perf.pl / stackcollapse.pl).

const demangle = testDemangler();
const norm = (name: string) => normalizeFrameName(name, {}, { demangle });
/** 1-based line of the first line of a fixture source file that starts with `text`. */
const lineOf = (fixture: string, file: string, text: string): number =>
  fs
    .readFileSync(fixturePath('mapping', fixture, 'workspace', file), 'utf8')
    .split('\n')
    .findIndex((l) => l.startsWith(text)) + 1;

async function load(fixture: string, file: string): Promise<Profile> {
  const input = inputFromBytes(file, new Uint8Array(fs.readFileSync(fixturePath('mapping', fixture, file))));
  return file.endsWith('.perf') ? importFromPerfScript(input) : importFromFolded(input);
}

/** Every frame whose name matches, with where it was mapped: `status file:line` (line of the definition). */
function placed(profile: Profile, frames: readonly FrameMapping[], match: RegExp): Map<string, string> {
  const out = new Map<string, string>();
  profile.frames.forEach((f, i) => {
    const name = f.name.replace(/\+0x[0-9a-f]+$/, '');
    if (!match.test(name)) return;
    const m = frames[i];
    out.set(name, `${m.status} ${m.file ?? ''}:${m.definition?.startLine ?? ''}`);
  });
  return out;
}

describe('#12 pattern 1: macOS / DTrace flame graph names (`module`function`)', () => {
  it('an impl block in another module than its type (`ops::<impl …Matrix<f64>>::trace_sum`), also cut short', async () => {
    const index = await WorkspaceIndex.build(
      createNodeWorkspaceFs(fixturePath('mapping', 'rust-traits', 'workspace')),
      await testParsers(),
    );
    let seen = 0;
    for (const file of ['profile.perf', 'profile.folded', 'profile-macos.folded']) {
      const profile = await load('rust-traits', file);
      const { frames } = mapProfile(profile, index, { demangle });
      for (const [name, where] of placed(profile, frames, /trait_impls::ops::<impl/)) {
        assert.equal(where, 'workspace src/ops.rs:7', name);
        seen++;
      }
    }
    assert.ok(seen >= 3, `frames seen: ${seen}`);
    const n = norm('mycrate::fmt::<impl core::fmt::Display for mycrate::fmt::Table>::fmt');
    assert.deepEqual(
      [n.qualifiedPath, n.typeName, n.traitName],
      [['mycrate', 'fmt', 'Table', 'fmt'], 'Table', 'Display'],
    );
  });
  it('splits the module off the function name', () => {
    const n = norm(
      'hitori_vs_regex`<hitori::examples::ipv4::IpV4 as hitori::expr::Expr<usize,char>>::matches',
    );
    assert.equal(n.module, 'hitori_vs_regex');
    assert.deepEqual(n.qualifiedPath, ['hitori', 'examples', 'ipv4', 'IpV4', 'matches']);
    assert.equal(n.traitName, 'Expr');
    assert.equal(norm('libsystem_malloc.dylib`free').functionName, 'free');
    assert.equal(norm('libsystem_malloc.dylib`free').module, 'libsystem_malloc.dylib');
    assert.equal(norm('unknown`0x0').flags.unknown, true);
    assert.equal(norm('kernel.kallsyms`asm_sysvec_apic_timer_interrupt').flags.kernel, true);
    // the shapes DTrace gives generic code: never reduced to a bare name that could match ours
    const lost = norm('mybin`::deserialize_seq');
    assert.equal(lost.truncated, true);
    assert.equal(lost.functionName, '');
    assert.equal(norm('mybin`<T as core::clone::Clone>::clone').traitName, 'Clone');
  });

  describe('a Rust program (DTrace form of a perf recording, stackcollapse.pl)', () => {
    let index: WorkspaceIndex;
    let profile: Profile;
    let frames: readonly FrameMapping[];
    before(async () => {
      index = await WorkspaceIndex.build(
        createNodeWorkspaceFs(fixturePath('mapping', 'rust-traits', 'workspace')),
        await testParsers(),
      );
      profile = await load('rust-traits', 'profile-macos.folded');
      frames = mapProfile(profile, index, { demangle }).frames;
    });
    it('maps every frame of the program into the workspace, none as library', () => {
      const own = placed(profile, frames, /`<?trait_impls::/);
      assert.ok(own.size >= 6, [...own.keys()].join('\n'));
      for (const [name, where] of own) assert.match(where, /^workspace src\//, name);
      const m = placed(profile, frames, /`trait_impls::(main|json::document)::h/);
      assert.deepEqual([...new Set(m.values())].sort(), [
        'workspace src/json.rs:12',
        `workspace src/main.rs:${lineOf('rust-traits', 'src/main.rs', 'fn main')}`,
      ]);
    });
    it('calls the system libraries library code, by their module', () => {
      const libs = placed(profile, frames, /^lib(c|m)\.so\.6`/);
      assert.ok(libs.size > 0);
      for (const [name, where] of libs) assert.match(where, /^library /, name);
    });
    it('a name stackcollapse.pl cut at its last `<` keeps its type: certain file, candidates listed (pattern 3)', () => {
      const i = profile.frames.findIndex(
        (f) => f.name === 'trait-impls`<trait_impls::value::FhirValue as core::convert::From',
      );
      assert.ok(i >= 0);
      const m = frames[i];
      assert.equal(m.status, 'workspace');
      assert.equal(m.file, 'src/value.rs');
      assert.equal(m.definition, undefined);
      assert.deepEqual(
        m.candidates?.map((c) => c.startLine),
        [19, 26, 33, 40, 47, 59, 66, 73],
      );
    });
  });
});

describe('#12 pattern 2: Rust closures fold into the enclosing function', () => {
  it('understands `_{{closure}}`, `{{closure}}#2`, `{closure#0}`, `{{constant}}`, async layers', () => {
    for (const [name, depth] of [
      ['trait-impls`trait_impls::with_closures::_{{closure}}::_{{closure}}::h89aa3f4c258c3487', 2],
      ['my_crate::net::Conn::poll::{{closure}}#2', 1],
      ['my_crate::net::Conn::poll::{closure#0}::{closure#1}', 2],
      ['my_crate::net::Conn::poll::{{constant}}', 1],
      ['my_crate::net::Conn::poll::{async_fn_env#0}::{{closure}}', 2],
    ] as const) {
      const n = norm(name);
      assert.equal(n.functionName, name.startsWith('trait') ? 'with_closures' : 'poll', name);
      assert.equal(n.closureDepth, depth, name);
    }
  });
  it('real closure frames (perf and DTrace form) land on their enclosing function', async () => {
    const index = await WorkspaceIndex.build(
      createNodeWorkspaceFs(fixturePath('mapping', 'rust-traits', 'workspace')),
      await testParsers(),
    );
    let seen = 0;
    for (const file of ['profile.perf', 'profile-macos.folded']) {
      const profile = await load('rust-traits', file);
      const { frames } = mapProfile(profile, index, { demangle });
      for (const [name, where] of placed(profile, frames, /with_closures::_?\{\{closure\}\}/)) {
        assert.equal(
          where,
          `workspace src/main.rs:${lineOf('rust-traits', 'src/main.rs', 'fn with_closures')}`,
          name,
        );
        seen++;
      }
    }
    assert.ok(seen >= 3, `closure frames seen: ${seen}`);
  });
});

describe('#12 patterns 3 and 4: C++ names (perf script, --no-demangle, stackcollapse-perf.pl, DTrace form)', () => {
  let index: WorkspaceIndex;
  before(async () => {
    index = await WorkspaceIndex.build(
      createNodeWorkspaceFs(fixturePath('mapping', 'cpp-names', 'workspace')),
      await testParsers(),
    );
  });
  const expected: [RegExp, string][] = [
    [/app::Engine::Engine$|_ZN3app6EngineC[12]Ei/, 'workspace src/engine.cpp:11'],
    [/app::Engine::~Engine$|_ZN3app6EngineD[12]Ev/, 'workspace src/engine.cpp:18'],
    [/app::Engine::step$|_ZN3app6Engine4stepEd/, 'workspace src/engine.cpp:24'],
    [/app::Vec2::operator\*$|_ZNK3app4Vec2mlEd/, 'workspace src/engine.cpp:9'],
    [/app::Book::~Book$|_ZN3app4BookD[12]Ev/, 'workspace src/book.cpp:12'],
    [/app::\(anonymous namespace\)::reduce<|_ZN3app12_GLOBAL__N_16reduce/, 'workspace src/reduce.cpp:12'],
    [
      /^(cppnames`)?app::run_reductions\(int\)::\{lambda|^_ZZN3app14run_reductionsEiENKUl/,
      'workspace src/reduce.cpp:23',
    ],
    [/(^|`)app::run_reductions$|_ZN3app14run_reductionsEi$/, 'workspace src/reduce.cpp:23'],
  ];
  for (const file of ['profile.perf', 'profile-mangled.perf', 'profile.folded', 'profile-dtrace.folded']) {
    it(`${file}: classes, namespaces, constructors, destructors, operators, templates, lambdas`, async () => {
      const profile = await load('cpp-names', file);
      const { frames } = mapProfile(profile, index, { demangle });
      let matched = 0;
      for (const [re, where] of expected) {
        const got = placed(profile, frames, re);
        for (const [name, w] of got) assert.equal(w, where, name);
        matched += got.size;
      }
      assert.ok(matched >= 5, `${file}: ${matched} frames checked`);
      // No frame of the program is called library code.
      for (const [name, where] of placed(profile, frames, /^(cppnames`)?app::|^_ZZ?N3app/))
        assert.doesNotMatch(where, /^library/, name);
    });
  }
  it('two overloads in one file: the file is certain, the candidates are listed (pattern 3)', async () => {
    const profile = await load('cpp-names', 'profile.perf');
    const { frames } = mapProfile(profile, index, { demangle });
    const i = profile.frames.findIndex((f) => /^app::\(anonymous namespace\)::scale$/.test(f.name));
    assert.ok(i >= 0);
    assert.equal(frames[i].status, 'workspace');
    assert.equal(frames[i].file, 'src/reduce.cpp');
    assert.deepEqual(
      frames[i].candidates?.map((c) => c.startLine),
      [18, 19],
    );
  });
  it('the analysis lists a frame of a certain file but no certain function, with its candidates (not dropped)', async () => {
    const profile = await load('cpp-names', 'profile.perf');
    const a = analyzeProfile(profile, { formatLabel: 'perf script', index, demangle });
    const scale = a.unmapped.find((u) => u.function === 'app::(anonymous namespace)::scale');
    assert.ok(scale, a.unmapped.map((u) => u.function).join('\n'));
    assert.match(scale.reason, /^in src\/reduce\.cpp \(candidates at lines 18, 19\): /);
  });
  it('the parameter types of a mangled name pick one of the overloads', async () => {
    const profile = await load('cpp-names', 'profile-mangled.perf');
    const { frames } = mapProfile(profile, index, { demangle });
    const got = placed(profile, frames, /^_ZN3app12_GLOBAL__N_15scaleE[df]$/);
    assert.ok(got.size >= 1);
    for (const [name, where] of got)
      assert.equal(where, `workspace src/reduce.cpp:${name.endsWith('f') ? 19 : 18}`, name);
    assert.deepEqual(
      norm('app::foo(std::vector<float, std::allocator<float> > const&, char const*, unsigned long)').params,
      ['vector', 'char', 'unsigned long'],
    );
  });
  it('a name stackcollapse.pl cut short (`cppnames`app::`) is unmapped with its reason, not library', async () => {
    const profile = await load('cpp-names', 'profile-dtrace.folded');
    const { frames } = mapProfile(profile, index, { demangle });
    const i = profile.frames.findIndex((f) => f.name === 'cppnames`app::');
    assert.ok(i >= 0);
    assert.equal(frames[i].status, 'unknown');
    assert.match(frames[i].reason ?? '', /cut short/);
  });
  it('normalizes return types, lambdas and `run()::$_0` (clang) names', () => {
    const r = norm(
      'void app::(anonymous namespace)::reduce<float, std::plus<float> >(std::vector<float> const&)',
    );
    assert.deepEqual(r.qualifiedPath, ['app', '(anonymous namespace)', 'reduce']);
    assert.deepEqual(norm('main::{lambda(int)#1}::operator()(int) const').qualifiedPath, ['main']);
    assert.deepEqual(norm('run()::$_0::operator()() const').qualifiedPath, ['run']);
    assert.deepEqual(norm('Book::~Book()').qualifiedPath, ['Book', '~Book']);
    assert.equal(norm('std::vector<int, std::allocator<int> >::push_back(int const&)').language, 'cpp');
  });
});
