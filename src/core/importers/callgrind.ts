/**
 * callgrind profiles (`callgrind.out.<pid>`), as written by valgrind's callgrind and
 * cachegrind tools. Format: https://valgrind.org/docs/manual/cl-format.html (the
 * writer is `callgrind/dump.c` in the valgrind tree).
 *
 * What is read:
 * - header lines `key: value` (anywhere): `events:` (event names), `positions:`
 *   (`line` by default; `instr`, `bb`, `line` in any combination), `summary:` /
 *   `totals:` (kept in meta; several parts are summed), `cmd:`, `creator:`, `pid:`;
 * - name compression `(id) name` / `(id)` for `fl=` `fi=` `fe=` `cfi=` `cfl=` `jfi=`
 *   (one id space for files — a file may first appear on a `cfi=` line), `fn=` `cfn=`
 *   `jfn=` (functions) and `ob=` `cob=` (objects);
 * - cost lines: positions then counters; subposition compression `+n`, `-n`, `*`
 *   (relative to the last *cost* line, as `dump.c` writes them: call and jump
 *   positions do not move it); hex positions `0x…`; missing counters are 0;
 * - `calls=count target` followed by the line holding the call site and the
 *   inclusive cost of the calls; `jump=` / `jcnd=` followed by a position-only line.
 *
 * A function is identified like callgrind does: object + file (`fl=`) + name. A
 * call's target is `cob=` (default: the caller's object) + `cfi=`/`cfl=` (default: the
 * file in effect, `fi=`/`fe=`/`fl=`) + `cfn=`; a target never defined under that
 * exact key but defined under one key with the same name is mapped to it.
 *
 * Self costs become {@link LineCost}s (`addLineCost(file, line, cost, fn)`, file from
 * `fi=`/`fe=`/`fl=`, 1-based line) and the self weight of each function.
 *
 * **Stacks are an approximation.** callgrind records a call graph, not stacks. The
 * stacks are built by expanding the graph from its roots (functions whose inclusive
 * cost is not fully explained by their callers): a function reached with flow `w`
 * gives `w / inclusive` of its self cost to the current path and passes the same
 * fraction of each call's inclusive cost on to the callee. Recursive edges (a callee
 * already on the path) are not followed, paths are cut at depth 256, flows below a
 * millionth of the total are not expanded, and at most 200,000 paths are expanded.
 * Afterwards every function's stacks are rescaled so its **self weight is exact**,
 * then rounded to whole counts (largest remainder, the sum is kept); a function
 * never reached keeps its self cost on the chain of its heaviest callers. Inclusive
 * (total) weight per function therefore equals callgrind's inclusive cost whenever
 * the graph has no recursion and no pruning; otherwise it is a close estimate.
 * The profile total is the sum of self costs, which equals `summary:` / `totals:`
 * in files callgrind writes.
 */
import { type Frame, type Profile, ProfileBuilder } from '../profile/model';
import { ImportError } from './import-error';
import { lineBatches } from './input';
import type { ImportOptions, ProfileHead, ProfileImporter, ProfileInput } from './types';

const LABEL = 'callgrind';
const MAX_DEPTH = 256;
const MAX_PATHS = 200_000;
const MIN_FLOW_FRACTION = 1e-6;

/**
 * True when the head is a callgrind (or cachegrind) profile: it starts with
 * `# callgrind format`, or it has an `events:` header line and `fn=` lines.
 * @param head the first bytes of the file (see `readHead`)
 */
export function isCallgrind(head: ProfileHead): boolean {
  const t = head.text.charCodeAt(0) === 0xfeff ? head.text.slice(1) : head.text;
  if (t.startsWith('# callgrind format')) return true;
  return /^events:[ \t]*\S/m.test(t) && /^fn=/m.test(t);
}

interface CgFunction {
  readonly name: string;
  readonly file: string;
  readonly object: string;
  self: number;
  /** Inclusive cost of calls to other functions, by callee key. */
  readonly calls: Map<string, number>;
}

