// Prints how well name-only source mapping places the workspace frames of a real
// recording (test/fixtures/ground-truth: perf record of examples/rust-sample) in the right
// file and function, for the folded, flame graph SVG and perf script exports, and how
// well srcline mapping does on the `-F +srcline --full-source-path` export.
//   node --import tsx bench/mapping-accuracy.ts
import fs from 'node:fs';
import path from 'node:path';
import { importFromFlamegraphSvg } from '../src/core/importers/flamegraph-svg';
import { importFromFolded } from '../src/core/importers/folded';
import { inputFromBytes } from '../src/core/importers/input';
import { importFromPerfScript } from '../src/core/importers/perf-script';
import { measureMappingAccuracy, parseTruthTable } from '../src/core/mapping/accuracy';
import { mapProfile } from '../src/core/mapping/map-profile';
import { createSourceParsers } from '../src/core/mapping/parsers';
import { WorkspaceIndex } from '../src/core/mapping/workspace-index';
import type { Profile } from '../src/core/profile/model';
import { createDemangler, setDefaultDemangler } from '../src/core/symbols/demangle';
import { createNodeWorkspaceFs, loadNodeDemanglerWasm, loadNodeParserAssets } from '../src/node/workspace-fs';

const root = path.resolve(__dirname, '..');
const truthDir = path.join(root, 'test/fixtures/ground-truth');
const workspace = path.join(root, 'examples/rust-sample');

async function main() {
  setDefaultDemangler(createDemangler(loadNodeDemanglerWasm()));
  const t0 = performance.now();
  const index = await WorkspaceIndex.build(
    createNodeWorkspaceFs(workspace),
    await createSourceParsers(loadNodeParserAssets()),
  );
  const indexMs = performance.now() - t0;
  const truth = parseTruthTable(fs.readFileSync(path.join(truthDir, 'functions.tsv'), 'utf8'));
  const read = (f: string) => inputFromBytes(f, new Uint8Array(fs.readFileSync(path.join(truthDir, f))));
  const cases: [string, () => Promise<Profile>][] = [
    ['folded (names only)', () => importFromFolded(read('sample.folded'))],
    ['flame graph SVG (names only)', () => importFromFlamegraphSvg(read('sample.svg'))],
    ['perf script (names only)', () => importFromPerfScript(read('sample.perf'))],
    ['perf script +srcline --full-source-path', () => importFromPerfScript(read('sample.srcline.perf'))],
  ];
  console.log(`index: ${Object.keys(index.data.files).length} files in ${indexMs.toFixed(0)} ms`);
  for (const [label, load] of cases) {
    const profile = await load();
    const t1 = performance.now();
    const mapping = mapProfile(profile, index);
    const ms = performance.now() - t1;
    const acc = measureMappingAccuracy(profile, mapping, truth);
    console.log(
      `${label}: ${(acc.accuracy * 100).toFixed(2)}% of workspace-frame weight in the right file and function ` +
        `(${acc.correctWeight}/${acc.workspaceWeight} ${profile.unit}); false positives ${acc.falsePositiveWeight}; ` +
        `mapped ${profile.frames.length} frames in ${ms.toFixed(1)} ms`,
    );
    for (const m of acc.misses.slice(0, 5)) console.log(`  miss: ${m.symbol} → ${m.got} (${m.weight})`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
