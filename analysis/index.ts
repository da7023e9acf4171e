// Public surface of analysis/: exploration, counterfactuals, attribution, minimal sets, analysis.
export * from './explore.ts';
export * from './counterfactual.ts';
export * from './attribution.ts';
export * from './minimalSets.ts';
export * from './analyze.ts';
export * from './replayScenario.ts';
export * from './report.ts';
