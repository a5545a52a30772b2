import { isKernelFrame, isUnsymbolizedName } from '../analysis/pseudo-frames';
import { type Profile, stackTableOf } from '../profile/model';
import type { RecordProfiler } from './workload';

/**
 * Why a recording failed, and how to fix it, from what the processes left: the spawn error,
 * the exit code or signal, the last lines of their output. And, for a recording that
 * worked, whether its stacks are usable (symbols, depth).
 */

/** What a failed step left. */
export interface StepOutcome {
  readonly profiler: RecordProfiler;
  /** `build`: the workload's build; `record`: the profiler running the workload; `convert`: perf script. */
  readonly step: 'build' | 'record' | 'convert';
  /** The program that was spawned (argv[0]). */
  readonly program: string;
  /** Node's spawn error code (`ENOENT`, `EACCES`) when the program could not start. */
  readonly spawnError?: string;
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** The last lines of the step's output (standard output and error, interleaved), oldest first. */
  readonly lastLines: readonly string[];
}

/** A failure, explained. */
export interface RecordFailure {
  /** One sentence: what failed. */
  readonly message: string;
  /** How to fix it (empty when the output says it best). */
  readonly fix: string;
  /** The output's last lines, for the message's detail. */
  readonly lastLines: readonly string[];
  /** perf said the event is not supported (no hardware counters): retry with `-e cpu-clock`. */
  readonly eventUnsupported?: boolean;
}

const INSTALL: Record<string, string> = {
  perf: 'install perf (Debian: sudo apt-get install linux-perf; Ubuntu: sudo apt-get install linux-tools-common linux-tools-$(uname -r)), or set hotspotLens.perfPath',
  valgrind:
    'install valgrind (Debian/Ubuntu: sudo apt-get install valgrind), or set hotspotLens.record.valgrindPath',
  go: 'install Go (https://go.dev/doc/install), or set hotspotLens.record.goPath',
  node: 'install Node.js, or put it on the PATH of the editor',
};

/** The profiler's program name for messages. */
function toolOf(profiler: RecordProfiler): string | undefined {
  return profiler === 'perf'
    ? 'perf'
    : profiler === 'callgrind'
      ? 'valgrind'
      : profiler === 'go'
        ? 'go'
        : profiler === 'node'
          ? 'node'
          : undefined;
}

/**
 * Explains a failed step.
 * @returns the message (names the program or the workload, the exit code or signal), the fix,
 *   and whether a perf event was unsupported (the caller retries with `cpu-clock`)
 */
export function diagnoseFailure(o: StepOutcome): RecordFailure {
  const text = o.lastLines.join('\n');
  const lastLines = o.lastLines;
  const tool = toolOf(o.profiler);
  if (o.spawnError) {
    const missing = o.spawnError === 'ENOENT';
    if (o.step === 'record' && tool && tool !== 'node') {
      return {
        message: missing
          ? `${tool} is not installed (${o.program} was not found)`
          : `${o.program} cannot be run (${o.spawnError})`,
        fix: INSTALL[tool] ?? '',
        lastLines,
      };
    }
    return {
      message: missing
        ? `${o.program} was not found: the ${o.step === 'build' ? 'build' : 'workload'}'s program does not exist or is not on the PATH`
        : `${o.program} cannot be run (${o.spawnError})`,
      fix:
        o.step === 'build'
          ? 'check the build command (a Cargo build needs cargo on the PATH, or set hotspotLens.record.cargoPath)'
          : 'check the command and the working directory; build the program first',
      lastLines,
    };
  }
  if (o.profiler === 'perf' && o.step === 'record') {
    if (
      /perf_event_paranoid|Access to performance monitoring and observability operations is limited/i.test(
        text,
      )
    ) {
      return {
        message: 'perf may not record: kernel.perf_event_paranoid is too high for this user',
        fix: 'allow it with: sudo sysctl kernel.perf_event_paranoid=1 (until reboot; or add it to /etc/sysctl.d/), or record as root',
        lastLines,
      };
    }
    if (
      /event syntax error|not supported|<not supported>|No such device|unknown tracepoint|PMU Hardware doesn't support/i.test(
        text,
      )
    ) {
      return {
        message:
          'perf cannot count this event: the machine has no hardware counters for it (common in VMs and containers)',
        fix: 'record with the software event: -e cpu-clock (the setting hotspotLens.record.perfEvent)',
        lastLines,
        eventUnsupported: true,
      };
    }
    const notFound = /Failed to collect '[^']*' for the '([^']*)' workload: (.*)/.exec(text);
    if (notFound) {
      return {
        message: `the workload ${notFound[1]} could not be started: ${notFound[2]}`,
        fix: 'check the command and the working directory; build the program first',
        lastLines,
      };
    }
  }
  if (o.profiler === 'callgrind' && o.step === 'record') {
    const m = /valgrind: (.*): (No such file or directory|Permission denied|command not found)/i.exec(text);
    if (m) {
      return {
        message: `the workload ${m[1]} could not be started: ${m[2]}`,
        fix: 'check the command and the working directory; build the program first',
        lastLines,
      };
    }
  }
  const how = o.signal ? `was killed by ${o.signal}` : `exited with code ${o.exitCode}`;
  if (o.step === 'build') {
    return {
      message: `the build (${o.program}) ${how}`,
      fix: 'fix the build: its last lines are below',
      lastLines,
    };
  }
  if (o.step === 'convert') {
    return {
      message: `perf script ${how} while converting the recording`,
      fix: 'its last lines are below; check that perf can read the recording (perf script -i FILE)',
      lastLines,
    };
  }
  return {
    message: `the workload ${how}`,
    fix: 'a recording of a failed run is not kept; fix the workload (its last lines are below) and record again',
    lastLines,
  };
}

