import { type Demangle, getDefaultDemangler, looksMangled } from './demangle';
import { splitTopLevel, stripGenerics, trailingParenStart } from './split';
import { cppParamTypes, genericArgs, normalizeTypeArg } from './type-args';

/**
 * Frame-name normalization: turns a frame name as a profiler wrote it (mangled or
 * demangled Rust, C/C++, Go, JS, Python, kernel and runtime frames) into a
 * structured name that source mapping can look up in the workspace symbol index.
 *
 * Name shapes understood (all observed in real profiles; see docs/real-profiles.md):
 * - Rust: `_ZN…17h<hash>E` (legacy) and `_R…` (v0, RFC 2603) are demangled; a trailing
 *   `::h<16 hex>` is dropped; `<T as Trait>::method`, `<Type>::method`, generics
 *   (`Vec<T,A>`, `drop_in_place::<X>`), closures (`{{closure}}`, `{closure#0}`),
 *   async layers (`{async_fn_env#0}`, `{async_block_env#0}`), raw identifiers (`r#where`).
 * - C++: Itanium `_Z…` demangled; parameters, cv-qualifiers, templates and
 *   `{lambda(…)#1}` handled; C names with `.isra.0`/`.constprop.0`/`.cold` suffixes.
 * - Go: `pkg/path.(*Type).Method`, `pkg.Type.Method`, `pkg.Func.func1`, `pkg.Func[...]`.
 * - JS: V8 names (`JS:*foo /path/x.js:12:3`, `LazyCompile:~foo file:///x.js:3`), `(anonymous)`.
 * - Python: py-spy `func (path/file.py:12)`.
 * - callgrind recursion suffixes (`'2`), perf `(inlined)`, `[unknown]`, kernel and runtime frames.
 * - DTrace / macOS flame graphs: `` module`function `` (`` mybin`my_crate::run ``,
 *   `` libsystem_malloc.dylib`free ``): the module is split off into {@link NormalizedName.module};
 *   Rust closures shown as `::_{{closure}}`, `{{closure}}#2`; frames that `stackcollapse.pl` cut at
 *   their last `<` (`` <my_crate::Value as core::convert::From ``) keep their self type and trait.
 */

/** Source language a frame name belongs to. */
export type FrameLanguage = 'rust' | 'cpp' | 'c' | 'go' | 'js' | 'python' | 'unknown';

/** Classification flags of a frame name. */
export interface NameFlags {
  /** The profiler did not know the function (`[unknown]`, `??`, a bare address). */
  readonly unknown: boolean;
  /** Kernel code (`[kernel.kallsyms]` module, `_[k]` suffix, `entry_SYSCALL_64`, `do_syscall_64`, …). */
  readonly kernel: boolean;
  /** Program start-up, thread or language-runtime plumbing (`_start`, `std::rt::lang_start`, `runtime.goexit`, `(garbage collector)`). */
  readonly runtime: boolean;
  /** The name carried perf's ` (inlined)` marker. */
  readonly inlined: boolean;
  /** callgrind recursion depth suffix (`foo'2` → 2); undefined when absent. */
  readonly recursionSuffix?: number;
  /** A mangled name that could not be demangled (no demangler installed). */
  readonly mangled: boolean;
}