/**
 * Imports a callgrind profile (see the module comment for what is read and how
 * stacks are approximated from the call graph).
 * @param input the file (streamed)
 * @param options `event` (default `Ir`, else the first event), progress and cancellation
 * @returns a profile with format `callgrind`, unit `instructions` for `Ir` (else
 *   `events`), event name = the chosen event, one thread `all`, per-line costs,
 *   meta `summary`, `events`, `cmd`, `creator`; no sample count
 * @throws ImportError for a missing `events:` line, an unknown `options.event`, a
 *   cost line that is not numbers, a `calls=` without a following cost line, or a
 *   file without costs (with the 1-based line)
 * @throws ImportCancelledError when `options.signal` fires
 */
export async function importFromCallgrind(
  input: ProfileInput,
  options: ImportOptions = {},
): Promise<Profile> {
  const file = input.name;
  const err = (problem: string, line?: number) =>
    new ImportError(LABEL, file, problem, line !== undefined ? { line } : {});

  let events: string[] | undefined;
  let eventIndex = -1;
  let positions = ['line'];
  let lineCol = 0;
  let summary: number | undefined;
  const meta: Record<string, string> = {};

  const fileNames = new Map<string, string>();
  const fnNames = new Map<string, string>();
  const objNames = new Map<string, string>();
  const functions = new Map<string, CgFunction>();
  const lineCosts: { file: string; line: number; cost: number; fn: string }[] = [];
  const lineCostIndex = new Map<string, number>();

  let ob = '';
  let fl = '';
  let curFile = '';
  let fn: CgFunction | undefined;
  let cob: string | undefined;
  let cfi: string | undefined;
  let cfn: string | undefined;
  let expect: 'cost' | 'call' | 'jump' = 'cost';
  let last: number[] = [];
  let costLines = 0;
  let lineNo = 0;

  const resolveName = (table: Map<string, string>, value: string, line: number): string => {
    const v = value.trim();
    // "(12) name" defines id 12, "(12)" refers to it; "(below main)" is a plain name.
    const m = /^\((\d+)\)(.*)$/.exec(v);
    if (m === null) return v;
    const id = m[1];
    const rest = m[2].trim();
    if (rest !== '') {
      table.set(id, rest);
      return rest;
    }
    const known = table.get(id);
    if (known === undefined) throw err(`name id (${id}) is used before it is defined`, line);
    return known;
  };

  const fnKey = (o: string, f: string, n: string) => `${o}\u0000${f}\u0000${n}`;

  /** Parses positions and counters of a cost line; returns [positions, cost of the event]. */
  const parseCostLine = (line: string, updateLast: boolean): [number[], number] => {
    if (events === undefined) throw err('cost line before the "events:" header', lineNo);
    const parts = line.trim().split(/\s+/);
    const pos: number[] = new Array(positions.length);
    for (let i = 0; i < positions.length; i++) {
      const p = parts[i];
      if (p === undefined) throw err(`cost line has fewer than ${positions.length} position(s)`, lineNo);
      let v: number;
      const c = p.charCodeAt(0);
      if (p === '*') v = last[i] ?? 0;
      else if (c === 43 /* + */ || c === 45 /* - */) {
        const d = parseUnsigned(p.slice(1));
        if (Number.isNaN(d)) throw err(`bad position "${clip(p)}"`, lineNo);
        v = (last[i] ?? 0) + (c === 43 ? d : -d);
      } else {
        v = parseUnsigned(p);
        if (Number.isNaN(v)) throw err(`bad position "${clip(p)}"`, lineNo);
      }
      pos[i] = v;
    }
    let cost = 0;
    for (let i = positions.length; i < parts.length; i++) {
      const v = parseUnsigned(parts[i]);
      if (Number.isNaN(v)) throw err(`counter "${clip(parts[i])}" is not a non-negative integer`, lineNo);
      if (i - positions.length === eventIndex) cost = v;
    }
    if (updateLast) last = pos;
    return [pos, cost];
  };

  const currentFunction = (): CgFunction => {
    if (fn !== undefined) return fn;
    // Costs before any fn= line: attribute to an unnamed function, as kcachegrind does.
    const key = fnKey(ob, fl, '???');
    let f = functions.get(key);
    if (f === undefined) {
      f = { name: '???', file: fl, object: ob, self: 0, calls: new Map() };
      functions.set(key, f);
    }
    fn = f;
    return f;
  };

  for await (const lines of lineBatches(input, options)) {
    for (const raw of lines) {
      lineNo++;
      const line = raw;
      if (line.length === 0) continue;
      const c0 = line.charCodeAt(0);
      if (c0 === 35 /* # */) continue;
      const isPos = (c0 >= 48 && c0 <= 57) || c0 === 43 || c0 === 45 || c0 === 42; // digit + - *
      if (isPos) {
        if (expect === 'call') {
          const [, cost] = parseCostLine(line, false);
          expect = 'cost';
          const f = currentFunction();
          const key = fnKey(cob ?? ob, cfi ?? curFile, cfn ?? '');
          if (cfn === undefined) throw err('"calls=" without a preceding "cfn="', lineNo);
          f.calls.set(key, (f.calls.get(key) ?? 0) + cost);
          cob = undefined;
          cfi = undefined;
          cfn = undefined;
          continue;
        }
        if (expect === 'jump') {
          parseCostLine(line, false);
          expect = 'cost';
          continue;
        }
        const [pos, cost] = parseCostLine(line, true);
        costLines++;
        if (cost > 0) {
          const f = currentFunction();
          f.self += cost;
          const ln = lineCol >= 0 ? pos[lineCol] : 0;
          if (ln > 0 && curFile !== '' && curFile !== '???') {
            const k = `${curFile}\u0000${ln}\u0000${f.name}`;
            const idx = lineCostIndex.get(k);
            if (idx === undefined) {
              lineCostIndex.set(k, lineCosts.length);
              lineCosts.push({ file: curFile, line: ln, cost, fn: f.name });
            } else lineCosts[idx].cost += cost;
          }
        }
        continue;
      }
      if (expect === 'call') throw err('"calls=" line is not followed by its cost line', lineNo);
      expect = 'cost';
      const eq = line.indexOf('=');
      const colon = line.indexOf(':');
      if (eq > 0 && (colon < 0 || eq < colon) && /^[a-z]+$/.test(line.slice(0, eq))) {
        const key = line.slice(0, eq);
        const value = line.slice(eq + 1);
        switch (key) {
          case 'ob':
            ob = resolveName(objNames, value, lineNo);
            break;
          case 'fl':
            fl = resolveName(fileNames, value, lineNo);
            curFile = fl;
            break;
          case 'fi':
          case 'fe':
            curFile = resolveName(fileNames, value, lineNo);
            break;
          case 'fn': {
            const name = resolveName(fnNames, value, lineNo);
            const k = fnKey(ob, fl, name);
            let f = functions.get(k);
            if (f === undefined) {
              f = { name, file: fl, object: ob, self: 0, calls: new Map() };
              functions.set(k, f);
            }
            fn = f;
            curFile = fl;
            break;
          }
          case 'cob':
            cob = resolveName(objNames, value, lineNo);
            break;
          case 'cfi':
          case 'cfl':
            cfi = resolveName(fileNames, value, lineNo);
            break;
          case 'cfn':
            cfn = resolveName(fnNames, value, lineNo);
            break;
          case 'jfi':
            resolveName(fileNames, value, lineNo);
            break;
          case 'jfn':
            resolveName(fnNames, value, lineNo);
            break;
          case 'calls':
            expect = 'call';
            break;
          case 'jump':
          case 'jcnd':
            expect = 'jump';
            break;
          default:
            // other specifications (ln=, …) carry nothing we use
            break;
        }
        continue;
      }
      if (colon > 0 && /^[A-Za-z][\w.-]*$/.test(line.slice(0, colon).trim())) {
        const key = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        switch (key) {
          case 'events': {
            const names = value.split(/\s+/).filter((s) => s !== '');
            if (names.length === 0) throw err('"events:" lists no events', lineNo);
            if (events === undefined) {
              events = names;
              const wanted = options.event ?? (names.includes('Ir') ? 'Ir' : names[0]);
              eventIndex = names.indexOf(wanted);
              if (eventIndex < 0)
                throw err(`event "${wanted}" is not in this profile (events: ${names.join(', ')})`, lineNo);
            } else if (names.join(' ') !== events.join(' ')) {
              throw err(`a later "events:" line changes the events (${names.join(', ')})`, lineNo);
            }
            break;
          }
          case 'positions': {
            positions = value.split(/\s+/).filter((s) => s !== '');
            if (positions.length === 0) positions = ['line'];
            lineCol = positions.indexOf('line');
            break;
          }
          case 'summary':
          case 'totals': {
            if (events === undefined) break;
            const v = parseUnsigned(value.split(/\s+/)[eventIndex] ?? '0');
            if (Number.isNaN(v)) throw err(`bad "${key}:" value`, lineNo);
            if (key === 'summary' || summary === undefined) summary = (summary ?? 0) + v;
            break;
          }
          case 'cmd':
          case 'creator':
          case 'pid':
          case 'version':
            meta[key] = value;
            break;
          default:
            break;
        }
        continue;
      }
      throw err(lineProblem(line, costLines), lineNo);
    }
  }
  if (expect === 'call') throw err('the file ends after a "calls=" line (truncated?)', lineNo);
  if (events === undefined)
    throw err(
      'no "events:" header (expected a callgrind.out file, see https://valgrind.org/docs/manual/cl-format.html)',
    );
  const event = events[eventIndex];

  const unit = event === 'Ir' ? 'instructions' : 'events';
  const builder = new ProfileBuilder({ format: 'callgrind', source: file, unit, eventName: event });
  for (const c of lineCosts) builder.addLineCost(c.file, c.line, c.cost, c.fn);
  buildStacks(builder, functions);
  if (builder.stackCount === 0) throw err(`no ${event} costs in the file`);
  builder.setMeta('events', events.join(' '));
  if (summary !== undefined) builder.setMeta('summary', summary);
  for (const [k, v] of Object.entries(meta)) builder.setMeta(k, v);
  return builder.build({ sampleCount: false });
}

