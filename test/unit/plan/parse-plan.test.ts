import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parsePlan } from '../../../src/core/plan/parse-plan';
import { planProgress } from '../../../src/core/plan/progress';
import type { Plan, PlanPhase } from '../../../src/core/plan/types';
import { assertGolden, fixturePath } from '../helpers/golden';

const FIXTURES = ['weeks-under-phases', 'numbered-sections', 'hotspot-tables', 'crlf-bom-tabs', 'cr-only'];

function load(name: string): { text: string; plan: Plan } {
  const text = fs.readFileSync(fixturePath('plans', `${name}.md`), 'utf8');
  return { text, plan: parsePlan(text, { file: `${name}.md` }) };
}

function allPhases(plan: Plan): PlanPhase[] {
  const out: PlanPhase[] = [];
  const walk = (ps: readonly PlanPhase[]) => {
    for (const p of ps) {
      out.push(p);
      walk(p.children);
    }
  };
  walk(plan.phases);
  return out;
}

describe('parsePlan: fixture goldens', () => {
  for (const name of FIXTURES) {
    it(`matches ${name}.golden.json`, () => {
      const { plan } = load(name);
      assertGolden(fixturePath('plans', `${name}.golden.json`), `${JSON.stringify(plan, null, 2)}\n`);
    });
  }
});

