/**
 * The Markdown optimization-plan parser. Markdown is read by micromark + mdast
 * (CommonMark: https://spec.commonmark.org/0.31.2/, GFM task lists and tables:
 * https://github.github.com/gfm/), so every node has a source position; what the
 * nodes mean for a plan (phases, tasks, locations, claims, gains) is decided here and
 * in `patterns.ts`.
 */

import type { Code, Heading, List, ListItem, Nodes, Paragraph, Parent, Root, Table } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import {
  claimKindFrom,
  classifyFilesLabel,
  classifyPhaseHeading,
  findGainLabel,
  findSharePercents,
  findStatusMark,
  isOutsidePath,
  isProfilePath,
  type LocationRef,
  looksLikeSymbol,
  parseGainNumbers,
  parseLocationRef,
  parseMetadataLine,
  saysNew,
  stripLeadingSymbols,
} from './patterns';
import { LineIndex, prepareSource } from './source-text';
import type {
  ParsePlanOptions,
  Plan,
  PlanCheckbox,
  PlanClaim,
  PlanGain,
  PlanItem,
  PlanLocation,
  PlanPhase,
  PlanSection,
  PlanTask,
} from './types';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type MTask = Mutable<PlanTask> & { children: PlanTask[] };
type MSection = Mutable<PlanSection> & { childIds: number[] };

/** One line of inline content: its plain text and where the code spans and links sit in it. */
interface InlineLine {
  /** 1-based plan line where this line of inline content starts. */
  line: number;
  text: string;
  codes: { value: string; from: number; to: number; start: number; end: number }[];
  links: { url: string; start: number; end: number }[];
}

/** What the walk knows about the enclosing blocks. */
interface WalkContext {
  /** Nearest enclosing task id. */
  readonly taskId: number | null;
  /** Number of enclosing list items. */
  readonly listDepth: number;
  /** Inside a list of files ("Files Created:", "### Files Modified"). */
  readonly files: { isNew: boolean } | null;
  /** The list items of this list are expected gains ("Expected Results:" followed by a list). */
  readonly gainsList: boolean;
  /** Inside a list or a table (no metadata lines there). */
  readonly nested: boolean;
}

interface Frame {
  node: Nodes;
  ctx: WalkContext;
  prev: Nodes | null;
  ordered?: boolean;
}

/**
 * Parses a Markdown optimization plan.
 *
 * Recognises phases (headings "Phase 1: …", "Week 2", "Priority 3", "Stage", "Step",
 * "Milestone", "Change 1", "Day 1-2", "Sprint", "## 1. …", emoji prefixes allowed; a
 * single H1 is the title, not a phase), GFM tasks (`- [ ]`, `* [x]`, `1. [X]`, nested)
 * with the exact checkbox range, status-mark tasks (✅ done; ❌ ⏳ 🚧 ⬜ open; not
 * tickable), plain steps, implementation locations (backticked source paths with
 * optional `:Symbol`, `::Symbol`, `:line`, `:start-end`; `File:` labels; `// File:`
 * lines in code blocks; "Files Created/Modified" lists), hotspot claims (backticked
 * symbol with a percentage, tables of hotspots), expected gains, and metadata.
 *
 * Lines are 1-based, columns 0-based, offsets 0-based UTF-16 into `text` exactly as
 * given (a BOM counts as one character). CRLF, CR, tabs and trailing spaces are fine.
 * Leading whitespace beyond 64 columns is ignored (deeper list nesting is flattened;
 * see `MAX_INDENT_COLUMNS`), which keeps a 1,000-level list parseable.
 *
 * @param text the whole plan
 * @param options `file`: used for the title fallback and in `problems`
 * @returns the plan; never throws. If the Markdown parser fails on a piece of the text
 *   (not seen in practice), that piece is skipped and `problems` says so.
 */
export function parsePlan(text: string, options: ParsePlanOptions = {}): Plan {
  return new PlanParser(String(text), options).parse();
}

