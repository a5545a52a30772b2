import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import * as vscode from 'vscode';
import type { ReportJson } from '../../../src/core/analysis/report-json';
import type { DiffJson } from '../../../src/core/compare/diff-json';
import type { PlanJson } from '../../../src/core/plan/plan-json';
import { tickConfirmation } from '../../../src/vscode/lm-tools';
import { mcpLaunch } from '../../../src/vscode/mcp-provider';
import { api, EXTENSION_ID, folder, repoUri, waitFor, wsUri } from '../helpers';

/** Runs `hotspot-lens ARGS --json` (the built CLI) and parses its output. */
function cli<T>(...args: string[]): T {
  const out = execFileSync(process.execPath, [repoUri('dist/cli.js').fsPath, ...args, '--json'], {
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out) as T;
}

/** Invokes a language-model tool and parses its one text part as JSON. */
async function invoke<T>(name: string, input: object): Promise<T> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
  const text = result.content
    .filter((p): p is vscode.LanguageModelTextPart => p instanceof vscode.LanguageModelTextPart)
    .map((p) => p.value)
    .join('');
  return JSON.parse(text) as T;
}

/** Every row of a tree of rows, depth first. */
function flatten<R extends { children: R[] }>(rows: R[]): R[] {
  return rows.flatMap((r) => [r, ...flatten(r.children)]);
}

const READ_ONLY = ['hotspotLens_hotspots', 'hotspotLens_plan', 'hotspotLens_compare'];

