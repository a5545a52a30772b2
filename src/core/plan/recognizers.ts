/**
 * The plan's vocabulary on plain strings: which headings are phases, which strings are
 * source paths (with `:Symbol` / `:line`), status marks, percentages and gain labels.
 * No Markdown here: the parser hands these functions text it took from the mdast tree.
 */
import path from 'node:path';
import type { PlanLineRange, PlanPhaseKind, PlanStatus } from './types';

/**
 * Phase kinds named by a leading word, in the languages plans are written in: English,
 * Chinese, Japanese, Korean, Russian, Ukrainian, Spanish, Portuguese, Italian, German,
 * French, Dutch, Polish, Turkish. Lower case; a word may be followed by its number
 * ("Фаза 2", "Fase 2", "阶段 1", "Étape 3").
 */
const PHASE_WORDS: Record<string, PlanPhaseKind> = {
  phase: 'phase',
  фаза: 'phase',
  fase: 'phase',
  faza: 'phase',
  phasen: 'phase',
  阶段: 'phase',
  階段: 'phase',
  フェーズ: 'phase',
  단계: 'phase',
  week: 'week',
  неделя: 'week',
  тиждень: 'week',
  semana: 'week',
  settimana: 'week',
  woche: 'week',
  semaine: 'week',
  tydzień: 'week',
  hafta: 'week',
  周: 'week',
  週: 'week',
  priority: 'priority',
  приоритет: 'priority',
  пріоритет: 'priority',
  prioridad: 'priority',
  prioridade: 'priority',
  priorità: 'priority',
  priorität: 'priority',
  priorité: 'priority',
  priorytet: 'priority',
  öncelik: 'priority',
  优先级: 'priority',
  優先級: 'priority',
  優先度: 'priority',
  stage: 'stage',
  этап: 'stage',
  стадия: 'stage',
  етап: 'stage',
  etapa: 'stage',
  stufe: 'stage',
  aşama: 'stage',
  ステージ: 'stage',
  step: 'step',
  шаг: 'step',
  крок: 'step',
  paso: 'step',
  passo: 'step',
  schritt: 'step',
  étape: 'step',
  etape: 'step',
  stap: 'step',
  krok: 'step',
  adım: 'step',
  步骤: 'step',
  步驟: 'step',
  ステップ: 'step',
  milestone: 'milestone',
  веха: 'milestone',
  hito: 'milestone',
  marco: 'milestone',
  meilenstein: 'milestone',
  jalon: 'milestone',
  mijlpaal: 'milestone',
  里程碑: 'milestone',
  マイルストーン: 'milestone',
  change: 'change',
  day: 'day',
  день: 'day',
  día: 'day',
  jour: 'day',
  sprint: 'sprint',
  спринт: 'sprint',
  iteration: 'iteration',
  итерация: 'iteration',
  iteración: 'iteration',
  iteração: 'iteration',
  迭代: 'iteration',
  part: 'part',
  часть: 'part',
  parte: 'part',
  teil: 'part',
  partie: 'part',
};

/** Chinese/Japanese "第N阶段", "第一步", "第2周": an ordinal before the word. */
const CJK_ORDINAL_RE =
  /^第\s*([0-9０-９一二三四五六七八九十百]+)\s*(阶段|階段|步|周|週|期|部分|轮|輪|天|日)/u;
const CJK_KIND: Record<string, PlanPhaseKind> = {
  阶段: 'phase',
  階段: 'phase',
  步: 'step',
  周: 'week',
  週: 'week',
  期: 'phase',
  部分: 'part',
  轮: 'iteration',
  輪: 'iteration',
  天: 'day',
  日: 'day',
};

const NUMBER_TOKEN = String.raw`(\d+(?:\.\d+)*(?:\s*[-–—~～]\s*\d+)?\+?|[IVXivx]{1,5}|[一二三四五六七八九十]{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|[A-Za-z]\d*)`;
const PHASE_WORD_ALTERNATION = Object.keys(PHASE_WORDS)
  .sort((a, b) => b.length - a.length)
  .join('|');
