/**
 * The section classifier: what a heading says about its section (role, status and
 * priority tags, label pattern) and which headings are phases. Works on plain strings
 * and on a small outline of the headings; the parser builds the outline from mdast.
 *
 * A heading becomes a phase by score, not by one keyword:
 * - a phase word in any supported language with a number ("Phase 1", "Фаза 2", "阶段 1",
 *   "第二阶段", "Fase 3", "Priorität 1") is a phase, as before;
 * - sibling headings that share a label pattern ("Branch A / Branch B", "M0 / M1",
 *   "Option 1 / Option 2", "P0 / P1") are phases when their section plans (role `plan`),
 *   or they hold actionable items, and not when they report (findings, results, context);
 * - numbered headings ("## 1. …") are phases only in a plan without worded phases, and
 *   never under a findings, results or context section ("What we learned" → "### 3. …").
 */
import {
  classifyPhaseHeading,
  type PhaseHeadingReading,
  readLabelPattern,
  STATUS_MARKS,
  statusWord,
} from './recognizers';
import type { PlanPhaseKind, PlanSectionRole, PlanStatus } from './types';

const ROLE_WORDS: readonly [PlanSectionRole, RegExp][] = [
  [
    'results',
    /\b(?:results?|measurements?|benchmarks?(?: results)?|experiments? already tried|already tried|tried and|what (?:was|we) tried|outcomes?|before\s*(?:\/|vs\.?|and)\s*after|changelog|history)\b|结果|测试结果|基准测试|实测|результаты|замеры|измерения|resultados|ergebnisse|résultats/iu,
  ],
  [
    'findings',
    /\b(?:findings?|what we (?:learned|found|know)|lessons?(?: learned)?|learnings|analysis|observations?|insights?|diagnosis|root causes?|bottlenecks?(?: identified)?|hot ?spots?|profil(?:e|ing)(?: data| results| summary)?|flame ?graphs?|breakdown|investigation)\b|发现|分析|瓶颈|热点|火焰图|结论|выводы|анализ|находки|узкие места|горячие точки|профил|hallazgos|análisis|erkenntnisse|analyse|constats/iu,
  ],
  [
    'risks',
    /\b(?:risks?|mitigations?|open (?:questions?|issues)|questions|concerns|caveats|trade-?offs?|non-goals?|(?:known )?(?:issues|bugs)|out of scope|do not do|rejected)\b|风险|问题|已知问题|риски|вопросы|проблемы|riesgos|risiken|risques/iu,
  ],
  [
    'plan',
    /\b(?:plan|planning|roadmap|milestones?|next(?: steps?| branch)?|to ?do|todo|action items?|work items?|tasks?|backlog|proposals?|proposed|recommendations?|recommended order|strategy|implementation(?: plan| steps| order)?|phases|steps|stages|experiments?|options|priorities|priority order|sequence|execution order|rollout|workstreams?|future (?:work|directions?|optimi[sz]ations?|opportunities|improvements))\b|计划|路线图|里程碑|下一步|实施|步骤|方案|优化建议|建议|待办|任务|阶段|未来方向|后续|改进方向|优化方向|план|дорожная карта|следующие шаги|этапы|задачи|приоритеты|реализац|рекомендации|внедрени|plan de|próximos pasos|hoja de ruta|nächste schritte|prochaines étapes|feuille de route/iu,
  ],
  [
    'context',
    /\b(?:goals?|objectives?|background|context|overview|summary|executive summary|introduction|motivation|problem(?: statement)?|current state|status|baseline|scope|assumptions|environment|setup|conclusion)\b|目标|背景|概述|总结|现状|基准|цель|цели|контекст|обзор|итоги|текущее состояние|objetivo|contexto|resumen|ziel|hintergrund|zusammenfassung|contexte|objectif|résumé/iu,
  ],
  [
    'reference',
    /\b(?:references?|appendix|resources|links|glossary|commands|usage|notes|how to (?:run|reproduce)|tools?)\b|参考|附录|工具|ссылки|приложение|команды|referencias|anhang|annexe/iu,
  ],
];

/**
 * The role of a section from its heading text (see `PlanSectionRole`): the first of
 * results, findings, risks, plan, context, reference whose words the title holds.
 * "Experiments already tried" is `results`; "Next branch experiments" is `plan`.
 */
export function sectionRole(title: string): PlanSectionRole {
  const t = title.toLowerCase();
  if (/\bnext\b|下一步|следующ/u.test(t) && !/\balready\b/.test(t)) return 'plan';
  for (const [role, re] of ROLE_WORDS) if (re.test(t)) return role;
  return 'other';
}

