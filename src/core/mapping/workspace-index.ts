import path from 'node:path';
import { type CargoManifest, parseCargoManifest } from './cargo';
import {
  type Definition,
  type DefinitionLanguage,
  extractSymbols,
  type RustModDecl,
  type RustTypeDefinition,
} from './extract';
import { type GrammarId, grammarOfFile, type SourceParsers } from './parsers';

/**
 * The workspace symbol index: every function definition in the workspace's Rust,
 * C/C++, Go, Python and JS/TS files (parsed with tree-sitter), plus what is needed
 * to turn a frame name into a file: Rust crate names and module paths (from every
 * Cargo.toml), Go module paths (from go.mod).
 *
 * The index is plain data ({@link WorkspaceIndexData}, structured-cloneable), so a
 * worker can build it and post it to the editor thread. {@link WorkspaceIndex} wraps
 * the data with incremental updates. All paths are workspace-relative POSIX paths;
 * all lines are 1-based.
 */

/** The small file-system interface the index needs; the editor and Node each provide one. */
export interface WorkspaceFs {
  /**
   * Workspace files matching any of the globs (picomatch syntax), as workspace-relative
   * POSIX paths, with the user's exclusions (node_modules, target, .git) already applied.
   */
  listFiles(globs: readonly string[]): Promise<string[]>;
  /** Text of a workspace-relative file. Rejects when it cannot be read. */
  readFile(path: string): Promise<string>;
  /**
   * Size (bytes) and modification time (ms since the epoch) of a workspace-relative file,
   * for an {@link IndexCache}; undefined when it cannot be read. Optional: without it no
   * cache is used.
   */
  stat?(path: string): Promise<{ readonly size: number; readonly mtimeMs: number } | undefined>;
}

/**
 * What the index found in each source file on an earlier build, keyed by path, size and
 * modification time, so an unchanged file is neither read nor parsed again. The caller
 * keeps it (in memory, on disk); `buildWorkspaceIndexData` reads and fills it.
 */
export interface IndexCache {
  /** The entry of a file with this size and time: its symbols, `null` (it had none), or undefined (not cached). */
  get(file: string, size: number, mtimeMs: number): IndexedFile | null | undefined;
  set(file: string, size: number, mtimeMs: number, entry: IndexedFile | null): void;
}

/** How many files are stat'ed at once when checking the index cache. */
const STAT_BATCH = 64;

/** Globs of the files the index reads. */
export const INDEX_GLOBS: readonly string[] = [
  '**/*.{rs,c,h,cc,cpp,cxx,hpp,hh,hxx,go,py,js,mjs,cjs,jsx,ts,mts,cts,tsx}',
  '**/Cargo.toml',
  '**/go.mod',
];

/** Definitions found in one source file. */
export interface IndexedFile {
  readonly language: DefinitionLanguage;
  readonly definitions: readonly Definition[];
  /** Rust: out-of-line `mod x;` declarations. */
  readonly modDecls?: readonly RustModDecl[];
  /** Go: the package clause. */
  readonly goPackage?: string;
  /** Rust: the file's `impl` blocks (see `FileSymbols.implBlocks`). */
  readonly implBlocks?: readonly Definition[];
  /** Rust: the file's struct, enum and union definitions. */
  readonly rustTypes?: readonly RustTypeDefinition[];
}

/** The whole index as plain data. */
export interface WorkspaceIndexData {
  /** Every listed source file (indexed or not): the candidates for path mapping. */
  readonly sourceFiles: string[];
  /** Parsed files by path. */
  readonly files: Record<string, IndexedFile>;
  /** Cargo manifests by path of the Cargo.toml. */
  readonly manifests: Record<string, CargoManifest>;
  /** Go modules: directory of the go.mod (`''` for the root) → module path. */
  readonly goModules: Record<string, string>;
  /** Files that could not be read or parsed, with the reason. */
  readonly problems: { file: string; message: string }[];
}

/** A definition together with the file it is in and its full symbol path(s). */
export interface IndexedDefinition extends Definition {
  readonly file: string;
  /**
   * The path a profiler would print for it, one per crate the file belongs to:
   * Rust `[crate, ...modules, ...inline mods, Type?, ...enclosing fns, name]`,
   * C++ `[...namespaces/classes, name]`, Go `[importPath|'main', Type?, name]`,
   * Python/JS `[...classes, ...enclosing, name]`.
   */
  readonly symbolPaths: readonly (readonly string[])[];
}

