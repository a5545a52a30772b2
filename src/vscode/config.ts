import * as vscode from 'vscode';

/** What the text after a hot line shows. */
export type LineTextMode = 'both' | 'total' | 'self' | 'off';

/** The `hotspotLens.*` settings, typed, with their documented defaults. */
export interface HotspotLensConfig {
  /** Profile to load on start, relative to the workspace folder ('' = none). */
  readonly profile: string;
  /** Plans to load on start, relative to the workspace folder. */
  readonly plans: readonly string[];
  readonly planGlob: string;
  readonly profileGlob: string;
  readonly exclude: readonly string[];
  /** Recorded path prefix → workspace path (`${workspaceFolder}` expanded). */
  readonly pathMappings: Readonly<Record<string, string>>;
  /** Crate name in the profile → workspace crate, for crates renamed since the recording. */
  readonly crateAliases: Readonly<Record<string, string>>;
  readonly foldedUnit: 'auto' | 'samples' | 'nanoseconds';
  readonly pprofSampleType: string;
  readonly callgrindEvent: string;
  /** Largest profile loaded, in bytes. */
  readonly maxProfileBytes: number;
  readonly perfPath: string;
  readonly annotationsEnabled: boolean;
  readonly lineText: LineTextMode;
  /** Minimum share of the profile's total, in percent, for a line or function to be annotated. */
  readonly threshold: number;
  readonly lineBackground: boolean;
  readonly codeLensEnabled: boolean;
  /** User hint rules, unvalidated (core validates them with zod). */
  readonly hintRules: unknown;
  /** Minimum share of a function's total, in percent, for a hint. */
  readonly hintMinShare: number;
  /** When the loaded profile's file changes on disk, the previous result becomes the baseline. */
  readonly autoBaseline: boolean;
  /** How a comparison puts the two profiles' weights on one scale. */
  readonly compareNormalization: 'auto' | 'absolute' | 'share';
}

/** Reads the settings for a folder (or the window), expanding `${workspaceFolder}` in path mappings. */
export function readConfig(folder?: vscode.WorkspaceFolder): HotspotLensConfig {
  const c = vscode.workspace.getConfiguration('hotspotLens', folder?.uri);
  const root = folder?.uri.fsPath ?? '';
  const mappings: Record<string, string> = {};
  for (const [from, to] of Object.entries(c.get<Record<string, string>>('pathMappings') ?? {})) {
    if (typeof to === 'string') mappings[from] = to.replace(/\$\{workspaceFolder\}/g, root);
  }
  return {
    profile: c.get<string>('profile') ?? '',
    plans: c.get<string[]>('plans') ?? [],
    planGlob: c.get<string>('planGlob') ?? '**/*plan*.md',
    profileGlob: c.get<string>('profileGlob') ?? '**/*.{folded,perf,cpuprofile,svg}',
    exclude: c.get<string[]>('exclude') ?? ['**/node_modules/**', '**/target/**'],
    pathMappings: mappings,
    crateAliases: Object.fromEntries(
      Object.entries(c.get<Record<string, unknown>>('crateAliases') ?? {}).filter(
        (e): e is [string, string] => typeof e[1] === 'string',
      ),
    ),
    foldedUnit: c.get<'auto' | 'samples' | 'nanoseconds'>('foldedUnit') ?? 'auto',
    pprofSampleType: c.get<string>('pprofSampleType') ?? '',
    callgrindEvent: c.get<string>('callgrindEvent') ?? 'Ir',
    maxProfileBytes: Math.max(1, c.get<number>('maxProfileSizeMB') ?? 2048) * 1024 * 1024,
    perfPath: c.get<string>('perfPath') ?? 'perf',
    annotationsEnabled: c.get<boolean>('annotations.enabled') ?? true,
    lineText: c.get<LineTextMode>('annotations.lineText') ?? 'both',
    threshold: c.get<number>('annotations.threshold') ?? 0.5,
    lineBackground: c.get<boolean>('annotations.lineBackground') ?? false,
    codeLensEnabled: c.get<boolean>('codeLens.enabled') ?? true,
    hintRules: c.get<unknown>('hints.rules') ?? [],
    autoBaseline: c.get<boolean>('compare.autoBaseline') ?? true,
    compareNormalization: c.get<'auto' | 'absolute' | 'share'>('compare.normalization') ?? 'auto',
    hintMinShare: c.get<number>('hints.minShare') ?? 5,
  };
}

/** A glob `exclude` pattern for `workspace.findFiles` from the configured list. */
export function excludeGlob(cfg: HotspotLensConfig): string | undefined {
  return cfg.exclude.length === 0
    ? undefined
    : cfg.exclude.length === 1
      ? cfg.exclude[0]
      : `{${cfg.exclude.join(',')}}`;
}
