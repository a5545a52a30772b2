import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { parsePlan } from '../../../src/core/plan/parse-plan';
import { planProgress } from '../../../src/core/plan/progress';
import { readStatusMark } from '../../../src/core/plan/recognizers';
import { readHeadingTags, sectionRole } from '../../../src/core/plan/sections';
import type { Plan, PlanPhase } from '../../../src/core/plan/types';
import { fixturePath } from '../helpers/golden';

function load(name: string): Plan {
  return parsePlan(fs.readFileSync(fixturePath('plans', `${name}.md`), 'utf8'), { file: `${name}.md` });
}

function outline(plan: Plan): [string, string, string | null, number][] {
  const out: [string, string, string | null, number][] = [];
  const walk = (ps: readonly PlanPhase[], depth: number) => {
    for (const p of ps) {
      out.push([p.title, p.kind, p.number, depth]);
      walk(p.children, depth + 1);
    }
  };
  walk(plan.phases, 0);
  return out;
}

describe('phases from structure', () => {
  it('sibling headings sharing a label under a planning section are phases; numbered findings are not', () => {
    const plan = load('phases-by-structure');
    assert.deepEqual(outline(plan), [
      ['Branch A: Precompute the hash', 'branch', 'A', 0],
      ['Branch B: Switch to a flat table', 'branch', 'B', 0],
      ['M0 — Baseline', 'milestone', '0', 0],
      ['M1 — Flat table behind a flag', 'milestone', '1', 0],
      ['Option 1: Keep the chained table', 'option', '1', 0],
      ['Option 2: Swiss table', 'option', '2', 0],
    ]);
    const learned = plan.sections.find((s) => s.title === 'What we learned')!;
    assert.equal(learned.role, 'findings');
    for (const id of learned.childIds) assert.equal(plan.sections[id].phase, null, plan.sections[id].title);
    assert.equal(plan.sections.find((s) => s.title === 'Next experiments')?.role, 'plan');
    assert.equal(plan.sections.find((s) => s.title === 'Goal')?.role, 'context');
  });

  it('the same numbered headings are phases when no reporting section holds them', () => {
    const plan = parsePlan(
      '# Plan\n\n## 1. Cache the parser\n\n- Add a cache\n\n## 2. Pool buffers\n\n- Add a pool\n',
    );
    assert.deepEqual(
      outline(plan).map((p) => p[0]),
      ['1. Cache the parser', '2. Pool buffers'],
    );
    const findings = parsePlan(
      '# Plan\n\n## Findings\n\n### 1. Cache misses\n\nSeen in perf.\n\n### 2. Lock contention\n\nSeen too.\n',
    );
    assert.deepEqual(outline(findings), []);
  });

  it('a lone label heading, or a label group under findings, is not a phase', () => {
    const lone = parsePlan('# Notes\n\n## Option A\n\nWe could do this.\n');
    assert.deepEqual(outline(lone), []);
    const reported = parsePlan(
      '# Notes\n\n## Analysis\n\n### Track 1: parser\n\n- Add tracing\n\n### Track 2: lexer\n\n- Add tracing\n',
    );
    assert.deepEqual(outline(reported), []);
  });

  it('reads localized phase, step, priority, stage and week words (Chinese)', () => {
    assert.deepEqual(outline(load('phases-localized-zh')), [
      ['阶段 1：建立基准', 'phase', '1', 0],
      ['第二阶段：减少分配', 'phase', '二', 0],
      ['步骤3 验证', 'step', '3', 0],
    ]);
  });

  it('reads localized phase words (Russian)', () => {
    assert.deepEqual(outline(load('phases-localized-ru')), [
      ['ФАЗА 1: Замеры', 'phase', '1', 0],
      ['Этап 2 — Буферы', 'stage', '2', 0],
      ['Приоритет 1: Аллокации', 'priority', '1', 0],
      ['Неделя 3', 'week', '3', 0],
    ]);
  });

  it('reads localized phase words (Spanish, German, French, Japanese)', () => {
    const plan = load('phases-localized-eu-ja');
    assert.deepEqual(outline(plan), [
      ['Fase 1: Medición', 'phase', '1', 0],
      ['Schritt 2: Puffer wiederverwenden', 'step', '2', 0],
      ['Étape 3 : Vérification', 'step', '3', 0],
      ['Priorität 1: Kopien vermeiden', 'priority', '1', 0],
      ['フェーズ4：検証', 'phase', '4', 0],
    ]);
    assert.deepEqual(
      plan.phases.map((p) => p.label),
      ['Fase', 'Schritt', 'Étape', 'Priorität', 'フェーズ'],
    );
  });

  it('does not take a compound word for a phase word', () => {
    assert.deepEqual(outline(parsePlan('# X\n\n## Phase-Based Estimation\n\ntext\n')), []);
  });

  it('reads bold pseudo-headings inside a phase and P0/P1/P2 paragraphs as phases', () => {
    const plan = load('bold-pseudo-headings');
    assert.deepEqual(outline(plan), [
      ['Phase 1: Planner', 'phase', '1', 0],
      ['Priority 1: Drop the plan copy', 'priority', '1', 1],
      ['Priority 2: Cache compiled predicates', 'priority', '2', 1],
      ['P0 — spill joins to disk instead of failing', 'priority', '0', 0],
      ['P1 — vectorize the filter kernel', 'priority', '1', 0],
      ['P2 — revisit the cost model', 'priority', '2', 0],
    ]);
    const p1 = plan.sections.find((s) => s.title.startsWith('Priority 1'))!;
    assert.equal(p1.pseudo, true);
    assert.equal(p1.level, 3);
    assert.equal(plan.sections[p1.parentId!].title, 'Phase 1: Planner');
    // The location under "Priority 1" belongs to it, not to the heading above.
    const loc = plan.locations.find((l) => l.path === 'src/planner/mod.rs')!;
    assert.equal(loc.phaseId, p1.id);
    assert.equal(plan.phases[1].priority, 'P0');
    assert.ok(!plan.sections.some((s) => s.title.startsWith('Note')), 'a bold label is not a heading');
  });
});

