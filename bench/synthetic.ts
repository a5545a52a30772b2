// Synthetic program shape shared by the benchmark input generators: a call tree of
// Rust- and C-like functions, a fixed pool of stacks drawn from it (so the number of
// unique stacks stays bounded however large the file), and a seeded random source so
// every run writes the same bytes.
import fs from 'node:fs';

/** A seeded pseudo-random source (mulberry32): same seed, same sequence. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One synthetic function: its name, module (dso) and source position. */
export interface SyntheticFunction {
  readonly name: string;
  readonly module: string;
  readonly file: string;
  readonly line: number;
  readonly kernel: boolean;
}

const CRATES = ['hotspot_sample', 'engine', 'parser', 'storage', 'net'];
const MODS = ['model', 'eval', 'pool', 'report', 'cache', 'index', 'codec', 'plan'];
const TYPES = ['Context', 'Value', 'Node', 'Table', 'Row', 'Buffer', 'Task', 'Query'];
const VERBS = ['run', 'eval', 'render', 'insert', 'clone', 'drop', 'parse', 'visit', 'flush', 'get'];

/**
 * A synthetic program of `count` functions: most are workspace functions with long
 * Rust paths and generics, some are libc, some kernel.
 */
export function syntheticFunctions(count: number, rnd: () => number): SyntheticFunction[] {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const out: SyntheticFunction[] = [];
  for (let i = 0; i < count; i++) {
    const r = rnd();
    if (r < 0.08) {
      out.push({
        name:
          pick(['_int_malloc', '_int_free', 'malloc', 'free', '__memmove_avx_unaligned_erms', 'realloc']) +
          (i % 7 === 0 ? '' : `_${i}`),
        module: '/usr/lib/x86_64-linux-gnu/libc.so.6',
        file: 'malloc.c',
        line: 1000 + i,
        kernel: false,
      });
    } else if (r < 0.14) {
      out.push({
        name: `${pick([
          'asm_exc_page_fault',
          'exc_page_fault',
          'handle_mm_fault',
          'do_syscall_64',
          'clear_page_erms',
        ])}_${i}`,
        module: '[kernel.kallsyms]',
        file: 'mm/memory.c',
        line: 100 + i,
        kernel: true,
      });
    } else {
      const crate = pick(CRATES);
      const mod = pick(MODS);
      const ty = pick(TYPES);
      const generic = rnd() < 0.3 ? `<alloc::vec::Vec<${crate}::${mod}::${ty}>>` : '';
      out.push({
        name: `${crate}::${mod}::${ty}${generic}::${pick(VERBS)}_${i}`,
        module: `/work/target/release/${crate}`,
        file: `/work/src/${mod}/${ty.toLowerCase()}.rs`,
        line: 10 + (i % 900),
        kernel: false,
      });
    }
  }
  return out;
}

/**
 * `count` distinct stacks (function indices, root first), 8 to 48 frames deep, that
 * share prefixes the way real call trees do (a few roots, a bushy middle).
 */
export function syntheticStacks(
  fns: readonly SyntheticFunction[],
  count: number,
  rnd: () => number,
): number[][] {
  const roots = [0, 1, 2, 3].map((i) => i % fns.length);
  const stacks: number[][] = [];
  const user = fns.map((f, i) => (f.kernel ? -1 : i)).filter((i) => i >= 0);
  const kernel = fns.map((f, i) => (f.kernel ? i : -1)).filter((i) => i >= 0);
  for (let s = 0; s < count; s++) {
    const depth = 8 + Math.floor(rnd() * 41);
    const stack = [roots[Math.floor(rnd() * roots.length)]];
    // Deterministic "callees" per function give shared prefixes.
    while (stack.length < depth) {
      const parent = stack[stack.length - 1];
      const fanout = 3 + (parent % 5);
      const child = user[(parent * 31 + 7 + Math.floor(rnd() * fanout) * 17) % user.length];
      stack.push(child);
    }
    if (kernel.length > 0 && rnd() < 0.1)
      for (let k = 0; k < 3; k++) stack.push(kernel[Math.floor(rnd() * kernel.length)]);
    stacks.push(stack);
  }
  return stacks;
}

/** A Zipf-like choice among `n` items (item 0 most frequent), for sample popularity. */
export function zipf(n: number, rnd: () => number): number {
  return Math.min(n - 1, Math.floor(n * rnd() ** 3));
}

/** Buffered writer to a file (writes in 8 MiB blocks). */
export class BlockWriter {
  private readonly fd: number;
  private parts: string[] = [];
  private pending = 0;
  /** Bytes written so far (UTF-8; the generators write ASCII). */
  written = 0;

  constructor(file: string) {
    this.fd = fs.openSync(file, 'w');
  }

  write(s: string): void {
    this.parts.push(s);
    this.pending += s.length;
    this.written += s.length;
    if (this.pending >= 8 << 20) this.flush();
  }

  flush(): void {
    if (this.parts.length > 0) fs.writeSync(this.fd, this.parts.join(''));
    this.parts = [];
    this.pending = 0;
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
}