describe('agent tools: vscode.lm tools answer with the same facts as the CLI', () => {
  before(async () => {
    const { test } = await api();
    await waitFor('the sample profile to load', () => test.session.profile);
    await waitFor('the sample plan to load', () => test.session.plans.length > 0);
  });

  it('lists the four tools (the workspace is trusted)', async () => {
    assert.equal(vscode.workspace.isTrusted, true);
    const names = vscode.lm.tools.map((t) => t.name).filter((n) => n.startsWith('hotspotLens_'));
    assert.deepEqual(names.sort(), [...READ_ONLY, 'hotspotLens_tickTask'].sort());
    const hot = vscode.lm.tools.find((t) => t.name === 'hotspotLens_hotspots')!;
    assert.match(hot.description, /self time/);
    assert.equal((hot.inputSchema as { additionalProperties?: boolean }).additionalProperties, false);
  });

  it('hotspots: the top functions of report --json, and a file filter', async () => {
    const { test } = await api();
    const profile = test.session.profile!;
    const answer = await invoke<{
      profile: { source: string; unit: string; total: number };
      units: string;
      matched: number;
      hotspots: ReportJson['hotspots'];
    }>('hotspotLens_hotspots', { top: 5 });
    const report = cli<ReportJson>(
      'report',
      '--profile',
      profile.uri.fsPath,
      '--root',
      folder().uri.fsPath,
      '--plan',
      wsUri('OPTIMIZATION_PLAN.md').fsPath,
      '--top',
      '5',
    );
    assert.equal(answer.profile.source, 'profiles/sample.perf');
    assert.equal(answer.profile.total, report.profile.total);
    assert.match(answer.units, new RegExp(report.profile.unit));
    assert.equal(answer.hotspots.length, 5);
    const strip = (h: ReportJson['hotspots'][number]) => ({
      ...h,
      blamedLibrary: h.blamedLibrary.slice(0, 3),
    });
    assert.deepEqual(answer.hotspots, report.hotspots.map(strip));
    assert.ok(
      answer.hotspots.some((h) => h.planSection !== null),
      'some hotspot is linked to a plan section',
    );

    const file = report.hotspots.find((h) => h.file !== null)!.file!;
    const inFile = await invoke<{ hotspots: ReportJson['hotspots'] }>('hotspotLens_hotspots', {
      file,
      top: 50,
    });
    assert.ok(inFile.hotspots.length > 0);
    assert.ok(inFile.hotspots.every((h) => h.file === file));
  });

  it('plan: the tasks and progress of plan --json, the next open task, location states', async () => {
    const answer = await invoke<{
      file: string;
      title: string;
      progress: { done: number; total: number };
      nextOpenTask: { text: string; line: number } | null;
      tasks: { text: string; line: number; done: boolean }[];
      locations: { path: string; status: string }[];
      claims: PlanJson['claims'];
    }>('hotspotLens_plan', { maxTasks: 200 });
    const plan = cli<PlanJson>('plan', wsUri('OPTIMIZATION_PLAN.md').fsPath);
    assert.equal(answer.file, 'OPTIMIZATION_PLAN.md');
    assert.equal(answer.title, plan.title);
    assert.deepEqual(answer.progress, plan.progress);
    assert.deepEqual(
      answer.tasks.map((t) => [t.text, t.line, t.done]),
      plan.tasks.map((t) => [t.text, t.line, t.done]),
    );
    const open = plan.tasks.find((t) => !t.done && (t.status === 'open' || t.status === 'in-progress'));
    assert.equal(answer.nextOpenTask?.line, open?.line);
    assert.deepEqual(answer.claims, plan.claims);
    assert.equal(answer.locations.length, plan.locations.length);
    assert.ok(answer.locations.some((l) => l.status === 'exists'));
  });

  it('bad input is an error naming the field, not an answer', async () => {
    await assert.rejects(
      async () =>
        vscode.lm.invokeTool('hotspotLens_hotspots', { input: { top: 500 }, toolInvocationToken: undefined }),
      /top/,
    );
    await assert.rejects(
      async () =>
        vscode.lm.invokeTool('hotspotLens_hotspots', {
          input: { file: '../outside.rs' },
          toolInvocationToken: undefined,
        }),
      /outside the workspace/,
    );
  });

  it('compare: without a baseline, an error that says how to set one', async () => {
    const { test } = await api();
    assert.equal(test.session.baseline, undefined);
    await assert.rejects(
      async () => vscode.lm.invokeTool('hotspotLens_compare', { input: {}, toolInvocationToken: undefined }),
      /No baseline is set/,
    );
  });

  it('compare: before vs after, the same totals, changes and claims as diff --json', async () => {
    const { test } = await api();
    const before = wsUri('profiles/before-after/before.folded');
    const after = wsUri('profiles/before-after/after.folded');
    try {
      assert.equal(await test.loadProfile(after), true);
      assert.equal(await test.compareWithBaseline(before), true);
      const answer = await invoke<{
        baseline: DiffJson['baseline'];
        profile: DiffJson['profile'];
        totalChangePercent: number;
        functions: DiffJson['functions'];
        claims: DiffJson['claims'];
        expectedGains: DiffJson['expectedGains'];
      }>('hotspotLens_compare', { top: 5 });
      const diff = cli<DiffJson>(
        'diff',
        '--baseline',
        before.fsPath,
        '--profile',
        after.fsPath,
        '--root',
        folder().uri.fsPath,
        '--plan',
        wsUri('OPTIMIZATION_PLAN.md').fsPath,
      );
      assert.equal(answer.baseline.source, 'profiles/before-after/before.folded');
      assert.equal(answer.profile.source, 'profiles/before-after/after.folded');
      assert.equal(answer.baseline.total, diff.baseline.total);
      assert.equal(answer.profile.total, diff.profile.total);
      assert.equal(answer.totalChangePercent, diff.totalChangePercent);
      assert.equal(answer.functions.length, 5);
      for (const f of answer.functions)
        assert.deepEqual(
          f,
          diff.functions.find((d) => d.function === f.function && d.file === f.file),
        );
      assert.deepEqual(answer.claims, diff.claims);
      assert.deepEqual(answer.expectedGains, diff.expectedGains);
    } finally {
      await vscode.commands.executeCommand('hotspotLens.clearBaseline');
      assert.equal(await test.loadProfile(wsUri('profiles/sample.perf')), true);
    }
  });

  it("tick task: asks first, then ticks through the Plan view's edit; untick restores the file", async () => {
    const { test } = await api();
    const uri = wsUri('OPTIMIZATION_PLAN.md');
    const original = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const plan = await invoke<{ nextOpenTask: { text: string; line: number }; progress: { done: number } }>(
      'hotspotLens_plan',
      {},
    );
    const task = plan.nextOpenTask;
    // what the user is asked before the edit (prepareInvocation's confirmation messages)
    const asked = tickConfirmation(test.session, { line: task.line, done: true });
    assert.equal(asked.confirmationMessages?.title, 'Tick plan task?');
    const question = asked.confirmationMessages?.message;
    const questionText = typeof question === 'string' ? question : (question?.value ?? '');
    assert.ok(questionText.includes(task.text), questionText);
    assert.match(questionText, new RegExp(`line ${task.line}\\) in \`OPTIMIZATION_PLAN\\.md\``));
    const ticked = await invoke<{ changed: boolean; progress: { done: number } }>('hotspotLens_tickTask', {
      line: task.line,
      text: task.text,
      done: true,
    });
    assert.equal(ticked.changed, true);
    assert.equal(ticked.progress.done, plan.progress.done + 1);
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const lines = text.split('\n');
    assert.match(lines[task.line - 1], /^\s*[-*+] \[x\] /);
    assert.equal(text.length, original.length);
    const row = await waitFor('the Plan view shows the task done', () =>
      flatten(test.planRows()).find((r) => r.label === task.text && r.checked === true),
    );
    assert.ok(row);
    await assert.rejects(
      async () =>
        vscode.lm.invokeTool('hotspotLens_tickTask', {
          input: { line: task.line, text: 'not this task', done: false },
          toolInvocationToken: undefined,
        }),
      /not "not this task"/,
    );
    await invoke('hotspotLens_tickTask', { line: task.line, done: false });
    assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)), original);
  });

  it('the MCP server definition: offered where VS Code supports it, and the server it starts answers', async () => {
    const { test } = await api();
    const lm = vscode.lm as unknown as {
      registerMcpServerDefinitionProvider?: (
        id: string,
        provider: { provideMcpServerDefinitions(): unknown[] },
      ) => vscode.Disposable;
    };
    // both versions we test have the API (1.100 before it was final, with its own contribution
    // point, modelContextServerCollections: without it, registering threw and activation failed);
    // VS Code accepts a registration with our provider id, so the extension's own went through
    assert.equal(typeof lm.registerMcpServerDefinitionProvider, 'function', `VS Code ${vscode.version}`);
    const probe = lm.registerMcpServerDefinitionProvider!('hotspotLens.mcp', {
      provideMcpServerDefinitions: () => [],
    });
    probe.dispose();
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const launch = mcpLaunch(test.session, ext.extensionUri, '0')!;
    assert.deepEqual(launch.args.slice(1, 4), ['mcp', '--root', folder().uri.fsPath]);
    assert.ok(launch.args.includes(wsUri('profiles/sample.perf').fsPath));
    assert.ok(launch.args.includes(wsUri('OPTIMIZATION_PLAN.md').fsPath));
    const transport = new StdioClientTransport({
      command: launch.command,
      args: launch.args,
      env: { ...(process.env as Record<string, string>), ...launch.env },
      stderr: 'ignore',
    });
    const client = new Client({ name: 'hotspot-lens-editor-test', version: '1' });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((t) => t.name).sort(), ['compare', 'hotspots', 'plan', 'tick_task']);
      const r = (await client.callTool({ name: 'hotspots', arguments: { top: 5 } })) as {
        content: { type: string; text?: string }[];
      };
      const viaMcp = JSON.parse(r.content[0].text ?? '') as { hotspots: unknown[] };
      const viaLm = await invoke<{ hotspots: unknown[] }>('hotspotLens_hotspots', { top: 5 });
      assert.deepEqual(viaMcp.hotspots, viaLm.hotspots);
    } finally {
      await client.close();
    }
  });
});
