import fs from 'node:fs/promises';
import path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import {
  compareAnswer,
  findTaskToTick,
  hotspotsAnswer,
  type LocationStatus,
  planAnswer,
  type TickAnswer,
  tickEdit,
} from '../core/agent/answers';
import { AGENT_TOOLS, AgentToolError, type AgentToolKey, parseToolInput } from '../core/agent/tool-specs';
import { workspaceRelativePath } from '../core/agent/workspace-path';
import { planSectionByFunction } from '../core/analysis/plan-links';
import type { ProfileAnalysis } from '../core/analysis/types';
import { checkPlan, compareProfiles } from '../core/compare';
import { parsePlan } from '../core/plan';
import { planJson } from '../core/plan/plan-json';
import type { Plan, PlanLocation } from '../core/plan/types';
import { analyzeFiles } from '../node/analyze-files';
import { WorkspaceIndexPool } from '../node/index-pool';
import { parseOptions } from './cli-args';
import type { CliCommand, CliIo } from './cli-io';
import { snapshotFiles } from './diff-command';

const USAGE =
  'usage: hotspot-lens mcp --root DIR [--profile FILE] [--baseline FILE] [--plan FILE] [--read-only]';

/** What the MCP server was started with: absolute paths. */
export interface McpOptions {
  readonly root: string;
  readonly profile?: string;
  readonly baseline?: string;
  readonly plan?: string;
  /** Leave out the tick task tool (the server never writes). */
  readonly readOnly: boolean;
}

/**
 * `hotspot-lens mcp`: an MCP server over stdio (`@modelcontextprotocol/sdk`) with the agent
 * tools of the editor (hotspots, plan, compare, tick_task; see `src/core/agent`), answering
 * from `--profile`, `--baseline` and `--plan`, mapped onto `--root`. Profiles are analysed on
 * first use and again when their file changes (a re-profile); the plan is read at each call.
 * Tool inputs name paths relative to the root only; ticking rewrites the plan atomically (a
 * temporary file renamed over it), refusing when the plan changed meanwhile.
 * stdout is the protocol channel: messages go to stderr. Runs until stdin closes; exit 0, or 2
 * for usage errors (before the server starts).
 */
export const mcpCommand: CliCommand = async (args, io) => {
  const o = parseOptions(args, {
    root: 'string',
    profile: 'string',
    baseline: 'string',
    plan: 'string',
    'read-only': 'boolean',
  });
  if (typeof o === 'string') {
    io.stderr(`${o}\n${USAGE}\n`);
    return 2;
  }
  const abs = (p: string | undefined) => (p === undefined ? undefined : path.resolve(io.cwd, p));
  const options: McpOptions = {
    root: path.resolve(io.cwd, o.root ?? '.'),
    readOnly: o['read-only'] ?? false,
    ...(o.profile !== undefined ? { profile: abs(o.profile) } : {}),
    ...(o.baseline !== undefined ? { baseline: abs(o.baseline) } : {}),
    ...(o.plan !== undefined ? { plan: abs(o.plan) } : {}),
  };
  // the SDK is loaded only by this command: the other commands do not pay for it
  const { McpServer } = await import('@modelcontextprotocol/sdk/server/mcp.js');
  const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
  const tools = new AgentWorkspace(options);
  const server = new McpServer(
    { name: 'hotspot-lens', version: await packageVersion() },
    {
      instructions:
        'Hotspot Lens: the CPU profile of this workspace mapped onto its source (hotspots), the optimization plan (plan, tick_task) and the comparison with a baseline profile (compare). Answers are JSON; paths are workspace-relative; lines 1-based.',
    },
  );
  for (const key of Object.keys(AGENT_TOOLS) as AgentToolKey[]) {
    const spec = AGENT_TOOLS[key];
    if (!spec.readOnly && options.readOnly) continue;
    server.registerTool(
      spec.mcpName,
      {
        title: spec.title,
        description: spec.modelDescription,
        inputSchema: spec.input,
        annotations: {
          readOnlyHint: spec.readOnly,
          destructiveHint: false,
          idempotentHint: true,
          openWorldHint: false,
        },
      },
      async (input: unknown): Promise<CallToolResult> => {
        try {
          const answer = await tools.call(key, input);
          return { content: [{ type: 'text', text: JSON.stringify(answer) }] };
        } catch (e) {
          if (!(e instanceof AgentToolError))
            io.stderr(
              `hotspot-lens mcp: ${spec.mcpName}: ${e instanceof Error ? (e.stack ?? e.message) : e}\n`,
            );
          return {
            content: [{ type: 'text', text: e instanceof Error ? e.message : String(e) }],
            isError: true,
          };
        }
      },
    );
  }
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
    process.stdin.once('end', resolve);
  });
  await server.connect(transport);
  io.stderr(
    `hotspot-lens mcp: serving ${options.root} over stdio (profile: ${options.profile ?? 'none'}, baseline: ${options.baseline ?? 'none'}, plan: ${options.plan ?? 'none'}${options.readOnly ? ', read-only' : ''})\n`,
  );
  await closed;
  await server.close();
  return 0;
};

