/**
 * The flame graph's loading pipeline, run in the flame worker (`dist/flame-worker.js`),
 * never on the extension host: import the profile (and the baseline), index the
 * workspace, map the frames and build the columnar {@link FlameData}. No `vscode`
 * import: it runs in a worker thread and in plain Node tests.
 */
import path from 'node:path';
import { buildFlameData, type FlameData } from '../../core/flame/flame-data';
import { compileHintRules, defaultHintRules, mergeHintRules, parseUserHintRules } from '../../core/hints';
import { importProfile } from '../../core/importers/registry';
import { mapProfile } from '../../core/mapping/map-profile';
import { createDemangler, getDefaultDemangler, setDefaultDemangler } from '../../core/symbols/demangle';
import { fileInput } from '../../node/file-input';
import { WorkspaceIndexPool } from '../../node/index-pool';
import { parallelImporter } from '../../node/parallel-import';
import { createPerfScriptRunner } from '../../node/perf-script-runner';
import { loadNodeDemanglerWasm } from '../../node/workspace-fs';

/** What the flame worker is asked to build. Plain structured-cloneable data. */
export interface FlameRequest {
  /** Absolute path of the profile. */
  readonly profilePath: string;
  /** Absolute path of a baseline profile, for the differential mode. */
  readonly baselinePath?: string;
  /** Absolute path of the workspace folder to map onto. */
  readonly root: string;
  readonly exclude?: readonly string[];
  readonly pathMappings?: Readonly<Record<string, string>>;
  readonly foldedUnit?: 'samples' | 'nanoseconds';
  readonly sampleType?: string;
  readonly event?: string;
  /** User hint rules (unvalidated JSON; invalid rules are skipped). */
  readonly hintRules?: unknown;
  /** Runs `perf script` for perf.data when set (trusted workspaces only). */
  readonly perfPath?: string;
}

/** The flame worker's answer. */
export interface FlameResult {
  readonly current: FlameData;
  readonly baseline?: FlameData;
}

/**
 * Builds the flame graph data of a profile (and of its baseline, mapped onto the same
 * workspace index).
 * @throws ImportError / UnrecognizedProfileError for a bad profile (the message names the file)
 * @throws Error when a wasm asset cannot be found
 */
export async function computeFlameData(req: FlameRequest): Promise<FlameResult> {
  if (!getDefaultDemangler()) setDefaultDemangler(createDemangler(loadNodeDemanglerWasm()));
  const options = {
    ...(req.foldedUnit ? { foldedUnit: req.foldedUnit } : {}),
    ...(req.sampleType ? { sampleType: req.sampleType } : {}),
    ...(req.event ? { event: req.event } : {}),
    ...(req.perfPath ? { runPerfScript: createPerfScriptRunner({ perfPath: req.perfPath }) } : {}),
  };
  const current = await importProfile(fileInput(req.profilePath), {
    ...options,
    importInParallel: parallelImporter(req.profilePath),
  });
  const baseline = req.baselinePath
    ? await importProfile(fileInput(req.baselinePath), {
        ...options,
        importInParallel: parallelImporter(req.baselinePath),
      })
    : undefined;
  const index = await new WorkspaceIndexPool().index({
    root: req.root,
    ...(req.exclude ? { exclude: req.exclude } : {}),
  });
  const hintRules = compileHintRules(
    mergeHintRules(defaultHintRules, parseUserHintRules(req.hintRules ?? []).rules),
  );
  const mapOptions = { root: req.root, ...(req.pathMappings ? { pathMappings: req.pathMappings } : {}) };
  const build = (profilePath: string, profile: typeof current.profile) =>
    buildFlameData(profile, mapProfile(profile, index, mapOptions), {
      title: path.basename(profilePath),
      hintRules,
    });
  return {
    current: build(req.profilePath, current.profile),
    ...(baseline && req.baselinePath ? { baseline: build(req.baselinePath, baseline.profile) } : {}),
  };
}

/** The typed arrays' buffers of a result, to transfer rather than copy. */
export function transferList(result: FlameResult): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const d of [result.current, result.baseline]) {
    if (!d) continue;
    const t = d.tree;
    const f = d.functions;
    for (const a of [t.parent, t.func, t.self, t.folded, f.kinds, f.lines, f.categories])
      out.push(a.buffer as ArrayBuffer);
  }
  return out;
}
