// Public surface of analysis/: the exact analysis (state graph, path classes, attribution, control
// sets), campaigns of chained takeovers, counterfactual workflows for what-if, replay of what it found,
// the report document, the accountability report and the ATT&CK Navigator layer.
export * from './flow.ts';
export * from './cache.ts';
export * from './limits.ts';
export * from './channels.ts';
export * from './stateGraph.ts';
export * from './counterfactual.ts';
export * from './counterfactuals.ts';
export * from './labels.ts';
export * from './classes.ts';
export * from './controlSets.ts';
export * from './examples.ts';
export * from './campaign.ts';
export * from './analyze.ts';
export * from './replayScenario.ts';
export * from './report.ts';
export * from './accountability.ts';
export * from './navigator.ts';
export * from './tabletop.ts';
export * from './simulation/index.ts';