const PRIORITY_RE =
  /^(?:(?:priority|prio|impact|severity|приоритет|优先级|優先度)\s*[:：]?\s*)?(critical|highest|very high|high|medium|med|moderate|low|lowest|low[-/ ]medium|medium[-/ ]high|urgent|blocker|p[0-4]|最高|高|中等|中|低|высокий|средний|низкий|критический|alta|media|baja|hoch|mittel|niedrig|haute|moyenne|basse)\s*(?:priority|impact|prio|优先级|優先度|приоритет|prioridad|priorität|priorité)?$/iu;
/** Severity emoji read as a priority when a heading ends with them. */
const SEVERITY_EMOJI: ReadonlyMap<string, string> = new Map([
  ['🔴', 'high'],
  ['🟠', 'high'],
  ['🟡', 'medium'],
  ['🟢', 'low'],
]);

const EMOJI_RUN = /^(?:[\p{Extended_Pictographic}\p{So}]|\uFE0F|\u200D|\s)+/u;

/** The priority a tag names ("HIGH", "High Impact", "⚠️ 高优先级", "P0"), as written without emoji, or null. */
export function priorityTag(text: string): string | null {
  const t = text.replace(EMOJI_RUN, '').replace(/[*_`]/g, '').trim();
  if (t.length === 0 || t.length > 30) return null;
  return PRIORITY_RE.test(t) ? t : null;
}

/** A status a tag names ("✅ DONE", "🔄 ACTIVE", "PASSED ✅", "已完成"), or null. */
export function statusTag(text: string): PlanStatus | null {
  let t = text.replace(/[*_`]/g, '').trim();
  let mark: PlanStatus | null = null;
  for (const [m, st] of STATUS_MARKS) {
    if (t.startsWith(m)) {
      mark = st;
      t = t.slice(m.length).trim();
    }
    if (t.endsWith(m)) {
      mark = mark ?? st;
      t = t.slice(0, -m.length).trim();
    }
  }
  t = t.replace(EMOJI_RUN, '').trim();
  if (t === '') return mark;
  return statusWord(t) ?? (mark !== null && /^[\p{Lu}\s]+$/u.test(t) ? mark : null);
}

/** A heading's text split into its title and its status and priority tags. */
export interface HeadingTags {
  readonly title: string;
  readonly status: PlanStatus | null;
  readonly priority: string | null;
}

/**
 * Removes the status and priority tags of a heading and reads them: a leading or
 * trailing status mark ("✅ Phase 1", "Phase 1 ✅"), a trailing bracketed tag ("(PASSED ✅)",
 * "[HIGH]", "(High Impact)", "（中等优先级，2-3 天）" keeps the days), a trailing dash tag
 * ("- **HIGHEST IMPACT**", "— DONE"), a trailing capitalised word ("ACTIVE"), severity
 * emoji (🔴 🟡 🟢). Other emoji at the start are dropped as before.
 * @param text the heading's plain text (Markdown removed, whitespace collapsed)
 */
