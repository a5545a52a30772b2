import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parsePlan } from '../../../src/core/plan/parse-plan';
import { isSettingSymbol, readPercentAfter, readPercentCell } from '../../../src/core/plan/recognizers';
import type { Plan } from '../../../src/core/plan/types';
import { fixturePath } from '../helpers/golden';

function load(name: string): Plan {
  return parsePlan(fs.readFileSync(fixturePath('plans', `${name}.md`), 'utf8'), { file: `${name}.md` });
}

const claimsOf = (plan: Plan, section: string) =>
  plan.claims.filter((c) => c.section === section).map((c) => [c.symbol, c.percent, c.percentHigh, c.kind]);

describe('claims in the forms profilers print', () => {
  const plan = load('claims-profiler-forms');

  it('reads pprof top output: flat% is self, cum% is total, sum% is ignored', () => {
    assert.deepEqual(claimsOf(plan, 'Profile (pprof top)'), [
      ['runtime.memmove', 32.88, null, 'self'],
      ['runtime.memmove', 32.88, null, 'total'],
      ['encoder.(*Writer).Flush', 10.96, null, 'self'],
      ['encoder.(*Writer).Flush', 79.45, null, 'total'],
      ['compress/flate.(*compressor).deflate', 2.74, null, 'self'],
      ['compress/flate.(*compressor).deflate', 8.22, null, 'total'],
    ]);
  });

  it('reads perf report output with Children and Self columns', () => {
    assert.deepEqual(claimsOf(plan, 'perf report'), [
      ['encode_block', 61.2, null, 'total'],
      ['encode_block', 4.1, null, 'self'],
      ['deflate_slow', 22.5, null, 'total'],
      ['deflate_slow', 22.5, null, 'self'],
    ]);
  });

  it('reads tables: symbol column, kind from the header or the symbol cell, summed parts; not change columns', () => {
    assert.deepEqual(claimsOf(plan, 'Hot functions'), [
      ['quantize_block', 18.4, null, 'self'],
      ['quantize_block', 21, null, 'total'],
      ['Writer.emit', 3.1, null, 'self'],
      ['Writer.emit', 9.7, null, 'total'],
      ['parse_header', 37.5, null, 'total'],
      ['hash/fnv.(*sum32a).Write', 8.51, null, 'total'],
    ]);
    assert.ok(!plan.claims.some((c) => c.symbol === 'RPUSH'), 'Δ and target columns are not shares');
  });

  it('reads call paths (the last frame), ranges, modules, self and prose; not settings; no duplicates', () => {
    assert.deepEqual(claimsOf(plan, 'Call paths and prose'), [
      ['quantize_block', 44, null, 'unspecified'],
      ['idct_row', 12, 13, 'self'],
      ['huffman_emit', 12, 13, 'unspecified'],
      ['libjpeg.so', 35.5, null, 'unspecified'],
      ['bitwriter_put', 2.4, null, 'self'],
      ['decode_frame', 70, null, 'unspecified'],
    ]);
    assert.equal(plan.claims.find((c) => c.symbol === 'huffman_emit')?.approximate, true);
    assert.ok(!plan.claims.some((c) => /RETRY|max_inflight/.test(c.symbol)));
    // "`quantize_block` is still 18.4% self" repeats the table's figure: kept once.
    assert.equal(plan.claims.filter((c) => c.symbol === 'quantize_block' && c.percent === 18.4).length, 1);
  });

  it('takes the kind from the section title when the text gives none', () => {
    const p = parsePlan(
      '# X\n\n## Top functions by self time\n\n- `parse` 12%\n\n## Cumulative\n\n- `run` 80%\n',
    );
    assert.deepEqual(
      p.claims.map((c) => [c.symbol, c.kind]),
      [
        ['parse', 'self'],
        ['run', 'total'],
      ],
    );
  });

  it('reads percentages and ranges in several languages, and settings', () => {
    assert.deepEqual(readPercentAfter(' около 30–35%'), {
      percent: 30,
      percentHigh: 35,
      kind: 'unspecified',
      approximate: true,
      combined: false,
    });
    assert.equal(readPercentAfter(' threshold 20%'), null);
    assert.equal(readPercentAfter(' 20% faster'), null);
    assert.equal(readPercentCell('5.35% + 3.16%')?.percent, 8.51);
    assert.deepEqual(['RETRY_FRACTION', 'c=8', '--jobs', 'parse_expr', 'Vec::push'].map(isSettingSymbol), [
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});

describe('claims in the sample plan (examples/rust-sample)', () => {
  it('reads "A% total, B% self" as two claims with generics in the symbol, and no targets', () => {
    const sample = path.resolve(__dirname, '../../../examples/rust-sample/OPTIMIZATION_PLAN.md');
    const text = fs.readFileSync(sample, 'utf8');
    const plan = parsePlan(text, { file: 'OPTIMIZATION_PLAN.md' });
    const subtree = plan.claims.filter((c) => c.symbol.endsWith('::clone_subtree'));
    assert.deepEqual(
      subtree.map((c) => [c.percent, c.kind]),
      [
        [24.2, 'total'],
        [6.6, 'self'],
      ],
    );
    assert.equal(plan.claims.length, 20);
    // "expect `clone_subtree` below 5%" and "`run_task` ≥ 60%" are targets, not claims.
    assert.ok(
      !plan.claims.some((c) => c.percent === 60 || (c.percent === 5 && c.symbol === 'clone_subtree')),
    );
  });
});

describe('a Chinese plan with a flame graph summary and options', () => {
  it('reads summary lines in a code block, a range in a heading, option pseudo-headings and a new file', () => {
    const plan = parsePlan(fs.readFileSync(fixturePath('plans', 'zh-flamegraph-notes.md'), 'utf8'));
    assert.deepEqual(
      plan.claims.map((c) => [c.symbol, c.percent, c.percentHigh, c.kind]),
      [
        ['IndexWriter::flush_segment', 18.4, null, 'unspecified'],
        ['Merger::merge_postings', 11.05, null, 'total'],
        ['encode_varint', 4.2, null, 'unspecified'],
        ['Merger::merge_postings', 11, 13, 'unspecified'],
      ],
    );
    const options = plan.sections.filter((s) => s.phase?.kind === 'option');
    assert.deepEqual(
      options.map((s) => [s.title, s.pseudo, s.phase?.label]),
      [
        ['选项 A：按段预排序', true, '选项'],
        ['选项 B：改用多路归并', true, '选项'],
      ],
    );
    assert.deepEqual(
      plan.locations.map((l) => [l.path, l.isNew]),
      [
        ['src/index/merger.rs', false],
        ['src/index/kway.rs', true],
      ],
    );
  });
});
