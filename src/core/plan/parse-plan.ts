import type { Heading, List, ListItem, Nodes, Paragraph, PhrasingContent, RootContent, Table } from 'mdast';
import { linkTextPath, WorkspaceFileIndex } from './locations';
import { lineOfOffset, type MarkdownSource, parseMarkdownSource } from './markdown-source';
import {
  classifyPhaseHeading,
  fileListLabel,
  isGainLabel,
  isOutsidePath,
  isProfileLabel,
  isProfilePath,
  isScratchPath,
  isScriptPath,
  isSettingSymbol,
  isTestPath,
  kindOf,
  type LocationRef,
  metadataField,
  type PercentReading,
  parseLineList,
  parseLocationRef,
  readGainNumbers,
  readLabelPattern,
  readModuleClaims,
  readPercentAfter,
  readPercentBefore,
  readPercentCell,
  readSecondPercent,
  readStatusMark,
  type StatusReading,
  saysNew,
  saysNewBefore,
  saysRun,
} from './recognizers';
import { classifySections, isActionableText, readHeadingTags } from './sections';
import type {
  ParsePlanOptions,
  Plan,
  PlanClaim,
  PlanGain,
  PlanItem,
  PlanLineRange,
  PlanLocation,
  PlanPhase,
  PlanPhaseInfo,
  PlanRange,
  PlanSection,
  PlanStatus,
  PlanTask,
} from './types';

/**
 * Parses a Markdown optimization plan (GFM, https://github.github.com/gfm/) into its
 * sections and phases, tasks, steps, implementation locations and references, hotspot
 * claims, expected gains and metadata. See `types.ts` for the shapes and the offset/line
 * conventions, and `docs/plan-format.md` for what is recognized.
 *
 * Two passes: the section classifier (`sections.ts`) gives every heading (and every bold
 * pseudo-heading such as `**Priority 2: …**`) a role, a label pattern, status/priority
 * tags and whether it holds actionable items, and decides by score which are phases;
 * then the extractors read tasks, locations, claims and gains block by block. A plan's
 * only H1, when it is the first heading, is its title, not a phase.
 *
 * @param text the whole plan as read (BOM, CRLF or CR line ends, tabs, trailing spaces allowed)
 * @param options `file`: the plan's file name (title fallback, recorded in `Plan.file`);
 *   `workspaceFiles`: the workspace's files (workspace-relative), to resolve written paths
 * @returns the plan; never throws for a string input
 */
export function parsePlan(text: string, options: ParsePlanOptions = {}): Plan {
  const source = parseMarkdownSource(typeof text === 'string' ? text : String(text));
  const workspace = options.workspaceFiles ? new WorkspaceFileIndex(options.workspaceFiles) : null;
  return new PlanReader(source, options.file ?? null, workspace).read();
}

/** One run of inline content on one line of a paragraph, heading or table cell. */
type Segment =
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'code'; readonly value: string; readonly start: number; readonly end: number }
  | {
      readonly kind: 'link';
      readonly url: string;
      readonly text: string;
      readonly start: number;
      readonly end: number;
    };

interface InlineLine {
  /** 1-based plan line. */
  readonly line: number;
  readonly segments: Segment[];
}

/** Where a block sits: the enclosing task and list-item depth, and list kinds set by a preceding label. */
interface Context {
  readonly taskId: number | null;
  readonly taskDepth: number;
  readonly itemDepth: number;
  readonly fileList: { isNew: boolean } | null;
  readonly gainList: boolean;
}

/** What a paragraph tells the list right after it. */
interface Lead {
  readonly fileList: { isNew: boolean } | null;
  readonly gainList: boolean;
}

/** A heading, or a bold paragraph that may stand for one, while sections are read. */
interface HeadingEntry {
  /** Offset of its first character. */
  readonly start: number;
  /** Heading depth; a pseudo-heading is one deeper than the heading above it. */
  readonly depth: number;
  /** Plain text (the bold part, or the whole first line of a label paragraph). */
  readonly text: string;
  readonly pseudo: boolean;
  /** Whether its own blocks (up to the next entry) hold actionable items. */
  actionable: boolean;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type TaskDraft = Mutable<Omit<PlanTask, 'children'>> & { children: TaskDraft[] };

const MAX_BLOCK_DEPTH = 400;

class PlanReader {
  private readonly text: string;
  private readonly lineStarts: readonly number[];
  private sections: Mutable<PlanSection>[] = [];
  private sectionStarts: number[] = [];
  private readonly tasks: TaskDraft[] = [];
  private readonly items: PlanItem[] = [];
  private readonly locations: Mutable<PlanLocation>[] = [];
  private readonly locationKeys = new Map<string, number>();
  private readonly claims: PlanClaim[] = [];
  private readonly claimKeys = new Set<string>();
  private readonly gains: PlanGain[] = [];
  private readonly profilePaths: string[] = [];
  private status: string | null = null;
  private date: string | null = null;
  private author: string | null = null;

  constructor(
    private readonly source: MarkdownSource,
    private readonly file: string | null,
    private readonly workspace: WorkspaceFileIndex | null,
  ) {
    this.text = source.text;
    this.lineStarts = source.lineStarts;
  }

  read(): Plan {
    this.readSections();
    const root: Context = { taskId: null, taskDepth: 0, itemDepth: 0, fileList: null, gainList: false };
    this.visitBlocks(this.source.root.children, root, 0);
    return this.finish();
  }

  // ── sections and phases ────────────────────────────────────────────────────