export function readHeadingTags(text: string): HeadingTags {
  let t = text.trim();
  let status: PlanStatus | null = null;
  let priority: string | null = null;
  const lead = EMOJI_RUN.exec(t);
  if (lead) {
    const st = statusTag(lead[0]);
    if (st) status = st;
    t = t.slice(lead[0].length);
  }
  for (let guard = 0; guard < 6; guard++) {
    const before = t;
    const emoji = /(?:\s|^)((?:[\p{Extended_Pictographic}\p{So}]|\uFE0F|\u200D)+)$/u.exec(t);
    if (emoji) {
      const e = emoji[1].replace(/\uFE0F/g, '');
      const sev = SEVERITY_EMOJI.get(e);
      const st = statusTag(emoji[1]);
      if (sev || st) {
        if (sev) priority = priority ?? sev;
        if (st) status = status ?? st;
        t = t.slice(0, emoji.index).trimEnd();
      }
    }
    const bracket = /\s*[([（【]([^()[\]（）【】]{1,60})[)\]）】]$/u.exec(t);
    if (bracket) {
      const parts = bracket[1].split(/[,，;；、]/).map((p) => p.trim());
      const tags = parts.map((p) => [statusTag(p), priorityTag(p)] as const);
      const first = tags[0];
      if (first[0] || first[1]) {
        status = status ?? first[0];
        priority = priority ?? first[1];
        if (tags.every(([a, b]) => a || b)) t = t.slice(0, bracket.index).trimEnd();
      }
    }
    const dash = /\s+[-–—|:：]\s*([^-–—|:：]{1,40})$/u.exec(t);
    if (dash) {
      const st = statusTag(dash[1]);
      const pr = st ? null : priorityTag(dash[1]);
      if (st || pr) {
        status = status ?? st;
        priority = priority ?? pr;
        t = t.slice(0, dash.index).trimEnd();
      }
    }
    // "⚠️ 高优先级", "🔥 HOT": an emoji and a tag word at the end.
    const flagged =
      /\s+((?:[\p{Extended_Pictographic}\p{So}]\uFE0F?\s*)+[^\s\p{Extended_Pictographic}]{1,12})$/u.exec(t);
    if (flagged) {
      const st = statusTag(flagged[1]);
      const pr = st ? null : priorityTag(flagged[1]);
      if (st || pr) {
        status = status ?? st;
        priority = priority ?? pr;
        t = t.slice(0, flagged.index).trimEnd();
      }
    }
    const caps = /\s+((?:[\p{Extended_Pictographic}\p{So}]\uFE0F?\s*)*[A-Z][A-Z ]{2,20}[A-Z])$/u.exec(t);
    if (caps && t.length > caps[0].length) {
      const st = statusTag(caps[1]);
      const pr = st ? null : priorityTag(caps[1]);
      if (st || pr) {
        status = status ?? st;
        priority = priority ?? pr;
        t = t.slice(0, caps.index).trimEnd();
      }
    }
    if (t === before) break;
  }
  t = t
    .replace(/[\s:：–—-]+$/u, '')
    .replace(/^(?:[\p{Extended_Pictographic}\p{So}\p{Sk}\s]|\uFE0F|\u200D)+/u, '');
  return { title: t === '' ? text.trim() : t, status, priority };
}

/** One heading of the outline the classifier works on. */
export interface OutlineHeading {
  /** The heading's title without tags. */
  readonly title: string;
  /** Heading depth 1–6. */
  readonly level: number;
  /** Index of the parent heading in the outline, or null. */
  readonly parent: number | null;
  /** Whether the section (with its subsections) holds actionable items. */
  readonly actionable: boolean;
  /** A bold paragraph standing for a heading: a phase only by its own words or labels shared with siblings. */
  readonly pseudo?: boolean;
}

/** What the classifier decides for one heading. */
export interface SectionClass {
  readonly role: PlanSectionRole;
  readonly phase: (PhaseHeadingReading & { readonly priority: string | null }) | null;
}

const LABEL_KINDS: Record<string, PlanPhaseKind> = {
  option: 'option',
  branch: 'branch',
  task: 'task',
  experiment: 'experiment',
  p: 'priority',
  m: 'milestone',
  s: 'step',
  w: 'week',
  phase: 'phase',
  stage: 'stage',
  step: 'step',
  track: 'label',
  variant: 'option',
  alternative: 'option',
  approach: 'option',
  вариант: 'option',
  опция: 'option',
  задача: 'task',
  эксперимент: 'experiment',
  opción: 'option',
  opção: 'option',
  variante: 'option',
  选项: 'option',
  選項: 'option',
  方案: 'option',
  方向: 'option',
  实验: 'experiment',
  實驗: 'experiment',
  案: 'option',
};

/** Roles under which numbered and label headings report rather than plan. */
const REPORTING: ReadonlySet<PlanSectionRole> = new Set([
  'findings',
  'results',
  'context',
  'risks',
  'reference',
]);

/**
 * Decides the role of every heading and which headings are phases (see the module comment).
 * @param outline the headings in document order; `titleHeading` the index of the plan's
 *   title heading (its only H1 when first), which is never a phase, or -1
 * @returns one entry per heading, in order
 */
