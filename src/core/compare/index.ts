/**
 * Before and after (issue #14): compare two profiles and check a plan against the new one.
 * Pure: takes data, returns data.
 */
export { callTreeNode, compareProfiles, compareWeights, figureOf } from './compare-profiles';
export { differentialFolded } from './differential-folded';
export {
  type ClaimCheck,
  checkPlan,
  type GainCheck,
  type GainVerdict,
  type PlanCheck,
} from './plan-check';
export { workspaceRegressions } from './regressions';
export {
  comparableName,
  measureOf,
  type SnapshotOptions,
  type SnapshotProfileOptions,
  snapshotFromMapping,
  snapshotProfile,
  workspaceFunctionKey,
} from './snapshot';
export type * from './types';
