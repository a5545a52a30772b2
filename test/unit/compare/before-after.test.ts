import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { type DiffJson, diffCommand, snapshotFiles } from '../../../src/cli/diff-command';
import { compareProfiles, compareWeights, workspaceFunctionKey } from '../../../src/core/compare';
import { analyzeFiles } from '../../../src/node/analyze-files';
import { type CliRun, runCli } from '../helpers/run-cli';

/**
 * The real before/after pair of examples/rust-sample/profiles/before-after (made by
 * scripts/make-before-after.sh: Phase 2's parent-linked EvaluationContext applied to a copy
 * of the sample, both recorded with `perf record -e cpu-clock -F 999 -g` under the same
 * arguments). Expected figures come from perf's own text, counted here independently.
 */
const repo = path.resolve(__dirname, '..', '..', '..');
const sample = path.join(repo, 'examples/rust-sample');
const dir = path.join(sample, 'profiles/before-after');
const file = (name: string) => path.join(dir, name);

async function diff(args: string[]): Promise<CliRun> {
  return runCli(diffCommand, args, sample);
}

async function diffJson(args: string[]): Promise<DiffJson> {
  const r = await diff([...args, '--json', '--top', '1000']);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out) as DiffJson;
}

/** perf's own figures from `perf script` text: summed periods (ns of cpu-clock) of all samples and of those with `symbol` on the stack. */
function perfCounts(perfFile: string, symbol: string): { all: number; withSymbol: number; samples: number } {
  const blocks = fs.readFileSync(perfFile, 'utf8').split(/\n\s*\n/);
  let all = 0;
  let withSymbol = 0;
  let samples = 0;
  for (const block of blocks) {
    const m = /^\S.*?\s(\d+)\s+cpu-clock:/m.exec(block);
    if (!m) continue;
    const period = Number(m[1]);
    samples++;
    all += period;
    if (block.split('\n').some((l) => l.startsWith('\t') && l.includes(` ${symbol}+`))) withSymbol += period;
  }
  return { all, withSymbol, samples };
}

const CHILD = 'hotspot_sample::evaluator::context::EvaluationContext::child';

