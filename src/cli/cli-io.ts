/**
 * What a CLI command may do to the outside world. `main.ts` passes the real
 * process streams and file system; tests pass buffers.
 */
export interface CliIo {
  /** Writes text to standard output (no newline added). */
  stdout(text: string): void;
  /** Writes text to standard error (no newline added). */
  stderr(text: string): void;
  /** Reads a whole file. @throws Error (ENOENT etc.) when it cannot be read */
  readFile(path: string): Promise<Uint8Array>;
  /** Current working directory, for resolving relative paths. */
  readonly cwd: string;
}

/** A CLI sub-command: takes its arguments (after the command name) and returns the exit code. */
export type CliCommand = (args: readonly string[], io: CliIo) => Promise<number>;
