import { spawn, spawnSync } from 'node:child_process';
import { linkSync, renameSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../storage/index.ts';
import { workflowYaml } from './fixtures/models.ts';
import { deterministic, refusal, tempDir } from './helpers.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const HOLDER = join(ROOT, 'test', 'storage', 'fixtures', 'hold-lock.ts');

function created(): string {
  const path = join(tempDir(), 'locked.resetpath');
  Workspace.create(path, deterministic()).close();
  return path;
}

/** Starts a process that opens the workspace for writing and holds it; resolves once it holds it. */
async function holder(path: string): Promise<{ pid: number; kill: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx/esm', HOLDER, path], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  await new Promise<void>((res, rej) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('ready')) res();
    });
    void exited.then(() => rej(new Error(`holder exited: ${err}`)));
  });
  return {
    pid: child.pid!,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

describe('the single-writer lock', () => {
  it('refuses a second writer in another process with a message naming the holder', async () => {
    const path = created();
    const h = await holder(path);
    try {
      const e = refusal(() => Workspace.open(path, deterministic()));
      expect(e.code).toBe('locked');
      expect(e.message).toMatch(
        new RegExp(`^${path}: is already open for writing in another ResetPath process \\(pid ${h.pid}, user \\S+ on \\S+, since \\S+\\); close it there, or open the workspace read-only$`),
      );
    } finally {
      await h.kill();
    }
  });

  it('lets a refused writer open the workspace read-only instead', async () => {
    const path = created();
    const h = await holder(path);
    try {
      const ro = Workspace.open(path, { readOnly: true });
      expect(ro.verifyAudit().ok).toBe(true);
      ro.close();
    } finally {
      await h.kill();
    }
  });

  it('is released by a writer killed with SIGKILL, so a crash never locks users out', async () => {
    const path = created();
    const h = await holder(path);
    await h.kill();
    const ws = Workspace.open(path, deterministic());
    ws.saveWorkflowRevision({ text: workflowYaml('wf.after-crash') });
    ws.close();
  });

  it('refuses a second writer in the same process', () => {
    const path = created();
    const ws = Workspace.open(path, deterministic());
    const e = refusal(() => Workspace.open(path, deterministic()));
    expect(e.message).toMatch(/is already open for writing elsewhere in this process \(pid \d+/);
    ws.close();
    Workspace.open(path, deterministic()).close();
  });

  it('makes another process\'s writer attempt fail cleanly while this process writes', () => {
    const path = created();
    const ws = Workspace.open(path, deterministic());
    ws.setSetting('busy', true);
    const r = spawnSync(process.execPath, ['--import', 'tsx/esm', HOLDER, path, '--try'], { cwd: ROOT, encoding: 'utf8' });
    ws.close();
    expect(r.stdout).toMatch(new RegExp(`^locked: ${path}: is already open for writing in another ResetPath process \\(pid ${process.pid},`));
    expect(r.status).toBe(0);
  });

  it('refuses creating a workspace another process is creating or holding', async () => {
    const path = created();
    const h = await holder(path);
    try {
      expect(refusal(() => Workspace.create(path)).code).toBe('already-exists');
    } finally {
      await h.kill();
    }
  });
});

describe('the single-writer lock is taken on the file, not on the name it was opened by', () => {
  it('refuses a second writer through a symbolic link to the workspace, naming the holder and the name it holds it under', async () => {
    const path = created();
    const alias = join(tempDir(), 'alias.resetpath');
    symlinkSync(path, alias);
    const h = await holder(path);
    try {
      const e = refusal(() => Workspace.open(alias, deterministic()));
      expect(e.code).toBe('locked');
      expect(e.message).toMatch(new RegExp(`^${alias}: is already open for writing in another ResetPath process, under the name ${path} \\(pid ${h.pid}, `));
    } finally {
      await h.kill();
    }
  });

  it('refuses a second writer through a hard link made while the first writes, so two names never both write', async () => {
    const path = created();
    const h = await holder(path);
    const second = join(tempDir(), 'second-name.resetpath');
    linkSync(path, second);
    try {
      const e = refusal(() => Workspace.open(second, deterministic()));
      expect(['locked', 'hard-linked']).toContain(e.code);
      expect(e.message.startsWith(`${second}: `)).toBe(true);
    } finally {
      await h.kill();
    }
  });

  it('refuses a second writer on a workspace renamed while the first holds it open', async () => {
    const path = created();
    const h = await holder(path);
    const renamed = `${path}.renamed`;
    renameSync(path, renamed);
    try {
      expect(refusal(() => Workspace.open(renamed, deterministic())).code).toBe('locked');
    } finally {
      await h.kill();
    }
  });

  it('refuses a second writer in this process through a symbolic link', () => {
    const path = created();
    const alias = `${path}.alias`;
    symlinkSync(path, alias);
    const ws = Workspace.open(path, deterministic());
    try {
      expect(refusal(() => Workspace.open(alias, deterministic())).message).toMatch(/is already open for writing elsewhere in this process, under the name /);
    } finally {
      ws.close();
    }
    const viaAlias = Workspace.open(alias, deterministic());
    viaAlias.setSetting('written.through', 'the alias');
    viaAlias.close();
    const ro = Workspace.open(path, { readOnly: true });
    expect(ro.getSetting('written.through')).toBe('the alias');
    expect(ro.verifyAudit().ok).toBe(true);
    ro.close();
  });

  it('refuses to write a workspace that has a second name (hard link), saying why and what to do, and still opens it read-only', () => {
    const path = created();
    const second = `${path}.second`;
    linkSync(path, second);
    for (const name of [path, second]) {
      const e = refusal(() => Workspace.open(name, deterministic()));
      expect(e.code).toBe('hard-linked');
      expect(e.message).toBe(
        `${name}: is one file with 2 names (hard links); ResetPath writes a workspace through one name only, because SQLite keeps a write-ahead log per name and changes written through two names are lost. Remove the other name (find -samefile lists it) or open the workspace read-only`,
      );
    }
    const ro = Workspace.open(second, { readOnly: true });
    expect(ro.verifyAudit().ok).toBe(true);
    ro.close();
  });
});
