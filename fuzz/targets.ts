/**
 * The fuzz targets — every importer of `allImporters` and the plan parser — and the
 * properties each input must satisfy:
 * - an importer either returns a {@link Profile} whose invariants hold
 *   ({@link profileProblems}) or throws `ImportError` / `UnrecognizedProfileError`;
 *   any other error (TypeError, RangeError, "Maximum call stack size exceeded") fails;
 * - `parsePlan` never throws, and every range, checkbox and line it reports lies inside
 *   the text ({@link planProblems});
 * - no input takes longer than {@link timeBoundMs}, in two runs in a row (a bound against
 *   hangs and super-linear blow-ups, not a performance measurement).
 */
import fs from 'node:fs';
import path from 'node:path';
import type fc from 'fast-check';
import { ImportError, UnrecognizedProfileError } from '../src/core/importers/import-error';
import { inputFromBytes } from '../src/core/importers/input';
import { allImporters } from '../src/core/importers/registry';
import type { ProfileImporter } from '../src/core/importers/types';
import { parsePlan } from '../src/core/plan';
import type { Plan, PlanRange } from '../src/core/plan/types';
import type { Profile } from '../src/core/profile/model';
import {
  deepCallgrind,
  deepCpuprofile,
  deepDhat,
  deepFirefox,
  deepFlamegraphSvg,
  deepFolded,
  deepJson,
  deepPerfData,
  deepPerfScript,
  deepPlans,
  deepPprof,
  deepSpeedscope,
} from './deep';
import { type FuzzInput, inputArb, loadSeeds, REPO_ROOT, type Seed } from './inputs';

/** A property violation found by the fuzzer (the message says which property and why). */
export class FuzzPropertyError extends Error {
  override readonly name = 'FuzzPropertyError';
}

/** What one run of a target measured. */
export interface RunStats {
  /** Wall time of the import / parse, in milliseconds. */
  readonly ms: number;
  /** `profile`, or the error class name the importer threw (`ImportError`…), or `plan`. */
  readonly outcome: string;
}

/** One fuzz target. */
export interface FuzzTarget {
  /** `importer:<id>` or `plan`. */
  readonly name: string;
  /** The fast-check arbitrary of its inputs (seeds and deep inputs are loaded when this is built). */
  readonly arbitrary: fc.Arbitrary<FuzzInput>;
  /** The target's structurally valid deep inputs (see `fuzz/deep.ts`). */
  readonly deepInputs: readonly Seed[];
  /**
   * Runs one input and checks the properties.
   * @throws FuzzPropertyError (or the unexpected error itself) when a property fails
   */
  run(input: FuzzInput): Promise<RunStats>;
}

/**
 * The time bound of one input, in milliseconds: 2 s for inputs under 64 KB, plus 2 s
 * per further 64 KB for the larger (deep) ones. A bound against hangs, not a benchmark.
 * `HOTSPOT_LENS_FUZZ_TIME_SCALE` multiplies it (for slow or loaded machines).
 */
export function timeBoundMs(bytes: number): number {
  const scale = Number(process.env.HOTSPOT_LENS_FUZZ_TIME_SCALE ?? '1') || 1;
  return scale * 2000 * Math.max(1, Math.ceil(bytes / 65536));
}

/**
 * Checks a profile's invariants; returns the problems found (empty when it is sound):
 * total finite, ≥ 0 and equal to the sum of the stack weights (relative tolerance 1e-9);
 * every stack weight finite and > 0; every frame and thread index in range; frames have
 * a string name, lines and columns are integers ≥ 1 or undefined; line costs have lines ≥ 1
 * and finite weights > 0; sampleCount, when present, finite and ≥ 0 (folded stacks may
 * carry fractional counts).
 */
