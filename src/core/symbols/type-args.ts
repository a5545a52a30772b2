import { splitTopLevel } from './split';

/**
 * Generic arguments of Rust types and traits, written comparably on both sides of source
 * mapping: in a frame name (`core::convert::From<serde_json::value::Value>`,
 * `Matrix<f32>`) and in an `impl` header (`From<Value>` with `use serde_json::Value`,
 * `Matrix<f32>`). Each argument is reduced to the last path segment of every type it
 * names, without lifetimes, `dyn` or spaces, with the file's `use … as …` aliases
 * replaced by the names they stand for: `alloc::vec::Vec<trait_impls::value::FhirValue>`
 * and `Vec<FhirValue>` both become `Vec<FhirValue>`.
 */

/**
 * The top-level generic arguments of the trailing `<…>` group of a path segment or type:
 * `From<alloc::string::String>` → `['alloc::string::String']`, `BTreeMap<K, V>` → `['K', ' V']`
 * (not yet normalized), `Matrix` → undefined.
 * @param text a segment or type as written; unbalanced brackets give undefined
 */
export function genericArgs(text: string): string[] | undefined {
  const t = text.trim();
  if (!t.endsWith('>')) return undefined;
  let depth = 0;
  for (let i = t.length - 1; i >= 0; i--) {
    const c = t[i];
    if (c === '>' && t[i - 1] !== '-') depth++;
    else if (c === '<') {
      depth--;
      if (depth === 0) {
        if (i === 0) return undefined;
        const inner = t.slice(i + 1, -1);
        return inner.trim() === '' ? [] : splitTopLevel(inner, ',');
      }
    }
  }
  return undefined;
}

/**
 * One generic argument in comparable form: path prefixes dropped from every type name,
 * lifetimes, `dyn`/`impl`/`mut` spacing and whitespace removed, aliases replaced.
 * `&'a alloc::string::String` → `&String`; `Json` with aliases `{Json → Value}` → `Value`.
 * @param text the argument as written (frame or source)
 * @param aliases the file's `use path::Name as Alias` pairs, alias → Name (source side only)
 */
export function normalizeTypeArg(text: string, aliases?: ReadonlyMap<string, string>): string {
  let t = text.replace(/'[A-Za-z_]\w*\s*/g, '');
  t = t.replace(/\b(dyn|impl)\s+/g, '$1 ');
  // `a::b::C` → `C` (also `crate::`, `self::`, `super::`, `$crate::`).
  t = t.replace(/(?:\$?[A-Za-z_][\w]*\s*::\s*)+(?=[A-Za-z_])/g, '');
  if (aliases && aliases.size > 0) t = t.replace(/[A-Za-z_]\w*/g, (w) => aliases.get(w) ?? w);
  return t.replace(/\s+/g, (s, i: number, all: string) =>
    /\w/.test(all[i - 1] ?? '') && /\w/.test(all[i + s.length] ?? '') ? ' ' : '',
  );
}

/** The base name of a normalized argument: `Vec<FhirValue>` → `Vec`, `&str` → `&str`. */
function baseOf(arg: string): string {
  const i = arg.indexOf('<');
  return i < 0 ? arg : arg.slice(0, i);
}

/**
 * How well a frame's generic arguments fit an impl's (both already normalized).
 * @param frameArgs arguments the frame names (concrete types)
 * @param implArgs arguments the `impl` header writes
 * @param params the impl's own type parameters (`impl<T> From<Vec<T>>` → `['T']`): they fit anything
 * @returns 3 when every argument is equal, 2 when they are equal up to the impl's type
 *   parameters, 1 when their base names are equal, 0 when the frame or the impl names no
 *   arguments, -1 when they differ
 */
export function typeArgsFit(
  frameArgs: readonly string[] | undefined,
  implArgs: readonly string[] | undefined,
  params: readonly string[] = [],
): number {
  if (frameArgs === undefined || implArgs === undefined) return 0;
  if (frameArgs.length === 0 && implArgs.length === 0) return 0;
  // A frame may spell defaulted arguments out (`Vec<u8, Global>`); compare what the impl wrote.
  if (frameArgs.length < implArgs.length) return -1;
  let fit = 3;
  for (let i = 0; i < implArgs.length; i++) {
    const f = frameArgs[i];
    const d = implArgs[i];
    if (f === d) continue;
    if (params.includes(d) || matchesWithParams(f, d, params)) {
      fit = Math.min(fit, 2);
      continue;
    }
    if (baseOf(f) === baseOf(d)) {
      fit = Math.min(fit, 1);
      continue;
    }
    return -1;
  }
  return fit;
}

/** `Vec<FhirValue>` against `Vec<T>` with params `['T']`: equal once every parameter is a wildcard. */
function matchesWithParams(frame: string, impl: string, params: readonly string[]): boolean {
  if (params.length === 0) return false;
  const escaped = impl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = escaped.replace(/[A-Za-z_]\w*/g, (w) => (params.includes(w) ? '.+' : w));
  return new RegExp(`^${pattern}$`).test(frame);
}

/**
 * C++ parameter types in comparable form: the base type of each parameter, without
 * qualifiers, references, pointers, template arguments, namespaces or parameter names
 * (`std::vector<float> const&` → `vector`, `const char* s` → `char`, `unsigned long` → `unsigned long`).
 * @param list the text between the parentheses of a signature or a demangled name
 * @returns one entry per parameter; `[]` for `()` and `(void)`
 */
export function cppParamTypes(list: string): string[] {
  const t = list.trim();
  if (t === '' || t === 'void') return [];
  return splitTopLevel(t, ',').map((p) => {
    let x = p.replace(/=.*$/s, '');
    x = x.replace(/<[^<>]*(?:<[^<>]*(?:<[^<>]*>[^<>]*)*>[^<>]*)*>/g, '');
    x = x.replace(/\b(const|volatile|struct|class|enum|typename|register)\b/g, ' ');
    x = x.replace(/[&*]+/g, ' ').replace(/\[[^\]]*\]/g, ' ');
    x = x.replace(/(?:[A-Za-z_]\w*\s*::\s*)+/g, '');
    const words = x
      .trim()
      .split(/\s+/)
      .filter((w) => w !== '');
    const builtin =
      /^(unsigned|signed|short|long|int|char|double|float|bool|void|wchar_t|char8_t|char16_t|char32_t)$/;
    // the parameter's own name, when present, is the last word after a non-builtin type word
    if (words.length >= 2 && !builtin.test(words[words.length - 1])) words.pop();
    return words.join(' ');
  });
}
