/**
 * speedscope JSON importer.
 *
 * Spec: https://www.speedscope.app/file-format-schema.json (generated from
 * https://github.com/jlfwong/speedscope/blob/main/src/lib/file-format-spec.ts) and
 * https://github.com/jlfwong/speedscope/wiki/Importing-from-custom-sources.
 *
 * - `shared.frames[]`: `{ name, file?, line?, col? }`, lines and columns 1-based (kept as is);
 * - `sampled` profiles: `samples[i]` is a stack of frame indices, **root first**, with `weights[i]`;
 * - `evented` profiles: `O` (open) / `C` (close) events at `at`; the open stack between two
 *   events gets the time between them as weight;
 * - `unit`: `none` → samples; `nanoseconds`/`microseconds`/`milliseconds`/`seconds` → nanoseconds;
 *   `bytes` → bytes. Profiles whose unit is of another kind than the first profile's are skipped
 *   (their names go into meta `skippedProfiles`);
 * - several profiles → one thread each, named by the profile's `name`.
 */
import { z } from 'zod';
import { type Profile, ProfileBuilder, type WeightUnit } from '../profile/model';
import { ImportError } from './import-error';
import { readAllText, throwIfCancelled } from './input';
import { parseJsonText, validateJson } from './json-validation';
import type { ImportOptions, ProfileHead, ProfileImporter, ProfileInput } from './types';

const FORMAT = 'speedscope JSON';

const unitSchema = z.enum(['none', 'nanoseconds', 'microseconds', 'milliseconds', 'seconds', 'bytes']);

const sampledSchema = z.object({
  type: z.literal('sampled'),
  name: z.string().nullish(),
  unit: unitSchema,
  startValue: z.number().nullish(),
  endValue: z.number().nullish(),
  samples: z.array(z.array(z.number().int().nonnegative())),
  weights: z.array(z.number().nonnegative()),
});

const eventedSchema = z.object({
  type: z.literal('evented'),
  name: z.string().nullish(),
  unit: unitSchema,
  startValue: z.number(),
  endValue: z.number(),
  events: z.array(
    z.object({ type: z.enum(['O', 'C']), at: z.number(), frame: z.number().int().nonnegative() }),
  ),
});

const fileSchema = z.object({
  $schema: z.string().nullish(),
  name: z.string().nullish(),
  exporter: z.string().nullish(),
  activeProfileIndex: z.number().nullish(),
  shared: z.object({
    frames: z.array(
      z.object({
        name: z.string(),
        file: z.string().nullish(),
        line: z.number().nullish(),
        col: z.number().nullish(),
      }),
    ),
  }),
  profiles: z.array(z.discriminatedUnion('type', [sampledSchema, eventedSchema])).min(1),
});

type SpeedscopeUnit = z.infer<typeof unitSchema>;

/** Nanoseconds per unit for time units; the model unit for each speedscope unit. */
const UNIT_MAP: Record<SpeedscopeUnit, { unit: WeightUnit; scale: number }> = {
  none: { unit: 'samples', scale: 1 },
  nanoseconds: { unit: 'nanoseconds', scale: 1 },
  microseconds: { unit: 'nanoseconds', scale: 1e3 },
  milliseconds: { unit: 'nanoseconds', scale: 1e6 },
  seconds: { unit: 'nanoseconds', scale: 1e9 },
  bytes: { unit: 'bytes', scale: 1 },
};

