// Public surface of models/: the pure domain (vocabulary, control catalogue, workflow format).
export * from './vocabulary.ts';
export * from './catalogue/frameworks.ts';
export * from './catalogue/types.ts';
export * from './catalogue/controls.ts';
export * from './catalogue/mappingChanges.ts';
export * from './displayText.ts';
export * from './files.ts';
export * from './workflow/schema.ts';
export * from './workflow/types.ts';
export * from './workflow/load.ts';
export * from './workflow/compile.ts';
export * from './lint.ts';
export * from './graphLayout.ts';
