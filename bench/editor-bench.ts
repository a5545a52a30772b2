// Editor-side costs (`npm run bench` runs it after the importers; or
// `node --import tsx bench/editor-bench.ts`): the work Hotspot Lens does on the extension
// host when a file is shown — choosing and formatting decorations for a file with 1,000 hot
// lines, and building CodeLens titles for a 5,000-line file — with the same functions the
// editor calls (src/core/analysis/presentation.ts, plan-links.ts). VS Code's own rendering
// is not included: it cannot be timed outside the workbench. Targets: < 5 ms and < 10 ms.
import { linkPlans } from '../src/core/analysis/plan-links';
import {
  functionLensTitle,
  heatBucket,
  lineText,
  reanchorFunctions,
  visibleLines,
} from '../src/core/analysis/presentation';
import type { HotFunction, HotLine } from '../src/core/analysis/types';
import { parsePlan } from '../src/core/plan';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(runs: number, fn: () => unknown): { median: number; max: number } {
  const ts: number[] = [];
  for (let i = 0; i < 20; i++) fn(); // warm up
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  return { median: median(ts), max: Math.max(...ts) };
}

// 1,000 hot lines in one file
const lines: HotLine[] = Array.from({ length: 1000 }, (_, i) => {
  const total = 30 * Math.exp(-i / 200);
  return {
    line: i * 3 + 1,
    self: total / 3,
    selfInclLibraries: total / 2,
    total,
    selfPercent: total / 3,
    selfInclLibrariesPercent: total / 2,
    totalPercent: total,
    bucket: heatBucket(total),
  };
});
const decorations = time(200, () => {
  const shown = visibleLines(lines, 0.5);
  const out: { line: number; bucket: number; text: string | undefined }[] = [];
  for (const l of shown)
    out.push({ line: l.line, bucket: heatBucket(l.totalPercent), text: lineText(l, 'both') });
  return out;
});

// a 5,000-line file with 250 hot functions, a plan that names it, and re-anchoring after an edit
const fnCount = 250;
const functions: HotFunction[] = Array.from({ length: fnCount }, (_, i) => ({
  key: `src/big.rs#f${i}#${i * 20 + 1}`,
  name: `big::Thing::method_${i}`,
  displayName: `Thing::method_${i}`,
  file: 'src/big.rs',
  line: i * 20 + 1,
  endLine: i * 20 + 19,
  self: i,
  selfInclLibraries: i + 1,
  total: 2 * i,
  selfPercent: i / 100,
  selfInclLibrariesPercent: (i + 1) / 100,
  totalPercent: i / 50,
  blamedLibrary: [{ function: 'Vec::clone', weight: 1 }],
  hints: [
    {
      category: 'clone-heavy',
      label: 'clone-heavy: consider Cow/Arc',
      suggestion: '',
      weight: 1,
      sharePercent: 50,
      frames: [],
    },
  ],
  planLinks: [],
  callers: [],
  callees: [],
}));
const text = Array.from({ length: 5000 }, (_, i) =>
  i % 20 === 0 ? `    pub fn method_${i / 20}(&self) -> u64 {` : '        x += 1;',
).join('\n');
const plan = parsePlan(
  '# Plan\n\n## Phase 1: Big\n\n- [ ] fix `src/big.rs:Thing`\n- [ ] `Vec::clone`: **12%**\n',
);
const lenses = time(100, () => {
  const links = linkPlans(functions, [{ file: 'PLAN.md', plan }]);
  const out: string[] = [];
  for (const f of functions) {
    out.push(functionLensTitle(f));
    if (f.hints[0]) out.push(f.hints[0].label);
    const l = links.get(f.key)?.[0];
    if (l) out.push(`Plan: ${l.section}`);
  }
  return out;
});
const reanchor = time(50, () => reanchorFunctions(text, functions));

const row = (what: string, r: { median: number; max: number }, target: number) =>
  `${what.padEnd(58)} ${r.median.toFixed(2).padStart(7)} ms  (max ${r.max.toFixed(2)} ms)  target < ${target} ms: ${r.median < target ? 'met' : 'MISSED'}`;
console.log('\neditor-side work per shown file (median of runs)');
console.log(row('decorations for a file with 1,000 hot lines', decorations, 5));
console.log(row('CodeLens titles + plan links, 5,000-line file, 250 functions', lenses, 10));
console.log(row('re-anchoring 250 functions of an edited 5,000-line file', reanchor, 50));
