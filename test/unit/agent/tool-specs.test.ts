import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { findTaskToTick, planAnswer, tickEdit } from '../../../src/core/agent/answers';
import { AGENT_TOOLS, AgentToolError, parseToolInput } from '../../../src/core/agent/tool-specs';
import { workspaceRelativePath } from '../../../src/core/agent/workspace-path';
import { parsePlan } from '../../../src/core/plan';

const repo = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));

describe('agent tools: package.json declares what the code registers', () => {
  const declared = pkg.contributes.languageModelTools as {
    name: string;
    modelDescription: string;
    userDescription: string;
    displayName: string;
    toolReferenceName: string;
    when?: string;
    inputSchema: object;
  }[];

  it('one entry per tool, with the same descriptions and the input schema of its zod schema', () => {
    assert.deepEqual(
      declared.map((t) => t.name),
      Object.values(AGENT_TOOLS).map((t) => t.lmName),
    );
    for (const spec of Object.values(AGENT_TOOLS)) {
      const d = declared.find((t) => t.name === spec.lmName)!;
      assert.equal(d.modelDescription, spec.modelDescription, spec.lmName);
      assert.equal(d.userDescription, spec.userDescription, spec.lmName);
      assert.equal(d.displayName, spec.title, spec.lmName);
      assert.equal(d.toolReferenceName, spec.referenceName, spec.lmName);
      const { $schema: _, ...schema } = z.toJSONSchema(spec.input) as Record<string, unknown>;
      assert.deepEqual(d.inputSchema, schema, `${spec.lmName}: run the zod schema through z.toJSONSchema`);
    }
  });

  it('only the tick task tool is gated on a trusted workspace; an MCP definition provider is declared', () => {
    for (const spec of Object.values(AGENT_TOOLS)) {
      const d = declared.find((t) => t.name === spec.lmName)!;
      assert.equal(d.when, spec.readOnly ? undefined : 'isWorkspaceTrusted', spec.lmName);
    }
    // the final contribution point, and VS Code 1.100's name for it (registering without it throws there)
    for (const point of ['mcpServerDefinitionProviders', 'modelContextServerCollections'])
      assert.deepEqual(
        pkg.contributes[point].map((p: { id: string }) => p.id),
        ['hotspotLens.mcp'],
        point,
      );
  });
});

describe('every bundle ships', () => {
  it('each script the build writes to dist/ (cli-mcp.js, import-worker.js, …) is in the .vsix whitelist', () => {
    const ignore = fs.readFileSync(path.join(repo, '.vscodeignore'), 'utf8').split('\n');
    const dist = path.join(repo, 'dist');
    assert.ok(fs.existsSync(dist), 'dist/ is missing: run "node scripts/build.mjs" first');
    const scripts = fs.readdirSync(dist).filter((f) => f.endsWith('.js'));
    for (const f of [
      'cli.js',
      'cli-main.js',
      'cli-mcp.js',
      'import-worker.js',
      'index-worker.js',
      'record-worker.js',
      'worker.js',
      'extension.js',
    ])
      assert.ok(scripts.includes(f), `the build wrote dist/${f}`);
    for (const f of scripts)
      assert.ok(ignore.includes(`!dist/${f}`), `dist/${f} is not in .vscodeignore's whitelist`);
    const build = fs.readFileSync(path.join(repo, 'scripts/build.mjs'), 'utf8');
    assert.match(build, /'cli-mcp': 'src\/cli\/mcp-command\.ts'/);
  });
});

