/**
 * Structurally valid deep inputs, one set per fuzz target: 10,000-frame stacks in every
 * profile format (a call chain 10,000 functions deep), 10,000-deep JSON and XML nesting,
 * and 1,000-level Markdown lists. They check that no importer recurses once per frame or
 * per nesting level (a stack overflow is a RangeError, not an ImportError).
 * The fuzzers also mutate them like the fixtures.
 */
import {
  Line,
  Location,
  Function as PprofFunction,
  Profile,
  Sample,
  StringTable,
  ValueType,
} from 'pprof-format';
import type { Seed } from './inputs';
import { gzip } from './inputs';

/** Stack depth / nesting depth of the deep inputs. */
export const DEEP = 10_000;

const enc = new TextEncoder();
const seed = (name: string, text: string | Uint8Array): Seed => ({
  name: `deep:${name}`,
  bytes: typeof text === 'string' ? enc.encode(text) : text,
});
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** 10,000-deep JSON arrays and objects (valid JSON, wrong shape for every format). */
export function deepJson(): Seed[] {
  return [
    seed('json-array', `${'['.repeat(DEEP)}${']'.repeat(DEEP)}`),
    seed('json-object', `${'{"nodes":'.repeat(DEEP)}[]${'}'.repeat(DEEP)}`),
  ];
}

/** Folded stacks: one line with 10,000 frames; 10,000 lines each one frame deeper is too big, so 200. */
export function deepFolded(): Seed[] {
  const chain = range(DEEP).map((i) => `f${i}`);
  const lines = range(200).map((i) => `${chain.slice(0, i + 1).join(';')} ${i + 1}`);
  return [seed('folded-chain', `${chain.join(';')} 7\n`), seed('folded-prefixes', `${lines.join('\n')}\n`)];
}

/** perf script: one sample whose call chain has 10,000 frames (leaf first, as perf writes it). */
export function deepPerfScript(): Seed[] {
  const frames = range(DEEP)
    .reverse()
    .map((i) => `\t${(0x1000 + i).toString(16)} f${i}+0x1 (/bin/deep)`);
  const sample = (t: number) => `deep 1 [000] ${t}.000001:    1001001 cpu-clock: \n${frames.join('\n')}\n\n`;
  return [seed('perf-script-chain', sample(1) + sample(2))];
}

/** V8 .cpuprofile: a 10,000-node chain (each node the only child of the previous). */
export function deepCpuprofile(): Seed[] {
  const nodes = range(DEEP).map((i) => ({
    id: i + 1,
    callFrame: {
      functionName: `f${i}`,
      scriptId: '1',
      url: 'file:///deep.js',
      lineNumber: i,
      columnNumber: 0,
    },
    hitCount: i === DEEP - 1 ? 2 : 0,
    ...(i < DEEP - 1 ? { children: [i + 2] } : {}),
  }));
  const profile = { nodes, startTime: 0, endTime: 2000, samples: [DEEP, DEEP], timeDeltas: [1000, 1000] };
  return [seed('cpuprofile-chain', JSON.stringify(profile))];
}

/**
 * speedscope: a sampled profile with one 10,000-frame sample, and an evented one that opens
 * 10,000 nested frames at 0 and closes them all at 1000 (one 10,000-frame stack).
 */
export function deepSpeedscope(): Seed[] {
  const frames = range(DEEP).map((i) => ({ name: `f${i}`, file: 'deep.c', line: i + 1 }));
  const sampled = {
    $schema: 'https://www.speedscope.app/file-format-schema.json',
    shared: { frames },
    profiles: [
      {
        type: 'sampled',
        name: 'deep',
        unit: 'none',
        startValue: 0,
        endValue: 2,
        samples: [range(DEEP), [0]],
        weights: [1, 1],
      },
    ],
  };
  const events = [
    ...range(DEEP).map((i) => ({ type: 'O', frame: i, at: 0 })),
    ...range(DEEP)
      .reverse()
      .map((i) => ({ type: 'C', frame: i, at: 1000 })),
  ];
  const evented = {
    $schema: 'https://www.speedscope.app/file-format-schema.json',
    shared: { frames },
    profiles: [{ type: 'evented', name: 'deep', unit: 'nanoseconds', startValue: 0, endValue: 1000, events }],
  };
  return [
    seed('speedscope-sampled', JSON.stringify(sampled)),
    seed('speedscope-evented', JSON.stringify(evented)),
  ];
}

/** pprof: one sample with 10,000 locations, raw and gzipped. */
export function deepPprof(): Seed[] {
  const st = new StringTable();
  const str = (s: string) => st.dedup(s);
  const file = str('deep.go');
  const functions = range(DEEP).map((i) => {
    const name = str(`f${i}`);
    return new PprofFunction({ id: i + 1, name, systemName: name, filename: file });
  });
  const locations = range(DEEP).map(
    (i) => new Location({ id: i + 1, line: [new Line({ functionId: i + 1, line: i + 1 })] }),
  );
  const profile = new Profile({
    sampleType: [
      new ValueType({ type: str('samples'), unit: str('count') }),
      new ValueType({ type: str('cpu'), unit: str('nanoseconds') }),
    ],
    sample: [new Sample({ locationId: range(DEEP).map((i) => i + 1), value: [1, 10_000_000] })],
    location: locations,
    function: functions,
    stringTable: st,
    periodType: new ValueType({ type: str('cpu'), unit: str('nanoseconds') }),
    period: 10_000_000,
  });
  const raw = profile.encode();
  return [seed('pprof-chain', raw), seed('pprof-chain.gz', gzip(raw))];
}

/**
 * Firefox Profiler: the processed fixture with a 10,000-entry prefix chain appended to its
 * stack table, and the first sample pointing at the chain's end.
 * @param processed the text of a processed-format fixture (with `shared.stackTable`)
 */
