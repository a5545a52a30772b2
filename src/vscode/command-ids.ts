/** Every command Hotspot Lens contributes, in one place (ids match package.json). */
export const CommandId = {
  compareWithBaseline: 'hotspotLens.compareWithBaseline',
  useCurrentAsBaseline: 'hotspotLens.useCurrentAsBaseline',
  clearBaseline: 'hotspotLens.clearBaseline',
  hotspotsShowChanges: 'hotspotLens.hotspots.showChanges',
  hotspotsShowHotspots: 'hotspotLens.hotspots.showHotspots',
  loadProfile: 'hotspotLens.loadProfile',
  loadPlan: 'hotspotLens.loadPlan',
  reload: 'hotspotLens.reload',
  clear: 'hotspotLens.clear',
  toggleAnnotations: 'hotspotLens.toggleAnnotations',
  showOutput: 'hotspotLens.showOutput',
  showHotspots: 'hotspotLens.showHotspots',
  showActions: 'hotspotLens.showActions',
  hotspotsSortBySelfInclLibraries: 'hotspotLens.hotspots.sortBySelfInclLibraries',
  hotspotsSortBySelf: 'hotspotLens.hotspots.sortBySelf',
  hotspotsSortByTotal: 'hotspotLens.hotspots.sortByTotal',
  hotspotsGroupByCategory: 'hotspotLens.hotspots.groupByCategory',
  hotspotsGroupByFile: 'hotspotLens.hotspots.groupByFile',
  hotspotsGroupNone: 'hotspotLens.hotspots.groupNone',
  hotspotsToggleOnlyMyCode: 'hotspotLens.hotspots.toggleOnlyMyCode',
  hotspotsFilter: 'hotspotLens.hotspots.filter',
  planRevealTask: 'hotspotLens.plan.revealTask',
  planOpenLocation: 'hotspotLens.plan.openLocation',
  planFindFile: 'hotspotLens.plan.findFile',
  planRevealSection: 'hotspotLens.plan.revealSection',
  openFunction: 'hotspotLens.openFunction',
  showFlameGraph: 'hotspotLens.showFlameGraph',
  flameGraphFocusFunction: 'hotspotLens.flameGraph.focusFunction',
  flameGraphCompareWith: 'hotspotLens.flameGraph.compareWith',
  recordProfile: 'hotspotLens.recordProfile',
  showRecordings: 'hotspotLens.showRecordings',
} as const;

/** View ids (match package.json `contributes.views`). */
export const ViewId = {
  plan: 'hotspotLens.plan',
  hotspots: 'hotspotLens.hotspots',
} as const;

/** Context keys set with `setContext` (used in package.json `when` clauses). */
export const ContextKey = {
  profileLoaded: 'hotspotLens.profileLoaded',
  /** A baseline profile is set. */
  baselineSet: 'hotspotLens.baselineSet',
  /** A baseline and a profile are both loaded: there is a comparison. */
  comparing: 'hotspotLens.comparing',
  planLoaded: 'hotspotLens.planLoaded',
  hotspotsSort: 'hotspotLens.hotspotsSort',
  /** `hotspots` or `changes` (vs the baseline). */
  hotspotsMode: 'hotspotLens.hotspotsMode',
} as const;
