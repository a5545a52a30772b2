// Source-mapping accuracy on real projects' own profiles (issue #12's corpus).
//
//   node --import tsx bench/mapping-corpus.ts [corpus-dir] [--frames=<project>] [--misses]
//
// The corpus is not committed: each project of bench/mapping-corpus.json is a public
// repository that committed a profile beside its source; bench/make-corpus.sh checks each
// out at the listed commit into <corpus-dir>/<name>/ (default: $HOTSPOT_LENS_CORPUS, else
// ../corpus beside the repository). Without the directory this prints why and exits 0.
//
// Per project it prints, by samples (a frame counted once per stack it is in):
//   own      weight of the project's own frames (the truth below says which and where)
//   right    share of it mapped to the right file
//   fp       frames from outside the project mapped into it (false positives), with weight
// Truth, never taken from the mapper: for a profile whose frames carry a file (pprof,
// .cpuprofile) the recorded file decides (`ownPath`: a regex whose first group is the
// workspace-relative path); for a name-only profile (flame graph SVG, folded) a table
// written by reading the project's source (`truth`: [name regex, file] pairs, matched
// against the demangled name).
import fs from 'node:fs';
import path from 'node:path';
import { inputFromBytes } from '../src/core/importers/input';
import { importProfile } from '../src/core/importers/registry';
import { mapProfile } from '../src/core/mapping/map-profile';
import { createSourceParsers } from '../src/core/mapping/parsers';
import { WorkspaceIndex } from '../src/core/mapping/workspace-index';
import { createDemangler, setDefaultDemangler } from '../src/core/symbols/demangle';
import { normalizeFrameName } from '../src/core/symbols/normalize';
import { createNodeWorkspaceFs, loadNodeDemanglerWasm, loadNodeParserAssets } from '../src/node/workspace-fs';

interface Project {
  readonly name: string;
  readonly language: string;
  readonly repo: string;
  readonly commit: string;
  readonly licence: string;
  /** Profile file, relative to the project's checkout. */
  readonly profile: string;
  /** Workspace folder, relative to the checkout (default: the checkout). */
  readonly workspace?: string;
  /** Frames carrying a file: regex on the recorded path; group 1 is the workspace-relative file. */
  readonly ownPath?: string;
  /** Name-only frames: [regex on the demangled name, workspace-relative file]. */
  readonly truth?: readonly (readonly [string, string])[];
  /** Settings the user would set (crate aliases). */
  readonly crateAliases?: Readonly<Record<string, string>>;
}

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const flag = (name: string) =>
  args.find((a) => a.startsWith(`--${name}`))?.split('=')[1] ?? (args.includes(`--${name}`) ? '' : undefined);
const corpusDir = path.resolve(
  args.find((a) => !a.startsWith('--')) ?? process.env.HOTSPOT_LENS_CORPUS ?? path.join(root, '..', 'corpus'),
);

