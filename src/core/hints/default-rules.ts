import type { HintMatcher, HintRule } from './types';

/**
 * The built-in hint rules. Patterns are written against frame names as profilers
 * really print them: demangled Rust with generics
 * (`<alloc::collections::btree::map::BTreeMap<K,V,A> as core::clone::Clone>::clone::clone_subtree`),
 * demangled C++ with full template arguments, Go `package.(*Type).Method` names,
 * V8 and Python function names. Legacy-mangled Rust (`_ZN…5clone17h<hash>E`) is
 * matched for the commonest cases only; a demangler should run before hints.
 */

const c = (contains: string): HintMatcher => ({ contains });
/** GCC's suffixes on cloned or split functions: `unlink_chunk.constprop.0`, `foo.part.0`, `bar.cold`. */
const GCC_CLONE = '(?:\\.(?:constprop|isra|part|cold|lto_priv)(?:\\.\\d+)?)*';
const re = (regex: string, flags?: string): HintMatcher => (flags ? { regex, flags } : { regex });

/** Labels shared by several rules of one category. */
const CLONE = {
  category: 'clone-heavy',
  label: 'clone-heavy: consider Cow/Arc',
  suggestion:
    'Much of this time copies data. Share instead of copying: borrow, use Cow for copy-on-write, or Arc/Rc for shared ownership; clone only what is changed.',
} as const;
const DROP = {
  category: 'drop-heavy',
  label: 'drop-heavy: fewer short-lived owners',
  suggestion:
    'Much of this time frees values. Create fewer short-lived owned values (borrow instead), or allocate them from an arena or a pool and free them together.',
} as const;
const ALLOC = {
  category: 'allocation-heavy',
  label: 'allocation-heavy: reserve / reuse buffers',
  suggestion:
    'Much of this time is in the allocator. Preallocate (Vec::with_capacity, reserve), keep small collections inline (SmallVec), and reuse buffers across iterations.',
} as const;
const HASH = {
  category: 'hashing',
  label: 'hashing: FxHashMap/AHash for trusted keys',
  suggestion:
    'Much of this time hashes keys with SipHash, which resists HashDoS but is slow for small keys. For keys that do not come from an attacker use FxHashMap or AHash.',
} as const;
const LOCK = {
  category: 'lock-contention',
  label: 'lock-contention: shard or shorten critical sections',
  suggestion:
    'Much of this time waits for or manages locks. Shard the data (DashMap, per-thread state merged at the end), shorten the critical sections, or use lock-free reads (RwLock, ArcSwap).',
} as const;
const POOL = {
  category: 'thread-pool-overhead',
  label: 'thread-pool-overhead: parallelize above a work threshold',
  suggestion:
    'Worker threads spend this time sleeping, waking and stealing work rather than working. Parallelize only above a work threshold, use coarser tasks (with_min_len, chunks), or run small inputs sequentially.',
} as const;
const FMT = {
  category: 'formatting',
  label: 'formatting: write into a reused buffer',
  suggestion:
    'Much of this time formats strings. Implement Display and write! into a reused String or writer instead of format!/to_string per value; avoid formatting on hot paths.',
} as const;
const JSON_ = {
  category: 'json-materialization',
  label: 'json-materialization: typed or borrowed parsing',
  suggestion:
    'Much of this time builds, clones or drops generic JSON values. Deserialize into typed structs, borrow strings (&str, RawValue) and skip fields you do not need.',
} as const;
const BTREE = {
  category: 'btree-map',
  label: 'btree-map: FxHashMap or SmallVec for small maps',
  suggestion:
    'Much of this time walks, clones or inserts into a B-tree map. Unless you need ordered iteration, use FxHashMap; for a handful of entries a SmallVec of pairs is faster.',
} as const;
const REPARSE = {
  category: 'reparsing',
  label: 'reparsing: cache the compiled result',
  suggestion:
    'This compiles or parses the same input repeatedly. Compile once and reuse it (a static LazyLock/OnceLock, a cache keyed by the input, or a field).',
} as const;
const IO = {
  category: 'syscalls-io',
  label: 'syscalls-io: buffer and batch',
  suggestion:
    'Much of this time is in system calls or the kernel. Buffer reads and writes (BufReader/BufWriter), batch small operations, and avoid reopening files.',
} as const;