/** A file's identity for caching: changes when it is rewritten. */
async function stamp(file: string): Promise<string> {
  const s = await fs.stat(file);
  return `${s.size}:${s.mtimeMs}`;
}

/**
 * The MCP server's view of the workspace: the tools' answers from the files it was started
 * with (the same pipeline as `report`, `plan` and `diff`). Exported for tests.
 */
export class AgentWorkspace {
  private analysis: { stamp: string; analysis: ProfileAnalysis } | undefined;
  private comparison: { stamp: string; comparison: ReturnType<typeof compareProfiles> } | undefined;
  /** The workspace index, kept between analyses (a re-profile reads only the changed sources). */
  private readonly indexPool = new WorkspaceIndexPool();

  constructor(private readonly options: McpOptions) {}

  /**
   * Answers one tool call.
   * @param input the tool's arguments (validated here again: the answer functions trust them)
   * @throws AgentToolError for bad input or a missing profile, baseline or plan (the message is for the model)
   * @throws ImportError and file errors naming the file for unreadable profiles
   */
  async call(key: AgentToolKey, input: unknown): Promise<unknown> {
    switch (key) {
      case 'hotspots': {
        const i = parseToolInput(AGENT_TOOLS.hotspots.input, input);
        const profile = this.need(this.options.profile, 'profile');
        const analysis = await this.analyze(profile);
        const plan = await this.readPlan(undefined, false);
        const sections = plan
          ? planSectionByFunction(analysis.hotspots, [{ file: plan.file, plan: plan.plan }])
          : new Map<string, string>();
        return hotspotsAnswer(analysis, this.relative(profile), sections, i);
      }
      case 'plan': {
        const i = parseToolInput(AGENT_TOOLS.plan.input, input);
        const plan = (await this.readPlan(i.plan, true))!;
        const statuses = new Map<number, LocationStatus>();
        for (const loc of plan.plan.locations) statuses.set(loc.id, await this.locationStatus(loc));
        return planAnswer(plan.plan, plan.file, (loc) => statuses.get(loc.id) ?? 'not found', i);
      }
      case 'compare': {
        const i = parseToolInput(AGENT_TOOLS.compare.input, input);
        const profile = this.need(this.options.profile, 'profile');
        const baseline = this.need(this.options.baseline, 'baseline');
        const comparison = await this.compare(baseline, profile);
        const plan = await this.readPlan(undefined, false);
        const check = plan ? checkPlan(comparison, plan.plan) : { claims: [], gains: [] };
        return compareAnswer(
          comparison,
          check,
          { baseline: this.relative(baseline), profile: this.relative(profile) },
          i,
        );
      }
      case 'tickTask':
        if (this.options.readOnly) throw new AgentToolError('This server is read-only (--read-only).');
        return this.tick(input);
    }
  }

  private need(file: string | undefined, what: 'profile' | 'baseline'): string {
    if (file) return file;
    throw new AgentToolError(
      `No ${what} was given: start the server with --${what} FILE (e.g. hotspot-lens mcp --root . --profile profiles/perf.folded${what === 'baseline' ? ' --baseline profiles/before.folded' : ''}).`,
    );
  }

  private async analyze(profile: string): Promise<ProfileAnalysis> {
    const s = await stamp(profile);
    if (this.analysis?.stamp !== s) {
      const { analysis } = await analyzeFiles({
        profilePath: profile,
        root: this.options.root,
        maxListed: 200,
        indexPool: this.indexPool,
      });
      this.analysis = { stamp: s, analysis };
    }
    return this.analysis.analysis;
  }

  private async compare(baseline: string, profile: string) {
    const s = `${await stamp(baseline)}|${await stamp(profile)}`;
    if (this.comparison?.stamp !== s) {
      const [b, c] = await snapshotFiles([baseline, profile], this.options.root, this.indexPool);
      this.comparison = { stamp: s, comparison: compareProfiles(b, c, { normalization: 'auto' }) };
    }
    return this.comparison.comparison;
  }

  /** A path relative to the root (`/`-separated); a file outside it by its name only. */
  private relative(file: string): string {
    const rel = path.relative(this.options.root, file);
    return rel.startsWith('..') || path.isAbsolute(rel) ? path.basename(file) : rel.split(path.sep).join('/');
  }

