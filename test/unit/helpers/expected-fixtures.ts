import fs from 'node:fs';
import { fixturePath } from './golden';

/** The tools' own figures for one fixture (from the scripts that made the fixtures). */
export interface ExpectedFixture {
  format: string;
  unit?: string;
  total: number;
  totalPeriod?: number;
  events?: string[];
  threadNames?: string[];
  threadCount?: number;
  inlinedFrameLines?: number;
  kernelFrameLines?: number;
  countName?: string;
  from?: string;
}

/**
 * Fixtures of one format with the tools' own figures: expected.json (Rust fixtures,
 * `{ files: { path: { format, total, … } } }`) and expected-other.json (C/C++/Go
 * fixtures, `{ path: { samples | totalWeight | events, … } }`), paths relative to profiles/.
 */
export function expectedFixtures(format: string): [string, ExpectedFixture][] {
  const read = (name: string) => {
    const file = fixturePath('profiles', name);
    return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  };
  const all: Record<string, ExpectedFixture> = { ...(read('expected.json').files ?? {}) };
  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON of the fixture scripts
  for (const [rel, v] of Object.entries<Record<string, any>>(read('expected-other.json'))) {
    const dir = rel.split('/')[0];
    if (dir === 'perf-script')
      all[rel] = {
        format: dir,
        unit: 'samples',
        total: v.samples,
        totalPeriod: v.eventCount,
        events: [v.event],
      };
    else if (dir === 'folded') all[rel] = { format: dir, unit: 'ns', total: v.totalWeight };
    else if (dir === 'callgrind' && v.events)
      all[rel] = { format: dir, unit: 'Ir', total: v.events.Ir, events: Object.keys(v.events) };
  }
  return Object.entries(all)
    .filter(([, e]) => e.format === format)
    .sort(([a], [b]) => (a < b ? -1 : 1));
}
