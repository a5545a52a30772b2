import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import type { ParserAssets } from '../core/mapping/parsers';
import { GRAMMAR_IDS } from '../core/mapping/parsers';
import type { IndexCache, IndexedFile, WorkspaceFs } from '../core/mapping/workspace-index';

/**
 * Node implementations of what `src/core/mapping` and `src/core/symbols` take from
 * outside: a {@link WorkspaceFs} over a folder, and the wasm files of the tree-sitter
 * parsers and of the demangler. Used by the CLI, the worker and tests (the editor
 * provides its own file system through `vscode.workspace.fs`).
 */

/** Folders never listed (in addition to the caller's `exclude` globs). */
export const DEFAULT_EXCLUDES: readonly string[] = [
  '**/node_modules/**',
  '**/target/**',
  '**/.git/**',
  '**/dist/**',
];

/** Options of {@link createNodeWorkspaceFs}. */
export interface NodeWorkspaceFsOptions {
  /** Globs (picomatch, relative to the root) to skip; defaults to {@link DEFAULT_EXCLUDES}. */
  readonly exclude?: readonly string[];
}

/**
 * A {@link WorkspaceFs} over a folder on disk.
 * @param root absolute or cwd-relative workspace folder
 * @returns listFiles walks the folder (skipping excluded folders without entering them);
 *   readFile reads UTF-8 and rejects with the file system's error (ENOENT, …)
 */
export function createNodeWorkspaceFs(root: string, options: NodeWorkspaceFsOptions = {}): WorkspaceFs {
  const base = path.resolve(root);
  const excluded = picomatch([...(options.exclude ?? DEFAULT_EXCLUDES)], { dot: true });
  return {
    async listFiles(globs) {
      const match = picomatch([...globs], { dot: false });
      const out: string[] = [];
      const walk = async (dir: string, rel: string): Promise<void> => {
        const entries = await fs.promises.readdir(dir, { withFileTypes: true });
        for (const e of entries) {
          const r = rel === '' ? e.name : `${rel}/${e.name}`;
          if (e.isDirectory()) {
            if (excluded(`${r}/`) || excluded(`${r}/x`)) continue;
            await walk(path.join(dir, e.name), r);
          } else if (e.isFile() && !excluded(r) && match(r)) {
            out.push(r);
          }
        }
      };
      await walk(base, '');
      return out.sort();
    },
    async readFile(file) {
      return fs.promises.readFile(path.join(base, file), 'utf8');
    },
    async stat(file) {
      try {
        const st = await fs.promises.stat(path.join(base, file));
        return { size: st.size, mtimeMs: st.mtimeMs };
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * Finds a wasm file shipped with the extension: first in `dist/wasm/` beside the
 * running bundle, then in node_modules (development and tests).
 * @param pkgPath path inside node_modules (`@vscode/tree-sitter-wasm/wasm/tree-sitter.wasm`)
 * @throws Error naming both places when the file is in neither
 */
export function locateWasm(pkgPath: string): string {
  const bundled = path.join(__dirname, 'wasm', path.basename(pkgPath));
  if (fs.existsSync(bundled)) return bundled;
  try {
    return require.resolve(pkgPath);
  } catch {
    throw new Error(
      `wasm file ${path.basename(pkgPath)} not found in ${path.dirname(bundled)} nor as ${pkgPath}`,
    );
  }
}

/**
 * Reads the tree-sitter runtime and grammar wasm files for `createSourceParsers`.
 * Files that must ship in `dist/wasm/`: `tree-sitter.wasm` and
 * `tree-sitter-{rust,cpp,go,python,javascript,typescript,tsx}.wasm` from `@vscode/tree-sitter-wasm/wasm/`.
 */
export function loadNodeParserAssets(): ParserAssets {
  const read = (f: string) =>
    new Uint8Array(fs.readFileSync(locateWasm(`@vscode/tree-sitter-wasm/wasm/${f}`)));
  // read on first use: a Rust workspace never reads the C++ grammar, an empty one none
  const grammars: ParserAssets['grammars'] = {};
  for (const id of GRAMMAR_IDS) grammars[id] = () => read(`tree-sitter-${id}.wasm`);
  return { runtime: () => read('tree-sitter.wasm'), grammars };
}

/**
 * Reads the demangler wasm for `createDemangler` (`gecko-profiler-demangle/index_bg.wasm`,
 * which must ship in `dist/wasm/`).
 */
export function loadNodeDemanglerWasm(): Uint8Array {
  return new Uint8Array(fs.readFileSync(locateWasm('gecko-profiler-demangle/index_bg.wasm')));
}

/**
 * What a cached index entry depends on besides its file: bump when the symbol extraction
 * changes, so a cache written by another version is not used.
 */
const INDEX_CACHE_FORMAT = 1;

/** An {@link IndexCache} kept in a JSON file (or only in memory), with its save. */
export interface FileIndexCache extends IndexCache {
  /**
   * Drops the entries of files the last build did not meet (gone from the workspace) and
   * writes the cache back when something changed (atomically: a temp file renamed); errors
   * are ignored. A cache only in memory writes nothing.
   */
  save(): Promise<void>;
}

/**
 * The workspace index cache of one workspace folder in a directory (the extension's
 * storage, or the CLI's `--index-cache`): `index-cache-<hash of the folder>.json`, entries
 * keyed by file, size and modification time, for this extension version and
 * extraction format. A missing, unreadable or foreign file is an empty cache.
 * Without `dir`, an empty cache kept only in memory (for a process that indexes the same
 * folder again and again: see `WorkspaceIndexPool`).
 * @param dir the directory (created on save), or undefined
 * @param root the workspace folder the entries are relative to
 * @param version the extension's version (entries of other versions are not used)
 */
export function loadIndexCache(dir: string | undefined, root: string, version: string): FileIndexCache {
  const file =
    dir === undefined
      ? undefined
      : path.join(
          dir,
          `index-cache-${createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 16)}.json`,
        );
  const stamp = `${version}/${INDEX_CACHE_FORMAT}`;
  let entries: Record<string, [number, number, IndexedFile | null]> = {};
  try {
    if (file !== undefined) {
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as {
        stamp?: string;
        entries?: typeof entries;
      };
      if (parsed.stamp === stamp && parsed.entries && typeof parsed.entries === 'object')
        entries = parsed.entries;
    }
  } catch {
    // no cache yet, or one we cannot read: start empty
  }
  const used = new Set<string>();
  let dirty = false;
  return {
    get(f, size, mtimeMs) {
      const e = entries[f];
      if (!e || e[0] !== size || e[1] !== mtimeMs) return undefined;
      used.add(f);
      return e[2];
    },
    set(f, size, mtimeMs, entry) {
      entries[f] = [size, mtimeMs, entry];
      used.add(f);
      dirty = true;
    },
    async save() {
      // files that are gone from the workspace are dropped; the next build (a cache kept in
      // memory between loads) starts counting again
      for (const f of Object.keys(entries))
        if (!used.has(f)) {
          delete entries[f];
          dirty = true;
        }
      used.clear();
      if (!dirty || dir === undefined || file === undefined) return;
      try {
        await fs.promises.mkdir(dir, { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        await fs.promises.writeFile(tmp, JSON.stringify({ stamp, entries }));
        await fs.promises.rename(tmp, file);
        dirty = false;
      } catch {
        // a cache that cannot be written only costs time next load
      }
    },
  };
}