describe('parsePlan: layouts', () => {
  it('nests weeks under phases and counts progress through child phases', () => {
    const { plan } = load('weeks-under-phases');
    assert.deepEqual(
      plan.phases.map((p) => [p.title, p.kind, p.children.map((c) => c.title)]),
      [
        ['Phase 1: Tokenizer', 'phase', ['Week 1: Measure', 'Week 2: Rewrite']],
        ['Phase 2: Parser', 'phase', ['Day 1-2: Spike']],
        ['Sprint 3 – Cleanup', 'sprint', []],
      ],
    );
    const progress = planProgress(plan);
    const phase1 = progress.phases.find((p) => p.title === 'Phase 1: Tokenizer')!;
    assert.deepEqual([phase1.done, phase1.total], [5, 11]);
    assert.deepEqual([progress.done, progress.total], [5, 15]);
    // The Risks section is not a phase; its task has no phase.
    const risk = plan.tasks.find((t) => t.text.startsWith('Ask the platform team'))!;
    assert.equal(risk.phaseId, null);
    assert.equal(risk.section, 'Risks');
  });

  it('reads GFM tasks, sub-tasks and status marks, with exact checkbox ranges', () => {
    const { text, plan } = load('weeks-under-phases');
    const sub = plan.tasks.find((t) => t.text === 'Sub-task: strip kernel frames')!;
    assert.equal(plan.tasks[sub.parentId!].text, 'Write the folded stacks to out/baseline.folded');
    assert.equal(sub.done, true);
    for (const t of plan.tasks.filter((x) => x.checkbox)) {
      const cb = t.checkbox!;
      assert.match(text.slice(cb.start, cb.end), /^\[[ xX]\]$/);
      assert.equal(
        text.split('\n')[cb.line - 1].slice(cb.column, cb.column + 3),
        text.slice(cb.start, cb.end),
      );
    }
    const marks = plan.tasks.filter((t) => t.statusMark).map((t) => [t.statusMark, t.done, t.text]);
    assert.deepEqual(marks, [
      ['✅', true, 'Benchmark harness merged'],
      ['⏳', false, 'Remove the per-token allocation'],
      ['🚧', false, 'Port the keyword trie'],
      ['⬜', false, 'Update the changelog'],
    ]);
    assert.ok(!plan.tasks.some((t) => t.text.includes('Correctness')), 'a mark mid-text is not a task');
    const phase2 = plan.phases[1];
    assert.deepEqual(
      phase2.items.filter((i) => i.depth === 0).map((i) => [i.text, i.ordered]),
      [
        ['Inline the precedence table', true],
        ['Cache node shapes', true],
      ],
    );
  });

  it('reads locations: symbols, line ranges, code-block File lines, file lists, outside paths', () => {
    const { plan } = load('numbered-sections');
    const find = (p: string, extra: Partial<{ symbol: string | null; line: number | null }> = {}) =>
      plan.locations.find(
        (l) =>
          l.path === p &&
          (extra.symbol === undefined || l.symbol === extra.symbol) &&
          (extra.line === undefined || l.line === extra.line),
      );
    assert.equal(allPhases(plan).length, 3);
    assert.deepEqual(find('storage/cache/page_cache.h')?.symbol, 'PageCache');
    assert.deepEqual(
      find('storage/cache/page_cache.cc', { symbol: 'PageCache::evict' })?.source,
      'file-list',
    );
    // `reader.cc:118` and `reader.cc:200-260` in one section: one location with both ranges.
    const reader = plan.locations.filter((l) => l.path === 'storage/io/reader.cc');
    assert.equal(reader.length, 1);
    assert.deepEqual([reader[0].line, reader[0].endLine], [118, 118]);
    assert.deepEqual(reader[0].lines, [
      { line: 118, endLine: 118 },
      { line: 200, endLine: 260 },
    ]);
    const clock = plan.locations.filter((l) => l.path === 'storage/cache/clock.cc');
    assert.deepEqual(
      clock.map((l) => [l.source, l.isNew, l.planLine]),
      [
        ['code-comment', true, 10],
        ['file-list', true, 20],
      ],
    );
    assert.equal(find('tools/cache_stats.py')?.source, 'code-comment');
    assert.equal(find('storage/cache/clock.h')?.isNew, true, 'plain path under Files Created');
    assert.equal(find('storage/wal/segment.rs')?.source, 'file-label');
    assert.equal(find('storage/wal/group_commit.rs')?.isNew, true);
    // Same (path, symbol, line) twice in a section: kept once, "(new module)" wins.
    const writer = plan.locations.filter((l) => l.path === 'storage/wal/writer.rs');
    assert.equal(writer.length, 1);
    assert.equal(writer[0].isNew, true);
    const link = find('storage/wal/reader.rs')!;
    assert.deepEqual([link.line, link.endLine], [10, 20]);
    for (const p of ['../../etc/passwd', '/usr/include/linux/fs.h', '~/scratch/notes.py']) {
      assert.equal(find(p)?.isOutside, true, p);
    }
    assert.equal(find('storage/cache/lru.cc')?.isOutside, false);
  });

  it('reads hotspot claims from tables and text, gains, and profile paths', () => {
    const { plan } = load('hotspot-tables');
    assert.equal(plan.title, 'Image Pipeline Optimization');
    assert.deepEqual(plan.metadata.profilePaths, ['perf/resize_before.svg', 'perf/resize_before.folded']);
    assert.deepEqual(
      plan.claims.map((c) => [c.symbol, c.percent, c.kind, c.isGroup]),
      [
        ['resize::bilinear_row', 31.2, 'self', false],
        ['resize::bilinear_row', 48, 'total', false],
        ['png::inflate', 12, 'self', false],
        ['png::inflate', 12.5, 'total', false],
        ['memcpy', 6.1, 'self', false],
        ['memcpy', 6.1, 'total', false],
        ['alloc::raw_vec::finish_grow + alloc::alloc::realloc', 9.4, 'unspecified', true],
        ['image::convert_rgba', 7.5, 'self', false],
        ['rayon::join', 14, 'unspecified', false],
      ],
    );
    assert.deepEqual(
      plan.gains.map((g) => [g.low, g.high, g.unit]),
      [
        [25, 30, 'percent'],
        [2, 2, 'factor'],
        [1.8, 1.8, 'factor'],
        [null, null, null],
      ],
    );
    assert.deepEqual(
      allPhases(plan).map((p) => [p.kind, p.number]),
      [
        ['stage', '1'],
        ['step', '2'],
        ['milestone', 'M3'],
        ['change', '4'],
        ['iteration', '2'],
      ],
    );
  });

  it('keeps offsets exact with a BOM, CRLF, tabs and lone CR line ends', () => {
    const { text, plan } = load('crlf-bom-tabs');
    assert.equal(text.charCodeAt(0), 0xfeff);
    assert.equal(plan.title, 'CRLF plan with a BOM');
    assert.equal(plan.tasks.length, 5);
    const lines = text.slice(1).split('\r\n');
    for (const t of plan.tasks) {
      const cb = t.checkbox!;
      assert.match(text.slice(cb.start, cb.end), /^\[[ xX]\]$/);
      assert.equal(lines[cb.line - 1].slice(cb.column, cb.column + 3), text.slice(cb.start, cb.end));
    }
    const nested = plan.tasks.find((t) => t.text === 'nested with a tab indent')!;
    assert.equal(plan.tasks[nested.parentId!].text, 'done with a tab after the box');
    assert.equal(plan.tasks[4].text, 'niño bold em code link');
    assert.equal(plan.phases[1].title, 'Phase 2: Unicode — café 🚀');
    const cr = load('cr-only').plan;
    assert.deepEqual(
      cr.tasks.map((t) => [t.text, t.line, t.done]),
      [
        ['first', 3, false],
        ['second', 4, true],
      ],
    );
  });
});

