import type { NormalizedName } from '../symbols/normalize';
import { typeArgsFit } from '../symbols/type-args';
import type { IndexedDefinition, WorkspaceIndex } from './workspace-index';

/**
 * Name-only resolution: finds the workspace definition a frame name refers to.
 * Never picks one of several equally good candidates: those come back as `ambiguous`.
 */

/** Outcome of {@link resolveName}. */
export type NameResolution =
  | { readonly status: 'found'; readonly definition: IndexedDefinition }
  | {
      readonly status: 'ambiguous';
      readonly candidates: readonly IndexedDefinition[];
      readonly reason: string;
    }
  /**
   * No definition fits, but the file is certain: a Rust function of a workspace crate's module
   * that no `fn` defines (written by a macro or the test harness: `my_bench::main`).
   */
  | { readonly status: 'file'; readonly file: string; readonly reason: string }
  /** The name belongs to code outside the workspace (a crate or package the workspace does not define). */
  | { readonly status: 'external'; readonly reason: string }
  | { readonly status: 'not-found'; readonly reason: string };

/**
 * Resolves a normalized frame name against the index.
 * Rust: the crate must be a workspace crate; then function name, self type, trait and the
 * longest common tail of the symbol path decide. C++: namespaces/classes. Go: package
 * import path, receiver type. Python/JS: classes and enclosing functions.
 */
export function resolveName(name: NormalizedName, index: WorkspaceIndex): NameResolution {
  if (name.flags.unknown) return { status: 'not-found', reason: 'unknown frame' };
  if (name.truncated) return resolveTruncated(name, index);
  if (name.functionName === '') return { status: 'not-found', reason: 'unknown frame' };
  const lang = name.language;
  if (lang === 'rust' && name.crate !== undefined && !index.isWorkspaceCrate(name.crate)) {
    // A name-only C++ frame without parameters (`Plane::solveScalers`) reads like a Rust path:
    // when the workspace defines it in C++, it is C++.
    if (!surelyRust(name)) {
      const asCpp = resolveAmong(name, index, 'cpp');
      if (asCpp.status === 'found' || asCpp.status === 'ambiguous') return asCpp;
    }
    return { status: 'external', reason: `crate ${name.crate} is not a workspace crate` };
  }
  if (lang === 'go' && name.crate !== undefined && !index.isWorkspaceGoPackage(name.crate)) {
    return { status: 'external', reason: `package ${name.crate} is not in a workspace module` };
  }
  const wanted = lang === 'c' ? 'cpp' : lang === 'unknown' ? undefined : lang;
  const r = resolveAmong(name, index, wanted);
  if (r.status === 'not-found' && lang === 'rust' && name.typeName !== undefined) {
    // `impl Expr for IpV4` whose methods a macro writes: the impl block is the definition.
    const block = resolveImplBlock(name, index);
    if (block) return block;
  }
  if (r.status === 'not-found' && lang === 'rust' && name.crate !== undefined)
    return moduleFile(name, index) ?? typeFile(name, index) ?? r;
  return r;
}

/**
 * Code a derive or macro writes for a workspace type (`<impl serde::de::Deserialize for
 * my_crate::LineInfo>::deserialize`, its `__Visitor`): the file that defines the type.
 */
function typeFile(name: NormalizedName, index: WorkspaceIndex): NameResolution | undefined {
  const type = name.implType ?? name.typeName;
  if (type === undefined) return undefined;
  const crate = name.crate ?? '';
  const files = [
    ...new Set(
      index
        .rustTypesNamed(type)
        .filter((t) => {
          const crates = index.rustModuleOf(t.file).crates;
          return crates.length === 0 || crates.includes(crate);
        })
        .map((t) => t.file),
    ),
  ];
  if (files.length !== 1) return undefined;
  return {
    status: 'file',
    file: files[0],
    reason: `no fn ${name.functionName} for ${type}: written by a derive or macro on ${type}, defined in ${files[0]}`,
  };
}

/** The one file of the frame's crate and module path (`my_crate::a::b::f` → the file of module `a::b`). */
function moduleFile(name: NormalizedName, index: WorkspaceIndex): NameResolution | undefined {
  const qp = name.qualifiedPath;
  const modules = qp.slice(1, name.typeName !== undefined ? -2 : -1);
  const crate = name.crate ?? '';
  const files = Object.keys(index.data.files).filter((f) => {
    const m = index.rustModuleOf(f);
    return m.crates.includes(crate) && m.modulePath.join('::') === modules.join('::');
  });
  if (files.length !== 1) return undefined;
  return {
    status: 'file',
    file: files[0],
    reason: `no fn ${name.functionName} in ${[crate, ...modules].join('::')} (written by a macro or the test harness?)`,
  };
}