/** A frame name taken apart. */
export interface NormalizedName {
  readonly language: FrameLanguage;
  /** The name exactly as given. */
  readonly raw: string;
  /** Demangled text without hash, `(inlined)`, recursion suffix or location. */
  readonly demangled: string;
  /**
   * Path segments of the function without generics, closures and parameters:
   * Rust `['my_crate','evaluator','context','EvaluationContext','child']`,
   * C++ `['ns','Foo','bar']`, Go `['example.com/m/pkg','Type','Method']`, JS/Python `['Class','method']` or `['func']`.
   */
  readonly qualifiedPath: readonly string[];
  /** Last segment of {@link qualifiedPath} (the function itself; `''` for unknown frames). */
  readonly functionName: string;
  /** Self type of a method (`EvaluationContext`, `Vec`, Go receiver type), when the name shows one. */
  readonly typeName?: string;
  /** Trait of a trait method (`<Vec<T> as Clone>::clone` → `Clone`). */
  readonly traitName?: string;
  /**
   * Generic arguments of the self type, normalized with `normalizeTypeArg`
   * (`trait_impls::matrix::Matrix<f32>::norm` → `['f32']`); undefined when the name shows none.
   */
  readonly typeArgs?: readonly string[];
  /**
   * Generic arguments of the trait, normalized
   * (`<X as core::convert::From<serde_json::value::Value>>::from` → `['Value']`).
   */
  readonly traitArgs?: readonly string[];
  /**
   * Rust: the type of an `<impl Trait for T>` / `<impl T>` path segment
   * (`my_crate::_::<impl serde::de::Deserialize for my_crate::LineInfo>::deserialize` → `LineInfo`):
   * where code that a derive or macro writes belongs.
   */
  readonly implType?: string;
  /** C++: the parameter base types when the name shows them (`scale(float)` → `['float']`; see `cppParamTypes`). */
  readonly params?: readonly string[];
  /** Rust crate (first path segment), or Go package import path. */
  readonly crate?: string;
  /** True when the frame is a closure (or async state machine / lambda) inside {@link functionName}. */
  readonly isClosure: boolean;
  /** How many closure / async / lambda layers wrap the frame (0 when none). */
  readonly closureDepth: number;
  /** True when the name shows generic or template arguments. */
  readonly isGenericInstance: boolean;
  readonly flags: NameFlags;
  /** Source location carried in the name itself (py-spy, V8 perf maps); line is 1-based. */
  readonly location?: { readonly file: string; readonly line?: number; readonly column?: number };
  /**
   * The binary or library named before a backtick (DTrace, macOS flame graphs:
   * `` mybin`main `` → `mybin`, `` libsystem_malloc.dylib`free `` → `libsystem_malloc.dylib`).
   */
  readonly module?: string;
  /**
   * True when the name was cut before its function name (FlameGraph's `stackcollapse.pl`
   * drops everything from the last `<` of a C++-looking name: `` <my_crate::Value as core::convert::From ``);
   * {@link typeName}/{@link traitName} are then all that is known and {@link functionName} is `''`.
   */
  readonly truncated?: boolean;
}

/** Optional context about the frame that helps guess the language. */
export interface NameHint {
  /** Source file of the frame, when the profile has one. */
  readonly file?: string;
  /** Binary / shared object / module (`[kernel.kallsyms]`, `libc.so.6`). */
  readonly module?: string;
}

/** Options of {@link normalizeFrameName}. */
export interface NormalizeOptions {
  /** Demangler; defaults to the one installed with `setDefaultDemangler`. */
  readonly demangle?: Demangle;
}

