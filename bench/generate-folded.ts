// Writes synthetic folded stacks of about `bytes` bytes: one `root;…;leaf weight` line
// per stack, as stackcollapse-perf.pl writes them (process name first, weights in ns).
// Stacks are drawn from a bounded pool, so a large file repeats lines (the importer sums them).
//   node --import tsx bench/generate-folded.ts <file> [bytes]
import { BlockWriter, random, syntheticFunctions, syntheticStacks, zipf } from './synthetic';

/** Generates the file; returns the number of lines written. */
export function generateFolded(file: string, bytes: number): number {
  const rnd = random(0xf01d);
  const fns = syntheticFunctions(3000, rnd);
  const stacks = syntheticStacks(fns, 200_000, rnd);
  const comms = ['hotspot-sample', 'pool-worker-0', 'pool-worker-1', 'pool-worker-2', 'pool-worker-3'];
  const names = fns.map((f) => (f.kernel ? `${f.name}_[k]` : f.name));
  const out = new BlockWriter(file);
  let lines = 0;
  while (out.written < bytes) {
    const s = stacks[zipf(stacks.length, rnd)];
    const weight = 1001001 * (1 + Math.floor(rnd() * 20));
    out.write(`${comms[lines % comms.length]};${s.map((f) => names[f]).join(';')} ${weight}\n`);
    lines++;
  }
  out.close();
  return lines;
}

if (require.main === module) {
  const [file, bytes] = process.argv.slice(2);
  const n = generateFolded(file, Number(bytes ?? 100e6));
  process.stdout.write(`${file}: ${n} lines\n`);
}
