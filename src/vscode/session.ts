import * as vscode from 'vscode';
import {
  linkPlans,
  type PlanFileStatus,
  type PlanSource,
  planStatusForFile,
  sectionExcerpt,
} from '../core/analysis/plan-links';
import type { HotFunction, HotLine, PlanLink, ProfileAnalysis } from '../core/analysis/types';
import {
  checkPlan,
  compareProfiles,
  compareWeights,
  type PlanCheck,
  workspaceFunctionKey,
} from '../core/compare';
import type {
  CompareSnapshot,
  FigureChange,
  FunctionChange,
  NormalizationSetting,
  ProfileComparison,
} from '../core/compare/types';
import type { FlameData } from '../core/flame/flame-data';
import type { Plan } from '../core/plan/types';
import { ContextKey } from './command-ids';

/** A profile that finished loading: the analysis and where it came from. */
export interface LoadedProfile {
  readonly uri: vscode.Uri;
  /** The workspace folder the analysis maps onto. */
  readonly folder: vscode.WorkspaceFolder;
  readonly analysis: ProfileAnalysis;
  /** The profile reduced for comparing (functions by identity, merged call tree). */
  readonly snapshot: CompareSnapshot;
  /** The flame graph's data, built with the same mapping (undefined for profiles loaded otherwise). */
  readonly flame?: FlameData;
  /** When the profile file was last modified (ms since epoch): files changed later are stale. */
  readonly recordedAt: number;
}

/** The profile the loaded one is compared with. */
export interface Baseline {
  /** The file it was loaded from (it may have been overwritten since: a re-profile). */
  readonly uri: vscode.Uri;
  /** How it is named on screen: `flamegraph.svg (before the re-profile at 14:02)`. */
  readonly label: string;
  readonly analysis: ProfileAnalysis;
  readonly snapshot: CompareSnapshot;
}

/** A parsed plan and its file. */
export interface LoadedPlan {
  readonly uri: vscode.Uri;
  readonly plan: Plan;
  /** The text the plan was parsed from (the document's, including unsaved edits). */
  readonly text: string;
  /** Workspace-relative path, or the absolute path when outside the workspace. */
  readonly file: string;
}

/** A file's plan status with the plan's URI, for the file-top CodeLens. */
export interface PlanStatusForFile extends PlanFileStatus {
  readonly planUri: vscode.Uri;
  readonly planName: string;
}

/** What changed, for listeners that only care about some of it. */
export type SessionChange = 'profile' | 'plans' | 'annotations' | 'comparison';

/**
 * The extension's state: the loaded profile's analysis, the loaded plans and the
 * annotation toggle. Every view renders from it; a reload replaces a whole part at
 * once (never half of an old profile and half of a new one). Keeps the context
 * keys used in `when` clauses in sync.
 */
