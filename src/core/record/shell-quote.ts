/**
 * POSIX shell quoting for showing a recording's command line (the terminal, the metadata
 * sidecar, error messages). Recordings never run through a shell: the argv is spawned as is;
 * the quoted form is what a user can paste into `sh`/`bash` to run the same thing.
 */

/** Characters that need no quoting in a POSIX shell word. */
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quotes one argument for a POSIX shell: unchanged when it holds only safe characters,
 * else wrapped in single quotes, with each `'` written as `'\''`; the empty string is `''`.
 * @param arg any string (newlines and non-ASCII are kept inside the quotes)
 */
export function quoteArg(arg: string): string {
  if (arg === '') return "''";
  if (SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * A command line as a user would type it: `NAME=value` environment assignments (sorted by
 * name) then the quoted arguments, separated by single spaces.
 * @param argv program then its arguments
 * @param env variables set for this command only (not the whole environment)
 */
export function formatCommandLine(
  argv: readonly string[],
  env: Readonly<Record<string, string>> = {},
): string {
  const assignments = Object.keys(env)
    .sort()
    .map((k) => `${k}=${quoteArg(env[k] ?? '')}`);
  return [...assignments, ...argv.map(quoteArg)].join(' ');
}