/** The callgrind importer (id `callgrind`). */
export const callgrindImporter: ProfileImporter = {
  id: 'callgrind',
  label: LABEL,
  extensions: ['.callgrind', '.out'],
  detect: isCallgrind,
  import: importFromCallgrind,
};

function buildStacks(builder: ProfileBuilder, byKey: Map<string, CgFunction>): void {
  const fns = [...byKey.values()];
  const index = new Map<string, number>();
  fns.forEach((f, i) => {
    index.set(`${f.object}\u0000${f.file}\u0000${f.name}`, i);
  });
  const byName = new Map<string, number[]>();
  fns.forEach((f, i) => {
    const list = byName.get(f.name);
    if (list) list.push(i);
    else byName.set(f.name, [i]);
  });
  // Resolve call targets to function indices.
  const callees: { to: number; cost: number }[][] = fns.map(() => []);
  const callers: { from: number; cost: number }[][] = fns.map(() => []);
  fns.forEach((f, i) => {
    for (const [key, cost] of f.calls) {
      let to = index.get(key);
      if (to === undefined) {
        const name = key.slice(key.lastIndexOf('\u0000') + 1);
        const same = byName.get(name);
        if (same !== undefined && same.length === 1) to = same[0];
      }
      if (to === undefined) {
        // A callee with no costs of its own in this file: keep it as a function with no self cost.
        const [object, fileName, name] = key.split('\u0000');
        to = fns.length;
        fns.push({ name, file: fileName, object, self: 0, calls: new Map() });
        index.set(key, to);
        callees.push([]);
        callers.push([]);
      }
      if (to === i || cost <= 0) continue;
      callees[i].push({ to, cost });
    }
  });
  const inc = new Float64Array(fns.length);
  const inclusive = new Float64Array(fns.length);
  fns.forEach((f, i) => {
    inclusive[i] = f.self + callees[i].reduce((s, c) => s + c.cost, 0);
    for (const c of callees[i]) {
      inc[c.to] += c.cost;
      callers[c.to].push({ from: i, cost: c.cost });
    }
  });
  const totalSelf = fns.reduce((s, f) => s + f.self, 0);
  const minFlow = totalSelf * MIN_FLOW_FRACTION;

  // Expand from the roots.
  const emitted: { path: number[]; weight: number }[][] = fns.map(() => []);
  let budget = MAX_PATHS;
  const onPath = new Uint8Array(fns.length);
  const path: number[] = [];
  const visit = (f: number, w: number): void => {
    if (budget-- <= 0) return;
    path.push(f);
    onPath[f] = 1;
    const frac = inclusive[f] > 0 ? w / inclusive[f] : 0;
    if (fns[f].self > 0 && frac > 0) emitted[f].push({ path: path.slice(), weight: fns[f].self * frac });
    if (path.length < MAX_DEPTH) {
      for (const c of callees[f]) {
        const wc = c.cost * frac;
        if (onPath[c.to] || wc < minFlow || wc <= 0) continue;
        visit(c.to, wc);
      }
    }
    onPath[f] = 0;
    path.pop();
  };
  const roots = fns
    .map((_, i) => ({ i, flow: inclusive[i] - inc[i] }))
    .filter((r) => r.flow > 0 && inclusive[r.i] > 0)
    .sort((a, b) => b.flow - a.flow);
  for (const r of roots) visit(r.i, Math.min(r.flow, inclusive[r.i]));

  // Rescale so that self is exact; place unreached functions under their heaviest callers.
  const frameIds = fns.map((f) => builder.frameId(toFrame(f)));
  for (let f = 0; f < fns.length; f++) {
    const self = fns[f].self;
    if (!(self > 0)) continue;
    let list = emitted[f];
    const got = list.reduce((s, e) => s + e.weight, 0);
    if (!(got > 0)) list = [{ path: heaviestCallerChain(f, callers), weight: self }];
    else for (const e of list) e.weight *= self / got;
    for (const e of apportion(list, self))
      builder.appendSample(
        e.path.map((i) => frameIds[i]),
        e.weight,
      );
  }
}

