import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { allTargets, FuzzPropertyError, profileProblems } from '../../../fuzz/targets';
import { foldedImporter } from '../../../src/core/importers/folded';
import { inputFromBytes } from '../../../src/core/importers/input';

/**
 * Short-budget fuzzing of every importer and the plan parser (the long budget is
 * `npm run fuzz`). Inputs: random bytes and mutations of the real fixtures; each deep
 * input (10,000-frame stacks, 10,000-deep nesting, 1,000-level lists) is run once.
 * Properties and the per-input time bound are in `fuzz/targets.ts`.
 * HOTSPOT_LENS_FUZZ_SEED / HOTSPOT_LENS_FUZZ_RUNS override the seed and the inputs per target.
 */
const SEED = Number(process.env.HOTSPOT_LENS_FUZZ_SEED ?? 20261122);
const RUNS = Number(process.env.HOTSPOT_LENS_FUZZ_RUNS ?? 300);
const HEAP_LIMIT = 1024 * 2 ** 20;

describe('fuzz: importers and plan parser (short budget)', () => {
  for (const target of allTargets({ maxSeedBytes: 65_536, deep: false })) {
    it(`${target.name}: ${RUNS} mutated/random inputs keep the properties`, async () => {
      await fc.assert(
        fc.asyncProperty(target.arbitrary, async (input) => {
          await target.run(input);
        }),
        { seed: SEED, numRuns: RUNS },
      );
      const heap = process.memoryUsage().heapUsed;
      assert.ok(heap < HEAP_LIMIT, `heap ${heap} bytes after ${target.name} is over 1 GB`);
    });
    it(`${target.name}: every deep input keeps the properties`, async () => {
      assert.ok(target.deepInputs.length > 0, 'the target has deep inputs');
      for (const d of target.deepInputs)
        await target.run({ bytes: d.bytes, origin: d.name, chunkSize: 1 << 20 });
      const heap = process.memoryUsage().heapUsed;
      assert.ok(heap < HEAP_LIMIT, `heap ${heap} bytes after ${target.name} deep inputs is over 1 GB`);
    });
  }

  it('the property check rejects an undocumented error and a broken profile', async () => {
    const [folded] = allTargets({ maxSeedBytes: 1024, deep: false }).filter(
      (t) => t.name === 'importer:folded',
    );
    // A sound input passes …
    const ok = await folded.run({
      bytes: new TextEncoder().encode('main;f 3\n'),
      origin: 'test',
      chunkSize: 4,
    });
    assert.equal(ok.outcome, 'profile');
    // … a bad one is an ImportError, which is allowed …
    const bad = await folded.run({
      bytes: new TextEncoder().encode('main;f x\n'),
      origin: 'test',
      chunkSize: 4,
    });
    assert.equal(bad.outcome, 'ImportError');
    // … and the invariant check sees a broken profile.
    const p = await foldedImporter.import(inputFromBytes('a.folded', 'main;f 3\nmain;g 2\n'));
    assert.deepEqual(profileProblems(p), []);
    const broken = {
      ...p,
      total: 4,
      stacks: [{ frames: [0, 99], weight: 5, thread: 0 }],
      frames: [{ name: 'main', line: 0 }],
    };
    const problems = profileProblems(broken);
    assert.ok(
      problems.some((m) => m.includes('total 4')),
      problems.join('; '),
    );
    assert.ok(
      problems.some((m) => m.includes('frame index 99')),
      problems.join('; '),
    );
    assert.ok(
      problems.some((m) => m.includes('line 0')),
      problems.join('; '),
    );
    assert.ok(new FuzzPropertyError('x') instanceof Error);
  });
});
