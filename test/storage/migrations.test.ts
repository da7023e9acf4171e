import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, migrationChecksum, Workspace, type Migration } from '../../storage/index.ts';
import { workflowYaml } from './fixtures/models.ts';
import { contentDigest, deterministic, raw, refusal, tempDir } from './helpers.ts';

function created(migrations: readonly Migration[] = MIGRATIONS): string {
  const path = join(tempDir(), 'm.resetpath');
  const ws = Workspace.create(path, { ...deterministic(), migrations });
  ws.close();
  return path;
}

describe('migrations', () => {
  it('are numbered 1, 2, 3, ... in order', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('are append-only: shipped migrations keep their name and checksum forever', () => {
    // Changing a line here means a shipped migration was edited; append a new migration instead.
    expect(MIGRATIONS.slice(0, 6).map((m) => `${m.version} ${m.name} ${migrationChecksum(m)}`)).toEqual([
      '1 audit-log-and-settings 15be66914c14a9f75eb32dc892444c77eff8c1b585c12ca18a9621120828d2f1',
      '2 workflows-and-scenarios 6902be2bffd1624a22826aea7a7f1a360ffbb5efb0bc51d8948b6cf4615689c9',
      '3 runs-and-reports bff7ebcf286a4878c083278624548a6232733a7e858912390fd9ec5ffacdeb0c',
      '4 tabletop-sessions a1af1cc41f942475896a8fff476117c06ee5a55e444d02a4e87e29f30cc50fcc',
      '5 tabletop-exercises 4a7c99597e5abbbe753b6ba73694a81a7d9671a02016e06bc36c5f2747b0476f',
      '6 accountability cf18a72bdb99c8815e0f22db528be65a43899bef1f01541a461bfccbb8b01908',
    ]);
  });

  it('upgrade a workspace written by an older ResetPath, keeping its data and auditing each step', () => {
    const path = created(MIGRATIONS.slice(0, 2));
    const old = Workspace.open(path, { ...deterministic(), migrations: MIGRATIONS.slice(0, 2) });
    old.saveWorkflowRevision({ text: workflowYaml('wf.kept') });
    old.close();
    const ws = Workspace.open(path, deterministic());
    expect(ws.schemaVersion).toBe(MIGRATIONS.length);
    expect(ws.getWorkflow('wf.kept')?.revision).toBe(1);
    expect(ws.auditLog({ limit: 2 }).map((e) => [e.action, e.after])).toEqual([
      ['migrate', expect.objectContaining({ version: 5, name: 'tabletop-exercises' })],
      ['migrate', expect.objectContaining({ version: 6, name: 'accountability' })],
    ]);
    expect(ws.verifyAudit().ok).toBe(true);
    ws.close();
  });

  it('refuse to open an older workspace read-only, since upgrading needs a write', () => {
    const path = created(MIGRATIONS.slice(0, 3));
    expect(refusal(() => Workspace.open(path, { readOnly: true })).message).toBe(
      `${path}: was written by an older ResetPath (schema version 3 of 6); open it once for writing to upgrade it`,
    );
  });

  it('refuse a workspace whose applied migration was edited since, naming the migration', () => {
    const path = created();
    const digest = contentDigest(path);
    const edited = MIGRATIONS.map((m) => (m.version === 2 ? { ...m, sql: `${m.sql}\n-- tweaked\n` } : m));
    const e = refusal(() => Workspace.open(path, { migrations: edited }));
    expect(e.code).toBe('migration-mismatch');
    expect(e.message).toMatch(
      new RegExp(`^${path}: schema history does not match this ResetPath: applied migration 2 \\("workflows-and-scenarios"\\) has checksum [0-9a-f]{12} but this ResetPath's has [0-9a-f]{12}; refusing to open$`),
    );
    expect(contentDigest(path)).toBe(digest);
  });

  it('refuse a workspace whose applied migration has another name', () => {
    const path = created();
    const renamed = MIGRATIONS.map((m) => (m.version === 3 ? { ...m, name: 'runs' } : m));
    expect(refusal(() => Workspace.open(path, { migrations: renamed })).message).toMatch(/applied migration 3 is "runs-and-reports" but this ResetPath's migration 3 is "runs"/);
  });

  it('refuse a recorded history with a gap', () => {
    const path = created();
    const db = raw(path);
    db.prepare('DELETE FROM schema_migrations WHERE version = 2').run();
    db.close();
    const e = refusal(() => Workspace.open(path));
    expect(e.code).toBe('migration-mismatch');
    expect(e.message).toMatch(/recorded migration #2 is version 3 \("runs-and-reports"\) where version 2 \("workflows-and-scenarios"\) was expected/);
  });

  it('refuse a recorded history whose checksum was altered', () => {
    const path = created();
    const db = raw(path);
    db.prepare("UPDATE schema_migrations SET checksum = 'abc' WHERE version = 1").run();
    db.close();
    expect(refusal(() => Workspace.open(path)).message).toMatch(/applied migration 1 \("audit-log-and-settings"\) has checksum abc/);
  });

  it('refuse a workspace that lost its history table', () => {
    const path = created();
    const db = raw(path);
    db.exec('DROP TABLE schema_migrations');
    db.close();
    const e = refusal(() => Workspace.open(path));
    expect(e.code).toBe('damaged');
    expect(e.message).toMatch(/without its schema history/);
  });

  it('roll back a failing migration completely and say where the workspace stands', () => {
    const path = created();
    const digest = contentDigest(path);
    const broken = [...MIGRATIONS, { version: 7, name: 'broken', sql: 'CREATE TABLE ok_part (x INTEGER); CREATE TABLE oops (' }];
    const e = refusal(() => Workspace.open(path, { migrations: broken }));
    expect(e.message).toMatch(/migration 7 \("broken"\) failed and was rolled back; the workspace stays at schema version 6 \(incomplete input\)$/);
    expect(contentDigest(path)).toBe(digest);
    const ws = Workspace.open(path);
    expect(ws.schemaVersion).toBe(6);
    ws.close();
    expect(readFileSync(path).length).toBeGreaterThan(0);
  });
});