  private readSections(): void {
    // Pass 1: headings and bold pseudo-headings ("**Priority 2: …**", "**P0** — …") in
    // document order; a block's actionable items count for the heading above it.
    let entries = this.collectHeadings();
    let classes = this.classify(entries);
    // Pass 2: a pseudo-heading stays only when it reads as a phase; its content falls
    // back to the heading above it.
    if (entries.some((e, i) => e.pseudo && classes[i].phase === null)) {
      const kept: HeadingEntry[] = [];
      entries.forEach((e, i) => {
        if (!e.pseudo || classes[i].phase !== null) kept.push(e);
        else if (e.actionable && kept.length > 0) kept[kept.length - 1].actionable = true;
      });
      entries = kept;
      classes = this.classify(entries);
    }
    entries.forEach((h, i) => {
      let end = this.text.length;
      for (let j = i + 1; j < entries.length; j++) {
        if (entries[j].depth <= h.depth) {
          end = entries[j].start;
          break;
        }
      }
      const { parentId, tags, actionable } = classes[i];
      const c = classes[i].phase;
      const phase: PlanPhaseInfo | null = c ? { kind: c.kind, number: c.number, label: c.label } : null;
      const phaseId = phase ? i : parentId === null ? null : this.sections[parentId].phaseId;
      this.sections.push({
        id: i,
        title: tags.title,
        level: h.depth,
        line: this.lineAt(h.start),
        range: this.range(h.start, end),
        parentId,
        childIds: [],
        phase,
        phaseId,
        role: classes[i].role,
        actionable,
        status: tags.status,
        priority: tags.priority ?? c?.priority ?? null,
        pseudo: h.pseudo,
      });
      if (parentId !== null) (this.sections[parentId].childIds as number[]).push(i);
      this.sectionStarts.push(h.start);
    });
  }

