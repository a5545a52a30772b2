import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { classifyFrame, compileHintRules } from '../../../src/core/hints/classify';
import { defaultHintRules } from '../../../src/core/hints/default-rules';
import { type FunctionHint, hintsForFunction, hintsForProfile } from '../../../src/core/hints/hints';
import type { HintRule } from '../../../src/core/hints/types';
import { functionKey } from '../../../src/core/profile/aggregate';
import { type Frame, type Profile, ProfileBuilder } from '../../../src/core/profile/model';

const rules = compileHintRules(defaultHintRules);

/** Frames of "our" crate live in the workspace (src/…); `_[k]` marks kernel frames. */
function frameOf(name: string): Frame {
  if (name.endsWith('_[k]')) return { name: name.slice(0, -4), module: '[kernel.kallsyms]', kind: 'kernel' };
  if (name.startsWith('my_crate::') || name === 'main')
    return { name, file: `src/${name.split('::')[1] ?? 'main'}.rs` };
  return { name };
}

/** A profile from folded-stack lines (`root;…;leaf weight`). */
function profile(lines: string[]): Profile {
  const b = new ProfileBuilder({ format: 'folded', source: 'test.folded', unit: 'samples' });
  for (const line of lines) {
    const at = line.lastIndexOf(' ');
    b.appendSample(
      line
        .slice(0, at)
        .split(';')
        .map((n) => b.frameId(frameOf(n))),
      Number(line.slice(at + 1)),
    );
  }
  return b.build();
}

const key = (name: string) => functionKey(frameOf(name));
const inWorkspace = (p: Profile) => (id: number) => p.frames[id].file?.startsWith('src/') ?? false;
const summary = (hints: readonly FunctionHint[] | undefined) =>
  (hints ?? []).map((h) => `${h.category} ${h.weight} ${h.share.toFixed(3)}`);

const BTREE_CLONE =
  '<alloc::collections::btree::map::BTreeMap<K,V,A> as core::clone::Clone>::clone::clone_subtree';
const DROP_VALUE = 'core::ptr::drop_in_place<serde_json::value::Value>';
const LOCK = 'std::sys::sync::mutex::futex::Mutex::lock_contended';

// A Rust program: an evaluator whose child contexts clone a BTreeMap, drop JSON values,
// format strings and wait for a mutex.
const evaluator = profile([
  `main;my_crate::evaluate;my_crate::Context::child;${BTREE_CLONE};${BTREE_CLONE};__rustc::__rust_alloc;malloc;_int_malloc 30`,
  `main;my_crate::evaluate;my_crate::Context::child;${BTREE_CLONE} 10`,
  `main;my_crate::evaluate;my_crate::Context::child;my_crate::Context::new 10`,
  `main;my_crate::evaluate;${DROP_VALUE};__rustc::__rust_dealloc;cfree@GLIBC_2.2.5 8`,
  `main;my_crate::evaluate;my_crate::render;alloc::fmt::format::format_inner;core::fmt::write 12`,
  `main;my_crate::evaluate;my_crate::render 8`,
  `main;my_crate::evaluate;std::sync::poison::mutex::Mutex<T>::lock;${LOCK};syscall;entry_SYSCALL_64_after_hwframe_[k];do_syscall_64_[k];futex_wait_[k] 4`,
  `main;my_crate::evaluate 18`,
]);

