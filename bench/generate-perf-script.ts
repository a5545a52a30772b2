// Writes a synthetic `perf script` text of about `bytes` bytes: 5 threads, cpu-clock
// samples with frame-pointer call chains (leaf first) over a bounded pool of unique
// stacks, like `perf record -g` then `perf script` on a real program. Every fifth run of
// a stack uses another offset in the leaf frame, as real samples do.
//   node --import tsx bench/generate-perf-script.ts <file> [bytes]
import { BlockWriter, random, syntheticFunctions, syntheticStacks, zipf } from './synthetic';

/** Generates the file; returns the number of samples written. */
export function generatePerfScript(file: string, bytes: number): number {
  const rnd = random(0x5eed);
  const fns = syntheticFunctions(3000, rnd);
  const stacks = syntheticStacks(fns, 20_000, rnd);
  const threads: [string, number][] = [
    ['hotspot-sample', 4100],
    ['pool-worker-0', 4101],
    ['pool-worker-1', 4102],
    ['pool-worker-2', 4103],
    ['pool-worker-3', 4104],
  ];
  const addr = fns.map((_, i) => (0x55d4c8a00000 + i * 0x1a0).toString(16));
  const frameLine = (f: number, off: number) => {
    const fn = fns[f];
    const a = fn.kernel ? `ffffffff8${addr[f].slice(1)}` : addr[f];
    return `\t${a.padStart(16)} ${fn.name}+0x${off.toString(16)} (${fn.module})\n`;
  };
  const out = new BlockWriter(file);
  let time = 1000;
  let samples = 0;
  while (out.written < bytes) {
    const s = stacks[zipf(stacks.length, rnd)];
    const [comm, tid] = threads[samples % threads.length];
    time += 0.001001;
    let text = `${comm} ${tid} ${time.toFixed(6).padStart(12)}:    1001001 cpu-clock:ppp: \n`;
    for (let i = s.length - 1; i >= 0; i--)
      text += frameLine(s[i], i === s.length - 1 ? 0x10 + (samples % 5) * 4 : 0x2a);
    out.write(`${text}\n`);
    samples++;
  }
  out.close();
  return samples;
}

if (require.main === module) {
  const [file, bytes] = process.argv.slice(2);
  const n = generatePerfScript(file, Number(bytes ?? 100e6));
  process.stdout.write(`${file}: ${n} samples\n`);
}
