import type { CargoManifest } from '../mapping/cargo';
import { splitCommandLine } from './command-line';
import type { Workload } from './workload';

/**
 * Workloads offered from what the workspace holds: a Cargo package's binaries, a Node
 * package's scripts, a Go module's benchmarks. Each is a {@link Workload} that *Record Profile*
 * can run as is or save as a `"type": "hotspot-lens"` task in tasks.json.
 */

/**
 * A release build with debug info and frame pointers, through Cargo's environment (the user's
 * Cargo.toml is never edited): `CARGO_PROFILE_RELEASE_DEBUG=true` overrides `[profile.release]
 * debug`, `RUSTFLAGS` adds `-C force-frame-pointers=yes` (appended to the user's own RUSTFLAGS).
 */
export const CARGO_PROFILING_ENV: Readonly<Record<string, string>> = {
  CARGO_PROFILE_RELEASE_DEBUG: 'true',
  RUSTFLAGS: '-C force-frame-pointers=yes',
};

/**
 * Presets for a Cargo package: each binary target built in release with debug info and frame
 * pointers, then `perf record`ed (`target/release/NAME`, relative to the package's directory).
 * @param manifest the parsed Cargo.toml (`parseCargoManifest`; `dir` '' for the workspace root)
 * @param cargo the cargo executable (setting `hotspotLens.record.cargoPath`; default `cargo`)
 * @returns one workload per binary, in the manifest's order; none for a library-only package
 */
export function cargoPresets(manifest: CargoManifest, cargo = 'cargo'): Workload[] {
  const bins = manifest.crates.filter((c) => c.kind === 'bin');
  return bins.map((c) => {
    // the binary's file name keeps the target's dashes; its crate name has underscores
    const name = binaryName(manifest, c.crate);
    return {
      label: `cargo: ${name} (release + debug info, perf)`,
      profiler: 'perf' as const,
      command: [`target/release/${name}`],
      ...(manifest.dir ? { cwd: manifest.dir } : {}),
      build: [cargo, 'build', '--release', '--bin', name],
      buildEnv: CARGO_PROFILING_ENV,
    };
  });
}

function binaryName(manifest: CargoManifest, crate: string): string {
  const pkg = manifest.packageName;
  if (pkg && pkg.replace(/-/g, '_') === crate) return pkg;
  return crate;
}

/**
 * Presets for a Node package: its `main` run with `node --cpu-prof`, and each of its npm
 * scripts, run directly with node when the script is a plain `node …` command line, else
 * through `npm run NAME` (every node process it starts writes a profile; the largest is kept).
 * @param packageJsonText the package.json's text
 * @param where names it in the error (`package.json`)
 * @throws Error naming `where` when it is not JSON
 */
export function nodePresets(packageJsonText: string, where = 'package.json'): Workload[] {
  let pkg: { main?: unknown; scripts?: unknown };
  try {
    pkg = JSON.parse(packageJsonText) as typeof pkg;
  } catch (e) {
    throw new Error(`${where} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const out: Workload[] = [];
  if (typeof pkg.main === 'string' && /\.[cm]?js$/.test(pkg.main))
    out.push({ label: `node: ${pkg.main} (--cpu-prof)`, profiler: 'node', command: ['node', pkg.main] });
  const scripts = typeof pkg.scripts === 'object' && pkg.scripts !== null ? pkg.scripts : {};
  for (const [name, script] of Object.entries(scripts)) {
    if (typeof script !== 'string') continue;
    let argv: string[] | undefined;
    try {
      argv = splitCommandLine(script);
    } catch {
      argv = undefined; // pipes, variables, `&&`: npm's shell runs it
    }
    out.push(
      argv && argv[0] === 'node'
        ? { label: `npm script "${name}": ${script} (--cpu-prof)`, profiler: 'node', command: argv }
        : {
            label: `npm script "${name}" (npm run ${name}, --cpu-prof)`,
            profiler: 'node',
            command: ['npm', 'run', name],
          },
    );
  }
  return out;
}

/**
 * The preset for a Go module: the benchmarks of the module's root package
 * (`go test -run '^$' -bench .`, with `-cpuprofile` added when recording).
 * @param goModText the go.mod's text (its `module` line names the label)
 */
export function goPresets(goModText: string): Workload[] {
  const module = /^module\s+(\S+)/m.exec(goModText)?.[1] ?? 'module';
  return [
    {
      label: `go: benchmarks of ${module} (go test -bench, -cpuprofile)`,
      profiler: 'go',
      command: ['go', 'test', '-run', '^$', '-bench', '.', '.'],
    },
  ];
}

/**
 * A workload as a tasks.json task definition (`"type": "hotspot-lens"`), ready to be written
 * into `tasks` (only the fields set; argv arrays kept as arrays, so nothing needs quoting).
 */
export function toTaskDefinition(w: Workload): Record<string, unknown> {
  const def: Record<string, unknown> = { type: 'hotspot-lens', label: w.label, profiler: w.profiler };
  def.command = [...w.command];
  if (w.cwd !== undefined) def.cwd = w.cwd;
  if (w.env) def.env = { ...w.env };
  if (w.build) def.build = [...w.build];
  if (w.buildEnv) def.buildEnv = { ...w.buildEnv };
  if (w.event) def.event = w.event;
  if (w.frequency) def.frequency = w.frequency;
  if (w.callGraph) def.callGraph = w.callGraph;
  if (w.extension) def.extension = w.extension;
  return def;
}
