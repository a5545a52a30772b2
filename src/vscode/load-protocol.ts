import type { ProfileAnalysis } from '../core/analysis/types';
import type { CompareSnapshot } from '../core/compare/types';
import type { FlameData } from '../core/flame/flame-data';

/**
 * Messages between the extension host and the loading worker (`dist/worker.js`).
 * Plain structured-cloneable data.
 */
export interface LoadRequest {
  /** Absolute path of the profile file. */
  readonly profilePath: string;
  /** Size of the profile in bytes (for progress). */
  readonly size: number;
  /** Absolute path of the workspace folder to map onto. */
  readonly root: string;
  /** Globs excluded from the workspace index. */
  readonly exclude: readonly string[];
  readonly pathMappings: Readonly<Record<string, string>>;
  /** Crate name in the profile → workspace crate. */
  readonly crateAliases: Readonly<Record<string, string>>;
  readonly foldedUnit: 'auto' | 'samples' | 'nanoseconds';
  readonly sampleType: string;
  readonly event: string;
  readonly hintRules: unknown;
  /** Percent of a function's total. */
  readonly hintMinShare: number;
  /** Whether running `perf script` for perf.data is allowed (trusted workspace). */
  readonly allowExternalPrograms: boolean;
  readonly perfPath: string;
  /** Where the workspace index keeps its per-file results between loads (the workspace's storage). */
  readonly indexCache?: { readonly dir: string; readonly version: string };
}

/** Host → worker: load one profile (the worker answers with {@link LoadMessage}s of this id). */
export interface LoadCommand {
  readonly type: 'load';
  readonly id: number;
  readonly request: LoadRequest;
}

/** Worker → host, about the load of this id. */
export type LoadMessage = { readonly id: number } & (
  | {
      readonly type: 'progress';
      readonly stage: 'reading' | 'indexing' | 'mapping';
      readonly bytes?: number;
      readonly size?: number;
    }
  | {
      readonly type: 'done';
      readonly analysis: ProfileAnalysis;
      /** The profile reduced for comparing (functions by identity, merged call tree). */
      readonly snapshot: CompareSnapshot;
      /** The flame graph's columnar call tree, from the same mapping. */
      readonly flame: FlameData;
    }
  | {
      readonly type: 'error';
      readonly name: string;
      readonly message: string;
      readonly details: readonly string[];
    }
);
