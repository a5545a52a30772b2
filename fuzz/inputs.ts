/**
 * Fuzz inputs: the seeds (the real fixtures under `test/fixtures`) and the fast-check
 * arbitraries that derive inputs from them — random bytes, and seeds put through a list
 * of mutations (truncation, byte flips, inserted/deleted/duplicated ranges, extreme
 * numbers spliced into numeric fields, invalid UTF-8, NUL bytes, line-ending conversion,
 * a BOM, deep nesting). Shared by the short fuzz tests (`test/unit/fuzz`) and the long
 * fuzzer (`fuzz/run.ts`).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import fc from 'fast-check';

/** Repository root (this file is `fuzz/inputs.ts`). */
export const REPO_ROOT = path.resolve(__dirname, '..');

/** A seed: a fixture's bytes and where they came from (repo-relative path). */
export interface Seed {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/**
 * Reads every file under `test/fixtures/<dir>` whose name passes `accept` as a seed.
 * Gzipped seeds are also added decompressed (`name` + `#gunzip`), so mutations reach the
 * content and not only the gzip wrapper.
 * @param dir directory under `test/fixtures` (`profiles/folded`, `plans`)
 * @param accept file-name filter
 * @throws Error when no file matches (a fuzz target without seeds is a setup mistake)
 */
export function loadSeeds(dir: string, accept: (file: string) => boolean): Seed[] {
  const abs = path.join(REPO_ROOT, 'test', 'fixtures', dir);
  const seeds: Seed[] = [];
  for (const f of fs.readdirSync(abs).sort()) {
    if (!accept(f)) continue;
    const file = path.join(abs, f);
    if (!fs.statSync(file).isFile()) continue;
    const bytes = new Uint8Array(fs.readFileSync(file));
    const name = path.relative(REPO_ROOT, file);
    seeds.push({ name, bytes });
    if (bytes[0] === 0x1f && bytes[1] === 0x8b)
      seeds.push({ name: `${name}#gunzip`, bytes: new Uint8Array(zlib.gunzipSync(bytes)) });
  }
  if (seeds.length === 0) throw new Error(`no fuzz seeds in ${abs}`);
  return seeds;
}

/** Numbers spliced into numeric fields: overflow, negative, not-a-number, beyond 2^53 and 2^64. */
export const EXTREME_NUMBERS: readonly string[] = [
  '1e308',
  '1e309',
  '-1',
  '-0',
  'NaN',
  'Infinity',
  '-Infinity',
  '18446744073709551616',
  '9007199254740993',
  '-9223372036854775809',
  '4294967296',
  '2147483648',
  '1e-320',
  '0',
  '0.5',
  '99999999999999999999999999999999',
  '0x10',
  '1,5',
  '',
];

/** Byte sequences that are not valid UTF-8 (lone continuation, truncated sequences, surrogates, overlong, > U+10FFFF). */
export const INVALID_UTF8: readonly (readonly number[])[] = [
  [0xff],
  [0x80],
  [0xc3],
  [0xe2, 0x82],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xc0, 0xaf],
  [0xf0, 0x9f, 0x94],
];

/**
 * One mutation. Positions are fractions of the current length in [0, 1), so a mutation
 * list stays meaningful (and shrinks well) whatever the seed's size.
 */
export type Mutation =
  | { readonly op: 'truncate'; readonly at: number }
  | { readonly op: 'flip'; readonly at: number; readonly mask: number }
  | { readonly op: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly op: 'delete'; readonly at: number; readonly length: number }
  | {
      readonly op: 'duplicate';
      readonly at: number;
      readonly length: number;
      readonly to: number;
      readonly times: number;
    }
  | { readonly op: 'number'; readonly which: number; readonly value: string }
  | { readonly op: 'utf8'; readonly at: number; readonly seq: number }
  | { readonly op: 'nul'; readonly at: number; readonly count: number }
  | { readonly op: 'eol'; readonly to: 'crlf' | 'cr' | 'lf' }
  | { readonly op: 'bom' }
  | { readonly op: 'deep'; readonly at: number; readonly depth: number; readonly kind: DeepKind };

/** What a `deep` mutation inserts: nested JSON arrays/objects, XML elements, Markdown list or quote levels. */
export type DeepKind = 'json-array' | 'json-object' | 'xml' | 'list' | 'quote';

const frac = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

