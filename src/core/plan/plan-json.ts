import { planProgress } from './progress';
import type { Plan, PlanPhase, PlanStatus, PlanTask } from './types';

/** A task in {@link PlanJson} (lines 1-based; `checkbox.column` 0-based; null: a status-mark task). */
export interface PlanTaskJson {
  text: string;
  done: boolean;
  line: number;
  checkbox: { line: number; column: number } | null;
  children: PlanTaskJson[];
  status: PlanStatus;
}

/** A phase in {@link PlanJson}: its tasks, other list items and child phases; `done`/`total` count tasks. */
export interface PlanPhaseJson {
  title: string;
  kind: PlanPhase['kind'];
  number: PlanPhase['number'];
  level: number;
  line: number;
  done: number;
  total: number;
  status: PlanPhase['status'];
  priority: PlanPhase['priority'];
  tasks: PlanTaskJson[];
  items: { text: string; line: number }[];
  phases: PlanPhaseJson[];
}

/**
 * The JSON view of a plan that `hotspot-lens plan --json` prints and the agent tools build on
 * (lines 1-based, null where absent). A location's `line`/`endLine` are lines in the target
 * file (its first range; `lines` holds every range) and `planLine` the line in the plan.
 */
export interface PlanJson {
  file: string | null;
  title: string;
  status: Plan['metadata']['status'];
  date: Plan['metadata']['date'];
  author: Plan['metadata']['author'];
  profilePaths: Plan['metadata']['profilePaths'];
  progress: { done: number; total: number };
  phases: PlanPhaseJson[];
  tasks: {
    text: string;
    done: boolean;
    line: number;
    section: string | null;
    phase: string | null;
    status: PlanStatus;
  }[];
  locations: {
    path: string;
    symbol: string | null;
    line: number | null;
    endLine: number | null;
    planLine: number;
    isNew: boolean;
    isOutside: boolean;
    section: string | null;
    kind: Plan['locations'][number]['kind'];
    lines: Plan['locations'][number]['lines'];
  }[];
  claims: {
    symbol: string;
    percent: number;
    kind: Plan['claims'][number]['kind'];
    line: number;
    section: string | null;
    percentHigh: number | null;
  }[];
  gains: {
    text: string;
    low: Plan['gains'][number]['low'];
    high: Plan['gains'][number]['high'];
    unit: Plan['gains'][number]['unit'];
    line: number;
    section: string | null;
  }[];
}

/** Builds the JSON view of a parsed plan (see {@link PlanJson}); pure, never throws. */
export function planJson(plan: Plan): PlanJson {
  const progress = planProgress(plan);
  const counts = new Map(progress.phases.map((p) => [p.phaseId, p]));
  const task = (t: PlanTask): PlanTaskJson => ({
    text: t.text,
    done: t.done,
    line: t.line,
    checkbox: t.checkbox ? { line: t.checkbox.line, column: t.checkbox.column } : null,
    children: t.children.map(task),
    status: t.status,
  });
  const phase = (p: PlanPhase): PlanPhaseJson => ({
    title: p.title,
    kind: p.kind,
    number: p.number,
    level: p.level,
    line: p.line,
    done: counts.get(p.sectionId)?.done ?? 0,
    total: counts.get(p.sectionId)?.total ?? 0,
    status: p.status,
    priority: p.priority,
    tasks: p.tasks.map(task),
    items: p.items.map((i) => ({ text: i.text, line: i.line })),
    phases: p.children.map(phase),
  });
  const m = plan.metadata;
  return {
    file: plan.file,
    title: plan.title,
    status: m.status,
    date: m.date,
    author: m.author,
    profilePaths: m.profilePaths,
    progress: { done: progress.done, total: progress.total },
    phases: plan.phases.map(phase),
    tasks: plan.tasks.map((t) => ({
      text: t.text,
      done: t.done,
      line: t.line,
      section: t.section,
      phase: phaseTitle(plan, t.phaseId),
      status: t.status,
    })),
    locations: plan.locations.map((l) => ({
      path: l.path,
      symbol: l.symbol,
      line: l.line,
      endLine: l.endLine,
      planLine: l.planLine,
      isNew: l.isNew,
      isOutside: l.isOutside,
      section: l.section,
      kind: l.kind,
      lines: l.lines,
    })),
    claims: plan.claims.map((c) => ({
      symbol: c.symbol,
      percent: c.percent,
      kind: c.kind,
      line: c.line,
      section: c.section,
      percentHigh: c.percentHigh,
    })),
    gains: plan.gains.map((g) => ({
      text: g.text,
      low: g.low,
      high: g.high,
      unit: g.unit,
      line: g.line,
      section: g.section,
    })),
  };
}

function phaseTitle(plan: Plan, id: number | null): string | null {
  return id === null ? null : plan.sections[id].title;
}
