/**
 * Where a path written in a plan is in the workspace. The core reads no files: the
 * caller passes the workspace's files (workspace-relative, `/`-separated) as
 * `ParsePlanOptions.workspaceFiles`, and this module looks paths up in that list.
 */

/** The workspace's files, indexed for the lookups below. */
export class WorkspaceFileIndex {
  private readonly files: ReadonlySet<string>;
  private readonly byName = new Map<string, string[]>();

  /** @param files workspace-relative paths (`src/main.rs`); back slashes are read as `/`, a leading `./` is dropped */
  constructor(files: Iterable<string>) {
    const set = new Set<string>();
    for (const f of files) {
      const n = normalizeSlashes(f);
      if (n === '' || set.has(n)) continue;
      set.add(n);
      const name = n.slice(n.lastIndexOf('/') + 1);
      const list = this.byName.get(name);
      if (list) list.push(n);
      else this.byName.set(name, [n]);
    }
    this.files = set;
  }

  /**
   * The workspace file a written path names: itself when listed; for an absolute path
   * (`/Users/me/dev/proj/src/a.rs`), its longest tail that is listed (`src/a.rs`); for a
   * relative tail (`main.rs`, `a/b.rs`), the one listed file that ends with it.
   * @param relativeToPlan `written` is a Markdown link target, relative to the plan's
   *   folder: leading `../` are dropped before the tail is looked up
   * @returns the workspace-relative path, or null when there is none or several
   */
  resolve(written: string, relativeToPlan = false): string | null {
    let p = normalizeSlashes(written);
    // A link target is relative to the plan's folder: `../../src/a.rs` from `docs/plan/`.
    if (relativeToPlan) p = p.replace(/^(?:\.\.\/)+/, '');
    if (this.files.has(p)) return p;
    const parts = p.split('/').filter((x) => x !== '' && x !== '.');
    if (parts.length === 0) return null;
    if (/^(?:\/|~\/|[A-Za-z]:\/)/.test(p)) {
      for (let i = 1; i < parts.length; i++) {
        const tail = parts.slice(i).join('/');
        if (this.files.has(tail)) return tail;
      }
      return null;
    }
    if (parts.includes('..')) return null;
    const tail = parts.join('/');
    const candidates = (this.byName.get(parts[parts.length - 1]) ?? []).filter(
      (f) => f === tail || f.endsWith(`/${tail}`),
    );
    return candidates.length === 1 ? candidates[0] : null;
  }
}

function normalizeSlashes(p: string): string {
  return p.replace(/\\/g, '/').replace(/^\.\//, '');
}

/**
 * The workspace-relative path a Markdown link names when its target is an absolute path
 * on the writer's machine and its text is the relative path the target ends with:
 * `[src/a/b.rs](/Users/me/dev/proj/src/a/b.rs)` → `src/a/b.rs`.
 * @returns the relative path, or null when the link is not of that shape
 */
export function linkTextPath(text: string, url: string): string | null {
  const t = normalizeSlashes(text.trim().replace(/^`|`$/g, ''));
  const u = normalizeSlashes(decodeUrlPath(url)).replace(/#.*$/, '');
  if (
    t === '' ||
    /^(?:\/|~|[A-Za-z]:\/)/.test(t) ||
    t.includes('..') ||
    !/[\w-]\.[A-Za-z0-9+]{1,8}(?::.*)?$/.test(t)
  )
    return null;
  const bare = t.replace(/:.*$/, '');
  if (!/^(?:\/|~\/|[A-Za-z]:\/|file:)/i.test(u)) return null;
  return u.endsWith(`/${bare}`) ? bare : null;
}

function decodeUrlPath(url: string): string {
  const u = url.replace(/^file:\/\//i, '');
  try {
    return decodeURI(u);
  } catch {
    return u;
  }
}
