import path from 'node:path';
import { RecordingError } from '../core/record/diagnose';
import { DEFAULT_PROFILES_DIR } from '../core/record/recordings';
import { formatCommandLine } from '../core/record/shell-quote';
import { parseWorkload, RECORD_PROFILERS } from '../core/record/workload';
import { recordWorkload } from '../node/recorder';
import { parseOptions } from './cli-args';
import type { CliCommand } from './cli-io';

const USAGE = `usage: hotspot-lens record [--profiler ${RECORD_PROFILERS.join('|')}] [--out FILE] [--dir DIR] [--keep N]
                          [--root DIR] [--event EVENT] [--call-graph fp|dwarf] [--build "COMMAND"] [--json] -- COMMAND…`;

/** What `hotspot-lens record --json` prints: the recording's files and its metadata sidecar. */
export interface RecordJson {
  readonly profile: string;
  readonly metaFile: string;
  readonly meta: unknown;
  readonly pruned: readonly string[];
}

/**
 * `hotspot-lens record -- COMMAND…`: records COMMAND under a profiler (default perf) into
 * `--out FILE`, or a new file in `--dir` (default `.hotspot-lens/profiles` under `--root`,
 * default the current directory), with its metadata sidecar; `record` then `diff` is a
 * scripted before/after. The profiler's and workload's output go to standard error; standard
 * output gets the profile's path (or, with `--json`, {@link RecordJson}).
 * Exit 0 recorded; 1 the recording failed (the message says why and how to fix it); 2 usage.
 * Uses `perf`, `valgrind` and `go` from the PATH, or `$HOTSPOT_LENS_PERF`, `$HOTSPOT_LENS_VALGRIND`, `$HOTSPOT_LENS_GO`.
 */
export const recordCommand: CliCommand = async (args, io) => {
  const dash = args.indexOf('--');
  const command = dash >= 0 ? args.slice(dash + 1) : [];
  const o = parseOptions(dash >= 0 ? args.slice(0, dash) : args, {
    profiler: 'string',
    out: 'string',
    dir: 'string',
    keep: 'string',
    root: 'string',
    event: 'string',
    'call-graph': 'string',
    build: 'string',
    json: 'boolean',
  });
  const usage = (m: string) => {
    io.stderr(`${m}\n${USAGE}\n`);
    return 2;
  };
  if (typeof o === 'string') return usage(o);
  if (command.length === 0) return usage('the command to record goes after --');
  const keep = o.keep === undefined ? 0 : Number(o.keep);
  if (!Number.isInteger(keep) || keep < 0) return usage('--keep must be a whole number (0: keep all)');
  let workload: ReturnType<typeof parseWorkload>;
  try {
    workload = parseWorkload(
      {
        profiler: o.profiler ?? 'perf',
        command,
        label: command.join(' '),
        ...(o.event ? { event: o.event } : {}),
        ...(o['call-graph'] ? { callGraph: o['call-graph'] } : {}),
        ...(o.build ? { build: o.build } : {}),
        ...(o.out && o.profiler === 'custom' ? { extension: path.extname(o.out) || '.profile' } : {}),
      },
      'the arguments',
    );
  } catch (e) {
    return usage(e instanceof Error ? e.message : String(e));
  }
  const root = path.resolve(io.cwd, o.root ?? '.');
  const env = process.env;
  let result: Awaited<ReturnType<typeof recordWorkload>>;
  try {
    result = await recordWorkload({
      workload,
      root,
      profilesDir: path.resolve(root, o.dir ?? DEFAULT_PROFILES_DIR),
      ...(o.out ? { out: path.resolve(io.cwd, o.out) } : {}),
      keep,
      tools: {
        perf: env.HOTSPOT_LENS_PERF || 'perf',
        valgrind: env.HOTSPOT_LENS_VALGRIND || 'valgrind',
        go: env.HOTSPOT_LENS_GO || 'go',
      },
      onOutput: (t) => io.stderr(t),
    });
  } catch (e) {
    if (!(e instanceof RecordingError)) throw e;
    io.stderr(`\nhotspot-lens record: ${e.message}\n`);
    return 1;
  }
  if (o.json) {
    const json: RecordJson = { ...result };
    io.stdout(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    const m = result.meta;
    io.stderr(
      `\nRecorded ${formatCommandLine(m.command)}: ${m.total} ${m.unit}${m.git ? ` at ${m.git.commit.slice(0, 7)}${m.git.dirty ? ' (uncommitted changes)' : ''}` : ''}\n`,
    );
    for (const p of result.pruned) io.stderr(`pruned ${p}\n`);
    io.stdout(`${result.profile}\n`);
  }
  return 0;
};
