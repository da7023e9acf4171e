// The service-desk simulation (issue 14): seeded replications of a desk handling legitimate and
// hostile reset requests through a workflow, and their Monte Carlo summary.
export * from './desk.ts';
export * from './hostile.ts';
export * from './legit.ts';
export * from './pressure.ts';
export * from './profile.ts';
export * from './random.ts';
export * from './stats.ts';
export * from './simulate.ts';
export * from './tradeoff.ts';
