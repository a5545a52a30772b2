/**
 * Flame graph SVGs written by flamegraph.pl
 * (https://github.com/brendangregg/FlameGraph/blob/master/flamegraph.pl), by inferno
 * (https://github.com/jonhoo/inferno, `src/flamegraph/`) and by cargo-flamegraph
 * (which uses inferno). The SVG holds no stacks, only rectangles, so the stacks are
 * rebuilt from geometry:
 *
 * ```
 * <g><title>main (1,234 samples, 56.10%)</title><rect x="10.0" y="357" width="650.2" height="15" …/>…</g>
 * ```
 *
 * - every `<g>` holding a `<title>` of the form `name (count countname, P%)` and a
 *   `<rect>` is a frame; counts may have thousands separators (`1,234`); the count
 *   name is `samples` or whatever `--countname` said (`ns` → unit nanoseconds;
 *   anything else keeps unit samples and becomes the event name);
 * - inferno's `fg:x` / `fg:w` attributes (in samples) are preferred for the position
 *   and weight when present; otherwise the title's count is the weight and the `x` /
 *   `width` attributes (pixels or percentages) are the position;
 * - rows are the distinct `y` values; the root row is at the bottom, or at the top in
 *   icicle graphs (`--inverted`): the root row is the one holding the single `all`
 *   frame, else the row with the larger summed count, else the title text decides
 *   (`Icicle Graph` / `inverted`);
 * - a frame's parent is the frame one row closer to the root whose x-range contains
 *   the frame's middle; a frame's self weight is its count minus its children's counts;
 * - `--reverse` graphs draw stacks leaf first; the SVG does not mark this, so it is
 *   detected, best effort, from the words "reverse" / "reversed" in the title or
 *   subtitle text, and then each stack is turned root first again;
 * - the synthetic `all` root that flamegraph.pl and inferno draw is dropped; weight
 *   that sits on `all` itself (frames too narrow to be drawn, `--minwidth`) is kept
 *   as a one-frame stack `all`, so the total always equals the `all` count;
 * - frames narrower than `--minwidth` are not in the SVG at all: their weight shows
 *   as self weight of their parent;
 * - names are XML-unescaped; the annotation suffixes `_[k]` etc. are read as in
 *   folded stacks when the SVG kept them.
 *
 * XML is parsed with the streaming parser saxes. Entities are never expanded: saxes
 * knows only the five predefined entities, and a DOCTYPE with an internal subset
 * (where entities would be declared — "billion laughs") is rejected outright.
 */
import { SaxesParser } from 'saxes';
import { type Profile, ProfileBuilder, type WeightUnit } from '../profile/model';
import { gcd, PERIOD_MIN, parseFoldedFrame } from './folded';
import { ImportError } from './import-error';
import { throwIfCancelled } from './input';
import type { ImportOptions, ProfileHead, ProfileImporter, ProfileInput } from './types';

const LABEL = 'flame graph SVG';

const TITLE_RE = /^([\s\S]*) \((\d[\d,]*(?:\.\d+)?)(?: ([^,()]*))?, [^()]*%\)$/;
const HEAD_TITLE_RE = /<title>[^<]* \(\d[\d,]*(?:\.\d+)? [^,()<]*, [\d.]+%\)<\/title>/;

/**
 * True when the head is an SVG flame graph: it has an `<svg` element and either a
 * frame title (`name (N samples, P%)`), inferno's `fg:x` attributes or a
 * `<g id="frames">` group.
 * @param head the first bytes of the file (see `readHead`)
 */
export function isFlamegraphSvg(head: ProfileHead): boolean {
  const t = head.text;
  if (!t.includes('<svg')) return false;
  return HEAD_TITLE_RE.test(t) || t.includes('fg:x=') || t.includes('<g id="frames"');
}

interface SvgFrame {
  readonly name: string;
  readonly count: number;
  readonly x: number;
  readonly width: number;
  readonly y: number;
  parent: number;
  childCount: number;
}

interface OpenGroup {
  title?: string;
  rect?: Record<string, string>;
}

/**
 * Imports a flame graph SVG by rebuilding its stacks from the frames' geometry
 * (see the module comment for the rules and the best-effort parts).
 * @param input the file (streamed into the XML parser)
 * @param options progress and cancellation
 * @returns a profile with format `flamegraph-svg`, unit samples (or nanoseconds for
 *   count name `ns`), one thread `all`, total = the root's count
 * @throws ImportError for XML errors (with the 1-based line), a DOCTYPE with an
 *   internal subset, an SVG with no frames, a title without a count, or a frame
 *   that has no parent frame in the row closer to the root
 * @throws ImportCancelledError when `options.signal` fires
 */
