// Public surface of contract/: the typed API between the UI and the backend.
export * from './api.ts';
export * from './tabletop.ts';
export * from './accountability.ts';
export * from './simulation.ts';
