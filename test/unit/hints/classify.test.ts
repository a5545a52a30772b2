import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { classifyFrame, compileHintRules, frameLanguage } from '../../../src/core/hints/classify';
import { defaultHintRules } from '../../../src/core/hints/default-rules';
import { HINT_CATEGORIES } from '../../../src/core/hints/types';
import type { Frame } from '../../../src/core/profile/model';

const compiled = compileHintRules(defaultHintRules);
const categoryOf = new Map(defaultHintRules.map((r) => [r.id, r.category]));

/** The sorted, distinct categories the default rules give a frame. */
function categories(frame: string | Frame): string[] {
  return [...new Set(classifyFrame(frame, compiled).map((id) => categoryOf.get(id) ?? '?'))].sort();
}

// Names as perf, callgrind, pprof, V8 and py-spy print them (Rust names from perf
// runs of a std-only program on this machine, with -g and --call-graph dwarf).
const table: [frame: string | Frame, expected: string[]][] = [
  // Rust
  [
    '<alloc::collections::btree::map::BTreeMap<K,V,A> as core::clone::Clone>::clone::clone_subtree',
    ['btree-map', 'clone-heavy'],
  ],
  ['<alloc::string::String as core::clone::Clone>::clone', ['clone-heavy']],
  ['<alloc::vec::Vec<T,A> as core::clone::Clone>::clone', ['clone-heavy']],
  ['Vec::clone', ['clone-heavy']],
  ['<str as alloc::borrow::ToOwned>::to_owned', ['clone-heavy']],
  ['alloc::slice::<impl [T]>::to_vec', ['clone-heavy']],
  [
    '_ZN60_$LT$alloc..string..String$u20$as$u20$core..clone..Clone$GT$5clone17h0123456789abcdefE',
    ['clone-heavy'],
  ],
  ['core::ptr::drop_in_place<serde_json::value::Value>', ['drop-heavy', 'json-materialization']],
  ['alloc::sync::Arc<T,A>::drop_slow', ['drop-heavy']],
  [
    'core::ptr::drop_in_place<std::sync::poison::mutex::MutexGuard<alloc::vec::Vec<u64>>>',
    ['lock-contention'],
  ],
  ['<std::sync::poison::mutex::MutexGuard<T> as core::ops::drop::Drop>::drop', ['lock-contention']],
  ['<alloc::raw_vec::RawVec<T,A> as core::ops::drop::Drop>::drop', ['drop-heavy']],
  ['alloc::alloc::dealloc', ['drop-heavy']],
  ['alloc::raw_vec::RawVecInner<A>::deallocate', ['drop-heavy']],
  ['__rustc::__rust_dealloc', ['drop-heavy']],
  ['__rustc::__rust_alloc', ['allocation-heavy']],
  ['alloc::raw_vec::RawVec<T,A>::grow_one', ['allocation-heavy']],
  [
    '<alloc::raw_vec::RawVecInner<_>>::reserve::do_reserve_and_handle::<alloc::alloc::Global>',
    ['allocation-heavy'],
  ],
  ['<alloc::raw_vec::RawVecInner>::finish_grow', ['allocation-heavy']],
  ['alloc::alloc::alloc', ['allocation-heavy']],
  ['<alloc::alloc::Global>::alloc_impl_runtime', ['allocation-heavy']],
  ['<std::hash::random::DefaultHasher as core::hash::Hasher>::write', ['hashing']],
  ['<core::hash::sip::Hasher<S> as core::hash::Hasher>::write', ['hashing']],
  ['core::hash::BuildHasher::hash_one', ['hashing']],
  ['std::sys::sync::mutex::futex::Mutex::lock_contended', ['lock-contention']],
  ['std::sync::poison::mutex::Mutex<T>::lock', ['lock-contention']],
  ['std::sys::sync::rwlock::futex::RwLock::read_contended', ['lock-contention']],
  ['std::sys::pal::unix::futex::futex_wait', ['lock-contention']],
  ['parking_lot::raw_mutex::RawMutex::lock_slow', ['lock-contention']],
  ['rayon_core::sleep::Sleep::sleep', ['thread-pool-overhead']],
  ['rayon_core::registry::WorkerThread::wait_until_cold', ['thread-pool-overhead']],
  ['crossbeam_epoch::default::with_handle', ['thread-pool-overhead']],
  ['alloc::fmt::format::format_inner', ['formatting']],
  ['core::fmt::write', ['formatting']],
  ['<T as alloc::string::ToString>::to_string', ['formatting']],
  ['<core::fmt::Formatter>::pad_integral', ['formatting']],
  ['serde_json::de::from_str', ['json-materialization']],
  ['<serde_json::value::de::ValueVisitor as serde::de::Visitor>::visit_map', ['json-materialization']],
  ['alloc::collections::btree::map::BTreeMap<K,V,A>::insert', ['btree-map']],
  [
    '<alloc::collections::btree::map::Iter<K,V> as core::iter::traits::iterator::Iterator>::next',
    ['btree-map'],
  ],
  ['regex::regex::string::Regex::new', ['reparsing']],
  ['regex_syntax::ast::parse::ParserI<P>::parse_with_comments', ['reparsing']],
  ['<std::fs::File as std::io::Read>::read', ['syscalls-io']],
  ['std::sys::fs::unix::File::open_c', ['syscalls-io']],
  // C / C++ (glibc symbols carry versions)
  ['malloc', ['allocation-heavy']],
  ['_int_malloc', ['allocation-heavy']],
  ['__GI___libc_malloc', ['allocation-heavy']],
  ['cfree@GLIBC_2.2.5', ['allocation-heavy']],
  ['realloc', ['allocation-heavy']],
  // GCC clone suffixes, as in the C++ fixtures
  ['unlink_chunk.constprop.0', ['allocation-heavy']],
  ['malloc_consolidate', ['allocation-heavy']],
  ['std::default_delete<lens::stats::Bucket>::operator', ['drop-heavy']],
  ['std::__new_allocator<int>::deallocate', ['drop-heavy']],
  ['operator new(unsigned long)', ['allocation-heavy']],
  ['operator delete(void*, unsigned long)', ['drop-heavy']],
  [
    'std::vector<int, std::allocator<int> >::vector(std::vector<int, std::allocator<int> > const&)',
    ['clone-heavy'],
  ],
  [
    'std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >::basic_string(std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const&)',
    ['clone-heavy'],
  ],
  [
    'std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >::_M_assign(std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const&)',
    ['clone-heavy'],
  ],
  ['Node::~Node()', ['drop-heavy']],
  // stackcollapse-perf.pl cuts names at the first "("
  [
    'std::unique_ptr<lens::stats::Bucket, std::default_delete<lens::stats::Bucket> >::~unique_ptr',
    ['drop-heavy'],
  ],
  [
    'std::_Rb_tree<int, std::pair<int const, int>, std::_Select1st<std::pair<int const, int> >, std::less<int>, std::allocator<std::pair<int const, int> > >::_M_insert_unique(std::pair<int const, int>&&)',
    ['btree-map'],
  ],
  ['std::_Hash_bytes(void const*, unsigned long, unsigned long)', ['hashing']],
  ['__pthread_mutex_lock', ['lock-contention']],
  ['__lll_lock_wait', ['lock-contention']],
  ['__vfprintf_internal', ['formatting']],
  ['snprintf', ['formatting']],
  [
    'std::__cxx11::basic_regex<char, std::__cxx11::regex_traits<char> >::basic_regex(char const*, std::regex_constants::syntax_option_type)',
    ['reparsing'],
  ],
  ['__GI___libc_write', ['syscalls-io']],
  ['entry_SYSCALL_64_after_hwframe', ['syscalls-io']],
  ['__x64_sys_futex', ['lock-contention', 'syscalls-io']],
  ['__sched_yield', ['thread-pool-overhead']],
  // Go (pprof names)
  ['runtime.mallocgc', ['allocation-heavy']],
  ['runtime.mallocgcSmallNoscan', ['allocation-heavy']],
  ['runtime.growslice', ['allocation-heavy']],
  ['runtime.gcBgMarkWorker', ['allocation-heavy']],
  ['runtime.mapassign_faststr', ['hashing']],
  ['runtime.lock2', ['lock-contention']],
  ['runtime.futex', ['lock-contention']],
  ['sync.(*Mutex).lockSlow', ['lock-contention']],
  ['runtime.findRunnable', ['thread-pool-overhead']],
  ['fmt.Sprintf', ['formatting']],
  ['encoding/json.(*decodeState).object', ['json-materialization']],
  ['regexp.MustCompile', ['reparsing']],
  ['syscall.Syscall', ['syscalls-io']],
  ['internal/poll.(*FD).Write', ['syscalls-io']],
  ['slices.Clone[...]', ['clone-heavy']],
  // JavaScript (V8) and Python
  ['(garbage collector)', ['allocation-heavy']],
  ['JSON.parse', ['json-materialization']],
  ['JSON.stringify', ['json-materialization']],
  ['structuredClone', ['clone-heavy']],
  ['readFileSync', ['syscalls-io']],
  ['__deepcopy__', ['clone-heavy']],
  ['_deepcopy_dict', ['clone-heavy']],
  ['json.loads', ['json-materialization']],
  ['sre_compile.compile', ['reparsing']],
  // frames that must not get a hint
  ['main', []],
  ['main::main', []],
  ['clone3', []],
  ['__clone', []],
  ['start_thread', []],
  ['std::rt::lang_start_internal', []],
  ['my_crate::evaluator::context::EvaluationContext::child', []],
  ['my_crate::io::read', []],
  ['read', []],
  ['write', []],
  ['hashbrown::map::HashMap<K,V,S,A>::insert', []],
  ['__rustc::__rust_no_alloc_shim_is_unstable_v2', []],
  ['alloc::collections::vec_deque::VecDeque<T,A>::push_back', []],
  ['[unknown]', []],
  ['(program)', []],
  ['(idle)', []],
  // conditions on kind, module and language
  [{ name: 'read', module: '/usr/lib/x86_64-linux-gnu/libc.so.6' }, ['syscalls-io']],
  [{ name: 'read', module: '/tmp/prog' }, []],
  // kernel time is IO only under a system call: not interrupts, reschedules or page faults
  [{ name: 'clear_page_erms', module: '[kernel.kallsyms]', kind: 'kernel' }, []],
  [{ name: 'asm_sysvec_apic_timer_interrupt', module: '[kernel.kallsyms]', kind: 'kernel' }, []],
  [{ name: '__schedule', module: '[kernel.kallsyms]', kind: 'kernel' }, []],
  [{ name: 'asm_exc_page_fault', module: '[kernel.kallsyms]', kind: 'kernel' }, ['allocation-heavy']],
  [{ name: '__do_sys_brk', module: '[kernel.kallsyms]', kind: 'kernel' }, ['syscalls-io']],
  [{ name: 'el0_svc', module: '[kernel.kallsyms]', kind: 'kernel' }, ['syscalls-io']],
  [{ name: 'fmt.Sprintf', file: '/go/src/fmt/print.go', line: 239 }, ['formatting']],
  [{ name: 'fmt.format', file: 'src/app.js', line: 3 }, []],
  [{ name: 'JSON.parse', file: 'tools/gen.py' }, []],
  [{ name: '__deepcopy__', file: 'model.py' }, ['clone-heavy']],
  [
    { name: 'operator new(unsigned long)', file: '/usr/include/c++/13/bits/new_allocator.h', line: 151 },
    ['allocation-heavy'],
  ],
  [{ name: 'std::_Rb_tree_insert_and_rebalance', file: 'tree.cc' }, ['btree-map']],
  [{ name: 'std::_Rb_tree_insert_and_rebalance', file: 'tree.c' }, ['btree-map']],
  [{ name: 'std::_Rb_tree_insert_and_rebalance', file: 'tree.rs' }, []],
  [{ name: 'Vec::clone', file: '/rustc/abc/library/alloc/src/vec/mod.rs', line: 3400 }, ['clone-heavy']],
];