/** Any one {@link Mutation}. `maxDepth` bounds `deep` (default 10,000). */
export function mutationArb(maxDepth = 10_000): fc.Arbitrary<Mutation> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: frac }) },
    {
      weight: 4,
      arbitrary: fc.record({
        op: fc.constant('flip' as const),
        at: frac,
        mask: fc.integer({ min: 1, max: 255 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('insert' as const),
        at: frac,
        bytes: fc.uint8Array({ minLength: 1, maxLength: 32 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('delete' as const),
        at: frac,
        length: fc.integer({ min: 1, max: 4096 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('duplicate' as const),
        at: frac,
        length: fc.integer({ min: 1, max: 512 }),
        to: frac,
        times: fc.integer({ min: 1, max: 64 }),
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        op: fc.constant('number' as const),
        which: fc.nat(),
        value: fc.constantFrom(...EXTREME_NUMBERS),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('utf8' as const),
        at: frac,
        seq: fc.nat(INVALID_UTF8.length - 1),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('nul' as const),
        at: frac,
        count: fc.integer({ min: 1, max: 8 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('eol' as const),
        to: fc.constantFrom('crlf' as const, 'cr' as const, 'lf' as const),
      }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('bom' as const) }) },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('deep' as const),
        at: frac,
        depth: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.constant(maxDepth)),
        kind: fc.constantFrom<DeepKind>('json-array', 'json-object', 'xml', 'list', 'quote'),
      }),
    },
  );
}

const enc = new TextEncoder();
const NUMBER_RE = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

function splice(bytes: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.byteLength - remove + insert.byteLength);
  out.set(bytes.subarray(0, at), 0);
  out.set(insert, at);
  out.set(bytes.subarray(at + remove), at + insert.byteLength);
  return out;
}

function deepText(kind: DeepKind, depth: number): string {
  switch (kind) {
    case 'json-array':
      return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
    case 'json-object':
      return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    case 'xml':
      return `${'<g>'.repeat(depth)}x${'</g>'.repeat(depth)}`;
    case 'list': {
      // Indentation grows with the level, so the text is quadratic in it: 1,000 levels ≈ 1 MB.
      const lines: string[] = [];
      for (let i = 0; i < Math.min(depth, 1000); i++)
        lines.push(`${'  '.repeat(i)}- [ ] t${i} \`src/a${i}.rs:F\` 1.5%`);
      return `\n${lines.join('\n')}\n`;
    }
    case 'quote':
      return `\n${'>'.repeat(depth)} - [x] q\n`;
  }
}

/**
 * Applies one mutation to `bytes` and returns the result (the input is not changed).
 * Number splices work on the bytes read as Latin-1, so multi-byte text is kept byte for byte.
 */
export function applyMutation(bytes: Uint8Array, m: Mutation): Uint8Array {
  const n = bytes.byteLength;
  const pos = (f: number) => Math.min(n, Math.floor(f * (n + 1)));
  switch (m.op) {
    case 'truncate':
      return bytes.slice(0, pos(m.at));
    case 'flip': {
      if (n === 0) return bytes;
      const out = bytes.slice();
      out[Math.min(n - 1, pos(m.at))] ^= m.mask;
      return out;
    }
    case 'insert':
      return splice(bytes, pos(m.at), 0, m.bytes);
    case 'delete': {
      const at = pos(m.at);
      return splice(bytes, at, Math.min(m.length, n - at), new Uint8Array(0));
    }
    case 'duplicate': {
      const at = pos(m.at);
      const piece = bytes.slice(at, Math.min(n, at + m.length));
      const rep = new Uint8Array(piece.byteLength * m.times);
      for (let i = 0; i < m.times; i++) rep.set(piece, i * piece.byteLength);
      return splice(bytes, pos(m.to), 0, rep);
    }
    case 'number': {
      const text = Buffer.from(bytes).toString('latin1');
      const found: { index: number; length: number }[] = [];
      NUMBER_RE.lastIndex = 0;
      for (let r = NUMBER_RE.exec(text); r !== null && found.length < 4096; r = NUMBER_RE.exec(text))
        found.push({ index: r.index, length: r[0].length });
      if (found.length === 0) return bytes;
      const f = found[m.which % found.length];
      return splice(bytes, f.index, f.length, enc.encode(m.value));
    }
    case 'utf8':
      return splice(bytes, pos(m.at), 0, Uint8Array.from(INVALID_UTF8[m.seq % INVALID_UTF8.length]));
    case 'nul':
      return splice(bytes, pos(m.at), 0, new Uint8Array(m.count));
    case 'eol': {
      const text = Buffer.from(bytes).toString('latin1').replace(/\r\n?/g, '\n');
      const out = m.to === 'lf' ? text : text.replace(/\n/g, m.to === 'crlf' ? '\r\n' : '\r');
      return new Uint8Array(Buffer.from(out, 'latin1'));
    }
    case 'bom':
      return splice(bytes, 0, 0, Uint8Array.of(0xef, 0xbb, 0xbf));
    case 'deep':
      return splice(bytes, pos(m.at), 0, enc.encode(deepText(m.kind, m.depth)));
  }
}

