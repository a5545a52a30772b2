import type { CliCommand } from './cli-io';
import { diffCommand } from './diff-command';
import { planCommand } from './plan-command';
import { recordCommand } from './record-command';
import { reportCommand } from './report-command';

/**
 * The CLI's sub-commands by name. Each lives in its own module
 * (`plan-command.ts`, `report-command.ts`, `record-command.ts`) and is registered here.
 */
export const commands: Record<string, CliCommand> = {
  diff: diffCommand,
  plan: planCommand,
  record: recordCommand,
  report: reportCommand,
};
