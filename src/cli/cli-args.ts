import { parseArgs } from 'node:util';

/** The options a sub-command takes: each a string value or a boolean flag. */
export type OptionSpec = Readonly<Record<string, 'string' | 'boolean'>>;

/** What {@link parseOptions} gives: the string options and the flags given. */
export type ParsedOptions<S extends OptionSpec> = {
  [K in keyof S]?: S[K] extends 'string' ? string : boolean;
};

/**
 * Parses a sub-command's `--name value` / `--flag` arguments with Node's `util.parseArgs`
 * (strict: unknown options and missing values are errors; no positional arguments).
 * @param args the arguments after the sub-command's name
 * @param spec the options it takes
 * @returns the options given, or a one-line message for the usage error
 *   (`unknown argument "--x"`, `--top needs a value`)
 */
export function parseOptions<S extends OptionSpec>(
  args: readonly string[],
  spec: S,
): ParsedOptions<S> | string {
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const [name, type] of Object.entries(spec)) options[name] = { type };
  try {
    const { values } = parseArgs({ args: [...args], options, strict: true, allowPositionals: false });
    return { ...values } as ParsedOptions<S>;
  } catch (e) {
    const code = (e as { code?: string }).code;
    const message = e instanceof Error ? e.message : String(e);
    const option = /'(-{1,2}[^' ]+)/.exec(message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown argument "${option ?? message}"`;
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      const arg = /'([^']+)'/.exec(message)?.[1];
      return `unknown argument "${arg ?? message}"`;
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return `${option ?? 'an option'} needs a value`;
    return message;
  }
}

/**
 * Reads `--top` (a positive integer).
 * @returns the number, the default when absent, or the usage error message
 */
export function topOption(value: string | undefined, fallback: number): number | string {
  if (value === undefined) return fallback;
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? n : '--top must be a positive integer';
}
