/**
 * The plan semantics that live in words: which headings are phases, which code spans
 * are source paths, what a status mark, a hotspot claim, an expected gain and a
 * metadata label look like. Pure functions on strings.
 */

import path from 'node:path';
import type { PlanClaimKind, PlanPhaseInfo, PlanPhaseKind } from './types';

const PHASE_WORDS = 'phase|week|priority|stage|step|milestone|change|day|sprint|iteration|part';
/** Phase words that make a phase without a number when followed by `:`/dash or nothing ("Sprint", "Milestone: beta"). */
const UNNUMBERED_OK = new Set(['phase', 'stage', 'milestone', 'sprint', 'iteration']);
const PHASE_RE = new RegExp(
  `^(${PHASE_WORDS})(?![\\p{L}\\p{N}_])\\s*(?:#\\s*)?(\\d+(?:\\.\\d+)*(?:\\s*(?:-|–|—|to)\\s*\\d+(?:\\.\\d+)*)?\\+?|[IVX]+(?![\\p{L}\\p{N}])|[A-Z](?![\\p{L}\\p{N}]))?\\s*(.*)$`,
  'iu',
);
const NUMBERED_RE = /^(\d+(?:\.\d+)*)[.)]\s+\S/;

/** Removes leading emoji, bullets and punctuation from a heading's plain text ("🚀 Phase 1" → "Phase 1"). */
export function stripLeadingSymbols(title: string): string {
  return title.replace(/^[^\p{L}\p{N}`"'([]+/u, '').trim();
}

/**
 * Classifies a heading title (plain text, leading symbols removed) as a phase:
 * "Phase 1: …", "Week 2", "Priority 3", "Stage II", "Step 4", "Milestone: …",
 * "Change 1", "Day 1-2", "Sprint", "Iteration 3", "Part A", "1. …" / "2) …".
 * @returns kind and number as written, or null when the heading is not a phase
 */
export function classifyPhaseHeading(title: string): PlanPhaseInfo | null {
  const m = PHASE_RE.exec(title);
  if (m) {
    const kind = m[1].toLowerCase() as PlanPhaseKind;
    const number = m[2] ? m[2].replace(/\s+/g, '') : null;
    if (number !== null) return { kind, number };
    if (UNNUMBERED_OK.has(kind) && (m[3] === '' || /^[:\-–—(]/.test(m[3]))) return { kind, number: null };
    return null;
  }
  const n = NUMBERED_RE.exec(title);
  if (n) return { kind: 'numbered', number: n[1] };
  return null;
}

/** File extensions that make a code span a source path (lower case, without the dot). */
export const SOURCE_EXTENSIONS: readonly string[] = [
  'rs',
  'c',
  'h',
  'cc',
  'cpp',
  'cxx',
  'c++',
  'hpp',
  'hh',
  'hxx',
  'h++',
  'ipp',
  'inl',
  'cu',
  'cuh',
  'go',
  'py',
  'pyx',
  'pxd',
  'pyi',
  'js',
  'mjs',
  'cjs',
  'ts',
  'mts',
  'cts',
  'tsx',
  'jsx',
  'java',
  'kt',
  'kts',
  'scala',
  'groovy',
  'swift',
  'rb',
  'zig',
  'cs',
  'fs',
  'vb',
  'php',
  'lua',
  'm',
  'mm',
  'dart',
  'ex',
  'exs',
  'erl',
  'hrl',
  'hs',
  'ml',
  'mli',
  'clj',
  'cljs',
  'nim',
  'cr',
  'jl',
  'r',
  'pl',
  'pm',
  'vue',
  'svelte',
  'sh',
  'bash',
  'zsh',
  'sql',
  'd',
  'v',
  'sv',
  'vhd',
  'f90',
  'f',
  'for',
  'asm',
  's',
  'wat',
  'sol',
  'elm',
  'ocaml',
  'gleam',
  'odin',
];
const EXT_ALT = [...SOURCE_EXTENSIONS]
  .sort((a, b) => b.length - a.length)
  .map((e) => e.replace(/[+]/g, '\\+'))
  .join('|');
const LOCATION_RE = new RegExp(
  `^((?:[A-Za-z]:[\\\\/]|~[\\\\/]|\\.{1,2}[\\\\/]|[\\\\/]{1,2})?(?:[\\w.@+\\-$]+[\\\\/])*[\\w.@+\\-$]*\\.(?:${EXT_ALT}))` +
    `(?:(?::|#L)(\\d+)(?:\\s*[-–]\\s*L?(\\d+))?(?::\\d+)?|(::?|#)([A-Za-z_~][\\w:<>~.$!]*(?:\\(\\))?))?$`,
  'i',
);

/** A parsed location reference. */
export interface LocationRef {
  /** The path as written. */
  readonly path: string;
  /** Symbol after `:`/`::`/`#`, or null. */
  readonly symbol: string | null;
  /** 1-based line in the target file, or null. */
  readonly line: number | null;
  /** 1-based last line (inclusive), or null. */
  readonly endLine: number | null;
}

/**
 * Parses `path`, `path:Symbol`, `path::Symbol`, `path:12`, `path:12-40`, `path:12:5`,
 * `path#L12-L40` where the path ends in a source extension ({@link SOURCE_EXTENSIONS}).
 * @returns the reference, or null when `text` is not one
 */
export function parseLocationRef(text: string): LocationRef | null {
  const t = text.trim();
  if (t.length === 0 || t.length > 500 || /\s/.test(t) || /^[a-z][a-z0-9+.-]*:\/\//i.test(t)) return null;
  const m = LOCATION_RE.exec(t);
  if (!m) return null;
  const p = m[1];
  const base = p.split(/[\\/]/).pop() ?? '';
  // A bare ".rs" or a name that is only an extension is not a file.
  if (/^\.[^.]*$/.test(base)) return null;
  // "self.py"-like method calls on lower-case receivers are ambiguous; keep them (rare).
  const line = m[2] ? Number(m[2]) : null;
  const endLine = m[3] ? Number(m[3]) : line;
  const symbol = m[5] ? m[5].replace(/\(\)$/, '') : null;
  return { path: p, symbol, line, endLine };
}

/**
 * Whether `p` leaves the workspace, from the text alone: absolute (POSIX `/`, Windows
 * `C:\`, UNC `\\`), home-relative (`~/`), or a relative path whose `..` segments climb
 * above the root. Symlinks are not considered (the editor checks them).
 */
export function isOutsidePath(p: string): boolean {
  const s = p.replace(/\\/g, '/');
  if (s.startsWith('/') || s.startsWith('~/') || s === '~' || /^[A-Za-z]:\//.test(s)) return true;
  const n = path.posix.normalize(s);
  return n === '..' || n.startsWith('../');
}

/** Status marks of status-mark tasks, with whether each means done. */
const STATUS_MARKS: ReadonlyArray<readonly [string, boolean]> = [
  ['✅', true],
  ['✔', true],
  ['☑', true],
  ['✓', true],
  ['❌', false],
  ['⏳', false],
  ['⌛', false],
  ['🚧', false],
  ['⬜', false],
  ['☐', false],
  ['🔲', false],
  ['🔄', false],
];

/**
 * Finds a status mark at the start or the end of a list item's text.
 * @returns the mark, whether it means done, and the text without it; or null
 */
export function findStatusMark(text: string): { mark: string; done: boolean; rest: string } | null {
  const t = text.trim();
  for (const [mark, done] of STATUS_MARKS) {
    if (t.startsWith(mark)) {
      const rest = t
        .slice(mark.length)
        .replace(/^\uFE0F/, '')
        .replace(/^[\s:–—-]+/, '');
      return { mark, done, rest: rest.trim() };
    }
  }
  for (const [mark, done] of STATUS_MARKS) {
    const stripped = t.replace(/\uFE0F$/, '');
    if (stripped.endsWith(mark)) {
      return {
        mark,
        done,
        rest: stripped
          .slice(0, -mark.length)
          .replace(/[\s:–—-]+$/, '')
          .trim(),
      };
    }
  }
  return null;
}

/** Headings or labels that introduce a list of files; `isNew` for created/new/added files. */
export function classifyFilesLabel(text: string): { isNew: boolean } | null {
  const t = stripLeadingSymbols(text)
    .replace(/[:：]\s*$/, '')
    .trim()
    .toLowerCase();
  if (t.length > 60) return null;
  if (
    /^(?:files?\s+(?:created|added)|new\s+(?:files?|modules?)|created\s+files?|added\s+files?|files?\s+to\s+(?:create|add))$/.test(
      t,
    )
  ) {
    return { isNew: true };
  }
  if (
    /^(?:files?\s+(?:modified|changed|touched|updated|affected|involved)|modified\s+files?|changed\s+files?|affected\s+files?|files?\s+to\s+(?:modify|change|touch|update)|files?|implementation\s+locations?|locations?|key\s+files?|relevant\s+files?|source\s+files?)$/.test(
      t,
    )
  ) {
    return { isNew: false };
  }
  return null;
}

/** Whether the text right after a path says the file is new: "(new)", "(new file)", "(new module)", "— new". */
export function saysNew(after: string): boolean {
  return /^\s*(?:\(\s*(?:new|added|created)\b[^)]*\)|[-–—:]\s*(?:new|added|created)\b|\[\s*new\s*\])/i.test(
    after,
  );
}

/** A percentage found in a line of plan text. */
export interface PercentMatch {
  /** The number (e.g. 22.6). */
  readonly value: number;
  /** Index of the match in the line. */
  readonly index: number;
  /** Length of the match. */
  readonly length: number;
}

/**
 * Percentages that can be hotspot shares: "22.6%", "~24.6 %". Ranges ("15-20%"), signed
 * changes ("+6%", "-32%") and percentages followed by a change word ("62% faster",
 * "40% improvement") are left out: those describe gains, not where time goes.
 */
export function findSharePercents(line: string): PercentMatch[] {
  const out: PercentMatch[] = [];
  const re = /(~|≈|about\s+|approx\.?\s+)?(\d{1,3}(?:\.\d+)?)\s*%/gi;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    const before = line.slice(0, m.index);
    const after = line.slice(m.index + m[0].length);
    if (/[-–—+]\s*$|\bto\s*$|\d\s*$/.test(before) && !m[1]) continue;
    if (/^\s*(?:-|–|—|to)\s*\d/.test(after)) continue;
    if (
      /^\s*(?:faster|slower|improvement|improved|reduction|reduced|fewer|less|more|better|gain|speed-?up|increase|decrease|smaller|larger|lower|higher|efficiency|overhead reduction|of the (?:gap|target)|cpu utili[sz]ation|utili[sz]ation|coverage)\b/i.test(
        after,
      )
    ) {
      continue;
    }
    const value = Number(m[2]);
    if (!(value >= 0 && value <= 100)) continue;
    out.push({ value, index: m.index, length: m[0].length });
  }
  return out;
}

/** Whether a code span reads like a symbol (function, type, path of a function), not a command or a file. */
export function looksLikeSymbol(code: string): boolean {
  const t = code.trim();
  if (t.length === 0 || t.length > 300) return false;
  // Whitespace only inside brackets (generic arguments, signatures).
  let depth = 0;
  for (const ch of t) {
    if ('<([{'.includes(ch)) depth++;
    else if ('>)]}'.includes(ch)) depth = Math.max(0, depth - 1);
    else if (/\s/.test(ch) && depth === 0) return false;
  }
  if (!/[\p{L}_]/u.test(t)) return false;
  if (parseLocationRef(t) !== null) return false;
  return true;
}

/** Self/total from the words around a percentage or in a table header. */
export function claimKindFrom(text: string): PlanClaimKind {
  const t = text.toLowerCase();
  if (/\bself\b|\bexclusive\b|\bexcl\b|\bflat\b/.test(t)) return 'self';
  if (/\binclusive\b|\bincl\b|\bcumulative\b|\bcum\b|\bchildren\b|\btotal\s*(?:time|%|\(|$)/.test(t)) {
    // "of total time" means a share of the whole run, not inclusive time.
    if (/\bof\s+(?:the\s+)?total\b/.test(t) && !/\binclusive\b|\bcumulative\b/.test(t)) return 'unspecified';
    return 'total';
  }
  return 'unspecified';
}

const GAIN_LABEL_RE =
  /\b(?:expected|estimated|projected|anticipated|target(?:ed)?|potential)\s+(?:additional\s+|overall\s+|total\s+|performance\s+)?(?:gains?|impact|improvements?|speed-?ups?|benefits?|savings?|results?)\s*:\s*(.*)$|\b(?:expected|performance\s+gains?)\s*:\s*(.*)$/i;

/** Finds an expected-gain label in a line of plain text; returns the text after the label (may be empty), or null. */
export function findGainLabel(line: string): string | null {
  const m = GAIN_LABEL_RE.exec(line);
  if (!m) return null;
  return (m[1] ?? m[2] ?? '').trim();
}

/**
 * Numbers of a gain statement: "40-60% improvement" → 40–60 percent, "2x faster" → 2–2
 * factor, "+2-3% performance" → 2–3 percent. The first numeric statement with a unit wins.
 */
export function parseGainNumbers(
  text: string,
): { low: number; high: number; unit: 'percent' | 'factor' } | null {
  const re =
    /[+\-−]?(\d+(?:[.,]\d+)?)\s*(%|x|×)?\s*(?:-|–|—|to)\s*[+\-−]?(\d+(?:[.,]\d+)?)\s*(%|x|×)(?![\p{L}])|[+\-−]?(\d+(?:\.\d+)?)\s*(%|x|×)(?![\p{L}\d])/iu;
  const m = re.exec(text);
  if (!m) return null;
  const num = (s: string) => Number(s.replace(',', '.'));
  if (m[3] !== undefined) {
    const unit = m[4] === '%' ? 'percent' : 'factor';
    if (m[2] !== undefined && (m[2] === '%') !== (unit === 'percent')) return null;
    const a = num(m[1]);
    const b = num(m[3]);
    return { low: Math.min(a, b), high: Math.max(a, b), unit };
  }
  const v = num(m[5]);
  return { low: v, high: v, unit: m[6] === '%' ? 'percent' : 'factor' };
}

/** A "Label: value" line of metadata. */
export function parseMetadataLine(line: string): { key: 'status' | 'date' | 'author'; value: string } | null {
  const m = /^\s*([\p{L}][\p{L}\p{N} ]{0,40}?)\s*:\s*(\S.*?)\s*$/u.exec(line);
  if (!m) return null;
  const label = m[1].toLowerCase().trim();
  const value = m[2];
  if (label === 'status' || label === 'plan status' || label === 'state') return { key: 'status', value };
  if (
    (label === 'date' ||
      label === 'created' ||
      label === 'last updated' ||
      label === 'updated' ||
      label === 'written' ||
      /\bon$/.test(label)) &&
    /\d/.test(value)
  ) {
    return { key: 'date', value };
  }
  if (
    label === 'author' ||
    label === 'authors' ||
    label === 'owner' ||
    label === 'by' ||
    label === 'prepared by'
  ) {
    return { key: 'author', value };
  }
  return null;
}

const PROFILE_EXT_ALWAYS =
  /(?:\.(?:folded|collapsed|cpuprofile|pb\.gz|pprof|perf-script|perf|callgrind|speedscope\.json|heapprofile)|(?:^|[\\/])callgrind\.out[\w.-]*|(?:^|[\\/])perf\.data[\w.-]*|(?:^|[\\/])dhat[\w.-]*\.json)$/i;
const PROFILE_EXT_LABELLED = /\.(?:svg|json|txt|pb|gz|data|html)$/i;
const PROFILE_LABEL = /profil|flame\s*-?\s*graph|\bperf\b|callgrind|speedscope|pprof|trace/i;

/**
 * Whether a path names a profile: unambiguous profile extensions anywhere
 * (.folded, .cpuprofile, .pb.gz, .perf, callgrind.out.*, …); .svg/.json/.txt/.pb/.gz/.data
 * only with a profile or flame graph label (`context`) or such a word in the path itself.
 */
export function isProfilePath(p: string, context: string): boolean {
  const t = p.trim();
  if (t.length === 0 || /\s/.test(t) || t.endsWith('/') || /^[a-z]+:\/\//i.test(t)) return false;
  if (PROFILE_EXT_ALWAYS.test(t)) return true;
  if (PROFILE_EXT_LABELLED.test(t)) return PROFILE_LABEL.test(context) || /profil|flame|perf/i.test(t);
  return false;
}
