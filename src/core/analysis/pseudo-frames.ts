import type { ProfileMapping } from '../mapping/map-profile';
import { type Frame, type Profile, stackTableOf } from '../profile/model';
import type { PseudoFrameKind } from './types';

/**
 * Pseudo-frames: frames that profilers and collapsers add which are not functions of
 * any library, so they must never be ranked as hotspots.
 *
 * - **Unsymbolized addresses**: `[unknown]` (perf), `0x7f3a2b1c40`, a bare hex or decimal
 *   address (`7f3a2b1c40`, `8688393984` from DTrace on macOS), a module with an offset and
 *   no symbol (`libfoo.so+0x1a2b`, `` libsystem_kernel.dylib`0x1a2b ``), a module alone in
 *   brackets (`[libc.so.6]`, `[vdso]`, `[kernel.kallsyms]`: perf's form for an address it
 *   could not symbolize).
 * - **Process and thread names**: the root frame `stackcollapse-perf.pl` (and inferno,
 *   cargo-flamegraph) adds with the command name (`myapp`, `tokio-runtime-w`), or with
 *   `--pid` / `--tid` its `comm-pid` / `comm-pid/tid` forms (`myapp-4182`, `myapp-4182/4190`).
 *   Only in collapsed formats (folded stacks, flame graph SVGs); recognized by position, not
 *   by name alone: a frame that is only ever a root, whose name has a comm-pid/tid form or
 *   whose children are where processes and threads start (`_start`, `__libc_start_main`,
 *   `start_thread`, `clone3`, kernel entry …). When such roots hold at least half of the
 *   profile's weight, the collapser named every stack, and the other root-only frames
 *   (a thread whose first frame is `[unknown]`) are names too.
 */