describe('before/after on the sample (real perf recordings)', () => {
  let perf: DiffJson;
  before(async () => {
    perf = await diffJson([
      '--baseline',
      file('before.perf'),
      '--profile',
      file('after.perf'),
      '--plan',
      'OPTIMIZATION_PLAN.md',
    ]);
  });

  it('compares in absolute time and measures the total as perf counts it', () => {
    const b = perfCounts(file('before.perf'), CHILD);
    const a = perfCounts(file('after.perf'), CHILD);
    assert.equal(perf.normalization, 'absolute');
    assert.equal(perf.baseline.unit, 'nanoseconds');
    assert.ok(Math.abs(perf.baseline.total - b.all) < 1, `${perf.baseline.total} vs ${b.all}`);
    assert.ok(Math.abs(perf.profile.total - a.all) < 1);
    const expected = (100 * (a.all - b.all)) / b.all;
    assert.ok(
      Math.abs(perf.totalChangePercent - expected) < 0.01,
      `${perf.totalChangePercent} vs ${expected}`,
    );
  });

  it('the changed function improves by what perf’s own counts say', () => {
    const b = perfCounts(file('before.perf'), CHILD);
    const a = perfCounts(file('after.perf'), CHILD);
    const child = perf.functions.find((f) => f.function === 'EvaluationContext::child');
    assert.ok(child);
    assert.equal(child.file, 'src/evaluator/context.rs');
    assert.equal(child.library, false);
    assert.equal(child.status, 'improved');
    assert.ok(Math.abs(child.baselineTotal - b.withSymbol) < 1, `${child.baselineTotal} vs ${b.withSymbol}`);
    assert.ok(Math.abs(child.total - a.withSymbol) < 1);
    const expected = (100 * (a.withSymbol - b.withSymbol)) / b.withSymbol;
    assert.ok(Math.abs((child.totalChangePercent ?? 0) - expected) < 0.01);
    assert.ok(expected < -90, `perf says ${expected}%`);
  });

  it('untouched functions come out unchanged', () => {
    // The index and report phases and the pool's work do not call the evaluator. (run_pool
    // itself is not in this list: its page faults on fresh heap pages tripled once the
    // evaluator stopped freeing so much memory, a real knock-on effect the comparison reports.)
    const untouched = [
      'index_phase',
      'TermIndex::add_document',
      'TermIndex::insert_term',
      'collect_terms',
      'report_phase',
      'render_report',
      'render_row',
      'worker_loop',
      'run_task',
    ];
    for (const name of untouched) {
      const f = perf.functions.find((x) => x.function === name && !x.library);
      assert.ok(f, name);
      assert.equal(f.status, 'unchanged', `${name}: ${f.baselineTotal} → ${f.total}`);
    }
  });

  it('checks the claims: then and now, as shares of each total', () => {
    const b = perfCounts(file('before.perf'), CHILD);
    const a = perfCounts(file('after.perf'), CHILD);
    const claim = perf.claims.find((c) => c.symbol === CHILD);
    assert.ok(claim);
    assert.equal(claim.claimedPercent, 14.8);
    assert.ok(Math.abs((claim.baselinePercent ?? 0) - (100 * b.withSymbol) / b.all) < 0.01);
    assert.ok(Math.abs((claim.nowPercent ?? 0) - (100 * a.withSymbol) / a.all) < 0.01);
    const drop = perf.claims.find((c) => c.symbol === 'alloc::sync::Arc<T,A>::drop_slow');
    assert.ok(drop && drop.baselinePercent !== null && drop.nowPercent !== null);
    assert.ok(drop.nowPercent < drop.baselinePercent);
  });

  it('checks the expected gain of the phase that was applied', () => {
    const gain = perf.expectedGains.find((g) => g.phase?.startsWith('Priority 2: Share scopes'));
    assert.ok(gain);
    assert.equal(gain.text, '10–15%');
    assert.equal(gain.min, 10);
    assert.equal(gain.max, 15);
    assert.equal(gain.measuredPercent, -perf.totalChangePercent);
    assert.equal(
      gain.verdict,
      gain.measuredPercent >= 10 ? 'met' : gain.measuredPercent > 0 ? 'partly' : 'not met',
    );
    assert.equal(gain.verdict, 'met');
  });

  it('the three formats agree: perf script, folded and SVG', async () => {
    const folded = await diffJson(['--baseline', file('before.folded'), '--profile', file('after.folded')]);
    const svg = await diffJson(['--baseline', file('before.svg'), '--profile', file('after.perf')]);
    for (const other of [folded, svg]) {
      assert.equal(other.normalization, 'absolute');
      assert.ok(Math.abs(other.totalChangePercent - perf.totalChangePercent) < 0.01);
      const byName = new Map(other.functions.map((f) => [`${f.function}\u0000${f.file}`, f]));
      for (const f of perf.functions) {
        const o = byName.get(`${f.function}\u0000${f.file}`);
        assert.ok(o, `${f.function} missing`);
        assert.equal(o.status, f.status, f.function);
        assert.ok(Math.abs(o.baselineTotal - f.baselineTotal) < 1, f.function);
        assert.ok(Math.abs(o.total - f.total) < 1, f.function);
      }
    }
  });

  it('the editor can find each hot function and hot line of an analysis in the comparison', async () => {
    const [b, a] = await snapshotFiles([file('before.perf'), file('after.perf')], sample);
    const c = compareProfiles(b, a);
    const before = (await analyzeFiles({ profilePath: file('before.perf'), root: sample })).analysis;
    const after = (await analyzeFiles({ profilePath: file('after.perf'), root: sample })).analysis;
    const byKey = new Map(c.functions.map((f) => [f.key, f]));
    for (const h of before.hotspots) {
      const f = byKey.get(workspaceFunctionKey(h.file, h.displayName));
      assert.ok(f, h.key);
      assert.equal(f.total.baseline, h.total * c.factors.baseline, h.key);
    }
    const line = (lines: typeof before.lines, n: number) =>
      lines['src/evaluator/context.rs']?.find((l) => l.line === n)?.total ?? 0;
    const child = byKey.get(workspaceFunctionKey('src/evaluator/context.rs', 'EvaluationContext::child'));
    assert.ok(child);
    const lineChange = compareWeights(
      c,
      line(before.lines, child.line ?? 0),
      line(after.lines, child.line ?? 0),
    );
    assert.deepEqual(lineChange, child.total);
  });

  it('one recording against itself in another format is all unchanged', async () => {
    const same = await diffJson(['--baseline', file('before.perf'), '--profile', file('before.svg')]);
    assert.equal(same.totalChangePercent, 0);
    assert.ok(same.functions.length > 50);
    for (const f of same.functions) {
      assert.equal(f.status, 'unchanged', f.function);
      assert.equal(f.totalChangePercent, 0, f.function);
    }
  });
});

