import { type CompareSnapshot, snapshotProfile } from '../../../src/core/compare';
import type { WorkspaceFs } from '../../../src/core/mapping/workspace-index';
import { WorkspaceIndex } from '../../../src/core/mapping/workspace-index';
import {
  type Profile,
  ProfileBuilder,
  type ProfileFormatId,
  type WeightUnit,
} from '../../../src/core/profile/model';
import { testDemangler, testParsers } from '../mapping/setup';

/** A workspace index of in-memory files (path → text). */
export async function memIndex(files: Record<string, string>): Promise<WorkspaceIndex> {
  const fs: WorkspaceFs = {
    listFiles: async () => Object.keys(files),
    readFile: async (p) => {
      const t = files[p];
      if (t === undefined) throw new Error(`ENOENT ${p}`);
      return t;
    },
  };
  return WorkspaceIndex.build(fs, await testParsers());
}

/** A profile from folded-style lines (`a;b;c weight`), root first. */
export function profileOf(
  lines: readonly string[],
  opts: {
    format?: ProfileFormatId;
    unit?: WeightUnit;
    eventName?: string;
    meta?: Record<string, string | number>;
    source?: string;
    sampleCount?: number;
  } = {},
): Profile {
  const b = new ProfileBuilder({
    format: opts.format ?? 'folded',
    source: opts.source ?? 'test.folded',
    unit: opts.unit ?? 'samples',
    eventName: opts.eventName ?? 'samples',
  });
  for (const line of lines) {
    const sp = line.lastIndexOf(' ');
    const w = Number(line.slice(sp + 1));
    const stack = line
      .slice(0, sp)
      .split(';')
      .map((name) => b.frameId({ name }));
    b.appendSample(stack, w, undefined, opts.unit === 'samples' || opts.unit === undefined ? w : 1);
  }
  for (const [k, v] of Object.entries(opts.meta ?? {})) b.setMeta(k, v);
  const p = b.build();
  return opts.sampleCount !== undefined ? { ...p, sampleCount: opts.sampleCount } : p;
}

/** Snapshot of a profile against a workspace index, with the real demangler. */
export function snap(profile: Profile, index: WorkspaceIndex): CompareSnapshot {
  return snapshotProfile(profile, { index, demangle: testDemangler() });
}

/** A small Rust crate `demo` whose `work` function sits at `workLine` (1-based). */
export function demoCrate(workLine: number): Record<string, string> {
  return {
    'Cargo.toml': '[package]\nname = "demo"\nversion = "0.1.0"\n',
    'src/lib.rs': `${'\n'.repeat(workLine - 1)}pub fn work() {\n    helper();\n}\n\npub fn helper() {}\n\npub fn other() {}\n`,
  };
}