export function profileProblems(p: Profile): string[] {
  const problems: string[] = [];
  if (!Number.isFinite(p.total) || p.total < 0) problems.push(`total ${p.total} is not finite and ≥ 0`);
  if (p.threads.length < 1) problems.push('no threads');
  let sum = 0;
  p.stacks.forEach((s, i) => {
    if (!Number.isFinite(s.weight) || !(s.weight > 0)) problems.push(`stack ${i}: weight ${s.weight}`);
    if (!(Number.isInteger(s.thread) && s.thread >= 0 && s.thread < p.threads.length))
      problems.push(`stack ${i}: thread ${s.thread} out of range`);
    for (const f of s.frames)
      if (!(Number.isInteger(f) && f >= 0 && f < p.frames.length)) {
        problems.push(`stack ${i}: frame index ${f} out of range (${p.frames.length} frames)`);
        break;
      }
    sum += s.weight;
  });
  if (Number.isFinite(p.total) && Math.abs(sum - p.total) > 1e-9 * Math.max(1, Math.abs(p.total)))
    problems.push(`total ${p.total} ≠ sum of stack weights ${sum}`);
  p.frames.forEach((f, i) => {
    if (typeof f.name !== 'string') problems.push(`frame ${i}: name is ${typeof f.name}`);
    if (f.line !== undefined && !(Number.isInteger(f.line) && f.line >= 1))
      problems.push(`frame ${i}: line ${f.line}`);
    if (f.column !== undefined && !(Number.isInteger(f.column) && f.column >= 1))
      problems.push(`frame ${i}: column ${f.column}`);
  });
  p.lineCosts.forEach((c, i) => {
    if (!(Number.isInteger(c.line) && c.line >= 1)) problems.push(`line cost ${i}: line ${c.line}`);
    if (!Number.isFinite(c.weight) || !(c.weight > 0)) problems.push(`line cost ${i}: weight ${c.weight}`);
  });
  if (p.sampleCount !== undefined && !(Number.isFinite(p.sampleCount) && p.sampleCount >= 0))
    problems.push(`sampleCount ${p.sampleCount}`);
  return problems.slice(0, 5);
}

/**
 * Checks a parsed plan against its text; returns the problems found (empty when sound):
 * every range is `0 ≤ start ≤ end ≤ text.length` with `1 ≤ line ≤ endLine ≤ line count`;
 * every checkbox spans exactly `[`, a mark, `]` of the text on its line and column; every
 * section, task, item, location, claim and gain line is within the text; ids index their arrays.
 */
export function planProblems(plan: Plan, text: string): string[] {
  const problems: string[] = [];
  let lineCount = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) lineCount++;
  }
  const line = (what: string, l: number) => {
    if (!(Number.isInteger(l) && l >= 1 && l <= lineCount))
      problems.push(`${what}: line ${l} outside 1..${lineCount}`);
  };
  const range = (what: string, r: PlanRange) => {
    if (
      !(
        Number.isInteger(r.start) &&
        Number.isInteger(r.end) &&
        r.start >= 0 &&
        r.start <= r.end &&
        r.end <= text.length
      )
    )
      problems.push(`${what}: range [${r.start}, ${r.end}) outside the text (${text.length})`);
    line(`${what} start`, r.line);
    line(`${what} end`, r.endLine);
    if (r.endLine < r.line) problems.push(`${what}: endLine ${r.endLine} < line ${r.line}`);
  };
  plan.sections.forEach((s, i) => {
    if (s.id !== i) problems.push(`section ${i}: id ${s.id}`);
    range(`section ${i}`, s.range);
    line(`section ${i}`, s.line);
  });
  plan.tasks.forEach((t, i) => {
    if (t.id !== i) problems.push(`task ${i}: id ${t.id}`);
    range(`task ${i}`, t.range);
    line(`task ${i}`, t.line);
    const cb = t.checkbox;
    if (cb) {
      const ok =
        cb.end - cb.start === 3 &&
        cb.start >= 0 &&
        cb.end <= text.length &&
        text[cb.start] === '[' &&
        text[cb.end - 1] === ']' &&
        /[ xX]/.test(text[cb.start + 1]);
      if (!ok) problems.push(`task ${i}: checkbox [${cb.start}, ${cb.end}) is not "[ ]"/"[x]" in the text`);
      line(`task ${i} checkbox`, cb.line);
      const lineStart = cb.start - cb.column;
      if (cb.column < 0 || lineStart < 0 || (lineStart > 0 && !/[\r\n]/.test(text[lineStart - 1])))
        problems.push(`task ${i}: checkbox column ${cb.column} does not start at a line start`);
    }
    if (t.parentId !== null && !(t.parentId >= 0 && t.parentId < i))
      problems.push(`task ${i}: parentId ${t.parentId}`);
  });
  plan.items.forEach((it, i) => {
    line(`item ${i}`, it.line);
  });
  plan.locations.forEach((l, i) => {
    line(`location ${i}`, l.planLine);
    range(`location ${i}`, l.planRange);
  });
  plan.claims.forEach((c, i) => {
    line(`claim ${i}`, c.line);
    if (!Number.isFinite(c.percent)) problems.push(`claim ${i}: percent ${c.percent}`);
  });
  plan.gains.forEach((g, i) => {
    line(`gain ${i}`, g.line);
  });
  return problems.slice(0, 5);
}

/**
 * The chunk size an input is streamed with: the generated one, but never more than 2,048
 * chunks per input (1-byte chunks of a 500 KB input only measure the per-chunk overhead of
 * async iteration, about 40 µs a chunk, which no real reader produces).
 */