export async function importFromFlamegraphSvg(
  input: ProfileInput,
  options: ImportOptions = {},
): Promise<Profile> {
  const file = input.name;
  const frames: SvgFrame[] = [];
  const groups: OpenGroup[] = [];
  const headings: string[] = [];
  let countName: string | undefined;
  let inTitle = false;
  let titleText = '';
  let headingText: string | undefined;
  let sawSvg = false;

  const parser = new SaxesParser({ position: true });
  const fail = (problem: string): never => {
    throw new ImportError(LABEL, file, problem, { line: parser.line });
  };
  parser.on('doctype', (doctype) => {
    if (doctype.includes('['))
      fail('a DOCTYPE with an internal subset is not allowed (entities are not expanded)');
  });
  parser.on('opentag', (tag) => {
    const name = tag.name;
    if (name === 'svg') sawSvg = true;
    else if (name === 'g') groups.push({});
    else if (name === 'title' && groups.length > 0) {
      inTitle = true;
      titleText = '';
    } else if (name === 'rect' && groups.length > 0) {
      const g = groups[groups.length - 1];
      if (g.rect === undefined) g.rect = tag.attributes as Record<string, string>;
    } else if (name === 'text') {
      const id = tag.attributes.id;
      if (id === 'title' || id === 'subtitle') headingText = '';
    }
  });
  parser.on('text', (text) => {
    if (inTitle) titleText += text;
    else if (headingText !== undefined) headingText += text;
  });
  parser.on('cdata', (text) => {
    if (inTitle) titleText += text;
  });
  parser.on('closetag', (tag) => {
    const name = tag.name;
    if (name === 'title' && inTitle) {
      inTitle = false;
      const g = groups[groups.length - 1];
      if (g !== undefined && g.title === undefined) g.title = titleText;
    } else if (name === 'text' && headingText !== undefined) {
      headings.push(headingText);
      headingText = undefined;
    } else if (name === 'g') {
      const g = groups.pop();
      if (g?.title !== undefined && g.rect !== undefined) {
        const f = toFrame(g.title, g.rect);
        if (f === undefined) fail(`frame title "${clip(g.title)}" has no count like "(12 samples, 3.4%)"`);
        else {
          if (countName === undefined) countName = f.countName;
          frames.push(f.frame);
        }
      }
    }
  });

  const decoder = new TextDecoder('utf-8', { fatal: false });
  let got = 0;
  try {
    for await (const chunk of input.chunks()) {
      throwIfCancelled(input, options);
      got += chunk.byteLength;
      parser.write(decoder.decode(chunk, { stream: true }));
      options.onProgress?.(got);
    }
    parser.write(decoder.decode());
    parser.close();
  } catch (e) {
    if (e instanceof ImportError) throw e;
    if (e instanceof Error && !(e.name === 'ImportCancelledError'))
      throw new ImportError(LABEL, file, `not well-formed XML: ${e.message}`, { line: parser.line });
    throw e;
  }
  if (!sawSvg) throw new ImportError(LABEL, file, 'no <svg> element');
  if (frames.length === 0)
    throw new ImportError(
      LABEL,
      file,
      'no flame graph frames (<g> with <title>name (N samples, P%)</title>)',
    );

  return buildProfile(file, frames, countName ?? 'samples', headings.join(' '));
}

/** The flame graph SVG importer (id `flamegraph-svg`). */
export const flamegraphSvgImporter: ProfileImporter = {
  id: 'flamegraph-svg',
  label: LABEL,
  extensions: ['.svg'],
  detect: isFlamegraphSvg,
  import: importFromFlamegraphSvg,
};

function toFrame(
  title: string,
  rect: Record<string, string>,
): { frame: SvgFrame; countName: string } | undefined {
  const m = TITLE_RE.exec(title.trim());
  if (!m) return undefined;
  const fgx = rect['fg:x'];
  const fgw = rect['fg:w'];
  const useFg = fgx !== undefined && fgw !== undefined;
  const count = useFg ? Number(fgw) : Number(m[2].replace(/,/g, ''));
  const x = useFg ? Number(fgx) : Number.parseFloat(rect.x ?? '');
  const width = useFg ? count : Number.parseFloat(rect.width ?? '');
  const y = Number.parseFloat(rect.y ?? '');
  if (![count, x, width, y].every(Number.isFinite) || count < 0) return undefined;
  return {
    frame: { name: m[1], count, x, width, y, parent: -1, childCount: 0 },
    countName: (m[3] ?? 'samples').trim(),
  };
}

