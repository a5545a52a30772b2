/**
 * Path mapping: turns a source path written in a profile (often absolute, from the
 * machine or container that recorded it) into a workspace file or a library.
 *
 * Order of attempts: exact workspace path (relative, or absolute under `root`) →
 * configured prefix mappings (`hotspotLens.pathMappings`) → library recognition →
 * the longest matching path suffix (reporting the prefix mapping it implies, so the
 * editor can offer to save it) → a bare basename (`engine.rs`) only when exactly one
 * workspace file has it.
 */

/** Library families recognised from their install locations. */
export type LibraryKind =
  | 'rust-std'
  | 'cargo-registry'
  | 'node_modules'
  | 'site-packages'
  | 'go-module-cache'
  | 'system';

/** Where a profile path points. */
export type PathMapping =
  | {
      readonly kind: 'workspace';
      /** Workspace-relative POSIX path. */
      readonly path: string;
      /** How it was found. */
      readonly via: 'exact' | 'configured' | 'suffix' | 'basename';
      /** For `suffix`: the prefix mapping this match implies (`{ '/build/ci/project': '' }` means strip that prefix). */
      readonly inferred?: { readonly from: string; readonly to: string };
    }
  | {
      readonly kind: 'library';
      readonly library: LibraryKind;
      /** The path as written (normalised to forward slashes). */
      readonly path: string;
      /** Package / crate / module name when the path shows one (`hashbrown-0.16.1`, `lodash`, `numpy`). */
      readonly packageName?: string;
    }
  | { readonly kind: 'unknown'; readonly reason: string };

/** Inputs of {@link mapPath}. */
export interface PathMapOptions {
  /** Workspace-relative POSIX paths of the workspace's source files. */
  readonly workspaceFiles: readonly string[];
  /**
   * Prefix mappings: a prefix as recorded in profiles → its replacement, a
   * workspace-relative folder (`''` or `.` for the root) or an absolute path under {@link root}.
   * `${workspaceFolder}` in a replacement stands for {@link root}.
   */
  readonly pathMappings?: Readonly<Record<string, string>>;
  /** Absolute path of the workspace folder (POSIX or Windows); optional. */
  readonly root?: string;
}

/** Precomputed lookup tables for many {@link mapPath} calls over one workspace. */
export class PathMapper {
  private readonly files: Set<string>;
  private readonly byBasename = new Map<string, string[]>();
  private readonly root: string | undefined;
  private readonly mappings: [string, string][];
  private readonly cache = new Map<string, PathMapping>();

  constructor(options: PathMapOptions) {
    this.files = new Set(options.workspaceFiles);
    for (const f of options.workspaceFiles) {
      const b = basename(f);
      const list = this.byBasename.get(b);
      if (list) list.push(f);
      else this.byBasename.set(b, [f]);
    }
    this.root = options.root !== undefined ? trimSlash(toSlash(options.root)) : undefined;
    this.mappings = Object.entries(options.pathMappings ?? {})
      .map(([from, to]): [string, string] => [trimSlash(toSlash(from)), toSlash(to)])
      .sort((a, b) => b[0].length - a[0].length);
  }

  /** Maps one profile path; results are cached per path. */
  map(frameFile: string): PathMapping {
    let hit = this.cache.get(frameFile);
    if (!hit) {
      hit = this.compute(frameFile);
      this.cache.set(frameFile, hit);
    }
    return hit;
  }

