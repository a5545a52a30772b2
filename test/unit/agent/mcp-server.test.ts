import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { CliCommand, CliIo } from '../../../src/cli/cli-io';
import { diffCommand } from '../../../src/cli/diff-command';
import { mcpCommand } from '../../../src/cli/mcp-command';
import { planCommand } from '../../../src/cli/plan-command';
import { reportCommand } from '../../../src/cli/report-command';
import type { CompareAnswer, HotspotsAnswer, PlanAnswer, TickAnswer } from '../../../src/core/agent/answers';
import type { ReportJson } from '../../../src/core/analysis/report-json';
import type { DiffJson } from '../../../src/core/compare/diff-json';
import type { PlanJson } from '../../../src/core/plan/plan-json';
import { runCli } from '../helpers/run-cli';

const repo = path.resolve(__dirname, '..', '..', '..');
const sample = path.join(repo, 'examples/rust-sample');

/** Runs a CLI command in-process with `--json` and parses what it printed. */
async function cliJson<T>(command: CliCommand, args: string[]): Promise<T> {
  const r = await runCli(command, [...args, '--json'], repo);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out) as T;
}

/** Starts `hotspot-lens mcp ARGS` (the CLI's source, through tsx) and connects the SDK's stdio client. */
async function startServer(args: string[]): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--import', 'tsx', path.join(repo, 'src/cli/main.ts'), 'mcp', ...args],
    cwd: repo,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const client = new Client({ name: 'hotspot-lens-test', version: '1' });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

/** Calls a tool; returns whether it is an error result and its text. */
async function call(client: Client, name: string, args: object): Promise<{ isError: boolean; text: string }> {
  const r = (await client.callTool({ name, arguments: args as Record<string, unknown> })) as CallToolResult;
  const text = r.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
  return { isError: r.isError === true, text };
}

async function answer<T>(client: Client, name: string, args: object): Promise<T> {
  const r = await call(client, name, args);
  assert.equal(r.isError, false, r.text);
  return JSON.parse(r.text) as T;
}

const sha = async (file: string) =>
  crypto
    .createHash('sha256')
    .update(await fs.readFile(file))
    .digest('hex');