/** True when the head is a JSON object naming the speedscope schema, or with `shared.frames` and `profiles`. */
export function isSpeedscope(head: ProfileHead): boolean {
  const t = head.text.replace(/^\uFEFF?\s*/, '');
  if (!t.startsWith('{')) return false;
  if (/"\$schema"\s*:\s*"https?:\/\/(www\.)?speedscope\.app\/file-format-schema\.json"/.test(t)) return true;
  return /"shared"\s*:\s*\{\s*"frames"\s*:/.test(t) && /"profiles"\s*:/.test(t);
}

/**
 * Imports a speedscope JSON file.
 * Unit: samples (`none`), nanoseconds (any time unit, converted) or bytes; one thread per profile.
 * Frames keep their 1-based `line` / `col`.
 * @throws ImportError for empty or invalid JSON, a structure that does not match the schema
 *   (first zod issue with its JSON path), `samples` and `weights` of different lengths, a frame
 *   index out of range, evented profiles whose events are not properly nested, or weights
 *   that overflow to Infinity once converted (1e308 ms) or in their sum
 * @throws ImportCancelledError when `options.signal` fires
 */
export async function importFromSpeedscope(
  input: ProfileInput,
  options: ImportOptions = {},
): Promise<Profile> {
  const file = input.name;
  const json = parseJsonText(await readAllText(input, options), FORMAT, file);
  const data = validateJson(fileSchema, json, FORMAT, file);
  const first = UNIT_MAP[data.profiles[0].unit].unit;
  const builder = new ProfileBuilder({ format: 'speedscope', source: file, unit: first });
  const nFrames = data.shared.frames.length;
  const frameIds = new Int32Array(nFrames).fill(-1);
  const frame = (index: number, where: string): number => {
    if (index >= nFrames)
      throw new ImportError(
        FORMAT,
        file,
        `${where}: frame index ${index} is out of range (${nFrames} frames)`,
      );
    if (frameIds[index] === -1) {
      const f = data.shared.frames[index];
      frameIds[index] = builder.frameId({
        name: f.name,
        file: f.file ?? undefined,
        line: typeof f.line === 'number' && Number.isInteger(f.line) ? f.line : undefined,
        column: typeof f.col === 'number' && Number.isInteger(f.col) ? f.col : undefined,
      });
    }
    return frameIds[index];
  };

  const skipped: string[] = [];
  const threadNames = new Set<string>();
  let allSampled = true;
  data.profiles.forEach((p, pi) => {
    throwIfCancelled(input, options);
    const { unit, scale } = UNIT_MAP[p.unit];
    const baseName = p.name || `profile ${pi + 1}`;
    if (unit !== first) {
      skipped.push(`${baseName} (${p.unit})`);
      return;
    }
    let thread = baseName;
    for (let k = 2; threadNames.has(thread); k++) thread = `${baseName} #${k}`;
    threadNames.add(thread);
    if (p.type === 'sampled') {
      if (p.samples.length !== p.weights.length)
        throw new ImportError(
          FORMAT,
          file,
          `$.profiles[${pi}]: ${p.samples.length} samples but ${p.weights.length} weights`,
        );
      const stack: number[] = [];
      for (let s = 0; s < p.samples.length; s++) {
        const sample = p.samples[s];
        stack.length = sample.length;
        for (let k = 0; k < sample.length; k++)
          stack[k] = frame(sample[k], `$.profiles[${pi}].samples[${s}]`);
        builder.appendSample(
          stack,
          finiteWeight(p.weights[s] * scale, file, `$.profiles[${pi}].weights[${s}]`),
          thread,
        );
      }
    } else {
      allSampled = false;
      addEvented(builder, p, pi, scale, thread, frame, file);
    }
  });
  if (skipped.length > 0) builder.setMeta('skippedProfiles', skipped.join(', '));
  if (data.name) builder.setMeta('name', data.name);
  if (data.exporter) builder.setMeta('exporter', data.exporter);
  builder.setEventName(first === 'samples' ? 'samples' : first === 'bytes' ? 'bytes' : 'time');
  const profile = builder.build({ sampleCount: allSampled });
  if (!Number.isFinite(profile.total))
    throw new ImportError(FORMAT, file, 'the weights add up to more than the largest number (1.8e308)');
  return profile;
}

/** The importer for speedscope JSON (see {@link importFromSpeedscope}). */
export const speedscopeImporter: ProfileImporter = {
  id: 'speedscope',
  label: FORMAT,
  extensions: ['.speedscope.json', '.speedscope'],
  detect: isSpeedscope,
  import: importFromSpeedscope,
};

/** Replays an evented profile: each interval between events weighs the stack open during it. */
function addEvented(
  builder: ProfileBuilder,
  p: z.infer<typeof eventedSchema>,
  pi: number,
  scale: number,
  thread: string,
  frame: (index: number, where: string) => number,
  file: string,
): void {
  const stack: number[] = [];
  const open: number[] = [];
  let last = p.startValue;
  p.events.forEach((e, k) => {
    const where = `$.profiles[${pi}].events[${k}]`;
    if (e.at < last)
      throw new ImportError(FORMAT, file, `${where}: event at ${e.at} is earlier than the one before`);
    if (stack.length > 0 && e.at > last)
      builder.appendSample(stack, finiteWeight((e.at - last) * scale, file, where), thread);
    last = e.at;
    if (e.type === 'O') {
      stack.push(frame(e.frame, where));
      open.push(e.frame);
    } else {
      const top = open.pop();
      if (top !== e.frame)
        throw new ImportError(
          FORMAT,
          file,
          `${where}: closes frame ${e.frame} but the innermost open frame is ${top ?? 'none'}`,
        );
      stack.pop();
    }
  });
  if (stack.length > 0 && p.endValue > last)
    builder.appendSample(
      stack,
      finiteWeight((p.endValue - last) * scale, file, `$.profiles[${pi}].endValue`),
      thread,
    );
}

/**
 * Returns `weight` when finite; a weight or interval that overflows to Infinity once scaled
 * to nanoseconds (1e308 ms) is bad input.
 * @throws ImportError naming `where` otherwise
 */
function finiteWeight(weight: number, file: string, where: string): number {
  if (!Number.isFinite(weight))
    throw new ImportError(FORMAT, file, `${where}: weight ${weight} is out of range once converted`);
  return weight;
}
