/**
 * The one error type importers throw for bad input. It names the file, the
 * format and the first problem found, so a person can act on it; the editor
 * shows {@link ImportError.message} in a notification and logs the details.
 */
export class ImportError extends Error {
  override readonly name = 'ImportError';

  /**
   * @param format human-readable format name (`perf script`, `folded stacks`, `V8 .cpuprofile`)
   * @param file the file being read (as given to the importer)
   * @param problem what is wrong, in a short sentence (`line 12: weight "abc" is not a number`)
   * @param location where, when known: a 1-based line or a 0-based byte offset
   * @param details further lines for the log (e.g. zod issues)
   */
  constructor(
    readonly format: string,
    readonly file: string,
    readonly problem: string,
    readonly location: { readonly line?: number; readonly offset?: number } = {},
    readonly details: readonly string[] = [],
  ) {
    const where =
      location.line !== undefined
        ? ` (line ${location.line})`
        : location.offset !== undefined
          ? ` (byte ${location.offset})`
          : '';
    super(`${file}: cannot read as ${format}: ${problem}${where}`);
  }
}

/** Thrown when no importer recognizes a file; lists the formats that were tried. */
export class UnrecognizedProfileError extends Error {
  override readonly name = 'UnrecognizedProfileError';

  /**
   * @param file the file
   * @param tried human-readable names of the formats whose detectors were run
   */
  constructor(
    readonly file: string,
    readonly tried: readonly string[],
  ) {
    super(`${file}: not a profile Hotspot Lens recognizes (tried: ${tried.join(', ')})`);
  }
}

/** Thrown when an import is cancelled through its AbortSignal. */
export class ImportCancelledError extends Error {
  override readonly name = 'ImportCancelledError';
  constructor(readonly file: string) {
    super(`${file}: loading was cancelled`);
  }
}