describe('hotspot-lens mcp: the agent tools over stdio', () => {
  let dir: string;
  let plan: string;
  let before_: string;
  let after_: string;
  let client: Client;
  let stderr: () => string;
  let repoPlanHash: string;

  before(async () => {
    // a copy of the sample (source, plan, profiles): ticking writes the copy's plan, never the repo's
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hotspot-lens-mcp-'));
    await fs.cp(path.join(sample, 'src'), path.join(dir, 'src'), { recursive: true });
    await fs.cp(path.join(sample, 'Cargo.toml'), path.join(dir, 'Cargo.toml'));
    await fs.cp(path.join(sample, 'OPTIMIZATION_PLAN.md'), path.join(dir, 'OPTIMIZATION_PLAN.md'));
    await fs.cp(path.join(sample, 'profiles/before-after'), path.join(dir, 'profiles'), { recursive: true });
    plan = path.join(dir, 'OPTIMIZATION_PLAN.md');
    before_ = path.join(dir, 'profiles/before.folded');
    after_ = path.join(dir, 'profiles/after.folded');
    repoPlanHash = await sha(path.join(sample, 'OPTIMIZATION_PLAN.md'));
    ({ client, stderr } = await startServer([
      '--root',
      dir,
      '--profile',
      after_,
      '--baseline',
      before_,
      '--plan',
      plan,
    ]));
  });

  after(async () => {
    await client?.close();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
    assert.equal(
      await sha(path.join(sample, 'OPTIMIZATION_PLAN.md')),
      repoPlanHash,
      "the repo's plan is untouched",
    );
  });

  it('lists the four tools with strict input schemas; logs only on stderr', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['compare', 'hotspots', 'plan', 'tick_task']);
    for (const t of tools) {
      assert.ok((t.description ?? '').length > 100, `${t.name} has a description for a model`);
      assert.equal(t.inputSchema.additionalProperties, false, t.name);
    }
    assert.equal(tools.find((t) => t.name === 'tick_task')?.annotations?.readOnlyHint, false);
    assert.equal(tools.find((t) => t.name === 'hotspots')?.annotations?.readOnlyHint, true);
    assert.match(stderr(), /serving .* over stdio/);
  });

  it('hotspots: the top entries of report --json on the same files', async () => {
    const a = await answer<HotspotsAnswer>(client, 'hotspots', { top: 5 });
    const r = await cliJson<ReportJson>(reportCommand, [
      '--profile',
      after_,
      '--root',
      dir,
      '--plan',
      plan,
      '--top',
      '5',
    ]);
    assert.equal(a.profile.source, 'profiles/after.folded');
    assert.equal(a.profile.total, r.profile.total);
    assert.match(a.units, /nanoseconds/);
    assert.deepEqual(
      a.hotspots,
      r.hotspots.map((h) => ({ ...h, blamedLibrary: h.blamedLibrary.slice(0, 3) })),
    );
    assert.ok(a.matched > 5 && /more match/.test(a.more ?? ''), 'says that more functions match');
    assert.ok(
      a.hotspots.some((h) => h.planSection),
      'hotspots carry their plan section',
    );

    const file = a.hotspots.find((h) => h.file)!.file!;
    const inFile = await answer<HotspotsAnswer>(client, 'hotspots', { file: `./${file}`, top: 50 });
    assert.ok(inFile.hotspots.length > 0 && inFile.hotspots.every((h) => h.file === file));
    const byName = await answer<HotspotsAnswer>(client, 'hotspots', { name: 'DEEP_CLONE' });
    assert.ok(byName.hotspots.length > 0);
    assert.ok(byName.hotspots.every((h) => h.function.toLowerCase().includes('deep_clone')));
  });

  it('plan: tasks, progress and claims of plan --json, the next open task, location states', async () => {
    const a = await answer<PlanAnswer>(client, 'plan', { maxTasks: 200 });
    const p = await cliJson<PlanJson>(planCommand, [plan]);
    assert.equal(a.file, 'OPTIMIZATION_PLAN.md');
    assert.equal(a.title, p.title);
    assert.deepEqual(a.progress, p.progress);
    assert.deepEqual(
      a.tasks.map((t) => [t.text, t.line, t.done, t.status, t.phase]),
      p.tasks.map((t) => [t.text, t.line, t.done, t.status, t.phase]),
    );
    const open = p.tasks.find((t) => !t.done && (t.status === 'open' || t.status === 'in-progress'))!;
    assert.equal(a.nextOpenTask?.line, open.line);
    assert.deepEqual(a.claims, p.claims);
    assert.deepEqual(
      a.locations.map((l) => [l.path, l.planLine]),
      p.locations.map((l) => [l.path, l.planLine]),
    );
    for (const l of a.locations) {
      const exists = await fs
        .stat(path.join(dir, l.path))
        .then(() => true)
        .catch(() => false);
      const pl = p.locations.find((x) => x.path === l.path && x.planLine === l.planLine)!;
      const expected = pl.isOutside
        ? 'outside the workspace'
        : exists
          ? 'exists'
          : pl.isNew
            ? 'planned new'
            : 'not found';
      assert.equal(l.status, expected, `${l.path}: ${l.status}`);
    }
    assert.ok(a.locations.some((l) => l.status === 'exists'));
    const cut = await answer<PlanAnswer>(client, 'plan', { maxTasks: 2 });
    assert.equal(cut.tasks.length, 2);
    assert.ok(
      cut.tasks.every((t) => !t.done),
      'open tasks are kept first',
    );
    assert.match(cut.more ?? '', /more tasks/);
  });

  it('compare: totals, changes, claims and gains of diff --json on the same files', async () => {
    const a = await answer<CompareAnswer>(client, 'compare', { top: 5 });
    const d = await cliJson<DiffJson>(diffCommand, [
      '--baseline',
      before_,
      '--profile',
      after_,
      '--root',
      dir,
      '--plan',
      plan,
    ]);
    assert.equal(a.baseline.source, 'profiles/before.folded');
    assert.equal(a.profile.source, 'profiles/after.folded');
    assert.equal(a.baseline.total, d.baseline.total);
    assert.equal(a.profile.total, d.profile.total);
    assert.equal(a.totalChangePercent, d.totalChangePercent);
    assert.ok(a.totalChangePercent < -20, 'the after profile is faster');
    assert.equal(a.functions.length, 5);
    let last = -1;
    for (const f of a.functions) {
      const i = d.functions.findIndex((x) => x.function === f.function && x.file === f.file);
      assert.ok(i > last, `${f.function} in diff --json, in the same order`);
      assert.deepEqual(f, d.functions[i]);
      last = i;
    }
    assert.deepEqual(a.claims, d.claims);
    assert.deepEqual(a.expectedGains, d.expectedGains);
    assert.ok(a.claims.length > 0);
  });

  it('tick_task: one character of the plan changes, atomically; untick restores it byte for byte', async () => {
    const original = await fs.readFile(plan);
    const p = await answer<PlanAnswer>(client, 'plan', {});
    const task = p.nextOpenTask!;
    const t = await answer<TickAnswer>(client, 'tick_task', { line: task.line, text: task.text, done: true });
    assert.equal(t.changed, true);
    assert.equal(t.progress.done, p.progress.done + 1);
    const ticked = await fs.readFile(plan);
    assert.equal(ticked.length, original.length);
    const diff = [...ticked].flatMap((b, i) => (b !== original[i] ? [i] : []));
    assert.equal(diff.length, 1, 'exactly one byte changed');
    assert.equal(String.fromCharCode(original[diff[0]]), ' ');
    assert.equal(String.fromCharCode(ticked[diff[0]]), 'x');
    const again = await answer<PlanAnswer>(client, 'plan', {});
    assert.notEqual(again.nextOpenTask?.line, task.line);
    assert.equal(again.tasks.find((x) => x.line === task.line)?.done, true);
    assert.deepEqual(
      (await fs.readdir(dir)).filter((f) => f.endsWith('.tmp')),
      [],
      'no temporary file left',
    );

    const same = await answer<TickAnswer>(client, 'tick_task', { line: task.line, done: true });
    assert.equal(same.changed, false);
    await answer<TickAnswer>(client, 'tick_task', { line: task.line, done: false });
    assert.deepEqual(await fs.readFile(plan), original);
  });

  it('tick_task refuses, with the reason and without writing: wrong text, no task, outside paths', async () => {
    const original = await fs.readFile(plan);
    const p = await answer<PlanAnswer>(client, 'plan', {});
    const task = p.nextOpenTask!;
    const wrong = await call(client, 'tick_task', { line: task.line, text: 'Something else', done: true });
    assert.equal(wrong.isError, true);
    assert.match(wrong.text, /not "Something else"/);
    const none = await call(client, 'tick_task', { line: 1, done: true });
    assert.equal(none.isError, true);
    assert.match(none.text, /No task starts on line 1/);
    const outside = await call(client, 'tick_task', {
      line: task.line,
      done: true,
      plan: '../OPTIMIZATION_PLAN.md',
    });
    assert.equal(outside.isError, true);
    assert.match(outside.text, /outside the workspace/);
    const absolute = await call(client, 'plan', { plan: path.join(sample, 'OPTIMIZATION_PLAN.md') });
    assert.equal(absolute.isError, true);
    assert.match(absolute.text, /not a workspace-relative path/);
    assert.deepEqual(await fs.readFile(plan), original);
  });

  it('bad arguments are tool errors, and the server keeps answering', async () => {
    for (const [name, args, pattern] of [
      ['hotspots', { top: 0 }, /top/],
      ['hotspots', { top: 'ten' }, /top/],
      ['hotspots', { color: 'red' }, /color/],
      ['compare', { top: 51 }, /top/],
      ['tick_task', { line: 3 }, /done/],
      ['tick_task', { line: -1, done: true }, /line/],
      ['no_such_tool', {}, /no_such_tool/],
    ] as const) {
      const r = await call(client, name, args);
      assert.equal(r.isError, true, `${name} ${JSON.stringify(args)}: ${r.text}`);
      assert.match(r.text, pattern);
    }
    const ok = await answer<HotspotsAnswer>(client, 'hotspots', { top: 1 });
    assert.equal(ok.hotspots.length, 1);
  });

  it('a re-profile (the profile file rewritten) is analysed again on the next call', async () => {
    const first = await answer<HotspotsAnswer>(client, 'hotspots', { top: 1 });
    const saved = await fs.readFile(after_);
    try {
      await fs.copyFile(before_, after_);
      const again = await answer<HotspotsAnswer>(client, 'hotspots', { top: 1 });
      const r = await cliJson<ReportJson>(reportCommand, ['--profile', before_, '--root', dir, '--top', '1']);
      assert.notEqual(again.profile.total, first.profile.total);
      assert.equal(again.profile.total, r.profile.total);
    } finally {
      await fs.writeFile(after_, saved);
    }
  });

  it('usage errors exit 2 before any server starts', async () => {
    let err = '';
    const io: CliIo = {
      stdout: () => assert.fail('nothing on stdout'),
      stderr: (t) => {
        err += t;
      },
      readFile: async (p) => new Uint8Array(await fs.readFile(p)),
      cwd: repo,
    };
    assert.equal(await mcpCommand(['--profile'], io), 2);
    assert.match(err, /--profile needs a value\nusage: hotspot-lens mcp --root DIR/);
    err = '';
    assert.equal(await mcpCommand(['--top', '3'], io), 2);
    assert.match(err, /unknown argument "--top"/);
  });

  it('--read-only and no profile: no tick_task; the missing profile and baseline are tool errors', async () => {
    const s = await startServer(['--root', dir, '--plan', plan, '--read-only']);
    try {
      const { tools } = await s.client.listTools();
      assert.deepEqual(tools.map((t) => t.name).sort(), ['compare', 'hotspots', 'plan']);
      const h = await call(s.client, 'hotspots', {});
      assert.equal(h.isError, true);
      assert.match(h.text, /--profile/);
      const c = await call(s.client, 'compare', {});
      assert.equal(c.isError, true);
      assert.match(c.text, /--profile|--baseline/);
      const p = await answer<PlanAnswer>(s.client, 'plan', {});
      assert.ok(p.tasks.length > 0);
    } finally {
      await s.client.close();
    }
  });
});
