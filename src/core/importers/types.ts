import type { Profile, ProfileFormatId, WeightUnit } from '../profile/model';

/**
 * A profile file as importers see it: a name and a way to stream its bytes.
 * Core never touches the file system itself; the editor, the CLI and the tests
 * create inputs with the helpers in `input.ts`.
 */
export interface ProfileInput {
  /** File name or path, used in messages and for detection by extension. */
  readonly name: string;
  /** Size in bytes, when known (for progress). */
  readonly size?: number;
  /** Streams the whole file, in order, as byte chunks. May be called more than once. */
  chunks(): AsyncIterable<Uint8Array>;
  /**
   * Optional: the same bytes as {@link chunks}, but each chunk's memory may be reused for the
   * next one once it is requested (a buffer or two for the whole file, so reading a 1 GB file
   * leaves no garbage behind). Only readers that copy what they keep use it (`lineBlocks`).
   */
  reusedChunks?(): AsyncIterable<Uint8Array>;
}

/**
 * The first bytes of a file, given to every importer's `detect` to decide by content.
 * `text` is the head decoded as UTF-8 (invalid bytes replaced), possibly cut mid-line.
 */
export interface ProfileHead {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly text: string;
}

/** Options every importer accepts. */
export interface ImportOptions {
  /** Cancels the import; the importer throws ImportCancelledError soon after it fires. */
  readonly signal?: AbortSignal;
  /** Called now and then with the number of bytes consumed so far. */
  readonly onProgress?: (bytesRead: number) => void;
  /** Folded stacks: what the weights mean (`samples` unless a hint or the user says nanoseconds). */
  readonly foldedUnit?: Extract<WeightUnit, 'samples' | 'nanoseconds'>;
  /** pprof: which sample type to use (`cpu`, `samples`, `alloc_space`…); default: cpu/nanoseconds, else samples, else the first. */
  readonly sampleType?: string;
  /** callgrind: which event to use (default `Ir`, else the first). */
  readonly event?: string;
  /** dhat: which measure to use: `bytes` (total bytes allocated, default) or `blocks`. */
  readonly dhatMeasure?: 'bytes' | 'blocks';
}

/**
 * One format's importer. Each lives in its own module under `src/core/importers`,
 * with the link to the format's specification in its module comment.
 */
export interface ProfileImporter {
  readonly id: ProfileFormatId;
  /** Human-readable format name used in messages (`perf script`). */
  readonly label: string;
  /** File-name suffixes that suggest the format (lower case, with the dot: `.folded`). */
  readonly extensions: readonly string[];
  /** Structural check on the file's head; true when the content looks like this format. */
  detect(head: ProfileHead): boolean;
  /**
   * Reads the whole input into a profile.
   * @throws ImportError for bad input (names the file, the format and the first problem)
   * @throws ImportCancelledError when `options.signal` fires
   */
  import(input: ProfileInput, options?: ImportOptions): Promise<Profile>;
}
