import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CommandId } from '../../../src/vscode/command-ids';
import type { RecordOutcome } from '../../../src/vscode/record-controller';
import { api, repoUri, waitFor, wsUri } from '../helpers';

/**
 * Record Profile, for real, in the harness's temporary copy of the sample workspace: the
 * sample Rust program through its Cargo preset (Debian's cargo); our C program (test/fixtures/programs/c/perf-busy.c) built and recorded with perf
 * (`cpu-clock`), twice, the second compared with the first; our JS program
 * (test/fixtures/programs/record/busy.js, copied into the workspace) with `node --cpu-prof`;
 * callgrind; a missing profiler and a failing workload, which leave the loaded profile as it was.
 */
describe('Record Profile', () => {
  const recordings = () => wsUri('.hotspot-lens/profiles');
  const fixture = (p: string) => repoUri(`test/fixtures/programs/${p}`).fsPath;
  const record = async (definition: Record<string, unknown>) =>
    (await vscode.commands.executeCommand<RecordOutcome>(CommandId.recordProfile, definition))!;
  const exe = () => wsUri('.hotspot-lens/busy').fsPath;
  const busyPerf = (label: string, rounds: string) => ({
    label,
    profiler: 'perf',
    build: ['cc', '-O0', '-g', '-fno-omit-frame-pointer', '-o', exe(), fixture('c/perf-busy.c')],
    command: [exe(), rounds],
  });

  before(async () => {
    const { test } = await api();
    await waitFor('the sample profile to load', () => test.session.profile);
  });

  after(async () => {
    const { test } = await api();
    await vscode.workspace
      .getConfiguration('hotspotLens.record')
      .update('valgrindPath', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand(CommandId.clearBaseline);
    assert.equal(await test.loadProfile(wsUri('profiles/sample.perf')), true);
    await vscode.workspace.fs
      .delete(wsUri('.hotspot-lens'), { recursive: true })
      .then(undefined, () => undefined);
    await vscode.workspace.fs.delete(wsUri('busy.js')).then(undefined, () => undefined);
    await vscode.workspace.fs.delete(wsUri('target'), { recursive: true }).then(undefined, () => undefined);
  });

  it('the task provider offers the Cargo preset: release with debug info and frame pointers, then perf', async () => {
    const tasks = await vscode.tasks.fetchTasks({ type: 'hotspot-lens' });
    const cargo = tasks.find((t) => t.name.startsWith('cargo: hotspot-sample'));
    assert.ok(cargo, tasks.map((t) => t.name).join(', '));
    assert.equal(cargo.source, 'Hotspot Lens');
    assert.deepEqual(cargo.definition.build, ['cargo', 'build', '--release', '--bin', 'hotspot-sample']);
    assert.deepEqual(cargo.definition.buildEnv, {
      CARGO_PROFILE_RELEASE_DEBUG: 'true',
      RUSTFLAGS: '-C force-frame-pointers=yes',
    });
    assert.deepEqual(cargo.definition.command, ['target/release/hotspot-sample']);
    assert.ok(cargo.execution instanceof vscode.CustomExecution);
  });

  it('perf: records the sample Rust program through its Cargo preset, mapped onto its source', async function () {
    this.timeout(240_000);
    const { test } = await api();
    const tasks = await vscode.tasks.fetchTasks({ type: 'hotspot-lens' });
    const cargo = tasks.find((t) => t.name.startsWith('cargo: hotspot-sample'));
    assert.ok(cargo, tasks.map((t) => t.name).join(', '));
    // Debian's cargo and rustc (scripts/install-system-deps.sh), whatever else is on PATH: a
    // rustup proxy in ~/.cargo/bin does not work under the test run's throwaway HOME
    const definition = {
      ...cargo.definition,
      label: 'sample (Cargo preset)',
      build: ['/usr/bin/cargo', ...(cargo.definition.build as string[]).slice(1), '--offline'],
      env: { PATH: '/usr/bin:/bin' },
    };
    const loadedBefore = test.session.profile!.uri;
    const r = await record(definition);
    assert.equal(r.ok, true, r.error);
    // the profile loaded before is the new recording's baseline, compared with it
    assert.equal(test.session.baseline?.uri.toString(), loadedBefore.toString());
    assert.ok(test.session.comparison, 'compared with the baseline');
    // and stays so: the file events of the recording just written, which can arrive after its
    // load, must not reload it as a re-profile (its own baseline) once the 1 s debounce has passed
    await new Promise((resolve) => setTimeout(resolve, 2500));
    assert.equal(test.session.profile!.uri.fsPath, r.profile);
    assert.equal(test.session.baseline?.uri.toString(), loadedBefore.toString());
    const meta = JSON.parse(
      new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(`${r.profile}.meta.json`))),
    );
    // built with debug info and frame pointers: symbolized, deep stacks, so no warning
    assert.deepEqual(meta.warnings ?? [], []);
    const analysis = test.session.profile!.analysis;
    assert.equal(test.session.profile!.uri.fsPath, r.profile);
    const clone = analysis.hotspots.find((f) => f.displayName === 'Value::deep_clone');
    assert.ok(clone, analysis.hotspots.map((f) => f.displayName).join(', '));
    assert.equal(clone.file, 'src/model/value.rs');
    assert.ok(clone.totalPercent > 1, `Value::deep_clone has ${clone.totalPercent}% of the samples`);
  });

  it('perf: records a native program, loads it, and the next recording is compared with it', async () => {
    const { test } = await api();
    const metas = async () =>
      (await vscode.workspace.fs.readDirectory(recordings()).then(undefined, () => [])).filter(([n]) =>
        n.endsWith('.perf.meta.json'),
      ).length;
    const before = await metas();
    const first = await record(busyPerf('busy (first)', '300'));
    assert.equal(first.ok, true, first.error);
    assert.equal(test.session.profile?.uri.fsPath, first.profile);
    assert.match(first.profile!, /\/\.hotspot-lens\/profiles\/\d{8}-\d{6}-\w+\.perf$/);
    const meta = JSON.parse(
      new TextDecoder().decode(
        await vscode.workspace.fs.readFile(vscode.Uri.file(`${first.profile}.meta.json`)),
      ),
    );
    assert.equal(meta.profiler, 'perf');
    assert.equal(meta.event, 'cpu-clock');
    assert.ok(meta.total > 0);
    const second = await record(busyPerf('busy (second)', '600'));
    assert.equal(second.ok, true, second.error);
    assert.equal(test.session.profile?.uri.fsPath, second.profile);
    assert.equal(test.session.baseline?.uri.fsPath, first.profile, 'the previous recording is the baseline');
    const comparison = test.session.comparison;
    assert.ok(comparison, 'compared with the baseline');
    // twice the work, same event: the total grows
    assert.ok(comparison.totals.changePercent! > 20, `total ${comparison.totals.changePercent}%`);
    assert.equal(await metas(), before + 2, 'each recording has its sidecar');
  });

  it('the Plan view notes a phase whose tasks were ticked since the baseline was recorded', async () => {
    const { test } = await api();
    const planUri = test.session.plans[0]!.uri;
    const task = test.session.plans[0]!.plan.tasks.find((t) => t.text.startsWith('Parent-linked'))!;
    assert.ok(task && !task.done, 'an open task of Phase 2');
    const first = await record(busyPerf('busy (before the task)', '200'));
    assert.equal(first.ok, true, first.error);
    assert.equal(await test.plans.setTaskDone({ planUri, task }, true), true);
    try {
      await waitFor('the tick to be parsed', () =>
        test.session.plans[0]!.plan.tasks.find((t) => t.line === task.line && t.done),
      );
      const second = await record(busyPerf('busy (after the task)', '200'));
      assert.equal(second.ok, true, second.error);
      const phase = await waitFor('the note on Phase 2', () =>
        test
          .planRows()
          .flatMap(function all(r): (typeof r)[] {
            return [r, ...r.children.flatMap(all)];
          })
          .find((r) => r.label.startsWith('Phase 2') && r.description.includes('ticked since the baseline')),
      );
      assert.match(phase.description, /1 ticked since the baseline/);
      const phase3 = test
        .planRows()
        .flatMap(function all(r): (typeof r)[] {
          return [r, ...r.children.flatMap(all)];
        })
        .find((r) => r.label.startsWith('Phase 3'));
      assert.ok(phase3 && !phase3.description.includes('ticked'), 'a phase with no new ticks has no note');
    } finally {
      const now = test.session.plans[0]!.plan.tasks.find((t) => t.line === task.line)!;
      assert.equal(await test.plans.setTaskDone({ planUri, task: now }, false), true);
    }
  });

  it('a tasks.json workload is offered as a task, and running it records and loads', async () => {
    const { test } = await api();
    const tasksJson = wsUri('.vscode/tasks.json');
    await vscode.workspace.fs.writeFile(
      tasksJson,
      new TextEncoder().encode(
        JSON.stringify({
          version: '2.0.0',
          tasks: [{ type: 'hotspot-lens', ...busyPerf('bench: busy', '200') }],
        }),
      ),
    );
    try {
      const task = await waitFor('the tasks.json workload', async () =>
        (await vscode.tasks.fetchTasks({ type: 'hotspot-lens' })).find((t) => t.name === 'bench: busy'),
      );
      const before = test.session.profile;
      await vscode.tasks.executeTask(task);
      const loaded = await waitFor(
        'the recording to load',
        () =>
          test.session.profile !== before && test.session.profile?.uri.path.endsWith('.perf')
            ? test.session.profile
            : undefined,
        60_000,
      );
      assert.match(loaded.uri.path, /\/\.hotspot-lens\/profiles\//);
    } finally {
      await vscode.workspace.fs.delete(tasksJson);
    }
  });

  it('node: records a JS program with --cpu-prof, mapped onto the workspace', async () => {
    const { test } = await api();
    await vscode.workspace.fs.copy(repoUri('test/fixtures/programs/record/busy.js'), wsUri('busy.js'), {
      overwrite: true,
    });
    const r = await record({ label: 'busy.js', profiler: 'node', command: ['node', 'busy.js', '400'] });
    assert.equal(r.ok, true, r.error);
    assert.match(r.profile!, /\.cpuprofile$/);
    const hot = test.session.profile!.analysis.hotspots.find((f) => f.displayName === 'hlInnerJs');
    assert.ok(hot, test.session.profile!.analysis.hotspots.map((f) => f.displayName).join(', '));
    assert.equal(hot.file, 'busy.js');
  });

  it('callgrind: records a native program under valgrind', async () => {
    const { test } = await api();
    const r = await record({ label: 'busy (callgrind)', profiler: 'callgrind', command: [exe(), '5'] });
    assert.equal(r.ok, true, r.error);
    assert.match(r.profile!, /\.callgrind$/);
    assert.equal(test.session.profile!.analysis.profile.unit, 'instructions');
  });

  it('a missing profiler says so, and the loaded profile stays', async () => {
    const { test } = await api();
    const before = test.session.profile;
    await vscode.workspace
      .getConfiguration('hotspotLens.record')
      .update('valgrindPath', '/nonexistent/valgrind', vscode.ConfigurationTarget.Global);
    const r = await record({ label: 'no valgrind', profiler: 'callgrind', command: [exe(), '5'] });
    assert.equal(r.ok, false);
    assert.match(r.error!, /valgrind is not installed .*apt-get install valgrind/);
    assert.equal(test.session.profile, before);
  });

  it('a failing workload gives its exit code and last lines, and the loaded profile stays', async () => {
    const { test } = await api();
    const before = test.session.profile;
    const r = await record({
      label: 'fails',
      profiler: 'perf',
      command: ['node', fixture('record/fail.js')],
    });
    assert.equal(r.ok, false);
    assert.match(r.error!, /^Recording "fails" failed: the workload exited with code 3\./);
    assert.match(r.error!, /error: the input is empty/);
    assert.equal(test.session.profile, before);
  });
});