export function effectiveChunkSize(input: FuzzInput): number {
  return Math.max(input.chunkSize, Math.ceil(input.bytes.byteLength / 2048));
}

function isDocumentedError(e: unknown): boolean {
  return e instanceof ImportError || e instanceof UnrecognizedProfileError;
}

function describeError(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message.slice(0, 300)}` : String(e);
}

/** Seeds of each importer id (directories under `test/fixtures/profiles`). */
const SEED_DIRS: Record<string, { dir: string; accept: (f: string) => boolean }[]> = {
  'perf-data': [{ dir: 'profiles/perf-script', accept: (f) => f === 'c-fp.perf' }],
  pprof: [{ dir: 'profiles/pprof', accept: (f) => f.endsWith('.pb.gz') }],
  speedscope: [{ dir: 'profiles/speedscope', accept: (f) => f.endsWith('.speedscope.json') }],
  cpuprofile: [{ dir: 'profiles/cpuprofile', accept: (f) => f.endsWith('.cpuprofile') }],
  firefox: [{ dir: 'profiles/firefox', accept: (f) => f.endsWith('.json') }],
  dhat: [{ dir: 'profiles/dhat', accept: (f) => f.endsWith('.json') }],
  callgrind: [{ dir: 'profiles/callgrind', accept: () => true }],
  'perf-script': [{ dir: 'profiles/perf-script', accept: (f) => f.endsWith('.perf') }],
  'flamegraph-svg': [{ dir: 'profiles/flamegraph-svg', accept: (f) => f.endsWith('.svg') }],
  folded: [{ dir: 'profiles/folded', accept: (f) => f.endsWith('.folded') }],
};

const PREFIXES: Record<string, string[]> = {
  'perf-data': ['PERFILE2', '2ELIFREP'],
  pprof: ['\x1f\x8b\x08\x00', '\x0a\x04'],
  speedscope: ['{"$schema":"https://www.speedscope.app/file-format-schema.json",'],
  cpuprofile: ['{"nodes":[', '{"nodes":[{"id":1,"callFrame":'],
  firefox: ['{"meta":{', '{"meta":{"version":'],
  dhat: ['{"dhatFileVersion":2,'],
  callgrind: ['# callgrind format\n', 'events: Ir\n'],
  'perf-script': ['a 1 1.0: 1 cpu-clock:\n\t', 'a 1 [000] 1.0:'],
  'flamegraph-svg': ['<svg><g><title>', '<?xml version="1.0"?><!DOCTYPE svg ['],
  folded: ['a;b;c ', 'a;b '],
};

function deepSeeds(id: string): Seed[] {
  switch (id) {
    case 'perf-data':
      return deepPerfData();
    case 'pprof':
      return deepPprof();
    case 'speedscope':
      return [...deepSpeedscope(), ...deepJson()];
    case 'cpuprofile':
      return [...deepCpuprofile(), ...deepJson()];
    case 'firefox':
      return [
        ...deepFirefox(
          fs.readFileSync(path.join(REPO_ROOT, 'test/fixtures/profiles/firefox/processed-js.json'), 'utf8'),
        ),
        ...deepJson(),
      ];
    case 'dhat':
      return [...deepDhat(), ...deepJson()];
    case 'callgrind':
      return deepCallgrind();
    case 'perf-script':
      return deepPerfScript();
    case 'flamegraph-svg':
      return deepFlamegraphSvg();
    case 'folded':
      return deepFolded();
    default:
      return [];
  }
}

/** Seeds may be cut to this many bytes (at a line end) to keep the rate of the long fuzzer up; 0 = whole files. */
export interface TargetOptions {
  readonly maxSeedBytes?: number;
  /** Whether the arbitrary also draws the deep inputs (default true; the unit tests run them once each instead). */
  readonly deep?: boolean;
}

function capSeed(s: Seed, max: number | undefined): Seed {
  if (!max || s.bytes.byteLength <= max) return s;
  // Cut at a line end; for one-line JSON this leaves a truncated document, which is also a fine input.
  const nl = s.bytes.lastIndexOf(10, max);
  return { name: `${s.name}[:${nl > 0 ? nl + 1 : max}]`, bytes: s.bytes.slice(0, nl > 0 ? nl + 1 : max) };
}

/** The fuzz target of one importer (seeds: its fixtures, plus its deep inputs). */
export function importerTarget(importer: ProfileImporter, options: TargetOptions = {}): FuzzTarget {
  const seeds: Seed[] = [];
  for (const { dir, accept } of SEED_DIRS[importer.id] ?? []) seeds.push(...loadSeeds(dir, accept));
  const whole = seeds.filter((s) => !options.maxSeedBytes || s.bytes.byteLength <= options.maxSeedBytes);
  const cut = seeds.filter((s) => options.maxSeedBytes && s.bytes.byteLength > options.maxSeedBytes);
  const pool = [...whole, ...cut.map((s) => capSeed(s, options.maxSeedBytes))];
  // Keep the whole fixtures in the pool too (less often): truncation alone would never reach their end.
  const all = cut.length > 0 && whole.length === 0 ? [...pool, cut[0]] : pool;
  const deep = deepSeeds(importer.id);
  return {
    name: `importer:${importer.id}`,
    arbitrary: inputArb(all, options.deep === false ? [] : deep, PREFIXES[importer.id] ?? []),
    deepInputs: deep,
    async run(input) {
      const once = async (): Promise<RunStats> => {
        const t0 = performance.now();
        let outcome = 'profile';
        let profile: Profile | undefined;
        try {
          profile = await importer.import(
            inputFromBytes(
              `fuzz-input${importer.extensions[0] ?? ''}`,
              input.bytes,
              effectiveChunkSize(input),
            ),
          );
        } catch (e) {
          if (!isDocumentedError(e))
            throw new FuzzPropertyError(
              `${importer.label} threw an undocumented error: ${describeError(e)}`,
              {
                cause: e,
              },
            );
          outcome = (e as Error).name;
        }
        const ms = performance.now() - t0;
        if (profile) {
          const problems = profileProblems(profile);
          if (problems.length > 0)
            throw new FuzzPropertyError(`${importer.label}: broken profile: ${problems.join('; ')}`);
        }
        return { ms, outcome };
      };
      return withinBound(once, input.bytes.byteLength, `${importer.label}: took`, 'bytes');
    },
  };
}

/**
 * Runs `once` and checks its time against {@link timeBoundMs}. Over the bound, the input is
 * run a second time and fails only if that run is over the bound too: a hang or a blow-up
 * repeats, a pause of a loaded machine (another process on the 2 cores, a GC) does not.
 * @throws FuzzPropertyError when both runs are over the bound
 */
async function withinBound(
  once: () => Promise<RunStats>,
  size: number,
  what: string,
  unit: string,
): Promise<RunStats> {
  const bound = timeBoundMs(size);
  const first = await once();
  if (first.ms <= bound) return first;
  const second = await once();
  if (second.ms <= bound) return second;
  throw new FuzzPropertyError(
    `${what} ${first.ms.toFixed(0)} ms and again ${second.ms.toFixed(0)} ms on ${size} ${unit} (bound ${bound} ms)`,
  );
}

/** The fuzz target of `parsePlan` (seeds: the plan fixtures and `/work/shared`-style deep plans). */
export function planTarget(options: TargetOptions = {}): FuzzTarget {
  const seeds = loadSeeds('plans', (f) => f.endsWith('.md') && f !== 'README.md').map((s) =>
    capSeed(s, options.maxSeedBytes),
  );
  const decoder = new TextDecoder('utf-8', { fatal: false });
  return {
    name: 'plan',
    arbitrary: inputArb(seeds, options.deep === false ? [] : deepPlans(), [
      '# Phase 1\n- [ ] ',
      '- [x] `src/a.rs:f` 12.5%\n',
    ]),
    deepInputs: deepPlans(),
    async run(input) {
      const text = decoder.decode(input.bytes);
      const once = async (): Promise<RunStats> => {
        const t0 = performance.now();
        let plan: Plan;
        try {
          plan = parsePlan(text, { file: 'fuzz-plan.md' });
        } catch (e) {
          throw new FuzzPropertyError(`parsePlan threw: ${describeError(e)}`, { cause: e });
        }
        const ms = performance.now() - t0;
        const problems = planProblems(plan, text);
        if (problems.length > 0) throw new FuzzPropertyError(`parsePlan: ${problems.join('; ')}`);
        return { ms, outcome: 'plan' };
      };
      return withinBound(once, input.bytes.byteLength, 'parsePlan: took', 'bytes');
    },
  };
}

/** Every target: one per importer of `allImporters` (in its order), then `plan`. */
export function allTargets(options: TargetOptions = {}): FuzzTarget[] {
  return [...allImporters.map((i) => importerTarget(i, options)), planTarget(options)];
}

/** Names of every target, without loading seeds. */
export const TARGET_NAMES: readonly string[] = [...allImporters.map((i) => `importer:${i.id}`), 'plan'];
