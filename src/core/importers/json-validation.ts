import type { z } from 'zod';
import { ImportError } from './import-error';

/**
 * Shared helpers for the JSON importers (V8 .cpuprofile, speedscope, Firefox
 * Profiler, dhat): parse text with a clear error, and validate with a zod schema
 * so that the first issue (with its JSON path) becomes the {@link ImportError}'s
 * problem and every issue goes into its details.
 */

/**
 * Parses JSON text.
 * @param text the whole file as text
 * @param format human-readable format name for the error
 * @param file the file name for the error
 * @returns the parsed value
 * @throws ImportError when the text is empty or not valid JSON (with the byte offset when the engine reports it)
 */
export function parseJsonText(text: string, format: string, file: string): unknown {
  if (text.trim() === '') throw new ImportError(format, file, 'the file is empty');
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(message);
    throw new ImportError(format, file, `not valid JSON: ${message}`, pos ? { offset: Number(pos[1]) } : {});
  }
}

/** Formats a zod issue path as a JSON path (`$.nodes[3].callFrame.url`). */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '$';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `.${String(p)}`;
  return out;
}

/**
 * Validates a parsed JSON value against a zod schema.
 * @returns the value typed by the schema
 * @throws ImportError whose problem names the first issue and its JSON path; all issues are in `details`
 */
export function validateJson<S extends z.ZodType>(
  schema: S,
  value: unknown,
  format: string,
  file: string,
): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `${jsonPath(i.path)}: ${i.message}`);
  throw new ImportError(format, file, issues[0] ?? 'does not match the expected structure', {}, issues);
}

/**
 * True when the text (a file head, possibly cut) starts, after whitespace and a BOM,
 * with a JSON object, and contains every one of the given property names (quoted)
 * somewhere in the head. A cheap structural guard used by the JSON detectors.
 */
export function jsonHeadHas(text: string, ...keys: string[]): boolean {
  const start = text.replace(/^\uFEFF?\s*/, '');
  if (!start.startsWith('{')) return false;
  return keys.every((k) => new RegExp(`"${k}"\\s*:`).test(start));
}
