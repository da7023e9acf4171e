// Shared helpers for backend tests: a service over a fresh temporary workspace with a
// deterministic clock, user and ids, and a captured log instead of stderr.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { createAppService, type AppService, type AppServiceOptions } from '../../backend/index.ts';
import { Workspace } from '../../storage/index.ts';

const dirs: string[] = [];
const open: AppService[] = [];

afterEach(() => {
  for (const s of open.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh temporary folder, removed after the test. */
export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'resetpath-backend-'));
  dirs.push(d);
  return d;
}

/** A clock that ticks one second per call, numbered ids and a fixed user. */
export function deterministic(user = 'alice'): { clock: () => Date; user: string; newId: () => string } {
  let t = Date.parse('2026-03-01T09:00:00Z');
  let n = 0;
  return { clock: () => new Date((t += 1000)), user, newId: () => `run-${String(++n).padStart(4, '0')}` };
}

/** Creates an empty workspace file and returns its path. */
export function newWorkspace(dir = tempDir()): string {
  const path = join(dir, 'test.resetpath');
  Workspace.create(path, deterministic()).close();
  return path;
}

/** A service over a new (or the given) workspace; `logs` collects what it would write to stderr. */
export function newService(opts: Partial<AppServiceOptions> = {}): { service: AppService; path: string; logs: string[] } {
  const logs: string[] = [];
  const path = opts.workspacePath ?? newWorkspace();
  const service = createAppService({ mode: 'browser', ...deterministic(), log: (l) => logs.push(l), ...opts, workspacePath: path });
  open.push(service);
  return { service, path, logs };
}

/** Number of entries in the workspace's audit log, read through the service. */
export async function auditLength(service: AppService): Promise<number> {
  return (await service.api['audit.verify']({})).entries;
}
