import * as vscode from 'vscode';
import { planProgress } from '../core/plan';
import type {
  Plan,
  PlanClaim,
  PlanItem,
  PlanLocation,
  PlanPhase,
  PlanStatus,
  PlanTask,
} from '../core/plan/types';
import { CommandId } from './command-ids';
import type { PlanController } from './plan-controller';
import type { LoadedPlan, Session } from './session';

/** Rows of the Plan view. */
export type PlanNode =
  | { readonly kind: 'plan'; readonly loaded: LoadedPlan }
  | { readonly kind: 'phase'; readonly planUri: vscode.Uri; readonly plan: Plan; readonly phase: PlanPhase }
  | {
      readonly kind: 'group';
      readonly planUri: vscode.Uri;
      readonly plan: Plan;
      readonly label: string;
      readonly children: PlanNode[];
    }
  | { readonly kind: 'task'; readonly planUri: vscode.Uri; readonly task: PlanTask }
  | { readonly kind: 'item'; readonly planUri: vscode.Uri; readonly item: PlanItem }
  | { readonly kind: 'location'; readonly planUri: vscode.Uri; readonly location: PlanLocation }
  | { readonly kind: 'claim'; readonly planUri: vscode.Uri; readonly claim: PlanClaim };

/** A row as a person sees it, for tests: label, description, checkbox and children. */
export interface PlanRow {
  readonly label: string;
  readonly description: string;
  /** `true` / `false` for a tickable task, undefined otherwise. */
  readonly checked?: boolean;
  readonly children: PlanRow[];
}

/** A note on a phase: a few words after its progress, and its tooltip's paragraph. */
export type PhaseNotes = (
  planUri: vscode.Uri,
  phase: PlanPhase,
) => { readonly description: string; readonly tooltip: string } | undefined;

/**
 * The Plan view: plan → phases (with "done/total" progress, child phases nested)
 * → tasks with checkboxes (managed manually: ticking a phase's task never ticks its
 * siblings or parent), plain steps, implementation locations (click opens; missing
 * ones read "planned (new)" or "not found" with a search action) and hotspot claims.
 * Tasks, locations and claims outside every phase are grouped under the plan.
 */
