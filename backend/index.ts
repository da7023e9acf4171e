// Public surface of backend/: file I/O for models and the services the CLI, the Electron main
// process and the browser-mode host call.
export * from './library.ts';
export * from './simulation.ts';
export * from './analysisService.ts';
export { analysisHeapFlag, analysisWorkerLimits, ANALYSIS_SEMI_SPACE_MB } from './heap.ts';
export * from './service.ts';
export { toApiErrorBody } from './errors.ts';
export { createWorkspace, type CreateWorkspaceOptions, type WorkspaceBackup } from './workspaceFile.ts';
export * from './sampleWorkspace.ts';
export * from './http/security.ts';
export * from './http/host.ts';
export { readAccountability, reportFileName, reportWithWorkspace, signAccountabilityReport, type AccountabilityRun, type SignInput } from './accountability.ts';
export * from './report/index.ts';