/**
 * Builds the index from a workspace.
 * @param fs workspace files
 * @param parsers tree-sitter parsers (see `createSourceParsers`)
 * @param cache earlier results by file, size and time (used when `fs.stat` exists); filled
 *   with what this build parses
 * @param parseElsewhere when given and at least `minFiles` files need parsing, the second half
 *   of them is parsed by it meanwhile (the result is the same as parsing all here)
 * @returns plain data; files that cannot be read or parsed are listed in `problems`
 */
export async function buildWorkspaceIndexData(
  fs: WorkspaceFs,
  parsers: SourceParsers,
  cache?: IndexCache,
  parseElsewhere?: ParseElsewhere,
): Promise<WorkspaceIndexData> {
  const listed = (await fs.listFiles(INDEX_GLOBS)).map(toPosix).sort();
  const data: WorkspaceIndexData = { sourceFiles: [], files: {}, manifests: {}, goModules: {}, problems: [] };
  const sourceFiles = listed.filter((f) => grammarOfFile(f) !== undefined);
  data.sourceFiles.push(...sourceFiles);
  // unchanged files (same size and time) come from the cache: neither read nor parsed
  const stats = new Map<string, { size: number; mtimeMs: number }>();
  const toParse: string[] = [];
  if (cache && fs.stat) {
    const stat = fs.stat.bind(fs);
    // stat in batches: one at a time, a large workspace waits on the disk thousands of times
    const found: ({ size: number; mtimeMs: number } | undefined)[] = [];
    for (let i = 0; i < sourceFiles.length; i += STAT_BATCH)
      found.push(...(await Promise.all(sourceFiles.slice(i, i + STAT_BATCH).map((f) => stat(f)))));
    for (const [k, file] of sourceFiles.entries()) {
      const st = found[k];
      if (!st) {
        toParse.push(file);
        continue;
      }
      stats.set(file, st);
      const hit = cache.get(file, st.size, st.mtimeMs);
      if (hit === undefined) toParse.push(file);
      else if (hit !== null) data.files[file] = hit;
    }
  } else toParse.push(...sourceFiles);
  // many files to parse: the second half is parsed elsewhere (another thread) meanwhile
  const split =
    parseElsewhere && toParse.length >= parseElsewhere.minFiles
      ? Math.ceil(toParse.length / 2)
      : toParse.length;
  const there = split < toParse.length ? parseElsewhere!.parse(toParse.slice(split)) : undefined;
  // keep a rejection for the await below, not as an unhandled one while this half runs
  there?.catch(() => undefined);
  const exists = new Set(listed);
  for (const file of listed) {
    const base = path.posix.basename(file);
    if (base === 'Cargo.toml') await readManifest(fs, data, file, exists);
    else if (base === 'go.mod') await readGoMod(fs, data, file);
  }
  const here = await indexSourceFiles(fs, parsers, toParse.slice(0, split));
  const parsed = there ? mergeParsed(here, await there) : here;
  // in the order of the listing, whichever thread parsed them: the derived tables list
  // definitions in this order, so the index is the same either way
  for (const file of toParse) {
    const entry = parsed.files[file];
    if (entry) data.files[file] = entry;
    const st = stats.get(file);
    if (cache && st) cache.set(file, st.size, st.mtimeMs, entry ?? null);
  }
  data.problems.push(...parsed.problems);
  return data;
}

/** What {@link indexSourceFiles} gives: the files with definitions, and those that failed. */
export interface ParsedSourceFiles {
  readonly files: Record<string, IndexedFile>;
  readonly problems: { file: string; message: string }[];
}

/**
 * Parses a share of the files an index build has to parse somewhere else (the Node side
 * uses a worker thread: `src/node/index-pool.ts`), while the build parses the rest.
 */
export interface ParseElsewhere {
  /** Below this many files to parse, all are parsed where the build runs. */
  readonly minFiles: number;
  /**
   * Parses these workspace-relative files as {@link indexSourceFiles} would.
   * @throws whatever stops it (the build then fails with that error)
   */
  parse(files: readonly string[]): Promise<ParsedSourceFiles>;
}

/**
 * Reads and parses source files (loading only the grammars they need), extracting each
 * one's definitions.
 * @param files workspace-relative paths of source files
 * @returns entries of the files that have definitions; files that cannot be read in `problems`
 * @throws when a grammar wasm is invalid (see `SourceParsers.load`)
 */
