// Writes synthetic folded stacks of about `bytes` bytes the way stackcollapse-perf.pl
// writes them: one line per unique stack, sorted, process name first, weights in ns
// (multiples of the 1001001 ns cpu-clock period). The stacks come from a depth-first
// walk of a synthetic call tree whose children are visited in name order, so
// neighbouring lines share long prefixes, as in real collapsed output.
//   node --import tsx bench/generate-folded.ts <file> [bytes]
import { BlockWriter, random, syntheticFunctions } from './synthetic';

/** Generates the file; returns the number of lines written. */
export function generateFolded(file: string, bytes: number): number {
  const rnd = random(0xf01d);
  const fns = syntheticFunctions(3000, rnd);
  const names = fns.map((f) => (f.kernel ? `${f.name}_[k]` : f.name));
  const comms = ['hotspot-sample', 'pool-worker-0', 'pool-worker-1', 'pool-worker-2', 'pool-worker-3'];
  const out = new BlockWriter(file);
  let lines = 0;
  const path: string[] = [];
  const walk = (depth: number, maxDepth: number): void => {
    if (out.written >= bytes) return;
    if (depth >= 6 && (depth >= maxDepth || rnd() < 0.3)) {
      out.write(`${path.join(';')} ${1001001 * (1 + Math.floor(rnd() * 40))}\n`);
      lines++;
    }
    if (depth >= maxDepth) return;
    const fanout = depth < 4 ? 3 : rnd() < 0.45 ? 2 : 1;
    const children = new Set<string>();
    while (children.size < fanout) children.add(names[Math.floor(rnd() * names.length)]);
    for (const child of [...children].sort()) {
      path.push(child);
      walk(depth + 1, maxDepth);
      path.pop();
    }
  };
  while (out.written < bytes) {
    for (const comm of comms) {
      path.push(comm);
      walk(1, 12 + Math.floor(rnd() * 36));
      path.pop();
    }
  }
  out.close();
  return lines;
}

if (require.main === module) {
  const [file, bytes] = process.argv.slice(2);
  const n = generateFolded(file, Number(bytes ?? 100e6));
  process.stdout.write(`${file}: ${n} lines\n`);
}
