import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { linkTextPath, WorkspaceFileIndex } from '../../../src/core/plan/locations';
import { parsePlan } from '../../../src/core/plan/parse-plan';
import { parseLineList, saysNew, saysNewBefore, saysRun } from '../../../src/core/plan/recognizers';
import { fixturePath } from '../helpers/golden';

const WORKSPACE = [
  'src/text/layout.rs',
  'src/text/shaper.rs',
  'src/text/cache.rs',
  'web/view.ts',
  'native/draw.c',
  'native/raster.c',
  'scripts/bench.sh',
  'tests/layout_test.rs',
  'src/main.rs',
  'examples/main.rs',
];
const text = fs.readFileSync(fixturePath('plans', 'locations-normalized.md'), 'utf8');

describe('locations normalized', () => {
  it('one location per workspace file and symbol in a section, with every line range', () => {
    const plan = parsePlan(text, { workspaceFiles: WORKSPACE });
    const phase1 = plan.locations.filter((l) => l.section === 'Phase 1: Text layout');
    assert.deepEqual(
      phase1.map((l) => [
        l.path,
        l.symbol,
        l.lines.map((r) => `${r.line}-${r.endLine}`),
        l.kind,
        l.isOutside,
      ]),
      [
        ['src/text/layout.rs', null, ['300-350', '410-410'], 'implementation', false],
        ['web/view.ts', null, ['40-44', '90-93'], 'implementation', false],
        ['native/draw.c', null, ['812-812', '640-640', '455-455'], 'implementation', false],
        ['native/raster.c', null, ['733-733'], 'implementation', false],
        ['native/raster.c', 'fill_span', ['5120-5120'], 'implementation', false],
      ],
    );
    const layout = phase1[0];
    assert.deepEqual([layout.line, layout.endLine], [300, 350]);
    assert.equal(layout.writtenPath, '/Users/dana/dev/renderer/src/text/layout.rs');
  });

  it('without the workspace list, a link to an absolute path still names the workspace file by its text', () => {
    const plan = parsePlan(text);
    const link = plan.locations.find((l) => l.planLine === 5)!;
    assert.deepEqual([link.path, link.isOutside, link.kind], ['src/text/layout.rs', false, 'implementation']);
    // Tails stay as written when nothing tells where they are.
    assert.ok(plan.locations.some((l) => l.path === 'layout.rs'));
  });

  it('judges new files and references from the sentence', () => {
    const plan = parsePlan(text, { workspaceFiles: WORKSPACE });
    const tooling = plan.locations.filter((l) => l.section === 'Phase 2: Tooling');
    assert.deepEqual(
      tooling.map((l) => [l.path, l.isNew, l.kind]),
      [
        ['tools/flame.sh', true, 'implementation'],
        ['tools/profile_run.sh', true, 'implementation'],
        ['src/text/shaper.rs', false, 'implementation'],
        ['src/text/cache.rs', false, 'implementation'],
        ['scripts/bench.sh', false, 'reference'],
        ['/tmp/layout_trace.txt', false, 'reference'],
        ['tests/layout_test.rs', false, 'reference'],
      ],
    );
  });

  it('resolves tails only when one workspace file has them', () => {
    const index = new WorkspaceFileIndex(WORKSPACE);
    assert.equal(index.resolve('layout.rs'), 'src/text/layout.rs');
    assert.equal(index.resolve('text/layout.rs'), 'src/text/layout.rs');
    assert.equal(index.resolve('main.rs'), null, 'two main.rs: ambiguous');
    assert.equal(index.resolve('/home/ci/build/repo/native/draw.c'), 'native/draw.c');
    assert.equal(index.resolve('/etc/hosts'), null);
    assert.equal(index.resolve('../native/draw.c'), null);
    assert.equal(linkTextPath('src/a/b.rs', '/Users/me/dev/proj/src/a/b.rs'), 'src/a/b.rs');
    assert.equal(linkTextPath('b.rs', 'src/a/b.rs'), null, 'a relative target is a path of its own');
    assert.equal(linkTextPath('docs', '/Users/me/docs'), null);
  });

  it('resolves a link target relative to the plan folder against the workspace; a code span with ../ stays outside', () => {
    const plan = parsePlan(
      '# P\n\n## Step 1\n\n- See [tcp](../../native/raster.c) and `../../native/draw.c`\n',
      {
        workspaceFiles: WORKSPACE,
      },
    );
    assert.deepEqual(
      plan.locations.map((l) => [l.path, l.kind, l.isOutside]),
      [
        ['native/raster.c', 'implementation', false],
        ['../../native/draw.c', 'reference', true],
      ],
    );
    // A file list does not take a camelCase member call for a file.
    const calls = parsePlan('# P\n\n## Files\n\n- `src/kv.zig` — call `ckv.incrBy` here\n');
    assert.deepEqual(
      calls.locations.map((l) => l.path),
      ['src/kv.zig'],
    );
  });

  it('reads line lists and the words around a path', () => {
    assert.deepEqual(parseLineList('40-44, 90-93'), [
      { line: 40, endLine: 44 },
      { line: 90, endLine: 93 },
    ]);
    assert.deepEqual(parseLineList('812/640/455')?.length, 3);
    assert.equal(parseLineList('10-5'), null);
    assert.equal(saysNew(': added a method'), false);
    assert.equal(saysNew(' (new file)'), true);
    assert.equal(saysNewBefore('Add a new file '), true);
    assert.equal(saysNewBefore('Added a method to '), false);
    assert.equal(saysRun('Then re-run '), true);
    assert.equal(saysRun('Rewrite the loop in '), false);
  });
});
