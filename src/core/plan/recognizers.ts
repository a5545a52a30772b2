/**
 * The plan's vocabulary on plain strings: which headings are phases, which strings are
 * source paths (with `:Symbol` / `:line`), status marks, percentages and gain labels.
 * No Markdown here: the parser hands these functions text it took from the mdast tree.
 */
import path from 'node:path';
import type { PlanPhaseKind } from './types';

/** Phase kinds named by a leading word. */
const PHASE_WORDS: Record<string, PlanPhaseKind> = {
  phase: 'phase',
  week: 'week',
  priority: 'priority',
  stage: 'stage',
  step: 'step',
  milestone: 'milestone',
  change: 'change',
  day: 'day',
  sprint: 'sprint',
  iteration: 'iteration',
  part: 'part',
};

const NUMBER_TOKEN = String.raw`(\d+(?:\.\d+)*(?:\s*[-–—]\s*\d+)?\+?|[IVXivx]{1,5}|one|two|three|four|five|six|seven|eight|nine|ten|[A-Za-z]\d*)`;
const KEYWORD_RE = new RegExp(
  String.raw`^(${Object.keys(PHASE_WORDS).join('|')})(?![\p{L}\p{N}_])\s*#?\s*(?:${NUMBER_TOKEN}(?=$|[\s:.)\]/,(–—-]))?`,
  'iu',
);
const NUMBERED_RE = /^(\d+(?:\.\d+)*)(?:[.)]\s+|\.\d+\s+|\s+[-–—:]\s*)(?=\S)/;

/** Removes leading emoji, symbols, punctuation and spaces ("🚀 Phase 1" → "Phase 1"). */
export function stripLeadingSymbols(title: string): string {
  return title.replace(/^[^\p{L}\p{N}]+/u, '');
}

/**
 * Classifies a heading's plain text as a phase by its leading word ("Phase 1: …",
 * "Week 4+", "Day 1-2", "Sprint", "Milestone M2") or its leading number ("1. …", "2.3 …").
 * @returns kind and number as written, or null when the heading is not a phase
 */
export function classifyPhaseHeading(title: string): { kind: PlanPhaseKind; number: string | null } | null {
  const text = stripLeadingSymbols(title);
  const k = KEYWORD_RE.exec(text);
  if (k) {
    const number = k[2] ?? null;
    const rest = text.slice(k[0].length);
    // "Phase 1", "Week 2: …", "Sprint", "Stage: cleanup" are phases; "Step by step" is not.
    if (number !== null || rest.trim() === '' || /^\s*[:–—-]/.test(rest)) {
      return { kind: PHASE_WORDS[k[1].toLowerCase()], number };
    }
    return null;
  }
  const n = NUMBERED_RE.exec(text);
  if (n) return { kind: 'numbered', number: n[1] };
  return null;
}

/** Extensions of source files a plan may point at (lower case, without the dot). */
export const SOURCE_EXTENSIONS: ReadonlySet<string> = new Set(
  (
    'rs c h cc cpp cxx c++ hpp hh hxx inl ipp m mm go py pyi pyx pxd js mjs cjs ts mts cts tsx jsx java kt kts ' +
    'scala sc swift rb zig cs fs fsi vb php pl pm lua r jl dart ex exs erl hrl hs ml mli nim cr d f f90 f95 ' +
    'sql sh bash zsh proto cu cuh s asm vue svelte elm clj cljs groovy v sv vhd vhdl wgsl glsl hlsl metal ' +
    'sol ada adb ads pas cob cbl tcl'
  ).split(' '),
);

/** Bare names that look like files but name frameworks ("Node.js"). */
const NOT_FILES =
  /^(?:node|vue|next|nuxt|three|express|react|angular|ember|backbone|chart|socket\.io|deno|bun|p5|d3)\.js$/i;

/** A path with an optional symbol or line range, as written in a plan. */
export interface LocationRef {
  readonly path: string;
  readonly symbol: string | null;
  /** 1-based line in the target file, or null. */
  readonly line: number | null;
  /** 1-based last line (inclusive), equal to `line` for a single line, or null. */
  readonly endLine: number | null;
}

