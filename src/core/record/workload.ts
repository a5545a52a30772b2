import path from 'node:path';
import { z } from 'zod';
import { splitCommandLine } from './command-line';

/**
 * Workloads and the command lines that record them. A workload is what a `"type": "hotspot-lens"`
 * task in tasks.json describes (and what `hotspot-lens record` builds from its arguments): a
 * command, the profiler to run it under, and optionally a build to run first (not profiled).
 * {@link planRecording} turns one into the exact processes to spawn; nothing here runs them.
 */

/** The profilers a recording can run a workload under. */
export const RECORD_PROFILERS = ['perf', 'node', 'callgrind', 'go', 'custom'] as const;

/**
 * `perf`: `perf record` of a native program, converted to `perf script` text (`.perf`);
 * `node`: V8's `--cpu-prof` (`.cpuprofile`); `callgrind`: `valgrind --tool=callgrind`
 * (`.callgrind`); `go`: `go test -cpuprofile` (pprof, `.pb.gz`); `custom`: a command that
 * writes a profile in any format Hotspot Lens imports to the path it is given.
 */
export type RecordProfiler = (typeof RECORD_PROFILERS)[number];

/** Perf's call-graph mode: frame pointers (small, needs `-C force-frame-pointers`) or DWARF unwinding. */
export type CallGraphMode = 'fp' | 'dwarf';

const argvOrLine = z.union([
  z.array(z.string()).min(1, 'must not be empty'),
  z.string().min(1, 'must not be empty'),
]);
const envSchema = z.record(z.string(), z.string());

/** The task definition schema (`"type": "hotspot-lens"` in tasks.json). */
const workloadSchema = z.strictObject({
  type: z.literal('hotspot-lens').optional(),
  label: z.string().optional(),
  profiler: z.enum(RECORD_PROFILERS),
  command: argvOrLine,
  cwd: z.string().optional(),
  env: envSchema.optional(),
  build: argvOrLine.optional(),
  buildEnv: envSchema.optional(),
  event: z.string().min(1).optional(),
  frequency: z.number().int().min(1).max(100_000).optional(),
  callGraph: z.enum(['fp', 'dwarf']).optional(),
  extension: z
    .string()
    .regex(/^\.[A-Za-z0-9.]+$/, 'must be a file extension such as ".folded"')
    .optional(),
});

/** A workload, validated: command lines already split into argv. */
export interface Workload {
  /** What the user calls it (the task's label): "bench: large bundle". */
  readonly label: string;
  readonly profiler: RecordProfiler;
  /** The workload: program then arguments (run without a shell). */
  readonly command: readonly string[];
  /** Working directory, relative to the workspace folder (default: the folder). */
  readonly cwd?: string;
  /** Variables added to the environment of the build and the workload. */
  readonly env?: Readonly<Record<string, string>>;
  /** Run before recording, not profiled (a release build with debug info). */
  readonly build?: readonly string[];
  /** Variables added to the build's environment only. */
  readonly buildEnv?: Readonly<Record<string, string>>;
  /** perf: the event (default `cpu-clock`, which needs no hardware counters). */
  readonly event?: string;
  /** perf: samples per second (default 999). */
  readonly frequency?: number;
  /** perf: call-graph mode (default `fp`). */
  readonly callGraph?: CallGraphMode;
  /** custom: the extension of the profile file the command writes (default `.profile`). */
  readonly extension?: string;
}

/**
 * Validates a task definition or any JSON meant as one.
 * @param raw the definition (`{ "type": "hotspot-lens", "profiler": "perf", "command": […] }`)
 * @param where names it in messages (`tasks.json task "bench"`)
 * @throws Error naming `where`, the field and the problem (`command: must not be empty`), or a
 *   command line that cannot be split (see {@link splitCommandLine})
 */
