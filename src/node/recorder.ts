/**
 * Runs a recording: the workload's build, then the workload under its profiler, then the
 * conversion (perf.data → `perf script` text, so the recording keeps its symbols after the
 * binary is rebuilt), then writes the metadata sidecar and prunes old recordings. Shared by
 * the editor's *Record Profile* task and `hotspot-lens record`. A failed or cancelled
 * recording leaves no files behind.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { importProfile } from '../core/importers/registry';
import type { Profile } from '../core/profile/model';
import { assessRecording, diagnoseFailure, RecordingError, type StepOutcome } from '../core/record/diagnose';
import type { PlanDone } from '../core/record/plan-ticks';
import {
  META_SUFFIX,
  parseRecordingMeta,
  type RecordingEntry,
  type RecordingMeta,
  recordingBaseName,
  recordingsToPrune,
  sortRecordings,
} from '../core/record/recordings';
import { formatCommandLine } from '../core/record/shell-quote';
import {
  type CommandStep,
  DEFAULT_PERF_EVENT,
  DEFAULT_TOOLS,
  mergeEnv,
  PROFILE_PLACEHOLDER,
  type ProfilerTools,
  planRecording,
  type RecordingPlan,
  type Workload,
} from '../core/record/workload';
import { createDemangler, getDefaultDemangler, setDefaultDemangler } from '../core/symbols/demangle';
import { fileInput } from './file-input';
import { parallelImporter } from './parallel-import';
import { createPerfScriptRunner } from './perf-script-runner';
import { loadNodeDemanglerWasm } from './workspace-fs';

/** Thrown when a recording is cancelled (nothing is kept). */
export class RecordingCancelledError extends Error {
  override readonly name = 'RecordingCancelledError';
}

/** Options of {@link recordWorkload}. */
export interface RecordOptions {
  readonly workload: Workload;
  /** Absolute workspace folder: the workload's `cwd` is relative to it; git is asked here. */
  readonly root: string;
  /** Absolute profiles folder (created when missing, with a `.gitignore` of `*`). */
  readonly profilesDir: string;
  /** Absolute path of the profile file to write instead of a new name in `profilesDir`. */
  readonly out?: string;
  readonly tools?: ProfilerTools;
  /** The environment the steps inherit (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Keep at most this many recordings in `profilesDir` (0: keep all). */
  readonly keep?: number;
  /** Profile file names in `profilesDir` never pruned (the current profile, the baseline). */
  readonly protect?: ReadonlySet<string>;
  /** Receives the steps' output as it comes (and the command lines, prefixed with `$ `). */
  readonly onOutput?: (text: string) => void;
  /** Aborting kills the running step's process group and throws {@link RecordingCancelledError}. */
  readonly signal?: AbortSignal;
  /** The plan tasks done now, kept in the sidecar (the editor's loaded plans). */
  readonly planDone?: PlanDone;
  /**
   * Imports the recording and assesses it (default {@link assessRecordingFile}, on this
   * thread). The editor passes {@link assessRecordingInWorker}: importing a long recording
   * must not block the extension host.
   */
  readonly assess?: (profile: string, workload: Workload) => Promise<RecordingAssessment>;
}

/** What a recording holds: its total (in `unit`) and the warnings about it (see `assessRecording`). */
export interface RecordingAssessment {
  readonly total: number;
  readonly unit: Profile['unit'];
  readonly warnings: string[];
}

/**
 * Imports a recording on this thread to learn its total and check its stacks
 * (`assessRecording`: no samples, unsymbolized frames, stacks one frame deep).
 * @throws RecordingError when the recording does not import (the importer's message, and for
 *   a custom command the formats it may write)
 */
export async function assessRecordingFile(profile: string, w: Workload): Promise<RecordingAssessment> {
  const imported = await importRecording(profile, w);
  return { total: imported.total, unit: imported.unit, warnings: assessRecording(imported, w.profiler) };
}

/**
 * {@link assessRecordingFile} in a worker thread (the recording worker, `dist/record-worker.js`),
 * so a long recording is imported off the calling thread; only the figures come back.
 * @param workerPath the recording worker's script
 * @throws RecordingError as {@link assessRecordingFile}; Error when the worker stops unexpectedly
 */