const KEYWORD_RE = new RegExp(
  String.raw`^(${PHASE_WORD_ALTERNATION})(?![\p{L}\p{N}_])\s*(?:#|№|N°|nº)?\s*(?:${NUMBER_TOKEN}(?=$|[\s:：.。)）\]/,，(（–—-]))?`,
  'iu',
);
/** CJK words need no space or boundary before the number ("阶段1", "フェーズ2"). */
const CJK_KEYWORD_RE = new RegExp(
  String.raw`^(阶段|階段|フェーズ|단계|步骤|步驟|ステップ|里程碑|マイルストーン|优先级|優先級|優先度|迭代|ステージ)\s*(?:${NUMBER_TOKEN})?`,
  'u',
);
const NUMBERED_RE = /^(\d+(?:\.\d+)*)(?:[.)]\s+|\.\d+\s+|\s+[-–—:]\s*|[、．]\s*)(?=\S)/;
/** "P0", "P1 —", "M2:", "A1." — a letter code with a number, a label sibling headings share. */
const CODE_LABEL_RE = /^([A-Z])(\d{1,2})(?:\.\d+)?(?=$|[\s:：.)\]–—-])/;
/**
 * "Branch A:", "Option 2 —", "Task B:", "Experiment 3.", "Track II": a capitalised word
 * and a number or a capital letter, the label pattern of sibling steps.
 */
const WORD_LABEL_RE = /^(\p{Lu}[\p{L}-]{1,24})\s+(\d{1,3}|[A-Z]|[IVX]{1,5})(?=$|\s*[:：.)\]–—-]|\s+[-–—]\s)/u;

/** Chinese and Japanese labels without letter case: "选项 A", "方案二", "方向 1", "案A". */
const CJK_LABEL_RE =
  /^(选项|選項|方案|方向|实验|實驗|案)\s*([A-Za-z0-9一二三四五六七八九十]{1,3})(?=$|[\s:：.。、)）\]–—-])/u;

/** Removes leading emoji, symbols, punctuation and spaces ("🚀 Phase 1" → "Phase 1"). */
export function stripLeadingSymbols(title: string): string {
  return title.replace(/^[^\p{L}\p{N}]+/u, '');
}

/** A phase heading's kind, number and the label word as written. */
export interface PhaseHeadingReading {
  readonly kind: PlanPhaseKind;
  /** The number or letter after the word, as written, or null. */
  readonly number: string | null;
  /** The label word as written ("Phase", "Фаза", "阶段", "Branch", "M"), or null for `## 1. …`. */
  readonly label: string | null;
}

/**
 * Classifies a heading's plain text as a phase by its leading word ("Phase 1: …",
 * "Week 4+", "Day 1-2", "Sprint", "Milestone M2", "Фаза 2", "Fase 3", "阶段 1",
 * "第二阶段", "Priorität 1") or its leading number ("1. …", "2.3 …").
 * @returns kind, number and label as written, or null when the heading is not a phase
 */
export function classifyPhaseHeading(title: string): PhaseHeadingReading | null {
  const text = stripLeadingSymbols(title);
  const cjk = CJK_ORDINAL_RE.exec(text);
  if (cjk) return { kind: CJK_KIND[cjk[2]] ?? 'phase', number: cjk[1], label: cjk[2] };
  const k = KEYWORD_RE.exec(text) ?? CJK_KEYWORD_RE.exec(text);
  if (k) {
    const number = k[2] ?? null;
    const rest = text.slice(k[0].length);
    // "Phase 1", "Week 2: …", "Sprint", "Stage: cleanup" are phases; "Step by step" is not.
    // "Phase-Based Estimation" is a compound word, not a phase.
    if (/^-\p{L}/u.test(rest)) return null;
    if (number !== null || rest.trim() === '' || /^\s*[:：–—-]/.test(rest)) {
      return { kind: PHASE_WORDS[k[1].toLowerCase()] ?? PHASE_WORDS[k[1]] ?? 'phase', number, label: k[1] };
    }
    return null;
  }
  const n = NUMBERED_RE.exec(text);
  if (n) return { kind: 'numbered', number: n[1], label: null };
  return null;
}

