/**
 * The importer registry: every format Hotspot Lens reads, and detection by content.
 *
 * Detection works like speedscope's two passes, content first: every importer's `detect`
 * (`isX`) looks at the file's head ({@link readHead}, 64 KiB); when more than one claims it,
 * the file name's extension breaks the tie, then the order of {@link allImporters} (binary
 * magic numbers, then JSON shapes, then text formats, the most permissive — folded stacks —
 * last). The extension alone never selects a format. Gzip is looked through by the pprof and
 * Firefox detectors, the formats that are commonly gzipped.
 */
import type { Profile } from '../profile/model';
import { callgrindImporter } from './callgrind';
import { cpuprofileImporter } from './cpuprofile';
import { dhatImporter } from './dhat';
import { firefoxImporter } from './firefox';
import { flamegraphSvgImporter } from './flamegraph-svg';
import { foldedImporter } from './folded';
import { UnrecognizedProfileError } from './import-error';
import { readHead } from './input';
import { createPerfDataImporter, type PerfScriptRunner, perfDataImporter } from './perf-data';
import { perfScriptImporter } from './perf-script';
import { pprofImporter } from './pprof';
import { speedscopeImporter } from './speedscope';
import type { ImportOptions, ProfileHead, ProfileImporter, ProfileInput } from './types';

/**
 * Every importer, in detection-priority order (used only to break ties the extension does
 * not settle): binary formats, JSON formats, then text formats. The perf.data importer here
 * has no perf runner (see {@link RegistryOptions.runPerfScript}).
 */
export const allImporters: readonly ProfileImporter[] = [
  perfDataImporter,
  pprofImporter,
  speedscopeImporter,
  cpuprofileImporter,
  firefoxImporter,
  dhatImporter,
  callgrindImporter,
  perfScriptImporter,
  flamegraphSvgImporter,
  foldedImporter,
];

/** Options for {@link detectImporter} and {@link importProfile}. */
export interface RegistryOptions extends ImportOptions {
  /** The importers to choose from (default {@link allImporters}). */
  readonly importers?: readonly ProfileImporter[];
  /** Runs `perf script` for perf.data files (the Node runner from `src/node/perf-script-runner.ts`). */
  readonly runPerfScript?: PerfScriptRunner;
  /**
   * Reads the file in parts at the same time when it can (the Node hook from
   * `src/node/parallel-import.ts`); resolves to undefined when it does not apply, and the
   * importer reads the file at once.
   */
  readonly importInParallel?: (
    input: ProfileInput,
    importer: ProfileImporter,
    options: ImportOptions,
  ) => Promise<Profile | undefined>;
}

/** What {@link importProfile} returns: the profile and the importer that read it. */
export interface ImportResult {
  readonly profile: Profile;
  readonly importer: ProfileImporter;
}

/**
 * Chooses the importer for a file from its content (see the module comment).
 * @param input the file (its first 64 KiB are read)
 * @param options `importers` to choose from, `runPerfScript` to enable perf.data
 * @returns the importer whose detector matched (ties broken by the longest matching extension, then priority)
 * @throws UnrecognizedProfileError listing the formats tried, when no detector matches
 */
export async function detectImporter(
  input: ProfileInput,
  options: RegistryOptions = {},
): Promise<ProfileImporter> {
  const importers = withRunner(options);
  const head = await readHead(input);
  const found = detectFromHead(head, importers);
  if (!found)
    throw new UnrecognizedProfileError(
      input.name,
      importers.map((i) => i.label),
    );
  return found;
}

/**
 * Picks the importer for an already-read head, or undefined when none matches. A detector
 * that throws is treated as "no".
 */
export function detectFromHead(
  head: ProfileHead,
  importers: readonly ProfileImporter[] = allImporters,
): ProfileImporter | undefined {
  const matches = importers.filter((i) => {
    try {
      return i.detect(head);
    } catch {
      return false;
    }
  });
  if (matches.length <= 1) return matches[0];
  const name = head.name.toLowerCase();
  let best: ProfileImporter | undefined;
  let bestLength = 0;
  for (const m of matches) {
    for (const ext of m.extensions) {
      if (ext.length > bestLength && name.endsWith(ext)) {
        best = m;
        bestLength = ext.length;
      }
    }
  }
  return best ?? matches[0];
}

/**
 * Detects the format of a file and imports it.
 * @returns the profile and the importer used
 * @throws UnrecognizedProfileError when no format matches
 * @throws ImportError from the chosen importer for bad input
 * @throws ImportCancelledError when `options.signal` fires
 */
export async function importProfile(
  input: ProfileInput,
  options: RegistryOptions = {},
): Promise<ImportResult> {
  const importer = await detectImporter(input, options);
  const profile =
    (await options.importInParallel?.(input, importer, options)) ?? (await importer.import(input, options));
  return { profile, importer };
}

/** The importers with the perf.data one bound to `options.runPerfScript`, when given. */
function withRunner(options: RegistryOptions): readonly ProfileImporter[] {
  const importers = options.importers ?? allImporters;
  const runner = options.runPerfScript;
  if (!runner) return importers;
  return importers.map((i) => (i.id === 'perf-data' ? createPerfDataImporter(runner) : i));
}