export async function indexSourceFiles(
  fs: WorkspaceFs,
  parsers: SourceParsers,
  files: readonly string[],
): Promise<ParsedSourceFiles> {
  await parsers.load(files.map((f) => grammarOfFile(f)!));
  const out: WorkspaceIndexData = { sourceFiles: [], files: {}, manifests: {}, goModules: {}, problems: [] };
  for (const file of files) await indexFile(fs, parsers, out, file);
  return { files: out.files, problems: out.problems };
}

function mergeParsed(a: ParsedSourceFiles, b: ParsedSourceFiles): ParsedSourceFiles {
  return { files: { ...a.files, ...b.files }, problems: [...a.problems, ...b.problems] };
}

async function readManifest(fs: WorkspaceFs, data: WorkspaceIndexData, file: string, exists: Set<string>) {
  try {
    const text = await fs.readFile(file);
    const files = [...exists];
    data.manifests[file] = parseCargoManifest(
      file,
      text,
      (f) => exists.has(f),
      (dir) => files.filter((f) => f.startsWith(`${dir}/`)),
    );
  } catch (e) {
    data.problems.push({ file, message: e instanceof Error ? e.message : String(e) });
  }
}

async function readGoMod(fs: WorkspaceFs, data: WorkspaceIndexData, file: string) {
  try {
    const text = await fs.readFile(file);
    const m = /^\s*module\s+("?)([^\s"]+)\1/m.exec(text);
    if (m) data.goModules[dirOf(file)] = m[2];
    else data.problems.push({ file, message: `${file}: go.mod has no module line` });
  } catch (e) {
    data.problems.push({ file, message: e instanceof Error ? e.message : String(e) });
  }
}

async function indexFile(fs: WorkspaceFs, parsers: SourceParsers, data: WorkspaceIndexData, file: string) {
  const grammar = grammarOfFile(file);
  if (!grammar) return;
  let text: string;
  try {
    text = await fs.readFile(file);
  } catch (e) {
    data.problems.push({ file, message: e instanceof Error ? e.message : String(e) });
    return;
  }
  const symbols = parsers.withTree(grammar, text, (root) => extractSymbols(grammar, root));
  if (!symbols) return;
  data.files[file] = {
    language: languageOfGrammar(grammar),
    definitions: symbols.definitions,
    ...(symbols.modDecls && symbols.modDecls.length > 0 ? { modDecls: symbols.modDecls } : {}),
    ...(symbols.goPackage !== undefined ? { goPackage: symbols.goPackage } : {}),
    ...(symbols.implBlocks && symbols.implBlocks.length > 0 ? { implBlocks: symbols.implBlocks } : {}),
    ...(symbols.rustTypes && symbols.rustTypes.length > 0 ? { rustTypes: symbols.rustTypes } : {}),
  };
}

function languageOfGrammar(g: GrammarId): DefinitionLanguage {
  switch (g) {
    case 'rust':
    case 'cpp':
    case 'go':
    case 'python':
      return g;
    default:
      return 'js';
  }
}

