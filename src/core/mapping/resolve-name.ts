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
  if (name.flags.unknown || name.functionName === '') return { status: 'not-found', reason: 'unknown frame' };
  const qp = name.qualifiedPath;
  const lang = name.language;
  if (lang === 'rust' && name.crate !== undefined && !index.isWorkspaceCrate(name.crate)) {
    return { status: 'external', reason: `crate ${name.crate} is not a workspace crate` };
  }
  if (lang === 'go' && name.crate !== undefined && !index.isWorkspaceGoPackage(name.crate)) {
    return { status: 'external', reason: `package ${name.crate} is not in a workspace module` };
  }
  const wanted = lang === 'c' ? 'cpp' : lang === 'unknown' ? undefined : lang;
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

/** Higher is better; 0 rejects. */
function score(name: NormalizedName, def: IndexedDefinition): number {
  const qp = name.qualifiedPath;
  let best = 0;
  for (const sp of def.symbolPaths) {
    let s = 0;
    if (def.language === 'rust') s = scoreRust(name, def, sp);
    else if (def.language === 'go') s = scoreGo(name, sp);
    else s = scoreTail(qp, sp);
    best = Math.max(best, s);
  }
  return best;
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
    // A free function (or nested function): the frame must not name a type, and the
    // enclosing functions must match.
    if (name.typeName !== undefined && name.traitName === undefined) return 0;
    for (let i = 0; i < def.enclosing.length; i++) {
      if (qp[qp.length - 1 - def.enclosing.length + i] !== def.enclosing[i]) return 0;
    }
  }
  const tail = commonTail(qp, sp);
  if (tail === sp.length && tail === qp.length) s += 1000;
  return s + tail * 10;
}