  private compute(frameFile: string): PathMapping {
    const file = normalizeFramePath(frameFile);
    if (file === '') return { kind: 'unknown', reason: 'empty path' };
    // 1. exact
    const rel = this.relativeToRoot(file);
    if (rel !== undefined && this.files.has(rel)) return { kind: 'workspace', path: rel, via: 'exact' };
    // 2. configured prefixes
    for (const [from, to] of this.mappings) {
      if (file === from || file.startsWith(`${from}/`)) {
        const rest = file.slice(from.length).replace(/^\//, '');
        const target = this.resolveReplacement(to, rest);
        if (target !== undefined && this.files.has(target))
          return { kind: 'workspace', path: target, via: 'configured' };
      }
    }
    // 3. libraries
    const lib = recognizeLibrary(file);
    if (lib) return lib;
    // 4. longest suffix
    const parts = file.split('/').filter((p) => p !== '' && p !== '.');
    if (parts.length > 1 || file.includes('/')) {
      const candidates = this.byBasename.get(parts[parts.length - 1]) ?? [];
      let best: string[] = [];
      let bestLen = 0;
      // The workspace folder's own name counts as a path component: `/home/x/resolv/space.go`
      // is `space.go` of a workspace folder named `resolv`.
      const rootName = this.root !== undefined ? basename(this.root) : '';
      for (const c of candidates) {
        const own = c.split('/');
        const n = commonSuffix(parts, rootName !== '' ? [rootName, ...own] : own);
        if (n > bestLen) {
          best = [c];
          bestLen = n;
        } else if (n === bestLen) best.push(c);
      }
      if (best.length === 1 && bestLen >= 2) {
        const wsParts = best[0].split('/');
        // (the workspace folder's name, when it matched, belongs to the replaced prefix)
        const used = Math.min(bestLen, wsParts.length);
        const from = `${file.startsWith('/') ? '/' : ''}${parts.slice(0, parts.length - used).join('/')}`;
        const to = wsParts.slice(0, wsParts.length - used).join('/');
        return { kind: 'workspace', path: best[0], via: 'suffix', inferred: { from, to } };
      }
      if (best.length > 1 && bestLen >= 2) {
        return {
          kind: 'unknown',
          reason: `path suffix matches ${best.length} workspace files: ${best.slice(0, 5).join(', ')}`,
        };
      }
      if (best.length === 1 && bestLen === 1 && parts.length === 1) {
        return { kind: 'workspace', path: best[0], via: 'basename' };
      }
      if (parts.length > 1)
        return { kind: 'unknown', reason: 'no workspace file has this path or a suffix of it' };
    }
    // 5. basename only
    const same = this.byBasename.get(parts[parts.length - 1]) ?? [];
    if (same.length === 1) return { kind: 'workspace', path: same[0], via: 'basename' };
    if (same.length > 1) {
      return {
        kind: 'unknown',
        reason: `basename ${parts[parts.length - 1]} matches ${same.length} workspace files`,
      };
    }
    return { kind: 'unknown', reason: 'no workspace file has this name' };
  }

  private relativeToRoot(file: string): string | undefined {
    if (!isAbsolute(file)) return file.replace(/^\.\//, '');
    if (this.root !== undefined && file.startsWith(`${this.root}/`)) return file.slice(this.root.length + 1);
    return undefined;
  }

  private resolveReplacement(to: string, rest: string): string | undefined {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the VS Code settings variable, written literally by users
    let target = to.replace('${workspaceFolder}', this.root ?? '');
    if (this.root !== undefined && (target === this.root || target.startsWith(`${this.root}/`))) {
      target = target.slice(this.root.length).replace(/^\//, '');
    } else if (isAbsolute(target)) return undefined;
    target = target.replace(/^\.\/?/, '').replace(/\/$/, '');
    return target === '' ? rest : `${target}/${rest}`;
  }
}

/**
 * Maps one path written in a profile onto the workspace or a library.
 * For many paths build one {@link PathMapper} instead (it caches).
 * @param frameFile the frame's file as the tool wrote it (absolute, relative, `file://` URL)
 * @returns where it points; never throws
 */
export function mapPath(frameFile: string, options: PathMapOptions): PathMapping {
  return new PathMapper(options).map(frameFile);
}

/** `file:///a/b.js` → `/a/b.js`; backslashes → slashes; `./` and `..` resolved where possible. */
export function normalizeFramePath(p: string): string {
  let s = p.trim();
  if (s.startsWith('file://')) {
    try {
      s = decodeURIComponent(new URL(s).pathname);
      if (/^\/[A-Za-z]:\//.test(s)) s = s.slice(1);
    } catch {
      s = s.slice('file://'.length);
    }
  } else if (/^(webpack|webpack-internal):\/\/\/?/.test(s)) {
    s = s.replace(/^(webpack|webpack-internal):\/\/\/?(\.\/)?/, '');
  }
  s = toSlash(s);
  const abs = s.startsWith('/');
  const out: string[] = [];
  for (const part of s.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else out.push(part);
  }
  return (abs ? '/' : '') + out.join('/');
}

/**
 * Recognises library install locations: `/rustc/<hash>/library/…` (Rust std),
 * `.cargo/registry/src/…` and `/rust/deps/…` (crates), `node_modules/`,
 * `site-packages/`/`dist-packages/`, the Go module cache (`/go/pkg/mod/…`) and Go's
 * GOROOT (`/usr/local/go/src/…`), `/usr/include`, `/usr/lib`, glibc sources.
 * @returns undefined when the path is none of those
 */
export function recognizeLibrary(file: string): PathMapping | undefined {
  const f = normalizeFramePath(file);
  if (/^\/rustc\/[0-9a-f]+\/library\//.test(f) || /\/lib\/rustlib\/src\/rust\/library\//.test(f)) {
    return lib('rust-std', f, /\/library\/([^/]+)\//.exec(f)?.[1]);
  }
  const packaged: [RegExp, LibraryKind][] = [
    [/\/\.cargo\/registry\/src\/[^/]+\/([^/]+)\//, 'cargo-registry'],
    [/\/\.cargo\/git\/checkouts\/([^/]+)\//, 'cargo-registry'],
    [/^\/rust\/deps\/([^/]+)\//, 'cargo-registry'],
    [/(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)/, 'node_modules'],
    [/(?:^|\/)(?:site|dist)-packages\/([^/]+?)(?:\.py)?(?:\/|$)/, 'site-packages'],
    [/\/pkg\/mod\/(.+?@[^/]+)\//, 'go-module-cache'],
  ];
  for (const [re, kind] of packaged) {
    const m = re.exec(f);
    if (m) return lib(kind, f, m[1]);
  }
  if (/^\/usr\/(local\/)?go\/src\//.test(f) || /\/go\/src\/runtime\//.test(f)) return lib('system', f, 'go');
  if (/^\/usr\/(include|lib|lib64|share|src)\//.test(f) || /^\/lib(64)?\//.test(f)) return lib('system', f);
  if (/\/(glibc|libc)[-/][^/]*\/|\/(sysdeps|nptl|stdlib|malloc|string)\/[^/]+\.(c|S|h)$/.test(f))
    return lib('system', f, 'glibc');
  if (/\/lib\/python\d(\.\d+)?\//.test(f)) return lib('system', f, 'python');
  if (/^node:/.test(file) || /^internal\//.test(f)) return lib('system', f, 'node');
  return undefined;
}

function lib(library: LibraryKind, path: string, packageName?: string): PathMapping {
  return { kind: 'library', library, path, ...(packageName !== undefined ? { packageName } : {}) };
}

function toSlash(p: string): string {
  return p.replace(/\\/g, '/');
}

function trimSlash(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

function isAbsolute(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:\//.test(p);
}

function basename(p: string): string {
  const i = p.lastIndexOf('/');
  return i >= 0 ? p.slice(i + 1) : p;
}

function commonSuffix(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}
