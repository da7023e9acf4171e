import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../storage/index.ts';
import { workflowYaml } from './fixtures/models.ts';
import { deterministic, tempDir } from './helpers.ts';

/** A workspace large enough that the online backup takes many steps. */
function large(): { ws: Workspace; path: string; dir: string } {
  const dir = tempDir();
  const path = join(dir, 'big.resetpath');
  const ws = Workspace.create(path, deterministic());
  ws.saveWorkflowRevision({ text: workflowYaml('wf.one') });
  for (let i = 0; i < 300; i++) ws.saveRun({ kind: 'analysis', workflow: { id: 'wf.one', revision: 1 }, result: { i, trace: 'x'.repeat(10_000) } });
  return { ws, path, dir };
}

function checkCopy(path: string): Workspace {
  const copy = Workspace.open(path, { readOnly: true });
  expect(copy.integrityCheck()).toEqual([]);
  expect(copy.verifyAudit().firstBad).toBeUndefined();
  return copy;
}

describe('whole-workspace backup', () => {
  it('makes a consistent copy while the same process keeps writing', async () => {
    const { ws, dir } = large();
    const runsBefore = ws.countRuns();
    let writing = true;
    let writtenDuring = 0;
    const writer = (async () => {
      while (writing) {
        ws.saveRun({ kind: 'analysis', workflow: { id: 'wf.one', revision: 1 }, result: { during: writtenDuring } });
        ws.setSetting('last', writtenDuring);
        writtenDuring++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    const dest = join(dir, 'backup.resetpath');
    const result = await ws.backup(dest);
    writing = false;
    await writer;
    expect(writtenDuring).toBeGreaterThan(2);
    const copy = checkCopy(dest);
    expect(copy.countRuns()).toBeGreaterThanOrEqual(runsBefore);
    expect(copy.auditHead()).toEqual(result.auditHead);
    copy.close();
    ws.close();
  });

  it('makes a consistent copy from a read-only handle while a writer keeps writing', async () => {
    const { ws, path, dir } = large();
    const reader = Workspace.open(path, { readOnly: true });
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        ws.saveRun({ kind: 'analysis', workflow: { id: 'wf.one' }, result: { i, pad: 'y'.repeat(5000) } });
        await new Promise((r) => setImmediate(r));
      }
    })();
    const dest = join(dir, 'ro-backup.resetpath');
    await reader.backup(dest);
    writing = false;
    await writer;
    checkCopy(dest).close();
    reader.close();
    ws.close();
  });

  it('refuses to overwrite an existing file and leaves no partial file on failure', async () => {
    const { ws, dir } = large();
    const dest = join(dir, 'exists.resetpath');
    writeFileSync(dest, 'keep me');
    await expect(ws.backup(dest)).rejects.toThrow(/exists\.resetpath: already exists; choose a new backup file name/);
    await expect(ws.backup(join(dir, 'no-such-folder', 'b.resetpath'))).rejects.toThrow(/does not exist/);
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
    expect(existsSync(join(dir, 'no-such-folder'))).toBe(false);
    ws.close();
  });

  it('leaves only the copy in the destination folder: no -wal or -shm of the temporary file it was checked under', async () => {
    const dir = tempDir();
    const ws = Workspace.create(join(dir, 'small.resetpath'), deterministic());
    ws.setSetting('theme', 'dark');
    const out = tempDir();
    await ws.backup(join(out, 'copy.resetpath'));
    ws.close();
    expect(readdirSync(out)).toEqual(['copy.resetpath']);
  });
});