class PlanParser {
  private readonly lines: LineIndex;
  private readonly sections: MSection[] = [];
  private readonly tasks: MTask[] = [];
  private readonly items: Mutable<PlanItem>[] = [];
  private readonly locations: Mutable<PlanLocation>[] = [];
  private readonly locationKeys = new Map<string, Mutable<PlanLocation>>();
  private readonly claims: Mutable<PlanClaim>[] = [];
  private readonly gains: Mutable<PlanGain>[] = [];
  private readonly profilePaths: string[] = [];
  private readonly problems: string[] = [];
  private status: string | null = null;
  private date: string | null = null;
  private author: string | null = null;
  private current: MSection | null = null;
  private toOriginal: (offset: number) => number = (o) => o;

  constructor(
    private readonly text: string,
    private readonly options: ParsePlanOptions,
  ) {
    this.lines = new LineIndex(text);
  }

  parse(): Plan {
    const prepared = prepareSource(this.text);
    this.toOriginal = prepared.toOriginal;
    for (const chunk of prepared.chunks) {
      let root: Root;
      try {
        root = fromMarkdown(chunk.text, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
      } catch (error) {
        const at = this.lines.lineOf(prepared.toOriginal(chunk.start));
        this.problems.push(
          `${this.options.file ?? 'plan'}: Markdown parser failed at line ${at}: ${error instanceof Error ? error.message : String(error)}`,
        );
        continue;
      }
      const base = chunk.start;
      this.toOriginal = (o) => prepared.toOriginal(o + base);
      this.walk(root);
    }
    return this.finish();
  }

  // ---- positions -------------------------------------------------------------------

  private startOf(node: Nodes): number {
    return this.toOriginal(node.position?.start.offset ?? 0);
  }

  private endOf(node: Nodes): number {
    const end = node.position?.end.offset ?? 0;
    // Map the last character, then step past it, so a removed run after the node is not counted.
    return end > 0 ? this.toOriginal(end - 1) + 1 : this.toOriginal(0);
  }

  // ---- the walk --------------------------------------------------------------------

  private walk(root: Root): void {
    const top: WalkContext = { taskId: null, listDepth: 0, files: null, gainsList: false, nested: false };
    const stack: Frame[] = [];
    this.pushChildren(stack, root, top);
    while (stack.length > 0) {
      const frame = stack.pop() as Frame;
      const { node, ctx } = frame;
      switch (node.type) {
        case 'heading':
          this.onHeading(node);
          break;
        case 'paragraph':
          this.onInline(node, ctx, { metadata: !ctx.nested });
          break;
        case 'list':
          this.pushList(stack, node, ctx, frame.prev);
          break;
        case 'listItem':
          this.pushChildren(stack, node, this.onListItem(node, ctx, frame.ordered ?? false));
          break;
        case 'code':
          this.onCode(node, ctx);
          break;
        case 'table':
          this.onTable(node, ctx);
          break;
        case 'html':
        case 'definition':
        case 'thematicBreak':
          break;
        default:
          if ('children' in node) this.pushChildren(stack, node as Parent, ctx);
      }
    }
  }

  private pushChildren(stack: Frame[], parent: Parent, ctx: WalkContext, ordered?: boolean): void {
    const kids = parent.children as Nodes[];
    for (let i = kids.length - 1; i >= 0; i--) {
      stack.push({ node: kids[i], ctx, prev: i > 0 ? kids[i - 1] : null, ordered });
    }
  }

  private pushList(stack: Frame[], list: List, ctx: WalkContext, prev: Nodes | null): void {
    let files = ctx.files;
    let gainsList = false;
    if (prev?.type === 'paragraph') {
      const lines = this.inlineLines(prev);
      const whole = lines.map((l) => l.text).join(' ');
      const label = classifyFilesLabel(whole);
      if (label) files = label;
      const last = lines[lines.length - 1];
      if (last && findGainLabel(last.text) === '') gainsList = true;
    }
    if (!files && ctx.listDepth === 0 && this.current) {
      const label = classifyFilesLabel(this.current.title);
      if (label) files = label;
    }
    this.pushChildren(stack, list, { ...ctx, files, gainsList, nested: true }, list.ordered === true);
  }

  private onHeading(node: Heading): void {
    const lines = this.inlineLines(node);
    const raw = lines
      .map((l) => l.text)
      .join(' ')
      .replace(/\s+/g, ' ')
      .trim();
    const start = this.startOf(node);
    let parentId: number | null = null;
    for (let s = this.current; s; s = s.parentId === null ? null : this.sections[s.parentId]) {
      if (s.level < node.depth) {
        parentId = s.id;
        break;
      }
    }
    const section: MSection = {
      id: this.sections.length,
      title: stripLeadingSymbols(raw) || raw,
      level: node.depth,
      line: this.lines.lineOf(start),
      range: this.lines.range(start, this.endOf(node)),
      parentId,
      childIds: [],
      phase: null,
      phaseId: null,
    };
    this.sections.push(section);
    if (parentId !== null) this.sections[parentId].childIds.push(section.id);
    this.current = section;
    this.scanLines(lines, { taskId: null, listDepth: 0, files: null, gainsList: false, nested: true }, {});
  }

  private onListItem(node: ListItem, ctx: WalkContext, ordered: boolean): WalkContext {
    const first = node.children[0];
    const lines = first?.type === 'paragraph' ? this.inlineLines(first) : [];
    const plain = lines
      .map((l) => l.text)
      .join(' ')
      .replace(/\s+/g, ' ')
      .trim();
    const start = this.startOf(node);
    const section = this.current;
    let taskId: number | null = null;
    if (typeof node.checked === 'boolean') {
      const checkbox = this.findCheckbox(node, first);
      taskId = this.addTask(node, ctx, plain, node.checked, checkbox, null);
    } else {
      const status = findStatusMark(plain);
      if (status) {
        taskId = this.addTask(node, ctx, status.rest.replace(/\s+/g, ' '), status.done, null, status.mark);
      } else {
        this.items.push({
          id: this.items.length,
          text: plain,
          line: this.lines.lineOf(start),
          ordered,
          depth: ctx.listDepth,
          sectionId: section?.id ?? null,
          section: section?.title ?? null,
          phaseId: null,
        });
      }
    }
    if (ctx.gainsList && plain && !lines.some((l) => findGainLabel(l.text) !== null)) {
      this.addGain(plain, this.lines.lineOf(start));
    }
    if (ctx.files && first?.type === 'paragraph' && lines.length > 0) {
      this.bareFileListPath(lines[0], ctx, taskId);
    }
    return {
      ...ctx,
      taskId: taskId ?? ctx.taskId,
      listDepth: ctx.listDepth + 1,
      gainsList: false,
      nested: true,
    };
  }

  private findCheckbox(node: ListItem, first: Nodes | undefined): PlanCheckbox | null {
    const itemStart = this.startOf(node);
    let limit = Math.min(this.text.length, itemStart + 64);
    if (first && 'children' in first && first.children.length > 0) {
      limit = this.startOf(first.children[0] as Nodes);
    }
    const region = this.text.slice(itemStart, limit);
    const m = /\[([ xX])\][ \t]*$/.exec(region) ?? /\[([ xX])\]/.exec(region);
    if (!m) return null;
    const at = itemStart + m.index;
    return { start: at, end: at + 3, line: this.lines.lineOf(at), column: this.lines.columnOf(at) };
  }

  private addTask(
    node: ListItem,
    ctx: WalkContext,
    text: string,
    done: boolean,
    checkbox: PlanCheckbox | null,
    statusMark: string | null,
  ): number {
    const start = this.startOf(node);
    const section = this.current;
    const task: MTask = {
      id: this.tasks.length,
      text,
      done,
      line: this.lines.lineOf(start),
      range: this.lines.range(start, this.endOf(node)),
      checkbox,
      statusMark,
      parentId: ctx.taskId,
      children: [],
      sectionId: section?.id ?? null,
      section: section?.title ?? null,
      phaseId: null,
    };
    this.tasks.push(task);
    if (ctx.taskId !== null) this.tasks[ctx.taskId].children.push(task);
    return task.id;
  }

  private onInline(node: Paragraph, ctx: WalkContext, flags: { metadata?: boolean }): void {
    this.scanLines(this.inlineLines(node), ctx, flags);
  }

  /** Locations, profile paths, claims, gains and metadata in lines of inline content. */
  private scanLines(
    lines: InlineLine[],
    ctx: WalkContext,
    flags: { metadata?: boolean; noClaims?: boolean },
  ): void {
    for (const line of lines) {
      if (flags.metadata) {
        const meta = parseMetadataLine(line.text);
        if (meta) {
          if (meta.key === 'status' && this.status === null) this.status = meta.value;
          if (meta.key === 'date' && this.date === null) this.date = meta.value;
          if (meta.key === 'author' && this.author === null) this.author = meta.value;
        }
      }
      for (const code of line.codes) {
        if (isProfilePath(code.value, line.text.slice(0, code.from) || line.text)) {
          this.addProfilePath(code.value.trim());
          continue;
        }
        const ref = parseLocationRef(code.value);
        if (!ref) continue;
        const before = line.text.slice(0, code.from);
        const source = ctx.files
          ? 'file-list'
          : /\b(?:file|path|location|source)s?\s*:?\s*$/i.test(before)
            ? 'file-label'
            : 'inline';
        const isNew =
          (ctx.files?.isNew ?? false) ||
          saysNew(line.text.slice(code.to)) ||
          /\bnew\s+file\s*:?\s*$/i.test(before);
        this.addLocation(ref, code.start, code.end, isNew, source, ctx.taskId);
      }
      for (const link of line.links) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(link.url) || link.url.startsWith('#')) continue;
        const url = safeDecode(link.url.replace(/\?.*$/, ''));
        if (isProfilePath(url, line.text)) {
          this.addProfilePath(url);
          continue;
        }
        const ref = parseLocationRef(url);
        if (ref) this.addLocation(ref, link.start, link.end, ctx.files?.isNew ?? false, 'inline', ctx.taskId);
      }
      const masked = maskCodes(line);
      // "File: src/x.rs" / "Flamegraph: out/base.svg" without backticks.
      for (const m of masked.matchAll(/\b(?:file|path|location)s?\s*:\s*([^\s`'"(),;*]+)/gi)) {
        const token = m[1].replace(/[.:]+$/, '');
        const ref = parseLocationRef(token);
        const at = this.findInSource(line, token);
        if (ref && at !== null) {
          const isNew = (ctx.files?.isNew ?? false) || saysNew(masked.slice((m.index ?? 0) + m[0].length));
          this.addLocation(ref, at, at + token.length, isNew, 'file-label', ctx.taskId);
        }
      }
      for (const m of masked.matchAll(
        /\b(?:profile|flame\s*-?\s*graph|perf\s+data|trace)\w*\s*:\s*([^\s`'"(),;*]+)/gi,
      )) {
        const token = m[1].replace(/[.:]+$/, '');
        if (isProfilePath(token, m[0])) this.addProfilePath(token);
      }
      if (!flags.noClaims) this.lineClaims(line, masked);
      const gain = findGainLabel(line.text);
      if (gain) this.addGain(gain, line.line);
    }
  }

  /** Offset of `token` in the plan line where an inline line starts, or null. */
  private findInSource(line: InlineLine, token: string): number | null {
    const lineText = this.lines.lineText(line.line);
    const idx = lineText.indexOf(token);
    if (idx < 0) return null;
    return this.lines.lineStart(line.line) + idx;
  }

  private lineClaims(line: InlineLine, masked: string): void {
    const percents = findSharePercents(masked);
    if (percents.length === 0 || line.codes.length === 0) return;
    let prevEnd = 0;
    let prevSymbols: string[] = [];
    for (const p of percents) {
      let symbols = line.codes
        .filter((c) => c.from >= prevEnd && c.to <= p.index && looksLikeSymbol(c.value))
        .map((c) => c.value.trim());
      const between = masked.slice(prevEnd, p.index);
      if (
        symbols.length === 0 &&
        prevSymbols.length > 0 &&
        between.trim().length <= 24 &&
        !/[.;]/.test(between)
      ) {
        symbols = prevSymbols;
      }
      if (symbols.length > 0) {
        const after = masked.slice(p.index + p.length, p.index + p.length + 40);
        const kind = claimKindFrom(
          `${between} ${masked.slice(p.index, p.index + p.length)} ${after.split(/[,;]/)[0]}`,
        );
        const isGroup =
          symbols.length > 1 || /^\W*(?:combined|together|in total|altogether|overall)\b/i.test(after);
        this.addClaim(symbols, p.value, kind, isGroup, line.line);
      }
      prevSymbols = symbols;
      prevEnd = p.index + p.length;
    }
  }

  private onTable(node: Table, ctx: WalkContext): void {
    const rows = node.children;
    if (rows.length === 0) return;
    const cellLines = rows.map((row) => row.children.map((cell) => this.inlineLines(cell)));
    const header = cellLines[0].map((lines) => lines.map((l) => l.text).join(' '));
    const symbolColumn = header.findIndex((h) =>
      /\b(?:function|symbol|frame|method|hotspot|name)s?\b/i.test(h),
    );
    const tableCtx: WalkContext = { ...ctx, nested: true };
    for (let r = 0; r < rows.length; r++) {
      for (const lines of cellLines[r]) this.scanLines(lines, tableCtx, { noClaims: true });
      if (r === 0) continue;
      const cells = cellLines[r];
      let symbol: string | null = null;
      if (symbolColumn >= 0 && cells[symbolColumn]) {
        const lines = cells[symbolColumn];
        const code = lines.flatMap((l) => l.codes).find((c) => looksLikeSymbol(c.value));
        const text = lines
          .map((l) => l.text)
          .join(' ')
          .trim();
        symbol = code ? code.value.trim() : text || null;
      }
      if (symbol === null) {
        for (const lines of cells) {
          const code = lines.flatMap((l) => l.codes).find((c) => looksLikeSymbol(c.value));
          if (code) {
            symbol = code.value.trim();
            break;
          }
        }
      }
      if (symbol === null) continue;
      const rowLine = this.lines.lineOf(this.startOf(rows[r]));
      cells.forEach((lines, c) => {
        const t = lines
          .map((l) => l.text)
          .join(' ')
          .trim();
        const m = /^(?:~|≈)?\s*(\d{1,3}(?:\.\d+)?)\s*%(?:\s*\((?:self|total|inclusive|exclusive)\))?$/i.exec(
          t,
        );
        if (!m || c === symbolColumn) return;
        const value = Number(m[1]);
        if (value > 100) return;
        const kind = claimKindFrom(`${header[c] ?? ''} ${t}`);
        this.addClaim([symbol as string], value, kind, false, rowLine);
      });
    }
  }

  private onCode(node: Code, ctx: WalkContext): void {
    const start = this.startOf(node);
    const firstLine = this.lines.lineOf(start);
    const opening = this.lines.lineText(firstLine).slice(this.lines.columnOf(start));
    const fenced = /^(?:`{3,}|~{3,})/.test(opening.trimStart());
    if (fenced && node.meta) {
      const m = /\b(?:title|file|filename|path)\s*=\s*["']?([^"'\s]+)/i.exec(node.meta);
      const ref = m ? parseLocationRef(m[1]) : null;
      const col = m ? opening.indexOf(m[1]) : -1;
      if (m && ref && col >= 0) {
        const at = start + col;
        this.addLocation(ref, at, at + m[1].length, false, 'code-comment', ctx.taskId);
      }
    }
    const valueLines = node.value.split(/\r\n|\r|\n/);
    const first = fenced ? firstLine + 1 : firstLine;
    for (let i = 0; i < valueLines.length; i++) {
      const m =
        /^\s*(?:\/\/+|#+|--+|;+|\/\*+|\*|<!--|%+|'|rem\b)\s*(?:file(?:name)?|path|source|location)\s*:\s*([^\s*]+)(.*)$/i.exec(
          valueLines[i],
        );
      if (!m) continue;
      const token = m[1].replace(/[,;]+$/, '');
      const ref = parseLocationRef(token);
      if (!ref) continue;
      const planLine = first + i;
      const lineText = this.lines.lineText(planLine);
      const col = lineText.indexOf(token);
      const at = col >= 0 ? this.lines.lineStart(planLine) + col : this.lines.lineStart(planLine);
      this.addLocation(ref, at, at + token.length, saysNew(m[2]), 'code-comment', ctx.taskId);
    }
  }

  private bareFileListPath(line: InlineLine, ctx: WalkContext, taskId: number | null): void {
    if (line.codes.some((c) => parseLocationRef(c.value))) return;
    const m = /^\s*([^\s`'"(),;*]+)(.*)$/.exec(line.text);
    if (!m) return;
    const token = m[1].replace(/[.:]+$/, '');
    const ref = parseLocationRef(token);
    const at = this.findInSource(line, token);
    if (!ref || at === null) return;
    this.addLocation(
      ref,
      at,
      at + token.length,
      (ctx.files?.isNew ?? false) || saysNew(m[2]),
      'file-list',
      taskId,
    );
  }

  // ---- records ---------------------------------------------------------------------

  private addLocation(
    ref: LocationRef,
    start: number,
    end: number,
    isNew: boolean,
    source: PlanLocation['source'],
    taskId: number | null,
  ): void {
    const section = this.current;
    const key = `${section?.id ?? -1}\u0000${ref.path}\u0000${ref.symbol ?? ''}\u0000${ref.line ?? ''}`;
    const seen = this.locationKeys.get(key);
    if (seen) {
      if (isNew) seen.isNew = true;
      return;
    }
    const planLine = this.lines.lineOf(start);
    const location: Mutable<PlanLocation> = {
      id: this.locations.length,
      path: ref.path,
      symbol: ref.symbol,
      line: ref.line,
      endLine: ref.endLine,
      planLine,
      planRange: this.lines.range(start, end),
      isNew,
      isOutside: isOutsidePath(ref.path),
      source,
      sectionId: section?.id ?? null,
      section: section?.title ?? null,
      phaseId: null,
      taskId,
    };
    this.locationKeys.set(key, location);
    this.locations.push(location);
  }

  private addClaim(
    symbols: string[],
    percent: number,
    kind: PlanClaim['kind'],
    isGroup: boolean,
    line: number,
  ): void {
    const section = this.current;
    this.claims.push({
      id: this.claims.length,
      symbol: symbols.join(' + '),
      symbols: [...symbols],
      percent,
      kind,
      isGroup,
      line,
      sectionId: section?.id ?? null,
      section: section?.title ?? null,
      phaseId: null,
    });
  }

  private addGain(text: string, line: number): void {
    const section = this.current;
    const numbers = parseGainNumbers(text);
    this.gains.push({
      id: this.gains.length,
      text,
      low: numbers?.low ?? null,
      high: numbers?.high ?? null,
      unit: numbers?.unit ?? null,
      line,
      sectionId: section?.id ?? null,
      section: section?.title ?? null,
      phaseId: null,
    });
  }

  private addProfilePath(p: string): void {
    if (!this.profilePaths.includes(p)) this.profilePaths.push(p);
  }

  // ---- inline content --------------------------------------------------------------

  /** Splits a block's inline content into lines of plain text, keeping code spans and links. */
  private inlineLines(node: Parent): InlineLine[] {
    const startLine = this.lines.lineOf(this.startOf(node as Nodes));
    const out: InlineLine[] = [];
    let cur: InlineLine = { text: '', codes: [], links: [], line: startLine };
    out.push(cur);
    const newLine = (line: number) => {
      cur = { text: '', codes: [], links: [], line };
      out.push(cur);
    };
    const stack: Nodes[] = [...(node.children as Nodes[])].reverse();
    while (stack.length > 0) {
      const n = stack.pop() as Nodes;
      switch (n.type) {
        case 'text': {
          const parts = n.value.split(/\r\n|\r|\n/);
          let line = this.lines.lineOf(this.startOf(n));
          parts.forEach((part, i) => {
            if (i > 0) {
              line++;
              newLine(line);
            }
            cur.text += part;
          });
          break;
        }
        case 'inlineCode': {
          const from = cur.text.length;
          cur.text += n.value;
          cur.codes.push({
            value: n.value,
            from,
            to: cur.text.length,
            start: this.startOf(n),
            end: this.endOf(n),
          });
          break;
        }
        case 'break':
          newLine(this.lines.lineOf(this.endOf(n)));
          break;
        case 'image':
          cur.text += n.alt ?? '';
          break;
        case 'link':
          cur.links.push({ url: n.url, start: this.startOf(n), end: this.endOf(n) });
          for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i] as Nodes);
          break;
        case 'html':
        case 'footnoteReference':
          break;
        default:
          if ('children' in n) {
            const kids = n.children as Nodes[];
            for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
          }
      }
    }
    return out.filter((l, i) => i === 0 || l.text.trim() !== '' || l.codes.length > 0);
  }

