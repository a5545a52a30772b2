import fs from 'node:fs/promises';
import type { CliCommand, CliIo } from '../../../src/cli/cli-io';

/** What a CLI command printed and returned, run in-process by {@link runCli}. */
export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/**
 * Runs a CLI command in-process with an io that collects its standard output and error and
 * reads files from disk.
 * @param cwd the directory relative paths are resolved against
 */
export async function runCli(command: CliCommand, args: readonly string[], cwd: string): Promise<CliRun> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    readFile: async (p) => new Uint8Array(await fs.readFile(p)),
    cwd,
  };
  const code = await command([...args], io);
  return { code, out, err };
}
