import type * as vscode from 'vscode';
import type { AppliedDecoration, HeatDecorations } from './decorations';
import type { FlameGraphController } from './flame-graph/flame-controller';
import type { HotspotsTreeProvider } from './hotspots-tree';
import type { PlanController } from './plan-controller';
import type { PlanRow, PlanTreeProvider } from './plan-tree';
import type { ProfileController } from './profile-commands';
import type { ProfileLoader } from './profile-loader';
import type { Session } from './session';
import type { StatusBar } from './status-bar';

/**
 * How long activation took, in milliseconds of extension-host time (`performance.now()`):
 * evaluating the bundle's modules (`loadMs`), and `activate` itself up to its return
 * (`wireMs`; the profile and plans load afterwards, in the background and in a worker).
 */
export interface ActivationTiming {
  readonly loadMs: number;
  readonly wireMs: number;
}

/**
 * What the in-editor tests read and drive, returned by `activate`: the decorations
 * applied to a document (ranges and text), the rows of both views, the status bar
 * text, and loading/ticking with awaitable results. Read-only views of real state,
 * not a second implementation.
 */
export interface TestApi {
  readonly session: Session;
  /** Loads a profile and waits for it (false when it failed or was cancelled). */
  loadProfile(uri: vscode.Uri): Promise<boolean>;
  /** Loads a profile file as the baseline and compares the loaded profile with it. */
  compareWithBaseline(uri: vscode.Uri): Promise<boolean>;
  /** Loads plans and waits for them. */
  loadPlans(uris: readonly vscode.Uri[]): Promise<boolean>;
  /** Decorations last applied to a document (1-based lines). */
  decorations(uri: vscode.Uri): readonly AppliedDecoration[];
  /** Why a document's annotations are stale, if they are. */
  staleReason(uri: vscode.Uri): string | undefined;
  /** The Plan view's rows. */
  planRows(): PlanRow[];
  /** The Hotspots view's rows. */
  hotspotRows(): ReturnType<HotspotsTreeProvider['rows']>;
  readonly hotspotsTree: HotspotsTreeProvider;
  readonly planTree: PlanTreeProvider;
  readonly plans: PlanController;
  /** The status bar item's text. */
  statusText(): string;
  /** Cancels the profile load in progress. */
  cancelLoad(): void;
  /** True while a profile load is in progress. */
  loading(): boolean;
  /** How long activation took (also in the log). */
  readonly activation: ActivationTiming;
  /** The flame graph views (panel and custom editors), their data, and a round trip to their webviews. */
  readonly flameGraph: FlameGraphController;
}

/** Builds the test API over the real parts. */
export function createTestApi(parts: {
  session: Session;
  decorations: HeatDecorations;
  hotspotsTree: HotspotsTreeProvider;
  planTree: PlanTreeProvider;
  statusBar: StatusBar;
  profiles: ProfileController;
  plans: PlanController;
  loader: ProfileLoader;
  flameGraph: FlameGraphController;
  activation: ActivationTiming;
}): TestApi {
  return {
    session: parts.session,
    loadProfile: (uri) => parts.profiles.load(uri, { quiet: true }),
    loadPlans: (uris) => parts.plans.load(uris),
    compareWithBaseline: (uri) => parts.profiles.compareWithBaseline(uri),
    decorations: (uri) => parts.decorations.appliedTo(uri),
    staleReason: (uri) => parts.decorations.staleReason(uri),
    planRows: () => parts.planTree.rows(),
    hotspotRows: () => parts.hotspotsTree.rows(),
    hotspotsTree: parts.hotspotsTree,
    planTree: parts.planTree,
    plans: parts.plans,
    statusText: () => parts.statusBar.text,
    cancelLoad: () => parts.loader.cancelCurrent(),
    loading: () => parts.loader.busy,
    activation: parts.activation,
    flameGraph: parts.flameGraph,
  };
}
