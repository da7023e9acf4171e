import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Workspace, WorkspaceError } from '../../storage/index.ts';
import { deterministic, tempDir } from './helpers.ts';

const require = createRequire(import.meta.url);
const NODE_BUILD = join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');

describe('the native module (better-sqlite3)', () => {
  it('loads the Node build from node_modules by default (tests and CLI)', () => {
    const ws = Workspace.create(join(tempDir(), 'n.resetpath'), deterministic());
    expect(ws.schemaVersion).toBeGreaterThan(0);
    ws.close();
  });

  it('uses a build passed explicitly as nativeBinding, as the Electron main process does', () => {
    const path = join(tempDir(), 'n.resetpath');
    Workspace.create(path, { ...deterministic(), nativeBinding: NODE_BUILD }).close();
    const ws = Workspace.open(path, { ...deterministic(), nativeBinding: NODE_BUILD });
    expect(ws.verifyAudit().ok).toBe(true);
    ws.close();
  });

  it('explains a build that cannot be loaded (wrong runtime or missing) and points to the README', () => {
    const dir = tempDir();
    const path = join(dir, 'n.resetpath');
    Workspace.create(path, deterministic()).close();
    const fake = join(dir, 'better_sqlite3.node');
    writeFileSync(fake, 'not a shared library');
    for (const nativeBinding of [fake, join(dir, 'missing', 'better_sqlite3.node')]) {
      for (const run of [() => Workspace.open(path, { nativeBinding }), () => Workspace.create(join(dir, 'new.resetpath'), { nativeBinding })]) {
        let err: unknown;
        try {
          run().close();
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(WorkspaceError);
        expect((err as WorkspaceError).code).toBe('native-module');
        expect((err as WorkspaceError).message).toMatch(/cannot load the SQLite native module \(.*\); it was built for another runtime: see README "Native module \(better-sqlite3\)"$/);
      }
    }
  });
});
