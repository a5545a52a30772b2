/**
 * Small scanners over demangled names: splitting at top-level separators while
 * respecting `<…>`, `(…)`, `[…]` and `{…}` nesting. A `->` (Rust fn-pointer return
 * type) is not a closing angle bracket.
 */

const OPEN = new Set(['<', '(', '[', '{']);
const CLOSE = new Set(['>', ')', ']', '}']);

/**
 * Splits `text` at every top-level occurrence of `separator` (e.g. `::`, ` as `).
 * @returns the parts in order (one part when the separator does not occur at top level)
 */
export function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '-' && text[i + 1] === '>') {
      i++;
      continue;
    }
    if (OPEN.has(c)) depth++;
    else if (CLOSE.has(c)) depth = Math.max(0, depth - 1);
    else if (depth === 0 && text.startsWith(separator, i)) {
      parts.push(text.slice(start, i));
      i += separator.length - 1;
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/**
 * Removes every `<…>` group (generic arguments) from an identifier-ish segment:
 * `Vec<T,A>` → `Vec`. Leaves `operator<`-style names alone when the brackets do not balance.
 */
export function stripGenerics(segment: string): { text: string; hadGenerics: boolean } {
  let out = '';
  let depth = 0;
  let had = false;
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === '-' && segment[i + 1] === '>') {
      if (depth === 0) out += '->';
      i++;
      continue;
    }
    if (c === '<') {
      depth++;
      had = true;
    } else if (c === '>') {
      if (depth === 0) return { text: segment, hadGenerics: false };
      depth--;
    } else if (depth === 0) out += c;
  }
  if (depth !== 0) return { text: segment, hadGenerics: false };
  return { text: out, hadGenerics: had };
}

/**
 * Index of the `(` that opens a trailing top-level parenthesised group
 * (`foo(int, char) const` → index of `(`), or -1 when there is none.
 */
export function trailingParenStart(text: string): number {
  let depthAngle = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '<') depthAngle++;
    else if (c === '>' && depthAngle > 0) depthAngle--;
    else if (c === '(' && depthAngle === 0) {
      // `(anonymous namespace)` is a path segment, not a parameter list.
      if (text.startsWith('(anonymous namespace)', i)) {
        i += '(anonymous namespace)'.length - 1;
        continue;
      }
      // `operator()` is a name.
      if (text.slice(0, i).endsWith('operator') && text[i + 1] === ')') {
        i++;
        continue;
      }
      let depth = 0;
      for (let j = i; j < text.length; j++) {
        if (text[j] === '(') depth++;
        else if (text[j] === ')') {
          depth--;
          if (depth === 0) {
            const rest = text.slice(j + 1).trim();
            if (/^(const|volatile|&|&&|noexcept|\s)*$/.test(rest) || rest.startsWith('[')) return i;
            break;
          }
        }
      }
    }
  }
  return -1;
}