describe('hotspot-lens diff', () => {
  it('prints exactly the JSON contract', async () => {
    const j = await diffJson([
      '--baseline',
      file('before.folded'),
      '--profile',
      file('after.folded'),
      '--plan',
      'OPTIMIZATION_PLAN.md',
    ]);
    assert.deepEqual(Object.keys(j).sort(), [
      'baseline',
      'claims',
      'expectedGains',
      'functions',
      'normalization',
      'profile',
      'totalChangePercent',
    ]);
    assert.deepEqual(Object.keys(j.baseline).sort(), ['format', 'source', 'total', 'unit']);
    assert.equal(j.baseline.format, 'folded');
    assert.deepEqual(Object.keys(j.functions[0]).sort(), [
      'baselineSelf',
      'baselineTotal',
      'file',
      'function',
      'library',
      'line',
      'self',
      'selfChangePercent',
      'status',
      'total',
      'totalChangePercent',
    ]);
    assert.deepEqual(Object.keys(j.claims[0]).sort(), [
      'baselinePercent',
      'claimedPercent',
      'line',
      'nowPercent',
      'symbol',
    ]);
    assert.deepEqual(Object.keys(j.expectedGains[0]).sort(), [
      'max',
      'measuredPercent',
      'min',
      'phase',
      'text',
      'verdict',
    ]);
    // biggest change of total first
    const changes = j.functions.map((f) => Math.abs(f.total - f.baselineTotal));
    assert.deepEqual(
      changes,
      [...changes].sort((x, y) => y - x),
    );
  });

  it('lists every function in the JSON unless --top cuts it', async () => {
    const args = ['--baseline', file('before.perf'), '--profile', file('after.perf'), '--json'];
    const all = JSON.parse((await diff(args)).out) as DiffJson;
    const five = JSON.parse((await diff([...args, '--top', '5'])).out) as DiffJson;
    assert.ok(all.functions.length > 100, String(all.functions.length));
    assert.deepEqual(five.functions, all.functions.slice(0, 5));
  });

  it('prints a table with the normalization, the changes and the plan check', async () => {
    const r = await diff([
      '--baseline',
      file('before.perf'),
      '--profile',
      file('after.perf'),
      '--plan',
      'OPTIMIZATION_PLAN.md',
      '--top',
      '5',
    ]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /compared: absolute nanoseconds: both measure time/);
    assert.match(r.out, /improved +EvaluationContext::child +src\/evaluator\/context\.rs:37/);
    assert.match(r.out, /Expected gains \("X% improvement" read as X% less time\)/);
    assert.match(
      r.out,
      /met +Priority 2: Share scopes instead of copying them: "10–15%" = 10–15% less time \(1\.11×–1\.18×\)/,
    );
  });

  it('--fail-on-regression exits 3 when a workspace function grew beyond the threshold and noise', async () => {
    const reversed = ['--baseline', file('after.perf'), '--profile', file('before.perf')];
    const r = await diff([...reversed, '--fail-on-regression', '50']);
    assert.equal(r.code, 3);
    assert.match(r.err, /EvaluationContext::child \(src\/evaluator\/context\.rs:37\)/);
    assert.equal((await diff([...reversed, '--fail-on-regression', '100000'])).code, 0);
    const forward = await diff([
      '--baseline',
      file('before.perf'),
      '--profile',
      file('after.perf'),
      '--fail-on-regression',
      '50',
    ]);
    assert.equal(forward.code, 3, 'run_pool regressed by 233% (page faults)');
    assert.match(forward.err, /run_pool/);
    assert.doesNotMatch(forward.err, /EvaluationContext::child/);
  });

  it('--folded writes differential folded stacks whose columns sum to the totals', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hl-diff-')), 'diff.folded');
    const j = await diffJson([
      '--baseline',
      file('before.perf'),
      '--profile',
      file('after.perf'),
      '--folded',
      out,
    ]);
    const lines = fs.readFileSync(out, 'utf8').trimEnd().split('\n');
    let before = 0;
    let after = 0;
    for (const line of lines) {
      const m = /^(\S.*) (\d+) (\d+)$/.exec(line);
      assert.ok(m, line);
      before += Number(m[2]);
      after += Number(m[3]);
    }
    assert.ok(Math.abs(before - j.baseline.total) < lines.length);
    assert.ok(Math.abs(after - j.profile.total) < lines.length);
    assert.ok(lines.some((l) => l.includes(';evaluate;apply_step;EvaluationContext::child;')));
  });

  it('usage errors exit 2, bad profiles exit 1 naming the file', async () => {
    assert.equal((await diff(['--profile', file('after.perf')])).code, 2);
    assert.equal((await diff(['--baseline', file('before.perf')])).code, 2);
    const bad = await diff([
      '--baseline',
      file('before.perf'),
      '--profile',
      file('after.perf'),
      '--normalize',
      'x',
    ]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--normalize must be auto, absolute or share/);
    assert.equal(
      (
        await diff([
          '--baseline',
          file('before.perf'),
          '--profile',
          file('after.perf'),
          '--fail-on-regression',
          'lots',
        ])
      ).code,
      2,
    );
    const notProfile = path.join(sample, 'Cargo.toml');
    await assert.rejects(diff(['--baseline', notProfile, '--profile', file('after.perf')]), (e: Error) =>
      e.message.includes('Cargo.toml'),
    );
  });
});
