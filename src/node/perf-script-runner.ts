/**
 * Node-side runner for perf.data files: spawns `perf script -i FILE` and streams its standard
 * output as a {@link ProfileInput} for `importFromPerfData` (src/core/importers/perf-data.ts).
 * Lives outside core because it runs a program. Whether running perf is allowed (workspace
 * trust) is the caller's decision.
 */
import { spawn } from 'node:child_process';
import { ImportError } from '../core/importers/import-error';
import { PERF_MISSING_MESSAGE, type PerfScriptRunner } from '../core/importers/perf-data';
import type { ProfileInput } from '../core/importers/types';

/** Options for {@link createPerfScriptRunner}. */
export interface PerfScriptRunnerOptions {
  /** The perf executable (default `perf`, looked up on PATH). */
  readonly perfPath?: string;
}

/**
 * Makes a {@link PerfScriptRunner} that runs `perf script -i <path>`.
 * Each call to the returned input's `chunks()` starts a new perf process; stopping the
 * iteration early (detection reads only the head) kills it.
 * The stream throws ImportError (format `perf.data`, the file) with {@link PERF_MISSING_MESSAGE}
 * when perf is not installed, or with perf's first line of standard error when it exits non-zero.
 */
export function createPerfScriptRunner(options: PerfScriptRunnerOptions = {}): PerfScriptRunner {
  const perf = options.perfPath ?? 'perf';
  return (path: string): ProfileInput => ({
    name: `${path} (perf script output)`,
    async *chunks() {
      const child = spawn(perf, ['script', '-i', path], { stdio: ['ignore', 'pipe', 'pipe'] });
      let spawnError: NodeJS.ErrnoException | undefined;
      let stderr = '';
      const done = new Promise<number | null>((resolve) => {
        child.on('error', (e) => {
          spawnError = e;
          resolve(null);
        });
        child.on('close', (code) => resolve(code));
      });
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (d: string) => {
        if (stderr.length < 16384) stderr += d;
      });
      try {
        for await (const chunk of child.stdout) yield chunk as Uint8Array;
        const code = await done;
        if (spawnError)
          throw new ImportError(
            'perf.data',
            path,
            spawnError.code === 'ENOENT' ? PERF_MISSING_MESSAGE : `cannot run perf: ${spawnError.message}`,
          );
        if (code !== 0) {
          const first = stderr.split('\n').find((l) => l.trim() !== '') ?? `exit code ${code}`;
          throw new ImportError(
            'perf.data',
            path,
            `perf script failed: ${first.trim()}`,
            {},
            stderr.split('\n'),
          );
        }
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill();
      }
    },
  });
}

/** `perf script` on PATH: the runner the editor and the CLI use by default. */
export const runPerfScript: PerfScriptRunner = createPerfScriptRunner();