/**
 * Reads the label pattern of a heading that sibling headings may share: a letter code
 * ("P0 — …", "M1:", "A2. …"), a capitalised word with a number or letter ("Branch A",
 * "Option 2", "Task B", "Stage III", "Вариант 2", "Opción B"), or a Chinese label
 * ("选项 A", "方案二"). `word` is lower-cased for comparing siblings, `written` as written. The word is returned lower-cased, for comparing
 * siblings; the number as written.
 * @returns the pattern, or null when the heading does not start with one
 */
export function readLabelPattern(
  title: string,
): { word: string; written: string; number: string; code: boolean } | null {
  const text = stripLeadingSymbols(title);
  const cjk = CJK_LABEL_RE.exec(text);
  if (cjk) return { word: cjk[1], written: cjk[1], number: cjk[2], code: false };
  const c = CODE_LABEL_RE.exec(text);
  if (c) return { word: c[1].toLowerCase(), written: c[1], number: c[2], code: true };
  const w = WORD_LABEL_RE.exec(text);
  if (w) return { word: w[1].toLowerCase(), written: w[1], number: w[2], code: false };
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

/** A line or a range of lines in a target file (see `PlanLineRange`). */
export type LineRange = PlanLineRange;

/** A path with an optional symbol or line ranges, as written in a plan. */
export interface LocationRef {
  readonly path: string;
  readonly symbol: string | null;
  /** 1-based line in the target file (the first range's), or null. */
  readonly line: number | null;
  /** 1-based last line (inclusive) of the first range, equal to `line` for a single line, or null. */
  readonly endLine: number | null;
  /** Every range written: `a.c:812/640/455` → three, `view.ts:40-44, 90-93` → two; empty without lines. */
  readonly lines?: readonly LineRange[];
}

/**
 * Reads a list of lines and ranges: "40-44, 90-93", "812/640/455", "L10-L20", "733".
 * @returns the ranges in the order written, or null when the text is not such a list
 *   (or a range runs backwards, or a line is 0)
 */
export function parseLineList(text: string): LineRange[] | null {
  const t = text.trim();
  if (!/^L?\d+(?:\s*[-–]\s*L?\d+)?(?:\s*[,/;]\s*(?:and\s+)?L?\d+(?:\s*[-–]\s*L?\d+)?)*$/.test(t)) return null;
  const out: LineRange[] = [];
  for (const part of t.split(/\s*[,/;]\s*(?:and\s+)?/)) {
    const m = /^L?(\d+)(?:\s*[-–]\s*L?(\d+))?$/.exec(part)!;
    const line = Number(m[1]);
    const endLine = m[2] === undefined ? line : Number(m[2]);
    if (line < 1 || endLine < line) return null;
    out.push({ line, endLine });
  }
  return out;
}

const PATH_RE = /^((?:[A-Za-z]:[\\/])?[\w@+\-.~/\\$]*?\.([A-Za-z0-9+]{1,8}))((?::|#L).*)?$/;
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
    // Loosely (file lists), any extension in one case: `BUILD.bazel`, `x.yaml`; not `ckv.incrBy`.
    if (
      !SOURCE_EXTENSIONS.has(ext.toLowerCase()) &&
      !(loose && /^(?:[a-z][a-z0-9]*|[A-Z][A-Z0-9]*)$/.test(ext))
    )
      return null;
    if (!/^[\w@~/\\$]|^\.{1,2}[/\\]/.test(p) && !/^[A-Za-z]:/.test(p)) return null;
    if (!p.includes('/') && NOT_FILES.test(p)) return null;
    if (!rest) return { path: p, symbol: null, line: null, endLine: null };
    // ":12", ":12-40", "#L10-L20", ":12:5" (a column), ":40-44, 90-93", ":812/640/455"
    const lines = /^(?::|#L)(\d+)(?:\s*[-–]\s*L?(\d+))?(?::\d+)?$/.exec(rest);
    if (lines) {
      const line = Number(lines[1]);
      const endLine = lines[2] === undefined ? line : Number(lines[2]);
      if (line < 1 || endLine < line) return null;
      return { path: p, symbol: null, line, endLine, lines: [{ line, endLine }] };
    }
    const list = /^(?::|#)(.*)$/.exec(rest);
    const ranges = list ? parseLineList(list[1]) : null;
    if (ranges)
      return { path: p, symbol: null, line: ranges[0].line, endLine: ranges[0].endLine, lines: ranges };
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

/** Status marks (emoji and symbols) of list items that are tasks without a checkbox, and the state each means. */
export const STATUS_MARKS: ReadonlyMap<string, PlanStatus> = new Map<string, PlanStatus>([
  ['✅', 'done'],
  ['✔️', 'done'],
  ['✔', 'done'],
  ['☑️', 'done'],
  ['☑', 'done'],
  ['🔄', 'in-progress'],
  ['🚧', 'in-progress'],
  ['❌', 'blocked'],
  ['🛑', 'blocked'],
  ['⛔', 'blocked'],
  ['⏳', 'open'],
  ['⌛', 'open'],
  ['⬜', 'open'],
  ['⬜️', 'open'],
  ['☐', 'open'],
  ['🔲', 'open'],
]);

/**
 * Status words, in capitals or in brackets, at the start or the end of an item or a
 * heading: DONE, COMPLETE(D), FIXED, MERGED, SHIPPED; WIP, IN PROGRESS, ACTIVE, ONGOING;
 * TODO, TBI, TBD, PLANNED, PENDING, NOT STARTED, NEXT; BLOCKED, FAILED; DROPPED,
 * REJECTED, SKIPPED; and their Chinese and Russian forms (已完成, 进行中, 待办, 完成;
 * готово, выполнено, в работе, в процессе).
 */
const STATUS_WORDS: readonly [RegExp, PlanStatus][] = [
  [
    /^(?:done|complete|completed|fixed|merged|shipped|passed|implemented|finished|已完成|完成|已实现|已修复|готово|выполнено|сделано|завершено|hecho|completado|erledigt|terminé)$/iu,
    'done',
  ],
  [
    /^(?:wip|in[ -]progress|active|ongoing|started|进行中|开发中|в работе|в процессе|en curso|en cours)$/iu,
    'in-progress',
  ],
  [
    /^(?:todo|to ?do|tbi|tbd|planned|pending|not started|next|up next|open|proposed|待办|待实现|未开始|未完成|计划中|не начато|запланировано|pendiente)$/iu,
    'open',
  ],
  [/^(?:blocked|failed|阻塞|заблокировано)$/iu, 'blocked'],
  [/^(?:dropped|rejected|skipped|abandoned|won't do|wontfix|cancelled|canceled|放弃|отменено)$/iu, 'dropped'],
];

/** The state a status word means ("DONE", "wip", "已完成"), or null. */
export function statusWord(word: string): PlanStatus | null {
  const w = word.trim();
  for (const [re, status] of STATUS_WORDS) if (re.test(w)) return status;
  return null;
}

/** A status read from an item's text: the mark or word as written, its state, and the text without it. */
export interface StatusReading {
  readonly mark: string;
  readonly status: PlanStatus;
  /** Whether the state is `done`. */
  readonly done: boolean;
  readonly text: string;
}

const BRACKET_WORD = /^[[(（【]\s*([^\])）】]{1,20}?)\s*[\])）】]/u;
const TRAILING_BRACKET_WORD = /[[(（【]\s*([^[\](（）【】]{1,20}?)\s*[\])）】]$/u;

/**
 * Finds a status mark or word at the start or the end of an item's text ("✅ Done thing",
 * "Done thing ✅", "[WIP] Port the trie", "Cache the parser (TBI)", "DONE: add tracing");
 * a mark in the middle ("Correctness: ✅ passes") does not count. A leading mark and a
 * trailing word may both be present ("✅ Add tracing (DONE)"): the mark decides.
 * @returns the mark, its state and the text without marks; or null
 */
export function readStatusMark(text: string): StatusReading | null {
  let t = text.trim();
  let found: { mark: string; status: PlanStatus } | null = null;
  const take = (mark: string, status: PlanStatus, rest: string): void => {
    if (!found) found = { mark, status };
    t = rest.trim();
  };
  for (const [mark, status] of STATUS_MARKS) {
    if (t.startsWith(mark)) {
      take(mark, status, t.slice(mark.length).replace(/^[\s:：–—-]+/, ''));
      break;
    }
  }
  const lead = BRACKET_WORD.exec(t);
  if (lead) {
    const st = statusWord(lead[1]);
    if (st) take(lead[0], st, t.slice(lead[0].length).replace(/^[\s:：–—-]+/, ''));
  } else {
    const word = /^([A-Z][A-Z' -]{1,14}[A-Z])\s*[:：–—-]\s+/.exec(t);
    const st = word ? statusWord(word[1]) : null;
    if (word && st) take(word[1], st, t.slice(word[0].length));
  }
  for (const [mark, status] of STATUS_MARKS) {
    if (t.endsWith(mark)) {
      take(mark, status, t.slice(0, -mark.length).replace(/[\s:：–—-]+$/, ''));
      break;
    }
  }
  const trail = TRAILING_BRACKET_WORD.exec(t);
  if (trail) {
    const st = statusWord(trail[1]);
    if (st) take(trail[0], st, t.slice(0, trail.index).replace(/[\s:：–—-]+$/, ''));
  } else {
    const word = /[\s–—-]\s*([A-Z][A-Z' -]{1,14}[A-Z])$/.exec(t);
    const st = word ? statusWord(word[1]) : null;
    if (word && st) take(word[1], st, t.slice(0, word.index).replace(/[\s:：–—-]+$/, ''));
  }
  if (!found) return null;
  const f = found as { mark: string; status: PlanStatus };
  return { mark: f.mark, status: f.status, done: f.status === 'done', text: t };
}

/** Words after a percentage that make it a change ("20% faster"), not a share of the profile. */
const CHANGE_WORDS =
  /^[\s*_)]*(?:faster|slower|improvement|improve|reduction|reduce|less|more|fewer|speed|gain|better|worse|increase|decrease|efficien|smaller|larger|lower|higher|boost|savings?|cheaper|throughput|latency|memory)/i;

/** A percentage read after a symbol: its value and how the text qualifies it. */
export interface PercentReading {
  /** The percentage, or the low end of a range ("12–13%" → 12). */
  readonly percent: number;
  /** The high end of a range ("12–13%" → 13), or null for a single number. */
  readonly percentHigh: number | null;
  readonly kind: 'self' | 'total' | 'unspecified';
  readonly approximate: boolean;
  readonly combined: boolean;
}

/** Words that say a number is approximate: "~", "≈", "about", "约", "около", "cerca de", "etwa", "environ". */
const APPROX = String.raw`~|≈|about |approx\.? |approximately |roughly |around |nearly |almost |约\s*|大约\s*|近\s*|около |примерно |почти |cerca de |aproximadamente |etwa |ungefähr |environ |`;
/** A percentage or a percentage range: "22.6%", "12-13%", "12–13 %", "12% – 13%", "12〜13%". */
const PERCENT = String.raw`(\d+(?:\.\d+)?)\s*%?(?:\s*[-–—~～〜]\s*|\s+to\s+)(\d+(?:\.\d+)?)\s*[%％]|(\d+(?:\.\d+)?)\s*[%％]`;

function percentOf(m: RegExpExecArray, at: number): { percent: number; percentHigh: number | null } {
  if (m[at] !== undefined) {
    const a = Number(m[at]);
    const b = Number(m[at + 1]);
    return a < b ? { percent: a, percentHigh: b } : { percent: b, percentHigh: a };
  }
  return { percent: Number(m[at + 2]), percentHigh: null };
}

/**
 * Words around a percentage that make it a setting, a limit or a goal, not a share of the
 * profile: "threshold", "limit", "budget", "target", "at most", "above", "<", "≤",
 * "阈值", "порог".
 */
const SETTING_WORDS =
  /\b(?:threshold|limit|budget|target|goal|cap|ceiling|floor|max(?:imum)?|min(?:imum)?|at most|at least|no more than|above|below|exceeds?|under|over|fraction|ratio|rate|probability|chance|set to|defaults? to|configured)\b|[<>≤≥]|阈值|上限|下限|目标|порог|лимит|цель/iu;

/**
 * Reads the share that follows a symbol in "`sym`: **~22.6% combined**", "`sym` (12% self)",
 * "`sym` cloning: 12.8%", "`sym` ~12-13%", "`sym` takes ~70% of the frame", "`sym` 约 12–13%".
 * The text between symbol and number must be short and hold no other number; a
 * percentage followed by "faster", "improvement", … is a change, and one next to
 * "threshold", "limit", "target", "<" … is a setting: neither is a share.
 * @param after the plain text after the symbol, up to the next code span or line end
 */
export function readPercentAfter(after: string): PercentReading | null {
  const m = new RegExp(String.raw`^([^%\d]{0,40}?)(${APPROX})\s*(?:${PERCENT})(.{0,60})`, 'iu').exec(after);
  if (!m) return null;
  const between = m[1];
  const approx = m[2];
  const rest = m[6];
  if (/[+\-−–]\s*$/.test(between) || /[.!?]\s/.test(between)) return null;
  if (CHANGE_WORDS.test(rest) || SETTING_WORDS.test(between)) return null;
  // "**24.2%** total, **6.6%** self": the kind is the word right after this number.
  const own = rest.split(/[,;]|\d/)[0];
  return {
    ...percentOf(m, 3),
    kind: kindOf(`${between} ${own}`),
    approximate: approx !== '' || /~|≈/.test(between),
    combined: /\bcombined\b|\baltogether\b|\bin total\b|合计|вместе/iu.test(rest),
  };
}

/**
 * Reads a second share after the first one, with its own kind: in
 * "`f`: **24.2%** total, **6.6%** self" the "6.6% self".
 * @param after the same text `readPercentAfter` read the first share from
 */
export function readSecondPercent(after: string): PercentReading | null {
  const m = new RegExp(
    String.raw`^[^%]{0,60}?%[^,;%\d]{0,30}[,;]\s*(?:and\s+)?(${APPROX})\s*(?:${PERCENT})[\s*_]*(self|exclusive|flat|total|inclusive|cumulative|cum)\b`,
    'iu',
  ).exec(after);
  if (!m) return null;
  const kind = kindOf(m[5]);
  return { ...percentOf(m, 2), kind, approximate: m[1] !== '', combined: false };
}

/**
 * Reads the share written before a symbol: "22.6% of samples in `sym`".
 * @param before the plain text before the symbol, from the previous code span or line start
 */
export function readPercentBefore(before: string): PercentReading | null {
  const m = new RegExp(
    String.raw`(^|[^\d+\-−–.])(${APPROX})(?:${PERCENT})\s*(?:\(?(self|total|inclusive|exclusive)\)?\s+)?(?:of\s+(?:the\s+)?(?:\w+\s+){0,2})?(?:is\s+|are\s+)?(?:spent\s+)?(?:in|inside|within|under|from|by)\s*$`,
    'iu',
  ).exec(before);
  if (!m) return null;
  if (SETTING_WORDS.test(before.slice(0, m.index + m[1].length))) return null;
  return {
    ...percentOf(m, 3),
    kind: kindOf(m[0]),
    approximate: m[2] !== '',
    combined: /\bcombined\b/i.test(m[0]),
  };
}

/**
 * Self/total from words such as "self", "exclusive", "flat", "自身" ("self"), "inclusive",
 * "cumulative", "cum", "total" (not "of total time"), "累计", "总", "суммарно", "включая".
 * pprof's flat column is self time, its cum column total time.
 */
export function kindOf(text: string): 'self' | 'total' | 'unspecified' {
  if (/\b(?:self|exclusive|flat%?|own)\b|自身|独占|自己|собственн|чист/iu.test(text)) return 'self';
  if (
    /\b(?:inclusive|cumulative|cum%?|incl|children)\b|累计|累积|总计|总耗时|含子|включ|накоплен|суммарн|кумулятив/iu.test(
      text,
    )
  )
    return 'total';
  if (/\btotal\b(?!\s+(?:time|runtime|execution|cpu|samples|run))/i.test(text)) return 'total';
  return 'unspecified';
}

/** Reads a percentage cell of a table ("22.6%", "**~8.5%**", "12 % (self)", "12–13%", "5.35% + 3.16%" summed), or null. */
export function readPercentCell(text: string): PercentReading | null {
  const m = new RegExp(String.raw`^[\s*_]*(${APPROX})\s*(?:${PERCENT})(.*)$`, 'iu').exec(text);
  if (!m || CHANGE_WORDS.test(m[5])) return null;
  let { percent, percentHigh } = percentOf(m, 2);
  let rest = m[5];
  // "5.35% + 3.16%": the parts of one symbol's share, added up.
  if (percentHigh === null) {
    for (
      let plus = /^\s*\+\s*(\d+(?:\.\d+)?)\s*%/.exec(rest);
      plus;
      plus = /^\s*\+\s*(\d+(?:\.\d+)?)\s*%/.exec(rest)
    ) {
      percent = Math.round((percent + Number(plus[1])) * 1000) / 1000;
      rest = rest.slice(plus[0].length);
    }
  }
  return {
    percent,
    percentHigh,
    kind: kindOf(rest),
    approximate: m[1] !== '',
    combined: /\bcombined\b/i.test(rest),
  };
}

/** Whether a symbol names a setting (`RETRY_FRACTION`, `max_batch=64`, `c=8`, `--jobs`), not code that runs; generics (`Vec<T>`) are code. */
export function isSettingSymbol(symbol: string): boolean {
  return (
    /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(symbol) ||
    /^[\w.-]+\s*[=<>]=?\s*[\w.-]*$/.test(symbol) ||
    /^-{1,2}[\w-]+$/.test(symbol)
  );
}

/**
 * Module and library claims in prose: "libfoo.so (35.50% CPU usage)", "kuzu_shared.dll CPU
 * usage from 43.7%", "libc.so.6: 12%".
 * @returns each module with its reading, in text order
 */
export function readModuleClaims(text: string): { module: string; reading: PercentReading }[] {
  const out: { module: string; reading: PercentReading }[] = [];
  const re = /(?<![\w./-])([A-Za-z_][\w+-]*(?:\.[\w+-]+)*\.(?:so(?:\.\d+)*|dll|dylib))(?![\w.])/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const reading = readPercentAfter(
      text
        .slice(m.index + m[0].length)
        .replace(/^[\s(:：—–-]*(?:cpu usage|cpu|usage|share)?\s*(?:from|of|at|=)?\s*/i, ''),
    );
    if (reading) out.push({ module: m[1], reading });
  }
  return out;
}

const GAIN_LABEL =
  /^(?:(expected|estimated|est\.?|projected|potential|anticipated|target(?:ed)?|predicted|likely)\s+)?((?:(?:additional|overall|total|performance|perf|speed|throughput|latency|cpu|wall[- ]time)\s+)*)(gains?|improvements?|impact|speed-?ups?|benefits?|results?|savings?|wins?|reduction)$/i;
/** Gain labels in Chinese, Russian, Spanish, Portuguese, German and French. */
const LOCALIZED_GAIN_LABEL =
  /^(?:预期|预计|预估|期望)?(?:总)?(?:收益|提升|性能提升|效果|加速)$|^(?:ожидаемый|ожидаемое|оценочный|планируемый)?\s*(?:прирост|эффект|выигрыш|ускорение|улучшение)$|^(?:ganancia|mejora|ganho|melhoria)(?:\s+(?:esperada|estimada|esperado|estimado))?$|^(?:erwarteter?|geschätzter?)\s+(?:gewinn|verbesserung|speedup)$|^(?:gain|amélioration)\s+(?:attendue?|estimée?)$/iu;

/**
 * Whether a label introduces an expected gain: "Expected gain", "Est. gain", "Performance
 * gain", "Expected Impact", "预期收益", "Ожидаемый прирост", "Ganancia esperada"; and
 * "Target" / "Goal" when `value` holds a percentage or a factor ("Target: 40-50% speedup").
 * @param value the text after the label, when known
 */
export function isGainLabel(label: string, value = ''): boolean {
  const l = label.trim().replace(/[*_]/g, '');
  const m = GAIN_LABEL.exec(l);
  if (m !== null && (m[1] !== undefined || m[2] !== '')) return true;
  if (LOCALIZED_GAIN_LABEL.test(l)) return true;
  return (
    /^(?:target|goal|目标|цель|objetivo|ziel|objectif)$/iu.test(l) &&
    /\d\s*(?:%|[x×](?![\p{L}\p{N}]))/u.test(value)
  );
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
  // "(new)", "(new file)", "(created)", "- new", "— **new**"; but "`a.rs`: added a method" changes a file.
  return (
    /^\s*[([]\s*[*_]{0,2}\s*(?:new|created|added)\b/i.test(after) ||
    /^\s*(?:[-–—:]\s*)?[*_]{0,2}\s*new\b/i.test(after)
  );
}

/**
 * Words before a path, in its sentence, that make the file new: "create `x`", "add a new
 * file `x`", "new module `x`", "promote it into a committed script `tools/x.sh`",
 * "创建", "新建", "создать", "новый файл". "added a method to `a.rs`" is a change, not new.
 * @param before the text of the sentence before the path
 */
export function saysNewBefore(before: string): boolean {
  const t = before.slice(Math.max(0, before.search(/[^.!?;。；]*$/)));
  return /\b(?:create|creating|created|new (?:file|module|script|crate|package|class|test)s?|add(?:s|ing|ed)? (?:a |an )?new|introduce (?:a |an )?new|promot(?:e|ed|ing)\b[^`]{0,40}\binto\b[^`]{0,30}|scaffold|generate)\b[^`]{0,30}$|(?:创建|新建|新增)(?:一个)?(?:新)?(?:文件|模块|脚本)?\s*$|新(?:文件|模块)\s*$|(?:создать|создаём|новый файл|новый модуль)\s*$/iu.test(
    t,
  );
}

/** Scratch and temporary locations: `/tmp/…`, `/var/tmp/…`, `$TMPDIR/…`, `%TEMP%\…`, `C:\Temp\…`. */
export function isScratchPath(p: string): boolean {
  return /^(?:\/(?:private\/)?(?:var\/)?tmp\/|\$\{?TMPDIR\}?[/\\]|%TE?MP%[/\\]|[A-Za-z]:[/\\](?:Windows[/\\])?Temp[/\\])/i.test(
    p,
  );
}

/** Scripts a plan runs (by extension or by directory: `scripts/`, `tools/`, `bench/`, `hack/`, `ci/`). */
export function isScriptPath(p: string): boolean {
  return (
    /\.(?:sh|bash|zsh|ps1|bat|cmd|py|pl|rb)$/i.test(p) ||
    /(?:^|\/)(?:scripts?|tools|bench|benches|hack|ci)\//i.test(p)
  );
}

/** Tests by directory or name: `tests/…`, `test/…`, `spec/…`, `__tests__/…`, `*_test.go`, `test_*.py`, `*.test.ts`, `*_spec.rb`. */
export function isTestPath(p: string): boolean {
  return (
    /(?:^|\/)(?:tests?|spec|specs|__tests__|testdata)\//i.test(p) ||
    /(?:^|\/)(?:test_[^/]+|[^/]+_test\.\w+|[^/]+\.(?:test|spec)\.\w+|[^/]+_spec\.\w+)$/i.test(p)
  );
}

/**
 * Words before a path, in its sentence, that say the plan only runs it: "run `x`",
 * "using `x`", "re-run `x` afterwards", "执行", "запустить".
 * @param before the text of the sentence before the path
 */
export function saysRun(before: string): boolean {
  const t = before.slice(Math.max(0, before.search(/[^.!?;。；]*$/)));
  return /\b(?:run|runs|running|re-?run|execute|executing|invoke|invoking|using|use|via|with|launch|call|then)\b(?:\s+(?:the|our|a|it|again|once))*\s*(?:\w+\s+)?$|(?:运行|执行|跑)\s*$|(?:запустить|запуск|выполнить)\s*$/iu.test(
    t,
  );
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