describe('classifyFrame with the default rules', () => {
  for (const [frame, expected] of table) {
    const label = typeof frame === 'string' ? frame : JSON.stringify(frame);
    it(`${label.slice(0, 100)} → ${expected.join(', ') || 'nothing'}`, () => {
      assert.deepEqual(categories(frame), expected);
    });
  }

  it('covers every built-in category with at least one rule and example', () => {
    const used = new Set(defaultHintRules.map((r) => r.category));
    const seen = new Set(table.flatMap(([, e]) => e));
    for (const c of HINT_CATEGORIES) {
      assert.ok(used.has(c), `no rule for ${c}`);
      assert.ok(seen.has(c), `no example for ${c}`);
    }
  });

  it('gives every default rule a unique id, a label starting with its category, and valid regexes', () => {
    const ids = new Set<string>();
    for (const r of defaultHintRules) {
      assert.ok(!ids.has(r.id), `duplicate id ${r.id}`);
      ids.add(r.id);
      assert.ok(r.label.startsWith(`${r.category}: `), `${r.id}: label "${r.label}"`);
      assert.ok(r.suggestion.length > 20, r.id);
    }
    assert.equal(compiled.rules.length, defaultHintRules.length);
  });

  it('accepts a rule array and compiles it once', () => {
    assert.deepEqual(classifyFrame('core::fmt::write', defaultHintRules), ['rust-fmt']);
  });

  it('returns every matching rule id in rule order', () => {
    assert.deepEqual(classifyFrame('core::ptr::drop_in_place<serde_json::value::Value>', compiled), [
      'rust-drop',
      'serde-json',
    ]);
  });
});

