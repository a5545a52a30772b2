import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RecordJson, recordCommand } from '../../../src/cli/record-command';
import { importProfile } from '../../../src/core/importers/registry';
import { parseCargoManifest } from '../../../src/core/mapping/cargo';
import { RecordingError } from '../../../src/core/record/diagnose';
import { cargoPresets } from '../../../src/core/record/presets';
import type { RecordingMeta } from '../../../src/core/record/recordings';
import { parseWorkload } from '../../../src/core/record/workload';
import { fileInput } from '../../../src/node/file-input';
import { listRecordings, RecordingCancelledError, recordWorkload } from '../../../src/node/recorder';
import { type CliRun, runCli } from '../helpers/run-cli';

/**
 * Real recordings, made here and now: our C program (test/fixtures/programs/c/perf-busy.c)
 * under perf (`-e cpu-clock`: no hardware counters needed) and callgrind, our JS program
 * (test/fixtures/programs/record/busy.js) under `node --cpu-prof`, through the CLI's
 * `hotspot-lens record` and the recorder it shares with the editor.
 */
const repo = path.resolve(__dirname, '..', '..', '..');
const programs = path.join(repo, 'test/fixtures/programs');
const busyJs = path.join(programs, 'record/busy.js');
const failJs = path.join(programs, 'record/fail.js');
let tmp = '';
let busyC = '';