describe('agent tools: input checks', () => {
  it('names each bad field', () => {
    assert.throws(() => parseToolInput(AGENT_TOOLS.hotspots.input, { top: 0 }), /Invalid input:.*top/);
    assert.throws(() => parseToolInput(AGENT_TOOLS.hotspots.input, { extra: 1 }), /extra/);
    assert.throws(() => parseToolInput(AGENT_TOOLS.tickTask.input, { line: 2 }), /done/);
    assert.deepEqual(parseToolInput(AGENT_TOOLS.hotspots.input, undefined), {});
    assert.deepEqual(parseToolInput(AGENT_TOOLS.tickTask.input, { line: 2, done: false }), {
      line: 2,
      done: false,
    });
  });

  it('workspace-relative paths only', () => {
    assert.equal(workspaceRelativePath('src/main.rs'), 'src/main.rs');
    assert.equal(workspaceRelativePath('./src//a/../main.rs'), 'src/main.rs');
    assert.equal(workspaceRelativePath('src\\main.rs'), 'src/main.rs');
    for (const bad of [
      '/etc/passwd',
      '../x.md',
      'src/../../x.md',
      'C:\\x\\plan.md',
      'c:plan.md',
      '\\\\server\\share\\x',
      '~/plan.md',
      'file:///etc/passwd',
      '.',
      '',
      'a\u0000b',
    ]) {
      assert.throws(() => workspaceRelativePath(bad), AgentToolError, JSON.stringify(bad));
    }
  });
});

const PLAN = `# Plan

## Phase 1: Measure
- [x] Record a profile
- [ ] Find the hot loop
- ✅ Status-mark task

## Phase 2: Fix
- [ ] ${'Long task '.repeat(40)}
- [ ] Find the hot loop
`;

describe('agent tools: plan answer and ticking (pure)', () => {
  const plan = parsePlan(PLAN, { file: 'plan.md' });

  it('the next open task, task lines, tickable flags and texts cut to 200 characters', () => {
    const a = planAnswer(plan, 'docs/plan.md', () => 'exists', {});
    assert.equal(a.file, 'docs/plan.md');
    assert.deepEqual(a.progress, { done: 2, total: 5 });
    assert.equal(a.nextOpenTask?.line, 5);
    assert.equal(a.nextOpenTask?.text, 'Find the hot loop');
    assert.deepEqual(
      a.tasks.map((t) => [t.line, t.done, t.tickable]),
      [
        [4, true, true],
        [5, false, true],
        [6, true, false],
        [9, false, true],
        [10, false, true],
      ],
    );
    const long = a.tasks.find((t) => t.line === 9)!;
    assert.equal(long.text.length, 200);
    assert.ok(long.text.endsWith('…'));
    assert.deepEqual(
      a.phases.map((p) => [p.title, p.done, p.total]),
      [
        ['Phase 1: Measure', 2, 3],
        ['Phase 2: Fix', 0, 2],
      ],
    );
    const cut = planAnswer(plan, 'plan.md', () => 'exists', { maxTasks: 3 });
    assert.deepEqual(
      cut.tasks.map((t) => t.line),
      [5, 9, 10],
    );
    assert.match(cut.more ?? '', /^2 more tasks/);
  });

  it('finds the task by line, checks the text (a cut text by its start), refuses status marks', () => {
    const t = findTaskToTick(plan, { line: 5, done: true, text: 'Find the hot loop' });
    const edit = tickEdit(PLAN, t, true);
    assert.equal(PLAN.slice(0, edit.offset).split('\n').length, 5);
    assert.equal(PLAN[edit.offset], ' ');
    assert.equal(edit.replacement, 'x');
    const long = planAnswer(plan, 'plan.md', () => 'exists', {}).tasks.find((x) => x.line === 9)!;
    assert.equal(findTaskToTick(plan, { line: 9, done: true, text: long.text }).line, 9);
    assert.throws(
      () => findTaskToTick(plan, { line: 5, done: true, text: 'Record a profile' }),
      /line 5 is "Find/,
    );
    assert.throws(
      () => findTaskToTick(plan, { line: 7, done: true }),
      /No task starts on line 7 .*lines 4, 5, 6, 9, 10/,
    );
    assert.throws(() => findTaskToTick(plan, { line: 6, done: true }), /status mark/);
  });

  it('refuses when the plan changed and the task text is now ambiguous', () => {
    const t = findTaskToTick(plan, { line: 5, done: true });
    const edited = PLAN.replace('# Plan\n', '# Plan\n\nintro\n');
    assert.throws(() => tickEdit(edited, t, true), /appears 2 times/);
  });
});
