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

/**
 * Wasm bytes for the runtime and for each grammar wanted (missing grammars: files of that
 * language are skipped). Either may be a function that reads the bytes when first needed,
 * so a workspace without C++ never reads the C++ grammar.
 */
export interface ParserAssets {
  /** Bytes of `tree-sitter.wasm`. */
  readonly runtime: Uint8Array | (() => Uint8Array);
  /** Bytes of `tree-sitter-<id>.wasm` per grammar. */
  readonly grammars: Partial<Record<GrammarId, Uint8Array | (() => Uint8Array)>>;
}

/** Parses source text with one of the loaded grammars. */
export interface SourceParsers {
  /**
   * Parses `text` and calls `visit` with the root node; the tree is freed afterwards, so
   * `visit` must copy out what it needs. Returns undefined when that grammar was not loaded.
   */
  withTree<T>(grammar: GrammarId, text: string, visit: (root: Node) => T): T | undefined;
  /** Grammars that can be loaded (those with assets). */
  readonly grammars: readonly GrammarId[];
  /**
   * Initializes the runtime and loads these grammars (each once), before `withTree` is used
   * with them; the workspace index asks for the grammars its files need.
   * @throws when the runtime or a grammar wasm is invalid or of an incompatible ABI version
   */
  load(grammars: Iterable<GrammarId>): Promise<void>;
}

let runtimeReady: Promise<void> | undefined;

/**
 * The tree-sitter parsers over a set of grammar assets. Nothing is loaded until
 * {@link SourceParsers.load} asks for grammars: the runtime is initialized then (once per
 * process or worker), and each grammar's wasm is read and compiled on first use.
 * @param assets the runtime and grammar wasm, as bytes or as functions that read them
 */
export async function createSourceParsers(assets: ParserAssets): Promise<SourceParsers> {
  const bytesOf = (b: Uint8Array | (() => Uint8Array)) => (typeof b === 'function' ? b() : b);
  const parsers = new Map<GrammarId, Parser>();
  const loading = new Map<GrammarId, Promise<void>>();
  const loadOne = async (id: GrammarId) => {
    const asset = assets.grammars[id];
    if (!asset) return;
    runtimeReady ??= Parser.init({
      instantiateWasm(imports: WasmImports, receive: (instance: WasmInstance, module: WasmModule) => void) {
        wasmApi.instantiate(bytesOf(assets.runtime), imports).then((r) => receive(r.instance, r.module));
        return {};
      },
    } as unknown as Parameters<typeof Parser.init>[0]);
    await runtimeReady;
    const language = await Language.load(bytesOf(asset));
    const parser = new Parser();
    parser.setLanguage(language);
    parsers.set(id, parser);
  };
  return {
    grammars: GRAMMAR_IDS.filter((id) => assets.grammars[id] !== undefined),
    async load(grammars) {
      const wanted = [...new Set(grammars)];
      for (const id of wanted) if (!loading.has(id)) loading.set(id, loadOne(id));
      await Promise.all(wanted.map((id) => loading.get(id)));
    },
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
