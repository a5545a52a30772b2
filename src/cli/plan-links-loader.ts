import path from 'node:path';
import { planSectionByFunction } from '../core/analysis/plan-links';
import type { ProfileAnalysis } from '../core/analysis/types';
import { parsePlan } from '../core/plan';
import type { CliIo } from './cli-io';

/**
 * Reads and parses a plan for `report --plan`, and returns the plan section that
 * covers each hot function (function key → section title).
 * @throws Error naming the file when it cannot be read
 */
export async function loadPlanLinks(
  planPath: string,
  root: string,
  analysis: ProfileAnalysis,
  io: CliIo,
): Promise<Map<string, string>> {
  let bytes: Uint8Array;
  try {
    bytes = await io.readFile(planPath);
  } catch (e) {
    throw new Error(`${planPath}: cannot read the plan (${(e as Error).message})`);
  }
  const text = new TextDecoder().decode(bytes);
  const plan = parsePlan(text, { file: path.basename(planPath) });
  const rel = path.relative(root, planPath).split(path.sep).join('/');
  return planSectionByFunction(analysis.hotspots, [{ file: rel, plan }]);
}