describe('status tags in headings', () => {
  it('become the phase status and priority, not part of the title', () => {
    const plan = load('phase-status-tags');
    const phases: [string, string | null, string | null][] = [];
    const walk = (ps: readonly PlanPhase[]) => {
      for (const p of ps) {
        phases.push([p.title, p.status, p.priority]);
        walk(p.children);
      }
    };
    walk(plan.phases);
    assert.deepEqual(phases, [
      ['Phase 1: Tracing', 'done', null],
      ['Phase 2: Glyph cache', 'in-progress', null],
      ['Phase 3: SIMD blending', null, 'HIGH'],
      ['Phase 4: Cleanup', null, 'Low Priority'],
      ['Step 1 — Remove the old blitter', 'done', null],
      // A bare ✅ over unticked boxes decorates a checklist: not done.
      ['Phase 5: Docs', null, null],
    ]);
  });

  it('reads tags in the forms plans use', () => {
    assert.deepEqual(readHeadingTags('1. FieldValue Cloning (HIGH IMPACT)'), {
      title: '1. FieldValue Cloning',
      status: null,
      priority: 'HIGH IMPACT',
    });
    assert.deepEqual(readHeadingTags('Phase 1: Zero-Copy (Week 1) - HIGHEST IMPACT'), {
      title: 'Phase 1: Zero-Copy (Week 1)',
      status: null,
      priority: 'HIGHEST IMPACT',
    });
    assert.deepEqual(readHeadingTags('1. 缓存键哈希计算开销大 ⚠️ 高优先级'), {
      title: '1. 缓存键哈希计算开销大',
      status: null,
      priority: '高优先级',
    });
    assert.deepEqual(readHeadingTags('✅ Phase 1: Core'), {
      title: 'Phase 1: Core',
      status: 'done',
      priority: null,
    });
    assert.deepEqual(readHeadingTags('PlannerPlan::find_plan (32.5% - 337 samples) 🔴'), {
      title: 'PlannerPlan::find_plan (32.5% - 337 samples)',
      status: null,
      priority: 'high',
    });
    // A bracket that is not a tag stays; days after a priority stay.
    assert.equal(readHeadingTags('Phase 2: Parser (2-4 weeks)').title, 'Phase 2: Parser (2-4 weeks)');
    const zh = readHeadingTags('阶段 1：分块调度（中等优先级，2-3 天）');
    assert.deepEqual([zh.title, zh.priority], ['阶段 1：分块调度（中等优先级，2-3 天）', '中等优先级']);
  });

  it('classifies section roles in several languages', () => {
    assert.deepEqual(
      [
        'What We Learned',
        'Experiments Already Tried',
        'Next Branch Experiments',
        '实施计划',
        'Следующие шаги',
        'Риски',
        '背景',
        'Top Bottlenecks',
        'Misc',
      ].map(sectionRole),
      ['findings', 'results', 'plan', 'plan', 'plan', 'risks', 'context', 'findings', 'other'],
    );
  });
});

describe('status lists are tasks', () => {
  it('reads status marks and words as task states, open ones counted', () => {
    const plan = load('status-lists');
    const [p1, p2] = plan.phases;
    assert.deepEqual(
      p1.tasks.map((t) => [t.text, t.status, t.statusMark]),
      [
        ['Add tracing around module load', 'done', '✅'],
        ['Skip the duplicate stat call', 'done', '✅'],
        ['Batch the directory reads', 'done', '~~'],
        ['Cache the parsed manifest', 'in-progress', '🔄'],
        ['Lazy-load the plugin registry', 'in-progress', '[WIP]'],
        ['Precompile the glob patterns', 'open', '⏳'],
        ['Move config parsing off the main thread', 'in-progress', '🚧'],
      ],
    );
    const progress = planProgress(plan);
    assert.deepEqual(
      progress.phases.map((p) => [p.title, p.done, p.total]),
      [
        ['Phase 1: Startup', 3, 7],
        ['Phase 2: Steady state', 1, 3],
      ],
    );
    // An unmarked step among marked ones is an open task.
    assert.deepEqual(
      p2.tasks.map((t) => [t.text, t.status, t.statusMark]),
      [
        ['Pool the read buffers', 'done', 'DONE'],
        ['Reuse the decoder between files', 'open', null],
        ['Intern the path strings', 'open', '(TODO)'],
      ],
    );
    assert.ok(plan.tasks.every((t) => t.checkbox === null));
    assert.ok(!plan.tasks.some((t) => t.section === 'Results'), 'results bullets are not tasks');
  });

  it('reads a status at the start or the end, not in the middle', () => {
    assert.deepEqual(readStatusMark('Cache the parser (TBI)'), {
      mark: '(TBI)',
      status: 'open',
      done: false,
      text: 'Cache the parser',
    });
    assert.equal(readStatusMark('[DONE] Pool buffers')?.status, 'done');
    assert.equal(readStatusMark('Port the trie — BLOCKED')?.status, 'blocked');
    assert.equal(readStatusMark('优化路由匹配（已完成）')?.status, 'done');
    assert.equal(readStatusMark('Use the DONE flag in the cache'), null);
    assert.equal(readStatusMark('Read the file (new)'), null);
  });
});