const UNSYMBOLIZED = [
  /^\[unknown\]$/i,
  /^0x[0-9a-f]+$/i,
  // a bare address: hex with at least one digit, or a long decimal (DTrace prints addresses so)
  /^(?=[0-9a-f]*\d)[0-9a-f]{8,16}$/i,
  /^\d{6,20}$/,
  /^[^\s()`]+\+0x[0-9a-f]+$/i,
  /^[^\s()`]*`(0x)?[0-9a-f]+(\+0x[0-9a-f]+)?$/i,
  /^\[[^\]\s]+\]$/,
];

/**
 * True when the frame name is an address or a placeholder, not a symbol.
 * @param name the frame name as the tool wrote it
 */
export function isUnsymbolizedName(name: string): boolean {
  const n = name.trim();
  return n === '' || UNSYMBOLIZED.some((re) => re.test(n));
}

/**
 * True for a kernel frame: the tool marked it (`kind`), perf's `[kernel.kallsyms]`
 * module, or the `_[k]` suffix of `stackcollapse-perf.pl --kernel` / `--all`.
 */
export function isKernelFrame(frame: Frame): boolean {
  return (
    frame.kind === 'kernel' ||
    /^\[kernel/.test(frame.module ?? '') ||
    frame.name.endsWith('_[k]') ||
    frame.name.endsWith(' [k]')
  );
}

/** Where processes and threads begin: the first frames under a process/thread-name root. */
const ENTRY =
  /^(_start|__libc_start_main|__libc_start_call_main|__libc_start_main_impl|start_thread|clone3?|__clone3?|__GI___clone3?|thread_start|_thread_start|_pthread_start|__pthread_start|start|_dl_start_user|_dl_start|runtime\.goexit|runtime\.goexit\.abi0|runtime\.mstart|runtime\.rt0_go|RtlUserThreadStart|BaseThreadInitThunk|ret_from_fork|ret_from_fork_asm|entry_SYSCALL_64.*|asm_\w+|cpu_startup_entry|secondary_startup_64.*)$/;
/** Formats whose stacks a collapser may have rooted at a process or thread name. */
const COLLAPSED_FORMATS = new Set<string>(['folded', 'flamegraph-svg']);
const COMM_PID_TID = /^.{1,64}-\d+(\/\d+)?$/;
/** Never a process name: the program's own entry point, qualified or called names, DTrace module`function. */
const NOT_A_COMM = /^(_?w?main)$|::|\(|`/;

/**
 * Classifies the pseudo-frames of a profile.
 * @param profile the profile (frames and stacks, root first)
 * @param isWorkspace whether a frame (by index) maps to a workspace function; those are never pseudo-frames
 * @returns the kind of each pseudo-frame, by frame index (absent: a function)
 */
export function classifyPseudoFrames(
  profile: Profile,
  isWorkspace: (frameId: number) => boolean,
): Map<number, PseudoFrameKind> {
  const out = new Map<number, PseudoFrameKind>();
  const frames = profile.frames;
  for (let id = 0; id < frames.length; id++) {
    if (!isWorkspace(id) && !isKernelFrame(frames[id]) && isUnsymbolizedName(frames[id].name))
      out.set(id, 'unsymbolized');
  }
  // process and thread names: only ever at the root, and what starts under them; only the
  // collapsed forms carry them as frames (perf script, pprof, … keep threads apart)
  if (!COLLAPSED_FORMATS.has(profile.format)) return out;
  const belowRoot = new Uint8Array(frames.length);
  const children = new Map<number, Set<number>>();
  const { count, frames: ids, starts, weights } = stackTableOf(profile);
  // the frames under each root frame: a set per root, each pair added once
  let lastRoot = -1;
  let lastChild = -1;
  for (let s = 0; s < count; s++) {
    const a = starts[s];
    const b = starts[s + 1];
    for (let i = a + 1; i < b; i++) belowRoot[ids[i]] = 1;
    if (b - a > 1 && (ids[a] !== lastRoot || ids[a + 1] !== lastChild)) {
      lastRoot = ids[a];
      lastChild = ids[a + 1];
      let set = children.get(lastRoot);
      if (!set) {
        set = new Set();
        children.set(lastRoot, set);
      }
      set.add(lastChild);
    }
  }
  const rootOnly = new Map<number, number>();
  for (let s = 0; s < count; s++) {
    const a = starts[s];
    if (starts[s + 1] > a && !belowRoot[ids[a]])
      rootOnly.set(ids[a], (rootOnly.get(ids[a]) ?? 0) + weights[s]);
  }
  // strong evidence: a comm-pid/tid form, or where processes and threads start right under it;
  // when such roots hold most of the weight, the collapser rooted every stack at a name, and
  // the other root-only frames (a thread whose first frame is [unknown] or a plain function) are names too
  const strong = new Set<number>();
  const weak = new Set<number>();
  let strongWeight = 0;
  for (const [id, weight] of rootOnly) {
    if (out.has(id) || isWorkspace(id)) continue;
    const frame = frames[id];
    if (
      frame.file !== undefined ||
      ENTRY.test(frame.name) ||
      isKernelFrame(frame) ||
      NOT_A_COMM.test(frame.name)
    )
      continue;
    const startsThings = [...(children.get(id) ?? [])].some((k) => {
      const kf = frames[k];
      const name = kf.name.includes('`') ? kf.name.slice(kf.name.lastIndexOf('`') + 1) : kf.name;
      return ENTRY.test(name) || isKernelFrame(kf);
    });
    if (COMM_PID_TID.test(frame.name) || startsThings) {
      strong.add(id);
      strongWeight += weight;
    } else weak.add(id);
  }
  for (const id of strong) out.set(id, 'process');
  if (profile.total > 0 && strongWeight >= 0.5 * profile.total) for (const id of weak) out.set(id, 'process');
  return out;
}

const byMapping = new WeakMap<ProfileMapping, Map<number, PseudoFrameKind>>();

/**
 * {@link classifyPseudoFrames} of a mapped profile, a frame being the workspace's when its
 * mapping says so; computed once per mapping (the analysis, the comparison snapshot and the
 * flame graph of one load all ask for it).
 * @param mapping `mapProfile(profile, …)` of the same profile
 */
export function pseudoFramesOf(
  profile: Profile,
  mapping: ProfileMapping,
): ReadonlyMap<number, PseudoFrameKind> {
  let kinds = byMapping.get(mapping);
  if (!kinds) {
    kinds = classifyPseudoFrames(profile, (id) => mapping.frames[id].status === 'workspace');
    byMapping.set(mapping, kinds);
  }
  return kinds;
}