export function classifySections(outline: readonly OutlineHeading[], titleHeading: number): SectionClass[] {
  const roles = outline.map((h) => sectionRole(h.title));
  const words = outline.map((h) => classifyPhaseHeading(h.title));
  const labels = outline.map((h) => readLabelPattern(h.title));
  // The nearest ancestor (parent first) whose role is not `other`.
  const ancestorRole = (i: number): PlanSectionRole => {
    for (let p = outline[i].parent; p !== null; p = outline[p].parent) {
      if (p === titleHeading) break;
      if (roles[p] !== 'other') return roles[p];
    }
    return 'other';
  };
  // Siblings (same parent and level) that share a label word, by group key.
  const groups = new Map<string, number[]>();
  const groupKey = (i: number) => `${outline[i].parent}\u0000${outline[i].level}\u0000${labels[i]?.word}`;
  outline.forEach((_, i) => {
    if (!labels[i]) return;
    const members = groups.get(groupKey(i));
    if (members) members.push(i);
    else groups.set(groupKey(i), [i]);
  });
  const labelGroup = (i: number): number[] => (labels[i] ? (groups.get(groupKey(i)) ?? []) : []);
  // A label group's score: shared by siblings, under a planning section, holding actionable
  // items; reporting sections (findings, results, context, risks) count against it.
  const labelGroupScore = (i: number): number => {
    const group = labelGroup(i);
    const up = ancestorRole(i);
    let score = 0;
    if (group.length >= 2) score += 2;
    if (up === 'plan') score += 2;
    if (group.some((j) => outline[j].actionable)) score += 1;
    if (REPORTING.has(up)) score -= 3;
    return score;
  };
  const worded = words.some((r, i) => r !== null && r.kind !== 'numbered' && i !== titleHeading);
  return outline.map((h, i): SectionClass => {
    const role = roles[i];
    if (i === titleHeading) return { role, phase: null };
    const up = ancestorRole(i);
    const w = words[i];
    if (w && w.kind !== 'numbered') {
      return {
        role,
        phase: { ...w, priority: w.kind === 'priority' ? `${w.label ?? ''} ${w.number ?? ''}`.trim() : null },
      };
    }
    const l = labels[i];
    if (l && labelGroupScore(i) >= 3) {
      const kind = LABEL_KINDS[l.word] ?? 'label';
      const label = l.written;
      return {
        role,
        phase: { kind, number: l.number, label, priority: kind === 'priority' ? `P${l.number}` : null },
      };
    }
    if (h.pseudo) return { role, phase: null };
    if (w && w.kind === 'numbered' && !REPORTING.has(up) && (!worded || up === 'plan')) {
      return { role, phase: { ...w, priority: null } };
    }
    return { role, phase: null };
  });
}

/** Verbs that start an actionable step, in the supported languages (lower case). */
const IMPERATIVE =
  /^(?:add|remove|replace|use|implement|create|move|cache|avoid|reduce|switch|introduce|rewrite|refactor|inline|batch|prototype|benchmark|measure|profile|try|make|change|fix|optimi[sz]e|split|merge|reuse|precompute|pre-?allocate|skip|drop|update|convert|port|parallelize|vectorize|hoist|memoize|intern|pool|preallocate|eliminate|defer|lazily|lower|raise|tune|enable|disable|extract|collapse|fuse|specialize|restructure|swap|store|keep|run|write|investigate|evaluate|compare|validate|verify|document|set up|setup|wire|expose|delete|rename|introduce|adopt|upgrade|downgrade|pin|bump|添加|增加|实现|使用|替换|优化|移除|删除|创建|引入|重构|缓存|减少|避免|合并|拆分|改为|改用|预分配|добавить|создать|реализовать|заменить|использовать|убрать|удалить|оптимизировать|перенести|вынести|кэшировать|уменьшить|избежать|переписать|исправить|añadir|agregar|crear|implementar|reemplazar|usar|eliminar|optimizar|adicionar|criar|substituir|hinzufügen|erstellen|ersetzen|entfernen|optimieren|ajouter|créer|remplacer|supprimer|optimiser)\b/iu;

/** Labels that introduce planned work ("Fix:", "Proposed changes:", "Files:", "优化建议:"). */
const ACTION_LABEL =
  /^(?:fix|proposed changes?|changes?|files?(?: to (?:modify|change|create))?|files modified|files created|hypothesis|action(?: items?)?|todo|implementation|plan|steps?|approach|solution|expected (?:gain|impact|improvement)|est(?:imated|\.)? gain|target|success criteria|how|what to do|优化建议|优化方案|实施|方案|修改|解决方案|预期收益|решение|задача|что сделать|изменения|ожидаемый (?:эффект|прирост)|solución|cambios|lösung|änderungen|solution proposée)\s*[:：]/iu;

/**
 * Whether a line of a section reads as planned work: an imperative first word ("Add …",
 * "Cache …", "添加 …", "Добавить …") or a label that introduces changes ("Fix:",
 * "Proposed changes:", "Files:", "优化建议：").
 * @param text plain text of a list item's first paragraph or a paragraph's first line
 */
export function isActionableText(text: string): boolean {
  const t = text.replace(/^[^\p{L}\p{N}]+/u, '').trim();
  return IMPERATIVE.test(t) || ACTION_LABEL.test(t);
}
