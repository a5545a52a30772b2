import { Language, type Node, Parser } from '@vscode/tree-sitter-wasm';
import { type WasmImports, type WasmInstance, type WasmModule, wasmApi } from '../symbols/wasm';

/**
 * Tree-sitter parsers for the workspace symbol index, from the
 * `@vscode/tree-sitter-wasm` package (the web-tree-sitter runtime and grammar wasm
 * files VS Code itself ships, built together so their ABI matches).
 *
 * Core reads no files: the caller passes the wasm bytes
 * (`node_modules/@vscode/tree-sitter-wasm/wasm/tree-sitter.wasm` and
 * `tree-sitter-<grammar>.wasm`; `loadNodeParserAssets` in `src/node/workspace-fs.ts`
 * reads them in Node).
 */

/** Grammars the index uses. C is parsed with the C++ grammar (the package has no C grammar). */
export type GrammarId = 'rust' | 'cpp' | 'go' | 'python' | 'javascript' | 'typescript' | 'tsx';

/** All grammar ids, in a fixed order. */
export const GRAMMAR_IDS: readonly GrammarId[] = [
  'rust',
  'cpp',
  'go',
  'python',
  'javascript',
  'typescript',
  'tsx',
];

/** Wasm bytes for the runtime and for each grammar wanted (missing grammars: files of that language are skipped). */
export interface ParserAssets {
  /** Bytes of `tree-sitter.wasm`. */
  readonly runtime: Uint8Array;
  /** Bytes of `tree-sitter-<id>.wasm` per grammar. */
  readonly grammars: Partial<Record<GrammarId, Uint8Array>>;
}

/** Parses source text with one of the loaded grammars. */
export interface SourceParsers {
  /**
   * Parses `text` and calls `visit` with the root node; the tree is freed afterwards, so
   * `visit` must copy out what it needs. Returns undefined when that grammar was not loaded.
   */
  withTree<T>(grammar: GrammarId, text: string, visit: (root: Node) => T): T | undefined;
  /** Grammars that were loaded. */
  readonly grammars: readonly GrammarId[];
}

let runtimeReady: Promise<void> | undefined;

/**
 * Initializes the tree-sitter runtime (once per process or worker) and loads the grammars.
 * @throws when the runtime or a grammar wasm is invalid or of an incompatible ABI version
 */
export async function createSourceParsers(assets: ParserAssets): Promise<SourceParsers> {
  runtimeReady ??= Parser.init({
    instantiateWasm(imports: WasmImports, receive: (instance: WasmInstance, module: WasmModule) => void) {
      wasmApi.instantiate(assets.runtime, imports).then((r) => receive(r.instance, r.module));
      return {};
    },
  } as unknown as Parameters<typeof Parser.init>[0]);
  await runtimeReady;
  const parsers = new Map<GrammarId, Parser>();
  for (const id of GRAMMAR_IDS) {
    const bytes = assets.grammars[id];
    if (!bytes) continue;
    const language = await Language.load(bytes);
    const parser = new Parser();
    parser.setLanguage(language);
    parsers.set(id, parser);
  }
  return {
    grammars: [...parsers.keys()],
    withTree(grammar, text, visit) {
      const parser = parsers.get(grammar);
      if (!parser) return undefined;
      const tree = parser.parse(text);
      if (!tree) return undefined;
      try {
        return visit(tree.rootNode);
      } finally {
        tree.delete();
      }
    },
  };
}

/** Grammar for a workspace file by extension, or undefined when the index does not parse it. */
export function grammarOfFile(path: string): GrammarId | undefined {
  const ext = /\.([A-Za-z0-9+]+)$/.exec(path)?.[1]?.toLowerCase();
  switch (ext) {
    case 'rs':
      return 'rust';
    case 'c':
    case 'h':
    case 'cc':
    case 'cpp':
    case 'cxx':
    case 'hpp':
    case 'hh':
    case 'hxx':
      return 'cpp';
    case 'go':
      return 'go';
    case 'py':
      return 'python';
    case 'js':
    case 'mjs':
    case 'cjs':
    case 'jsx':
      return 'javascript';
    case 'ts':
    case 'mts':
    case 'cts':
      return 'typescript';
    case 'tsx':
      return 'tsx';
    default:
      return undefined;
  }
}