export function deepFirefox(processed: string): Seed[] {
  const p = JSON.parse(processed);
  const st = p.shared.stackTable;
  const start = st.length as number;
  for (let i = 0; i < DEEP; i++) {
    st.frame.push(i % p.shared.frameTable.length);
    st.prefix.push(i === 0 ? null : start + i - 1);
  }
  st.length = start + DEEP;
  for (const k of Object.keys(st))
    if (Array.isArray(st[k]) && st[k].length < st.length) st[k].length = st.length;
  p.threads[0].samples.stack[0] = start + DEEP - 1;
  const text = JSON.stringify(p);
  return [seed('firefox-chain', text), seed('firefox-chain.gz', gzip(enc.encode(text)))];
}

/** dhat: one program point whose stack has 10,000 frames. */
export function deepDhat(): Seed[] {
  const ftbl = [
    '[root]',
    ...range(DEEP).map((i) => `0x${(0x1000 + i).toString(16)}: f${i} (deep.c:${i + 1})`),
  ];
  const dhat = {
    dhatFileVersion: 2,
    mode: 'heap',
    verb: 'Allocated',
    bklt: true,
    bkacc: true,
    tu: 'instrs',
    Mtu: 'Minstr',
    tuth: 500,
    cmd: 'deep',
    pid: 1,
    te: 100,
    tg: 50,
    pps: [
      {
        tb: 1024,
        tbk: 2,
        tl: 10,
        mb: 1024,
        mbk: 1,
        gb: 1024,
        gbk: 1,
        eb: 0,
        ebk: 0,
        rb: 0,
        wb: 0,
        fs: range(DEEP).map((i) => i + 1),
      },
    ],
    ftbl,
  };
  return [seed('dhat-chain', JSON.stringify(dhat))];
}

/** callgrind: a chain of 10,000 functions, each calling the next once; only the last has self cost. */
export function deepCallgrind(): Seed[] {
  const out = ['# callgrind format', 'version: 1', 'creator: deep', 'positions: line', 'events: Ir', ''];
  out.push('ob=(1) /bin/deep', 'fl=(1) deep.c');
  for (let i = 0; i < DEEP; i++) {
    out.push(`fn=(${i + 1}) f${i}`, `${i + 1} ${i === DEEP - 1 ? 5 : 0}`);
    if (i < DEEP - 1) out.push(`cfn=(${i + 2}) f${i + 1}`, 'calls=1 1', `${i + 1} 5`);
    out.push('');
  }
  out.push('totals: 5');
  return [seed('callgrind-chain', `${out.join('\n')}\n`)];
}

/**
 * Flame graph SVG: 10,000 rows (each one frame, the child of the row below, all weight on
 * the top one) and 10,000-deep `<g>` nesting.
 */
export function deepFlamegraphSvg(): Seed[] {
  const head =
    '<?xml version="1.0" standalone="no"?>\n<svg version="1.1" width="1200" height="160032" xmlns="http://www.w3.org/2000/svg">\n<g id="frames">\n';
  const rows = range(DEEP).map((i) => {
    const name = i === 0 ? 'all' : `f${i}`;
    return `<g><title>${name} (5 samples, 100.00%)</title><rect x="${(i * 0.01).toFixed(2)}" y="${160000 - 16 * i}" width="${(1180 - i * 0.02).toFixed(2)}" height="15.0" fill="rgb(1,2,3)"/></g>\n`;
  });
  const nested = `${'<g>'.repeat(DEEP)}<g><title>all (5 samples, 100%)</title><rect x="10" y="100" width="1180" height="15"/></g>${'</g>'.repeat(DEEP)}`;
  return [
    seed('svg-rows', `${head}${rows.join('')}</g>\n</svg>\n`),
    seed('svg-nested', `${head}${nested}</g>\n</svg>\n`),
  ];
}

/** perf.data: the magic number followed by junk (without a runner the importer explains how to convert). */
export function deepPerfData(): Seed[] {
  return [seed('perfile2', `PERFILE2${'\0'.repeat(DEEP)}`), seed('2elifrep', '2ELIFREP')];
}

/**
 * Markdown plans: 1,000-level nested task lists, 10,000-deep block quotes and brackets,
 * 1,000 headings with a task each, 1,000-deep emphasis.
 */
export function deepPlans(): Seed[] {
  const list = range(1000)
    .map((i) => `${'  '.repeat(i)}- [ ] task ${i} in \`src/m${i}.rs:run\` (${i % 100}.5%)`)
    .join('\n');
  const ordered = range(1000)
    .map((i) => `${'   '.repeat(i)}1. [x] step ${i}`)
    .join('\n');
  return [
    seed('plan-list', `# Plan\n\n## Phase 1: deep\n\n${list}\n`),
    seed('plan-ordered', `# Plan\n\n## Phase 1\n\n${ordered}\n`),
    seed('plan-quote', `# Plan\n\n${'>'.repeat(DEEP)} - [ ] quoted\n`),
    seed('plan-brackets', `# Plan\n\n- [ ] ${'['.repeat(DEEP)}x${']'.repeat(DEEP)}\n`),
    // 1,000, not 10,000: micromark's edit map makes these quadratic (8,000 sections with a
    // task take ~21 s, 8,000-deep `*` ~3.6 s here); reported, not fixed.
    seed('plan-emphasis', `# Plan\n\n- [ ] ${'*'.repeat(1000)}a${'*'.repeat(1000)}\n`),
    seed(
      'plan-headings',
      `${range(1000)
        .map((i) => `${'#'.repeat((i % 6) + 1)} Phase ${i}\n- [ ] t`)
        .join('\n')}\n`,
    ),
  ];
}