  /** Headings and pseudo-heading candidates in document order, each with whether its own blocks are actionable. */
  private collectHeadings(): HeadingEntry[] {
    const entries: HeadingEntry[] = [];
    const top = new Set<Nodes>(this.source.root.children);
    const stack: Nodes[] = [...this.source.root.children].reverse();
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.type === 'heading') {
        const text = collapse(plainText(node));
        entries.push({
          start: this.offset(node.position?.start),
          depth: node.depth,
          text,
          pseudo: false,
          actionable: false,
        });
        continue;
      }
      if (node.type === 'paragraph' && top.has(node) && entries.length > 0) {
        const text = pseudoHeadingText(node);
        if (text !== null) {
          let depth = 7;
          for (let k = entries.length - 1; k >= 0; k--) {
            if (!entries[k].pseudo) {
              depth = Math.min(6, entries[k].depth + 1);
              break;
            }
          }
          entries.push({
            start: this.offset(node.position?.start),
            depth,
            text,
            pseudo: true,
            actionable: false,
          });
          continue;
        }
      }
      const last = entries[entries.length - 1];
      if (last && !last.actionable && this.blockIsActionable(node)) last.actionable = true;
      if ('children' in node && node.type !== 'paragraph' && node.type !== 'table') {
        for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as Nodes);
      }
    }
    return entries;
  }

  /** Parents, tags, roll-up of actionable, role and phase of every entry (see `sections.ts`). */
  private classify(entries: readonly HeadingEntry[]) {
    const tags = entries.map((e) => readHeadingTags(e.text));
    const h1 = entries.filter((e) => e.depth === 1 && !e.pseudo);
    const titleHeading = h1.length === 1 && entries[0] === h1[0] ? 0 : -1;
    const parents: (number | null)[] = [];
    const open: number[] = [];
    entries.forEach((e, i) => {
      while (open.length > 0 && entries[open[open.length - 1]].depth >= e.depth) open.pop();
      parents.push(open.length > 0 ? open[open.length - 1] : null);
      open.push(i);
    });
    const actionable = entries.map((e) => e.actionable);
    for (let i = entries.length - 1; i >= 0; i--) {
      const p = parents[i];
      if (p !== null && actionable[i]) actionable[p] = true;
    }
    const classes = classifySections(
      tags.map((t, i) => ({
        title: t.title,
        level: entries[i].depth,
        parent: parents[i],
        actionable: actionable[i],
        pseudo: entries[i].pseudo,
      })),
      titleHeading,
    );
    return classes.map((c, i) => ({ ...c, parentId: parents[i], tags: tags[i], actionable: actionable[i] }));
  }

  /** Whether a block (list item, paragraph) reads as planned work: a task, an imperative step, a change label. */
  private blockIsActionable(node: Nodes): boolean {
    if (node.type === 'listItem') {
      if (typeof node.checked === 'boolean') return true;
      const first = node.children[0];
      return first?.type === 'paragraph' && isActionableText(plainText(first).split(/\r?\n|\r/)[0] ?? '');
    }
    if (node.type === 'paragraph') return isActionableText(plainText(node).split(/\r?\n|\r/)[0] ?? '');
    return false;
  }

  /** Innermost section containing `offset`: the last heading that starts at or before it. */
  private sectionAt(offset: number): number | null {
    let lo = 0;
    let hi = this.sectionStarts.length - 1;
    let found: number | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.sectionStarts[mid] <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  private where(offset: number): {
    sectionId: number | null;
    section: string | null;
    phaseId: number | null;
  } {
    const sectionId = this.sectionAt(offset);
    const s = sectionId === null ? null : this.sections[sectionId];
    return { sectionId, section: s?.title ?? null, phaseId: s?.phaseId ?? null };
  }

  // ── blocks ─────────────────────────────────────────────────────────────────

  private visitBlocks(nodes: readonly RootContent[], ctx: Context, depth: number): void {
    if (depth > MAX_BLOCK_DEPTH) return;
    let lead: Lead = { fileList: null, gainList: false };
    for (const node of nodes) {
      const next: Lead = { fileList: null, gainList: false };
      switch (node.type) {
        case 'heading': {
          const lines = this.inlineLines(node);
          this.readInline(lines, ctx, false);
          // "第一阶段（预期总收益：15-20%）", "Phase 2 (Est. gain: 2x)": a gain in the heading.
          const g = /[(（]\s*([^:：()（）]{1,30}?)\s*[:：]\s*([^()（）]{1,60})[)）]/u.exec(
            lines.map(lineText).join(' '),
          );
          if (g && isGainLabel(g[1], g[2]))
            this.addGain(g[2], lines[0].line, this.offset(node.position?.start));
          break;
        }
        case 'paragraph':
          Object.assign(next, this.readInline(this.inlineLines(node), ctx, true));
          break;
        case 'list':
          this.visitList(node, { ...ctx, fileList: lead.fileList, gainList: lead.gainList }, depth);
          break;
        case 'code':
          this.readCodeBlock(node.position?.start, node.position?.end, ctx, node.lang ?? null);
          break;
        case 'table':
          this.readTable(node, ctx);
          break;
        case 'blockquote':
        case 'footnoteDefinition':
          this.visitBlocks(node.children, ctx, depth + 1);
          break;
        default:
          break;
      }
      lead = next;
    }
  }

  private visitList(list: List, ctx: Context, depth: number): void {
    let fileList = ctx.fileList;
    if (fileList === null) {
      const s = this.sectionAt(this.offset(list.position?.start));
      if (s !== null) fileList = fileListLabel(this.sections[s].title);
    }
    // An ordered list whose steps mostly carry status marks: the unmarked steps are open tasks.
    let marked = 0;
    if (list.ordered === true && list.children.length >= 2) {
      for (const item of list.children)
        if (typeof item.checked === 'boolean' || this.itemStatus(item)) marked++;
    }
    const openSteps = marked >= 2 && marked * 2 >= list.children.length;
    for (const item of list.children)
      this.visitItem(item, list.ordered === true, { ...ctx, fileList }, depth + 1, openSteps);
  }

  /** The status of a list item from a mark or word in its first paragraph, or from strikethrough over all of it. */
  private itemStatus(item: ListItem): StatusReading | null {
    const first = item.children[0]?.type === 'paragraph' ? (item.children[0] as Paragraph) : null;
    if (!first) return null;
    const text = collapse(plainText(first));
    const read = readStatusMark(text);
    if (read) return read;
    // "~~Add tracing~~" or "~~Add tracing~~ (done in #12)": struck through, so done.
    const struck = first.children.find((c) => !(c.type === 'text' && c.value.trim() === ''));
    if (struck?.type === 'delete') {
      const rest = first.children
        .filter((c) => c.type !== 'delete')
        .map((c) => plainText(c))
        .join('');
      if (rest.trim() === '' || /^\s*[-–—:(（]/.test(rest))
        return { mark: '~~', status: 'done', done: true, text };
    }
    return null;
  }

  private visitItem(item: ListItem, ordered: boolean, ctx: Context, depth: number, openSteps = false): void {
    const start = this.offset(item.position?.start);
    const first = item.children[0]?.type === 'paragraph' ? (item.children[0] as Paragraph) : null;
    const lines = first ? this.inlineLines(first) : [];
    const text = collapse(lines.map((l) => lineText(l)).join(' '));
    const line = this.lineAt(start);
    const where = this.where(start);
    let taskId: number | null = null;
    const range = this.range(start, this.offset(item.position?.end));
    if (typeof item.checked === 'boolean') {
      taskId = this.addTask({
        text,
        done: item.checked,
        line,
        range,
        checkbox: this.findCheckbox(start, first ? this.offset(first.position?.start) : range.end),
        statusMark: null,
        status: item.checked ? 'done' : 'open',
        ctx,
        ...where,
      });
    } else {
      const status = this.itemStatus(item);
      if (status || openSteps) {
        taskId = this.addTask({
          text: status?.text ?? text,
          done: status?.done ?? false,
          line,
          range,
          checkbox: null,
          statusMark: status?.mark ?? null,
          status: status?.status ?? 'open',
          ctx,
          ...where,
        });
      } else if (where.phaseId !== null) {
        this.items.push({ id: this.items.length, text, line, ordered, depth: ctx.itemDepth, ...where });
      }
    }
    if (ctx.gainList && text !== '') this.addGain(text, line, start);
    const inner: Context = {
      taskId: taskId ?? ctx.taskId,
      taskDepth: taskId === null ? ctx.taskDepth : ctx.taskDepth + 1,
      itemDepth: ctx.itemDepth + 1,
      fileList: null,
      gainList: false,
    };
    let lead: Lead = { fileList: null, gainList: false };
    if (first) lead = this.readInline(lines, { ...inner, fileList: ctx.fileList }, true);
    const rest = first ? item.children.slice(1) : item.children;
    if (rest.length > 0) {
      // A label paragraph ("Files Modified:") at the head of the item leads its nested list.
      const firstRest = rest[0];
      if (firstRest.type === 'list') {
        this.visitList(firstRest, { ...inner, fileList: lead.fileList, gainList: lead.gainList }, depth);
        this.visitBlocks(rest.slice(1), inner, depth);
      } else this.visitBlocks(rest, inner, depth);
    }
  }

  private addTask(t: {
    text: string;
    done: boolean;
    line: number;
    range: PlanRange;
    checkbox: PlanTask['checkbox'];
    statusMark: string | null;
    status: PlanStatus;
    ctx: Context;
    sectionId: number | null;
    section: string | null;
    phaseId: number | null;
  }): number {
    const id = this.tasks.length;
    const draft: TaskDraft = {
      id,
      text: t.text,
      done: t.done,
      line: t.line,
      range: t.range,
      checkbox: t.checkbox,
      statusMark: t.statusMark,
      status: t.status,
      parentId: t.ctx.taskId,
      children: [],
      sectionId: t.sectionId,
      section: t.section,
      phaseId: t.phaseId,
    };
    this.tasks.push(draft);
    if (t.ctx.taskId !== null) this.tasks[t.ctx.taskId].children.push(draft);
    return id;
  }

  /** Finds `[ ]`/`[x]` after the list marker of the item starting at `itemStart`. */
  private findCheckbox(itemStart: number, contentStart: number): PlanTask['checkbox'] {
    const marker = /(?:[-*+]|\d{1,9}[.)])[ \t]+\[[ xX]\]/y;
    marker.lastIndex = itemStart;
    let at = -1;
    const m = marker.exec(this.text);
    if (m) at = itemStart + m[0].length - 3;
    else {
      const slice = this.text.slice(itemStart, Math.max(itemStart, contentStart));
      const k = slice.search(/\[[ xX]\](?![\s\S]*\[[ xX]\])/);
      if (k >= 0) at = itemStart + k;
    }
    if (at < 0) return null;
    const line = this.lineAt(at);
    return { start: at, end: at + 3, line, column: at - this.lineStarts[line - 1] };
  }

  /**
   * Reads a table's inline content, and its claims: the symbol column (a header such as
   * "Function", "Symbol", "函数", "Функция", or cells holding one code span) against every
   * percentage column, the kind from the column header ("Self %", "flat%", "cum%",
   * "累计耗时") or from the symbol cell ("`parse` (total)"). Running sums (pprof "sum%"),
   * changes and targets ("Δ", "Gap", "Target") are not shares.
   */
  private readTable(table: Table, ctx: Context): void {
    const rows = table.children.map((row) => row.children.map((cell) => this.inlineLines(cell)[0]));
    const headers = (rows[0] ?? []).map((cell) => (cell ? collapse(lineText(cell)) : ''));
    const symbolHeader = headers.findIndex((h) => SYMBOL_HEADER.test(h));
    rows.forEach((cells, r) => {
      for (const cell of cells) if (cell) this.readInline([cell], ctx, false);
      if (r === 0) return;
      let symbolAt = cells.findIndex((c) => c !== undefined && cellSymbol(c, false) !== null);
      if (symbolHeader >= 0 && cells[symbolHeader] && cellSymbol(cells[symbolHeader], true))
        symbolAt = symbolHeader;
      if (symbolAt < 0) return;
      const read = cellSymbol(cells[symbolAt], symbolAt === symbolHeader)!;
      cells.forEach((c, i) => {
        if (i === symbolAt || !c) return;
        const header = headers[i] ?? '';
        if (NOT_A_SHARE_HEADER.test(header)) return;
        const reading = readPercentCell(lineText(c));
        if (!reading) return;
        const headerKind = kindOf(header);
        const kind = read.kind ?? (headerKind === 'unspecified' ? reading.kind : headerKind);
        this.addClaim([read.symbol], { ...reading, kind }, c.line);
      });
    });
  }

  /** Claims in profiler output pasted into a code block: pprof `top` and `perf report` tables. */
  private readProfilerOutput(from: number, to: number): void {
    let format: 'pprof' | 'perf' | 'perf-children' | null = null;
    for (let line = from; line <= to; line++) {
      const content = this.lineContent(line);
      if (/^\s*flat\s+flat%\s+sum%\s+cum\s+cum%\s*$/.test(content)) {
        format = 'pprof';
        continue;
      }
      if (/^\s*#?\s*Children\s+Self\s+Command/i.test(content)) {
        format = 'perf-children';
        continue;
      }
      if (/^\s*#?\s*Overhead\s+(?:Command|Shared Object|Symbol)/i.test(content)) {
        format = 'perf';
        continue;
      }
      if (format === null) {
        // A hand-made summary of a flame graph: "PathDB::get_trie_node     6.31% CPU  ← note".
        const m = SUMMARY_LINE.exec(content);
        if (m && Number(m[3]) > 0) {
          const reading = profilerReading(Number(m[3]), 'self');
          const kind = kindOf(m[4] ?? '');
          this.addClaim([m[1]], { ...reading, kind, approximate: m[2] !== undefined }, line);
        }
      } else if (format === 'pprof') {
        const m = /^\s*-?[\d.]+\w*\s+([\d.]+)%\s+[\d.]+%\s+-?[\d.]+\w*\s+([\d.]+)%\s+(.+?)\s*$/.exec(content);
        if (!m) continue;
        const symbol = m[3].replace(/\s+\(inline\)$/, '');
        this.addClaim([symbol], profilerReading(Number(m[1]), 'self'), line);
        this.addClaim([symbol], profilerReading(Number(m[2]), 'total'), line);
      } else if (format === 'perf' || format === 'perf-children') {
        const m = /^\s*([\d.]+)%\s+(?:([\d.]+)%\s+)?.*?\[[.kgu]\]\s+(.+?)\s*$/.exec(content);
        if (!m) continue;
        if (format === 'perf-children' && m[2] !== undefined) {
          this.addClaim([m[3]], profilerReading(Number(m[1]), 'total'), line);
          this.addClaim([m[3]], profilerReading(Number(m[2]), 'self'), line);
        } else this.addClaim([m[3]], profilerReading(Number(m[1]), 'self'), line);
      }
    }
  }

  /** Line `line` (1-based) without its line end. */
  private lineContent(line: number): string {
    const s = this.lineStarts[line - 1];
    const e = line < this.lineStarts.length ? this.lineStarts[line] : this.text.length;
    return this.text.slice(s, e).replace(/[\r\n]+$/, '');
  }

  private readCodeBlock(
    start: { offset?: number } | undefined,
    end: { offset?: number } | undefined,
    ctx: Context,
    lang: string | null,
  ) {
    const from = this.lineAt(this.offset(start));
    const to = this.lineAt(Math.max(this.offset(start), this.offset(end) - 1));
    // Profiler output is pasted into blocks without a language or as text/console output.
    if (lang === null || /^(?:text|txt|plain|plaintext|console|output|log|perf|pprof|none)$/i.test(lang))
      this.readProfilerOutput(from, to);
    for (let line = from; line <= to; line++) {
      const s = this.lineStarts[line - 1];
      const e = line < this.lineStarts.length ? this.lineStarts[line] : this.text.length;
      const content = this.text.slice(s, e).replace(/[\r\n]+$/, '');
      const m =
        /^\s*(?:\/\/+|#+|--|;+|\/\*+|<!--|%+|\*)\s*(?:file|path|filename|source)\s*[:=]\s*[`"']?([^\s`"']+)[`"']?(.*)$/i.exec(
          content,
        ) ?? /^\+\+\+ [ab]\/(\S+)()/.exec(content);
      if (!m) continue;
      const ref = parseLocationRef(m[1], true);
      if (ref) this.addLocation(ref, line, s, e, saysNew(m[2]), 'code-comment', ctx);
    }
  }

  // ── inline content ─────────────────────────────────────────────────────────

  private inlineLines(
    node: Paragraph | Heading | { children: PhrasingContent[]; position?: Nodes['position'] },
  ) {
    const lines: InlineLine[] = [{ line: this.lineAt(this.offset(node.position?.start)), segments: [] }];
    const push = (nodes: readonly PhrasingContent[], depth: number): void => {
      if (depth > MAX_BLOCK_DEPTH) return;
      for (const n of nodes) {
        switch (n.type) {
          case 'text': {
            const parts = n.value.split(/\r\n|\r|\n/);
            const startLine = n.position?.start.line ?? lines[lines.length - 1].line;
            parts.forEach((part, i) => {
              if (i > 0) lines.push({ line: startLine + i, segments: [] });
              if (part !== '') lines[lines.length - 1].segments.push({ kind: 'text', value: part });
            });
            break;
          }
          case 'break':
            lines.push({
              line: (n.position?.end.line ?? lines[lines.length - 1].line + 1) as number,
              segments: [],
            });
            break;
          case 'inlineCode':
            lines[lines.length - 1].segments.push({
              kind: 'code',
              value: n.value,
              start: this.offset(n.position?.start),
              end: this.offset(n.position?.end),
            });
            break;
          case 'link':
            lines[lines.length - 1].segments.push({
              kind: 'link',
              url: n.url,
              text: collapse(plainText(n)),
              start: this.offset(n.position?.start),
              end: this.offset(n.position?.end),
            });
            push(n.children, depth + 1);
            break;
          case 'html':
            lines[lines.length - 1].segments.push({ kind: 'text', value: n.value });
            break;
          case 'image':
            if (n.alt) lines[lines.length - 1].segments.push({ kind: 'text', value: n.alt });
            break;
          case 'emphasis':
          case 'strong':
          case 'delete':
          case 'linkReference':
            push(n.children, depth + 1);
            break;
          default:
            break;
        }
      }
    };
    push(node.children, 0);
    return lines;
  }

  /**
   * Reads one block's inline lines: metadata and label lines (when `labels`), locations,
   * profile paths, claims. Returns what the block tells a list right after it.
   */
  private readInline(lines: readonly InlineLine[], ctx: Context, labels: boolean): Lead {
    const lead: { fileList: { isNew: boolean } | null; gainList: boolean } = {
      fileList: null,
      gainList: false,
    };
    // The last file named in this block, for "`fn_name:5120`" after it.
    let lastFile: string | null = null;
    for (const l of lines) {
      const text = lineText(l);
      let fileLabel = false;
      let profileLabel = false;
      if (labels) {
        const m = /^\s*([^:：]{1,60}?)\s*[:：]\s*(.*)$/.exec(text);
        if (m) {
          const [, label, rawValue] = m;
          const value = rawValue.trim();
          const field = metadataField(label);
          if (field && value !== '' && this[field] === null) this[field] = value;
          if (isGainLabel(label, value)) {
            if (value !== '') this.addGain(value, l.line, this.lineStarts[l.line - 1]);
            else lead.gainList = true;
          }
          const files = fileListLabel(label);
          if (files && value === '') lead.fileList = files;
          fileLabel = /^(?:file|path|source file|location)s?$/i.test(label.trim());
          profileLabel = isProfileLabel(label);
          if (fileLabel && !l.segments.some((s) => s.kind === 'code')) {
            const ref = parseLocationRef(value.split(/\s+/)[0] ?? '', true);
            if (ref)
              this.addLocationAtLine(ref, l.line, saysNew(value.slice(ref.path.length)), 'file-label', ctx);
          }
          if (profileLabel && !l.segments.some((s) => s.kind === 'code')) {
            for (const token of value.split(/\s+/)) if (isProfilePath(token, true)) this.addProfile(token);
          }
        }
      }
      const loose = ctx.fileList !== null || fileLabel;
      const source = ctx.fileList !== null ? 'file-list' : fileLabel ? 'file-label' : 'inline';
      const codeLocations = new Set<number>();
      l.segments.forEach((seg, i) => {
        if (seg.kind === 'code') {
          if (isProfilePath(seg.value.trim(), profileLabel || this.inProfileSection(seg.start))) {
            this.addProfile(seg.value.trim());
            codeLocations.add(i);
            return;
          }
          const ref = parseLocationRef(seg.value, loose);
          if (ref) {
            const after = textBetween(l.segments, i + 1, l.segments.length);
            const before = textBetween(l.segments, 0, i);
            const isNew = (ctx.fileList?.isNew ?? false) || saysNew(after) || saysNewBefore(before);
            // "`draw.c` (:733)", "`a.rs` (lines 10-20)": lines written after the path.
            const trailing =
              /^\s*[(（]\s*(?::|lines?\s+|L(?=\d)|строк[аи]?\s+|第\s*)([\dL,;/\s–-]+?)\s*行?\s*[)）]/.exec(
                after,
              );
            const extra = trailing ? parseLineList(trailing[1]) : null;
            const lines = [...(ref.lines ?? []), ...(extra ?? [])];
            const full: LocationRef =
              lines.length > 0 ? { ...ref, line: lines[0].line, endLine: lines[0].endLine, lines } : ref;
            // A script or a test the sentence only runs is a reference, not a change.
            const runs = !isNew && saysRun(before) && (isScriptPath(ref.path) || isTestPath(ref.path));
            this.addLocation(full, l.line, seg.start, seg.end, isNew, source, ctx, runs);
            codeLocations.add(i);
            lastFile = ref.path;
          } else if (lastFile !== null) {
            // "`fn_name:5120`" after a named file: a symbol and its lines in that file.
            const m = /^([\p{L}_$][\p{L}\p{N}_$:.<>]*?)\s*:\s*(L?\d[\dL\s,/–-]*)$/u.exec(seg.value.trim());
            const lines = m ? parseLineList(m[2]) : null;
            if (m && lines) {
              const symbolRef: LocationRef = {
                path: lastFile,
                symbol: m[1],
                line: lines[0].line,
                endLine: lines[0].endLine,
                lines,
              };
              this.addLocation(symbolRef, l.line, seg.start, seg.end, false, source, ctx);
              codeLocations.add(i);
            }
          }
        } else if (seg.kind === 'link') {
          const url = seg.url.replace(/^\.\//, '');
          // "[src/a/b.rs](/Users/me/dev/proj/src/a/b.rs)": the text names the workspace file.
          const named = linkTextPath(seg.text, url);
          const ref = named
            ? parseLocationRef(seg.text.trim().replace(/^`|`$/g, ''), true)
            : /^[a-z][a-z0-9+.-]*:|^#/i.test(url)
              ? null
              : parseLocationRef(url, false);
          if (ref) {
            this.addLocation(
              ref,
              l.line,
              seg.start,
              seg.end,
              false,
              'inline',
              ctx,
              false,
              named ? url : undefined,
              !named,
            );
            lastFile = ref.path;
          }
        }
      });
      if (ctx.fileList !== null && codeLocations.size === 0) {
        const word = text.trim().split(/\s+/)[0] ?? '';
        const ref = parseLocationRef(word.replace(/[*_]/g, ''), true);
        if (ref) {
          this.addLocationAtLine(
            ref,
            l.line,
            ctx.fileList.isNew || saysNew(text.trim().slice(word.length)),
            'file-list',
            ctx,
          );
        }
      }
      this.readClaims(l, codeLocations);
    }
    return lead;
  }

  private readClaims(l: InlineLine, skip: ReadonlySet<number>): void {
    const segs = l.segments;
    let previousCode = -1;
    const unclaimed: number[] = [];
    segs.forEach((seg, i) => {
      if (seg.kind !== 'code') return;
      if (skip.has(i) || !/\p{L}/u.test(seg.value) || seg.value.length > 300 || isSettingSymbol(seg.value)) {
        previousCode = i;
        unclaimed.length = 0;
        return;
      }
      let next = segs.findIndex((s, j) => j > i && s.kind === 'code');
      if (next < 0) next = segs.length;
      const after = textBetween(segs, i + 1, next);
      const reading: PercentReading | null =
        readPercentAfter(after) ?? readPercentBefore(textBetween(segs, previousCode + 1, i));
      if (reading) {
        // "`a` and `b`: 30% combined" — earlier symbols joined by "and", ",", "+" share it.
        const group = [seg.value];
        for (let k = unclaimed.length - 1; k >= 0; k--) {
          const between = textBetween(
            segs,
            unclaimed[k] + 1,
            k === unclaimed.length - 1 ? i : unclaimed[k + 1],
          );
          if (!/^\s*(?:,|and|&|\+|\/|or|,\s*and)?\s*$/i.test(between)) break;
          group.unshift((segs[unclaimed[k]] as { value: string }).value);
        }
        this.addClaim(group, reading, l.line);
        const second = reading.kind !== 'unspecified' ? readSecondPercent(after) : null;
        if (second && second.kind !== reading.kind) this.addClaim(group, second, l.line);
        unclaimed.length = 0;
      } else unclaimed.push(i);
      previousCode = i;
    });
    // "libfoo.so (35.50% CPU usage)" in prose, outside code spans.
    for (const seg of segs) {
      if (seg.kind !== 'text' || !/\.(?:so|dll|dylib)\b/.test(seg.value)) continue;
      for (const { module, reading } of readModuleClaims(seg.value)) this.addClaim([module], reading, l.line);
    }
  }

  private inProfileSection(offset: number): boolean {
    const s = this.sectionAt(offset);
    return s !== null && isProfileLabel(this.sections[s].title);
  }

  // ── records ────────────────────────────────────────────────────────────────

  private addLocationAtLine(
    ref: LocationRef,
    line: number,
    isNew: boolean,
    source: PlanLocation['source'],
    ctx: Context,
  ): void {
    const s = this.lineStarts[line - 1];
    const e = line < this.lineStarts.length ? this.lineStarts[line] : this.text.length;
    const at = this.text.indexOf(ref.path, s);
    if (at >= 0 && at < e) this.addLocation(ref, line, at, at + ref.path.length, isNew, source, ctx);
    else this.addLocation(ref, line, s, e, isNew, source, ctx);
  }

  /**
   * Records a location, or merges it into the one already recorded for the same file
   * (resolved against the workspace) and symbol in the same section: its lines are
   * added, "new" and "implementation" win.
   * @param reference the sentence only runs the file (a script, a test)
   * @param writtenPath the path as written when `ref.path` was read from elsewhere (a link's target)
   * @param linkTarget `ref.path` is a link target, relative to the plan's folder
   */
  private addLocation(
    ref: LocationRef,
    planLine: number,
    start: number,
    end: number,
    isNew: boolean,
    source: PlanLocation['source'],
    ctx: Context,
    reference = false,
    writtenPath?: string,
    linkTarget = false,
  ): void {
    const where = this.where(start);
    const resolved =
      this.workspace?.resolve(ref.path, linkTarget) ?? (writtenPath !== undefined ? ref.path : null);
    const path = resolved ?? ref.path;
    const outside = resolved === null && isOutsidePath(ref.path);
    const kind = reference || outside || isScratchPath(ref.path) ? 'reference' : 'implementation';
    const ranges =
      ref.lines ??
      (ref.line !== null && ref.endLine !== null ? [{ line: ref.line, endLine: ref.endLine }] : []);
    const key = `${where.sectionId}\u0000${path}\u0000${ref.symbol}`;
    const seen = this.locationKeys.get(key);
    if (seen !== undefined) {
      const loc = this.locations[seen];
      if (isNew) loc.isNew = true;
      if (kind === 'implementation') loc.kind = 'implementation';
      const all = loc.lines as PlanLineRange[];
      for (const r of ranges)
        if (!all.some((x) => x.line === r.line && x.endLine === r.endLine))
          all.push({ line: r.line, endLine: r.endLine });
      if (loc.line === null && all.length > 0) {
        loc.line = all[0].line;
        loc.endLine = all[0].endLine;
      }
      return;
    }
    this.locationKeys.set(key, this.locations.length);
    this.locations.push({
      id: this.locations.length,
      path,
      writtenPath: writtenPath ?? ref.path,
      symbol: ref.symbol,
      line: ranges[0]?.line ?? null,
      endLine: ranges[0]?.endLine ?? null,
      lines: ranges.map((r) => ({ line: r.line, endLine: r.endLine })),
      planLine,
      planRange: this.range(start, end),
      isNew,
      isOutside: outside,
      source,
      kind,
      ...where,
      taskId: ctx.taskId,
    });
  }

  /**
   * Records a claim once per plan (the same symbol, percentage and kind again, in a
   * summary and again in a phase, is a repetition). Without a kind in the text, the kind comes from the section title
   * ("Top functions by self time", "累计耗时").
   */
  private addClaim(symbols: string[], reading: PercentReading, line: number): void {
    const where = this.where(this.lineStarts[line - 1] ?? 0);
    const kind =
      reading.kind !== 'unspecified' || where.section === null ? reading.kind : kindOf(where.section);
    const symbol = symbols.join(' + ');
    const key = `${symbol}\u0000${reading.percent}\u0000${reading.percentHigh}\u0000${kind}`;
    if (this.claimKeys.has(key)) return;
    this.claimKeys.add(key);
    this.claims.push({
      id: this.claims.length,
      symbol,
      symbols,
      percent: reading.percent,
      percentHigh: reading.percentHigh,
      approximate: reading.approximate,
      kind,
      isGroup: symbols.length > 1 || reading.combined,
      line,
      ...where,
    });
  }

  private addGain(text: string, line: number, offset: number): void {
    this.gains.push({
      id: this.gains.length,
      text: collapse(text),
      ...readGainNumbers(text),
      line,
      ...this.where(offset),
    });
  }

  private addProfile(p: string): void {
    if (!this.profilePaths.includes(p)) this.profilePaths.push(p);
  }

  // ── result ─────────────────────────────────────────────────────────────────

  /**
   * Drops a claim without a kind when a claim with a kind states the same figure for the
   * same symbol (a table's "share" column next to its "cumulative" one, or a sentence
   * repeating a table); ids are renumbered.
   */
  private dedupeClaims(): void {
    const figure = (c: PlanClaim) => `${c.symbol}\u0000${c.percent}\u0000${c.percentHigh}`;
    const stated = new Set(this.claims.filter((c) => c.kind !== 'unspecified').map(figure));
    const kept = this.claims.filter((c) => c.kind !== 'unspecified' || !stated.has(figure(c)));
    this.claims.length = 0;
    for (const [id, c] of kept.entries()) this.claims.push({ ...c, id });
  }

  /**
   * A bare ✅ before a phase heading whose own tasks are all still open decorates a
   * checklist ("### ✅ Phase 1" over unticked boxes); it does not say the phase is done.
   */
  private reconcilePhaseStatus(): void {
    const own = new Map<number, { done: number; total: number }>();
    for (const t of this.tasks) {
      if (t.phaseId === null) continue;
      const c = own.get(t.phaseId) ?? { done: 0, total: 0 };
      c.total++;
      if (t.done) c.done++;
      own.set(t.phaseId, c);
    }
    for (const s of this.sections) {
      const c = own.get(s.id);
      if (s.phase && s.status === 'done' && c && c.total > 0 && c.done === 0 && this.headingStartsWithMark(s))
        s.status = null;
    }
  }

  private headingStartsWithMark(s: PlanSection): boolean {
    const head = this.text.slice(s.range.start, Math.min(s.range.end, s.range.start + 40));
    return /^\s*(?:#{1,6}\s*|\*\*\s*)?(?:✅|✔️?|☑️?)/u.test(head);
  }

  private finish(): Plan {
    this.dedupeClaims();
    this.reconcilePhaseStatus();
    const h1 = this.sections.find((s) => s.level === 1);
    const base = this.file?.split(/[\\/]/).pop() ?? '';
    const title = (h1 ?? this.sections[0])?.title || base || 'Untitled plan';
    const byPhase = <T extends { phaseId: number | null }>(list: readonly T[]): Map<number, T[]> => {
      const m = new Map<number, T[]>();
      for (const x of list) {
        if (x.phaseId === null) continue;
        const a = m.get(x.phaseId);
        if (a) a.push(x);
        else m.set(x.phaseId, [x]);
      }
      return m;
    };
    const topTasks = byPhase(
      this.tasks.filter((t) => t.parentId === null || this.tasks[t.parentId].phaseId !== t.phaseId),
    );
    const items = byPhase(this.items);
    const locations = byPhase(this.locations);
    const claims = byPhase(this.claims);
    const gains = byPhase(this.gains);
    const phaseOf = new Map<number, PlanPhase & { children: PlanPhase[] }>();
    const topPhases: PlanPhase[] = [];
    for (const s of this.sections) {
      if (!s.phase) continue;
      const parentPhaseId = s.parentId === null ? null : this.sections[s.parentId].phaseId;
      const phase = {
        sectionId: s.id,
        title: s.title,
        level: s.level,
        line: s.line,
        range: s.range,
        kind: s.phase.kind,
        number: s.phase.number,
        label: s.phase.label,
        status: s.status,
        priority: s.priority,
        parentPhaseId,
        children: [] as PlanPhase[],
        tasks: topTasks.get(s.id) ?? [],
        items: items.get(s.id) ?? [],
        locations: locations.get(s.id) ?? [],
        claims: claims.get(s.id) ?? [],
        gains: gains.get(s.id) ?? [],
      };
      phaseOf.set(s.id, phase);
      if (parentPhaseId === null) topPhases.push(phase);
      else phaseOf.get(parentPhaseId)?.children.push(phase);
    }
    return {
      file: this.file,
      title,
      metadata: {
        title,
        status: this.status,
        date: this.date,
        author: this.author,
        profilePaths: this.profilePaths,
      },
      sections: this.sections,
      phases: topPhases,
      tasks: this.tasks,
      items: this.items,
      locations: this.locations,
      claims: this.claims,
      gains: this.gains,
    };
  }

  // ── positions ──────────────────────────────────────────────────────────────

  private offset(point: { offset?: number } | undefined): number {
    return point?.offset ?? 0;
  }

  private lineAt(offset: number): number {
    return lineOfOffset(this.lineStarts, offset);
  }

  private range(start: number, end: number): PlanRange {
    return { start, end, line: this.lineAt(start), endLine: this.lineAt(Math.max(start, end - 1)) };
  }
}

function lineText(l: InlineLine): string {
  return l.segments.map((s) => (s.kind === 'link' ? '' : s.value)).join('');
}

function textBetween(segs: readonly Segment[], from: number, to: number): string {
  let out = '';
  for (let i = Math.max(0, from); i < to && i < segs.length; i++) {
    const s = segs[i];
    if (s.kind === 'text') out += s.value;
    else if (s.kind === 'code') out += s.value;
  }
  return out;
}

/** Table headers naming the symbol column. */
const SYMBOL_HEADER =
  /^(?:function|functions|symbol|symbols|name|frame|method|hot ?spot|module|library|span|section|caller|callee|函数|方法|符号|模块|функция|функции|метод|символ|модуль|función|funktion|fonction)s?$/iu;
/** Table headers of columns that hold changes, targets or running sums, not shares. */
const NOT_A_SHARE_HEADER =
  /\bsum%|Δ|delta|\bgap\b|\btarget\b|\bgoal\b|\bchange\b|improvement|speed-?up|reduction|\bsaving|before|after|目标|提升|变化|цель|прирост|изменение/iu;

/**
 * The symbol of a table cell: one code span, alone or followed by a note in brackets
 * ("`Router.Match` (line 162)", "`parse` (total)"); or, in a column headed "Function" /
 * "Symbol" / "函数" (`plain`), an identifier written as text ("parse_expr (total)").
 * A kind in brackets right after the symbol ("(total)", "(self)") is returned with it.
 * Paths and settings (`RETRY_FRACTION`) are not symbols.
 */
function cellSymbol(
  cell: InlineLine,
  plain: boolean,
): { symbol: string; kind: 'self' | 'total' | null } | null {
  const code = cell.segments.filter((s) => s.kind === 'code');
  const text = cell.segments
    .filter((s) => s.kind === 'text')
    .map((s) => (s as { value: string }).value)
    .join('')
    .trim();
  let symbol: string;
  let note: string;
  if (code.length === 1 && cell.segments[0]?.kind === 'code') {
    symbol = (code[0] as { value: string }).value.trim();
    note = text;
  } else if (code.length === 0 && plain) {
    const m = /^([\p{L}_$][\p{L}\p{N}_$:.<>*&,~/-]*(?:\(\))?)\s*(.*)$/u.exec(text);
    if (!m) return null;
    symbol = m[1];
    note = m[2];
  } else return null;
  if (note !== '' && !/^[([（].*[)\]）]$/u.test(note)) return null;
  if (!/\p{L}/u.test(symbol) || parseLocationRef(symbol, false) || isSettingSymbol(symbol)) return null;
  const k = /^[([（]\s*(self|total|inclusive|exclusive|cum(?:ulative)?|flat|自身|累计)\s*[)\]）]$/iu.exec(
    note,
  );
  const kind = k ? kindOf(k[1]) : 'unspecified';
  return { symbol, kind: kind === 'unspecified' ? null : kind };
}

/**
 * A line of a flame graph summary in a code block: a qualified or snake_case symbol
 * (optionally in brackets), two or more spaces, a percentage, then an optional kind or
 * note ("CPU", "(inclusive)", "← before: 9%"). Plain words ("total  12%") are not symbols.
 */
const SUMMARY_LINE =
  /^\s*\[?((?:[A-Za-z_$<][\w$<>,*&' ]*?(?:::|\.|->))+[A-Za-z_$~][\w$<>~]*(?:\(\))?|[A-Za-z$][\w$]*_[\w$]+(?:\(\))?)\]?[ \t]{2,}(~|≈)?(\d+(?:\.\d+)?)\s*%(.{0,80})$/;

/** A claim's reading from a profiler output column (exact, single figure). */
function profilerReading(percent: number, kind: 'self' | 'total'): PercentReading {
  return { percent, percentHigh: null, kind, approximate: false, combined: false };
}

/** Plain text of a node: text and code values, image alts, line breaks as '\n'. */
function plainText(node: Nodes): string {
  switch (node.type) {
    case 'text':
    case 'inlineCode':
    case 'html':
      return node.value;
    case 'break':
      return '\n';
    case 'image':
      return node.alt ?? '';
    default:
      return 'children' in node ? (node.children as Nodes[]).map(plainText).join('') : '';
  }
}

function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * The heading text of a paragraph that may stand for a heading: one that opens with bold
 * text reading as a phase ("**Priority 2: Cache the parser**", "**Step 1:**") or a label
 * ("**P0** — drop the copy", "**Option B:** …"). Returns the first line's text, or null.
 */
function pseudoHeadingText(p: Paragraph): string | null {
  const first = p.children[0];
  if (first?.type !== 'strong') return null;
  const bold = collapse(plainText(first)).replace(/[:：]$/, '');
  if (bold.length === 0 || bold.length > 120) return null;
  const reading = classifyPhaseHeading(bold);
  const label = readLabelPattern(bold);
  if ((reading === null || reading.kind === 'numbered') && label === null) return null;
  const line = collapse(plainText(p).split(/\r?\n|\r/)[0] ?? '');
  return line.length <= 160 ? line : bold;
}
