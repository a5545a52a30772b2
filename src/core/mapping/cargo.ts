import path from 'node:path';
import { parse as parseToml } from 'smol-toml';

/**
 * Rust crate discovery from `Cargo.toml` manifests (format:
 * https://doc.rust-lang.org/cargo/reference/manifest.html, target auto-discovery:
 * https://doc.rust-lang.org/cargo/reference/cargo-targets.html#target-auto-discovery).
 * All paths are workspace-relative POSIX paths.
 */

/** One crate (compilation target) of a package: its crate name and root source file. */
export interface CrateRoot {
  /** Crate name as it appears in symbols (dashes already turned into underscores). */
  readonly crate: string;
  /** Root file (`crates/a/src/lib.rs`, `src/main.rs`, `src/bin/tool.rs`). */
  readonly rootFile: string;
  readonly kind: 'lib' | 'bin' | 'example' | 'test' | 'bench';
  /** Directory of the Cargo.toml that declares it. */
  readonly packageDir: string;
}

/** What one manifest says. */
export interface CargoManifest {
  readonly dir: string;
  /** `[package] name`, as written (may contain dashes). */
  readonly packageName?: string;
  readonly crates: CrateRoot[];
  /** `[workspace] members` globs, as written. */
  readonly workspaceMembers: string[];
}

/**
 * Reads one Cargo.toml.
 * @param manifestPath workspace-relative path of the manifest
 * @param text its contents
 * @param exists tells whether a workspace-relative file exists (for auto-discovered targets)
 * @throws Error naming the manifest and the TOML problem when it does not parse
 */
export function parseCargoManifest(
  manifestPath: string,
  text: string,
  exists: (file: string) => boolean,
  listUnder: (dir: string) => string[],
): CargoManifest {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (e) {
    throw new Error(
      `${manifestPath}: Cargo.toml does not parse: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const dir = path.posix.dirname(manifestPath) === '.' ? '' : path.posix.dirname(manifestPath);
  const join = (...p: string[]) => path.posix.normalize(path.posix.join(dir, ...p));
  const pkg = asTable(doc.package);
  const workspace = asTable(doc.workspace);
  const workspaceMembers = Array.isArray(workspace?.members) ? workspace.members.filter(isString) : [];
  const packageName = isString(pkg?.name) ? pkg.name : undefined;
  const crates: CrateRoot[] = [];
  if (packageName !== undefined) {
    const underscored = packageName.replace(/-/g, '_');
    const lib = asTable(doc.lib);
    const libPath = isString(lib?.path) ? join(lib.path) : join('src/lib.rs');
    if (lib || exists(libPath)) {
      const libName = isString(lib?.name) ? lib.name.replace(/-/g, '_') : underscored;
      crates.push({ crate: libName, rootFile: libPath, kind: 'lib', packageDir: dir });
    }
    const explicit = new Set<string>();
    const targetTables: [string, CrateRoot['kind'], string][] = [
      ['bin', 'bin', 'src/bin'],
      ['example', 'example', 'examples'],
      ['test', 'test', 'tests'],
      ['bench', 'bench', 'benches'],
    ];
    for (const [key, kind, folder] of targetTables) {
      const entries = Array.isArray(doc[key]) ? (doc[key] as unknown[]).map(asTable) : [];
      for (const entry of entries) {
        if (!entry || !isString(entry.name)) continue;
        const root = isString(entry.path)
          ? join(entry.path)
          : kind === 'bin' && entry.name === packageName && exists(join('src/main.rs'))
            ? join('src/main.rs')
            : exists(join(folder, `${entry.name}.rs`))
              ? join(folder, `${entry.name}.rs`)
              : join(folder, entry.name, 'main.rs');
        explicit.add(root);
        crates.push({ crate: entry.name.replace(/-/g, '_'), rootFile: root, kind, packageDir: dir });
      }
    }
    if (exists(join('src/main.rs')) && !explicit.has(join('src/main.rs'))) {
      crates.push({ crate: underscored, rootFile: join('src/main.rs'), kind: 'bin', packageDir: dir });
    }
    for (const [, kind, folder] of targetTables) {
      for (const file of listUnder(join(folder))) {
        const rel = file.slice(join(folder).length + 1);
        let name: string | undefined;
        if (/^[^/]+\.rs$/.test(rel)) name = rel.slice(0, -3);
        else if (/^[^/]+\/main\.rs$/.test(rel)) name = rel.slice(0, rel.indexOf('/'));
        if (name === undefined || explicit.has(file)) continue;
        crates.push({ crate: name.replace(/-/g, '_'), rootFile: file, kind, packageDir: dir });
      }
    }
  }
  return { dir, ...(packageName !== undefined ? { packageName } : {}), crates, workspaceMembers };
}

function asTable(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

function isString(v: unknown): v is string {
  return typeof v === 'string';
}