/**
 * The built-in rules, grouped by category. Ids are `<language-or-library>-<what>`.
 * Frames are matched by substring or regex on the name; see {@link HintRule}.
 */
export const defaultHintRules: readonly HintRule[] = [
  // ── clone-heavy ──
  {
    id: 'rust-clone',
    ...CLONE,
    language: 'rust',
    match: [
      c('as core::clone::Clone>::clone'),
      c('::clone_subtree'),
      c('as alloc::borrow::ToOwned>::to_owned'),
      c('::to_vec'),
      c('::clone_from'),
      // `Vec::clone`, `Foo::clone` (short names, folded stacks) — but not a bare `clone`
      // (glibc's thread entry) nor `clone3`.
      re('::clone$'),
      re('\\d+clone17h[0-9a-f]{16}E$'),
    ],
  },
  {
    id: 'cpp-copy',
    ...CLONE,
    label: 'clone-heavy: move or share instead of copying',
    suggestion:
      'Much of this time runs copy constructors or copy assignment. Pass by const reference, std::move values you no longer need, or share with std::shared_ptr / string_view / span.',
    language: 'cpp',
    match: [
      // copy constructor `X<…>::X(X<…> const&)` and copy assignment `operator=(… const&)`
      // (the leading anchored lookahead rejects other names in one scan: this regex has a
      // backreference, so it cannot join the combined prefilter and runs on every frame)
      re('^(?=.* const&\\)$).*?\\b(\\w+)(?:<.*>)?::\\1\\('),
      re('::operator=\\(.* const&\\)$'),
      re('^std::(?:__cxx11::)?basic_string<.*>::_M_(?:construct|assign)\\b'),
    ],
  },
  {
    id: 'go-clone',
    ...CLONE,
    label: 'clone-heavy: share slices instead of copying',
    suggestion:
      'Much of this time clones slices, maps or strings. Share the original where it is not modified, or copy into a reused buffer.',
    language: 'go',
    match: [re('^(?:slices|maps|bytes|strings)\\.Clone')],
  },
  {
    id: 'python-deepcopy',
    ...CLONE,
    label: 'clone-heavy: avoid deepcopy',
    suggestion:
      'Much of this time runs copy.deepcopy. Copy only what is modified, use immutable values (tuples, frozen dataclasses) or a shallow copy.',
    language: 'python',
    match: [c('deepcopy')],
  },
  {
    id: 'js-clone',
    ...CLONE,
    label: 'clone-heavy: avoid deep clones',
    suggestion:
      'Much of this time deep-clones objects. Share immutable data, or copy only the fields that change (spread of one level).',
    language: 'javascript',
    match: [re('^(?:structuredClone|cloneDeep|baseClone)$')],
  },

  // ── drop-heavy ──
  {
    id: 'rust-drop',
    ...DROP,
    language: 'rust',
    match: [
      // dropping a lock guard is unlocking (lock-contention), not freeing
      re(
        '^(?!.*(?:MutexGuard|RwLock\\w*Guard|ReentrantLock\\w*Guard)).*(?:drop_in_place|::drop_slow|as core::ops::drop::Drop>::drop)',
      ),
      c('__rust_dealloc'),
      c('__rdl_dealloc'),
      re('\\bdealloc(?:ate)?\\b'),
    ],
  },
  {
    id: 'cpp-destroy',
    ...DROP,
    label: 'drop-heavy: fewer temporaries',
    suggestion:
      'Much of this time runs destructors and operator delete. Create fewer temporaries (reserve, emplace, move), or allocate from an arena (std::pmr::monotonic_buffer_resource).',
    language: 'cpp',
    match: [re('::~\\w+(?:\\(|$)'), c('std::_Destroy'), c('operator delete'), c('std::default_delete<')],
  },

  // ── allocation-heavy ──
  {
    id: 'rust-alloc',
    ...ALLOC,
    language: 'rust',
    match: [
      c('__rust_alloc'),
      c('__rust_realloc'),
      c('__rdl_alloc'),
      c('__rdl_realloc'),
      c('finish_grow'),
      re('raw_vec::.*(?:grow|reserve)'),
      re('^alloc::alloc::(?:alloc|alloc_zeroed|realloc)$'),
      re('alloc::alloc::Global.*::(?:alloc_impl\\w*|allocate\\w*|grow\\w*)$'),
    ],
  },
  {
    id: 'libc-malloc',
    ...ALLOC,
    match: [
      re(
        `^(?:__libc_|__GI___libc_|je_|mi_|tc_)?(?:malloc|calloc|realloc|free|cfree|posix_memalign|aligned_alloc)${GCC_CLONE}(?:@\\S+)?$`,
      ),
      re('^_int_(?:malloc|free|realloc|memalign)'),
      re(`^(?:sysmalloc|malloc_consolidate|unlink_chunk|tcache_\\w+)${GCC_CLONE}$`),
    ],
  },
  {
    id: 'page-faults',
    ...ALLOC,
    label: 'allocation-heavy: page faults on fresh memory',
    suggestion:
      'This time is the kernel mapping in memory touched for the first time. Reuse buffers instead of allocating new ones, and reserve large ones once.',
    match: [re(`^(?:asm_exc_page_fault|exc_page_fault|do_anonymous_page|do_page_fault)${GCC_CLONE}$`)],
  },
  {
    id: 'cpp-new',
    ...ALLOC,
    label: 'allocation-heavy: reserve / reuse buffers',
    suggestion:
      'Much of this time is in operator new. reserve() containers, keep small buffers inline (small-vector types), reuse objects, or use an arena allocator (std::pmr).',
    language: 'cpp',
    match: [c('operator new')],
  },
  {
    id: 'go-alloc',
    ...ALLOC,
    label: 'allocation-heavy: preallocate, reuse (sync.Pool)',
    suggestion:
      'Much of this time allocates. Preallocate slices and maps (make with a capacity), reuse buffers (sync.Pool), and avoid string/[]byte conversions on hot paths.',
    language: 'go',
    match: [
      re(
        '^runtime\\.(?:mallocgc\\w*|growslice|newobject|makeslice\\w*|makemap\\w*|rawstring\\w*|rawbyteslice|concatstring\\w*|slicebytetostring|stringtoslicebyte|convT\\w*)$',
      ),
    ],
  },
  {
    id: 'go-gc',
    ...ALLOC,
    label: 'allocation-heavy: GC pressure, allocate less',
    suggestion:
      'This time is garbage collection, which grows with the allocation rate. Allocate less (preallocate, sync.Pool, fewer pointers) or tune GOGC/GOMEMLIMIT.',
    language: 'go',
    match: [
      re(
        '^runtime\\.(?:gcBgMarkWorker|gcDrain\\w*|scanobject|markroot\\w*|bgsweep|gcAssistAlloc\\w*|greyobject|findObject|scanblock|wbBufFlush\\w*)$',
      ),
    ],
  },
  {
    id: 'js-gc',
    ...ALLOC,
    label: 'allocation-heavy: GC pressure, allocate less',
    suggestion:
      'This time is garbage collection, which grows with the allocation rate. Create fewer short-lived objects, arrays and strings on hot paths; reuse them.',
    language: 'javascript',
    match: [re('^\\(garbage collector\\)$')],
  },

  // ── hashing ──
  {
    id: 'rust-siphash',
    ...HASH,
    language: 'rust',
    match: [c('core::hash::sip::'), c('DefaultHasher'), c('SipHasher'), c('::hash_one')],
  },
  {
    id: 'cpp-hash',
    ...HASH,
    label: 'hashing: cheaper hash or reserve()',
    suggestion:
      'Much of this time hashes keys or rehashes a std::unordered_map. reserve() the expected size, use a cheaper hash for trusted keys, or a flat hash map.',
    language: 'cpp',
    match: [
      c('std::_Hash_bytes'),
      re('^std::_Hashtable<.*>::_M_(?:rehash|find_before_node|insert_unique_node)'),
    ],
  },
  {
    id: 'go-map',
    ...HASH,
    label: 'hashing: presize maps or use slices',
    suggestion:
      'Much of this time hashes map keys and grows maps. Presize maps with make(map[K]V, n), use integer keys, or a slice for small dense key sets.',
    language: 'go',
    match: [
      re(
        '^runtime\\.(?:mapassign\\w*|mapaccess\\w*|mapdelete\\w*|aeshash\\w*|memhash\\w*|strhash\\w*|hashGrow|growWork)$',
      ),
      re('^internal/runtime/maps\\.'),
    ],
  },

  // ── lock-contention ──
  {
    id: 'rust-lock',
    ...LOCK,
    language: 'rust',
    match: [
      re('(?:Mutex|RwLock)(?:<[^>]*>)?::(?:lock|read|write|try_lock|unlock)\\w*'),
      c('parking_lot'),
      c('MutexGuard'),
    ],
  },
  {
    id: 'futex',
    ...LOCK,
    match: [re('\\bfutex_(?:wait|wake|q_\\w+)|\\b(?:do|__x64_sys|__arm64_sys|__do_sys)_futex\\b')],
  },
  {
    id: 'pthread-lock',
    ...LOCK,
    match: [re('^(?:__)?pthread_(?:mutex|rwlock|spin)_\\w+$'), re(`^__lll_lock_w\\w+${GCC_CLONE}$`)],
  },
  {
    id: 'go-lock',
    ...LOCK,
    label: 'lock-contention: shard or shorten critical sections',
    suggestion:
      'Much of this time waits for locks. Shard the data, shorten the critical sections, prefer sync.RWMutex for read-mostly data, or use channels/atomics.',
    language: 'go',
    match: [
      re(
        '^runtime\\.(?:lock2?|unlock2?|lockWithRank|futex|futexsleep|futexwakeup|semacquire\\w*|semrelease\\w*)$',
      ),
      re('^sync\\.\\(\\*(?:RW)?Mutex\\)\\.'),
      re('^sync\\.runtime_Sem\\w+$'),
    ],
  },

  // ── thread-pool-overhead ──
  {
    id: 'rayon-idle',
    ...POOL,
    language: 'rust',
    match: [
      c('rayon_core::sleep'),
      c('wait_until_cold'),
      c('crossbeam_epoch'),
      c('crossbeam_deque'),
      c('WorkerThread::find_work'),
      c('WorkerThread::take_local_job'),
    ],
  },
  {
    id: 'sched-yield',
    ...POOL,
    match: [c('sched_yield'), re('^pthread_create(?:@@\\S+)?$'), c('std::thread::Builder::spawn')],
  },
  {
    id: 'go-scheduler',
    ...POOL,
    label: 'thread-pool-overhead: coarser goroutines',
    suggestion:
      'The Go scheduler spends this time finding and parking goroutines. Use fewer, coarser goroutines (a worker pool over batches) and run small inputs sequentially.',
    language: 'go',
    match: [
      re(
        '^runtime\\.(?:findRunnable|findrunnable|stealWork|schedule|runqgrab|park_m|notesleep|stopm|osyield|usleep)$',
      ),
    ],
  },

  // ── formatting ──
  {
    id: 'rust-fmt',
    ...FMT,
    language: 'rust',
    match: [
      c('alloc::fmt::format'),
      c('core::fmt::write'),
      c('as alloc::string::ToString>::to_string'),
      c('ToString::to_string'),
      c('core::fmt::Formatter'),
      c('core::fmt::num::'),
      c('core::fmt::float::'),
    ],
  },
  {
    id: 'c-printf',
    ...FMT,
    label: 'formatting: fewer printf calls, reused buffers',
    suggestion:
      'Much of this time formats text. Format into a reused buffer, write numbers with a fast converter (std::to_chars), and avoid iostream formatting on hot paths.',
    match: [
      re('^(?:__)?v?(?:s|sn|f|as)?printf(?:_chk|_internal)?$'),
      re('^__(?:vfprintf|printf_fp|printf_fphex|vsnprintf)_internal\\b'),
      c('std::__ostream_insert'),
      re('std::(?:__cxx11::)?to_string\\('),
      re('^fmt::v\\d+::'),
    ],
  },
  {
    id: 'go-fmt',
    ...FMT,
    label: 'formatting: strconv or a reused buffer',
    suggestion:
      'Much of this time is in package fmt. Use strconv.Append* or a reused bytes.Buffer/strings.Builder instead of fmt.Sprintf on hot paths.',
    language: 'go',
    match: [re('^fmt\\.')],
  },

  // ── json-materialization ──
  {
    id: 'serde-json',
    ...JSON_,
    language: 'rust',
    match: [c('serde_json::')],
  },
  {
    id: 'cpp-nlohmann-json',
    ...JSON_,
    label: 'json-materialization: parse into typed structs',
    suggestion:
      'Much of this time builds generic JSON DOM values. Use an event (SAX) parser or read into typed structs; avoid copying json objects.',
    language: 'cpp',
    match: [c('nlohmann::')],
  },
  {
    id: 'go-encoding-json',
    ...JSON_,
    label: 'json-materialization: typed structs, streaming decode',
    suggestion:
      'Much of this time is in encoding/json. Decode into typed structs rather than map[string]any, stream with json.Decoder, or use json.RawMessage for fields passed through.',
    language: 'go',
    match: [c('encoding/json.')],
  },
  {
    id: 'js-json',
    ...JSON_,
    label: 'json-materialization: parse once, pass objects',
    suggestion:
      'Much of this time parses or serializes JSON. Parse once and pass the objects around, avoid JSON round trips to clone, and serialize only what is sent.',
    language: 'javascript',
    match: [re('\\bJSON\\.(?:parse|stringify)\\b'), re('^(?:JsonParse|JsonStringify)$')],
  },
  {
    id: 'python-json',
    ...JSON_,
    label: 'json-materialization: parse once',
    suggestion:
      'Much of this time parses or serializes JSON. Parse once and keep the objects, or use a faster library (orjson, msgspec) with typed structs.',
    language: 'python',
    match: [re('^json\\.(?:loads?|dumps?)$'), c('JSONDecoder'), c('JSONEncoder'), re('^raw_decode$')],
  },

  // ── btree-map ──
  {
    id: 'rust-btree',
    ...BTREE,
    language: 'rust',
    match: [c('alloc::collections::btree::')],
  },
  {
    id: 'cpp-rb-tree',
    ...BTREE,
    label: 'btree-map: unordered_map or a sorted vector',
    suggestion:
      'Much of this time walks or rebalances a std::map/std::set red-black tree. Unless ordered iteration is needed use std::unordered_map; for small maps a sorted vector.',
    language: 'cpp',
    match: [c('std::_Rb_tree')],
  },

  // ── reparsing ──
  {
    id: 'rust-regex-compile',
    ...REPARSE,
    label: 'reparsing: compile the regex once',
    language: 'rust',
    match: [
      c('Regex::new'),
      c('RegexBuilder::build'),
      c('regex_syntax::'),
      c('regex_automata::meta::regex::Builder'),
      c('regex_automata::nfa::thompson::compiler'),
      c('GlobBuilder::build'),
      c('glob::Pattern::new'),
    ],
  },
  {
    id: 'cpp-regex-compile',
    ...REPARSE,
    label: 'reparsing: construct std::regex once',
    language: 'cpp',
    match: [re('^std::(?:__cxx11::)?basic_regex<.*>::basic_regex\\('), c('std::__detail::_Compiler')],
  },
  {
    id: 'go-regexp-compile',
    ...REPARSE,
    label: 'reparsing: compile the regexp once',
    language: 'go',
    match: [re('^regexp\\.(?:Must)?Compile'), re('^regexp/syntax\\.')],
  },
  {
    id: 'python-re-compile',
    ...REPARSE,
    label: 'reparsing: compile the pattern once',
    language: 'python',
    match: [c('sre_compile'), c('sre_parse'), re('^re\\._(?:compiler|parser)\\.'), re('^re\\.compile$')],
  },

  // ── syscalls-io ──
  {
    // Kernel time counts through the system call entry points: kernel frames under a
    // timer interrupt, a reschedule or a page fault are not the program's IO, so there
    // is no rule for "any kernel frame".
    id: 'syscall-entry',
    ...IO,
    match: [
      re(
        `^(?:entry_SYSCALL_64\\w*|do_syscall_64|syscall_exit_to_user_mode\\w*|__x64_sys_\\w+|__arm64_sys_\\w+|__do_sys_\\w+|el0_svc\\w*|invoke_syscall|ksys_\\w+|vfs_(?:read|write|fsync|open)\\w*)${GCC_CLONE}$`,
      ),
      re(
        '^(?:__GI___libc_|__libc_)(?:read|write|readv|writev|pread64|pwrite64|recv|recvfrom|recvmsg|send|sendto|sendmsg|open|open64|openat|openat64|close|fsync|fdatasync)$',
      ),
    ],
  },
  {
    id: 'libc-io',
    ...IO,
    // bare names are only trusted when the frame comes from libc
    module: [re('(?:^|/)lib(?:c|pthread)[.-]')],
    match: [
      re(
        '^(?:read|write|readv|writev|pread64|pwrite64|recv|recvfrom|recvmsg|send|sendto|sendmsg|open|open64|openat|openat64|close|fsync|fdatasync|__lseek64|lseek64|statx|fstat|fstat64|__fxstat64|getdents64)$',
      ),
    ],
  },
  {
    id: 'rust-std-io',
    ...IO,
    language: 'rust',
    match: [
      re('^std::sys::.*::(?:FileDesc|File|Socket|TcpStream|UdpSocket)::'),
      re('<std::fs::File as std::io::(?:Read|Write)>'),
      c('std::io::stdio::'),
      c('std::fs::read'),
      c('std::fs::write'),
      c('std::io::default_read_to_end'),
    ],
  },
  {
    id: 'go-syscall',
    ...IO,
    label: 'syscalls-io: bufio and batching',
    suggestion:
      'Much of this time is in system calls. Wrap files and connections in bufio.Reader/Writer, batch small writes, and reuse connections.',
    language: 'go',
    match: [
      re(
        '^(?:syscall|internal/poll|internal/syscall/unix|internal/runtime/syscall|runtime/internal/syscall)\\.',
      ),
      re('^os\\.\\(\\*File\\)\\.'),
    ],
  },
  {
    id: 'node-sync-io',
    ...IO,
    label: 'syscalls-io: async or batched file IO',
    suggestion:
      'Much of this time is in synchronous file system calls. Read files once and cache them, batch writes, or use streams.',
    language: 'javascript',
    match: [
      re(
        '^(?:readFileSync|writeFileSync|appendFileSync|readSync|writeSync|openSync|closeSync|statSync|fstatSync|readdirSync)$',
      ),
    ],
  },
];
