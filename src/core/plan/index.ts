/**
 * Markdown optimization plans: parsing (`parsePlan`), progress (`planProgress`) and
 * ticking a task (`planTaskToggle`). Pure: no file system, no editor.
 */
export { parsePlan } from './parse-plan';
export { planProgress } from './progress';
export { planTaskToggle } from './toggle';
export type * from './types';