  /**
   * Resolves a workspace-relative path an agent gave, inside the root (also through symlinks).
   * @throws AgentToolError when it leaves the root
   */
  private async inside(rel: string): Promise<string> {
    const clean = workspaceRelativePath(rel);
    const abs = path.join(this.options.root, ...clean.split('/'));
    try {
      const [real, realRoot] = await Promise.all([fs.realpath(abs), fs.realpath(this.options.root)]);
      if (real !== realRoot && !real.startsWith(realRoot + path.sep))
        throw new AgentToolError(`"${rel}" leads outside the workspace folder (a symbolic link).`);
    } catch (e) {
      if (e instanceof AgentToolError) throw e;
      // does not exist: the caller reports it
    }
    return abs;
  }

  /**
   * Reads and parses the plan: the one an input names (workspace-relative), else `--plan`.
   * @returns undefined when there is none and `required` is false
   * @throws AgentToolError when required and missing, or the file is not a UTF-8 text plan
   */
  private async readPlan(
    wanted: string | undefined,
    required: boolean,
  ): Promise<
    { abs: string; file: string; text: string; bom: boolean; stamp: string; plan: Plan } | undefined
  > {
    const abs = wanted !== undefined ? await this.inside(wanted) : this.options.plan;
    if (!abs) {
      if (!required) return undefined;
      throw new AgentToolError(
        'No plan was given: start the server with --plan FILE, or name a plan (workspace-relative) in the input.',
      );
    }
    const file = this.relative(abs);
    let bytes: Uint8Array;
    let s: string;
    try {
      s = await stamp(abs);
      bytes = new Uint8Array(await fs.readFile(abs));
    } catch (e) {
      throw new AgentToolError(`Cannot read the plan ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`);
    }
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bom ? bytes.subarray(3) : bytes);
    } catch {
      throw new AgentToolError(`${file} is not a Markdown plan: it is not UTF-8 text.`);
    }
    if (text.includes('\u0000'))
      throw new AgentToolError(`${file} is not a Markdown plan: it contains NUL bytes (a binary file?).`);
    return { abs, file, text, bom, stamp: s, plan: parsePlan(text, { file: path.basename(abs) }) };
  }

  private async locationStatus(loc: PlanLocation): Promise<LocationStatus> {
    if (loc.isOutside) return 'outside the workspace';
    let abs: string;
    try {
      abs = await this.inside(loc.path);
    } catch {
      return 'outside the workspace';
    }
    try {
      await fs.stat(abs);
      return 'exists';
    } catch {
      return loc.isNew ? 'planned new' : 'not found';
    }
  }

  /**
   * Ticks or unticks a task: the Plan view's one-character edit (`planTaskToggle`), written
   * to a temporary file next to the plan and renamed over it, so a reader never sees a half
   * written plan; refused when the plan changed since it was read.
   */
  private async tick(raw: unknown): Promise<TickAnswer> {
    const input = parseToolInput(AGENT_TOOLS.tickTask.input, raw);
    const p = (await this.readPlan(input.plan, true))!;
    const task = findTaskToTick(p.plan, input);
    const edit = tickEdit(p.text, task, input.done);
    const next = p.text.slice(0, edit.offset) + edit.replacement + p.text.slice(edit.offset + edit.length);
    const answer = (plan: Plan, changed: boolean): TickAnswer => ({
      plan: p.file,
      task: { text: task.text, line: task.line },
      done: input.done,
      changed,
      progress: planJson(plan).progress,
    });
    if (next === p.text) return answer(p.plan, false);
    const after = parsePlan(next);
    const ticked = after.tasks.find((t) => t.line === task.line && t.text === task.text);
    if (ticked?.done !== input.done)
      throw new AgentToolError(
        `Ticking "${task.text}" would not change its state; the plan was not written.`,
      );
    const body = new TextEncoder().encode(next);
    const bytes = p.bom ? new Uint8Array([0xef, 0xbb, 0xbf, ...body]) : body;
    const tmp = path.join(path.dirname(p.abs), `.${path.basename(p.abs)}.hotspot-lens-${process.pid}.tmp`);
    const mode = (await fs.stat(p.abs)).mode;
    try {
      await fs.writeFile(tmp, bytes, { mode });
      if ((await stamp(p.abs)) !== p.stamp)
        throw new AgentToolError(
          `${p.file} changed while ticking; nothing was written: read the plan again.`,
        );
      await fs.rename(tmp, p.abs);
    } finally {
      await fs.rm(tmp, { force: true });
    }
    return answer(after, true);
  }
}

/** The package's version (for the server's `serverInfo`), or `0` when its package.json is not found. */
async function packageVersion(): Promise<string> {
  // dist/cli.js → ../package.json; src/cli/mcp-command.ts (tests) → ../../package.json
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(await fs.readFile(path.join(__dirname, rel), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'hotspot-lens' && pkg.version) return pkg.version;
    } catch {
      // try the next
    }
  }
  return '0';
}

export type { CliIo };
