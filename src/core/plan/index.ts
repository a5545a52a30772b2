/**
 * Markdown optimization plans: parsing (`parsePlan`), progress (`planProgress`), ticking a
 * task (`planTaskToggle`) and corpus summaries (`planSummaryRow`, `formatPlanSummaryTable`).
 * Pure: no file system, no editor (the workspace's files come in as `workspaceFiles`).
 */
export { parsePlan } from './parse-plan';
export { planProgress } from './progress';
export { formatPlanSummaryTable, planSummaryRow } from './summary';
export { planTaskToggle } from './toggle';
export type * from './types';
