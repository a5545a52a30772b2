// One measurement, run by bench/run.ts in a fresh process so that peak RSS belongs to
// that measurement alone. Prints one JSON line: { seconds, cpuSeconds, maxRssMB, bytes, detail }
// (wall time, CPU time of the process — user + system, all threads — peak RSS).
//   node --import tsx bench/measure.ts <perf-script|folded|cpuprofile|baseline> <import|floor> [file]
import fs from 'node:fs';
import { importFromCpuprofile } from '../src/core/importers/cpuprofile';
import { importFromFolded } from '../src/core/importers/folded';
import { importFromPerfScript } from '../src/core/importers/perf-script';
import type { ProfileInput } from '../src/core/importers/types';

/** A streaming ProfileInput over a file (1 MiB chunks), as the CLI and the editor give importers. */
function fileInput(file: string): ProfileInput {
  return {
    name: file,
    size: fs.statSync(file).size,
    async *chunks() {
      for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) yield chunk as Buffer;
    },
  };
}

/** The floor for text formats: read the file in the same chunks, decode, split into lines. */
async function readLines(file: string): Promise<string> {
  const decoder = new TextDecoder();
  let carry = '';
  let lines = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    const text = carry + decoder.decode(chunk as Buffer, { stream: true });
    const last = text.lastIndexOf('\n');
    carry = text.slice(last + 1);
    lines += text.slice(0, last).split('\n').length;
  }
  return `${lines} lines`;
}

async function importWith(kind: string, file: string): Promise<string> {
  const input = fileInput(file);
  let profile: { stacks: readonly unknown[]; frames: readonly unknown[]; total: number };
  if (kind === 'perf-script') profile = await importFromPerfScript(input);
  else if (kind === 'folded') profile = await importFromFolded(input, { foldedUnit: 'nanoseconds' });
  else if (kind === 'cpuprofile') profile = await importFromCpuprofile(input);
  else throw new Error(`unknown format ${kind}`);
  return `${profile.stacks.length} unique stacks, ${profile.frames.length} frames, total ${profile.total}`;
}

async function main(): Promise<void> {
  const [kind, mode, file] = process.argv.slice(2);
  let detail = '';
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  if (kind === 'baseline') detail = 'empty run (Node + tsx)';
  else if (mode === 'import') detail = await importWith(kind, file);
  else if (kind === 'cpuprofile') {
    const value = JSON.parse(fs.readFileSync(file, 'utf8'));
    detail = `JSON.parse: ${value.samples?.length ?? 0} samples`;
  } else detail = await readLines(file);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const bytes = file ? fs.statSync(file).size : 0;
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ seconds, cpuSeconds, maxRssMB, bytes, detail })}\n`);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});