const RUST_HASH = /::h[0-9a-f]{16}$/;
const RUST_CLOSURE =
  /^_?\{\{(closure|constant|vtable-shim|vtable\.shim|reify-shim|reify\.shim)\}\}(#\d+)?$|^_?\{(closure|async_fn_env|async_block_env|async_closure|coroutine|shim|constant|synthetic)[#:][^}]*\}$/;
const CPP_LAMBDA = /^\{lambda\(.*\)#\d+\}$|^\{unnamed type#\d+\}$|^\$_\d+$|^'lambda\d*'\(.*\)$/;
/** `` module`function `` (DTrace ustack, macOS flame graphs): a module name has no spaces, `<`, `(` or `::`. */
const MODULE_TICK = /^([^\s`<>():;]+)`(.*)$/;
const GO_CLOSURE = /^(func\d+|\d+|gowrap\d+|deferwrap\d+)$/;

const KERNEL_NAMES =
  /^(entry_SYSCALL_64\w*|do_syscall_64|__x64_sys_\w+|__arm64_sys_\w+|x64_sys_call|asm_exc_\w+|asm_sysvec_\w+|asm_common_interrupt|exc_page_fault|do_user_addr_fault|handle_mm_fault|__handle_mm_fault|el0_svc\w*|ret_from_fork\w*|syscall_exit_to_user_mode\w*|irqentry_exit\w*|__schedule|schedule|finish_task_switch\w*|___workq_open|native_write_msr|clear_page_erms|do_exit|do_group_exit|page_fault|__do_page_fault|copy_user\w*|rep_movs_alternative)$/;

const RUNTIME_NAMES = new Set([
  '_start',
  '__libc_start_main',
  '__libc_start_call_main',
  '__libc_start_main_impl',
  'start_thread',
  'thread_start',
  '__clone',
  '__clone3',
  'clone',
  'clone3',
  '_dl_start',
  '_dl_start_user',
  '__GI___clone',
  '__GI___clone3',
  '(garbage collector)',
  '(program)',
  '(idle)',
  '(root)',
  '(GC)',
  'start',
  '_main',
  'runtime.goexit',
  'runtime.main',
  'runtime.mstart',
  'runtime.mstart0',
  'runtime.mstart1',
  'runtime.rt0_go',
  'std::rt::lang_start',
  'std::rt::lang_start_internal',
  'std::sys::backtrace::__rust_begin_short_backtrace',
  'std::sys_common::backtrace::__rust_begin_short_backtrace',
  'std::sys::pal::unix::thread::Thread::new::thread_start',
  'core::ops::function::FnOnce::call_once',
  '<module>',
]);

/** Names already taken apart, per demangler: name → file and module → result. */
const normalized = new Map<Demangle | undefined, Map<string, Map<string, NormalizedName>>>();
let normalizedCount = 0;
/** Past this many names the memo starts again (a bound on its memory). */
const MAX_NORMALIZED = 200_000;

/**
 * Takes a frame name apart. The result depends only on the arguments and is kept (up to
 * 200,000 names): the mapping, the comparison snapshot and the flame graph of a load, the
 * many per-line frames of one function, and the next load of the same program all ask for
 * the same names. The result is shared: do not change it.
 * @param name the frame name as the profiler wrote it
 * @param hint the frame's file and module, when known (they settle the language)
 * @param options demangler to use (defaults to the installed default; without one a
 *   mangled name is kept as written and `flags.mangled` is true)
 * @returns the normalized name; never throws
 */
export function normalizeFrameName(
  name: string,
  hint: NameHint = {},
  options: NormalizeOptions = {},
): NormalizedName {
  const demangle = options.demangle ?? getDefaultDemangler();
  let byName = normalized.get(demangle);
  if (byName === undefined) {
    byName = new Map();
    normalized.set(demangle, byName);
  }
  let byPlace = byName.get(name);
  if (byPlace === undefined) {
    byPlace = new Map();
    byName.set(name, byPlace);
  }
  const place = hint.module === undefined ? (hint.file ?? '') : `${hint.file ?? ''}\u0000${hint.module}`;
  let n = byPlace.get(place);
  if (n === undefined) {
    if (normalizedCount >= MAX_NORMALIZED) {
      normalized.clear();
      normalizedCount = 0;
    }
    n = takeApart(name, hint, demangle);
    byPlace.set(place, n);
    normalizedCount++;
  }
  return n;
}

function takeApart(name: string, hint: NameHint, demangler: Demangle | undefined): NormalizedName {
  const raw = name;
  let text = name.trim();
  let inlined = false;
  let recursionSuffix: number | undefined;
  let tickModule: string | undefined;
  const tick = MODULE_TICK.exec(text);
  if (tick && tick[2] !== '') {
    tickModule = tick[1];
    text = tick[2];
    if (tickModule === 'unknown' && /^(0x)?[0-9a-f]+$/i.test(text)) text = '[unknown]';
  }
  const module = hint.module ?? tickModule;
  let kernel =
    module === '[kernel.kallsyms]' || /^\[?kernel/.test(module ?? '') || /^mach_kernel$/.test(module ?? '');

  if (text.endsWith(' (inlined)')) {
    inlined = true;
    text = text.slice(0, -' (inlined)'.length).trimEnd();
  }
  if (text.endsWith('_[k]')) {
    kernel = true;
    text = text.slice(0, -4);
  } else if (/_\[[jiw]\]$/.test(text)) {
    text = text.slice(0, -4);
  }
  const rec = /'(\d+)$/.exec(text);
  if (rec) {
    recursionSuffix = Number(rec[1]);
    text = text.slice(0, rec.index);
  }

  const base: Base = {
    raw,
    inlined,
    recursionSuffix,
    ...(tickModule !== undefined ? { module: tickModule } : {}),
  };

  if (isUnknownName(text)) {
    return result(base, 'unknown', text, [], { unknown: true, kernel });
  }
  if (text === '[kernel.kallsyms]' || (kernel && !text.includes('::'))) {
    return result(base, 'c', text, text.startsWith('[') ? [] : [text], { kernel: true });
  }

  // Mangled symbols (possibly with a `+0x1f` offset or an LLVM suffix).
  let mangled = false;
  let symbol = text.replace(/\+0x[0-9a-f]+$/i, '');
  if (looksMangled(symbol)) {
    const demangle = demangler;
    const isRust = /^_{1,2}R/.test(symbol) || /17h[0-9a-f]{16}E/.test(symbol);
    if (demangle) {
      const out = demangle(symbol);
      if (out !== symbol) {
        return parseDemangled(base, out, isRust ? 'rust' : guessCppOrRust(out), kernel);
      }
    }
    mangled = true;
    return result(base, isRust ? 'rust' : 'cpp', symbol, [symbol], { mangled, kernel });
  }
  symbol = text;

  // Location carried in the name (py-spy, V8 perf maps, DevTools exports).
  const loc = splitLocation(symbol);
  if (loc) {
    const lang = languageOfFile(loc.file) ?? 'unknown';
    const funcText = loc.name.replace(
      /^(JS|LazyCompile|Function|InterpretedFunction|Script|Builtin|BytecodeHandler|Eval):[*~^+]?/,
      '',
    );
    const parsed =
      lang === 'python' || lang === 'js'
        ? parseDotted(funcText)
        : parseDemangled(base, funcText, lang, kernel);
    const path = Array.isArray(parsed) ? parsed : parsed.qualifiedPath;
    const language = lang === 'unknown' ? 'js' : lang;
    return result(base, language, funcText, path, { kernel }, { location: loc.location });
  }
  if (/^(JS|LazyCompile|Function|InterpretedFunction|Builtin):/.test(symbol)) {
    const funcText = symbol.replace(/^\w+:[*~^+]?/, '');
    return result(base, 'js', funcText, parseDotted(funcText), { runtime: symbol.startsWith('Builtin:') });
  }

  const fileLang = hint.file ? languageOfFile(hint.file) : undefined;
  const lang = fileLang ?? guessLanguage(symbol);
  if (lang === 'js' || lang === 'python') {
    const shown = symbol === '' ? '(anonymous)' : symbol;
    return result(base, lang, shown, parseDotted(shown), { kernel });
  }
  return parseDemangled(base, symbol, lang, kernel);
}

interface Base {
  readonly raw: string;
  readonly inlined: boolean;
  readonly recursionSuffix?: number;
  readonly module?: string;
}

function result(
  base: Base,
  language: FrameLanguage,
  demangled: string,
  path: readonly string[],
  flags: Partial<NameFlags>,
  extra: Partial<NormalizedName> = {},
): NormalizedName {
  const functionName = path.length > 0 ? path[path.length - 1] : '';
  const runtime =
    flags.runtime === true ||
    RUNTIME_NAMES.has(demangled) ||
    RUNTIME_NAMES.has(path.join('::')) ||
    /^std::rt::lang_start(_internal)?(::|$)/.test(path.join('::')) ||
    (language === 'go' && path[0] === 'runtime');
  const kernel = flags.kernel === true || (language !== 'rust' && KERNEL_NAMES.test(demangled));
  return {
    language,
    raw: base.raw,
    demangled,
    qualifiedPath: path,
    functionName,
    isClosure: false,
    closureDepth: 0,
    isGenericInstance: false,
    ...(base.module !== undefined ? { module: base.module } : {}),
    ...extra,
    flags: {
      unknown: flags.unknown === true,
      kernel,
      runtime: runtime && !kernel,
      inlined: base.inlined,
      mangled: flags.mangled === true,
      ...(base.recursionSuffix !== undefined ? { recursionSuffix: base.recursionSuffix } : {}),
    },
  };
}

function isUnknownName(text: string): boolean {
  return (
    text === '' ||
    text === '[unknown]' ||
    text === 'unknown' ||
    text === '??' ||
    text === '<unknown>' ||
    text === '(unknown)' ||
    /^\[?0x[0-9a-f]+\]?$/i.test(text) ||
    /^\[[^\]]*\]$/.test(text.replace('[kernel.kallsyms]', 'k'))
  );
}

/** Language from a file extension; undefined when the extension says nothing. */
export function languageOfFile(file: string): FrameLanguage | undefined {
  const m = /\.([A-Za-z0-9+]+)$/.exec(file.replace(/[?#].*$/, ''));
  if (!m) return undefined;
  switch (m[1].toLowerCase()) {
    case 'rs':
      return 'rust';
    case 'c':
      return 'c';
    case 'h':
    case 'cc':
    case 'cpp':
    case 'cxx':
    case 'c++':
    case 'hpp':
    case 'hh':
    case 'hxx':
      return 'cpp';
    case 'go':
      return 'go';
    case 'py':
    case 'pyx':
      return 'python';
    case 'js':
    case 'mjs':
    case 'cjs':
    case 'ts':
    case 'mts':
    case 'cts':
    case 'tsx':
    case 'jsx':
      return 'js';
    default:
      return undefined;
  }
}

function guessCppOrRust(demangled: string): FrameLanguage {
  return RUST_HASH.test(demangled) || demangled.includes('{{closure}}') ? 'rust' : 'cpp';
}

function guessLanguage(symbol: string): FrameLanguage {
  if (RUST_HASH.test(symbol)) return 'rust';
  if (/\{\{closure\}\}|\{closure#\d+\}|\{async_(fn|block)_env#\d+\}| as [\w:]+.*>::|^<.*>::/.test(symbol))
    return 'rust';
  // C++ before Rust's `std::`: parameters, `> >`, constructors/destructors, operators, lambdas.
  if (trailingParenStart(symbol) > 0 && symbol.includes('::')) return 'cpp';
  if (/ >|\(anonymous namespace\)|\{lambda\(|::~\w+$|::operator\W|^(__gnu_cxx|__cxxabiv1)::/.test(symbol))
    return 'cpp';
  if (/(^|::)(\w+)::\2$/.test(symbol)) return 'cpp';
  if (/^(core|alloc|std|hashbrown)::/.test(symbol)) return 'rust';
  if (/\.\(\*?[\w[\],. ]+\)\./.test(symbol) || /^[\w.-]+(\/[\w.-]+)+\.[\w(]/.test(symbol)) return 'go';
  if (/^(main|runtime|sync|syscall|os|fmt|net|time|reflect|strings|bytes|sort|encoding)\.\w/.test(symbol)) {
    return 'go';
  }
  if (symbol.includes('::')) return 'rust';
  return 'c';
}

/** `name (file:line[:col])`, `name file:line[:col]`, `name file:///x.js:12`. */
function splitLocation(
  symbol: string,
): { name: string; file: string; location: { file: string; line?: number; column?: number } } | undefined {
  let m = /^(.*?) \(((?:[A-Za-z]:)?[^():]+\.[A-Za-z0-9]+)(?::(\d+))?(?::(\d+))?\)$/.exec(symbol);
  if (!m)
    m = /^(\S*) ((?:file:\/\/|\/|\.{1,2}\/|[A-Za-z]:)[^ ]*?\.[A-Za-z0-9]+)(?::(\d+))?(?::(\d+))?$/.exec(
      symbol,
    );
  if (!m) return undefined;
  const file = m[2];
  if (!languageOfFile(file)) return undefined;
  const line = m[3] ? Number(m[3]) : undefined;
  const column = m[4] ? Number(m[4]) : undefined;
  return {
    name: m[1],
    file,
    location: { file, ...(line && line > 0 ? { line } : {}), ...(column && column > 0 ? { column } : {}) },
  };
}

function parseDotted(text: string): string[] {
  const t = text.replace(/^(async |get |set |new )/, '').trim();
  if (t === '' || t === '(anonymous)' || t === '<anonymous>') return ['(anonymous)'];
  return t
    .split('.')
    .filter((s) => s !== '' && s !== '<computed>' && s !== '<anonymous>')
    .map((s) => s.replace(/^#/, ''));
}

function parseDemangled(base: Base, input: string, lang: FrameLanguage, kernel: boolean): NormalizedName {
  let text = input.replace(RUST_HASH, '');
  let params: string[] | undefined;
  if (lang === 'go') return parseGo(base, text, kernel);
  if (text.startsWith('::')) {
    // `` mybin`::deserialize_seq ``: DTrace lost the path; never matched by a bare name.
    const path = splitTopLevel(text.slice(2), '::').map((p) => stripGenerics(p.trim()).text);
    return result(
      base,
      lang === 'c' || lang === 'cpp' ? lang : 'rust',
      text,
      path,
      { kernel },
      {
        functionName: '',
        truncated: true,
      },
    );
  }
  if (text.endsWith('::')) {
    // `app::(anonymous namespace)::scale` cut by stackcollapse.pl at its last `(`: `app::`
    const path = splitTopLevel(text.slice(0, -2), '::').map((p) => stripGenerics(p.trim()).text);
    return result(
      base,
      lang === 'c' ? 'c' : 'cpp',
      text,
      path,
      { kernel },
      { functionName: '', truncated: true },
    );
  }
  if (lang === 'c' || lang === 'cpp') {
    text = text.replace(/(\.(isra|constprop|part|cold|lto_priv|localalias|llvm)(\.\d+)*)+$/, '');
    text = text.replace(/ \[clone [^\]]*\]$/g, '');
    const paren = trailingParenStart(text);
    if (paren > 0) {
      const close = text.lastIndexOf(')');
      params = cppParamTypes(text.slice(paren + 1, close));
      text = text.slice(0, paren);
    }
    text = dropReturnType(text);
    // `app::(anonymous namespace)::reduce<double, std::plus`: stackcollapse.pl cut the name at
    // its last `<`; closing the brackets gives back the function's path.
    if (!text.startsWith('<') && !anglesBalance(text)) text = closeAngles(text);
    if (!text.includes('::') && !text.includes('<') && lang === 'c') {
      return result(base, 'c', text, [text], { kernel });
    }
  } else {
    text = text.replace(/\.llvm\.\d+$/, '');
    if (text.startsWith('<') && !anglesBalance(text)) {
      // `<my_crate::Value as core::convert::From`: stackcollapse.pl cut the name at its last `<`.
      const q = parseQualifiedSelf(text.slice(1));
      return result(
        base,
        'rust',
        text,
        q.path,
        { kernel },
        {
          functionName: '',
          truncated: true,
          ...(q.typeName !== undefined ? { typeName: q.typeName } : {}),
          ...(q.traitName !== undefined ? { traitName: q.traitName } : {}),
          ...(q.path.length > 1 ? { crate: q.path[0] } : {}),
          isGenericInstance: q.generic,
        },
      );
    }
  }
  // `my_crate::ops::<impl my_crate::matrix::Matrix` (cut at its last `<` as well): close the
  // brackets; when the cut fell in the last segment, the function name is lost.
  let cutShort = false;
  if (lang !== 'cpp' && lang !== 'c' && !anglesBalance(text)) {
    text = closeAngles(text);
    cutShort = true;
  }
  const segments = splitTopLevel(text, '::');
  const path: string[] = [];
  let typeName: string | undefined;
  let traitName: string | undefined;
  let typeArgs: string[] | undefined;
  let traitArgs: string[] | undefined;
  let implType: string | undefined;
  const segmentArgs: (string[] | undefined)[] = [];
  let generic = false;
  let closureDepth = 0;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i].trim().replace(/^_(?=<)/, '');
    if (seg === '') continue;
    if (seg.startsWith('<') && seg.endsWith('>')) {
      if (i === 0) {
        const q = parseQualifiedSelf(seg.slice(1, -1));
        path.push(...q.path);
        typeName = q.typeName;
        traitName = q.traitName;
        typeArgs = q.typeArgs;
        traitArgs = q.traitArgs;
        implType = q.implType;
        segmentArgs.length = path.length;
        generic ||= q.generic;
      } else {
        generic = true;
        // `mycrate::module::<impl mycrate::other::Engine>::run`, `<impl Display for Table>`:
        // an impl block in another module than its type (legacy Rust symbols).
        const impl = /^impl\s+(.*)$/s.exec(seg.slice(1, -1).trim());
        if (impl) {
          const [first, second] = splitTopLevel(impl[1], ' for ');
          const q = parseQualifiedSelf(second !== undefined ? `${second} as ${first}` : first);
          if (q.typeName !== undefined) {
            path.push(q.typeName);
            typeName = q.typeName;
            implType = q.typeName;
            traitName = q.traitName;
            typeArgs = q.typeArgs;
            traitArgs = q.traitArgs;
            segmentArgs.length = path.length;
          }
        }
      }
      continue;
    }
    if (RUST_CLOSURE.test(seg) || CPP_LAMBDA.test(seg)) {
      closureDepth++;
      // a C++ lambda's call operator is the lambda itself: `main::{lambda(int)#1}::operator()`
      // (`stackcollapse.pl` cuts `operator()(double) const` to `operator`)
      while (/^operator(\(\))?$/.test(segments[i + 1]?.trim() ?? '')) i++;
      continue;
    }
    const own = lang === 'cpp' || lang === 'c' ? withoutParams(seg) : seg;
    const stripped = stripGenerics(own);
    generic ||= stripped.hadGenerics;
    const name = stripped.text.replace(/^r#/, '');
    if (name !== '') {
      path.push(name);
      segmentArgs[path.length - 1] = stripped.hadGenerics ? normalizedArgs(seg) : undefined;
    }
  }
  const language: FrameLanguage = lang === 'unknown' ? 'rust' : lang;
  if (
    cutShort &&
    segments[segments.length - 1]
      .trim()
      .replace(/^_(?=<)/, '')
      .startsWith('<')
  ) {
    return result(
      base,
      language,
      text,
      path,
      { kernel },
      {
        functionName: '',
        truncated: true,
        ...(typeName !== undefined ? { typeName } : {}),
        ...(traitName !== undefined ? { traitName } : {}),
        ...(language === 'rust' && path.length > 1 ? { crate: path[0] } : {}),
        isGenericInstance: generic,
      },
    );
  }
  if (typeName === undefined && path.length >= 2 && /^[A-Z]/.test(path[path.length - 2])) {
    typeName = path[path.length - 2];
    typeArgs = segmentArgs[path.length - 2];
  }
  return result(
    base,
    language,
    text,
    path,
    { kernel },
    {
      ...(typeName !== undefined ? { typeName } : {}),
      ...(traitName !== undefined ? { traitName } : {}),
      ...(typeArgs !== undefined ? { typeArgs } : {}),
      ...(traitArgs !== undefined ? { traitArgs } : {}),
      ...(implType !== undefined ? { implType } : {}),
      ...(params !== undefined && closureDepth === 0 ? { params } : {}),
      ...(language === 'rust' && path.length > 1 ? { crate: path[0] } : {}),
      isClosure: closureDepth > 0,
      closureDepth,
      isGenericInstance: generic,
    },
  );
}

/** `alloc::vec::Vec<T,A> as core::clone::Clone` → path of the self type, its name and the trait's name. */
function parseQualifiedSelf(inner: string): {
  path: string[];
  typeName?: string;
  traitName?: string;
  typeArgs?: string[];
  traitArgs?: string[];
  /** The type of an `<impl … for T>` / `<impl T>` segment inside the self type. */
  implType?: string;
  generic: boolean;
} {
  const [selfText, traitText] = splitTopLevel(inner, ' as ');
  let generic = false;
  const selfClean = selfText
    .trim()
    .replace(/^(&mut |&|\*const |\*mut |dyn |impl )+/, '')
    .trim();
  const path: string[] = [];
  let typeArgs: string[] | undefined;
  let implType: string | undefined;
  if (/^[[(]/.test(selfClean)) {
    path.push(selfClean);
  } else {
    const selfSegments = splitTopLevel(selfClean, '::');
    typeArgs = normalizedArgs(selfSegments[selfSegments.length - 1]);
    selfSegments.forEach((raw, k) => {
      const s = raw.trim().replace(/^_(?=<)/, '');
      if (s.startsWith('<') && s.endsWith('>')) {
        generic = true;
        const inner = s.slice(1, -1).trim();
        const impl = /^impl\s+(.*)$/s.exec(inner);
        if (impl) {
          // `my_crate::_::<impl serde::de::Deserialize for my_crate::LineInfo>::deserialize::__Visitor`
          const [first, second] = splitTopLevel(impl[1], ' for ');
          const q = parseQualifiedSelf(second ?? first);
          if (q.typeName !== undefined) {
            path.push(q.typeName);
            implType = q.typeName;
          }
        } else if (k === 0) {
          // `<<A as B>::c::D as E>::f`: a qualified self inside the self type
          const q = parseQualifiedSelf(inner);
          path.push(...q.path);
          implType ??= q.implType;
        }
        return;
      }
      const st = stripGenerics(s);
      generic ||= st.hadGenerics;
      if (st.text !== '') path.push(st.text.replace(/^r#/, ''));
    });
  }
  let traitName: string | undefined;
  let traitArgs: string[] | undefined;
  if (traitText !== undefined) {
    const tsegs = splitTopLevel(traitText.trim(), '::');
    traitArgs = normalizedArgs(tsegs[tsegs.length - 1]);
    const last = stripGenerics(tsegs[tsegs.length - 1].trim());
    generic ||= last.hadGenerics;
    traitName = last.text.replace(/^r#/, '');
  }
  const typeName = path.length > 0 ? path[path.length - 1] : undefined;
  return {
    path,
    ...(typeName !== undefined ? { typeName } : {}),
    ...(traitName !== undefined ? { traitName } : {}),
    ...(typeArgs !== undefined ? { typeArgs } : {}),
    ...(traitArgs !== undefined ? { traitArgs } : {}),
    ...(implType !== undefined ? { implType } : {}),
    generic,
  };
}

/** `run()` → `run`, `f(int) const` → `f`; other segments unchanged (C++ scopes such as `run()::$_0`). */
function withoutParams(segment: string): string {
  const p = trailingParenStart(segment);
  return p > 0 ? segment.slice(0, p) : segment;
}

/** Appends the `>` that the text's open `<` lack. */
function closeAngles(text: string): string {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '-' && text[i + 1] === '>') i++;
    else if (text[i] === '<') depth++;
    else if (text[i] === '>') depth = Math.max(0, depth - 1);
  }
  return text + '>'.repeat(depth);
}

/** True when every `<` of the text is closed (a `->` is not a closing bracket). */
function anglesBalance(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '-' && text[i + 1] === '>') i++;
    else if (text[i] === '<') depth++;
    else if (text[i] === '>') depth--;
  }
  return depth === 0;
}

/**
 * C++ names printed with their return type (template instances:
 * `void app::(anonymous namespace)::reduce<float, std::plus<float> >`): keeps the qualified
 * name, the last top-level token (`operator new`, `operator bool` keep their `operator`).
 */
function dropReturnType(text: string): string {
  const tokens = splitTopLevel(text, ' ').filter((t) => t !== '');
  if (tokens.length <= 1) return text;
  let k = tokens.length - 1;
  while (k > 0 && /(^|::)operator$/.test(tokens[k - 1])) k--;
  // `unsigned long`-style conversion operators: `operator unsigned long`
  for (let j = 0; j < k; j++) if (/(^|::)operator$/.test(tokens[j])) return tokens.slice(j).join(' ');
  return tokens.slice(k).join(' ');
}

function normalizedArgs(segment: string): string[] | undefined {
  return genericArgs(segment.trim())?.map((a) => normalizeTypeArg(a));
}

/** Go: `example.com/m/pkg.(*Type).Method.func1`, `main.main`, `pkg.Func[...]`. */
function parseGo(base: Base, text: string, kernel: boolean): NormalizedName {
  const slash = lastSlashBeforeDot(text);
  const head = text.slice(0, slash + 1);
  const tail = text.slice(slash + 1);
  const dot = tail.indexOf('.');
  const pkg = head + (dot >= 0 ? tail.slice(0, dot) : tail);
  const rest = dot >= 0 ? tail.slice(dot + 1) : '';
  const parts: string[] = [];
  let generic = false;
  let depth = 0;
  let cur = '';
  for (const c of rest) {
    if (c === '[' || c === '(') depth++;
    if (c === ']' || c === ')') depth--;
    if (c === '.' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur !== '') parts.push(cur);
  const path: string[] = [pkg];
  let typeName: string | undefined;
  let closureDepth = 0;
  parts.forEach((p, i) => {
    let s = p;
    if (s.includes('[')) {
      generic = true;
      s = s.replace(/\[.*\]$/, '');
    }
    const recv = /^\(\*?([\w]+)(\[.*\])?\)$/.exec(s);
    if (recv) {
      typeName = recv[1];
      path.push(recv[1]);
      return;
    }
    if (i > 0 && GO_CLOSURE.test(s)) {
      closureDepth++;
      return;
    }
    path.push(s);
  });
  if (typeName === undefined && path.length === 3 && /^[A-Z]/.test(path[1])) typeName = path[1];
  return result(
    base,
    'go',
    text,
    path,
    { kernel },
    {
      ...(typeName !== undefined ? { typeName } : {}),
      crate: pkg,
      isClosure: closureDepth > 0,
      closureDepth,
      isGenericInstance: generic,
    },
  );
}

function lastSlashBeforeDot(text: string): number {
  const bracket = text.search(/[[(]/);
  const scope = bracket >= 0 ? text.slice(0, bracket) : text;
  return scope.lastIndexOf('/');
}
