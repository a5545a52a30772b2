import type { Profile } from '../profile/model';
import type { ProfileMapping } from './map-profile';

/**
 * Measures how well a {@link ProfileMapping} puts workspace frames in the right file
 * and function, against ground truth (for the Rust sample: `functions.tsv` in
 * `test/fixtures/ground-truth/`, made with `nm -C` and `addr2line` on the profiled binary).
 */

/** Where a workspace symbol is truly defined. */
export interface TruthRow {
  /** Workspace-relative file. */
  readonly file: string;
  /** 1-based line of the function's `fn` keyword (or signature start). */
  readonly line: number;
}

/** Result of {@link measureMappingAccuracy}; weights in the profile's unit. */
export interface MappingAccuracy {
  /** Weight of workspace-frame occurrences (a frame counted once per stack it appears in). */
  readonly workspaceWeight: number;
  /** Of that, the weight mapped to the right file and a definition whose range holds the true line. */
  readonly correctWeight: number;
  /** correctWeight / workspaceWeight (1 when there is no workspace weight). */
  readonly accuracy: number;
  /** Weight of frames mapped into the workspace that have no truth row (false positives). */
  readonly falsePositiveWeight: number;
  /** Wrongly mapped truth symbols with their weight and what mapping said, heaviest first. */
  readonly misses: readonly { readonly symbol: string; readonly weight: number; readonly got: string }[];
}

/**
 * Parses the ground-truth table: a header line, then `symbol<TAB>file<TAB>line` rows.
 * @throws Error naming the line when a row does not have three fields or the line is not a number
 */
export function parseTruthTable(text: string): Map<string, TruthRow> {
  const rows = new Map<string, TruthRow>();
  text.split('\n').forEach((line, i) => {
    if (i === 0 || line.trim() === '') return;
    const parts = line.split('\t');
    const n = Number(parts[2]);
    if (parts.length !== 3 || !Number.isInteger(n))
      throw new Error(`truth table line ${i + 1}: expected symbol, file, line`);
    rows.set(parts[0], { file: parts[1], line: n });
  });
  return rows;
}

/**
 * Compares a mapping of `profile` with the truth, frame by frame, weighting each frame by
 * the stacks it appears in (once per stack).
 * @param truth symbol (frame name as written, without `::h<hash>`) → true location
 */
export function measureMappingAccuracy(
  profile: Profile,
  mapping: ProfileMapping,
  truth: ReadonlyMap<string, TruthRow>,
): MappingAccuracy {
  let workspaceWeight = 0;
  let correctWeight = 0;
  let falsePositiveWeight = 0;
  const misses = new Map<string, { symbol: string; weight: number; got: string }>();
  const truthOf = profile.frames.map((f) =>
    truth.get(f.name.replace(/::h[0-9a-f]{16}$/, '').replace(/ \(inlined\)$/, '')),
  );
  const seen = new Set<number>();
  for (const stack of profile.stacks) {
    seen.clear();
    for (const id of stack.frames) {
      if (seen.has(id)) continue;
      seen.add(id);
      const t = truthOf[id];
      const m = mapping.frames[id];
      if (!t) {
        if (m.status === 'workspace') falsePositiveWeight += stack.weight;
        continue;
      }
      workspaceWeight += stack.weight;
      const d = m.definition;
      if (
        m.status === 'workspace' &&
        d &&
        d.file === t.file &&
        d.startLine <= t.line &&
        t.line <= d.endLine
      ) {
        correctWeight += stack.weight;
      } else {
        const name = profile.frames[id].name;
        const got =
          m.status === 'workspace'
            ? `${m.file}:${d?.startLine ?? '?'}`
            : `${m.status}${m.reason ? ` (${m.reason})` : ''}`;
        const e = misses.get(name);
        if (e) e.weight += stack.weight;
        else misses.set(name, { symbol: name, weight: stack.weight, got });
      }
    }
  }
  return {
    workspaceWeight,
    correctWeight,
    accuracy: workspaceWeight === 0 ? 1 : correctWeight / workspaceWeight,
    falsePositiveWeight,
    misses: [...misses.values()].sort((a, b) => b.weight - a.weight),
  };
}
