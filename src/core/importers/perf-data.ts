/**
 * `perf.data` importer: the binary file `perf record` writes.
 *
 * Core does not parse perf.data itself (its layout is perf's internal header + event records,
 * https://github.com/torvalds/linux/blob/master/tools/perf/Documentation/perf.data-file-format.txt);
 * instead a function passed in runs `perf script` on the file, and its text output is read by
 * the perf script importer ({@link importFromPerfScript}). The editor and the CLI pass the
 * Node implementation from `src/node/perf-script-runner.ts` (and decide about workspace trust).
 * Detection is by the `PERFILE2` magic in the first 8 bytes (byte-swapped `2ELIFREP` for a
 * file recorded on a machine of the other endianness).
 */
import { type Profile, reviseProfile } from '../profile/model';
import { ImportError } from './import-error';
import { importFromPerfScript } from './perf-script';
import type { ImportOptions, ProfileHead, ProfileImporter, ProfileInput } from './types';

const FORMAT = 'perf.data';

/**
 * Runs `perf script` on a perf.data file and returns its text output as a streamed input.
 * @param path the perf.data file (as given to the importer: `input.name`)
 * @returns an input whose chunks are `perf script`'s standard output; its stream throws an
 *   ImportError when perf cannot be run or fails
 */
export type PerfScriptRunner = (path: string) => ProfileInput;

/** The message shown when perf.data cannot be converted because `perf` is missing. */
export const PERF_MISSING_MESSAGE =
  'perf.data needs the `perf` tool: install linux-perf, or run `perf script > out.perf` and load that';

/** True when the first 8 bytes are perf's `PERFILE2` magic (either byte order). */
export function isPerfData(head: ProfileHead): boolean {
  if (head.bytes.byteLength < 8) return false;
  const magic = String.fromCharCode(...head.bytes.subarray(0, 8));
  return magic === 'PERFILE2' || magic === '2ELIFREP';
}

/**
 * Imports a perf.data file by running `perf script` on it (through `runPerfScript`) and reading
 * the output as perf script text. The profile is the perf script importer's (samples, one thread
 * per comm, 1-based srclines) with `format` `perf-data` and `source` the perf.data file.
 * @throws ImportError naming the perf.data file: when `runPerfScript` is not given, when perf
 *   cannot be run (see {@link PERF_MISSING_MESSAGE}) or fails, or when its output is not valid
 * @throws ImportCancelledError when `options.signal` fires
 */
export async function importFromPerfData(
  input: ProfileInput,
  runPerfScript: PerfScriptRunner | undefined,
  options: ImportOptions = {},
): Promise<Profile> {
  if (!runPerfScript) throw new ImportError(FORMAT, input.name, PERF_MISSING_MESSAGE);
  let profile: Profile;
  try {
    profile = await importFromPerfScript(runPerfScript(input.name), options);
  } catch (e) {
    if (e instanceof ImportError && e.file !== input.name)
      throw new ImportError(FORMAT, input.name, `perf script output: ${e.problem}`, e.location, e.details);
    throw e;
  }
  return reviseProfile(profile, { format: 'perf-data', source: input.name });
}

/**
 * Makes the perf.data importer around a runner. Without a runner (pure core, tests, a web
 * host) importing throws an ImportError that tells the user to run `perf script` themselves.
 */
export function createPerfDataImporter(runPerfScript?: PerfScriptRunner): ProfileImporter {
  return {
    id: 'perf-data',
    label: FORMAT,
    extensions: ['.data', 'perf.data', '.perf.data'],
    detect: isPerfData,
    import: (input, options) => importFromPerfData(input, runPerfScript, options),
  };
}

/** The perf.data importer without a runner: detects perf.data, and explains how to convert it. */
export const perfDataImporter: ProfileImporter = createPerfDataImporter();
