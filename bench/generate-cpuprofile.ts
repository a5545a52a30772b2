// Writes a synthetic V8 `.cpuprofile` of about `bytes` bytes, shaped like the files
// `node --cpu-prof` writes: a `nodes` call tree (0-based lineNumber/columnNumber), then
// `samples` (leaf node ids) and `timeDeltas` (microseconds).
//   node --import tsx bench/generate-cpuprofile.ts <file> [bytes]
import { BlockWriter, random, syntheticFunctions, syntheticStacks, zipf } from './synthetic';

interface TreeNode {
  id: number;
  fn: number;
  children: Map<number, TreeNode>;
  hits: number;
}

/** Generates the file; returns the number of samples written. */
export function generateCpuprofile(file: string, bytes: number): number {
  const rnd = random(0xc0de);
  const base = syntheticFunctions(3000, rnd);
  const stacks = syntheticStacks(base, 20_000, rnd);
  const fns = base.map((f, i) => ({
    name: i % 11 === 0 ? '' : f.name.replace(/::/g, '.').replace(/[<>]/g, '_'),
    url: `file:///app/src/${f.file.split('/').slice(-2).join('/').replace('.rs', '.js')}`,
    line: f.line - 1,
    column: (f.line * 7) % 80,
  }));
  const root: TreeNode = { id: 1, fn: -1, children: new Map(), hits: 0 };
  const nodes: TreeNode[] = [root];
  const leaves = stacks.map((s) => {
    let n = root;
    for (const f of s) {
      let c = n.children.get(f);
      if (!c) {
        c = { id: nodes.length + 1, fn: f, children: new Map(), hits: 0 };
        nodes.push(c);
        n.children.set(f, c);
      }
      n = c;
    }
    return n;
  });
  const out = new BlockWriter(file);
  out.write('{"nodes":[');
  nodes.forEach((n, i) => {
    const f = n.fn < 0 ? { name: '(root)', url: '', line: -1, column: -1 } : fns[n.fn];
    const children =
      n.children.size > 0 ? `,"children":[${[...n.children.values()].map((c) => c.id).join(',')}]` : '';
    out.write(
      `${i === 0 ? '' : ','}{"id":${n.id},"callFrame":{"functionName":${JSON.stringify(f.name)},"scriptId":"${1 + (n.fn % 40)}","url":${JSON.stringify(f.url)},"lineNumber":${f.line},"columnNumber":${f.column}},"hitCount":0${children}}`,
    );
  });
  // Each sample costs about 13 bytes (id + delta); fill the rest of the budget with samples.
  const count = Math.max(1000, Math.floor((bytes - out.written) / 13));
  out.write('],"startTime":1000000,"endTime":');
  out.write(`${1000000 + count * 1000},"samples":[`);
  const picks = new Int32Array(count);
  for (let i = 0; i < count; i++) picks[i] = leaves[zipf(leaves.length, rnd)].id;
  for (let i = 0; i < count; i += 100_000)
    out.write(`${i === 0 ? '' : ','}${picks.subarray(i, i + 100_000).join(',')}`);
  out.write('],"timeDeltas":[');
  for (let i = 0; i < count; i += 100_000) {
    const part: number[] = [];
    for (let j = i; j < Math.min(count, i + 100_000); j++) part.push(900 + Math.floor(rnd() * 200));
    out.write(`${i === 0 ? '' : ','}${part.join(',')}`);
  }
  out.write(']}\n');
  out.close();
  return count;
}

if (require.main === module) {
  const [file, bytes] = process.argv.slice(2);
  const n = generateCpuprofile(file, Number(bytes ?? 100e6));
  process.stdout.write(`${file}: ${n} samples\n`);
}
