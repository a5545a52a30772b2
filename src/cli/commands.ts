import type { CliCommand } from './cli-io';
import { diffCommand } from './diff-command';
import { planCommand } from './plan-command';
import { recordCommand } from './record-command';
import { reportCommand } from './report-command';

/**
 * The CLI's sub-commands by name. Each lives in its own module
 * (`plan-command.ts`, `report-command.ts`, `mcp-command.ts`, `record-command.ts`, …) and is registered here.
 */
export const commands: Record<string, CliCommand> = {
  diff: diffCommand,
  // loaded on use: the MCP SDK stays out of the other commands' start-up
  mcp: async (args, io) => (await import('./mcp-command')).mcpCommand(args, io),
  plan: planCommand,
  record: recordCommand,
  report: reportCommand,
};
