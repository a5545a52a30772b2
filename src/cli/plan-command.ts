/**
 * `hotspot-lens plan FILE [--json]`: parses a Markdown optimization plan and prints it,
 * as JSON (`--json`) or as a readable outline with progress.
 *
 * JSON shape (lines 1-based, `null` where absent):
 * `{ file, title, status, date, author, profilePaths, progress: { done, total },
 *    phases: [ { title, kind, number, level, line, done, total, status, priority,
 *                tasks: [ { text, done, line, checkbox, children, status } ], items: [ { text, line } ],
 *                phases: [ …child phases ] } ],
 *    tasks: [ { text, done, line, section, phase, status } ],
 *    locations: [ { path, symbol, line, endLine, planLine, isNew, isOutside, section, kind, lines } ],
 *    claims: [ { symbol, percent, kind, line, section, percentHigh } ],
 *    gains: [ { text, low, high, unit, line, section } ] }`
 * where a location's `line`/`endLine` are lines in the target file (its first range;
 * `lines` holds every range) and `planLine` the line in the plan; a location's `kind` is
 * `implementation` or `reference`; a task's `checkbox` is `{ line, column }` (column
 * 0-based) or null and its `status` done/in-progress/open/blocked/dropped; a phase's
 * `status`/`priority` come from tags in its heading (null when none).
 *
 * Exit codes: 0 printed, 1 the file cannot be read or is not UTF-8 text, 2 usage.
 */
import path from 'node:path';
import { parsePlan } from '../core/plan/parse-plan';
import { planJson } from '../core/plan/plan-json';
import { planProgress } from '../core/plan/progress';
import type { Plan, PlanPhase, PlanTask } from '../core/plan/types';

export { planJson };

import type { CliCommand } from './cli-io';

const USAGE = 'Usage: hotspot-lens plan FILE [--json]\n';

/** The `plan` sub-command (see the module comment for output and exit codes). */
export const planCommand: CliCommand = async (args, io) => {
  const json = args.includes('--json');
  const files = args.filter((a) => a !== '--json');
  if (files.length !== 1 || files[0].startsWith('-')) {
    io.stderr(USAGE);
    return 2;
  }
  const file = files[0];
  let bytes: Uint8Array;
  try {
    bytes = await io.readFile(path.resolve(io.cwd, file));
  } catch (e) {
    io.stderr(`hotspot-lens plan: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    io.stderr(`hotspot-lens plan: ${file} is not a Markdown plan: it is not UTF-8 text\n`);
    return 1;
  }
  if (text.includes('\u0000')) {
    io.stderr(`hotspot-lens plan: ${file} is not a Markdown plan: it contains NUL bytes (a binary file?)\n`);
    return 1;
  }
  const plan = parsePlan(text, { file });
  io.stdout(json ? `${JSON.stringify(planJson(plan), null, 2)}\n` : planOutline(plan));
  return 0;
};

/** The readable outline: metadata, phases with `[done/total]`, tasks `[x]`/`[ ]`, locations, claims, gains. */
export function planOutline(plan: Plan): string {
  const out: string[] = [];
  const progress = planProgress(plan);
  const counts = new Map(progress.phases.map((p) => [p.phaseId, p]));
  const m = plan.metadata;
  out.push(plan.title);
  const facts = [
    m.status && `status: ${m.status}`,
    m.date && `date: ${m.date}`,
    m.author && `author: ${m.author}`,
  ];
  if (facts.some(Boolean)) out.push(facts.filter(Boolean).join('  '));
  for (const p of m.profilePaths) out.push(`profile: ${p}`);
  out.push(`progress: ${progress.done}/${progress.total} tasks`, '');
  const taskLine = (t: PlanTask, indent: string): void => {
    const box = t.checkbox ? (t.done ? '[x]' : '[ ]') : (t.statusMark ?? `(${t.status})`);
    out.push(`${indent}${box} ${t.text}  (line ${t.line})`);
    for (const c of t.children) taskLine(c, `${indent}  `);
  };
  const phase = (p: PlanPhase, indent: string): void => {
    const c = counts.get(p.sectionId);
    const tags = [p.status, p.priority && `priority ${p.priority}`].filter(Boolean).join(', ');
    out.push(
      `${indent}${p.title} [${c?.done ?? 0}/${c?.total ?? 0}]${tags ? ` (${tags})` : ''}  (line ${p.line})`,
    );
    for (const t of p.tasks) taskLine(t, `${indent}  `);
    for (const i of p.items) if (i.depth === 0) out.push(`${indent}  - ${i.text}`);
    for (const child of p.children) phase(child, `${indent}  `);
  };
  if (plan.phases.length > 0) out.push('Phases:');
  for (const p of plan.phases) phase(p, '  ');
  const loose = plan.tasks.filter((t) => t.phaseId === null && t.parentId === null);
  if (loose.length > 0) {
    out.push('', 'Tasks outside phases:');
    for (const t of loose) taskLine(t, '  ');
  }
  if (plan.locations.length > 0) {
    out.push('', 'Locations:');
    for (const l of plan.locations) {
      const ranges = l.lines.map((r) => `${r.line}${r.endLine !== r.line ? `-${r.endLine}` : ''}`).join(', ');
      const where = `${l.symbol ? `:${l.symbol}` : ''}${ranges ? `:${ranges}` : ''}`;
      const flags = [
        l.isNew && 'new',
        l.isOutside && 'outside the workspace',
        l.kind === 'reference' && 'reference',
      ]
        .filter(Boolean)
        .join(', ');
      out.push(
        `  ${l.path}${where}${flags ? ` (${flags})` : ''}  [${l.section ?? 'top'}; plan line ${l.planLine}]`,
      );
    }
  }
  if (plan.claims.length > 0) {
    out.push('', 'Hotspot claims:');
    for (const c of plan.claims) {
      out.push(
        `  ${c.percent}${c.percentHigh !== null ? `-${c.percentHigh}` : ''}%${c.kind === 'unspecified' ? '' : ` ${c.kind}`}${c.isGroup ? ' (group)' : ''}  ${c.symbol}  [${c.section ?? 'top'}]`,
      );
    }
  }
  if (plan.gains.length > 0) {
    out.push('', 'Expected gains:');
    for (const g of plan.gains) out.push(`  ${g.text}  [${g.section ?? 'top'}]`);
  }
  return `${out.join('\n')}\n`;
}