export function assessRecordingInWorker(
  workerPath: string,
  profile: string,
  w: Workload,
): Promise<RecordingAssessment> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerPath, {
      workerData: { kind: 'assess', profile, workload: w } satisfies AssessRequest,
    });
    worker.once('message', (a: AssessAnswer) => {
      void worker.terminate();
      if (a.ok) resolve(a.assessment);
      else if (a.recordingError) reject(new RecordingError(a.recordingError, w.label));
      else reject(Object.assign(new Error(a.message), { name: a.name }));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the recording worker stopped (exit ${code})`)));
  });
}

/** What the recording worker is asked to assess (see {@link assessRecordingInWorker}). */
export interface AssessRequest {
  readonly kind: 'assess';
  readonly profile: string;
  readonly workload: Workload;
}

/** The recording worker's answer to an {@link AssessRequest}. */
export type AssessAnswer =
  | { readonly ok: true; readonly assessment: RecordingAssessment }
  | {
      readonly ok: false;
      readonly name: string;
      readonly message: string;
      /** The failure of a RecordingError, to rebuild it. */
      readonly recordingError?: RecordingError['failure'];
    };

/** A finished recording. */
export interface RecordResult {
  /** Absolute path of the profile file. */
  readonly profile: string;
  /** Absolute path of its metadata sidecar. */
  readonly metaFile: string;
  readonly meta: RecordingMeta;
  /** Absolute paths of the profile files pruned. */
  readonly pruned: readonly string[];
}

/** How many lines of output a failure message quotes. */
const LAST_LINES = 15;

/**
 * Records a workload.
 * @returns the profile, its sidecar (with the total and unit, and warnings about missing
 *   symbols or frame pointers), and what was pruned
 * @throws RecordingError explaining the failure (profiler missing, perf_event_paranoid, no
 *   hardware counters — retried once with `cpu-clock` first —, the build or the workload
 *   failing with its exit code and last lines, a profile that does not import)
 * @throws RecordingCancelledError when `signal` aborts
 * @throws Error for a workload its profiler cannot run (see `planRecording`)
 */
export async function recordWorkload(o: RecordOptions): Promise<RecordResult> {
  const w = o.workload;
  const tools = o.tools ?? DEFAULT_TOOLS;
  const say = o.onOutput ?? (() => {});
  const startedAt = new Date();
  const git = await gitState(o.root);
  const outBase = o.out
    ? o.out.replace(/(\.[A-Za-z0-9]+)*$/, '')
    : path.join(o.profilesDir, recordingBaseName(startedAt, git?.commit));
  await fs.mkdir(o.out ? path.dirname(o.out) : o.profilesDir, { recursive: true });
  if (!o.out) await ensureGitignore(o.profilesDir);
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'hotspot-lens-record-'));
  let plan = planRecording(w, { root: o.root, outBase, scratch }, tools);
  const profile = o.out ?? plan.profile;
  const baseEnv = o.env ?? process.env;
  let wroteProfile = false;
  try {
    if (plan.raw.kind === 'dir') await fs.mkdir(plan.raw.path, { recursive: true });
    if (plan.build) await runOrThrow(plan.build, 'build', w, baseEnv, say, o.signal);
    const t0 = Date.now();
    let outcome = await runStep(plan.record, 'record', w.profiler, baseEnv, say, o.signal);
    if (outcome) {
      const failure = diagnoseFailure(outcome);
      if (failure.eventUnsupported && plan.event !== DEFAULT_PERF_EVENT) {
        say(`\n${failure.message}: recording again with -e ${DEFAULT_PERF_EVENT}\n`);
        plan = planRecording({ ...w, event: DEFAULT_PERF_EVENT }, { root: o.root, outBase, scratch }, tools);
        outcome = await runStep(plan.record, 'record', w.profiler, baseEnv, say, o.signal);
      }
      if (outcome) throw new RecordingError(diagnoseFailure(outcome), w.label);
    }
    const durationMs = Date.now() - t0;
    wroteProfile = true;
    await collect(plan, profile, w, tools, say);
    const { total, unit, warnings } = await (o.assess ?? assessRecordingFile)(profile, w);
    for (const warning of warnings) say(`\nWarning: ${warning}\n`);
    const meta: RecordingMeta = {
      version: 1,
      profile: path.basename(profile),
      label: w.label,
      profiler: w.profiler,
      command: [...w.command],
      commandLine: formatCommandLine(plan.record.argv, plan.record.env),
      cwd: plan.record.cwd,
      startedAt: startedAt.toISOString(),
      durationMs,
      git,
      ...(plan.event ? { event: plan.event } : {}),
      total,
      unit,
      ...(warnings.length > 0 ? { warnings } : {}),
      ...(o.planDone ? { planDone: o.planDone } : {}),
    };
    const metaFile = `${profile}${META_SUFFIX}`;
    await fs.writeFile(metaFile, `${JSON.stringify(meta, null, 2)}\n`);
    const pruned =
      !o.out && o.keep
        ? await pruneRecordings(o.profilesDir, o.keep, new Set([...(o.protect ?? []), meta.profile]))
        : [];
    return { profile, metaFile, meta, pruned };
  } catch (e) {
    if (wroteProfile) await fs.rm(profile, { force: true });
    throw e;
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
}

/** Moves (or converts) what the profiler wrote to the profile file. */
async function collect(
  plan: RecordingPlan,
  profile: string,
  w: Workload,
  tools: ProfilerTools,
  say: (t: string) => void,
): Promise<void> {
  if (plan.convert === 'perf-script') {
    say(`\n$ ${formatCommandLine([tools.perf, 'script', '-i', plan.raw.path])} > ${profile}\n`);
    const input = createPerfScriptRunner({ perfPath: tools.perf })(plan.raw.path);
    const out = await fs.open(profile, 'w');
    try {
      for await (const chunk of input.chunks()) await out.write(chunk);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      throw new RecordingError(
        {
          message: `converting the recording with perf script failed: ${message}`,
          fix: 'check that perf can read it (perf script -i perf.data)',
          lastLines: [],
        },
        w.label,
      );
    } finally {
      await out.close();
    }
    return;
  }
  if (plan.raw.kind === 'dir') {
    const files = (await fs.readdir(plan.raw.path)).filter((f) => f.endsWith('.cpuprofile'));
    if (files.length === 0)
      throw new RecordingError(
        {
          message:
            'node wrote no .cpuprofile: the workload started no node process, or it was not a node program',
          fix: 'record a node program (node script.js, npm run …); for a native program use the perf profiler',
          lastLines: [],
        },
        w.label,
      );
    // several node processes (npm, then the script): the one that ran longest wrote the largest
    const sized = await Promise.all(
      files.map(async (f) => ({ f, size: (await fs.stat(path.join(plan.raw.path, f))).size })),
    );
    sized.sort((a, b) => b.size - a.size);
    if (sized.length > 1)
      say(`\n${sized.length} node processes wrote profiles: keeping the largest (${sized[0]?.f})\n`);
    await fs.copyFile(path.join(plan.raw.path, sized[0]?.f ?? ''), profile);
    return;
  }
  try {
    await fs.copyFile(plan.raw.path, profile);
  } catch {
    throw new RecordingError(
      {
        message: `the profiler wrote no profile (${plan.raw.path} is missing)`,
        fix:
          w.profiler === 'custom'
            ? `the command must write its profile to the path in $HOTSPOT_LENS_PROFILE (or given by ${PROFILE_PLACEHOLDER} in its arguments)`
            : 'see the profiler output above',
        lastLines: [],
      },
      w.label,
    );
  }
}

/** Imports the recording to learn its total and check its stacks. */
async function importRecording(profile: string, w: Workload) {
  if (!getDefaultDemangler()) setDefaultDemangler(createDemangler(loadNodeDemanglerWasm()));
  try {
    return (await importProfile(fileInput(profile), { importInParallel: parallelImporter(profile) })).profile;
  } catch (e) {
    throw new RecordingError(
      {
        message: `the recording does not import: ${e instanceof Error ? e.message : String(e)}`,
        fix:
          w.profiler === 'custom'
            ? 'the command must write a format Hotspot Lens imports (folded stacks, perf script, .cpuprofile, pprof, callgrind, speedscope, …)'
            : '',
        lastLines: [],
      },
      w.label,
    );
  }
}

async function runOrThrow(
  step: CommandStep,
  kind: 'build' | 'record',
  w: Workload,
  env: Readonly<Record<string, string | undefined>>,
  say: (t: string) => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  const outcome = await runStep(step, kind, w.profiler, env, say, signal);
  if (outcome) throw new RecordingError(diagnoseFailure(outcome), w.label);
}

/**
 * Runs one step in its own process group, streaming its output.
 * @returns undefined when it exited 0, else what it left (for the diagnosis)
 * @throws RecordingCancelledError when `signal` aborts (the group is killed)
 */
function runStep(
  step: CommandStep,
  kind: 'build' | 'record',
  profiler: Workload['profiler'],
  env: Readonly<Record<string, string | undefined>>,
  say: (t: string) => void,
  signal: AbortSignal | undefined,
): Promise<StepOutcome | undefined> {
  if (signal?.aborted) return Promise.reject(new RecordingCancelledError('The recording was cancelled.'));
  say(`$ ${formatCommandLine(step.argv, step.env)}\n`);
  const [program, ...args] = step.argv as [string, ...string[]];
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      cwd: step.cwd,
      env: mergeEnv(env, step.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let tail = '';
    const take = (d: Buffer) => {
      const text = d.toString('utf8');
      say(text);
      tail = (tail + text).slice(-8192);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const onAbort = () => kill();
    signal?.addEventListener('abort', onAbort, { once: true });
    let spawnError: NodeJS.ErrnoException | undefined;
    child.on('error', (e) => {
      spawnError = e;
    });
    child.on('close', (code, sig) => {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) {
        reject(new RecordingCancelledError('The recording was cancelled.'));
        return;
      }
      if (!spawnError && code === 0) {
        resolve(undefined);
        return;
      }
      const lastLines = tail
        .split('\n')
        .map((l) => l.trimEnd())
        .filter((l) => l !== '')
        .slice(-LAST_LINES);
      resolve({
        profiler,
        step: kind,
        program,
        ...(spawnError?.code ? { spawnError: spawnError.code } : {}),
        exitCode: code,
        signal: sig,
        lastLines,
      });
    });
  });
}

/** The commit checked out in `dir` and whether tracked files changed; null outside git (or without git). */
export async function gitState(dir: string): Promise<{ commit: string; dirty: boolean } | null> {
  const run = (args: string[]) =>
    new Promise<string | undefined>((resolve) => {
      const child = spawn('git', ['-C', dir, ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString('utf8');
      });
      child.on('error', () => resolve(undefined));
      child.on('close', (code) => resolve(code === 0 ? out : undefined));
    });
  const commit = (await run(['rev-parse', '--verify', 'HEAD']))?.trim();
  if (!commit) return null;
  const status = await run(['status', '--porcelain', '--untracked-files=no']);
  return { commit, dirty: (status ?? '').trim() !== '' };
}

/** Recordings are the user's local data: the profiles folder is kept out of git. */
async function ensureGitignore(dir: string): Promise<void> {
  const file = path.join(dir, '.gitignore');
  try {
    await fs.writeFile(file, '# Hotspot Lens recordings (local; delete this file to commit them)\n*\n', {
      flag: 'wx',
    });
  } catch {
    // already there: the user's own choice stands
  }
}

/**
 * The recordings in a profiles folder (those with a readable sidecar and profile), newest first.
 * @returns the entries and, for each unreadable sidecar, a message naming it
 */
export async function listRecordings(
  dir: string,
): Promise<{ entries: RecordingEntry[]; problems: string[] }> {
  let files: string[];
  try {
    files = await fs.readdir(dir);
  } catch {
    return { entries: [], problems: [] };
  }
  const entries: RecordingEntry[] = [];
  const problems: string[] = [];
  for (const f of files.filter((n) => n.endsWith(META_SUFFIX))) {
    const file = path.join(dir, f);
    try {
      const meta = parseRecordingMeta(await fs.readFile(file, 'utf8'), file);
      await fs.access(path.join(dir, meta.profile));
      entries.push({ meta, metaFile: f });
    } catch (e) {
      problems.push(e instanceof Error ? e.message : String(e));
    }
  }
  return { entries: sortRecordings(entries), problems };
}

/** Deletes a recording's profile and sidecar (missing files are no error). */
export async function deleteRecording(dir: string, entry: RecordingEntry): Promise<void> {
  await fs.rm(path.join(dir, entry.meta.profile), { force: true });
  await fs.rm(path.join(dir, entry.metaFile), { force: true });
}

/**
 * Deletes the oldest recordings beyond `keep` (never those in `protect`).
 * @returns the absolute paths of the profile files deleted
 */
export async function pruneRecordings(
  dir: string,
  keep: number,
  protect: ReadonlySet<string>,
): Promise<string[]> {
  const { entries } = await listRecordings(dir);
  const doomed = recordingsToPrune(entries, keep, protect);
  for (const e of doomed) await deleteRecording(dir, e);
  return doomed.map((e) => path.join(dir, e.meta.profile));
}

/**
 * The metadata sidecar beside a profile file (`<profile>.meta.json`).
 * @param profile absolute path of the profile file
 * @returns the metadata, or undefined when there is no readable sidecar (not a recording)
 */
export async function readRecordingMeta(profile: string): Promise<RecordingMeta | undefined> {
  try {
    const file = `${profile}${META_SUFFIX}`;
    return parseRecordingMeta(await fs.readFile(file, 'utf8'), file);
  } catch {
    return undefined;
  }
}
