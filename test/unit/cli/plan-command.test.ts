import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { CliIo } from '../../../src/cli/cli-io';
import { planCommand } from '../../../src/cli/plan-command';
import { fixturePath } from '../helpers/golden';

async function run(args: string[], files: Record<string, Uint8Array> = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    readFile: async (p) => files[p] ?? new Uint8Array(await fs.readFile(p)),
    cwd: fixturePath('plans'),
  };
  const code = await planCommand(args, io);
  return { code, stdout, stderr };
}

describe('hotspot-lens plan', () => {
  it('prints the plan as JSON with phases, tasks, items, locations and claims', async () => {
    const r = await run(['weeks-under-phases.md', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.equal(json.title, 'Parser Speed-up Roadmap');
    assert.deepEqual(
      json.phases.map((p: { title: string; level: number; line: number }) => [p.title, p.level, p.line]),
      [
        ['Phase 1: Tokenizer', 2, 8],
        ['Phase 2: Parser', 2, 26],
        ['Sprint 3 – Cleanup', 2, 36],
      ],
    );
    const week1 = json.phases[0].phases[0];
    assert.deepEqual(week1.tasks[0], {
      text: 'Record a baseline with perf record -g',
      done: true,
      line: 11,
      checkbox: { line: 11, column: 2 },
      children: [],
      status: 'done',
    });
    assert.deepEqual(json.phases[1].items[0], { text: 'Inline the precedence table', line: 28 });
    assert.deepEqual(json.locations[0], {
      path: 'src/lexer/scan.ts',
      symbol: 'nextToken',
      line: null,
      endLine: null,
      planLine: 15,
      isNew: false,
      isOutside: false,
      section: 'Week 1: Measure',
      kind: 'implementation',
      lines: [],
    });
    assert.deepEqual(json.progress, { done: 5, total: 15 });
    const claims = JSON.parse((await run(['hotspot-tables.md', '--json'])).stdout).claims;
    assert.deepEqual(claims[0], {
      symbol: 'resize::bilinear_row',
      percent: 31.2,
      kind: 'self',
      line: 12,
      section: 'Profile analysis',
      percentHigh: null,
    });
  });

  it('shows task states, phase status and priority, references and line ranges in the outline', async () => {
    const steps = (await run(['status-lists.md'])).stdout;
    assert.match(steps, /Phase 2: Steady state \[1\/3\]/);
    assert.match(steps, /\n {4}\(open\) Reuse the decoder between files/);
    const tags = (await run(['phase-status-tags.md'])).stdout;
    assert.match(tags, /Phase 1: Tracing \[1\/1\] \(done\)/);
    assert.match(tags, /Phase 3: SIMD blending \[0\/1\] \(priority HIGH\)/);
    const locs = (await run(['locations-normalized.md'])).stdout;
    assert.match(locs, /view\.ts:40-44, 90-93 /);
    assert.match(locs, /scripts\/bench\.sh \(reference\)/);
  });

  it('prints a readable outline with progress', async () => {
    const r = await run(['weeks-under-phases.md']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Parser Speed-up Roadmap\n/);
    assert.match(r.stdout, /\n {2}Phase 1: Tokenizer \[5\/11\] {2}\(line 8\)\n {4}Week 1: Measure \[3\/5\]/);
    assert.match(r.stdout, /\[x\] Record a baseline with perf record -g/);
    assert.match(r.stdout, /\n {8}\[ \] Sub-task: keep inlined frames/);
    assert.match(r.stdout, /⏳ Remove the per-token allocation/);
    assert.match(
      r.stdout,
      /Locations:\n {2}src\/lexer\/scan\.ts:nextToken {2}\[Week 1: Measure; plan line 15\]/,
    );
    const tables = await run([path.join(fixturePath('plans'), 'hotspot-tables.md')]);
    assert.match(tables.stdout, /Hotspot claims:\n {2}31\.2% self {2}resize::bilinear_row/);
  });

  it('fails with exit 1 naming the file when it cannot be read or is not text', async () => {
    const missing = await run(['no-such-plan.md']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot read no-such-plan\.md/);
    const binary = path.join(fixturePath('plans'), 'binary.md');
    const bad = await run(['binary.md'], { [binary]: new Uint8Array([0x23, 0x20, 0xff, 0xfe, 0x00]) });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /binary\.md is not a Markdown plan/);
  });

  it('exits 2 on usage errors', async () => {
    assert.equal((await run([])).code, 2);
    assert.equal((await run(['a.md', 'b.md'])).code, 2);
  });
});