/**
 * A failed recording, explained: the error thrown by the recorder. Its message says what
 * failed and how to fix it, with the last lines of output.
 */
export class RecordingError extends Error {
  override readonly name = 'RecordingError';
  constructor(
    readonly failure: RecordFailure,
    /** Names the workload (`bench: large bundle`) at the start of the message. */
    readonly workload: string,
  ) {
    super(
      `Recording "${workload}" failed: ${failure.message}.${failure.fix ? ` Fix: ${failure.fix}.` : ''}${
        failure.lastLines.length > 0 ? `\nLast lines of output:\n${failure.lastLines.join('\n')}` : ''
      }`,
    );
  }
}

/** Shares above which a recording is flagged: unsymbolized leaf frames; weighted mean user-stack depth. */
const UNSYMBOLIZED_SHARE = 0.3;
const SHALLOW_DEPTH = 1.5;

/**
 * Checks a recording's stacks: most samples ending in unsymbolized frames (no debug info or
 * symbols), or user stacks about one frame deep (no frame pointers: perf's `fp` call graph
 * cannot walk them).
 * @param profile the imported recording
 * @param profiler which profiler made it (the advice differs)
 * @returns warnings (sentences with the fix), empty when the stacks look right
 */
export function assessRecording(profile: Profile, profiler: RecordProfiler): string[] {
  const warnings: string[] = [];
  const table = stackTableOf(profile);
  if (profile.total <= 0 || table.count === 0) {
    warnings.push(
      'The recording has no samples: the workload ran too briefly to be sampled. Give it more work (a longer input, more iterations).',
    );
    return warnings;
  }
  let unsymbolized = 0;
  let depthWeight = 0;
  let userWeight = 0;
  for (let s = 0; s < table.count; s++) {
    const a = table.starts[s];
    const b = table.starts[s + 1];
    const weight = table.weights[s];
    const leaf = b > a ? profile.frames[table.frames[b - 1]] : undefined;
    if (leaf && isUnsymbolizedName(leaf.name)) unsymbolized += weight;
    let depth = 0;
    for (let i = a; i < b; i++) {
      const frame = profile.frames[table.frames[i]];
      if (frame && !isKernelFrame(frame)) depth++;
    }
    if (depth > 0) {
      depthWeight += depth * weight;
      userWeight += weight;
    }
  }
  const share = unsymbolized / profile.total;
  if (share > UNSYMBOLIZED_SHARE) {
    warnings.push(
      `${Math.round(share * 100)}% of the samples end in unsymbolized frames: the program has no debug info or symbols. Build it with debug info (Rust: CARGO_PROFILE_RELEASE_DEBUG=true; C/C++: -g) and do not strip it.`,
    );
  }
  if (profiler === 'perf' && userWeight > 0 && depthWeight / userWeight < SHALLOW_DEPTH) {
    warnings.push(
      'The stacks are about one frame deep: the program has no frame pointers, so perf could not walk them. Build with frame pointers (Rust: RUSTFLAGS="-C force-frame-pointers=yes"; C/C++: -fno-omit-frame-pointer), or record with "callGraph": "dwarf".',
    );
  }
  return warnings;
}