before(() => {
  // not under /tmp/perf-*: perf reads those as JIT symbol maps
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspot-lens-record-test-'));
  busyC = path.join(tmp, 'busy');
  execFileSync('cc', [
    '-O0',
    '-g',
    '-fno-omit-frame-pointer',
    '-o',
    busyC,
    path.join(programs, 'c/perf-busy.c'),
  ]);
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function cli(args: string[], cwd = tmp): Promise<CliRun> {
  return runCli(recordCommand, args, cwd);
}

async function frameNames(file: string): Promise<Set<string>> {
  const { profile } = await importProfile(fileInput(file), {});
  return new Set(profile.frames.map((f) => f.name));
}

function readMeta(profile: string): RecordingMeta {
  return JSON.parse(fs.readFileSync(`${profile}.meta.json`, 'utf8')) as RecordingMeta;
}

describe('hotspot-lens record', () => {
  it('perf: records a native program, converts it to perf script text, writes the sidecar', async () => {
    const dir = path.join(tmp, 'perf-profiles');
    const r = await cli(['--profiler', 'perf', '--dir', dir, '--', busyC, '300']);
    assert.equal(r.code, 0, r.err);
    const profile = r.out.trim();
    assert.equal(path.dirname(profile), dir);
    assert.match(path.basename(profile), /^\d{8}-\d{6}-nogit\.perf$/);
    const names = await frameNames(profile);
    assert.ok(names.has('hl_inner') && names.has('hl_outer'), [...names].join(', '));
    const meta = readMeta(profile);
    assert.equal(meta.profiler, 'perf');
    assert.equal(meta.event, 'cpu-clock');
    assert.deepEqual(meta.command, [busyC, '300']);
    assert.match(
      meta.commandLine,
      /^perf record -e cpu-clock -F 999 --call-graph fp --no-buildid-cache -o \S+ -- /,
    );
    assert.equal(meta.git, null, 'the temp folder is not in git');
    assert.ok(meta.total! > 10 && meta.unit === 'samples', `${meta.total} ${meta.unit}`);
    assert.equal(meta.warnings, undefined, 'debug info and frame pointers: no warnings');
    assert.match(r.err, /\$ perf record -e cpu-clock/);
    assert.equal(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8').trim().split('\n').pop(), '*');
    assert.ok(
      !fs.readdirSync(dir).some((f) => f.endsWith('.data')),
      'no perf.data left in the profiles folder',
    );
  });

  it('perf: an event the machine cannot count falls back to cpu-clock', async () => {
    const out = path.join(tmp, 'fallback.perf');
    const r = await cli(['--event', 'hl-no-such-event', '--out', out, '--', busyC, '100']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /perf cannot count this event.*recording again with -e cpu-clock/);
    assert.equal(readMeta(out).event, 'cpu-clock');
  });

  it('node: records a JS program with --cpu-prof', async () => {
    const out = path.join(tmp, 'busy.cpuprofile');
    const r = await cli([
      '--profiler',
      'node',
      '--out',
      out,
      '--json',
      '--',
      process.execPath,
      busyJs,
      '300',
    ]);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out) as RecordJson;
    assert.equal(json.profile, out);
    const names = await frameNames(out);
    assert.ok(names.has('hlInnerJs') && names.has('hlOuterJs'), [...names].join(', '));
    assert.ok(readMeta(out).total! > 0);
  });

  it('go: records a Go benchmark with go test -cpuprofile (pprof)', async () => {
    // a copy: go test -cpuprofile leaves the test binary in the package's folder
    const pkg = path.join(tmp, 'go-bench');
    fs.cpSync(path.join(programs, 'record/go-bench'), pkg, { recursive: true });
    const out = path.join(tmp, 'bench.pb.gz');
    const r = await cli(
      [
        '--profiler',
        'go',
        '--out',
        out,
        '--',
        'go',
        'test',
        '-run',
        '^$',
        '-bench',
        '.',
        '-benchtime',
        '200x',
      ],
      pkg,
    );
    assert.equal(r.code, 0, r.err);
    const { profile, importer } = await importProfile(fileInput(out), {});
    assert.equal(importer.id, 'pprof');
    const names = new Set(profile.frames.map((f) => f.name));
    assert.ok(names.has('example.com/hotspotbench.Mix'), [...names].join(', '));
    const mix = profile.frames.find((f) => f.name === 'example.com/hotspotbench.Mix')!;
    assert.match(mix.file ?? '', /go-bench\/busy\.go$/);
    assert.equal(readMeta(out).profiler, 'go');
    assert.ok(readMeta(out).total! > 0);
  });

  it('callgrind: records a native program under valgrind', async () => {
    const out = path.join(tmp, 'busy.callgrind');
    const r = await cli(['--profiler', 'callgrind', '--out', out, '--', busyC, '5']);
    assert.equal(r.code, 0, r.err);
    assert.ok((await frameNames(out)).has('hl_inner'));
    const meta = readMeta(out);
    assert.equal(meta.unit, 'instructions');
    assert.ok(meta.total! > 5 * 100_000, `${meta.total}`);
  });

  it('a failing workload: its exit code and last lines, and nothing kept', async () => {
    const dir = path.join(tmp, 'failing');
    const r = await cli(['--dir', dir, '--', process.execPath, failJs]);
    assert.equal(r.code, 1);
    assert.match(
      r.err,
      /hotspot-lens record: Recording ".*fail\.js" failed: the workload exited with code 3\./,
    );
    const e = await recordWorkload({
      workload: parseWorkload({ profiler: 'perf', command: [process.execPath, failJs], label: 'fails' }, 'T'),
      root: tmp,
      profilesDir: dir,
    }).then(
      () => undefined,
      (err: unknown) => err,
    );
    assert.ok(e instanceof RecordingError, String(e));
    assert.match(e.message, /^Recording "fails" failed: the workload exited with code 3\./);
    assert.match(e.message, /reading the input\nerror: the input is empty/);
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f !== '.gitignore'),
      [],
    );
  });

  it('a missing profiler says so and how to install it', async () => {
    const e = await recordWorkload({
      workload: parseWorkload({ profiler: 'callgrind', command: [busyC], label: 'busy' }, 'T'),
      root: tmp,
      profilesDir: path.join(tmp, 'missing'),
      tools: { perf: 'perf', valgrind: path.join(tmp, 'no-valgrind-here'), go: 'go' },
    }).then(
      () => undefined,
      (err: unknown) => err,
    );
    assert.ok(e instanceof RecordingError);
    assert.match(e.message, /valgrind is not installed .*Fix: install valgrind/);
  });

  it('a build runs first; records the commit; keeps at most N recordings', async () => {
    const ws = path.join(tmp, 'ws');
    fs.mkdirSync(ws);
    fs.copyFileSync(path.join(programs, 'c/perf-busy.c'), path.join(ws, 'busy.c'));
    const git = (...a: string[]) =>
      execFileSync('git', ['-C', ws, '-c', 'user.name=t', '-c', 'user.email=t@t', ...a]);
    git('init', '-q');
    git('add', 'busy.c');
    git('commit', '-qm', 'busy');
    const commit = git('rev-parse', 'HEAD').toString().trim();
    const workload = parseWorkload(
      {
        profiler: 'perf',
        label: 'busy',
        build: ['cc', '-g', '-fno-omit-frame-pointer', '-o', 'busy', 'busy.c'],
        command: ['./busy', '50'],
      },
      'T',
    );
    const dir = path.join(ws, '.hotspot-lens/profiles');
    const first = await recordWorkload({ workload, root: ws, profilesDir: dir, keep: 1 });
    assert.deepEqual(first.meta.git, { commit, dirty: false });
    assert.match(path.basename(first.profile), new RegExp(`-${commit.slice(0, 7)}\\.perf$`));
    // a second recording a second later: the first is pruned, unless protected
    await new Promise((r) => setTimeout(r, 1100));
    const second = await recordWorkload({ workload, root: ws, profilesDir: dir, keep: 1 });
    assert.deepEqual(second.pruned, [first.profile]);
    assert.deepEqual(
      (await listRecordings(dir)).entries.map((e) => e.meta.profile),
      [path.basename(second.profile)],
    );
    await new Promise((r) => setTimeout(r, 1100));
    const third = await recordWorkload({
      workload,
      root: ws,
      profilesDir: dir,
      keep: 1,
      protect: new Set([path.basename(second.profile)]),
    });
    assert.deepEqual(third.pruned, []);
    assert.equal((await listRecordings(dir)).entries.length, 2);
  });

  it('the Cargo preset builds in release with debug info and frame pointers (Debian cargo), then perf', async () => {
    const crate = path.join(tmp, 'rust-busy');
    fs.cpSync(path.join(programs, 'record/rust-busy'), crate, { recursive: true });
    const manifest = parseCargoManifest(
      'Cargo.toml',
      fs.readFileSync(path.join(crate, 'Cargo.toml'), 'utf8'),
      (f) => fs.existsSync(path.join(crate, f)),
      (d) => (fs.existsSync(path.join(crate, d)) ? fs.readdirSync(path.join(crate, d)) : []),
    );
    const [preset] = cargoPresets(manifest, '/usr/bin/cargo');
    assert.ok(preset);
    // Debian's cargo and rustc (/usr/bin first: a rustup proxy on the PATH needs ~/.rustup)
    // under a throwaway HOME, as CI runs it; the user's RUSTFLAGS are kept
    const home = fs.mkdtempSync(path.join(tmp, 'home-'));
    const r = await recordWorkload({
      workload: { ...preset, command: [...preset.command, '500'] },
      root: crate,
      profilesDir: path.join(crate, '.hotspot-lens/profiles'),
      env: {
        ...process.env,
        PATH: `/usr/bin:${process.env.PATH}`,
        HOME: home,
        CARGO_HOME: path.join(home, '.cargo'),
        RUSTFLAGS: '-C opt-level=2',
      },
    });
    const { profile } = await importProfile(fileInput(r.profile), {});
    const names = new Set(profile.frames.map((f) => f.name));
    assert.ok(
      [...names].some((n) => n.includes('hl_inner_rs')) && [...names].some((n) => n.includes('hl_outer_rs')),
      [...names].join(', '),
    );
    assert.equal(r.meta.warnings, undefined, 'symbols and frame pointers: no warnings');
    const cargoToml = fs.readFileSync(path.join(crate, 'Cargo.toml'), 'utf8');
    assert.equal(cargoToml, fs.readFileSync(path.join(programs, 'record/rust-busy/Cargo.toml'), 'utf8'));
  });

  it('cancelling kills the workload and keeps nothing', async () => {
    const dir = path.join(tmp, 'cancelled');
    const controller = new AbortController();
    const pending = recordWorkload({
      workload: parseWorkload({ profiler: 'perf', command: [busyC, '1000000'], label: 'long' }, 'T'),
      root: tmp,
      profilesDir: dir,
      signal: controller.signal,
      onOutput: (t) => {
        if (t.startsWith('$ ')) setTimeout(() => controller.abort(), 200);
      },
    });
    await assert.rejects(pending, RecordingCancelledError);
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f !== '.gitignore'),
      [],
    );
  });

  it('usage errors', async () => {
    assert.equal((await cli(['--profiler', 'perf'])).code, 2);
    const bad = await cli(['--profiler', 'vtune', '--', 'x']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /profiler/);
  });
});
