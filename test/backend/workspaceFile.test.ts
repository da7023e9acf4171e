import { existsSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWorkspace, type AppService } from '../../backend/index.ts';
import { ApiError } from '../../contract/index.ts';
import { workflowYaml } from '../storage/fixtures/models.ts';
import { auditLength, deterministic, newService, newWorkspace, tempDir } from './helpers.ts';

const canSymlink = process.platform !== 'win32';

/** The ApiError a call threw (fails the test if it did not throw one). */
async function refusal(fn: () => unknown): Promise<ApiError> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error('expected the call to be refused');
}

/** 200 KiB of text, different for each i. */
const pad = (i: number): string => String.fromCharCode(97 + i).repeat(200 * 1024);

/** A service whose workspace is large enough that the online backup takes many steps. */
async function largeService(): Promise<{ service: AppService; path: string; dir: string }> {
  const { service, path } = newService();
  for (let i = 0; i < 12; i++) await service.api['settings.set']({ key: `pad.${i}`, value: pad(i) });
  await service.api['workflow.save']({ fileName: 'wf.live.yaml', text: workflowYaml('wf.live', 'Live', 'revision 0') });
  return { service, path, dir: join(path, '..') };
}

describe('a new workspace', () => {
  it('is created empty at the chosen path, and opens for writing with only the bundled library listed', async () => {
    const dir = tempDir();
    const created = createWorkspace(join(dir, 'desk.resetpath'), deterministic());
    expect(created).toBe(join(dir, 'desk.resetpath'));
    const { service } = newService({ workspacePath: created });
    expect(await service.api['app.info']({})).toMatchObject({ workspacePath: created, readOnly: false });
    const lib = await service.api['library.list']({});
    expect(lib.workflows.length).toBeGreaterThan(0);
    expect([...lib.workflows, ...lib.scenarios].every((m) => m.source === 'bundled')).toBe(true);
    expect((await service.api['analysis.list']({})).runs).toEqual([]);
    // Its log holds the schema migrations and the creation, nothing else.
    const log = (await service.api['audit.log']({})).entries;
    expect(log.every((e) => e.entityType === 'workspace' && (e.action === 'migrate' || e.action === 'create'))).toBe(true);
    expect(log.at(-1)).toMatchObject({ entityId: 'desk.resetpath', action: 'create', user: 'alice' });
    await service.api['settings.set']({ key: 'ui.theme', value: 'dark' });
    expect(await service.api['audit.verify']({})).toMatchObject({ ok: true, entries: log.length + 1 });
  });

  it('refuses a path where a workspace, any other file or a dangling symlink already is, and leaves it untouched', async () => {
    const dir = tempDir();
    const workspace = newWorkspace(dir);
    const before = readFileSync(workspace);
    const notes = join(dir, 'notes.resetpath');
    writeFileSync(notes, 'keep me');
    const targets = [workspace, notes];
    if (canSymlink) {
      symlinkSync(join(dir, 'gone.resetpath'), join(dir, 'dangling.resetpath'));
      targets.push(join(dir, 'dangling.resetpath'));
    }
    for (const target of targets) {
      const e = await refusal(() => createWorkspace(target, deterministic()));
      expect(e.code).toBe('conflict');
      expect(e.message).toBe(`${target}: already exists; a new workspace never replaces a file, so choose another name or open this one`);
    }
    expect(readFileSync(workspace).equals(before)).toBe(true);
    expect(readFileSync(notes, 'utf8')).toBe('keep me');
    expect(existsSync(join(dir, 'gone.resetpath'))).toBe(false);
  });

  it('refuses the path of the workspace that is open, without disturbing it', async () => {
    const { service, path } = newService();
    const before = await auditLength(service);
    expect((await refusal(() => createWorkspace(path))).code).toBe('conflict');
    await service.api['settings.set']({ key: 'still', value: 'writable' });
    expect(await auditLength(service)).toBe(before + 1);
  });

  it('refuses a folder that does not exist with not_found naming the folder', async () => {
    const missing = join(tempDir(), 'no-such-folder');
    const e = await refusal(() => createWorkspace(join(missing, 'a.resetpath')));
    expect(e.code).toBe('not_found');
    expect(e.message).toContain(`folder ${missing} does not exist`);
    expect(existsSync(missing)).toBe(false);
  });

  it('takes a relative path from the working folder and returns it absolute', async () => {
    const dir = tempDir();
    const created = createWorkspace(relative(process.cwd(), join(dir, 'rel.resetpath')));
    expect(created).toBe(join(dir, 'rel.resetpath'));
    expect(statSync(created).isFile()).toBe(true);
  });
});

