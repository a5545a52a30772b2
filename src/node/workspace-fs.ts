import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import type { ParserAssets } from '../core/mapping/parsers';
import { GRAMMAR_IDS } from '../core/mapping/parsers';
import type { WorkspaceFs } from '../core/mapping/workspace-index';

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
