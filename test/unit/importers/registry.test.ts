import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import zlib from 'node:zlib';
import { ImportError, UnrecognizedProfileError } from '../../../src/core/importers/import-error';
import { inputFromBytes } from '../../../src/core/importers/input';
import { allImporters, detectImporter, importProfile } from '../../../src/core/importers/registry';
import { fixturePath } from '../helpers/golden';

/** Fixture folders and the format of the profiles in each (helper scripts and notes are skipped). */
const FOLDERS: Record<string, string> = {
  cpuprofile: 'cpuprofile',
  pprof: 'pprof',
  dhat: 'dhat',
  speedscope: 'speedscope',
  firefox: 'firefox',
  folded: 'folded',
  'perf-script': 'perf-script',
  'flamegraph-svg': 'flamegraph-svg',
  callgrind: 'callgrind',
};
const NOT_PROFILES = /\.(sh|mjs|js|py|md|txt|rs|go|c|cpp|h)$/;

function fixtures(): { folder: string; file: string; format: string }[] {
  const root = fixturePath('profiles');
  const out: { folder: string; file: string; format: string }[] = [];
  for (const [folder, format] of Object.entries(FOLDERS)) {
    const dir = path.join(root, folder);
    if (!fs.existsSync(dir)) continue;
    for (const file of fs.readdirSync(dir).sort()) {
      if (NOT_PROFILES.test(file) || !fs.statSync(path.join(dir, file)).isFile()) continue;
      out.push({ folder, file, format });
    }
  }
  return out;
}

describe('importer registry', () => {
  it('lists the ten formats once each', () => {
    assert.deepEqual(allImporters.map((i) => i.id).sort(), [
      'callgrind',
      'cpuprofile',
      'dhat',
      'firefox',
      'flamegraph-svg',
      'folded',
      'perf-data',
      'perf-script',
      'pprof',
      'speedscope',
    ]);
  });

  describe('detects every fixture by content alone (renamed "unknown")', () => {
    const all = fixtures();
    it('has fixtures of at least seven formats', () =>
      assert.ok(new Set(all.map((f) => f.format)).size >= 7));
    for (const f of all) {
      it(`${f.folder}/${f.file} → ${f.format}`, async () => {
        const bytes = fs.readFileSync(fixturePath('profiles', f.folder, f.file));
        const importer = await detectImporter(inputFromBytes('unknown', bytes));
        assert.equal(importer.id, f.format);
      });
    }
  });

  it('imports a fixture end to end and says which importer read it', async () => {
    const bytes = fs.readFileSync(fixturePath('profiles', 'pprof', 'go-cpu.pb.gz'));
    const { profile, importer } = await importProfile(inputFromBytes('unknown', bytes));
    assert.equal(importer.id, 'pprof');
    assert.equal(profile.format, 'pprof');
    assert.ok(profile.total > 0);
  });

  it('recognizes perf.data by its magic, and explains how to convert it without a perf runner', async () => {
    const head = new Uint8Array(128);
    head.set(new TextEncoder().encode('PERFILE2'));
    const input = inputFromBytes('unknown', head);
    assert.equal((await detectImporter(input)).id, 'perf-data');
    await assert.rejects(importProfile(input), (e: unknown) => {
      assert.ok(e instanceof ImportError);
      assert.match(e.message, /perf\.data needs the `perf` tool/);
      return true;
    });
  });

  it('throws UnrecognizedProfileError listing the formats tried', async () => {
    for (const content of [
      '',
      'hello world',
      new Uint8Array([0, 1, 2, 3, 255, 254]),
      zlib.gzipSync('hello'),
    ]) {
      await assert.rejects(detectImporter(inputFromBytes('mystery.bin', content)), (e: unknown) => {
        assert.ok(e instanceof UnrecognizedProfileError);
        assert.match(e.message, /^mystery\.bin: not a profile Hotspot Lens recognizes \(tried: /);
        assert.equal(e.tried.length, allImporters.length);
        assert.ok(e.tried.includes('pprof') && e.tried.includes('V8 .cpuprofile'));
        return true;
      });
    }
  });

  it('uses the extension only to break ties between detectors', async () => {
    const folded = 'main;work 3\n';
    // a file named .cpuprofile with folded-stack content is still folded stacks
    assert.equal((await detectImporter(inputFromBytes('x.cpuprofile', folded))).id, 'folded');
    // two detectors that both claim the content: the longest matching extension wins, else the first
    const claimAll = (id: 'folded' | 'perf-script', extensions: string[]) => ({
      ...allImporters.find((i) => i.id === id)!,
      extensions,
      detect: () => true,
    });
    const importers = [claimAll('folded', ['.txt']), claimAll('perf-script', ['.perf.txt'])];
    const detect = (name: string) => detectImporter(inputFromBytes(name, folded), { importers });
    assert.equal((await detect('a.perf.txt')).id, 'perf-script');
    assert.equal((await detect('a.txt')).id, 'folded');
    assert.equal((await detect('unknown')).id, 'folded');
  });
});

describe('every importer on arbitrary bytes', () => {
  it('resolves or throws ImportError, never another error (fast-check)', async () => {
    const fc = await import('fast-check');
    const samples = [
      fs.readFileSync(fixturePath('profiles', 'pprof', 'go-cpu.pb.gz')),
      zlib.gunzipSync(fs.readFileSync(fixturePath('profiles', 'pprof', 'go-cpu.pb.gz'))),
      fs.readFileSync(fixturePath('profiles', 'dhat', 'c-heap.json')),
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 256 }),
          // real files cut short or with a few bytes changed
          fc
            .tuple(
              fc.constantFrom(...samples),
              fc.nat(),
              fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 4 }),
            )
            .map(([bytes, cut, edits]) => {
              const out = Uint8Array.from(bytes.subarray(0, cut % (bytes.length + 1)));
              for (const [at, v] of edits) if (out.length > 0) out[at % out.length] = v;
              return out;
            }),
        ),
        async (bytes) => {
          for (const importer of allImporters.filter((i) =>
            ['pprof', 'cpuprofile', 'speedscope', 'firefox', 'dhat'].includes(i.id),
          )) {
            try {
              await importer.import(inputFromBytes('fuzz.bin', bytes));
            } catch (e) {
              if (!(e instanceof ImportError)) throw new Error(`${importer.id}: ${(e as Error).stack}`);
            }
          }
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});