export function parseWorkload(raw: unknown, where: string): Workload {
  const r = workloadSchema.safeParse(raw);
  if (!r.success) {
    const problems = r.error.issues.map((i) => `${i.path.join('.') || '(definition)'}: ${i.message}`);
    throw new Error(
      `${where} is not a valid Hotspot Lens workload: ${problems.join('; ')}. Expected { "type": "hotspot-lens", "profiler": "perf" | "node" | "callgrind" | "go" | "custom", "command": ["program", "arg", …] }.`,
    );
  }
  const d = r.data;
  const argv = (v: string | string[], field: string) => {
    try {
      return typeof v === 'string' ? splitCommandLine(v) : v;
    } catch (e) {
      throw new Error(`${where}: ${field}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const command = argv(d.command, 'command');
  if (command.length === 0) throw new Error(`${where}: command: must not be empty`);
  return {
    label: d.label ?? command.join(' '),
    profiler: d.profiler,
    command,
    ...(d.cwd !== undefined ? { cwd: d.cwd } : {}),
    ...(d.env ? { env: d.env } : {}),
    ...(d.build !== undefined ? { build: argv(d.build, 'build') } : {}),
    ...(d.buildEnv ? { buildEnv: d.buildEnv } : {}),
    ...(d.event ? { event: d.event } : {}),
    ...(d.frequency ? { frequency: d.frequency } : {}),
    ...(d.callGraph ? { callGraph: d.callGraph } : {}),
    ...(d.extension ? { extension: d.extension } : {}),
  };
}

/** The programs a recording runs, by name or path (settings `hotspotLens.perfPath`, `hotspotLens.record.*Path`). */
export interface ProfilerTools {
  readonly perf: string;
  readonly valgrind: string;
  readonly go: string;
}

/** Default tools: looked up on PATH. */
export const DEFAULT_TOOLS: ProfilerTools = { perf: 'perf', valgrind: 'valgrind', go: 'go' };

/** One process to spawn. */
export interface CommandStep {
  /** Program then arguments (spawned without a shell). */
  readonly argv: readonly string[];
  /** Variables to add to the inherited environment (merge with {@link mergeEnv}). */
  readonly env: Readonly<Record<string, string>>;
  /** Absolute working directory. */
  readonly cwd: string;
}

/** The processes of one recording and where its files go. */
export interface RecordingPlan {
  /** The build, when the workload has one (its failure stops the recording). */
  readonly build?: CommandStep;
  /** The profiler running the workload. */
  readonly record: CommandStep;
  /**
   * What the profiler writes: `file` a file at `path`; `dir` a directory the node profiler
   * fills with one `.cpuprofile` per process (the largest is kept).
   */
  readonly raw: { readonly kind: 'file' | 'dir'; readonly path: string };
  /** `perf-script`: the raw perf.data is converted to `perf script` text (the profile file). */
  readonly convert?: 'perf-script';
  /** Absolute path of the recording's profile file (`outBase` plus the profiler's extension). */
  readonly profile: string;
  /** The perf event actually requested (perf only). */
  readonly event?: string;
}

/** Default perf event: a software clock, so it works without hardware counters (VMs, containers). */
export const DEFAULT_PERF_EVENT = 'cpu-clock';
/** Default perf sampling frequency, in samples per second. */
export const DEFAULT_PERF_FREQUENCY = 999;

/** The profile file's extension for each profiler (`custom` uses the workload's `extension`). */
export function profileExtension(w: Pick<Workload, 'profiler' | 'extension'>): string {
  switch (w.profiler) {
    case 'perf':
      return '.perf';
    case 'node':
      return '.cpuprofile';
    case 'callgrind':
      return '.callgrind';
    case 'go':
      return '.pb.gz';
    case 'custom':
      return w.extension ?? '.profile';
  }
}

/** The placeholder a custom command's arguments may use for the profile's path. */
export const PROFILE_PLACEHOLDER = ['$', '{profile}'].join('');

/**
 * Builds the processes of one recording.
 * @param w the workload
 * @param where `root`: absolute workspace folder (the workload's `cwd` is relative to it);
 *   `outBase`: absolute path of the recording's files without extension
 *   (`…/.hotspot-lens/profiles/20261126-150053-abc1234`); `scratch`: an absolute directory for
 *   intermediate files (perf.data, node's profile directory), removed by the caller
 * @param tools the profilers' executables
 * @throws Error for a workload this profiler cannot record (a `go` command that is not
 *   `go test`), naming the workload and the fix
 */
export function planRecording(
  w: Workload,
  where: { readonly root: string; readonly outBase: string; readonly scratch: string },
  tools: ProfilerTools = DEFAULT_TOOLS,
): RecordingPlan {
  const cwd = w.cwd ? path.resolve(where.root, w.cwd) : where.root;
  const env = { ...(w.env ?? {}) };
  const profile = `${where.outBase}${profileExtension(w)}`;
  const build = w.build ? { argv: w.build, env: { ...env, ...(w.buildEnv ?? {}) }, cwd } : undefined;
  const withBuild = <T extends object>(p: T) => (build ? { ...p, build } : p);
  switch (w.profiler) {
    case 'perf': {
      const raw = path.join(where.scratch, 'perf.data');
      const event = w.event ?? DEFAULT_PERF_EVENT;
      return withBuild({
        record: {
          argv: [
            tools.perf,
            'record',
            '-e',
            event,
            '-F',
            String(w.frequency ?? DEFAULT_PERF_FREQUENCY),
            '--call-graph',
            w.callGraph ?? 'fp',
            '--no-buildid-cache',
            '-o',
            raw,
            '--',
            ...w.command,
          ],
          env,
          cwd,
        },
        raw: { kind: 'file' as const, path: raw },
        convert: 'perf-script' as const,
        profile,
        event,
      });
    }
    case 'node': {
      const dir = path.join(where.scratch, 'cpuprofiles');
      const [program, ...rest] = w.command as [string, ...string[]];
      const isNode = /^node(\.exe)?$/.test(path.basename(program));
      const record: CommandStep = isNode
        ? { argv: [program, '--cpu-prof', '--cpu-prof-dir', dir, ...rest], env, cwd }
        : {
            // npm, npx, a script with a node shebang: every node process it starts writes a profile
            argv: w.command,
            env: { ...env, NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${nodeOptionQuote(dir)}` },
            cwd,
          };
      return withBuild({ record, raw: { kind: 'dir' as const, path: dir }, profile });
    }
    case 'callgrind': {
      const raw = path.join(where.scratch, 'callgrind.out');
      return withBuild({
        record: {
          argv: [tools.valgrind, '--tool=callgrind', `--callgrind-out-file=${raw}`, ...w.command],
          env,
          cwd,
        },
        raw: { kind: 'file' as const, path: raw },
        profile,
      });
    }
    case 'go': {
      const [program, sub, ...rest] = w.command;
      if (sub !== 'test' || program === undefined)
        throw new Error(
          `workload "${w.label}": the go profiler records Go benchmarks and tests: the command must be "go test …" (for example go test -run '^$' -bench . ./pkg), not "${w.command.join(' ')}"`,
        );
      const raw = path.join(where.scratch, 'cpu.pprof');
      const go = program === 'go' ? tools.go : program;
      return withBuild({
        record: { argv: [go, 'test', `-cpuprofile=${raw}`, ...rest], env, cwd },
        raw: { kind: 'file' as const, path: raw },
        profile,
      });
    }
    case 'custom': {
      const raw = path.join(where.scratch, `profile${profileExtension(w)}`);
      return withBuild({
        record: {
          argv: w.command.map((a) => a.split(PROFILE_PLACEHOLDER).join(raw)),
          env: { ...env, HOTSPOT_LENS_PROFILE: raw },
          cwd,
        },
        raw: { kind: 'file' as const, path: raw },
        profile,
      });
    }
  }
}

/** NODE_OPTIONS splits on spaces; a value with spaces goes in double quotes. */
function nodeOptionQuote(s: string): string {
  return /[\s"\\]/.test(s) ? `"${s.replace(/(["\\])/g, '\\$1')}"` : s;
}

/** Variables whose values are flag lists: a recording's value is appended to the user's, not put in its place. */
const APPENDED = new Set(['RUSTFLAGS', 'NODE_OPTIONS', 'CFLAGS', 'CXXFLAGS', 'GOFLAGS']);

/**
 * The environment a step runs with: `base` (the inherited environment) plus `add`; for flag
 * lists (`RUSTFLAGS`, `NODE_OPTIONS`, `CFLAGS`, `CXXFLAGS`, `GOFLAGS`) the added flags are
 * appended after the user's own, separated by a space.
 * @returns a new object; `base` entries that are undefined are dropped
 */
export function mergeEnv(
  base: Readonly<Record<string, string | undefined>>,
  add: Readonly<Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) out[k] = v;
  for (const [k, v] of Object.entries(add)) {
    const existing = out[k];
    out[k] = APPENDED.has(k) && existing && !existing.includes(v) ? `${existing} ${v}` : v;
  }
  return out;
}
