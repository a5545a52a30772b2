import * as glue from 'gecko-profiler-demangle/index_bg.js';
import { type WasmImports, type WasmModule, wasmApi } from './wasm';

/**
 * Demangling of linker symbols: Rust legacy (`_ZN…17h<hash>E`), Rust v0 (`_R…`) and
 * Itanium C++ (`_Z…`), through the `gecko-profiler-demangle` package (the Firefox
 * Profiler's wasm build of the `rustc-demangle` and `cpp_demangle` crates).
 *
 * Specs: Rust v0 mangling, RFC 2603 (https://rust-lang.github.io/rfcs/2603-rust-symbol-name-mangling-v0.html);
 * Rust legacy mangling is Itanium-shaped, defined by rustc's `symbol_names/legacy.rs`
 * (https://github.com/rust-lang/rust/blob/master/compiler/rustc_symbol_mangling/src/legacy.rs);
 * Itanium C++ ABI mangling (https://itanium-cxx-abi.github.io/cxx-abi/abi.html#mangling).
 *
 * Core never reads files: the caller passes the wasm bytes (`index_bg.wasm` of the
 * package; `src/node/workspace-fs.ts` has a Node loader).
 */

/** Turns a mangled symbol into its demangled text; returns the input unchanged when it is not mangled. */
export type Demangle = (symbol: string) => string;

let instantiated = false;

/**
 * Instantiates the demangler from the bytes (or compiled module) of
 * `gecko-profiler-demangle/index_bg.wasm`. Synchronous; safe to call more than once
 * (the wasm instance is shared).
 * @throws WebAssembly.CompileError / LinkError when the bytes are not that module
 */
export function createDemangler(wasm: Uint8Array | WasmModule): Demangle {
  if (!instantiated) {
    const module = wasm instanceof Uint8Array ? new wasmApi.Module(wasm) : wasm;
    const instance = new wasmApi.Instance(module, {
      './index_bg.js': glue as unknown as WasmImports[string],
    });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    instantiated = true;
  }
  return (symbol: string) => (looksMangled(symbol) ? glue.demangle_any(symbol) : symbol);
}

let defaultDemangler: Demangle | undefined;

/** Installs the demangler {@link normalizeFrameName} uses when none is passed in. */
export function setDefaultDemangler(demangle: Demangle | undefined): void {
  defaultDemangler = demangle;
}

/** The demangler installed with {@link setDefaultDemangler}, if any. */
export function getDefaultDemangler(): Demangle | undefined {
  return defaultDemangler;
}

/**
 * True when `symbol` is a mangled Rust (legacy or v0) or Itanium C++ name
 * (`_ZN…`, `_Z…`, `_R…`, and the macOS forms with one more leading underscore).
 */
export function looksMangled(symbol: string): boolean {
  return (
    /^_{1,2}(Z[A-Za-z0-9_]|R[A-Za-z0-9_])/.test(symbol) && !/\s/.test(symbol.replace(/ \(inlined\)$/, ''))
  );
}
