#!/usr/bin/env node
/**
 * The `hotspot-lens` command line: the same engine as the editor, in a terminal.
 *
 *   hotspot-lens plan FILE [--json]
 *   hotspot-lens report --profile FILE [--plan FILE] [--root DIR] [--top N] [--json]
 *   hotspot-lens diff --baseline FILE --profile FILE [--root DIR] [--plan FILE] [--top N] [--json]
 *                     [--fail-on-regression PCT] [--folded OUT] [--normalize auto|absolute|share]
 *   hotspot-lens mcp --root DIR [--profile FILE] [--baseline FILE] [--plan FILE] [--read-only]
 *   hotspot-lens record [--profiler perf|node|callgrind|go|custom] [--out FILE] [--dir DIR] [--keep N]
 *                       [--root DIR] [--event EVENT] [--call-graph fp|dwarf] [--build "COMMAND"] [--json] -- COMMAND…
 *
 * Exit codes: 0 success, 1 bad input (the message names the file and the problem) or a failed
 * recording (the message says why and how to fix it), 2 usage error,
 * 3 `diff --fail-on-regression`: a workspace function regressed.
 */
import fs from 'node:fs/promises';
import type { CliCommand, CliIo } from './cli-io';
import { commands } from './commands';

const USAGE = `Usage:
  hotspot-lens plan FILE [--json]
  hotspot-lens report --profile FILE [--plan FILE] [--root DIR] [--top N] [--json]
  hotspot-lens diff --baseline FILE --profile FILE [--root DIR] [--plan FILE] [--top N] [--json]
                    [--fail-on-regression PCT] [--folded OUT] [--normalize auto|absolute|share]
  hotspot-lens mcp --root DIR [--profile FILE] [--baseline FILE] [--plan FILE] [--read-only]
                    (an MCP server over stdio for coding agents)
  hotspot-lens record [--profiler perf|node|callgrind|go|custom] [--out FILE] [--dir DIR] [--keep N]
                      [--root DIR] [--event EVENT] [--call-graph fp|dwarf] [--build "COMMAND"] [--json] -- COMMAND…
`;

async function main(argv: readonly string[]): Promise<number> {
  const io: CliIo = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readFile: async (p) => new Uint8Array(await fs.readFile(p)),
    cwd: process.cwd(),
  };
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    io.stdout(USAGE);
    return name ? 0 : 2;
  }
  const command: CliCommand | undefined = commands[name];
  if (!command) {
    io.stderr(`hotspot-lens: unknown command "${name}"\n${USAGE}`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (e) {
    io.stderr(`hotspot-lens ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`hotspot-lens: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
