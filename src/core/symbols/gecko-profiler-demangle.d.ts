/**
 * Types for the wasm-bindgen glue of `gecko-profiler-demangle` (the package ships
 * `index.d.ts` for its bundler entry only). The glue is instantiated by
 * {@link createDemangler} in `demangle.ts`.
 */
declare module 'gecko-profiler-demangle/index_bg.js' {
  /** Runs rustc-demangle then cpp_demangle; returns the input when neither applies. */
  export function demangle_any(name: string): string;
  /** Hands the instantiated wasm exports to the glue. */
  export function __wbg_set_wasm(exports: Record<string, unknown>): void;
  /** Import the wasm module needs under the module name `./index_bg.js`. */
  export function __wbindgen_init_externref_table(): void;
}