describe('hintsForFunction', () => {
  it('finds the categories below a function, heaviest first, with shares of its total', () => {
    const hints = hintsForFunction(evaluator, key('my_crate::Context::child'), rules);
    assert.deepEqual(summary(hints), [
      'btree-map 40 0.800',
      'clone-heavy 40 0.800',
      'allocation-heavy 30 0.600',
    ]);
    const clone = hints.find((h) => h.category === 'clone-heavy');
    assert.equal(clone?.label, 'clone-heavy: consider Cow/Arc');
    assert.match(clone?.suggestion ?? '', /Cow/);
    assert.deepEqual(clone?.ruleIds, ['rust-clone']);
    // the recursive clone_subtree counts once per stack
    assert.deepEqual(clone?.frames, [{ name: BTREE_CLONE, weight: 40 }]);
    const alloc = hints.find((h) => h.category === 'allocation-heavy');
    assert.deepEqual(alloc?.frames, [
      { name: '__rustc::__rust_alloc', weight: 30 },
      { name: '_int_malloc', weight: 30 },
      { name: 'malloc', weight: 30 },
    ]);
    // equal weights: rule order breaks the tie
    assert.deepEqual(alloc?.ruleIds, ['rust-alloc', 'libc-malloc']);
  });

  it('without boundaries, gives ancestors the hints of everything below them', () => {
    assert.deepEqual(summary(hintsForFunction(evaluator, key('main'), rules)), [
      'btree-map 40 0.400',
      'clone-heavy 40 0.400',
      'allocation-heavy 38 0.380',
      'formatting 12 0.120',
      'drop-heavy 8 0.080',
      'json-materialization 8 0.080',
    ]);
  });

  it('with boundaries, stops at the next workspace function: the hint marks who really does it', () => {
    const isBoundary = inWorkspace(evaluator);
    assert.deepEqual(summary(hintsForFunction(evaluator, key('main'), rules, { isBoundary })), []);
    assert.deepEqual(summary(hintsForFunction(evaluator, key('my_crate::evaluate'), rules, { isBoundary })), [
      'allocation-heavy 8 0.080',
      'drop-heavy 8 0.080',
      'json-materialization 8 0.080',
    ]);
    assert.deepEqual(summary(hintsForFunction(evaluator, key('my_crate::render'), rules, { isBoundary })), [
      'formatting 12 0.600',
    ]);
    // the child's own hints are unchanged by boundaries below none of its stacks
    assert.deepEqual(
      summary(hintsForFunction(evaluator, key('my_crate::Context::child'), rules, { isBoundary })),
      summary(hintsForFunction(evaluator, key('my_crate::Context::child'), rules)),
    );
  });

  it('applies the threshold at or above minShare (default 5 %)', () => {
    const isBoundary = inWorkspace(evaluator);
    const evaluate = key('my_crate::evaluate');
    // lock-contention carries 4 of evaluate's 100: hidden by default, shown at 4 %
    assert.ok(
      !hintsForFunction(evaluator, evaluate, rules, { isBoundary }).some(
        (h) => h.category === 'lock-contention',
      ),
    );
    const at4 = hintsForFunction(evaluator, evaluate, rules, { isBoundary, minShare: 0.04 });
    assert.deepEqual(
      summary(at4.filter((h) => h.category === 'lock-contention' || h.category === 'syscalls-io')),
      ['lock-contention 4 0.040', 'syscalls-io 4 0.040'],
    );
    assert.deepEqual(at4.find((h) => h.category === 'lock-contention')?.frames, [
      { name: 'futex_wait', weight: 4 },
      { name: 'std::sync::poison::mutex::Mutex<T>::lock', weight: 4 },
      { name: LOCK, weight: 4 },
    ]);
    // drop-heavy is exactly 8 %: shown at 0.08, hidden just above
    const drop = (minShare: number) =>
      hintsForFunction(evaluator, evaluate, rules, { isBoundary, minShare }).some(
        (h) => h.category === 'drop-heavy',
      );
    assert.equal(drop(0.08), true);
    assert.equal(drop(0.0801), false);
  });

  it('includes the function itself', () => {
    const hints = hintsForFunction(evaluator, key(BTREE_CLONE), rules);
    assert.deepEqual(summary(hints), [
      'btree-map 40 1.000',
      'clone-heavy 40 1.000',
      'allocation-heavy 30 0.750',
    ]);
  });

  it('returns nothing for an unknown function, and rejects a threshold outside 0..1', () => {
    assert.deepEqual(hintsForFunction(evaluator, 'nope\u0000', rules), []);
    assert.throws(() => hintsForFunction(evaluator, key('main'), rules, { minShare: 1.5 }), RangeError);
    assert.throws(() => hintsForFunction(evaluator, key('main'), rules, { minShare: -0.1 }), RangeError);
  });

  it('keeps the top frames only, heaviest first', () => {
    const names = ['malloc', 'realloc', '_int_malloc', '_int_free', 'calloc', 'free', 'sysmalloc'];
    const p = profile(names.map((n, i) => `main;my_crate::run;${n} ${i + 1}`));
    const [hint] = hintsForFunction(p, key('my_crate::run'), rules);
    assert.equal(hint.weight, 28);
    assert.deepEqual(
      hint.frames.map((f) => f.name),
      ['sysmalloc', 'free', 'calloc', '_int_free', '_int_malloc'],
    );
    const [two] = hintsForFunction(p, key('my_crate::run'), rules, { maxFrames: 2 });
    assert.equal(two.frames.length, 2);
  });

  it('counts a recursive function once per stack and walks from its outermost frame', () => {
    const p = profile([
      'main;my_crate::walk;my_crate::walk;my_crate::walk;Vec::clone 6',
      'main;my_crate::walk;my_crate::visit;Vec::clone 2',
      'main;my_crate::walk 2',
    ]);
    const isBoundary = inWorkspace(p);
    // the inner walk frames are the same function, so they do not stop the walk; visit does
    assert.deepEqual(summary(hintsForFunction(p, key('my_crate::walk'), rules, { isBoundary })), [
      'clone-heavy 6 0.600',
    ]);
    assert.deepEqual(summary(hintsForFunction(p, key('my_crate::walk'), rules)), ['clone-heavy 8 0.800']);
  });

  it('sums stacks of every thread', () => {
    const b = new ProfileBuilder({ format: 'perf-script', source: 't', unit: 'samples' });
    const run = b.frameId({ name: 'my_crate::run', file: 'src/run.rs' });
    const sleep = b.frameId({ name: 'rayon_core::sleep::Sleep::sleep' });
    b.appendSample([run, sleep], 3, 'worker-1');
    b.appendSample([run, sleep], 4, 'worker-2');
    b.appendSample([run], 3, 'main');
    assert.deepEqual(summary(hintsForFunction(b.build(), key('my_crate::run'), rules)), [
      'thread-pool-overhead 7 0.700',
    ]);
  });
});