  // ---- the result ------------------------------------------------------------------

  private finish(): Plan {
    const sections = this.sections;
    const h1Count = sections.filter((s) => s.level === 1).length;
    for (const s of sections) {
      const isTitle = s.level === 1 && h1Count === 1;
      s.phase = isTitle ? null : classifyPhaseHeading(s.title);
    }
    // Ranges: to the next heading of the same or a higher level.
    for (let i = 0; i < sections.length; i++) {
      const s = sections[i];
      let end = this.text.length;
      for (let j = i + 1; j < sections.length; j++) {
        if (sections[j].level <= s.level) {
          end = sections[j].range.start;
          break;
        }
      }
      s.range = this.lines.range(s.range.start, end);
      // Phase of a section: itself, else the nearest phase ancestor (parents come first).
      s.phaseId = s.phase ? s.id : s.parentId !== null ? sections[s.parentId].phaseId : null;
    }
    const phaseOf = (sectionId: number | null) => (sectionId === null ? null : sections[sectionId].phaseId);
    for (const t of this.tasks) t.phaseId = phaseOf(t.sectionId);
    for (const t of this.items) t.phaseId = phaseOf(t.sectionId);
    for (const t of this.locations) t.phaseId = phaseOf(t.sectionId);
    for (const t of this.claims) t.phaseId = phaseOf(t.sectionId);
    for (const t of this.gains) t.phaseId = phaseOf(t.sectionId);

    const phaseNodes = new Map<number, Mutable<PlanPhase> & { children: PlanPhase[] }>();
    const roots: PlanPhase[] = [];
    for (const s of sections) {
      if (!s.phase) continue;
      const parentPhaseId = s.parentId !== null ? sections[s.parentId].phaseId : null;
      const byPhase = <T extends { phaseId: number | null }>(list: T[]) =>
        list.filter((x) => x.phaseId === s.id);
      const phase = {
        sectionId: s.id,
        title: s.title,
        level: s.level,
        line: s.line,
        range: s.range,
        kind: s.phase.kind,
        number: s.phase.number,
        parentPhaseId,
        children: [] as PlanPhase[],
        tasks: this.tasks.filter(
          (t) => t.phaseId === s.id && (t.parentId === null || this.tasks[t.parentId].phaseId !== s.id),
        ),
        items: byPhase(this.items),
        locations: byPhase(this.locations),
        claims: byPhase(this.claims),
        gains: byPhase(this.gains),
      };
      phaseNodes.set(s.id, phase);
      const parent = parentPhaseId !== null ? phaseNodes.get(parentPhaseId) : undefined;
      if (parent) parent.children.push(phase);
      else roots.push(phase);
    }

    const firstH1 = sections.find((s) => s.level === 1);
    const fileTitle = this.options.file ? (this.options.file.split(/[\\/]/).pop() ?? '') : '';
    const title = firstH1?.title || sections[0]?.title || fileTitle || 'Untitled plan';
    return {
      file: this.options.file ?? null,
      title,
      metadata: {
        title,
        status: this.status,
        date: this.date,
        author: this.author,
        profilePaths: this.profilePaths,
      },
      sections,
      phases: roots,
      tasks: this.tasks,
      items: this.items,
      locations: this.locations,
      claims: this.claims,
      gains: this.gains,
      problems: this.problems,
    };
  }
}

/** The line's text with code spans replaced by spaces (so patterns do not match inside code). */
function maskCodes(line: InlineLine): string {
  let out = '';
  let at = 0;
  for (const c of line.codes) {
    out += line.text.slice(at, c.from) + ' '.repeat(c.to - c.from);
    at = c.to;
  }
  return out + line.text.slice(at);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
