import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeProfile } from '../core/analysis/analyze';
import type { ProfileAnalysis } from '../core/analysis/types';
import { snapshotFromMapping } from '../core/compare/snapshot';
import type { CompareSnapshot } from '../core/compare/types';
import { buildFlameData, type FlameData } from '../core/flame/flame-data';
import { compileHintRules, defaultHintRules, mergeHintRules, parseUserHintRules } from '../core/hints';
import { importProfile } from '../core/importers/registry';
import type { ImportOptions } from '../core/importers/types';
import type { ProfileMapping } from '../core/mapping/map-profile';
import { loadSourceMaps } from '../core/mapping/source-maps';
import type { Profile } from '../core/profile/model';
import { createDemangler, getDefaultDemangler, setDefaultDemangler } from '../core/symbols/demangle';
import { fileInput } from './file-input';
import { WorkspaceIndexPool } from './index-pool';
import { parallelImporter } from './parallel-import';
import { createPerfScriptRunner } from './perf-script-runner';
import { loadNodeDemanglerWasm } from './workspace-fs';

/** Options of {@link analyzeFiles}. */
export interface AnalyzeFilesOptions
  extends Pick<ImportOptions, 'foldedUnit' | 'sampleType' | 'event' | 'onProgress'> {
  /** Absolute path of the profile. */
  readonly profilePath: string;
  /** Absolute path of the workspace folder to map onto. */
  readonly root: string;
  /** Globs excluded from the workspace index (default: node_modules, target, .git, dist). */
  readonly exclude?: readonly string[];
  readonly pathMappings?: Readonly<Record<string, string>>;
  /** Crate name in the profile → workspace crate (`hotspotLens.crateAliases`). */
  readonly crateAliases?: Readonly<Record<string, string>>;
  /** User hint rules (unvalidated JSON). */
  readonly hintRules?: unknown;
  /** Percent of a function's total weight a hint needs (default 5). */
  readonly hintMinSharePercent?: number;
  /** Runs `perf script` for perf.data when set (trusted workspaces, the CLI); otherwise perf.data is refused. */
  readonly perfPath?: string;
  /** How many library functions, pseudo-frames and unmapped frames to keep (default 200). */
  readonly maxListed?: number;
  /** Also reduce the profile to a comparison snapshot (the baseline of a later comparison). */
  readonly snapshot?: boolean;
  /** Also build the flame graph's columnar call tree (from the same mapping). */
  readonly flame?: boolean;
  /**
   * Keep the workspace index's per-file results in this directory (keyed by file, size and
   * time), so a reload reads and parses only the files that changed; with the version that wrote them.
   */
  readonly indexCache?: { readonly dir: string; readonly version: string };
  /**
   * Keeps the workspace index in memory for the next call (a process that loads again and
   * again); without it the index is built for this call only (from `indexCache` when given).
   */
  readonly indexPool?: WorkspaceIndexPool;
  /** Called when a stage starts. */
  readonly onStage?: (stage: 'indexing' | 'mapping') => void;
}

/**
 * The whole pipeline on files, shared by the editor's loading worker and the CLI:
 * import the profile (format detected by content), index the workspace with the
 * tree-sitter parsers, map and analyse.
 * @throws ImportError / UnrecognizedProfileError for bad profiles (message names file, format, problem)
 * @throws Error when a wasm asset cannot be found (names where it looked)
 */
export async function analyzeFiles(options: AnalyzeFilesOptions): Promise<{
  profile: Profile;
  analysis: ProfileAnalysis;
  formatLabel: string;
  snapshot?: CompareSnapshot;
  flame?: FlameData;
}> {
  if (!getDefaultDemangler()) setDefaultDemangler(createDemangler(loadNodeDemanglerWasm()));
  const input = fileInput(options.profilePath);
  const { profile, importer } = await importProfile(input, {
    ...(options.foldedUnit ? { foldedUnit: options.foldedUnit } : {}),
    ...(options.sampleType ? { sampleType: options.sampleType } : {}),
    ...(options.event ? { event: options.event } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.perfPath ? { runPerfScript: createPerfScriptRunner({ perfPath: options.perfPath }) } : {}),
    importInParallel: parallelImporter(options.profilePath),
  });
  options.onStage?.('indexing');
  const index = await (options.indexPool ?? new WorkspaceIndexPool()).index({
    root: options.root,
    ...(options.exclude ? { exclude: options.exclude } : {}),
    ...(options.indexCache ? { indexCache: options.indexCache } : {}),
  });
  options.onStage?.('mapping');
  const sourceMaps = await loadSourceMaps(profile, readProfileFile);
  let mapping: ProfileMapping | undefined;
  const analysis = analyzeProfile(profile, {
    ...(options.snapshot || options.flame
      ? {
          onMapped: (m: ProfileMapping) => {
            mapping = m;
          },
        }
      : {}),
    formatLabel: importer.label,
    index,
    root: options.root,
    ...(options.pathMappings ? { pathMappings: options.pathMappings } : {}),
    ...(options.crateAliases ? { crateAliases: options.crateAliases } : {}),
    ...(sourceMaps.size > 0 ? { sourceMaps } : {}),
    hintRules: options.hintRules ?? [],
    ...(options.maxListed !== undefined ? { maxListed: options.maxListed } : {}),
    ...(options.hintMinSharePercent !== undefined
      ? { hintMinSharePercent: options.hintMinSharePercent }
      : {}),
  });
  const snapshot =
    mapping && options.snapshot
      ? snapshotFromMapping(profile, mapping, { formatLabel: importer.label })
      : undefined;
  const flame =
    mapping && options.flame
      ? buildFlameData(profile, mapping, {
          title: path.basename(options.profilePath),
          hintRules: compileHintRules(
            mergeHintRules(defaultHintRules, parseUserHintRules(options.hintRules ?? []).rules),
          ),
        })
      : undefined;
  return {
    profile,
    analysis,
    formatLabel: importer.label,
    ...(snapshot ? { snapshot } : {}),
    ...(flame ? { flame } : {}),
  };
}

/** Source maps are looked up only for files up to this size (bytes): a bundle and its map. */
const MAX_SOURCE_MAP_FILE_BYTES = 64 * 1024 * 1024;

/**
 * Reads a file a profile names (a bundle or its source map) as UTF-8 text: a path or a
 * `file://` URL; undefined when it cannot be read or is over 64 MiB.
 */
async function readProfileFile(file: string): Promise<string | undefined> {
  try {
    const p = file.startsWith('file:') ? fileURLToPath(file) : file;
    const stat = await fs.stat(p);
    if (!stat.isFile() || stat.size > MAX_SOURCE_MAP_FILE_BYTES) return undefined;
    return await fs.readFile(p, 'utf8');
  } catch {
    return undefined;
  }
}