describe('per-rule thresholds', () => {
  const rule = (id: string, match: string, minShare?: number): HintRule => ({
    id,
    category: 'reparsing',
    label: `reparsing: ${id}`,
    suggestion: `advice ${id}`,
    match: [{ contains: match }],
    ...(minShare !== undefined ? { minShare } : {}),
  });
  const p = profile([
    'main;my_crate::run;parse_a 3',
    'main;my_crate::run;parse_b 3',
    'main;my_crate::run;noisy_c 30',
    'main;my_crate::run 64',
  ]);
  const run = key('my_crate::run');

  it('lets rules without minShare count together against the default threshold', () => {
    const custom = compileHintRules([rule('a', 'parse_a'), rule('b', 'parse_b')]);
    assert.deepEqual(summary(hintsForFunction(p, run, custom)), ['reparsing 6 0.060']);
    assert.deepEqual(summary(hintsForFunction(p, run, custom, { minShare: 0.07 })), []);
  });

  it('counts a rule with its own minShare only when its stacks reach it', () => {
    const high = compileHintRules([rule('a', 'parse_a'), rule('b', 'parse_b'), rule('c', 'noisy_c', 0.5)]);
    const [hint] = hintsForFunction(p, run, high);
    assert.deepEqual(
      [hint.weight, hint.ruleIds, hint.frames.map((f) => f.name)],
      [6, ['a', 'b'], ['parse_a', 'parse_b']],
    );
    const low = compileHintRules([rule('a', 'parse_a'), rule('b', 'parse_b'), rule('c', 'noisy_c', 0.2)]);
    const [lowHint] = hintsForFunction(p, run, low);
    // label and suggestion come from the heaviest counting rule
    assert.deepEqual([lowHint.weight, lowHint.ruleIds, lowHint.label], [36, ['c', 'a', 'b'], 'reparsing: c']);
    // a low own threshold shows a rule the default would hide
    const alone = compileHintRules([rule('a', 'parse_a', 0.01)]);
    assert.deepEqual(summary(hintsForFunction(p, run, alone)), ['reparsing 3 0.030']);
  });
});

