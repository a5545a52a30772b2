import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDemangler, looksMangled } from '../../../src/core/symbols/demangle';
import { normalizeFrameName } from '../../../src/core/symbols/normalize';
import { loadNodeDemanglerWasm } from '../../../src/node/workspace-fs';

const demangle = createDemangler(loadNodeDemanglerWasm());
const norm = (name: string, hint = {}) => normalizeFrameName(name, hint, { demangle });

describe('normalizeFrameName: Rust', () => {
  it('takes a demangled method path apart', () => {
    const n = norm('my_crate::evaluator::context::EvaluationContext::child');
    assert.equal(n.language, 'rust');
    assert.deepEqual(n.qualifiedPath, ['my_crate', 'evaluator', 'context', 'EvaluationContext', 'child']);
    assert.equal(n.functionName, 'child');
    assert.equal(n.typeName, 'EvaluationContext');
    assert.equal(n.crate, 'my_crate');
    assert.equal(n.isClosure, false);
  });
  it('demangles legacy symbols and drops the hash', () => {
    const n = norm('_ZN5alloc3vec16Vec$LT$T$C$A$GT$5clone17h0123456789abcdefE');
    assert.equal(n.demangled, 'alloc::vec::Vec<T,A>::clone');
    assert.equal(n.typeName, 'Vec');
    assert.equal(n.isGenericInstance, true);
    assert.equal(norm('my_crate::run::h0123456789abcdef').demangled, 'my_crate::run');
  });
  it('demangles v0 symbols, inherent impls and turbofish generics', () => {
    const m = norm('_RNvMs_Cs4Cv8Wi1oAIB_7mycrateNtB4_7Example3foo');
    assert.deepEqual(m.qualifiedPath, ['mycrate', 'Example', 'foo']);
    assert.equal(m.typeName, 'Example');
    const d = norm('_RINvNtCs123_4core3ptr13drop_in_placeNtNtCsabc_10serde_json5value5ValueEB2_');
    assert.deepEqual(d.qualifiedPath, ['core', 'ptr', 'drop_in_place']);
    assert.equal(d.isGenericInstance, true);
  });
  it('reads <T as Trait>::method with type and trait', () => {
    const n = norm('<alloc::vec::Vec<T,A> as core::clone::Clone>::clone');
    assert.equal(n.typeName, 'Vec');
    assert.equal(n.traitName, 'Clone');
    assert.equal(n.crate, 'alloc');
    const s = norm(
      '<alloc::collections::btree::map::BTreeMap<K,V,A> as core::clone::Clone>::clone::clone_subtree',
    );
    assert.equal(s.functionName, 'clone_subtree');
    assert.equal(s.typeName, 'BTreeMap');
  });
  it('counts closure and async layers', () => {
    const c = norm('my_crate::run::{{closure}}::{{closure}}');
    assert.deepEqual(c.qualifiedPath, ['my_crate', 'run']);
    assert.equal(c.closureDepth, 2);
    const a = norm('app::server::handle::{async_fn_env#0}::{closure#0}');
    assert.equal(a.functionName, 'handle');
    assert.equal(a.isClosure, true);
    assert.equal(a.closureDepth, 2);
  });
  it('drops r# from raw identifiers and reads callgrind recursion and perf inlined markers', () => {
    assert.deepEqual(norm('my_crate::filtering::r#where::r#where').qualifiedPath, [
      'my_crate',
      'filtering',
      'where',
      'where',
    ]);
    const r = norm("my_crate::walk'2");
    assert.equal(r.flags.recursionSuffix, 2);
    assert.equal(r.functionName, 'walk');
    assert.equal(norm('my_crate::foo (inlined)').flags.inlined, true);
  });
  it('flags runtime frames', () => {
    for (const name of [
      'std::rt::lang_start::{{closure}}',
      '__libc_start_main',
      '_start',
      'runtime.goexit',
      '(garbage collector)',
    ]) {
      assert.equal(norm(name).flags.runtime, true, name);
    }
    assert.equal(norm('my_crate::main').flags.runtime, false);
  });
});

describe('normalizeFrameName: other languages and special frames', () => {
  it('C++: demangles Itanium names and drops parameters and qualifiers', () => {
    const v = norm('_ZNSt6vectorIiSaIiEE9push_backERKi');
    assert.equal(v.language, 'cpp');
    assert.deepEqual(v.qualifiedPath, ['std', 'vector', 'push_back']);
    assert.deepEqual(norm('ns::Foo<int>::bar(int) const').qualifiedPath, ['ns', 'Foo', 'bar']);
    assert.deepEqual(norm('parse_line.isra.0').qualifiedPath, ['parse_line']);
  });
  it('Go: receiver types, closures and import paths', () => {
    const g = norm('github.com/org/repo/pkg.(*Type).Method.func1');
    assert.equal(g.language, 'go');
    assert.deepEqual(g.qualifiedPath, ['github.com/org/repo/pkg', 'Type', 'Method']);
    assert.equal(g.typeName, 'Type');
    assert.equal(g.closureDepth, 1);
    assert.deepEqual(norm('main.work.func2').qualifiedPath, ['main', 'work']);
  });
  it('Python (py-spy) and JS (V8 perf map) names carry their location', () => {
    const p = norm('render (pkg/report.py:12)');
    assert.equal(p.language, 'python');
    assert.deepEqual(p.location, { file: 'pkg/report.py', line: 12 });
    const j = norm('JS:*compute /srv/app/src/util.js:3:14');
    assert.equal(j.language, 'js');
    assert.equal(j.functionName, 'compute');
    assert.deepEqual(j.location, { file: '/srv/app/src/util.js', line: 3, column: 14 });
  });
  it('unknown and kernel frames', () => {
    assert.equal(norm('[unknown]').flags.unknown, true);
    assert.equal(norm('0x7f3a12345678').flags.unknown, true);
    assert.equal(norm('entry_SYSCALL_64_after_hwframe').flags.kernel, true);
    assert.equal(norm('mas_wr_bnode', { module: '[kernel.kallsyms]' }).flags.kernel, true);
    assert.equal(norm('vfs_read_[k]').flags.kernel, true);
  });
  it('keeps a mangled name as written when no demangler is available', () => {
    const n = normalizeFrameName('_ZN3foo3barE', {}, { demangle: (s) => s });
    assert.equal(n.flags.mangled, true);
    assert.equal(looksMangled('_ZN3foo3barE'), true);
    assert.equal(looksMangled('main'), false);
  });
});