const PATH_RE = /^((?:[A-Za-z]:[\\/])?[\w@+\-.~/\\$]*?\.([A-Za-z0-9+]{1,8}))((?::|#L)\S*)?$/;
const DIR_RE = /^((?:[A-Za-z]:[\\/])?[\w@+\-.~/\\$]*\/[\w@+\-.~/\\$]*[\w@+\-~$])$/;

/**
 * Reads a path reference: `src/a.rs`, `src/a.rs:Type`, `src/a.rs::Type::method`,
 * `src/a.rs:42`, `src/a.rs:10-20`, `src/a.rs#L10-L20`.
 * @param raw the text of an inline code span or a list item's first word
 * @param loose accept any extension, and slash-separated paths without one
 *   (for "Files Modified" lists and "File:" labels)
 * @returns the reference, or null when `raw` is not a file path
 */
export function parseLocationRef(raw: string, loose: boolean): LocationRef | null {
  const s = raw.trim().replace(/^["'<]|["'>]$/g, '');
  if (s.length === 0 || s.length > 500 || s.includes('://')) return null;
  // a path that leaves the workspace (`../../etc/passwd`, `/etc/hosts`, `~/x/y`) is a
  // location whatever its extension, so that it is shown as outside and never opened unasked
  if (!loose && /^(?:\.\.[/\\]|[/\\]|~[/\\])[\w@+\-.~$]+[/\\][\w@+\-.~/\\$]*[\w~$]$/.test(s)) loose = true;
  const m = PATH_RE.exec(s);
  if (m) {
    const [, p, ext, rest] = m;
    if (!SOURCE_EXTENSIONS.has(ext.toLowerCase()) && !(loose && /^[A-Za-z][A-Za-z0-9]*$/.test(ext)))
      return null;
    if (!/^[\w@~/\\$]|^\.{1,2}[/\\]/.test(p) && !/^[A-Za-z]:/.test(p)) return null;
    if (!p.includes('/') && NOT_FILES.test(p)) return null;
    if (!rest) return { path: p, symbol: null, line: null, endLine: null };
    const lines = /^(?::|#L)(\d+)(?:\s*[-–]\s*L?(\d+))?(?::\d+)?$/.exec(rest);
    if (lines) {
      const line = Number(lines[1]);
      const endLine = lines[2] === undefined ? line : Number(lines[2]);
      if (line < 1 || endLine < line) return null;
      return { path: p, symbol: null, line, endLine };
    }
    const sym = /^::?([\p{L}_$~][\p{L}\p{N}_$~:.<>,&*[\]]*?)(?:\(\))?$/u.exec(rest);
    if (sym) return { path: p, symbol: sym[1], line: null, endLine: null };
    return null;
  }
  if (loose) {
    const d = DIR_RE.exec(s);
    if (d && !s.endsWith('/')) return { path: d[1], symbol: null, line: null, endLine: null };
  }
  return null;
}

/**
 * Whether a path leaves the workspace by its text alone: absolute (`/x`, `\x`, `C:\x`,
 * `~/x`) or, once normalized, starting with `..`.
 */
export function isOutsidePath(p: string): boolean {
  const s = p.replace(/\\/g, '/');
  if (s.startsWith('/') || s.startsWith('~') || /^[A-Za-z]:\//.test(s)) return true;
  const n = path.posix.normalize(s);
  return n === '..' || n.startsWith('../');
}

/** Status marks of list items that are tasks without a checkbox, and whether each means done. */
export const STATUS_MARKS: ReadonlyMap<string, boolean> = new Map([
  ['✅', true],
  ['✔️', true],
  ['✔', true],
  ['☑️', true],
  ['☑', true],
  ['❌', false],
  ['⏳', false],
  ['🚧', false],
  ['⬜', false],
  ['⬜️', false],
  ['☐', false],
  ['🔲', false],
]);

/**
 * Finds a status mark at the start or the end of an item's text ("✅ Done thing",
 * "Done thing ✅"); a mark in the middle ("Correctness: ✅ passes") does not count.
 * @returns the mark, whether it means done, and the text without it; or null
 */
export function readStatusMark(text: string): { mark: string; done: boolean; text: string } | null {
  const t = text.trim();
  for (const [mark, done] of STATUS_MARKS) {
    if (t.startsWith(mark))
      return {
        mark,
        done,
        text: t
          .slice(mark.length)
          .replace(/^[\s:–—-]+/, '')
          .trim(),
      };
    if (t.endsWith(mark))
      return {
        mark,
        done,
        text: t
          .slice(0, -mark.length)
          .replace(/[\s:–—-]+$/, '')
          .trim(),
      };
  }
  return null;
}

/** Words after a percentage that make it a change ("20% faster"), not a share of the profile. */
const CHANGE_WORDS =
  /^[\s*_)]*(?:faster|slower|improvement|improve|reduction|reduce|less|more|fewer|speed|gain|better|worse|increase|decrease|efficien|smaller|larger|lower|higher|boost|savings?|cheaper|throughput|latency|memory)/i;

/** A percentage read after a symbol: its value and how the text qualifies it. */
export interface PercentReading {
  readonly percent: number;
  readonly kind: 'self' | 'total' | 'unspecified';
  readonly approximate: boolean;
  readonly combined: boolean;
}

/**
 * Reads the share that follows a symbol in "`sym`: **~22.6% combined**", "`sym` (12% self)",
 * "`sym` cloning: 12.8%". The text between symbol and number must be short and hold no
 * other number; a percentage followed by "faster", "improvement", … is a change, not a share.
 * @param after the plain text after the symbol, up to the next code span or line end
 */
export function readPercentAfter(after: string): PercentReading | null {
  const m =
    /^([^%\d]{0,40}?)(~|≈|about |approx\.? |approximately |roughly |around |)\s*(\d+(?:\.\d+)?)\s*%(.{0,60})/i.exec(
      after,
    );
  if (!m) return null;
  const [, between, approx, num, rest] = m;
  if (/[+\-−–]\s*$/.test(between) || /[.!?]\s/.test(between)) return null;
  if (CHANGE_WORDS.test(rest)) return null;
  return {
    percent: Number(num),
    kind: kindOf(`${between} ${rest}`),
    approximate: approx !== '' || /~|≈/.test(between),
    combined: /\bcombined\b|\baltogether\b|\bin total\b/i.test(rest),
  };
}

/**
 * Reads the share written before a symbol: "22.6% of samples in `sym`".
 * @param before the plain text before the symbol, from the previous code span or line start
 */
export function readPercentBefore(before: string): PercentReading | null {
  const m =
    /(^|[^\d+\-−–.])(~|≈|)(\d+(?:\.\d+)?)\s*%\s*(?:\(?(self|total|inclusive|exclusive)\)?\s+)?(?:of\s+(?:the\s+)?(?:\w+\s+){0,2})?(?:is\s+|are\s+)?(?:spent\s+)?(?:in|inside|within|under|from|by)\s*$/i.exec(
      before,
    );
  if (!m) return null;
  return {
    percent: Number(m[3]),
    kind: kindOf(m[0]),
    approximate: m[2] !== '',
    combined: /\bcombined\b/i.test(m[0]),
  };
}

/** Self/total from words such as "self", "exclusive", "inclusive", "total" (not "of total time"). */
export function kindOf(text: string): 'self' | 'total' | 'unspecified' {
  if (/\b(?:self|exclusive)\b/i.test(text)) return 'self';
  if (/\b(?:inclusive|cumulative|incl|children)\b/i.test(text)) return 'total';
  if (/\btotal\b(?!\s+(?:time|runtime|execution|cpu|samples|run))/i.test(text)) return 'total';
  return 'unspecified';
}

/** Reads a percentage cell of a table ("22.6%", "**~8.5%**", "12 % (self)"), or null. */
export function readPercentCell(text: string): PercentReading | null {
  const m = /^[\s*_]*(~|≈|)\s*(\d+(?:\.\d+)?)\s*%(.*)$/.exec(text);
  if (!m || CHANGE_WORDS.test(m[3])) return null;
  return {
    percent: Number(m[2]),
    kind: kindOf(m[3]),
    approximate: m[1] !== '',
    combined: /\bcombined\b/i.test(m[3]),
  };
}

const GAIN_LABEL =
  /^(?:(expected|estimated|projected|potential|anticipated|target(?:ed)?)\s+)?((?:(?:additional|overall|total|performance|speed|throughput)\s+)*)(gains?|improvements?|impact|speed-?ups?|benefits?|results?|savings?)$/i;

/** Whether a label ("Expected gain", "Performance gain", "Expected Impact") introduces an expected gain. */
export function isGainLabel(label: string): boolean {
  const m = GAIN_LABEL.exec(label.trim());
  return m !== null && (m[1] !== undefined || m[2] !== '');
}

/**
 * Reads the numbers of a gain statement: a percentage range ("40-60%", "+6%", "-32%"
 * → absolute values) or a factor ("2x", "5-10x").
 */
export function readGainNumbers(text: string): {
  low: number | null;
  high: number | null;
  unit: 'percent' | 'factor' | null;
} {
  const pr = /[+\-−]?(\d+(?:\.\d+)?)\s*%?\s*(?:-|–|—|to)\s*[+\-−]?(\d+(?:\.\d+)?)\s*%/.exec(text);
  const p1 = /[+\-−]?(\d+(?:\.\d+)?)\s*%/.exec(text);
  const fr = /(\d+(?:\.\d+)?)\s*[x×]?\s*(?:-|–|—|to)\s*(\d+(?:\.\d+)?)\s*[x×](?![\p{L}\p{N}])/u.exec(text);
  const f1 = /(\d+(?:\.\d+)?)\s*[x×](?![\p{L}\p{N}])/u.exec(text);
  const pIndex = pr ? pr.index : p1 ? p1.index : Number.POSITIVE_INFINITY;
  const fIndex = fr ? fr.index : f1 ? f1.index : Number.POSITIVE_INFINITY;
  if (pIndex === Number.POSITIVE_INFINITY && fIndex === Number.POSITIVE_INFINITY) {
    return { low: null, high: null, unit: null };
  }
  if (pIndex <= fIndex) {
    if (pr && pr.index <= (p1?.index ?? pr.index)) return pair(Number(pr[1]), Number(pr[2]), 'percent');
    return pair(Number(p1![1]), Number(p1![1]), 'percent');
  }
  if (fr && fr.index <= (f1?.index ?? fr.index)) return pair(Number(fr[1]), Number(fr[2]), 'factor');
  return pair(Number(f1![1]), Number(f1![1]), 'factor');
}

function pair(a: number, b: number, unit: 'percent' | 'factor') {
  return { low: Math.min(a, b), high: Math.max(a, b), unit };
}

/** Labels whose value is the plan's status / date / author. */
export function metadataField(label: string): 'status' | 'date' | 'author' | null {
  const l = label.trim().toLowerCase();
  if (/^(?:plan |document )?status$/.test(l)) return 'status';
  if (/^(?:date|created(?: on)?|last updated|updated(?: on)?|written(?: on)?|generated\b.*\bon)$/.test(l))
    return 'date';
  if (/^(?:authors?|owners?|written by|prepared by)$/.test(l)) return 'author';
  return null;
}

/** Whether a heading or a "Files Modified:" paragraph introduces a list of files; `isNew` for created/new files. */
export function fileListLabel(label: string): { isNew: boolean } | null {
  const l = label
    .trim()
    .replace(/[:：]$/, '')
    .trim();
  if (
    /^(?:(?:new|created|added)\s+files?|files?\s+(?:created|added)|new\s+modules?|created|added)$/i.test(l) ||
    /^files?\s+to\s+(?:create|add)$/i.test(l)
  ) {
    return { isNew: true };
  }
  if (
    /^(?:files?\s+(?:modified|changed|touched|updated|affected|involved)|(?:modified|changed|affected)\s+files?|files?\s+to\s+(?:modify|change|touch|edit)|files?|modified|changed|implementation\s+locations?|locations?)$/i.test(
      l,
    )
  ) {
    return { isNew: false };
  }
  return null;
}

/** Words after a path that say the file is new: "(new)", "(new module)", "(new file)", "- new". */
export function saysNew(after: string): boolean {
  return /^\s*(?:[-–—:]\s*)?[([]?\s*[*_]{0,2}\s*(?:new|created|added)\b/i.test(after);
}

/** Extensions of profile files a plan may name. */
const PROFILE_FILE =
  /\.(?:svg|folded|collapsed|perf|data|cpuprofile|pb\.gz|pb|pprof|json|txt|prof|out|dhat|trace)$/i;
/** Profile file names that are profiles whatever label they are under. */
const CERTAIN_PROFILE =
  /(?:\.cpuprofile|\.folded|\.collapsed|\.pb\.gz|\.speedscope\.json|(?:^|\/)perf\.data|callgrind\.out(?:\.\d+)?|dhat-heap\.json)$/i;

/** Whether `p` names a profile file under a "Profile"/"Flamegraph" label (`certain` false) or anywhere. */
export function isProfilePath(p: string, underProfileLabel: boolean): boolean {
  if (p.includes(' ') || p.endsWith('/')) return false;
  return CERTAIN_PROFILE.test(p) || (underProfileLabel && PROFILE_FILE.test(p));
}

/** Whether a label or heading mentions profiles ("Flamegraph", "Profile", "Profiling data", "perf data"). */
export function isProfileLabel(label: string): boolean {
  return /profil|flame\s*-?\s*graph|\bperf\b|\btrace\b/i.test(label);
}