describe('a backup of the open workspace', () => {
  it('is consistent and opens for writing even when taken while the service keeps writing', async () => {
    const { service, dir } = await largeService();
    let writing = true;
    let writtenDuring = 0;
    const writer = (async () => {
      // Each round writes a setting and a revision that belong together; a consistent copy holds
      // both or neither of every round.
      for (let i = 1; writing; i++) {
        await service.api['settings.set']({ key: 'round', value: i });
        await service.api['workflow.save']({ fileName: 'wf.live.yaml', text: workflowYaml('wf.live', 'Live', `revision ${i}`) });
        writtenDuring = i;
        await new Promise((r) => setImmediate(r));
      }
    })();
    const dest = join(dir, 'copy.resetpath');
    const result = await service.backup(dest);
    writing = false;
    await writer;
    expect(writtenDuring).toBeGreaterThan(2);
    expect(result).toMatchObject({ path: dest, bytes: statSync(dest).size });
    expect(result.bytes).toBeGreaterThan(12 * 200 * 1024);

    const { service: copy } = newService({ workspacePath: dest });
    expect(await copy.api['audit.verify']({})).toEqual({ ok: true, entries: result.auditHead.seq, firstBad: null });
    const round = ((await copy.api['settings.get']({ key: 'round' })).value as number | null) ?? 0;
    expect(round).toBeLessThanOrEqual(writtenDuring);
    expect((await copy.api['workflow.history']({ id: 'wf.live' })).revisions).toHaveLength(round + 1);
    expect((await copy.api['settings.get']({ key: 'pad.11' })).value).toBe(pad(11));
    // The copy is a workspace of its own: writable, and its chain goes on from the copied head.
    await copy.api['settings.set']({ key: 'in.copy', value: true });
    expect(await copy.api['audit.verify']({})).toMatchObject({ ok: true, entries: result.auditHead.seq + 1 });
    expect((await service.api['settings.get']({ key: 'in.copy' })).value).toBeNull();
    expect((await service.api['audit.verify']({})).ok).toBe(true);
  });

  it('copies a workspace open read-only because another service holds its writer lock, and the copy opens for writing', async () => {
    const { path, dir } = await largeService();
    const { service: reader } = newService({ workspacePath: path, readOnly: true });
    const dest = join(dir, 'from-reader.resetpath');
    const result = await reader.backup(dest);
    const { service: copy } = newService({ workspacePath: dest });
    expect(await copy.api['app.info']({})).toMatchObject({ readOnly: false });
    expect(await copy.api['audit.verify']({})).toMatchObject({ ok: true, entries: result.auditHead.seq });
  });

  it('refuses the open workspace itself, by its own path, another spelling of it or a symlink to it, and changes nothing', async () => {
    const { service, path, dir } = await largeService();
    const before = readFileSync(path);
    const entries = await auditLength(service);
    const names = [path, join(dir, '.', 'sub', '..', 'test.resetpath')];
    if (canSymlink) {
      symlinkSync(path, join(dir, 'link.resetpath'));
      names.push(join(dir, 'link.resetpath'));
    }
    for (const name of names) {
      const e = await refusal(() => service.backup(name));
      expect(e.code).toBe('conflict');
      expect(e.message).toMatch(/: is the workspace that is open, and every change is already saved in it; choose a new file name for the copy$/);
    }
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(await auditLength(service)).toBe(entries);
    expect((await service.api['audit.verify']({})).ok).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('refuses an existing file and a missing folder, leaving no partial file behind', async () => {
    const { service, dir } = await largeService();
    const other = join(dir, 'other.resetpath');
    writeFileSync(other, 'keep me');
    const existing = await refusal(() => service.backup(other));
    expect(existing).toMatchObject({ code: 'conflict', message: `${other}: already exists; a copy never replaces a file, so choose a new file name` });
    expect(readFileSync(other, 'utf8')).toBe('keep me');
    const missing = await refusal(() => service.backup(join(dir, 'no-such-folder', 'b.resetpath')));
    expect(missing.code).toBe('not_found');
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('refuses with conflict once the service is closed', async () => {
    const { service, path } = newService();
    service.close();
    const e = await refusal(() => service.backup(join(path, '..', 'late.resetpath')));
    expect(e.code).toBe('conflict');
    expect(e.message).toContain('closed');
  });
});
