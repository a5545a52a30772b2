import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseCargoManifest } from '../../../src/core/mapping/cargo';
import { parsePlan } from '../../../src/core/plan';
import { ProfileBuilder } from '../../../src/core/profile/model';
import { splitCommandLine } from '../../../src/core/record/command-line';
import { assessRecording, diagnoseFailure, RecordingError } from '../../../src/core/record/diagnose';
import { planDoneOf, tickedSince } from '../../../src/core/record/plan-ticks';
import {
  CARGO_PROFILING_ENV,
  cargoPresets,
  goPresets,
  nodePresets,
  toTaskDefinition,
} from '../../../src/core/record/presets';
import {
  describeRecording,
  parseRecordingMeta,
  type RecordingEntry,
  type RecordingMeta,
  recordingBaseName,
  recordingsToPrune,
  sortRecordings,
} from '../../../src/core/record/recordings';
import { formatCommandLine, quoteArg } from '../../../src/core/record/shell-quote';
import {
  mergeEnv,
  PROFILE_PLACEHOLDER,
  parseWorkload,
  planRecording,
} from '../../../src/core/record/workload';

const repo = path.resolve(__dirname, '..', '..', '..');
const where = { root: '/ws', outBase: '/ws/.hotspot-lens/profiles/20261126-150053-abc1234', scratch: '/s' };

