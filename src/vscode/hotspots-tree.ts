import * as vscode from 'vscode';
import { changeText, formatPercent, heatFigureTexts } from '../core/analysis/presentation';
import type { HotFunction, LibraryFunction, PseudoFrame } from '../core/analysis/types';
import type { FunctionChange, ProfileComparison } from '../core/compare/types';
import { CommandId, ContextKey } from './command-ids';
import type { Session } from './session';

/** How the Hotspots view is sorted, grouped and filtered (kept per workspace). */
export interface HotspotsViewState {
  /** `changes`: what changed since the baseline (regressions first), when there is a comparison. */
  mode: 'hotspots' | 'changes';
  /** `selfInclLibraries` (the default): self time plus the library time a function calls. */
  sortBy: 'selfInclLibraries' | 'self' | 'total';
  groupBy: 'none' | 'category' | 'file';
  onlyMyCode: boolean;
  filter: string;
}

type Node =
  | { kind: 'group'; label: string; children: Node[]; file?: string; pseudo?: boolean }
  | { kind: 'function'; entry: Entry; parent?: Node }
  | { kind: 'pseudo'; frame: PseudoFrame; parent: Node }
  | { kind: 'change'; change: FunctionChange; parent?: Node }
  | { kind: 'empty'; label: string };

type Entry = { fn: HotFunction; library?: undefined } | { fn?: undefined; library: LibraryFunction };

const STATE_KEY = 'hotspotLens.hotspotsView';
const MAX_ROWS = 200;

/**
 * The Hotspots view: the profile's top functions ranked by self time incl. the
 * libraries they call (or by self, or total), grouped by hint category or by file,
 * with an "only my code" toggle and a text filter. Clicking a workspace function
 * opens its definition; clicking a file group opens the file at its hottest function.
 * With "only my code" off, library and kernel functions join the list, and the
 * pseudo-frames (process names, unsymbolized addresses) get a group of their own.
 */
