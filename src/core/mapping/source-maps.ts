import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import type { Profile } from '../profile/model';

/**
 * Source maps of bundled JavaScript (esbuild, webpack, tsc output): a `.cpuprofile` of
 * `dist/cli.js` names bundle lines; through the bundle's source map each frame becomes the
 * `src/*.ts` position it was compiled from. The map is found the way browsers and Node find
 * it: the bundle's last `//# sourceMappingURL=` comment (a `data:` URL for an inline map, else
 * a path relative to the bundle), or else `<bundle>.map` beside it. Decoding is done by
 * `@jridgewell/trace-mapping`. Nothing here reads files: the caller passes a reader.
 */

/**
 * Reads a file the profile names (a bundle or its `.map`), given as the profile wrote it or as
 * resolved from it: an absolute path or a `file://` URL. Resolves to the text, or undefined
 * when the file cannot be read (it must not reject).
 */
export type ProfileFileReader = (file: string) => Promise<string | undefined>;

/** Where a bundle position comes from. */
export interface OriginalPosition {
  /** The source file, resolved against the map's location (absolute path or `file://` URL, as the map gives). */
  readonly file: string;
  /** 1-based line in {@link file}. */
  readonly line: number;
  /** 1-based column, when the map has one. */
  readonly column?: number;
  /** The original name at that position, when the map names one. */
  readonly name?: string;
}

/** The source maps of a profile's bundles, ready for lookups (see {@link loadSourceMaps}). */
export class SourceMaps {
  /** @param maps decoded map per bundle file, as the profile names the bundle */
  constructor(private readonly maps: ReadonlyMap<string, TraceMap>) {}

  /** Number of bundles with a source map. */
  get size(): number {
    return this.maps.size;
  }

  /**
   * The original position of a bundle position.
   * @param bundle the frame's file exactly as the profile wrote it
   * @param line 1-based line in the bundle
   * @param column 1-based column in the bundle (the start of the line when undefined)
   * @returns undefined when the bundle has no map or the map does not cover the position
   */
  lookup(bundle: string, line: number, column?: number): OriginalPosition | undefined {
    const map = this.maps.get(bundle);
    if (!map || line < 1) return undefined;
    const pos = originalPositionFor(map, { line, column: Math.max(0, (column ?? 1) - 1) });
    if (pos.source === null || pos.line === null) return undefined;
    return {
      file: pos.source,
      line: pos.line,
      ...(pos.column !== null ? { column: pos.column + 1 } : {}),
      ...(pos.name !== null ? { name: pos.name } : {}),
    };
  }
}

const SCRIPT = /\.(m?js|cjs)$/;

/**
 * Finds and decodes the source map of every JavaScript bundle a profile's frames name.
 * @param profile the profile (frames whose file ends in `.js`, `.mjs` or `.cjs` are looked at;
 *   `node:` and `node_modules` scripts are skipped)
 * @param read reads a bundle or map file (see {@link ProfileFileReader})
 * @returns the maps found; bundles without a readable, valid map are left out (never throws)
 */
export async function loadSourceMaps(profile: Profile, read: ProfileFileReader): Promise<SourceMaps> {
  const bundles = new Set<string>();
  for (const f of profile.frames) {
    if (f.file === undefined || f.file.startsWith('node:') || /[\\/]node_modules[\\/]/.test(f.file)) continue;
    if (SCRIPT.test(f.file.replace(/[?#].*$/, ''))) bundles.add(f.file);
  }
  const maps = new Map<string, TraceMap>();
  for (const bundle of bundles) {
    const map = await mapOf(bundle, read);
    if (map) maps.set(bundle, map);
  }
  return new SourceMaps(maps);
}

async function mapOf(bundle: string, read: ProfileFileReader): Promise<TraceMap | undefined> {
  const text = await read(bundle);
  if (text === undefined) return undefined;
  const url = lastSourceMappingUrl(text);
  if (url?.startsWith('data:')) return decode(dataUrlText(url), bundle);
  const mapFile = url !== undefined ? resolveBeside(bundle, url) : `${bundle}.map`;
  const mapText = await read(mapFile);
  return mapText === undefined ? undefined : decode(mapText, mapFile);
}

function decode(json: string | undefined, mapUrl: string): TraceMap | undefined {
  if (json === undefined) return undefined;
  try {
    return new TraceMap(json, mapUrl);
  } catch {
    return undefined;
  }
}

/** The URL of the last `//# sourceMappingURL=` (or `//@`) comment of a script. */
function lastSourceMappingUrl(text: string): string | undefined {
  const re = /\/\/[#@]\s*sourceMappingURL=(\S+)\s*$/gm;
  let last: string | undefined;
  for (let m = re.exec(text); m; m = re.exec(text)) last = m[1];
  return last;
}

/** Text of a `data:application/json;base64,…` (or percent-encoded) URL. */
function dataUrlText(url: string): string | undefined {
  const comma = url.indexOf(',');
  if (comma < 0) return undefined;
  const meta = url.slice(5, comma);
  const body = url.slice(comma + 1);
  try {
    if (!meta.endsWith(';base64')) return decodeURIComponent(body);
    const bin = atob(body);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new TextDecoder().decode(bytes);
  } catch {
    return undefined;
  }
}

/** A URL relative to the bundle: `cli.js.map` beside `file:///a/dist/cli.js` → `file:///a/dist/cli.js.map`. */
function resolveBeside(bundle: string, url: string): string {
  if (/^[a-z][\w+.-]*:/i.test(url) || url.startsWith('/')) return url;
  const slash = Math.max(bundle.lastIndexOf('/'), bundle.lastIndexOf('\\'));
  return `${bundle.slice(0, slash + 1)}${url}`;
}
