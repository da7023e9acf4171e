// Verifying an evidence copy: a workspace on read-only media, in a folder this user may not write,
// or opened as immutable on purpose must open and verify without a byte changing and without any
// file appearing beside it (no -wal, -shm or lock file).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../storage/index.ts';
import { workflowYaml } from './fixtures/models.ts';
import { deterministic, refusal, tempDir } from './helpers.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const RUNNING_AS_ROOT = process.getuid?.() === 0;

/** A closed workspace with some history, alone in its own folder. */
function evidence(): string {
  const dir = join(tempDir(), 'evidence');
  mkdirSync(dir);
  const path = join(dir, 'case-42.resetpath');
  const ws = Workspace.create(path, deterministic());
  ws.saveWorkflowRevision({ text: workflowYaml('wf.one') });
  ws.setSetting('theme', 'dark');
  ws.saveRun({ kind: 'analysis', workflow: { id: 'wf.one', revision: 1 }, result: { paths: 3 } });
  ws.close();
  return path;
}

/** Every file in the folder with its bytes' hash and modification time. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir).sort()) {
    const p = join(dir, f);
    out[f] = `${createHash('sha256').update(readFileSync(p)).digest('hex')} ${statSync(p).mtimeMs}`;
  }
  return out;
}

/** Whether this machine lets a child make a private mount namespace (root with CAP_SYS_ADMIN). */
function canMountPrivately(): boolean {
  if (process.platform !== 'linux') return false;
  const r = spawnSync('unshare', ['-m', 'sh', '-c', 'mount -t tmpfs -o ro none /mnt'], { encoding: 'utf8' });
  return r.status === 0;
}

describe('opening a workspace as immutable evidence', () => {
  it('verifies and reads it without changing a byte or creating any file beside it', () => {
    const path = evidence();
    const before = snapshot(dirname(path));
    const ws = Workspace.open(path, { immutable: true });
    expect(ws.readOnly).toBe(true);
    expect(ws.immutable).toBe(true);
    expect(ws.verifyAudit()).toMatchObject({ ok: true, entries: 10 });
    expect(ws.listWorkflows().map((w) => w.id)).toEqual(['wf.one']);
    expect(ws.getSetting('theme')).toBe('dark');
    expect(() => ws.setSetting('theme', 'light')).toThrow(/is open read-only/);
    ws.close();
    expect(snapshot(dirname(path))).toEqual(before);
  });

  it('refuses a file whose write-ahead log holds changes, rather than show it without them', () => {
    const path = evidence();
    const writer = Workspace.open(path, deterministic());
    writer.setSetting('theme', 'light'); // committed to the -wal, not yet to the file
    try {
      const e = refusal(() => Workspace.open(path, { immutable: true }));
      expect(e.code).toBe('read-only');
      expect(e.message).toMatch(
        new RegExp(
          `^${path}: has a write-ahead log \\(case-42\\.resetpath-wal, \\d+ bytes\\) holding changes not yet in the file, and SQLite cannot read that log when it is opened as immutable evidence; copy the workspace together with its -wal and -shm files to a writable folder and open the copy$`,
        ),
      );
    } finally {
      writer.close();
    }
  });

  it('is read-only: asking for writing as well is refused', () => {
    const path = evidence();
    expect(refusal(() => Workspace.open(path, { immutable: true, readOnly: false })).code).toBe('invalid-input');
  });

  it('is what `resetpath audit verify --immutable` does', () => {
    const path = evidence();
    const before = snapshot(dirname(path));
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'resetpath.js'), 'audit', 'verify', path, '--immutable'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`^ok: ${path}: audit log verifies \\(10 entries\\); head 10:[0-9a-f]{64}\\n$`));
    expect(r.status).toBe(0);
    expect(snapshot(dirname(path))).toEqual(before);
  });
});

describe('opening a workspace where nothing can be written', () => {
  it.skipIf(RUNNING_AS_ROOT)('verifies a workspace in a folder this user may not write (mode 0555), creating nothing (skipped as root, which ignores permission bits)', () => {
    const path = evidence();
    const dir = dirname(path);
    const before = snapshot(dir);
    chmodSync(dir, 0o555);
    try {
      const ws = Workspace.open(path, { readOnly: true });
      expect(ws.immutable).toBe(true);
      expect(ws.verifyAudit().ok).toBe(true);
      ws.close();
      expect(refusal(() => Workspace.open(path, deterministic())).code).toBe('read-only');
    } finally {
      chmodSync(dir, 0o755);
    }
    expect(snapshot(dir)).toEqual(before);
  });

  it.runIf(canMountPrivately())('verifies a workspace on a read-only mount with `resetpath audit verify` (needs a private mount namespace: root with CAP_SYS_ADMIN)', () => {
    const path = evidence();
    const dir = dirname(path);
    const before = snapshot(dir);
    const mnt = join(tempDir(), 'mnt');
    mkdirSync(mnt);
    const copy = join(mnt, 'case-42.resetpath');
    // The mount exists only inside the child's own namespace and ends with it.
    const script = `mount --bind -o ro "$1" "$2" && exec "$3" "$4" audit verify "$5"`;
    const r = spawnSync('unshare', ['-m', 'sh', '-c', script, 'sh', dir, mnt, process.execPath, join(ROOT, 'bin', 'resetpath.js'), copy], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`^ok: ${copy}: audit log verifies \\(10 entries\\); head 10:[0-9a-f]{64}\\n$`));
    expect(r.status).toBe(0);
    expect(snapshot(dir)).toEqual(before);
  });
});