export class Session implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SessionChange>();
  /** Fires after a part of the state was replaced. */
  readonly onDidChange = this.changed.event;
  private loadedProfile: LoadedProfile | undefined;
  private loadedPlans: readonly LoadedPlan[] = [];
  private annotations = true;
  private hotspotsByFile = new Map<string, HotFunction[]>();
  private planLinks = new Map<string, PlanLink[]>();
  private currentBaseline: Baseline | undefined;
  private currentComparison: ProfileComparison | undefined;
  private changesByKey = new Map<string, FunctionChange>();
  private baselineLines = new Map<string, Map<number, HotLine>>();
  private planChecks = new Map<string, PlanCheck>();

  /**
   * @param normalization how to put the two profiles' weights on one scale (setting
   *   `hotspotLens.compare.normalization`), read at each comparison
   */
  constructor(private readonly normalization: () => NormalizationSetting = () => 'auto') {
    void vscode.commands.executeCommand('setContext', ContextKey.profileLoaded, false);
    void vscode.commands.executeCommand('setContext', ContextKey.planLoaded, false);
  }

  get profile(): LoadedProfile | undefined {
    return this.loadedProfile;
  }

  get plans(): readonly LoadedPlan[] {
    return this.loadedPlans;
  }

  get annotationsEnabled(): boolean {
    return this.annotations;
  }

  /**
   * Replaces (or clears, with undefined) the loaded profile; with `baseline`, sets the
   * baseline in the same step (a re-profile: the previous profile becomes the baseline).
   */
  setProfile(profile: LoadedProfile | undefined, baseline?: Baseline): void {
    this.loadedProfile = profile;
    if (baseline) {
      this.currentBaseline = baseline;
      void vscode.commands.executeCommand('setContext', ContextKey.baselineSet, true);
    }
    this.hotspotsByFile = new Map();
    for (const f of profile?.analysis.hotspots ?? []) {
      const list = this.hotspotsByFile.get(f.file);
      if (list) list.push(f);
      else this.hotspotsByFile.set(f.file, [f]);
    }
    this.relink();
    void vscode.commands.executeCommand('setContext', ContextKey.profileLoaded, !!profile);
    this.recompare();
    this.changed.fire('profile');
    if (baseline) this.changed.fire('comparison');
  }

  /** The profile the loaded one is compared with, if any. */
  get baseline(): Baseline | undefined {
    return this.currentBaseline;
  }

  /** The comparison of the loaded profile with the baseline, when both are there. */
  get comparison(): ProfileComparison | undefined {
    return this.currentComparison;
  }

  /** Sets (or clears, with undefined) the baseline; the comparison follows. */
  setBaseline(baseline: Baseline | undefined): void {
    this.currentBaseline = baseline;
    void vscode.commands.executeCommand('setContext', ContextKey.baselineSet, !!baseline);
    this.recompare();
    this.changed.fire('comparison');
  }

  /** Compares again (the normalization setting changed). */
  refreshComparison(): void {
    this.recompare();
    this.changed.fire('comparison');
  }

  /** A hot function's change since the baseline, when there is a comparison that has it. */
  changeOf(f: HotFunction): FunctionChange | undefined {
    return this.changesByKey.get(workspaceFunctionKey(f.file, f.displayName));
  }

  /**
   * A hot line's total since the baseline, when there is a comparison: a definition line that
   * carries its whole function's total compares as that function (by identity, wherever it
   * was before); any other line with the same file and line of the baseline's analysis,
   * weights converted and judged like the functions'.
   */
  lineChangeOf(file: string, line: HotLine): FigureChange | undefined {
    const c = this.currentComparison;
    if (!c) return undefined;
    // a definition line (where line-less profiles put a function's weight) follows its
    // function by identity, so a function that moved since the baseline still compares
    const fn = this.hotspotsByFile.get(file)?.find((f) => f.line === line.line);
    const byFunction = fn && line.total === fn.total ? this.changeOf(fn) : undefined;
    if (byFunction) return byFunction.total;
    const before = this.baselineLines.get(file)?.get(line.line);
    return compareWeights(c, before?.total ?? 0, line.total);
  }

  /** The plan's claims and expected gains checked against the comparison, per plan file. */
  planCheckFor(planUri: vscode.Uri): PlanCheck | undefined {
    return this.planChecks.get(planUri.toString());
  }

  private recompare(): void {
    const b = this.currentBaseline;
    const p = this.loadedProfile;
    this.currentComparison =
      b && p ? compareProfiles(b.snapshot, p.snapshot, { normalization: this.normalization() }) : undefined;
    this.changesByKey = new Map((this.currentComparison?.functions ?? []).map((f) => [f.key, f]));
    this.baselineLines = new Map();
    if (this.currentComparison && b) {
      for (const [file, lines] of Object.entries(b.analysis.lines))
        this.baselineLines.set(file, new Map(lines.map((l) => [l.line, l])));
    }
    this.recheckPlans();
    void vscode.commands.executeCommand('setContext', ContextKey.comparing, !!this.currentComparison);
  }

  private recheckPlans(): void {
    this.planChecks = new Map();
    const c = this.currentComparison;
    if (!c) return;
    for (const p of this.loadedPlans) this.planChecks.set(p.uri.toString(), checkPlan(c, p.plan));
  }

  /** Replaces the loaded plans. */
  setPlans(plans: readonly LoadedPlan[]): void {
    this.loadedPlans = plans;
    this.relink();
    this.recheckPlans();
    void vscode.commands.executeCommand('setContext', ContextKey.planLoaded, plans.length > 0);
    this.changed.fire('plans');
  }

  /** Turns annotations (decorations and lenses) on or off for this session. */
  setAnnotationsEnabled(on: boolean): void {
    this.annotations = on;
    this.changed.fire('annotations');
  }

  /**
   * The workspace-relative path of a document in the profile's folder, or undefined
   * when no profile is loaded or the document is outside that folder.
   */
  relativePath(uri: vscode.Uri): string | undefined {
    const folder = this.loadedProfile?.folder;
    if (!folder || uri.scheme !== folder.uri.scheme) return undefined;
    const root = folder.uri.path.endsWith('/') ? folder.uri.path : `${folder.uri.path}/`;
    return uri.path.startsWith(root) ? uri.path.slice(root.length) : undefined;
  }

  /** Hot functions defined in a document (empty when none or no profile). */
  functionsIn(uri: vscode.Uri): readonly HotFunction[] {
    const rel = this.relativePath(uri);
    return rel === undefined ? [] : (this.hotspotsByFile.get(rel) ?? []);
  }

  /** Hot lines of a document (empty when none or no profile). */
  linesIn(uri: vscode.Uri): readonly HotLine[] {
    const rel = this.relativePath(uri);
    return rel === undefined ? [] : (this.loadedProfile?.analysis.lines[rel] ?? []);
  }

  /** Plan sections that cover a hot function, strongest first. */
  planLinksFor(f: HotFunction): readonly PlanLink[] {
    return this.planLinks.get(f.key) ?? [];
  }

  /** Plan sections that name a document as an implementation location, with their progress. */
  planStatusForFile(uri: vscode.Uri): PlanStatusForFile[] {
    if (this.loadedPlans.length === 0) return [];
    const rel = this.relativePath(uri) ?? vscode.workspace.asRelativePath(uri, false);
    return planStatusForFile(rel, this.planSources()).map((s) => {
      const p = this.loadedPlans.find((lp) => lp.file === s.planFile);
      return { ...s, planUri: p?.uri ?? uri, planName: p?.plan.title ?? s.planTitle };
    });
  }

  /** A few lines of the plan section a link points to. */
  planExcerpt(link: PlanLink): string {
    const p = this.loadedPlans.find((lp) => lp.file === link.planFile);
    return p ? sectionExcerpt(p.text, link.line) : '';
  }

  private planSources(): PlanSource[] {
    return this.loadedPlans.map((p) => ({ file: p.file, plan: p.plan }));
  }

  private relink(): void {
    const hotspots = this.loadedProfile?.analysis.hotspots ?? [];
    this.planLinks =
      hotspots.length > 0 && this.loadedPlans.length > 0
        ? linkPlans(hotspots, this.planSources())
        : new Map();
  }

  /** The workspace URI of a workspace-relative path of the loaded profile's folder. */
  uriOf(relative: string): vscode.Uri | undefined {
    const folder = this.loadedProfile?.folder;
    return folder ? vscode.Uri.joinPath(folder.uri, relative) : undefined;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