function toPosix(p: string): string {
  return p.replace(/\\/g, '/').replace(/^\.\//, '');
}

function dirOf(file: string): string {
  const d = path.posix.dirname(file);
  return d === '.' ? '' : d;
}

/**
 * The index with incremental updates. Holds a {@link WorkspaceIndexData} (exposed as
 * {@link data}) and the derived lookup tables, rebuilt lazily after a change.
 */
export class WorkspaceIndex {
  private derived: DerivedTables | undefined;
  /** Set by {@link updateFile} / {@link removeFile}: the data no longer is what a build produced. */
  private edited = false;

  /**
   * @param data index data (from {@link buildWorkspaceIndexData} or a worker)
   * @param fs and parsers are needed only for {@link updateFile}
   */
  constructor(
    readonly data: WorkspaceIndexData,
    private readonly fs?: WorkspaceFs,
    private readonly parsers?: SourceParsers,
  ) {}

  /**
   * Builds the index of a workspace (unchanged files from `cache`, see {@link IndexCache}).
   * @param previous the index an earlier build of the same workspace returned, with the same
   *   `cache` kept in memory since: when nothing changed (the same files, every entry the
   *   very object the cache held, the same manifests and Go modules) that index is returned
   *   itself, with its lookup tables already derived, so an unchanged reload costs only the
   *   file listing and stats
   * @param parseElsewhere where a share of many files to parse is parsed meanwhile (see
   *   {@link buildWorkspaceIndexData})
   */
  static async build(
    fs: WorkspaceFs,
    parsers: SourceParsers,
    cache?: IndexCache,
    previous?: WorkspaceIndex,
    parseElsewhere?: ParseElsewhere,
  ): Promise<WorkspaceIndex> {
    const data = await buildWorkspaceIndexData(fs, parsers, cache, parseElsewhere);
    if (previous && !previous.edited && sameIndexData(previous.data, data)) return previous;
    return new WorkspaceIndex(data, fs, parsers);
  }

  /**
   * Re-reads one file (a source file, Cargo.toml or go.mod) after it was created or changed.
   * @throws Error when the index was made without a file system and parsers
   */
  async updateFile(file: string): Promise<void> {
    if (!this.fs || !this.parsers)
      throw new Error('WorkspaceIndex.updateFile needs the fs and parsers it was built with');
    const p = toPosix(file);
    this.forget(p);
    const base = path.posix.basename(p);
    if (base === 'Cargo.toml') {
      const listed = await this.fs.listFiles(INDEX_GLOBS);
      await readManifest(this.fs, this.data, p, new Set(listed.map(toPosix)));
    } else if (base === 'go.mod') {
      await readGoMod(this.fs, this.data, p);
    } else if (grammarOfFile(p)) {
      await this.parsers.load([grammarOfFile(p)!]);
      if (!this.data.sourceFiles.includes(p)) {
        this.data.sourceFiles.push(p);
        this.data.sourceFiles.sort();
      }
      await indexFile(this.fs, this.parsers, this.data, p);
    }
    this.derived = undefined;
    this.edited = true;
  }

  /** Drops a deleted file from the index. */
  removeFile(file: string): void {
    const p = toPosix(file);
    this.forget(p);
    const i = this.data.sourceFiles.indexOf(p);
    if (i >= 0) this.data.sourceFiles.splice(i, 1);
    this.derived = undefined;
    this.edited = true;
  }

  private forget(p: string): void {
    delete this.data.files[p];
    delete this.data.manifests[p];
    if (path.posix.basename(p) === 'go.mod') delete this.data.goModules[dirOf(p)];
    for (let i = this.data.problems.length - 1; i >= 0; i--)
      if (this.data.problems[i].file === p) this.data.problems.splice(i, 1);
  }

  /** Definitions whose own name is `name` (any language, any file). */
  definitionsNamed(name: string): readonly IndexedDefinition[] {
    return this.tables().byName.get(name) ?? [];
  }

  /** Methods (and Rust default trait methods) whose self type is `typeName`, any file. */
  definitionsOfType(typeName: string): readonly IndexedDefinition[] {
    return this.tables().byType.get(typeName) ?? [];
  }

  /** Workspace files that define a Rust struct, enum or union named `typeName`, with its 1-based line. */
  rustTypesNamed(typeName: string): readonly { readonly file: string; readonly startLine: number }[] {
    return this.tables().rustTypes.get(typeName) ?? [];
  }

  /** Rust `impl` blocks of the type `typeName` (definitions named `impl` spanning each block). */
  implBlocksOf(typeName: string): readonly IndexedDefinition[] {
    return this.tables().implBlocks.get(typeName) ?? [];
  }

  /** Every definition of a file, in source order. */
  definitionsIn(file: string): readonly IndexedDefinition[] {
    return this.tables().byFile.get(toPosix(file)) ?? [];
  }

  /**
   * The function that contains a 1-based line of a file: the smallest top-level
   * function or method (nested functions count as their enclosing function) whose
   * range contains the line; undefined when none does.
   */
  definitionAt(file: string, line: number): IndexedDefinition | undefined {
    let best: IndexedDefinition | undefined;
    for (const d of this.definitionsIn(file)) {
      if (d.enclosing.length > 0 || line < d.startLine || line > d.endLine) continue;
      if (!best || d.endLine - d.startLine < best.endLine - best.startLine) best = d;
    }
    return best;
  }

  /** The outermost function a nested definition sits in (itself when it is not nested). */
  enclosingDefinition(def: IndexedDefinition): IndexedDefinition {
    if (def.enclosing.length === 0) return def;
    return this.definitionAt(def.file, def.startLine) ?? def;
  }

  /** Crate names of every workspace Rust target, sorted. */
  workspaceCrates(): readonly string[] {
    return [...this.tables().crates].sort();
  }

  /** True when `crate` is the crate name of a workspace Rust target. */
  isWorkspaceCrate(crate: string): boolean {
    return this.tables().crates.has(crate);
  }

  /**
   * True when `pkg` is `main`, a Go import path inside a workspace module, or (GOPATH layout,
   * no go.mod) the import path that a workspace folder of Go files ends with
   * (`github.com/user/lib/lib` ↔ `src/github.com/user/lib/lib/`).
   */
  isWorkspaceGoPackage(pkg: string): boolean {
    if (pkg === 'main') return true;
    if (Object.values(this.data.goModules).some((m) => pkg === m || pkg.startsWith(`${m}/`))) return true;
    for (const dir of this.tables().goDirs) {
      if (dir === 'vendor' || dir.startsWith('vendor/') || dir.includes('/vendor/')) continue;
      if (dir === pkg || dir.endsWith(`/${pkg}`)) return true;
    }
    return false;
  }

  /** The Rust crates and module path of a workspace `.rs` file (empty crates when no Cargo.toml claims it). */
  rustModuleOf(file: string): { crates: readonly string[]; modulePath: readonly string[] } {
    return this.tables().rustModules.get(toPosix(file)) ?? { crates: [], modulePath: [] };
  }

  private tables(): DerivedTables {
    this.derived ??= deriveTables(this.data);
    return this.derived;
  }
}

/**
 * Whether two builds found the same workspace: the same source files, each file's entry the
 * same object (a cache hit returns the object it holds, so unchanged files compare by
 * identity), and equal manifests, Go modules and problems (small, compared as JSON).
 */
function sameIndexData(a: WorkspaceIndexData, b: WorkspaceIndexData): boolean {
  if (a.sourceFiles.length !== b.sourceFiles.length) return false;
  for (let i = 0; i < a.sourceFiles.length; i++) if (a.sourceFiles[i] !== b.sourceFiles[i]) return false;
  const files = Object.keys(b.files);
  if (files.length !== Object.keys(a.files).length) return false;
  for (const f of files) if (a.files[f] !== b.files[f]) return false;
  return (
    JSON.stringify(a.manifests) === JSON.stringify(b.manifests) &&
    JSON.stringify(a.goModules) === JSON.stringify(b.goModules) &&
    JSON.stringify(a.problems) === JSON.stringify(b.problems)
  );
}

interface DerivedTables {
  readonly byName: Map<string, IndexedDefinition[]>;
  readonly byType: Map<string, IndexedDefinition[]>;
  readonly implBlocks: Map<string, IndexedDefinition[]>;
  /** Folders holding Go files. */
  readonly goDirs: Set<string>;
  readonly rustTypes: Map<string, { file: string; startLine: number }[]>;
  readonly byFile: Map<string, IndexedDefinition[]>;
  readonly crates: Set<string>;
  readonly rustModules: Map<string, { crates: string[]; modulePath: string[] }>;
}

function deriveTables(data: WorkspaceIndexData): DerivedTables {
  const rustModules = rustModuleTable(data);
  const crates = new Set<string>();
  for (const m of Object.values(data.manifests)) for (const c of m.crates) crates.add(c.crate);
  const byName = new Map<string, IndexedDefinition[]>();
  const byFile = new Map<string, IndexedDefinition[]>();
  const byType = new Map<string, IndexedDefinition[]>();
  const implBlocks = new Map<string, IndexedDefinition[]>();
  const goDirs = new Set<string>();
  const rustTypes = new Map<string, { file: string; startLine: number }[]>();
  const push = (m: Map<string, IndexedDefinition[]>, key: string, d: IndexedDefinition) => {
    const list = m.get(key);
    if (list) list.push(d);
    else m.set(key, [d]);
  };
  for (const [file, entry] of Object.entries(data.files)) {
    const prefixes = symbolPrefixes(data, file, entry, rustModules);
    if (entry.language === 'go') goDirs.add(dirOf(file));
    for (const t of entry.rustTypes ?? []) {
      const list = rustTypes.get(t.name);
      if (list) list.push({ file, startLine: t.startLine });
      else rustTypes.set(t.name, [{ file, startLine: t.startLine }]);
    }
    for (const block of entry.implBlocks ?? []) {
      const tail = [...block.container, block.typeName ?? '', 'impl'];
      push(implBlocks, block.typeName ?? '', {
        ...block,
        file,
        symbolPaths: prefixes.map((p) => [...p, ...tail]),
      });
    }
    const list: IndexedDefinition[] = [];
    for (const def of entry.definitions) {
      const owner = def.typeName ?? (def.inTraitBody ? def.traitName : undefined);
      const ownerSegment =
        owner !== undefined && entry.language !== 'cpp' && !def.container.includes(owner) ? [owner] : [];
      const tail = [...def.container, ...ownerSegment, ...def.enclosing, def.name];
      const indexed: IndexedDefinition = { ...def, file, symbolPaths: prefixes.map((p) => [...p, ...tail]) };
      list.push(indexed);
      if (def.typeName !== undefined) push(byType, def.typeName, indexed);
      let same = byName.get(def.name);
      if (!same) {
        same = [];
        byName.set(def.name, same);
      }
      same.push(indexed);
    }
    byFile.set(file, list);
  }
  return { byName, byFile, byType, implBlocks, goDirs, rustTypes, crates, rustModules };
}

function symbolPrefixes(
  data: WorkspaceIndexData,
  file: string,
  entry: IndexedFile,
  rustModules: Map<string, { crates: string[]; modulePath: string[] }>,
): string[][] {
  if (entry.language === 'rust') {
    const m = rustModules.get(file);
    if (!m || m.crates.length === 0) return [[]];
    return m.crates.map((c) => [c, ...m.modulePath]);
  }
  if (entry.language === 'go') {
    if (entry.goPackage === 'main') return [['main']];
    let best: string | undefined;
    for (const dir of Object.keys(data.goModules)) {
      if (dir === '' || file.startsWith(`${dir}/`))
        if (best === undefined || dir.length > best.length) best = dir;
    }
    const fileDir = dirOf(file);
    if (best === undefined) return [[fileDir === '' ? (entry.goPackage ?? '') : fileDir]];
    const rel = best === '' ? fileDir : fileDir.slice(best.length + 1);
    return [[rel === '' ? data.goModules[best] : `${data.goModules[best]}/${rel}`]];
  }
  return [[]];
}

/** Crate names and module path of every Rust file (see docs: module path from file path, `#[path]` overrides). */
function rustModuleTable(data: WorkspaceIndexData): Map<string, { crates: string[]; modulePath: string[] }> {
  const roots = Object.values(data.manifests).flatMap((m) => m.crates);
  const table = new Map<string, { crates: string[]; modulePath: string[] }>();
  for (const file of Object.keys(data.files)) {
    if (data.files[file].language !== 'rust') continue;
    const own = roots.filter((r) => r.rootFile === file);
    if (own.length > 0) {
      table.set(file, { crates: unique(own.map((r) => r.crate)), modulePath: [] });
      continue;
    }
    let bestDir: string | undefined;
    for (const r of roots) {
      const d = dirOf(r.rootFile);
      if ((d === '' || file.startsWith(`${d}/`)) && (bestDir === undefined || d.length > bestDir.length))
        bestDir = d;
    }
    if (bestDir === undefined) {
      table.set(file, { crates: [], modulePath: modulePathFrom(file, srcDirGuess(file)) });
      continue;
    }
    const crates = unique(roots.filter((r) => dirOf(r.rootFile) === bestDir).map((r) => r.crate));
    table.set(file, { crates, modulePath: modulePathFrom(file, bestDir) });
  }
  // `#[path = "…"]` on `mod x;`: the target file is module x of the declaring file.
  for (const [file, entry] of Object.entries(data.files)) {
    const decl = table.get(file);
    if (!decl || !entry.modDecls) continue;
    for (const m of entry.modDecls) {
      if (m.pathAttr === undefined) continue;
      const target = path.posix.normalize(path.posix.join(dirOf(file), ...m.container, m.pathAttr));
      if (data.files[target])
        table.set(target, { crates: decl.crates, modulePath: [...decl.modulePath, ...m.container, m.name] });
    }
  }
  return table;
}

function modulePathFrom(file: string, rootDir: string): string[] {
  const rel = rootDir === '' ? file : file.slice(rootDir.length + 1);
  const parts = rel.replace(/\.rs$/, '').split('/');
  if (parts[parts.length - 1] === 'mod') parts.pop();
  return parts.map((p) => p.replace(/^r#/, ''));
}

function srcDirGuess(file: string): string {
  const i = file.lastIndexOf('/src/');
  if (i >= 0) return file.slice(0, i + 4);
  return file.startsWith('src/') ? 'src' : dirOf(file);
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