export class HotspotsTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private state: HotspotsViewState;
  /** Nodes of the current rendering (stable objects, so `reveal` can find them). */
  private roots: Node[] | undefined;

  constructor(
    private readonly session: Session,
    private readonly memento: vscode.Memento,
  ) {
    this.state = {
      mode: 'hotspots',
      sortBy: 'selfInclLibraries',
      groupBy: 'none',
      onlyMyCode: true,
      filter: '',
      ...memento.get(STATE_KEY, {}),
    };
    this.state.mode = 'hotspots';
    this.subscription = session.onDidChange((c) => {
      if (c === 'annotations') return;
      this.roots = undefined;
      this.changed.fire(undefined);
    });
    void vscode.commands.executeCommand('setContext', ContextKey.hotspotsSort, this.state.sortBy);
    void vscode.commands.executeCommand('setContext', ContextKey.hotspotsMode, this.state.mode);
  }

  /** The current view state (tests and the status bar read it). */
  get viewState(): Readonly<HotspotsViewState> {
    return this.state;
  }

  /** Changes how the view sorts, groups or filters, and remembers it for the workspace. */
  update(change: Partial<HotspotsViewState>): void {
    this.state = { ...this.state, ...change };
    void this.memento.update(STATE_KEY, this.state);
    void vscode.commands.executeCommand('setContext', ContextKey.hotspotsSort, this.state.sortBy);
    void vscode.commands.executeCommand('setContext', ContextKey.hotspotsMode, this.state.mode);
    this.roots = undefined;
    this.changed.fire(undefined);
  }

  /** The node of a workspace function (by its key), for `TreeView.reveal`. */
  nodeForKey(key: string): Node | undefined {
    const walk = (nodes: Node[]): Node | undefined => {
      for (const n of nodes) {
        if (n.kind === 'function' && n.entry.fn?.key === key) return n;
        if (n.kind === 'group') {
          const hit = walk(n.children);
          if (hit) return hit;
        }
      }
      return undefined;
    };
    return walk(this.getChildren());
  }

  getParent(node: Node): Node | undefined {
    return node.kind === 'function' || node.kind === 'pseudo' || node.kind === 'change'
      ? node.parent
      : undefined;
  }

  /** The rows as a person sees them (label and description), for tests. */
  rows(): { label: string; description: string; children: { label: string; description: string }[] }[] {
    return this.getChildren().map((n) => {
      const item = this.getTreeItem(n);
      return {
        label: String(item.label),
        description: String(item.description ?? ''),
        children: this.getChildren(n).map((c) => {
          const ci = this.getTreeItem(c);
          return { label: String(ci.label), description: String(ci.description ?? '') };
        }),
      };
    });
  }

  getChildren(node?: Node): Node[] {
    if (node) return node.kind === 'group' ? node.children : [];
    if (!this.roots) this.roots = this.build();
    return this.roots;
  }

  private build(): Node[] {
    const analysis = this.session.profile?.analysis;
    if (!analysis) return [];
    const comparison = this.session.comparison;
    if (this.state.mode === 'changes' && comparison) return this.buildChanges(comparison);
    const entries = this.entries();
    const pseudo = this.pseudoGroup(analysis.pseudoFrames);
    if (entries.length === 0) {
      if (pseudo) return [pseudo];
      return [
        {
          kind: 'empty',
          label: this.state.filter
            ? `No hotspot matches "${this.state.filter}"`
            : 'No hotspots above the threshold',
        },
      ];
    }
    const withPseudo = (nodes: Node[]) => (pseudo ? [...nodes, pseudo] : nodes);
    if (this.state.groupBy === 'none')
      return withPseudo(entries.map((entry) => ({ kind: 'function', entry })));
    const groups = new Map<string, Entry[]>();
    for (const e of entries) {
      const key =
        this.state.groupBy === 'file'
          ? (e.fn?.file ?? `library: ${e.library?.library}`)
          : (e.fn?.hints[0]?.category ?? (e.library ? e.library.kind : 'no hint'));
      const list = groups.get(key);
      if (list) list.push(e);
      else groups.set(key, [e]);
    }
    return withPseudo(
      [...groups.entries()].map(([label, items]) => {
        const file = this.state.groupBy === 'file' ? items[0].fn?.file : undefined;
        const group: Node = { kind: 'group', label, children: [], ...(file ? { file } : {}) };
        for (const entry of items) group.children.push({ kind: 'function', entry, parent: group });
        return group;
      }),
    );
  }

  /**
   * The Changes mode: regressions first, then improvements, each by the size of the change
   * of total, then new and gone functions; unchanged functions (within noise) are left out.
   * "Only my code" keeps workspace functions; the filter applies to name and file.
   */
  private buildChanges(comparison: ProfileComparison): Node[] {
    const filter = this.state.filter.toLowerCase();
    const order = { regressed: 0, improved: 1, new: 2, gone: 3, unchanged: 4 } as const;
    const size = (c: FunctionChange) => Math.abs(c.total.change);
    const changes = comparison.functions
      .filter((c) => c.status !== 'unchanged')
      .filter((c) => !this.state.onlyMyCode || c.origin === 'workspace')
      .filter((c) => !filter || `${c.name} ${c.file ?? ''}`.toLowerCase().includes(filter))
      .sort((a, b) => order[a.status] - order[b.status] || size(b) - size(a))
      .slice(0, MAX_ROWS);
    if (changes.length === 0)
      return [{ kind: 'empty', label: 'No change beyond sampling noise since the baseline' }];
    const groups: Node[] = [];
    const titles = {
      regressed: 'Slower',
      improved: 'Faster',
      new: 'New',
      gone: 'Gone',
      unchanged: '',
    } as const;
    for (const c of changes) {
      let g = groups.find((x) => x.kind === 'group' && x.label === titles[c.status]);
      if (!g) {
        g = { kind: 'group', label: titles[c.status], children: [] };
        groups.push(g);
      }
      if (g.kind === 'group') g.children.push({ kind: 'change', change: c, parent: g });
    }
    return groups;
  }

  /** The "Not functions" group (only my code off): process names and unsymbolized addresses. */
  private pseudoGroup(frames: readonly PseudoFrame[]): Node | undefined {
    if (this.state.onlyMyCode || frames.length === 0) return undefined;
    const filter = this.state.filter.toLowerCase();
    const shown = frames.filter((f) => !filter || f.name.toLowerCase().includes(filter));
    if (shown.length === 0) return undefined;
    const group: Node = { kind: 'group', label: 'Not functions', children: [], pseudo: true };
    for (const frame of shown.slice(0, MAX_ROWS))
      group.children.push({ kind: 'pseudo', frame, parent: group });
    return group;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'empty') return new vscode.TreeItem(node.label);
    const total = this.session.profile?.analysis.profile.total || 1;
    if (node.kind === 'group') {
      if (node.pseudo) {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Collapsed);
        item.description = `${node.children.length} · process names, unsymbolized addresses`;
        item.tooltip =
          'Frames that profilers and collapsers add which are not functions: process and thread names at the root of each stack, and addresses the profiler could not symbolize.';
        item.iconPath = new vscode.ThemeIcon('circle-slash');
        item.id = 'group:pseudo';
        return item;
      }
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      item.description = `${node.children.length}`;
      item.iconPath = new vscode.ThemeIcon(this.state.groupBy === 'file' ? 'file-code' : 'symbol-enum');
      item.id = `group:${this.state.groupBy}:${node.label}`;
      if (node.file)
        item.command = {
          command: CommandId.openFunction,
          title: 'Open Hottest Function',
          arguments: [{ file: node.file }],
        };
      return item;
    }
    if (node.kind === 'change') return this.changeItem(node.change);
    if (node.kind === 'pseudo') {
      const p = node.frame;
      const item = new vscode.TreeItem(p.name, vscode.TreeItemCollapsibleState.None);
      item.description = `${formatPercent((100 * p.total) / total)} total · ${p.kind === 'process' ? 'process or thread name' : 'unsymbolized address'}`;
      item.iconPath = new vscode.ThemeIcon(p.kind === 'process' ? 'server-process' : 'question');
      item.id = `pseudo:${p.name}`;
      item.contextValue = 'pseudoFrame';
      return item;
    }
    const e = node.entry;
    if (e.fn) {
      const f = e.fn;
      const item = new vscode.TreeItem(f.displayName, vscode.TreeItemCollapsibleState.None);
      item.description = `${this.figures(f)} · ${f.file}:${f.line}`;
      item.tooltip = new vscode.MarkdownString(
        `**${f.name.replace(/[\\`*_[\]<>]/g, (c) => `\\${c}`)}**\n\n${f.file}:${f.line}${f.hints[0] ? `\n\n${f.hints[0].label}` : ''}`,
      );
      item.iconPath = new vscode.ThemeIcon(
        'flame',
        new vscode.ThemeColor(f.totalPercent >= 8 ? 'charts.red' : 'charts.orange'),
      );
      item.command = { command: CommandId.openFunction, title: 'Open Function', arguments: [f.key] };
      item.id = `fn:${f.key}`;
      item.contextValue = 'hotspot';
      return item;
    }
    const l = e.library!;
    const item = new vscode.TreeItem(l.name, vscode.TreeItemCollapsibleState.None);
    const selfPercent = (100 * l.self) / total;
    const figures = this.figures({
      selfPercent,
      selfInclLibrariesPercent: selfPercent,
      totalPercent: (100 * l.total) / total,
    });
    item.description = `${figures} · ${l.library}`;
    item.iconPath = new vscode.ThemeIcon(l.kind === 'kernel' ? 'server-environment' : 'library');
    item.id = `lib:${l.name}`;
    item.contextValue = 'library';
    return item;
  }

  private changeItem(c: FunctionChange): vscode.TreeItem {
    const comparison = this.session.comparison!;
    const item = new vscode.TreeItem(c.name, vscode.TreeItemCollapsibleState.None);
    const share = (w: number, total: number) => formatPercent(total > 0 ? (100 * w) / total : 0);
    const before = share(c.total.baseline, comparison.totals.baseline);
    const now = share(c.total.current, comparison.totals.baseline);
    const where = c.file ? ` · ${c.file}:${c.line ?? 1}` : c.origin === 'workspace' ? '' : ` · ${c.origin}`;
    item.description = `${changeText({ changePercent: c.total.changePercent, status: c.status })} · ${before} → ${now} total${where}`;
    item.tooltip = new vscode.MarkdownString(
      `**${c.name.replace(/[\\`*_[\]<>]/g, (x) => `\\${x}`)}**\n\nTotal ${before} → ${now} of the baseline's total (${c.total.changePercent === null ? 'new' : `${c.total.changePercent > 0 ? '+' : ''}${c.total.changePercent.toFixed(1)}%`}, ${c.confidence === 'sure' ? 'beyond sampling noise' : c.confidence === 'likely' ? 'likely beyond noise' : 'within noise'}, ±${c.total.baseline > 0 ? ((100 * c.total.sigma) / c.total.baseline).toFixed(1) : '—'}%)\n\nCompared ${comparison.normalization === 'share' ? 'as shares' : 'in absolute terms'}: ${comparison.normalizationReason}`,
    );
    const up = c.status === 'regressed' || c.status === 'new';
    item.iconPath = new vscode.ThemeIcon(
      up ? 'arrow-up' : 'arrow-down',
      new vscode.ThemeColor(up ? 'hotspotLens.regressedLine' : 'hotspotLens.improvedLine'),
    );
    if (c.file)
      item.command = {
        command: CommandId.openFunction,
        title: 'Open Function',
        arguments: [{ file: c.file, line: c.line ?? 1 }],
      };
    item.id = `change:${c.key}`;
    item.contextValue = 'change';
    return item;
  }

  /** The figures in the order of the sort: the one the list is ranked by first. */
  private figures(f: Parameters<typeof heatFigureTexts>[0]): string {
    const t = heatFigureTexts(f);
    const incl = t.inclLibraries;
    const order =
      this.state.sortBy === 'self'
        ? [t.self, incl, t.total]
        : this.state.sortBy === 'total'
          ? [t.total, t.self, incl]
          : [incl ?? t.self, incl ? t.self : undefined, t.total];
    return order.filter((x) => x !== undefined).join(' · ');
  }

  private entries(): Entry[] {
    const analysis = this.session.profile?.analysis;
    if (!analysis) return [];
    const by = this.state.sortBy;
    const filter = this.state.filter.toLowerCase();
    const list: Entry[] = analysis.hotspots.map((fn) => ({ fn }));
    if (!this.state.onlyMyCode) for (const library of analysis.libraryHotspots) list.push({ library });
    // a library function's own figure is its self time: it calls no library on our behalf
    const weight = (e: Entry) =>
      e.fn ? e.fn[by] : by === 'selfInclLibraries' ? e.library!.self : e.library![by];
    return list
      .filter((e) => weight(e) > 0)
      .filter(
        (e) =>
          !filter || (e.fn ? `${e.fn.name} ${e.fn.file}` : e.library!.name).toLowerCase().includes(filter),
      )
      .sort((a, b) => weight(b) - weight(a) || (b.fn ?? b.library!).total - (a.fn ?? a.library!).total)
      .slice(0, MAX_ROWS);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
