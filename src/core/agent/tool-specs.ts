import { z } from 'zod';

/**
 * The agent tools (issue #18): their names, descriptions and input schemas, in one place for
 * both the editor's language-model tools (`src/vscode/lm-tools.ts`, declared again in
 * package.json `contributes.languageModelTools`; a unit test keeps the two equal) and the
 * MCP server (`src/cli/mcp-command.ts`). Every input object is strict: an unknown key is an
 * input error, never silently ignored.
 */

/** How many functions to list (1-50), with the tool's own description. */
const topFunctions = (description: string) =>
  z.number().int().min(1).max(50).optional().describe(description);

/** A filter on function names (the hotspots and compare tools). */
const nameFilter = z
  .string()
  .min(1)
  .max(200)
  .optional()
  .describe('Only functions whose name contains this text (case-insensitive).');

/** The plan a tool reads or ticks (the plan and tick task tools). */
const planPath = z
  .string()
  .min(1)
  .max(500)
  .optional()
  .describe('Workspace-relative path of the plan (default: the loaded plan).');

/** Input of the hotspots tool. */
export const hotspotsInput = z
  .object({
    top: topFunctions('How many functions to list (1-50, default 10).'),
    file: z
      .string()
      .min(1)
      .max(500)
      .optional()
      .describe('Only functions defined in this workspace-relative file, e.g. "src/main.rs".'),
    name: nameFilter,
  })
  .strict();

/** Input of the plan tool. */
export const planInput = z
  .object({
    plan: planPath,
    maxTasks: z
      .number()
      .int()
      .min(1)
      .max(200)
      .optional()
      .describe('How many tasks to list (1-200, default 60); open tasks first when cut.'),
  })
  .strict();

/** Input of the compare tool. */
export const compareInput = z
  .object({
    top: topFunctions('How many functions to list, biggest change of total first (1-50, default 10).'),
    name: nameFilter,
  })
  .strict();

/** Input of the tick task tool. */
export const tickTaskInput = z
  .object({
    line: z
      .number()
      .int()
      .min(1)
      .describe('The 1-based line of the task in the plan, as the plan tool lists it.'),
    done: z.boolean().describe('true ticks the task ([x]), false unticks it ([ ]).'),
    text: z
      .string()
      .min(1)
      .max(1000)
      .optional()
      .describe('The task text as the plan tool lists it; when given, it must match the task on that line.'),
    plan: planPath,
  })
  .strict();

/** Parsed input of the hotspots tool. */
export type HotspotsInput = z.infer<typeof hotspotsInput>;
/** Parsed input of the plan tool. */
export type PlanInput = z.infer<typeof planInput>;
/** Parsed input of the compare tool. */
export type CompareInput = z.infer<typeof compareInput>;
/** Parsed input of the tick task tool. */
export type TickTaskInput = z.infer<typeof tickTaskInput>;

/** One agent tool: how the editor and the MCP server name, describe and validate it. */
export interface AgentToolSpec {
  /** Name of the language-model tool (package.json `languageModelTools[].name`). */
  readonly lmName: string;
  /** Name of the MCP tool. */
  readonly mcpName: string;
  /** `#name` users type in chat (`toolReferenceName`). */
  readonly referenceName: string;
  /** Short title for people. */
  readonly title: string;
  /** What the tool does and returns, written for a model. */
  readonly modelDescription: string;
  /** What the tool does, written for people. */
  readonly userDescription: string;
  /** The input schema (zod; package.json holds its JSON Schema). */
  readonly input: z.ZodObject;
  /** True when the tool only reads (no confirmation; available in Restricted Mode). */
  readonly readOnly: boolean;
}

const ANSWER = 'Answers are compact JSON; paths are relative to the workspace folder; lines are 1-based.';

/** The four tools, by a short key. */
export const AGENT_TOOLS = {
  hotspots: {
    lmName: 'hotspotLens_hotspots',
    mcpName: 'hotspots',
    referenceName: 'hotspots',
    title: 'Profile hotspots',
    modelDescription: `Lists the hottest functions of the loaded CPU profile, mapped onto the workspace source: for each, self time, self time including the library code it calls, and total time (in the profile's unit, e.g. samples or nanoseconds, and as percent of the profile total), its file:line, a hint about what the time is spent on, and the optimization plan section that covers it. Ranked by self time including libraries. Optionally only the functions of one file or whose name contains a text. Use it before optimizing, to know where time goes. ${ANSWER}`,
    userDescription:
      'The hottest functions of the loaded profile, with self and total time, location, hint and plan section.',
    input: hotspotsInput,
    readOnly: true,
  },
  plan: {
    lmName: 'hotspotLens_plan',
    mcpName: 'plan',
    referenceName: 'optimizationPlan',
    title: 'Optimization plan',
    modelDescription: `Reads the optimization plan (a Markdown file with phases and task checklists): progress, phases with their done/total task counts, tasks with their state and line, the next open task, the implementation locations the plan names with whether each exists in the workspace, is planned as a new file or is not found, the hotspot claims ("foo is 40% of the time") and the expected gains. Use it to see what to do next and which tasks are done. ${ANSWER}`,
    userDescription:
      'The optimization plan: phases, tasks and their state, the next open task, locations and claims.',
    input: planInput,
    readOnly: true,
  },
  compare: {
    lmName: 'hotspotLens_compare',
    mcpName: 'compare',
    referenceName: 'compareProfiles',
    title: 'Compare with baseline',
    modelDescription: `Compares the loaded profile with the baseline profile (before vs after an optimization): the totals and their change, the functions whose total time changed most (before, after, change percent of the before value, improved/regressed/unchanged judged against sampling noise), the plan's hotspot claims then and now, and the plan's expected gains against the measured gain. Use it after re-profiling to check an optimization worked. ${ANSWER}`,
    userDescription:
      'The loaded profile against the baseline: totals, biggest changes, plan claims and expected gains.',
    input: compareInput,
    readOnly: true,
  },
  tickTask: {
    lmName: 'hotspotLens_tickTask',
    mcpName: 'tick_task',
    referenceName: 'tickPlanTask',
    title: 'Tick plan task',
    modelDescription: `Ticks (done: true) or unticks (done: false) one checkbox task of the optimization plan, identified by its line as the plan tool lists it (and optionally its text, checked). Only the character between the brackets changes; nothing else in the plan is touched. Refused, with the reason, when the line holds no checkbox task, the text does not match, or the task is a status-mark task. Tick a task only when its work is finished and verified. ${ANSWER}`,
    userDescription: 'Ticks or unticks one task of the optimization plan (asks you first).',
    input: tickTaskInput,
    readOnly: false,
  },
} as const satisfies Record<string, AgentToolSpec>;

/** A key of {@link AGENT_TOOLS}. */
export type AgentToolKey = keyof typeof AGENT_TOOLS;

/** An input the model should fix, or a state it should know about: its message is written for the model. */
export class AgentToolError extends Error {
  override readonly name = 'AgentToolError';
}

/**
 * Validates a tool's input against its schema.
 * @returns the parsed input (defaults not filled in: the answer functions apply them)
 * @throws AgentToolError naming each bad field and why (`top: Too big: expected number to be <=50`)
 */
export function parseToolInput<T extends z.ZodObject>(schema: T, raw: unknown): z.infer<T> {
  const r = schema.safeParse(raw ?? {});
  if (r.success) return r.data;
  throw new AgentToolError(`Invalid input: ${z.prettifyError(r.error).replace(/\n/g, ' ')}`);
}
