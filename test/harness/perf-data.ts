/**
 * Records a perf.data for the tests, here and now, from a program we ship as source
 * (test/fixtures/programs/c/perf-busy.c): compiled with `cc` (frame pointers, debug info)
 * and sampled with `perf record -e cpu-clock -g`. perf resolves symbols only through the
 * binary with the recorded build-id, so a committed perf.data of any binary symbolizes on
 * one machine and prints `[unknown]` on the next; a recording made by the test run itself
 * is right wherever it runs. `--no-buildid-cache`: nothing is written to `~/.debug`.
 * Used by the perf.data unit test and by the in-editor harness (for the editor's suites).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const SOURCE = path.resolve(__dirname, '..', 'fixtures', 'programs', 'c', 'perf-busy.c');

/**
 * Builds perf-busy and records it into `dir` (which must exist; not under `/tmp/perf-*`,
 * which perf reads as JIT symbol maps).
 * @param rounds the program's work (400 ≈ 50 ms, a few dozen samples at 499 Hz)
 * @returns the paths of the perf.data and of the binary it sampled
 * @throws Error when cc or perf is missing or the recording fails (their own message)
 */
export function recordPerfData(dir: string, rounds = 400): { data: string; exe: string } {
  const exe = path.join(dir, 'busy');
  execFileSync('cc', ['-O0', '-g', '-fno-omit-frame-pointer', '-o', exe, SOURCE]);
  const data = path.join(dir, 'busy.data');
  execFileSync(
    'perf',
    [
      'record',
      '-q',
      '-e',
      'cpu-clock',
      '-F',
      '499',
      '-g',
      '--no-buildid-cache',
      '-o',
      data,
      '--',
      exe,
      String(rounds),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  if (!fs.existsSync(data)) throw new Error(`perf record wrote no ${data}`);
  return { data, exe };
}