/** Root-first chain ending at `f`, following each function's heaviest caller (no cycles). */
function heaviestCallerChain(f: number, callers: { from: number; cost: number }[][]): number[] {
  const chain = [f];
  const seen = new Set([f]);
  let cur = f;
  while (chain.length < MAX_DEPTH) {
    let best = -1;
    let bestCost = 0;
    for (const c of callers[cur])
      if (!seen.has(c.from) && c.cost > bestCost) {
        best = c.from;
        bestCost = c.cost;
      }
    if (best < 0) break;
    chain.push(best);
    seen.add(best);
    cur = best;
  }
  return chain.reverse();
}

/**
 * Rounds weights to integers keeping their sum equal to `total` (largest remainder);
 * when `total` is not an integer the weights are returned unchanged.
 */
function apportion(list: { path: number[]; weight: number }[], total: number) {
  if (!Number.isInteger(total)) return list;
  const floors = list.map((e) => Math.floor(e.weight));
  let rest = total - floors.reduce((s, v) => s + v, 0);
  const order = list
    .map((e, i) => ({ i, frac: e.weight - floors[i] }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const o of order) {
    if (rest <= 0) break;
    floors[o.i]++;
    rest--;
  }
  return list.map((e, i) => ({ path: e.path, weight: floors[i] })).filter((e) => e.weight > 0);
}

function toFrame(f: CgFunction): Frame {
  const known = f.file !== '' && f.file !== '???';
  return {
    name: f.name,
    ...(known ? { file: f.file } : {}),
    ...(f.object !== '' ? { module: f.object } : {}),
  };
}

/** A non-negative integer in decimal or `0x` hex; NaN otherwise. */
function parseUnsigned(s: string): number {
  if (/^\d+$/.test(s)) return Number(s);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return Number.parseInt(s.slice(2), 16);
  return Number.NaN;
}

function lineProblem(line: string, costLines: number): string {
  if (line.includes('\u0000') || line.includes('\ufffd')) return 'binary data, not text';
  return `${costLines === 0 ? 'not a callgrind header or cost line' : 'unexpected line'}: "${clip(line)}"`;
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}
