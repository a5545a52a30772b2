import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { type ReportJson, reportCommand } from '../../../src/cli/report-command';
import { type CliRun, runCli } from '../helpers/run-cli';

const repo = path.resolve(__dirname, '..', '..', '..');
const profiles = path.join(repo, 'test/fixtures/profiles');
const rustSample = path.join(repo, 'examples/rust-sample');
const programs = path.join(repo, 'test/fixtures/programs');

/** Runs `hotspot-lens report` in-process and returns exit code, stdout and stderr. */
async function report(args: string[]): Promise<CliRun> {
  return runCli(reportCommand, args, repo);
}

/** One fixture of every format, with the workspace its frames belong to and a function it must find. */
const CASES: { file: string; format: string; root: string; expectFile?: RegExp }[] = [
  {
    file: 'perf-script/fp-basic.perf',
    format: 'perf-script',
    root: rustSample,
    expectFile: /^src\/evaluator\//,
  },
  { file: 'folded/fp-basic.folded', format: 'folded', root: rustSample, expectFile: /^src\/evaluator\// },
  {
    file: 'flamegraph-svg/fp-basic.svg',
    format: 'flamegraph-svg',
    root: rustSample,
    expectFile: /^src\/evaluator\//,
  },
  {
    file: 'callgrind/callgrind.out.hotspot-sample',
    format: 'callgrind',
    root: rustSample,
    expectFile: /^src\//,
  },
  { file: 'cpuprofile/js-default.cpuprofile', format: 'cpuprofile', root: path.join(programs, 'js') },
  { file: 'pprof/go-cpu.pb.gz', format: 'pprof', root: path.join(programs, 'go'), expectFile: /\.go$/ },
  {
    file: 'speedscope/cpp-fp.speedscope.json',
    format: 'speedscope',
    root: path.join(programs, 'cpp'),
    expectFile: /\.(cpp|hpp)$/,
  },
  { file: 'firefox/gecko-js.json', format: 'firefox', root: path.join(programs, 'js') },
  {
    file: 'dhat/cpp-heap.json',
    format: 'dhat',
    root: path.join(programs, 'cpp'),
    expectFile: /\.(cpp|hpp)$/,
  },
  {
    file: 'perf-script/cpp-fp.perf',
    format: 'perf-script',
    root: path.join(programs, 'cpp'),
    expectFile: /\.(cpp|hpp)$/,
  },
];

describe('hotspot-lens report: every fixture format', () => {
  for (const c of CASES) {
    it(`${c.file} (${c.format})`, async () => {
      const r = await report([
        '--profile',
        path.join(profiles, c.file),
        '--root',
        c.root,
        '--top',
        '30',
        '--json',
      ]);
      assert.equal(r.code, 0, r.err);
      const json = JSON.parse(r.out) as ReportJson;
      assert.equal(json.profile.format, c.format);
      assert.ok(json.profile.total > 0);
      assert.ok(json.hotspots.length > 0);
      // ranked by what a function is responsible for: self incl. the libraries it calls
      const ranks = json.hotspots.map((h) => h.selfInclLibraries);
      assert.deepEqual(
        ranks,
        [...ranks].sort((a, b) => b - a),
        'ranked by self incl. libraries',
      );
      for (const h of json.hotspots) {
        assert.ok(h.totalPercent >= h.selfPercent - 1e-9);
        assert.ok(h.selfInclLibraries >= h.self && h.selfInclLibraries <= h.total + 1e-9);
        assert.equal(h.library, h.kind !== 'function');
        assert.ok(h.totalPercent <= 100.0001);
        if (h.file !== null) {
          assert.ok(!path.isAbsolute(h.file), `relative to the root: ${h.file}`);
          assert.ok(h.line !== null && h.line >= 1 && h.endLine !== null && h.endLine >= h.line);
        } else {
          assert.equal(h.line, null);
          assert.equal(h.library, true);
        }
        assert.equal(h.category === null, h.hint === null);
      }
      if (c.expectFile) {
        const re = c.expectFile;
        assert.ok(
          json.hotspots.some((h) => h.file !== null && re.test(h.file)),
          `a workspace hotspot in ${re}: ${JSON.stringify(json.hotspots.map((h) => h.file))}`,
        );
      }
    });
  }

  it('fills category and hint from the rules, and the plan section with --plan', async () => {
    const r = await report([
      '--profile',
      path.join(rustSample, 'profiles/sample.perf'),
      '--root',
      rustSample,
      '--plan',
      path.join(rustSample, 'OPTIMIZATION_PLAN.md'),
      '--top',
      '40',
      '--json',
    ]);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out) as ReportJson;
    const child = json.hotspots.find((h) => h.function === 'EvaluationContext::child');
    assert.ok(child, 'EvaluationContext::child is reported');
    assert.equal(child.file, 'src/evaluator/context.rs');
    assert.equal(child.category, 'clone-heavy');
    assert.equal(child.hint, 'clone-heavy: consider Cow/Arc');
    assert.ok(child.blamedLibrary.some((b) => /clone/.test(b.function)));
    assert.match(child.planSection ?? '', /Priority 2|Phase 2/);
    const hashing = json.hotspots.find((h) => h.function === 'TermIndex::insert_term');
    assert.equal(hashing?.category, 'hashing');
  });

  it('prints a readable table without --json', async () => {
    const r = await report([
      '--profile',
      path.join(rustSample, 'profiles/sample.folded'),
      '--root',
      rustSample,
      '--top',
      '5',
    ]);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split('\n');
    assert.match(lines[0], /sample\.folded: folded stacks/);
    assert.match(r.out, /incl\.lib +self +total +function/);
    assert.equal(lines.filter((l) => /^\s+[\d.<]+%\s+[\d.<]+%\s+[\d.<]+%\s/.test(l)).length, 5);
    // the collapser's process name is not a hotspot: it has its own section
    const notFunctions = lines.indexOf('Not functions (process and thread names, unsymbolized addresses):');
    assert.ok(notFunctions > 0, r.out);
    assert.match(lines[notFunctions + 1], /% total {2}hotspot-sample \(process or thread name\)$/);
    assert.ok(!lines.slice(0, notFunctions).some((l) => /hotspot-sample|\[unknown\]/.test(l)), r.out);
  });

  it('bad arguments and bad files give clear errors', async () => {
    const missing = await report(['--root', rustSample]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /--profile is required/);
    const top = await report(['--profile', 'x', '--top', 'zero']);
    assert.equal(top.code, 2);
    await assert.rejects(
      report(['--profile', path.join(rustSample, 'Cargo.toml'), '--root', rustSample]),
      /Cargo\.toml: not a profile Hotspot Lens recognizes \(tried: /,
    );
  });
});