describe('hintsForProfile', () => {
  it('computes every function in one pass, only functions with hints', () => {
    const all = hintsForProfile(evaluator, rules, { isBoundary: inWorkspace(evaluator) });
    assert.ok(!all.has(key('main')));
    assert.ok(all.has(key('my_crate::Context::child')));
    assert.ok(all.has(key('malloc')));
    for (const [k, hints] of all) {
      assert.deepEqual(hints, hintsForFunction(evaluator, k, rules, { isBoundary: inWorkspace(evaluator) }));
    }
  });

  it('restricts to the requested function keys', () => {
    const only = hintsForProfile(evaluator, rules, { functionKeys: new Set([key('my_crate::render')]) });
    assert.deepEqual([...only.keys()], [key('my_crate::render')]);
  });

  // Oracle: a direct, slow computation of the definition for the default threshold
  // (no rule has its own minShare in the defaults).
  function naive(p: Profile, isBoundary?: (id: number) => boolean): Map<string, string[]> {
    const out = new Map<string, string[]>();
    const keys = p.frames.map(functionKey);
    const cats = p.frames.map((f) => [
      ...new Set(
        classifyFrame(f, rules).map((id) => defaultHintRules.find((r) => r.id === id)?.category ?? ''),
      ),
    ]);
    for (const k of new Set(keys)) {
      let total = 0;
      const weights = new Map<string, number>();
      for (const s of p.stacks) {
        const start = s.frames.findIndex((id) => keys[id] === k);
        if (start < 0) continue;
        total += s.weight;
        const seen = new Set<string>();
        for (let j = start; j < s.frames.length; j++) {
          const id = s.frames[j];
          if (j > start && keys[id] !== k && isBoundary?.(id)) break;
          for (const c of cats[id]) seen.add(c);
        }
        for (const c of seen) weights.set(c, (weights.get(c) ?? 0) + s.weight);
      }
      const hints = [...weights]
        .filter(([, w]) => w / total >= 0.05)
        .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
        .map(([c, w]) => `${c} ${w} ${(w / total).toFixed(3)}`);
      if (hints.length > 0) out.set(k, hints);
    }
    return out;
  }

  it('agrees with a direct computation of the definition on random profiles', () => {
    const names = [
      'main',
      'my_crate::a',
      'my_crate::b',
      'my_crate::c',
      'helper',
      'Vec::clone',
      'malloc',
      'core::fmt::write',
      BTREE_CLONE,
      DROP_VALUE,
      LOCK,
      'read_[k]',
    ];
    const line = fc
      .tuple(
        fc.array(fc.constantFrom(...names), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 50 }),
      )
      .map(([frames, w]) => `${frames.join(';')} ${w}`);
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 25 }), fc.boolean(), (lines, withBoundary) => {
        const p = profile(lines);
        const isBoundary = withBoundary ? inWorkspace(p) : undefined;
        const got = hintsForProfile(p, rules, isBoundary ? { isBoundary } : {});
        const expected = naive(p, isBoundary);
        assert.deepEqual(new Map([...got].map(([k, h]) => [k, summary(h)])), expected);
      }),
      { numRuns: 300 },
    );
  });
});
