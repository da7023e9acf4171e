// Public surface of scenarios/: attacker capabilities, the scenario format and its loader.
export { CAPABILITIES, CAPABILITY_IDS, type Capability } from '../models/index.ts';
export * from './schema.ts';
export * from './types.ts';
export * from './load.ts';
export * from './evaluate.ts';
export * from './replay.ts';