function buildProfile(file: string, frames: SvgFrame[], countName: string, headings: string): Profile {
  const fail = (problem: string): never => {
    throw new ImportError(LABEL, file, problem);
  };
  // Rows by y.
  const ys = [...new Set(frames.map((f) => f.y))].sort((a, b) => a - b);
  const rowOf = new Map(ys.map((y, i) => [y, i]));
  const rows: number[][] = ys.map(() => []);
  frames.forEach((f, i) => {
    rows[rowOf.get(f.y)!].push(i);
  });
  const sumRow = (r: number[]) => r.reduce((s, i) => s + frames[i].count, 0);
  const isAllRow = (r: number[]) => r.length === 1 && frames[r[0]].name === 'all';
  const top = rows[0];
  const bottom = rows[rows.length - 1];
  let inverted: boolean;
  if (rows.length === 1) inverted = false;
  else if (isAllRow(bottom) !== isAllRow(top)) inverted = isAllRow(top);
  else if (sumRow(top) !== sumRow(bottom)) inverted = sumRow(top) > sumRow(bottom);
  else inverted = /icicle|inverted/i.test(headings);
  const ordered = inverted ? rows : rows.slice().reverse(); // ordered[0] is the root row
  const reversed = /\breversed?\b/i.test(headings);

  // Parents: the frame in the row closer to the root whose x-range holds the middle.
  for (let d = 1; d < ordered.length; d++) {
    const parents = ordered[d - 1].slice().sort((a, b) => frames[a].x - frames[b].x);
    for (const i of ordered[d]) {
      const f = frames[i];
      const mid = f.x + f.width / 2;
      let lo = 0;
      let hi = parents.length - 1;
      let found = -1;
      while (lo <= hi) {
        const m = (lo + hi) >> 1;
        const p = frames[parents[m]];
        if (mid < p.x) hi = m - 1;
        else if (mid > p.x + p.width) lo = m + 1;
        else {
          found = parents[m];
          break;
        }
      }
      if (found < 0) fail(`frame "${clip(f.name)}" has no parent frame in the row closer to the root`);
      f.parent = found;
      frames[found].childCount += f.count;
    }
  }

  const ns = /^(ns|nanoseconds?)$/i.test(countName);
  const unit: WeightUnit = ns ? 'nanoseconds' : 'samples';
  const builder = new ProfileBuilder({
    format: 'flamegraph-svg',
    source: file,
    unit,
    eventName: ns || countName === 'samples' ? unit : countName,
  });
  const roots = ordered[0];
  const dropAll = roots.length === 1 && frames[roots[0]].name === 'all';
  const ids = new Map<number, number>();
  const idOf = (i: number): number => {
    let id = ids.get(i);
    if (id === undefined) {
      id = builder.frameId(parseFoldedFrame(frames[i].name));
      ids.set(i, id);
    }
    return id;
  };
  // stackcollapse-perf.pl writes sample periods (1001001 ns per sample at 999 Hz cpu-clock):
  // when every self count is a multiple of one period, the counts are nanoseconds
  let divisor = 0;
  if (countName === 'samples')
    for (const f of frames) {
      const self = Math.max(0, f.count - f.childCount);
      // a count that is not an integer means they are not periods (divisor -1 for good)
      if (self > 0 && divisor >= 0) divisor = Number.isInteger(self) ? gcd(divisor, self) : -1;
    }
  const periods = divisor >= PERIOD_MIN;
  if (periods) builder.setUnit('nanoseconds');
  let total = 0;
  const stack: number[] = [];
  frames.forEach((f, i) => {
    const self = Math.max(0, f.count - f.childCount);
    if (self <= 0) return;
    stack.length = 0;
    for (let j = i; j >= 0; j = frames[j].parent) {
      if (dropAll && j === roots[0] && stack.length > 0) break;
      stack.push(idOf(j));
    }
    if (!reversed) stack.reverse();
    builder.appendSample(stack, self, undefined, unit === 'samples' ? self : 1);
    total += self;
  });
  if (!(total > 0)) fail('the flame graph has no weight');
  builder.setMeta('countName', countName);
  if (inverted) builder.setMeta('inverted', 'yes');
  if (reversed) builder.setMeta('reversed', 'yes');
  if (periods) {
    builder.setMeta('samplePeriod', divisor);
    return builder.build({ sampleCount: Math.round(total / divisor) });
  }
  return builder.build({ sampleCount: unit === 'samples' });
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}