describe('parsePlan: the shared real plans', () => {
  const dir = path.resolve(__dirname, '../../../../shared/plans');
  const read = (f: string) => {
    assert.ok(
      fs.existsSync(dir),
      `the shared plans folder ${dir} is missing (expected ../shared/plans beside the repo)`,
    );
    return parsePlan(fs.readFileSync(path.join(dir, f), 'utf8'), { file: f });
  };
  const counts = (p: Plan) => ({
    phases: allPhases(p).length,
    tasks: p.tasks.length,
    locations: p.locations.length,
    claims: p.claims.length,
  });

  it('fhirpath-flamegraph-plan.md: 5 priorities + 3 phases, 9 tasks, 10 locations, 5 claims', () => {
    const p = read('fhirpath-flamegraph-plan.md');
    assert.deepEqual(counts(p), { phases: 8, tasks: 9, locations: 10, claims: 5 });
    assert.deepEqual(p.metadata.profilePaths, ['opt/flamegraphs/baseline_flamegraph.svg']);
    assert.equal(p.metadata.status, 'Planned');
    assert.equal(p.metadata.date, '2025-08-11');
    const drop = p.claims.find((c) => c.symbol === 'alloc::sync::Arc::drop_slow')!;
    assert.deepEqual([drop.percent, drop.isGroup], [22.6, true]);
    assert.ok(p.locations.some((l) => l.path === 'src/model/value.rs' && l.symbol === 'Collection'));
    assert.deepEqual(
      p.gains.slice(0, 5).map((g) => [g.low, g.high]),
      [
        [40, 60],
        [20, 30],
        [25, 35],
        [15, 25],
        [10, 20],
      ],
    );
  });

  it('framework-implementation-report.md: 14 numbered phases, 0 tasks, 17 locations (6 from code), 0 claims', () => {
    const p = read('framework-implementation-report.md');
    assert.deepEqual(counts(p), { phases: 14, tasks: 0, locations: 17, claims: 0 });
    assert.equal(p.title, 'Phase 3: Performance Optimization - Implementation Report');
    assert.equal(p.locations.filter((l) => l.source === 'code-comment').length, 6);
    assert.equal(p.locations.filter((l) => l.isNew).length, 10);
    assert.equal(p.metadata.author, 'Senior Rust Developer (Team 3)');
  });

  it('marc-reader-proposal.md: 4 phases + 4 weeks, 6 tasks, 0 locations, 0 claims', () => {
    const p = read('marc-reader-proposal.md');
    assert.deepEqual(counts(p), { phases: 8, tasks: 6, locations: 0, claims: 0 });
    assert.equal(p.metadata.status, 'Proposed');
    assert.ok(p.tasks.every((t) => t.section === 'Success Criteria' && t.phaseId === null));
    assert.equal(allPhases(p)[7].title, 'Week 4+: Phase 3 (Python Optimization)');
  });

  it('streaming-engine-plan.md: 5 phases + 3 changes, 20 tasks, 3 locations, 0 claims', () => {
    const p = read('streaming-engine-plan.md');
    assert.deepEqual(counts(p), { phases: 8, tasks: 20, locations: 3, claims: 0 });
    assert.equal(p.metadata.date, '2025-10-02');
    assert.deepEqual(
      planProgress(p).phases.map((x) => x.total),
      [4, 4, 4, 4, 4, 0, 0, 0],
    );
  });
});

describe('parsePlan: robustness', () => {
  it('parses an empty text and a text without headings', () => {
    const empty = parsePlan('');
    assert.equal(empty.title, 'Untitled plan');
    assert.equal(empty.sections.length, 0);
    const named = parsePlan('- [ ] just a task\n', { file: 'notes/todo.md' });
    assert.equal(named.title, 'todo.md');
    assert.equal(named.tasks.length, 1);
    assert.equal(named.tasks[0].sectionId, null);
  });

  it('parses 1,000 levels of nested tasks, keeping every task', () => {
    let text = '# Deep\n';
    for (let i = 0; i < 1000; i++) text += `${'  '.repeat(i)}- [ ] task ${i}\n`;
    const plan = parsePlan(text);
    assert.equal(plan.tasks.length, 1000);
    assert.equal(plan.tasks[1].parentId, 0);
    let depth = 0;
    for (let t = plan.tasks[50]; t.parentId !== null; t = plan.tasks[t.parentId]) depth++;
    assert.equal(depth, 50);
    // Beyond 128 levels (256 columns of indentation) deeper items are kept as siblings.
    assert.equal(plan.tasks[999].parentId, 127);
    for (const t of plan.tasks) assert.equal(text.slice(t.checkbox!.start, t.checkbox!.end), '[ ]');
  });

  it('does not throw on deep blockquotes or list markers on one line', () => {
    for (const text of [
      '>'.repeat(20000),
      '- '.repeat(5000),
      `${'1. '.repeat(3000)}[ ] x`,
      '['.repeat(10000),
    ]) {
      assert.doesNotThrow(() => parsePlan(text));
    }
  });

  it('parses a 10 MB plan (four real plans repeated), finding every task', () => {
    const dir = path.resolve(__dirname, '../../../../shared/plans');
    const parts = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
    const perRound = parts.reduce((n, t) => n + parsePlan(t).tasks.length, 0);
    let text = '';
    let rounds = 0;
    while (text.length < 10 * 1024 * 1024) {
      text += `${parts.join('\n')}\n`;
      rounds++;
    }
    const plan = parsePlan(text);
    assert.equal(plan.tasks.length, perRound * rounds);
    const last = plan.tasks[plan.tasks.length - 1];
    assert.match(text.slice(last.checkbox!.start, last.checkbox!.end), /^\[[ xX]\]$/);
  });
});
