import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { compileHintRules } from '../../../src/core/hints/classify';
import { defaultHintRules } from '../../../src/core/hints/default-rules';
import { type FunctionHint, hintsForProfile } from '../../../src/core/hints/hints';
import { importFromFolded } from '../../../src/core/importers/folded';
import { inputFromBytes } from '../../../src/core/importers/input';
import type { Profile } from '../../../src/core/profile/model';
import { fixturePath } from '../helpers/golden';

// Hints on real profiles (test/fixtures/profiles, made by make-rust-fixtures.sh and
// make-other-fixtures.sh from the programs in examples/rust-sample and
// test/fixtures/programs). Each program has deliberate problems; the hint must land on
// the function that has the problem, with the editor's boundary ("a frame of our own
// code") stopping the walk at the next function of the program.

const rules = compileHintRules(defaultHintRules);

async function load(name: string): Promise<Profile> {
  const file = fixturePath('profiles', 'folded', name);
  return importFromFolded(inputFromBytes(file, fs.readFileSync(file)));
}

/** Hints per function name (folded frames have no file, so names identify functions). */
async function hintsByName(name: string, ours: RegExp): Promise<Map<string, FunctionHint[]>> {
  const profile = await load(name);
  const all = hintsForProfile(profile, rules, { isBoundary: (id) => ours.test(profile.frames[id].name) });
  return new Map([...all].map(([key, hints]) => [key.split('\u0000')[0], hints]));
}

const categories = (hints: readonly FunctionHint[] | undefined) => (hints ?? []).map((h) => h.category);

describe('hints on real profiles', () => {
  it('Rust (hotspot-sample, frame pointers): clones, hashing, formatting, allocation', async () => {
    const hints = await hintsByName('fp-basic.folded', /^hotspot_sample::/);
    const child = hints.get('hotspot_sample::evaluator::context::EvaluationContext::child');
    assert.ok(categories(child).includes('clone-heavy'), `child: ${categories(child)}`);
    assert.ok(
      categories(hints.get('hotspot_sample::model::value::Value::deep_clone')).includes('clone-heavy'),
    );
    const insert = hints.get('hotspot_sample::index::term_index::TermIndex::insert_term');
    const hashing = insert?.find((h) => h.category === 'hashing');
    assert.ok(hashing, `insert_term: ${categories(insert)}`);
    assert.ok(hashing.share > 0.2, `hashing share ${hashing.share}`);
    assert.ok(hashing.frames.some((f) => f.name.includes('core::hash::sip::Hasher')));
    assert.equal(categories(hints.get('hotspot_sample::report::render::render_row'))[0], 'formatting');
    assert.ok(
      categories(hints.get('hotspot_sample::index::term_index::trigrams')).includes('allocation-heavy'),
    );
    // the callers of those functions are boundaries' parents: the cloning is not theirs
    for (const caller of ['hotspot_sample::main', 'hotspot_sample::workload::run']) {
      assert.ok(!categories(hints.get(caller)).includes('clone-heavy'), caller);
    }
  });

  it('Rust (DWARF call graphs, inlined frames): one mutex per tiny task in the pool', async () => {
    const hints = await hintsByName('dwarf.folded', /^hotspot_sample::/);
    const worker = hints.get('hotspot_sample::pool::worker_loop');
    assert.equal(categories(worker)[0], 'lock-contention');
    // dropping the MutexGuard is unlocking, not freeing
    assert.ok(!categories(worker).includes('drop-heavy'), `worker_loop: ${categories(worker)}`);
  });

  it('Go (perf, frame pointers): map assignment hashing in the simulator step', async () => {
    const hints = await hintsByName('go-fp.folded', /^main\./);
    const step = hints.get('main.(*simulator).step');
    assert.equal(categories(step)[0], 'hashing');
    assert.ok(step?.[0].frames.some((f) => f.name.startsWith('runtime.mapassign')));
    assert.equal(step?.[0].label, 'hashing: presize maps or use slices');
  });

  it('C++ (DWARF): many small buckets allocated and destroyed', async () => {
    const hints = await hintsByName('cpp-dwarf-all.folded', /^lens::/);
    assert.equal(categories(hints.get('lens::stats::make_buckets'))[0], 'allocation-heavy');
    assert.ok(categories(hints.get('lens::stats::Bucket::~Bucket')).includes('drop-heavy'));
  });
});