describe('record: quoting and splitting command lines', () => {
  it('quotes only what a shell would change, and round-trips through the splitter', () => {
    assert.equal(quoteArg('target/release/app'), 'target/release/app');
    assert.equal(quoteArg(''), "''");
    assert.equal(quoteArg('a b'), "'a b'");
    assert.equal(quoteArg("it's"), "'it'\\''s'");
    assert.equal(quoteArg('$HOME'), "'$HOME'");
    const argv = ['prog', 'two words', "it's", '', 'x"y', '-C force-frame-pointers=yes', 'ü'];
    assert.deepEqual(splitCommandLine(argv.map(quoteArg).join(' ')), argv);
  });

  it('prints environment assignments first, sorted', () => {
    assert.equal(
      formatCommandLine(['cargo', 'build'], { RUSTFLAGS: '-C force-frame-pointers=yes', A: '1' }),
      "A=1 RUSTFLAGS='-C force-frame-pointers=yes' cargo build",
    );
  });

  it('splits quotes and escapes like a shell, and refuses what needs one', () => {
    assert.deepEqual(splitCommandLine(`  go test -run '^$' -bench . `), [
      'go',
      'test',
      '-run',
      '^$',
      '-bench',
      '.',
    ]);
    assert.deepEqual(splitCommandLine(`a "b \\"c\\" d" e\\ f`), ['a', 'b "c" d', 'e f']);
    assert.deepEqual(splitCommandLine(''), []);
    assert.throws(() => splitCommandLine("a 'b"), /unterminated ' quote/);
    assert.throws(() => splitCommandLine('make && ./a'), /"&" needs a shell.*sh -c/);
    assert.throws(() => splitCommandLine('ls *.rs'), /"\*" needs a shell/);
  });
});

describe('record: workloads and the processes they run', () => {
  it('validates a task definition and names the field that is wrong', () => {
    const w = parseWorkload(
      { type: 'hotspot-lens', label: 'bench', profiler: 'perf', command: './app --size "1 000"' },
      'tasks.json task "bench"',
    );
    assert.deepEqual(w.command, ['./app', '--size', '1 000']);
    assert.throws(
      () => parseWorkload({ type: 'hotspot-lens', profiler: 'vtune', command: [] }, 'tasks.json task "x"'),
      /tasks.json task "x" is not a valid Hotspot Lens workload: profiler: .*; command: must not be empty/,
    );
    assert.throws(
      () => parseWorkload({ profiler: 'perf', command: ['a'], bogus: 1 }, 'T'),
      /T is not a valid .*bogus/,
    );
  });

  it('perf: cpu-clock at 999 Hz with frame-pointer call graphs, no build-id cache, then perf script', () => {
    const w = parseWorkload(
      { profiler: 'perf', command: ['target/release/app', 'in.txt'], cwd: 'crate' },
      'T',
    );
    const p = planRecording(w, where, { perf: '/usr/bin/perf', valgrind: 'valgrind', go: 'go' });
    assert.deepEqual(p.record.argv, [
      '/usr/bin/perf',
      'record',
      '-e',
      'cpu-clock',
      '-F',
      '999',
      '--call-graph',
      'fp',
      '--no-buildid-cache',
      '-o',
      '/s/perf.data',
      '--',
      'target/release/app',
      'in.txt',
    ]);
    assert.equal(p.record.cwd, '/ws/crate');
    assert.equal(p.convert, 'perf-script');
    assert.equal(p.profile, `${where.outBase}.perf`);
    const dwarf = planRecording({ ...w, callGraph: 'dwarf', event: 'cycles', frequency: 99 }, where);
    assert.deepEqual(dwarf.record.argv.slice(0, 8), [
      'perf',
      'record',
      '-e',
      'cycles',
      '-F',
      '99',
      '--call-graph',
      'dwarf',
    ]);
  });

  it('node: flags after node itself; anything else through NODE_OPTIONS', () => {
    const direct = planRecording(
      parseWorkload({ profiler: 'node', command: ['node', 'bench.js', '-n', '3'] }, 'T'),
      where,
    );
    assert.deepEqual(direct.record.argv, [
      'node',
      '--cpu-prof',
      '--cpu-prof-dir',
      '/s/cpuprofiles',
      'bench.js',
      '-n',
      '3',
    ]);
    assert.deepEqual(direct.raw, { kind: 'dir', path: '/s/cpuprofiles' });
    assert.equal(direct.profile, `${where.outBase}.cpuprofile`);
    const npm = planRecording(parseWorkload({ profiler: 'node', command: ['npm', 'test'] }, 'T'), {
      ...where,
      scratch: '/my scratch',
    });
    assert.deepEqual(npm.record.argv, ['npm', 'test']);
    assert.equal(npm.record.env.NODE_OPTIONS, '--cpu-prof --cpu-prof-dir="/my scratch/cpuprofiles"');
  });

  it('callgrind, go and custom commands', () => {
    const cg = planRecording(parseWorkload({ profiler: 'callgrind', command: ['./a.out'] }, 'T'), where, {
      perf: 'perf',
      valgrind: '/opt/valgrind',
      go: 'go',
    });
    assert.deepEqual(cg.record.argv, [
      '/opt/valgrind',
      '--tool=callgrind',
      '--callgrind-out-file=/s/callgrind.out',
      './a.out',
    ]);
    assert.equal(cg.profile, `${where.outBase}.callgrind`);
    const go = planRecording(
      parseWorkload({ profiler: 'go', command: "go test -run '^$' -bench . ./pkg" }, 'T'),
      where,
    );
    assert.deepEqual(go.record.argv, [
      'go',
      'test',
      '-cpuprofile=/s/cpu.pprof',
      '-run',
      '^$',
      '-bench',
      '.',
      './pkg',
    ]);
    assert.equal(go.profile, `${where.outBase}.pb.gz`);
    assert.throws(
      () => planRecording(parseWorkload({ profiler: 'go', command: ['go', 'run', '.'] }, 'T'), where),
      /must be "go test …"/,
    );
    const custom = planRecording(
      parseWorkload(
        { profiler: 'custom', command: ['./prof.sh', `--out=${PROFILE_PLACEHOLDER}`], extension: '.folded' },
        'T',
      ),
      where,
    );
    assert.deepEqual(custom.record.argv, ['./prof.sh', '--out=/s/profile.folded']);
    assert.equal(custom.record.env.HOTSPOT_LENS_PROFILE, '/s/profile.folded');
    assert.equal(custom.profile, `${where.outBase}.folded`);
  });

  it('a build runs first with its own environment added', () => {
    const p = planRecording(
      parseWorkload(
        {
          profiler: 'perf',
          command: ['target/release/app'],
          env: { SIZE: '9' },
          build: 'cargo build --release',
          buildEnv: CARGO_PROFILING_ENV,
        },
        'T',
      ),
      where,
    );
    assert.deepEqual(p.build, {
      argv: ['cargo', 'build', '--release'],
      env: { SIZE: '9', ...CARGO_PROFILING_ENV },
      cwd: '/ws',
    });
    assert.deepEqual(p.record.env, { SIZE: '9' });
  });

  it("flag lists are appended to the user's own; other variables replaced", () => {
    const env = mergeEnv(
      { RUSTFLAGS: '-C target-cpu=native', PATH: '/bin', GONE: undefined },
      {
        RUSTFLAGS: '-C force-frame-pointers=yes',
        PATH: '/usr/bin',
      },
    );
    assert.deepEqual(env, {
      RUSTFLAGS: '-C target-cpu=native -C force-frame-pointers=yes',
      PATH: '/usr/bin',
    });
    assert.equal(mergeEnv({}, { RUSTFLAGS: '-C x' }).RUSTFLAGS, '-C x');
  });
});

describe('record: presets from the workspace', () => {
  it('Cargo: each binary of the sample built in release with debug info and frame pointers (Cargo.toml untouched)', () => {
    const dir = path.join(repo, 'examples/rust-sample');
    const text = fs.readFileSync(path.join(dir, 'Cargo.toml'), 'utf8');
    const manifest = parseCargoManifest(
      'Cargo.toml',
      text,
      (f) => fs.existsSync(path.join(dir, f)),
      (d) => (fs.existsSync(path.join(dir, d)) ? fs.readdirSync(path.join(dir, d)) : []),
    );
    const [preset, ...more] = cargoPresets(manifest, '/usr/bin/cargo');
    assert.equal(more.length, 0);
    assert.deepEqual(toTaskDefinition(preset!), {
      type: 'hotspot-lens',
      label: 'cargo: hotspot-sample (release + debug info, perf)',
      profiler: 'perf',
      command: ['target/release/hotspot-sample'],
      build: ['/usr/bin/cargo', 'build', '--release', '--bin', 'hotspot-sample'],
      buildEnv: { CARGO_PROFILE_RELEASE_DEBUG: 'true', RUSTFLAGS: '-C force-frame-pointers=yes' },
    });
    // a saved task reads back as the same workload
    assert.deepEqual(parseWorkload(toTaskDefinition(preset!), 'T'), preset);
  });

  it('Node: main, plain node scripts run directly, other scripts through npm run', () => {
    const presets = nodePresets(
      JSON.stringify({
        main: 'index.js',
        scripts: { bench: 'node bench/run.js --quick', test: 'mocha && tsc' },
      }),
    );
    assert.deepEqual(
      presets.map((p) => p.command),
      [
        ['node', 'index.js'],
        ['node', 'bench/run.js', '--quick'],
        ['npm', 'run', 'test'],
      ],
    );
    assert.ok(presets.every((p) => p.profiler === 'node'));
    assert.throws(() => nodePresets('{', 'pkg/package.json'), /pkg\/package.json is not valid JSON/);
  });

  it('Go: the root package benchmarks', () => {
    const [g] = goPresets('module example.com/fast\n\ngo 1.22\n');
    assert.match(g!.label, /example\.com\/fast/);
    assert.deepEqual(g!.command, ['go', 'test', '-run', '^$', '-bench', '.', '.']);
  });
});

function meta(startedAt: string, profile: string, extra: Partial<RecordingMeta> = {}): RecordingMeta {
  return {
    version: 1,
    profile,
    label: 'bench',
    profiler: 'perf',
    command: ['./app'],
    commandLine: 'perf record -- ./app',
    cwd: '/ws',
    startedAt,
    durationMs: 1200,
    git: { commit: 'abc1234def5678abc1234def5678abc1234def56', dirty: false },
    ...extra,
  };
}
const entry = (m: RecordingMeta): RecordingEntry => ({ meta: m, metaFile: `${m.profile}.meta.json` });

describe('record: the recordings list', () => {
  it('names recordings by UTC time and short commit, sortable', () => {
    const d = new Date(Date.UTC(2026, 10, 26, 15, 0, 53, 120));
    assert.equal(recordingBaseName(d, 'abc1234def5678'), '20261126-150053-abc1234');
    assert.equal(recordingBaseName(d, undefined), '20261126-150053-nogit');
  });

  it('reads a sidecar back, and says what is wrong with a bad one', () => {
    const m = meta('2026-11-26T15:00:53.000Z', 'a.perf', { total: 1234, unit: 'samples' });
    assert.deepEqual(parseRecordingMeta(JSON.stringify(m), 'a.perf.meta.json'), m);
    assert.throws(
      () => parseRecordingMeta('nope', 'x.meta.json'),
      /x\.meta\.json is not a recording's metadata/,
    );
    assert.throws(
      () => parseRecordingMeta(JSON.stringify({ ...m, startedAt: 'yesterday' }), 'x.meta.json'),
      /x\.meta\.json .*startedAt: must be an ISO 8601 date/,
    );
  });

  it('keeps the N newest, never the current profile or the baseline', () => {
    const list = [
      entry(meta('2026-11-26T10:00:00Z', 'r1.perf')),
      entry(meta('2026-11-26T12:00:00Z', 'r3.perf')),
      entry(meta('2026-11-26T11:00:00Z', 'r2.perf')),
      entry(meta('2026-11-26T13:00:00Z', 'r4.perf')),
    ];
    assert.deepEqual(
      sortRecordings(list).map((e) => e.meta.profile),
      ['r4.perf', 'r3.perf', 'r2.perf', 'r1.perf'],
    );
    assert.deepEqual(
      recordingsToPrune(list, 2).map((e) => e.meta.profile),
      ['r2.perf', 'r1.perf'],
    );
    assert.deepEqual(
      recordingsToPrune(list, 2, new Set(['r1.perf'])).map((e) => e.meta.profile),
      ['r2.perf'],
    );
    assert.deepEqual(recordingsToPrune(list, 0), []);
    assert.deepEqual(recordingsToPrune(list, 10), []);
  });

  it('describes a recording with its date, commit, total and label', () => {
    const m = meta(new Date(2026, 10, 26, 15, 4).toISOString(), 'a.perf', {
      total: 999,
      unit: 'samples',
      git: { commit: 'abc1234def', dirty: true },
    });
    assert.equal(describeRecording(m), '26 Nov 2026 15:04 · abc1234* · 999 samples · bench');
    assert.equal(
      describeRecording({ ...m, git: null, total: undefined } as RecordingMeta),
      '26 Nov 2026 15:04 · no git · bench',
    );
  });
});

describe('record: failures explained', () => {
  const base = {
    profiler: 'perf' as const,
    step: 'record' as const,
    program: 'perf',
    exitCode: null,
    signal: null,
    lastLines: [],
  };

  it('a missing profiler says how to install it', () => {
    const f = diagnoseFailure({ ...base, spawnError: 'ENOENT' });
    assert.match(f.message, /^perf is not installed/);
    assert.match(f.fix, /apt-get install linux-perf/);
    const v = diagnoseFailure({ ...base, profiler: 'callgrind', program: 'valgrind', spawnError: 'ENOENT' });
    assert.match(v.fix, /apt-get install valgrind/);
  });

  it('perf_event_paranoid, unsupported events and a missing workload', () => {
    const paranoid = diagnoseFailure({
      ...base,
      exitCode: 255,
      lastLines: [
        'Error:',
        'Access to performance monitoring and observability operations is limited.',
        'perf_event_paranoid setting is 4',
      ],
    });
    assert.match(paranoid.message, /kernel\.perf_event_paranoid is too high/);
    assert.match(paranoid.fix, /sysctl kernel\.perf_event_paranoid=1/);
    const hw = diagnoseFailure({
      ...base,
      exitCode: 255,
      lastLines: ['Error: The cycles event is not supported.'],
    });
    assert.equal(hw.eventUnsupported, true);
    assert.match(hw.fix, /-e cpu-clock/);
    const missing = diagnoseFailure({
      ...base,
      exitCode: 255,
      lastLines: ["Failed to collect 'cpu-clock' for the './nope' workload: No such file or directory"],
    });
    assert.equal(missing.message, 'the workload ./nope could not be started: No such file or directory');
  });

  it('a failing workload gives its exit code and last lines', () => {
    const f = diagnoseFailure({ ...base, exitCode: 3, lastLines: ['reading input', 'panic: bad input'] });
    const e = new RecordingError(f, 'bench');
    assert.match(e.message, /^Recording "bench" failed: the workload exited with code 3\./);
    assert.match(e.message, /Last lines of output:\nreading input\npanic: bad input$/);
    assert.match(
      diagnoseFailure({ ...base, step: 'build', program: 'cargo', exitCode: 101 }).message,
      /the build \(cargo\) exited with code 101/,
    );
    assert.match(diagnoseFailure({ ...base, signal: 'SIGKILL' }).message, /killed by SIGKILL/);
  });
});

describe('record: is the recording usable', () => {
  function profile(stacks: { frames: string[]; weight: number }[]) {
    const b = new ProfileBuilder({ format: 'perf-script', source: 'r.perf', unit: 'samples' });
    for (const s of stacks)
      b.appendSample(
        s.frames.map((name) => b.frameId({ name })),
        s.weight,
      );
    return b.build();
  }

  it('flags unsymbolized leaves (no debug info) and one-frame stacks (no frame pointers)', () => {
    const good = profile([{ frames: ['main', 'work', 'hash'], weight: 10 }]);
    assert.deepEqual(assessRecording(good, 'perf'), []);
    const stripped = profile([
      { frames: ['[unknown]'], weight: 8 },
      { frames: ['main', 'work'], weight: 2 },
    ]);
    const w = assessRecording(stripped, 'perf');
    assert.match(w[0]!, /^80% of the samples end in unsymbolized frames/);
    assert.match(w[1]!, /no frame pointers.*"callGraph": "dwarf"/);
    assert.deepEqual(assessRecording(profile([{ frames: ['work'], weight: 5 }]), 'node'), []);
    assert.match(assessRecording(profile([]), 'perf')[0]!, /no samples/);
  });
});

describe('record: plan tasks ticked since the baseline', () => {
  it('a phase whose tasks are done now but were not when the baseline was recorded', () => {
    const plan = parsePlan(
      '# P\n\n## Phase 1: Measure\n- [x] Baseline\n\n## Phase 2: Copies\n- [x] Borrowing evaluator\n  - [x] nested step\n- [ ] Shared scopes\n',
    );
    const then = planDoneOf([{ file: 'PLAN.md', plan }]);
    assert.deepEqual(then, { 'PLAN.md': ['Baseline', 'Borrowing evaluator', 'nested step'] });
    const baseline = { 'PLAN.md': ['Baseline'] };
    const [p1, p2] = plan.phases;
    assert.deepEqual(tickedSince(baseline, 'PLAN.md', p1!), []);
    assert.deepEqual(
      tickedSince(baseline, 'PLAN.md', p2!).map((t) => t.text),
      ['Borrowing evaluator', 'nested step'],
    );
    assert.deepEqual(tickedSince(baseline, 'OTHER.md', p2!), [], 'the baseline did not record this plan');
  });
});
