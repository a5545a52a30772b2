/**
 * The one message protocol between the flame graph's extension side and its webview
 * (`src/webview/flame-graph`). Host → webview messages are typed here; webview → host
 * messages are validated with zod before anything acts on them. The webview names
 * functions only by their index in the function table the host sent, never by path:
 * the host opens only locations it gave out itself.
 */
import { z } from 'zod';
import type { FlameData } from '../../core/flame/flame-data';
import type { FlameOrientation } from '../../core/flame/layout';

/** View options the user can change in the settings (and toggle in the view). */
export interface FlameViewOptions {
  readonly orientation: FlameOrientation;
  readonly collapseLibraryFrames: boolean;
  readonly colorBlindSafe: boolean;
}

/** A plan section covering a function, for the frame mark and the tooltip. */
export interface FlamePlanMark {
  /** The Hotspots view's key of the function. */
  readonly hotspotKey: string;
  /** Section titles, strongest link first. */
  readonly sections: readonly string[];
}

/** Something the in-editor tests ask the webview to do (the same code paths as the mouse and keys). */
export type FlameTestAction =
  | { readonly kind: 'state' }
  | { readonly kind: 'search'; readonly pattern: string }
  | { readonly kind: 'zoom'; readonly node: number }
  | { readonly kind: 'activate'; readonly node: number }
  | { readonly kind: 'select'; readonly node: number }
  | { readonly kind: 'sandwich'; readonly func: number };

/** Host → webview. */
export type HostMessage =
  | {
      readonly type: 'data';
      readonly data: FlameData;
      /** The baseline, for the differential mode. */
      readonly baseline?: FlameData;
      readonly options: FlameViewOptions;
      /** Focus this function (Hotspots key) once drawn. */
      readonly focusHotspotKey?: string;
    }
  | { readonly type: 'loading'; readonly title: string }
  | { readonly type: 'error'; readonly message: string }
  | { readonly type: 'options'; readonly options: FlameViewOptions }
  /** The function under the editor's cursor (Hotspots key), or null. */
  | { readonly type: 'highlight'; readonly hotspotKey: string | null }
  | { readonly type: 'focus'; readonly hotspotKey: string }
  | { readonly type: 'planMarks'; readonly marks: readonly FlamePlanMark[] }
  | { readonly type: 'test'; readonly id: number; readonly action: FlameTestAction };

/** What the webview reports of itself for tests (`state`). */
export interface FlameStateReport {
  readonly nodes: number;
  readonly zoom: number;
  readonly selected: number;
  readonly focused: number;
  readonly mode: 'tree' | 'sandwich' | 'disappeared';
  readonly drawn: number;
  readonly searchShare: number | null;
  readonly searchNodes: number;
  readonly highlighted: number;
  readonly planMarked: number;
  readonly breadcrumb: readonly string[];
  readonly firstPaintMs: number | null;
  readonly canvasWidth: number;
  readonly differential: boolean;
}

const nodeIndex = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1);

/** Webview → host, validated. */
export const webviewMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }).strict(),
  /** Open the source of a function of the current (or the baseline) table. */
  z
    .object({
      type: z.literal('open'),
      func: nodeIndex,
      table: z.enum(['current', 'baseline']).default('current'),
    })
    .strict(),
  /** A frame was selected: reveal its function in the Hotspots view. */
  z.object({ type: z.literal('select'), func: nodeIndex }).strict(),
  /** The first paint after data arrived (ms from the message's arrival), and repaints. */
  z
    .object({
      type: z.literal('painted'),
      phase: z.enum(['first', 'repaint']),
      ms: z.number().nonnegative().finite(),
      rects: z.number().int().nonnegative(),
    })
    .strict(),
  z
    .object({
      type: z.literal('testResult'),
      id: z.number().int(),
      result: z.record(z.string(), z.unknown()),
    })
    .strict(),
  z
    .object({
      type: z.literal('options'),
      orientation: z.enum(['flame', 'icicle']),
      collapseLibraryFrames: z.boolean(),
      colorBlindSafe: z.boolean(),
    })
    .strict(),
]);

/** A validated webview → host message. */
export type WebviewMessage = z.infer<typeof webviewMessageSchema>;
