import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { ImportError } from '../../../src/core/importers/import-error';
import { inputFromBytes, readHead } from '../../../src/core/importers/input';
import {
  importFromSpeedscope,
  isSpeedscope,
  speedscopeImporter,
} from '../../../src/core/importers/speedscope';
import { toFolded } from '../../../src/core/profile/aggregate';
import { assertGolden, fixturePath } from '../helpers/golden';

const SCHEMA = 'https://www.speedscope.app/file-format-schema.json';
const frames = [
  { name: 'main', file: 'src/main.rs', line: 10, col: 5 },
  { name: 'parse', file: 'src/parse.rs', line: 3 },
  { name: 'eval' },
];

function file(profiles: unknown[]) {
  return { $schema: SCHEMA, shared: { frames }, profiles, exporter: 'test' };
}

function load(json: unknown) {
  return importFromSpeedscope(
    inputFromBytes('p.speedscope.json', typeof json === 'string' ? json : JSON.stringify(json)),
  );
}

async function rejects(json: unknown, pattern: RegExp) {
  await assert.rejects(load(json), (e: unknown) => {
    assert.ok(e instanceof ImportError, `expected ImportError, got ${e}`);
    assert.match(e.message, /^p\.speedscope\.json: cannot read as speedscope JSON: /);
    assert.match(e.message, pattern);
    return true;
  });
}

const sampled = (unit: string, name = 'main thread') => ({
  type: 'sampled',
  name,
  unit,
  startValue: 0,
  endValue: 10,
  samples: [
    [0, 1],
    [0, 2],
    [0, 1],
  ],
  weights: [2, 3, 4],
});

/** The tools' own figures for the fixtures (written by make-other-fixtures.sh). */
const expectedOther = JSON.parse(
  fs.readFileSync(fixturePath('profiles', 'expected-other.json'), 'utf8'),
) as Record<string, Record<string, unknown>>;