/** A generated input and how it was made (for failure reports). */
export interface FuzzInput {
  readonly bytes: Uint8Array;
  /** Short description: `random`, `seed <path> + <mutations>`, `deep <name>`. */
  readonly origin: string;
  /** Chunk size the input is streamed with (exercises chunk boundaries). */
  readonly chunkSize: number;
}

function describe(ms: readonly Mutation[]): string {
  return ms
    .map((m) => {
      if (m.op === 'insert') return `insert(${m.bytes.byteLength}B)`;
      if (m.op === 'number') return `number(#${m.which}=${JSON.stringify(m.value)})`;
      if (m.op === 'deep') return `deep(${m.kind}×${m.depth})`;
      if (m.op === 'eol') return `eol(${m.to})`;
      return m.op;
    })
    .join(', ');
}

const chunkSizeArb = fc.oneof(fc.constant(1 << 20), fc.integer({ min: 1, max: 4096 }));

/**
 * The input arbitrary of one fuzz target: random bytes (optionally after a format's
 * magic prefix), seeds with 1–4 mutations, and the target's structured deep inputs
 * (also mutated). Each input also gets a chunk size to stream it with.
 * @param seeds fixtures of the format (see {@link loadSeeds})
 * @param deep structurally valid deep inputs (10,000-frame stacks and the like), may be empty
 * @param prefixes magic prefixes to put in front of random bytes (`{`, `<svg`, `PERFILE2`)
 */
export function inputArb(
  seeds: readonly Seed[],
  deep: readonly Seed[],
  prefixes: readonly string[] = [],
): fc.Arbitrary<FuzzInput> {
  const random = fc
    .record({
      prefix: fc.constantFrom('', ...prefixes),
      bytes: fc.oneof(
        fc.uint8Array({ maxLength: 2048 }),
        fc.string({ unit: 'binary', maxLength: 512 }).map((s) => enc.encode(s)),
      ),
      chunkSize: chunkSizeArb,
    })
    .map(({ prefix, bytes, chunkSize }) => ({
      bytes: prefix === '' ? bytes : splice(bytes, 0, 0, enc.encode(prefix)),
      origin: `random${prefix ? ` after ${JSON.stringify(prefix)}` : ''}`,
      chunkSize,
    }));
  const mutated = (pool: readonly Seed[], label: string, min: number) =>
    fc
      .record({
        seed: fc.nat(pool.length - 1),
        mutations: fc.array(mutationArb(), { minLength: min, maxLength: 4 }),
        chunkSize: chunkSizeArb,
      })
      .map(({ seed, mutations, chunkSize }) => {
        let bytes = pool[seed].bytes;
        for (const m of mutations) bytes = applyMutation(bytes, m);
        return {
          bytes,
          origin: `${label} ${pool[seed].name}${mutations.length ? ` + ${describe(mutations)}` : ''}`,
          chunkSize,
        };
      });
  // Deep inputs are large (up to 1.5 MB) and slow to import, so they are drawn rarely (~0.5%).
  const arbs = [
    { weight: 40, arbitrary: random },
    { weight: 140, arbitrary: mutated(seeds, 'seed', 1) },
    { weight: 19, arbitrary: mutated(seeds, 'seed', 0) },
  ];
  if (deep.length > 0) arbs.push({ weight: 1, arbitrary: mutated(deep, 'deep', 0) });
  return fc.oneof(...arbs);
}

/** Gzips bytes (for deep pprof/Firefox inputs that are usually gzipped). */
export function gzip(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(zlib.gzipSync(bytes));
}
