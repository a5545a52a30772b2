/**
 * DHAT heap profile importer (`dhat-heap.json` from dhat-rs, `dhat.out.<pid>` from
 * valgrind `--tool=dhat`).
 *
 * Spec: the JSON that valgrind's DHAT writes, described in the comment block above the
 * writer in https://sourceware.org/git/?p=valgrind.git;a=blob;f=dhat/dh_main.c
 * (`dhatFileVersion`, `mode`, `cmd`, `pid`, `te`, `pps` program points with `tb` total bytes,
 * `tbk` total blocks and `fs` frame-table indices, `ftbl` frame strings); dhat-rs writes the
 * same structure (https://github.com/nnethercote/dhat-rs).
 *
 * - Each program point (allocation site) is one stack weighted by `tb` (unit bytes, default) or
 *   `tbk` (unit blocks) — `options.dhatMeasure`. For ad-hoc profiles (`mode` `ad-hoc` /
 *   `rust-ad-hoc`) `tb` counts units and `tbk` events; the unit is then `events`.
 * - `fs` lists frames **leaf first** (the allocator first); stacks are reversed to root first,
 *   and the `[root]` frame is dropped.
 * - A frame string `0x4C2A: alloc::alloc::alloc (alloc.rs:87:9)` becomes name `alloc::alloc::alloc`,
 *   file `alloc.rs`, line 87 (1-based, as written), column 9; `(in /lib/libc.so.6)` becomes the
 *   module; `???` is kept as the name.
 */
import { z } from 'zod';
import type { Frame } from '../profile/model';
import { type Profile, ProfileBuilder } from '../profile/model';
import { ImportError } from './import-error';
import { readAllText } from './input';
import { parseJsonText, validateJson } from './json-validation';
import type { ImportOptions, ProfileHead, ProfileImporter, ProfileInput } from './types';

const FORMAT = 'DHAT';

const count = z.number().nonnegative();

const dhatSchema = z.object({
  dhatFileVersion: z.number(),
  mode: z.string(),
  verb: z.string().optional(),
  cmd: z.string().optional(),
  pid: z.union([z.number(), z.string()]).optional(),
  te: z.number().optional(),
  tg: z.number().optional(),
  tu: z.string().optional(),
  pps: z.array(z.object({ tb: count, tbk: count, fs: z.array(z.number().int().nonnegative()) })),
  ftbl: z.array(z.string()),
});

/** True when the head is a JSON object with a `dhatFileVersion` field. */
export function isDhat(head: ProfileHead): boolean {
  const t = head.text.replace(/^\uFEFF?\s*/, '');
  return t.startsWith('{') && /"dhatFileVersion"\s*:/.test(t);
}

/**
 * Splits one DHAT frame-table entry into a frame: an optional `0x…: ` address, the function
 * name, then an optional final parenthesised `(file:line[:column])` or `(in module)`.
 * Names may themselves contain parentheses and spaces (C++ signatures); only the last group
 * counts. Lines and columns are 1-based as DHAT writes them.
 * @returns the frame, or undefined for the `[root]` entry
 */
export function parseDhatFrame(entry: string): Frame | undefined {
  const text = entry.replace(/^0x[0-9a-fA-F]+:\s*/, '').trim();
  if (text === '[root]') return undefined;
  if (text.endsWith(')')) {
    let depth = 0;
    for (let i = text.length - 1; i >= 0; i--) {
      const c = text[i];
      if (c === ')') depth++;
      else if (c === '(' && --depth === 0) {
        if (i === 0 || text[i - 1] !== ' ') break;
        const name = text.slice(0, i - 1).trim();
        const inner = text.slice(i + 1, -1);
        if (inner.startsWith('in ')) return { name, module: inner.slice(3) };
        const m = /^(.+?):(\d+)(?::(\d+))?$/.exec(inner);
        if (m) return { name, file: m[1], line: Number(m[2]), ...(m[3] ? { column: Number(m[3]) } : {}) };
        break;
      }
    }
  }
  return { name: text };
}

/**
 * Imports a DHAT heap (or copy / ad-hoc) profile as an allocation profile.
 * Unit: bytes (`dhatMeasure: 'bytes'`, default) or blocks; `events` for ad-hoc profiles.
 * `sampleCount` is the number of program points.
 * @throws ImportError for empty or invalid JSON, a structure that does not match (first zod
 *   issue with its JSON path: negative or missing `tb`/`tbk`, …) or an `fs` index outside `ftbl`
 * @throws ImportCancelledError when `options.signal` fires
 */
export async function importFromDhat(input: ProfileInput, options: ImportOptions = {}): Promise<Profile> {
  const file = input.name;
  const data = validateJson(
    dhatSchema,
    parseJsonText(await readAllText(input, options), FORMAT, file),
    FORMAT,
    file,
  );
  const blocks = options.dhatMeasure === 'blocks';
  const adHoc = /ad-hoc/.test(data.mode);
  const builder = new ProfileBuilder({
    format: 'dhat',
    source: file,
    unit: adHoc ? 'events' : blocks ? 'blocks' : 'bytes',
    eventName: adHoc ? (blocks ? 'events' : 'units') : blocks ? 'total blocks' : 'total bytes',
  });
  builder.setMeta('mode', data.mode);
  if (data.cmd !== undefined) builder.setMeta('command', data.cmd);
  if (data.pid !== undefined) builder.setMeta('pid', data.pid);
  if (data.te !== undefined) builder.setMeta(`end time (${data.tu ?? 'units'})`, data.te);

  const frameIds = new Int32Array(data.ftbl.length).fill(-2);
  const frame = (index: number, pp: number): number => {
    if (index >= data.ftbl.length)
      throw new ImportError(
        FORMAT,
        file,
        `$.pps[${pp}].fs: frame index ${index} is out of range (${data.ftbl.length} frames in ftbl)`,
      );
    if (frameIds[index] === -2) {
      const f = parseDhatFrame(data.ftbl[index]);
      frameIds[index] = f ? builder.frameId(f) : -1;
    }
    return frameIds[index];
  };
  const stack: number[] = [];
  data.pps.forEach((pp, k) => {
    stack.length = 0;
    for (let i = pp.fs.length - 1; i >= 0; i--) {
      const id = frame(pp.fs[i], k);
      if (id >= 0) stack.push(id);
    }
    builder.appendSample(stack, blocks ? pp.tbk : pp.tb);
  });
  return builder.build();
}

/** The importer for DHAT JSON (see {@link importFromDhat}). */
export const dhatImporter: ProfileImporter = {
  id: 'dhat',
  label: FORMAT,
  extensions: ['.dhat.json', 'dhat-heap.json', 'dhat-ad-hoc.json'],
  detect: isDhat,
  import: importFromDhat,
};
