/**
 * The time the extension's bundle started evaluating, read with `performance.now()`
 * (milliseconds since the extension host started). `src/extension.ts` imports this
 * module before any other of ours, so the bundle evaluates it first and
 * `activate` can report how long loading the code took, apart from wiring.
 */
export const bundleStartMs: number = performance.now();