describe('frameLanguage', () => {
  const cases: [Frame, string | undefined][] = [
    [{ name: 'f', file: 'src/evaluator/context.rs' }, 'rust'],
    [{ name: 'f', file: '/usr/include/c++/13/bits/stl_vector.h' }, undefined],
    [{ name: 'f', file: 'src/hash.c' }, 'c'],
    [{ name: 'f', file: 'engine.cpp' }, 'cpp'],
    [{ name: 'f', file: '/go/src/runtime/malloc.go' }, 'go'],
    [{ name: 'f', module: 'file:///app/dist/main.js' }, 'javascript'],
    [{ name: 'f', file: 'src/view.tsx' }, 'javascript'],
    [{ name: 'f', file: 'model.py' }, 'python'],
    [{ name: 'f', module: '/usr/lib/x86_64-linux-gnu/libc.so.6' }, undefined],
    [{ name: 'f', module: '[kernel.kallsyms]' }, undefined],
    [{ name: 'f' }, undefined],
  ];
  for (const [frame, lang] of cases) {
    it(`${frame.file ?? frame.module ?? '(none)'} → ${lang}`, () => assert.equal(frameLanguage(frame), lang));
  }
});

describe('compiled rules prefilter', () => {
  // the combined prefilter must never hide a match: compare with testing every rule
  const fragments = [
    'core::clone::Clone>::clone',
    '::clone_subtree',
    'malloc',
    '_int_',
    'free',
    'std::',
    'vector<int>',
    '::vector(',
    ' const&)',
    'runtime.',
    'mallocgc',
    'fmt.',
    'JSON.parse',
    '(garbage collector)',
    'futex_wait',
    'Mutex::lock',
    'my_crate::',
    '{{closure}}',
    '@GLIBC_2.2.5',
    'read',
    '__libc_',
  ];
  it('gives the same rules as testing every rule, on names built from pattern fragments', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...fragments), { minLength: 1, maxLength: 5 }),
        fc.constantFrom<Frame['kind']>(undefined, 'kernel', 'user'),
        fc.constantFrom(undefined, '/usr/lib/x86_64-linux-gnu/libc.so.6', '/tmp/prog'),
        fc.constantFrom(undefined, 'src/main.rs', 'main.go', 'app.js', 'a.cpp'),
        (parts, kind, module, file) => {
          const frame: Frame = {
            name: parts.join(''),
            ...(kind ? { kind } : {}),
            ...(module ? { module } : {}),
            ...(file ? { file } : {}),
          };
          const lang = frameLanguage(frame);
          const brute = compiled.rules.filter((r) => r.test(frame, lang)).map((r) => r.index);
          assert.deepEqual([...compiled.matchFrame(frame)], brute);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('matches a rule with only a kind on every frame of that kind', () => {
    const kernel = compileHintRules([
      {
        id: 'all-kernel',
        category: 'syscalls-io',
        label: 'syscalls-io: x',
        suggestion: 'x',
        match: [],
        kind: 'kernel',
      },
    ]);
    assert.deepEqual(classifyFrame({ name: 'clear_page_erms', kind: 'kernel' }, kernel), ['all-kernel']);
    assert.deepEqual(classifyFrame({ name: 'clear_page_erms', kind: 'user' }, kernel), []);
    assert.deepEqual(classifyFrame('clear_page_erms', kernel), []);
  });

  it('tests rules with flags or backreferences without the prefilter', () => {
    const custom = compileHintRules([
      {
        id: 'ci',
        category: 'reparsing',
        label: 'reparsing: x',
        suggestion: 'x',
        match: [{ regex: 'PARSE_expr', flags: 'i' }],
      },
      {
        id: 'backref',
        category: 'clone-heavy',
        label: 'clone-heavy: x',
        suggestion: 'x',
        match: [{ regex: '(\\w+)::\\1$' }],
      },
    ]);
    assert.deepEqual(classifyFrame('my::parse_EXPR', custom), ['ci']);
    assert.deepEqual(classifyFrame('Point::Point', custom), ['backref']);
    assert.deepEqual(classifyFrame('Point::Line', custom), []);
  });
});