async function main() {
  const projects: Project[] = JSON.parse(
    fs.readFileSync(path.join(__dirname, 'mapping-corpus.json'), 'utf8'),
  );
  if (!fs.existsSync(corpusDir)) {
    console.log(
      `mapping corpus: skipped — no corpus at ${corpusDir} (make it with bench/make-corpus.sh <dir>, then pass the dir or set HOTSPOT_LENS_CORPUS)`,
    );
    return;
  }
  const demangle = createDemangler(loadNodeDemanglerWasm());
  setDefaultDemangler(demangle);
  const parsers = await createSourceParsers(loadNodeParserAssets());
  const shares: number[] = [];
  let fpAll = 0;
  for (const p of projects) {
    const checkout = path.join(corpusDir, p.name);
    const profileFile = path.join(checkout, p.profile);
    if (!fs.existsSync(profileFile)) {
      console.log(`${p.name}: skipped — ${profileFile} is missing`);
      continue;
    }
    const workspace = path.join(checkout, p.workspace ?? '.');
    const index = await WorkspaceIndex.build(createNodeWorkspaceFs(workspace), parsers);
    const { profile } = await importProfile(
      inputFromBytes(p.profile, new Uint8Array(fs.readFileSync(profileFile))),
    );
    const mapping = mapProfile(profile, index, {
      root: workspace,
      demangle,
      ...(p.crateAliases ? { crateAliases: p.crateAliases } : {}),
    });
    const ownPath = p.ownPath !== undefined ? new RegExp(p.ownPath) : undefined;
    const truth = (p.truth ?? []).map(([re, file]) => [new RegExp(re), file] as const);
    const truthFile = profile.frames.map((f) => {
      if (ownPath && f.file !== undefined) {
        const m = ownPath.exec(f.file.replace(/\\/g, '/'));
        return m ? m[1] : undefined;
      }
      if (truth.length === 0) return undefined;
      const n = normalizeFrameName(f.name, { file: f.file, module: f.module }, { demangle });
      const text = n.demangled;
      for (const [re, file] of truth) if (re.test(text) || re.test(f.name)) return file;
      return undefined;
    });
    const weightOf = new Float64Array(profile.frames.length);
    for (const s of profile.stacks) for (const id of new Set(s.frames)) weightOf[id] += s.weight;
    let own = 0;
    let right = 0;
    let fpWeight = 0;
    let fpFrames = 0;
    const misses = new Map<string, number>();
    const fps = new Map<string, number>();
    profile.frames.forEach((f, id) => {
      const m = mapping.frames[id];
      const t = truthFile[id];
      const w = weightOf[id];
      if (t !== undefined) {
        own += w;
        if (m.status === 'workspace' && m.file === t) right += w;
        else {
          const key = `${f.name} → ${m.status}${m.file ? ` ${m.file}` : ''}${m.reason ? ` (${m.reason})` : ''} [want ${t}]`;
          misses.set(key, (misses.get(key) ?? 0) + w);
        }
      } else if (m.status === 'workspace') {
        fpWeight += w;
        fpFrames++;
        fps.set(`${f.name} → ${m.file}`, w);
      }
    });
    if (own > 0) shares.push(right / own);
    fpAll += fpFrames;
    const pct = own > 0 ? ((100 * right) / own).toFixed(1) : 'n/a';
    console.log(
      `${p.name} (${p.language}, ${p.profile}): ${pct}% of own-code samples in the right file ` +
        `(${right}/${own} ${profile.unit}); false positives: ${fpFrames} frames (${fpWeight} ${profile.unit})`,
    );
    if (flag('misses') !== undefined || flag('frames') === p.name) {
      for (const [k, w] of [...misses].sort((a, b) => b[1] - a[1]).slice(0, 15))
        console.log(`  miss ${w}: ${k}`);
      for (const [k, w] of [...fps].sort((a, b) => b[1] - a[1]).slice(0, 15))
        console.log(`  false positive ${w}: ${k}`);
    }
    if (flag('frames') === p.name) {
      const rows = profile.frames
        .map((f, id) => ({ f, id, w: weightOf[id] }))
        .sort((a, b) => b.w - a.w)
        .slice(0, 80);
      for (const r of rows) {
        const m = mapping.frames[r.id];
        console.log(`  ${r.w}\t${m.status}\t${m.file ?? ''}\t${r.f.name}\t${r.f.file ?? ''}`);
      }
    }
  }
  if (shares.length > 0) {
    const mean = shares.reduce((a, b) => a + b, 0) / shares.length;
    const good = shares.filter((s) => s >= 0.95).length;
    console.log(
      `mapping corpus: ${shares.length} projects; own-code samples in the right file: ${(100 * mean).toFixed(1)}% on average, ` +
        `lowest ${(100 * Math.min(...shares)).toFixed(1)}%, ${good}/${shares.length} projects at 95% or more; ${fpAll} false-positive frames`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