describe('speedscope importer', () => {
  it('reads sampled profiles root first with 1-based lines, unit none → samples', async () => {
    const p = await load(file([sampled('none')]));
    assert.equal(p.unit, 'samples');
    assert.equal(p.total, 9);
    assert.equal(p.sampleCount, 3);
    assert.equal(toFolded(p), 'main;eval 3\nmain;parse 6\n');
    assert.deepEqual(p.frames[0], { name: 'main', file: 'src/main.rs', line: 10, column: 5 });
  });

  it('converts time units to nanoseconds and keeps bytes', async () => {
    assert.equal((await load(file([sampled('milliseconds')]))).total, 9e6);
    assert.equal((await load(file([sampled('microseconds')]))).unit, 'nanoseconds');
    const b = await load(file([sampled('bytes')]));
    assert.deepEqual([b.unit, b.total], ['bytes', 9]);
  });

  it('replays evented profiles: the open stack weighs the time until the next event', async () => {
    const evented = {
      type: 'evented',
      name: 'worker',
      unit: 'microseconds',
      startValue: 0,
      endValue: 20,
      events: [
        { type: 'O', at: 0, frame: 0 },
        { type: 'O', at: 2, frame: 1 },
        { type: 'C', at: 7, frame: 1 },
        { type: 'O', at: 7, frame: 2 },
        { type: 'C', at: 8, frame: 2 },
        { type: 'C', at: 20, frame: 0 },
      ],
    };
    const p = await load(file([evented]));
    assert.equal(toFolded(p), 'main 14000\nmain;eval 1000\nmain;parse 5000\n');
    assert.equal(p.sampleCount, undefined);
  });

  it('makes one thread per profile and skips profiles of another kind of unit', async () => {
    const p = await load(file([sampled('seconds', 'a'), sampled('seconds', 'a'), sampled('bytes', 'heap')]));
    assert.deepEqual(p.threads, ['a', 'a #2']);
    assert.equal(p.meta.skippedProfiles, 'heap (bytes)');
  });

  it('detects by the $schema or the shared.frames + profiles shape', () => {
    const head = (text: string) => ({ name: 'unknown', bytes: new Uint8Array(), text });
    assert.equal(isSpeedscope(head(JSON.stringify(file([])))), true);
    assert.equal(isSpeedscope(head('{"shared":{"frames":[]},"profiles":[]}')), true);
    assert.equal(isSpeedscope(head('{"nodes":[],"samples":[]}')), false);
  });

  describe('bad input', () => {
    it('empty file', () => rejects('', /the file is empty/));
    it('truncated', () => rejects(JSON.stringify(file([sampled('none')])).slice(0, 90), /not valid JSON/));
    it('the wrong format', () => rejects({ nodes: [] }, /\$\.shared: /));
    it('an unknown unit', () => rejects(file([sampled('parsecs')]), /\$\.profiles\[0\]\.unit/));
    it('a negative weight', () =>
      rejects(file([{ ...sampled('none'), weights: [1, -1, 1] }]), /\$\.profiles\[0\]\.weights\[1\]/));
    it('a frame index out of range', () =>
      rejects(
        file([{ ...sampled('none'), samples: [[0], [9], [0]] }]),
        /samples\[1\]: frame index 9 is out of range/,
      ));
    it('samples and weights of different lengths', () =>
      rejects(file([{ ...sampled('none'), weights: [1] }]), /3 samples but 1 weights/));
    it('badly nested events', () =>
      rejects(
        file([
          {
            type: 'evented',
            unit: 'none',
            startValue: 0,
            endValue: 2,
            events: [
              { type: 'O', at: 0, frame: 0 },
              { type: 'C', at: 1, frame: 1 },
            ],
          },
        ]),
        /closes frame 1 but the innermost open frame is 0/,
      ));
  });

  describe('fixtures exported by speedscope', () => {
    const dir = fixturePath('profiles', 'speedscope');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
    it('has fixtures', () => assert.ok(files.length >= 1));
    for (const f of files) {
      it(`${f}: total equals the sum of the file's weights, golden folded dump, detected without its name`, async () => {
        const bytes = fs.readFileSync(`${dir}/${f}`);
        const p = await importFromSpeedscope(inputFromBytes(f, bytes));
        // the weights the exporter wrote, in nanoseconds (or samples/bytes): for sampled profiles
        // the weights of samples with a stack (an empty stack has no frame to carry it); for
        // evented ones (speedscope's own export) the time during which at least one frame is open
        const raw = JSON.parse(bytes.toString('utf8')) as {
          profiles: {
            unit: string;
            weights?: number[];
            samples?: number[][];
            events?: { type: string; at: number }[];
          }[];
        };
        const openTime = (events: { type: string; at: number }[]) => {
          let depth = 0;
          let last = 0;
          let sum = 0;
          for (const e of events) {
            if (depth > 0) sum += e.at - last;
            last = e.at;
            depth += e.type === 'O' ? 1 : -1;
          }
          return sum;
        };
        const scale: Record<string, number> = { seconds: 1e9, milliseconds: 1e6, microseconds: 1e3 };
        const expected = raw.profiles.reduce(
          (a, pr) =>
            a +
            (pr.weights
              ? pr.weights.reduce(
                  (x, w, i) => x + (pr.samples?.[i]?.length ? w * (scale[pr.unit] ?? 1) : 0),
                  0,
                )
              : openTime(pr.events ?? []) * (scale[pr.unit] ?? 1)),
          0,
        );
        assert.ok(expected > 0);
        const reported = expectedOther[`speedscope/${f}`].toolReportedSamples;
        if (typeof reported === 'number') assert.equal(p.sampleCount, reported);
        assert.ok(Math.abs(p.total - expected) <= expected * 1e-9, `${p.total} vs ${expected}`);
        assertGolden(`test/fixtures/golden/importers/speedscope/${f}.folded`, toFolded(p));
        assert.equal(speedscopeImporter.detect(await readHead(inputFromBytes('unknown', bytes))), true);
      });
    }
  });
});