/** True when the name can only be Rust: Rust mangling, a closure, a `<T as Trait>` self type. */
function surelyRust(name: NormalizedName): boolean {
  return (
    /^_{1,2}R|17h[0-9a-f]{16}E|::h[0-9a-f]{16}$/.test(name.raw) ||
    name.traitName !== undefined ||
    /\{\{|\{closure|\{async|^</.test(name.demangled)
  );
}

function resolveAmong(
  name: NormalizedName,
  index: WorkspaceIndex,
  wanted: IndexedDefinition['language'] | undefined,
): NameResolution {
  const qp = name.qualifiedPath;
  const lang = wanted === 'cpp' && name.language === 'rust' ? 'cpp' : name.language;
  const named = index.definitionsNamed(name.functionName);
  let all = named.filter((d) => wanted === undefined || d.language === wanted);
  // A plain name (`process`) is guessed to be C; when no C/C++ definition has it, any language may.
  if (all.length === 0 && lang === 'c' && name.qualifiedPath.length === 1)
    all = named.filter((d) => d.language !== 'rust');
  if (all.length === 0)
    return { status: 'not-found', reason: `no workspace definition named ${name.functionName}` };

  let best: IndexedDefinition[] = [];
  let bestScore = 0;
  for (const def of all) {
    const s = score(name, def);
    if (s <= 0) continue;
    if (s > bestScore) {
      best = [def];
      bestScore = s;
    } else if (s === bestScore) best.push(def);
  }
  if (best.length === 1) return { status: 'found', definition: best[0] };
  if (best.length === 0) {
    return { status: 'not-found', reason: `no definition of ${name.functionName} matches ${qp.join('::')}` };
  }
  return {
    status: 'ambiguous',
    candidates: best,
    reason: `${best.length} definitions match ${qp.join(lang === 'go' ? '.' : '::')} equally well`,
  };
}

/** The crate of a Rust definition's symbol paths matches the frame's (or the file has no crate). */
function inCrate(name: NormalizedName, def: IndexedDefinition, index: WorkspaceIndex): boolean {
  if (name.crate === undefined) return true;
  const crates = index.rustModuleOf(def.file).crates;
  return crates.length === 0 || crates.includes(name.crate);
}

/**
 * A frame cut before its function (`<my_crate::Value as core::convert::From`): every method of
 * the impls of that trait for that type is a candidate.
 */
function resolveTruncated(name: NormalizedName, index: WorkspaceIndex): NameResolution {
  if (name.language !== 'rust' || name.typeName === undefined)
    return { status: 'not-found', reason: `the frame name is cut short (${name.demangled})` };
  if (name.crate !== undefined && !index.isWorkspaceCrate(name.crate))
    return { status: 'external', reason: `crate ${name.crate} is not a workspace crate` };
  const all = index
    .definitionsOfType(name.typeName ?? '')
    .filter(
      (d) =>
        d.language === 'rust' && !d.inTraitBody && d.traitName === name.traitName && inCrate(name, d, index),
    );
  // `my_crate::ops::<impl my_crate::matrix::Matrix`: the impl block is in module `ops`.
  const modules = name.qualifiedPath.slice(1, -1).join('::');
  const inModule = all.filter((d) => index.rustModuleOf(d.file).modulePath.join('::') === modules);
  const candidates = inModule.length > 0 ? inModule : all;
  if (candidates.length === 0)
    return { status: 'not-found', reason: `the frame name is cut short and no workspace impl matches it` };
  if (candidates.length === 1) return { status: 'found', definition: candidates[0] };
  return {
    status: 'ambiguous',
    candidates,
    reason: `the frame name is cut short (${name.demangled}): ${candidates.length} methods fit`,
  };
}

/** A method no `fn` defines (written by a macro): the one impl block of that type and trait. */
function resolveImplBlock(name: NormalizedName, index: WorkspaceIndex): NameResolution | undefined {
  const blocks = index
    .implBlocksOf(name.typeName ?? '')
    .filter(
      (b) => (name.traitName === undefined || b.traitName === name.traitName) && inCrate(name, b, index),
    );
  if (blocks.length === 0) return undefined;
  const fits = blocks.map(
    (b) =>
      Math.max(0, typeArgsFit(name.traitArgs, b.traitArgs, b.implParams)) * 2 +
      Math.max(0, typeArgsFit(name.typeArgs, b.typeArgs, b.implParams)),
  );
  const top = Math.max(...fits);
  const best = blocks.filter((_, i) => fits[i] === top);
  const asDefinition = (b: IndexedDefinition): IndexedDefinition => ({ ...b, name: name.functionName });
  if (best.length === 1) return { status: 'found', definition: asDefinition(best[0]) };
  return {
    status: 'ambiguous',
    candidates: best.map(asDefinition),
    reason: `no fn ${name.functionName}: ${best.length} impl blocks of ${name.typeName} fit`,
  };
}

/** Higher is better; 0 rejects. */
function score(name: NormalizedName, def: IndexedDefinition): number {
  const qp = name.qualifiedPath;
  let best = 0;
  for (const sp of def.symbolPaths) {
    let s = 0;
    if (def.language === 'rust') s = scoreRust(name, def, sp);
    else if (def.language === 'go') s = scoreGo(name, sp);
    else {
      s = scoreTail(qp, sp);
      // C++ overloads: the frame's parameter types pick one (`scale(float)` vs `scale(double)`).
      if (
        s > 0 &&
        name.params !== undefined &&
        def.params !== undefined &&
        sameParams(name.params, def.params)
      )
        s += 3;
    }
    best = Math.max(best, s);
  }
  return best;
}

function sameParams(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((p, i) => p === b[i]);
}

function commonTail(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

/** C++/Python/JS: the frame's path must be a tail of the definition's path or the other way round. */
function scoreTail(qp: readonly string[], sp: readonly string[]): number {
  const n = commonTail(qp, sp);
  if (n < Math.min(qp.length, sp.length)) return 0;
  return n * 10 + (qp.length === sp.length ? 5 : 0);
}

function scoreGo(name: NormalizedName, sp: readonly string[]): number {
  const qp = name.qualifiedPath;
  if (sp.length !== qp.length) return 0;
  for (let i = 1; i < qp.length; i++) if (qp[i] !== sp[i]) return 0;
  if (qp[0] === sp[0]) return 100;
  // GOPATH layout (no go.mod): the package's folder ends with the import path.
  if (sp[0].endsWith(`/${qp[0]}`) && !/(^|\/)vendor\//.test(sp[0])) return 90;
  return 0;
}

function scoreRust(name: NormalizedName, def: IndexedDefinition, sp: readonly string[]): number {
  const qp = name.qualifiedPath;
  // The crate must match when both sides know it.
  if (name.crate !== undefined && def.symbolPaths.length > 0 && sp.length > 0 && sp[0] !== name.crate) {
    // files outside any Cargo package have no crate in their symbol path
    if (sp.length >= qp.length) return 0;
  }
  const before = qp.length >= 2 ? qp[qp.length - 2] : undefined;
  let s = 1;
  if (def.typeName !== undefined) {
    // A method: the frame must name its type (or, for a default method, its trait).
    if (def.inTraitBody) {
      if (name.traitName !== undefined ? name.traitName !== def.traitName : before !== def.traitName)
        return 0;
    } else if (name.typeName !== undefined ? name.typeName !== def.typeName : before !== def.typeName)
      return 0;
    if (name.traitName !== undefined && def.traitName !== undefined && name.traitName !== def.traitName)
      return 0;
    if (name.traitName !== undefined && def.traitName === undefined) s -= 0.5;
    if (name.traitName === undefined && def.traitName !== undefined && !def.inTraitBody) s -= 0.25;
    s += 20;
    // `impl From<Value> for X` vs `impl From<String> for X`; `impl Matrix<f32>` vs `impl Matrix<f64>`:
    // the frame's generic arguments pick the impl block (they only add: a frame whose
    // arguments fit no impl stays as good as before).
    if (!def.inTraitBody) {
      const params = def.implParams ?? [];
      const traitFit = name.traitName !== undefined ? typeArgsFit(name.traitArgs, def.traitArgs, params) : 0;
      const typeFit = typeArgsFit(name.typeArgs, def.typeArgs, params);
      s += Math.max(0, traitFit) * 2 + Math.max(0, typeFit);
    }
  } else if (def.inTraitBody) {
    if ((name.traitName ?? before) !== def.traitName) return 0;
    s += 20;
  } else {
    // A free function (or nested function): the frame must not name a type or trait, and the
    // enclosing functions must match.
    if (name.typeName !== undefined && name.traitName === undefined) return 0;
    if (name.traitName !== undefined && name.demangled.startsWith('<')) return 0;
    for (let i = 0; i < def.enclosing.length; i++) {
      if (qp[qp.length - 1 - def.enclosing.length + i] !== def.enclosing[i]) return 0;
    }
  }
  const tail = commonTail(qp, sp);
  if (tail === sp.length && tail === qp.length) s += 1000;
  return s + tail * 10;
}
