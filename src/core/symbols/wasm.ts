/**
 * The few WebAssembly JS API members core uses, typed locally: the project compiles
 * with `lib: ES2023` and no DOM types, where the `WebAssembly` global has no declaration.
 * (API: https://webassembly.github.io/spec/js-api/)
 */

/** A compiled wasm module (opaque). */
export type WasmModule = object;
/** An instantiated wasm module. */
export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
/** Import object: module name → name → value. */
export type WasmImports = Record<string, Record<string, unknown>>;

interface WasmApi {
  Module: { new (bytes: Uint8Array): WasmModule; prototype: WasmModule };
  Instance: new (module: WasmModule, imports: WasmImports) => WasmInstance;
  instantiate(
    bytes: Uint8Array,
    imports: WasmImports,
  ): Promise<{ instance: WasmInstance; module: WasmModule }>;
}

/** The runtime's `WebAssembly` global (Node ≥ 12, every browser and worker). */
export const wasmApi: WasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
