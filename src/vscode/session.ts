import * as vscode from 'vscode';
import {
  linkPlans,
  type PlanFileStatus,
  type PlanSource,
  planStatusForFile,
  sectionExcerpt,
} from '../core/analysis/plan-links';
import type { HotFunction, HotLine, PlanLink, ProfileAnalysis } from '../core/analysis/types';
import type { Plan } from '../core/plan/types';
import { ContextKey } from './command-ids';

/** A profile that finished loading: the analysis and where it came from. */
export interface LoadedProfile {
  readonly uri: vscode.Uri;
  /** The workspace folder the analysis maps onto. */
  readonly folder: vscode.WorkspaceFolder;
  readonly analysis: ProfileAnalysis;
  /** When the profile file was last modified (ms since epoch): files changed later are stale. */
  readonly recordedAt: number;
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
export type SessionChange = 'profile' | 'plans' | 'annotations';

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

  constructor() {
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

  /** Replaces (or clears, with undefined) the loaded profile. */
  setProfile(profile: LoadedProfile | undefined): void {
    this.loadedProfile = profile;
    this.hotspotsByFile = new Map();
    for (const f of profile?.analysis.hotspots ?? []) {
      const list = this.hotspotsByFile.get(f.file);
      if (list) list.push(f);
      else this.hotspotsByFile.set(f.file, [f]);
    }
    this.relink();
    void vscode.commands.executeCommand('setContext', ContextKey.profileLoaded, !!profile);
    this.changed.fire('profile');
  }

  /** Replaces the loaded plans. */
  setPlans(plans: readonly LoadedPlan[]): void {
    this.loadedPlans = plans;
    this.relink();
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