export class PlanTreeProvider implements vscode.TreeDataProvider<PlanNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<PlanNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly session: Session,
    private readonly controller: PlanController,
  ) {
    this.subscriptions = [
      // plans, and the plan check when the comparison (a baseline or a re-profile) changes
      session.onDidChange((c) => c !== 'annotations' && this.changed.fire(undefined)),
      controller.onDidChangeLocations(() => this.changed.fire(undefined)),
    ];
  }

  /** Adds a note to phases (see {@link setPhaseNotes}). */
  private phaseNotes: PhaseNotes | undefined;

  /**
   * Lets another part note something on phases (the recordings: the tasks ticked since the
   * baseline was recorded); the view refreshes when `changed` fires.
   * @returns stops the notes
   */
  setPhaseNotes(notes: PhaseNotes, changed: vscode.Event<void>): vscode.Disposable {
    this.phaseNotes = notes;
    const sub = changed(() => this.changed.fire(undefined));
    return new vscode.Disposable(() => {
      sub.dispose();
      if (this.phaseNotes === notes) this.phaseNotes = undefined;
      this.changed.fire(undefined);
    });
  }

  getChildren(node?: PlanNode): PlanNode[] {
    if (!node) {
      const plans = this.session.plans;
      if (plans.length === 1) return this.planChildren(plans[0]);
      return plans.map((loaded) => ({ kind: 'plan', loaded }));
    }
    switch (node.kind) {
      case 'plan':
        return this.planChildren(node.loaded);
      case 'phase':
        return this.phaseChildren(node.planUri, node.plan, node.phase);
      case 'group':
        return node.children;
      case 'task':
        return node.task.children.map((task) => ({ kind: 'task', planUri: node.planUri, task }));
      default:
        return [];
    }
  }

  getTreeItem(node: PlanNode): vscode.TreeItem {
    const None = vscode.TreeItemCollapsibleState.None;
    const Expanded = vscode.TreeItemCollapsibleState.Expanded;
    const Collapsed = vscode.TreeItemCollapsibleState.Collapsed;
    switch (node.kind) {
      case 'plan': {
        const { plan, uri } = node.loaded;
        const progress = planProgress(plan);
        const item = new vscode.TreeItem(plan.title, Expanded);
        item.description = `${progress.done}/${progress.total}`;
        item.tooltip = uri.fsPath;
        item.iconPath = new vscode.ThemeIcon('book');
        item.id = `plan:${uri.toString()}`;
        item.command = { command: CommandId.planRevealSection, title: 'Open Plan', arguments: [uri, 1] };
        return item;
      }
      case 'phase': {
        const p = this.phaseProgress(node.plan, node.phase);
        // phases with tasks open expanded; sections that only describe (no tasks) start collapsed
        const item = new vscode.TreeItem(node.phase.title, p.total > 0 ? Expanded : Collapsed);
        item.description = p.total > 0 ? `${p.done}/${p.total}` : '';
        item.iconPath = new vscode.ThemeIcon(p.total > 0 && p.done === p.total ? 'pass-filled' : 'milestone');
        item.tooltip = `${node.phase.title}\n${p.done} of ${p.total} tasks done`;
        // the status and priority the plan's heading tags give (✅ DONE, [HIGH], (High Impact))
        // a "done" the progress already shows is not repeated
        const complete = p.total > 0 && p.done === p.total;
        const shownStatus =
          node.phase.status && node.phase.status !== 'open' && !(node.phase.status === 'done' && complete)
            ? node.phase.status
            : null;
        const tags = [node.phase.priority, shownStatus].filter((x): x is string => !!x).join(' · ');
        if (tags) {
          item.description = item.description ? `${item.description} · ${tags}` : tags;
          item.tooltip += `\n${tags}`;
        }
        const note = this.phaseNotes?.(node.planUri, node.phase);
        if (note) {
          item.description = item.description
            ? `${item.description} · ${note.description}`
            : note.description;
          item.tooltip += `\n\n${note.tooltip}`;
        }
        // expected gains of the phase, checked against the comparison with the baseline
        const gains = (this.session.planCheckFor(node.planUri)?.gains ?? []).filter(
          (g) => g.phase === node.phase.title && g.verdict !== null,
        );
        if (gains.length > 0) {
          const g = gains[0];
          const mark = g.verdict === 'met' ? '✓' : g.verdict === 'partly' ? '◐' : '✗';
          item.description = `${item.description ? `${item.description} · ` : ''}${mark} expected ${rangeText(g.min, g.max)}, measured ${g.measuredPercent.toFixed(1)}%`;
          item.tooltip += `\n\n${gains
            .map(
              (x) =>
                `Expected: ${x.text} (${rangeText(x.min, x.max)} less time${x.minSpeedup !== null ? `, ${x.minSpeedup.toFixed(2)}×${x.maxSpeedup !== null && x.maxSpeedup !== x.minSpeedup ? `–${x.maxSpeedup.toFixed(2)}×` : ''} faster` : ''})\nMeasured since the baseline: ${x.measuredPercent.toFixed(1)}% less time (${x.measuredSpeedup.toFixed(2)}×, ±${x.measuredSigmaPercent.toFixed(1)} points): ${x.verdict}`,
            )
            .join(
              '\n',
            )}\n("X% improvement" is read as X% less time; the whole run is measured, so judge the phase you applied.)`;
        }
        item.id = `phase:${node.planUri.toString()}#${node.phase.sectionId}`;
        item.command = {
          command: CommandId.planRevealSection,
          title: 'Reveal Section',
          arguments: [node.planUri, node.phase.line],
        };
        item.contextValue = 'phase';
        return item;
      }
      case 'group': {
        const item = new vscode.TreeItem(node.label, Collapsed);
        item.description = `${node.children.length}`;
        item.id = `group:${node.planUri.toString()}#${node.label}`;
        return item;
      }
      case 'task': {
        const t = node.task;
        const item = new vscode.TreeItem(t.text, t.children.length > 0 ? Expanded : None);
        item.id = `task:${node.planUri.toString()}#${t.line}:${t.text}`;
        item.command = {
          command: CommandId.planRevealTask,
          title: 'Reveal Task',
          arguments: [node.planUri, t.line],
        };
        if (t.checkbox) {
          item.checkboxState = {
            state: t.done ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked,
            tooltip: t.done ? 'Untick (writes [ ] into the plan)' : 'Tick (writes [x] into the plan)',
          };
          item.contextValue = 'task';
        } else {
          item.description = t.statusMark ?? t.status;
          item.iconPath = new vscode.ThemeIcon(STATUS_ICON[t.status]);
          item.contextValue = 'status-task';
          item.tooltip = `${t.text}\nStatus mark ${t.statusMark ?? ''}: edit the plan to change it`;
        }
        return item;
      }
      case 'item': {
        const item = new vscode.TreeItem(node.item.text, None);
        item.iconPath = new vscode.ThemeIcon(node.item.ordered ? 'list-ordered' : 'list-unordered');
        item.id = `item:${node.planUri.toString()}#${node.item.id}`;
        item.command = {
          command: CommandId.planRevealTask,
          title: 'Reveal',
          arguments: [node.planUri, node.item.line],
        };
        return item;
      }
      case 'location': {
        const loc = node.location;
        const state = this.controller.locationState(node.planUri, loc);
        const label = `${loc.path}${loc.symbol ? `:${loc.symbol}` : ''}${loc.line !== null ? `:${loc.line}${loc.endLine !== null && loc.endLine !== loc.line ? `-${loc.endLine}` : ''}` : ''}`;
        const item = new vscode.TreeItem(label, None);
        item.id = `loc:${node.planUri.toString()}#${loc.id}`;
        const arg = { planUri: node.planUri, location: loc };
        item.command = { command: CommandId.planOpenLocation, title: 'Open', arguments: [arg] };
        if (loc.kind === 'reference' && state.kind !== 'outside') {
          // a file the plan only runs or mentions (a script, a scratch path, a test run afterwards)
          item.iconPath = new vscode.ThemeIcon('references');
          item.description = 'reference';
          item.contextValue = state.kind === 'found' ? 'location' : 'location-missing';
          item.tooltip = `${loc.path}: the plan refers to it (runs or mentions it); not an implementation location`;
          return item;
        }
        switch (state.kind) {
          case 'found':
            item.iconPath = vscode.ThemeIcon.File;
            item.resourceUri = state.uri;
            item.description = loc.phaseId === null ? (loc.section ?? '') : '';
            item.contextValue = 'location';
            break;
          case 'new':
            item.iconPath = new vscode.ThemeIcon('new-file');
            item.description = 'planned (new)';
            item.contextValue = 'location-missing';
            break;
          case 'missing':
            item.iconPath = new vscode.ThemeIcon(
              'warning',
              new vscode.ThemeColor('problemsWarningIcon.foreground'),
            );
            item.description = 'not found';
            item.contextValue = 'location-missing';
            item.tooltip = `${loc.path} is not in the workspace. Click to search for files named like it.`;
            break;
          case 'outside':
            item.iconPath = new vscode.ThemeIcon('shield');
            item.description = 'outside the workspace';
            item.contextValue = 'location-outside';
            item.tooltip = `${state.uri.fsPath} is outside the workspace: Hotspot Lens asks before opening it.`;
            break;
        }
        return item;
      }
      case 'claim': {
        const c = node.claim;
        const item = new vscode.TreeItem(c.symbol, None);
        item.description = `${c.percent}%${c.kind !== 'unspecified' ? ` ${c.kind}` : ''}`;
        // the claim then → now, when comparing with a baseline
        const check = this.session
          .planCheckFor(node.planUri)
          ?.claims.find((x) => x.line === c.line && x.symbol === c.symbol);
        if (check && check.baselinePercent !== null && check.nowPercent !== null) {
          item.description += ` · ${check.baselinePercent.toFixed(1)}% → ${check.nowPercent.toFixed(1)}%`;
          item.tooltip = `${c.symbol}: the plan says ${c.percent}%; the baseline had ${check.baselinePercent.toFixed(1)}%, the loaded profile ${check.nowPercent.toFixed(1)}% (${check.figure}, share of each total)${check.changePercent !== null ? `; its weight changed ${check.changePercent > 0 ? '+' : ''}${check.changePercent.toFixed(0)}% (${check.status})` : ''}`;
        }
        item.iconPath = new vscode.ThemeIcon('flame');
        item.id = `claim:${node.planUri.toString()}#${c.id}`;
        item.command = {
          command: CommandId.planRevealSection,
          title: 'Reveal',
          arguments: [node.planUri, c.line],
        };
        return item;
      }
    }
  }

  getParent(): PlanNode | undefined {
    return undefined;
  }

  /** The whole tree as rows (label, description, checkbox), for tests. */
  rows(node?: PlanNode): PlanRow[] {
    return this.getChildren(node).map((n) => {
      const item = this.getTreeItem(n);
      const cb = item.checkboxState;
      const state = cb === undefined ? undefined : typeof cb === 'object' ? cb.state : cb;
      return {
        label: typeof item.label === 'string' ? item.label : (item.label?.label ?? ''),
        description: String(item.description ?? ''),
        ...(state !== undefined ? { checked: state === vscode.TreeItemCheckboxState.Checked } : {}),
        children: this.rows(n),
      };
    });
  }

  private planChildren(loaded: LoadedPlan): PlanNode[] {
    const { plan, uri } = loaded;
    const out: PlanNode[] = plan.phases.map((phase) => ({ kind: 'phase', planUri: uri, plan, phase }));
    const looseTasks = plan.tasks.filter((t) => t.phaseId === null && t.parentId === null);
    const looseLocations = plan.locations.filter((l) => l.phaseId === null);
    const looseClaims = plan.claims.filter((c) => c.phaseId === null);
    const group = (label: string, children: PlanNode[]): PlanNode[] =>
      children.length > 0 ? [{ kind: 'group', planUri: uri, plan, label, children }] : [];
    if (plan.phases.length === 0) {
      out.push(...looseTasks.map((task): PlanNode => ({ kind: 'task', planUri: uri, task })));
    } else {
      out.push(
        ...group(
          'Other tasks',
          looseTasks.map((task) => ({ kind: 'task', planUri: uri, task })),
        ),
      );
    }
    out.push(
      ...group(
        'Implementation locations',
        looseLocations.map((location) => ({ kind: 'location', planUri: uri, location })),
      ),
    );
    out.push(
      ...group(
        'Hotspot claims',
        looseClaims.map((claim) => ({ kind: 'claim', planUri: uri, claim })),
      ),
    );
    return out;
  }

  private phaseChildren(planUri: vscode.Uri, plan: Plan, phase: PlanPhase): PlanNode[] {
    return [
      ...phase.children.map((child): PlanNode => ({ kind: 'phase', planUri, plan, phase: child })),
      ...phase.tasks.map((task): PlanNode => ({ kind: 'task', planUri, task })),
      ...phase.items.map((item): PlanNode => ({ kind: 'item', planUri, item })),
      ...phase.locations.map((location): PlanNode => ({ kind: 'location', planUri, location })),
      ...phase.claims.map((claim): PlanNode => ({ kind: 'claim', planUri, claim })),
    ];
  }

  private phaseProgress(plan: Plan, phase: PlanPhase): { done: number; total: number } {
    const p = planProgress(plan).phases.find((x) => x.phaseId === phase.sectionId);
    return p ?? { done: 0, total: 0 };
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}

/** `10–15%`, `30%`, or `?` for an expected range in percent. */
function rangeText(min: number | null, max: number | null): string {
  if (min === null) return '?';
  return max !== null && Math.abs(max - min) > 1e-9 ? `${trim(min)}–${trim(max)}%` : `${trim(min)}%`;
}

function trim(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** The icon of a task's state (status words and emoji of the plan). */
const STATUS_ICON: Record<PlanStatus, string> = {
  done: 'pass',
  'in-progress': 'sync',
  open: 'circle-large-outline',
  blocked: 'error',
  dropped: 'circle-slash',
};
