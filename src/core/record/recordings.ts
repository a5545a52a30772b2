import { z } from 'zod';
import type { PlanDone } from './plan-ticks';
import { RECORD_PROFILERS, type RecordProfiler } from './workload';

/**
 * The recordings list: each recording is a profile file under the profiles folder
 * (`.hotspot-lens/profiles/` by default) with a metadata sidecar beside it
 * (`<profile file>.meta.json`) saying when, at which git commit and with which command it was
 * recorded, and its total once loaded.
 */

/** The sidecar's suffix, appended to the profile file's name. */
export const META_SUFFIX = '.meta.json';

/** Default profiles folder, relative to the workspace folder. */
export const DEFAULT_PROFILES_DIR = '.hotspot-lens/profiles';

/** What a recording's sidecar holds. */
export interface RecordingMeta {
  readonly version: 1;
  /** The profile file's name (in the same folder as the sidecar). */
  readonly profile: string;
  /** The workload's label. */
  readonly label: string;
  readonly profiler: RecordProfiler;
  /** The workload as run (argv, without the profiler's own arguments). */
  readonly command: readonly string[];
  /** The profiler's full command line, shell-quoted (what a user can paste to run it again). */
  readonly commandLine: string;
  /** Working directory (absolute). */
  readonly cwd: string;
  /** When the recording started (ISO 8601, UTC). */
  readonly startedAt: string;
  /** How long the profiler ran, in milliseconds of wall-clock time. */
  readonly durationMs: number;
  /** The git commit checked out (40 hex digits) and whether the tree had uncommitted changes; null outside git. */
  readonly git: { readonly commit: string; readonly dirty: boolean } | null;
  /** The perf event (perf only). */
  readonly event?: string;
  /** The profile's total and its unit, once imported (`samples`, `nanoseconds`, `instructions`…). */
  readonly total?: number;
  readonly unit?: string;
  /** Warnings about the recording's quality (no debug info, shallow stacks). */
  readonly warnings?: readonly string[];
  /** The plan tasks done when it was recorded, by plan path (see `plan-ticks.ts`). */
  readonly planDone?: PlanDone;
}

const metaSchema = z.object({
  version: z.literal(1),
  profile: z.string().min(1),
  label: z.string(),
  profiler: z.enum(RECORD_PROFILERS),
  command: z.array(z.string()),
  commandLine: z.string(),
  cwd: z.string(),
  startedAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date'),
  durationMs: z.number().nonnegative(),
  git: z.object({ commit: z.string(), dirty: z.boolean() }).nullable(),
  event: z.string().optional(),
  total: z.number().nonnegative().optional(),
  unit: z.string().optional(),
  warnings: z.array(z.string()).optional(),
  planDone: z.record(z.string(), z.array(z.string())).optional(),
});

/**
 * Reads a sidecar's JSON.
 * @param text the file's text
 * @param where names it in the error (its path)
 * @throws Error naming `where` and the first problem (not JSON; a field missing or of the wrong type)
 */
export function parseRecordingMeta(text: string, where: string): RecordingMeta {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where} is not a recording's metadata: ${e instanceof Error ? e.message : String(e)}`);
  }
  const r = metaSchema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(
      `${where} is not a recording's metadata: ${i ? `${i.path.join('.') || '(file)'}: ${i.message}` : 'invalid'}`,
    );
  }
  return r.data as RecordingMeta;
}

/**
 * The base name of a new recording's files: its start time (UTC, to the second) and the first
 * 7 digits of the commit — `20261126-150053-abc1234` (`-nogit` outside git); sorts by time.
 * @param startedAt the start time
 * @param commit the commit's hash, when in git
 */
export function recordingBaseName(startedAt: Date, commit: string | undefined): string {
  const iso = startedAt.toISOString(); // 2026-11-26T15:00:53.123Z
  const stamp = `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}`;
  return `${stamp}-${commit ? commit.slice(0, 7) : 'nogit'}`;
}

/** A recording found in the profiles folder: its metadata and its files' names. */
export interface RecordingEntry {
  readonly meta: RecordingMeta;
  /** The sidecar's file name. */
  readonly metaFile: string;
}

/** Newest first (by `startedAt`, then by file name). */
export function sortRecordings(list: readonly RecordingEntry[]): RecordingEntry[] {
  return [...list].sort(
    (a, b) =>
      Date.parse(b.meta.startedAt) - Date.parse(a.meta.startedAt) || b.metaFile.localeCompare(a.metaFile),
  );
}

/**
 * The recordings to delete so that at most `keep` remain: the oldest beyond the `keep` newest,
 * never one of `protect` (the profile files loaded as the current profile and the baseline),
 * so a protected recording may leave more than `keep`.
 * @param keep how many to keep (0 or less: keep everything — pruning is off)
 * @param protect profile file names that must not be deleted
 * @returns the entries to delete, oldest last
 */
export function recordingsToPrune(
  list: readonly RecordingEntry[],
  keep: number,
  protect: ReadonlySet<string> = new Set(),
): RecordingEntry[] {
  if (keep <= 0) return [];
  return sortRecordings(list)
    .slice(keep)
    .filter((e) => !protect.has(e.meta.profile));
}

/**
 * A one-line description for lists: `26 Nov 2026 15:00 · abc1234* · 1,234 samples · bench`
 * (`*`: uncommitted changes; the total only once known).
 * @param formatTotal formats the total with its unit (the editor's own formatter)
 */
export function describeRecording(
  meta: RecordingMeta,
  formatTotal: (total: number, unit: string) => string = (t, u) => `${t} ${u}`,
): string {
  const d = new Date(meta.startedAt);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const date = `${d.getDate()} ${months[d.getMonth()]} ${d.getFullYear()} ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  const parts = [date, meta.git ? `${meta.git.commit.slice(0, 7)}${meta.git.dirty ? '*' : ''}` : 'no git'];
  if (meta.total !== undefined && meta.unit) parts.push(formatTotal(meta.total, meta.unit));
  parts.push(meta.label);
  return parts.join(' · ');
}
