// A workspace file this user may not write (mode 0444) in a folder it may write: SQLite would open
// it "for writing" read-only behind our back, so every change failed with 409 and close() threw.
// Opening for writing must refuse it as 'read-only' (serve and the shell then open it read-only,
// saying so), and opening read-only must work. Root ignores permission bits, so as root the check
// runs in a child process under the unprivileged uid 65534.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../storage/index.ts';
import { deterministic, tempDir } from './helpers.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const RUNNING_AS_ROOT = process.getuid?.() === 0;

/** Opens `path` for writing, then read-only, as a user who may not write it; reports what happened. */
const CHILD = `
const { Workspace } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'storage', 'index.ts')).href)});
const path = process.argv[1];
const out = {};
try {
  const ws = Workspace.open(path);
  out.openedForWriting = { readOnly: ws.readOnly };
  try { ws.setSetting('theme', 'light'); } catch (e) { out.changeRefused = e.message; }
  try { ws.close(); } catch (e) { out.closeFailed = e.message; }
} catch (e) {
  out.refused = { code: e.code, message: e.message };
}
const ro = Workspace.open(path, { readOnly: true });
out.readOnly = { readOnly: ro.readOnly, theme: ro.getSetting('theme') };
ro.close();
process.stdout.write(JSON.stringify(out));
`;

/**
 * As root the check runs as uid 65534, which must reach the repository's code: a checkout in a folder
 * only root may enter (a 0700 temporary folder) cannot be run from as that user, and the test says so.
 */
const CHILD_CAN_RUN =
  !RUNNING_AS_ROOT || spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(join(ROOT, 'storage', 'index.ts'))}, require('fs').constants.R_OK)`], { uid: 65534, gid: 65534 }).status === 0;

describe('a workspace file this user may not write', () => {
  it.skipIf(!CHILD_CAN_RUN)('is refused for writing as read-only (so serve falls back to read-only), and opens read-only (as root: needs the checkout readable by uid 65534)', () => {
    const dir = tempDir();
    chmodSync(dir, 0o777);
    const path = join(dir, 'locked-down.resetpath');
    const ws = Workspace.create(path, deterministic());
    ws.setSetting('theme', 'dark');
    ws.close();
    chmodSync(path, 0o444);
    // The user's own file (and lock file), which its mode forbids the user to write.
    if (RUNNING_AS_ROOT) for (const f of readdirSync(dir)) chownSync(join(dir, f), 65534, 65534);
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD, path], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, HOME: dir },
      ...(RUNNING_AS_ROOT ? { uid: 65534, gid: 65534 } : {}),
    });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      refused: { code: 'read-only', message: `${path}: cannot be written: this user may not write the file (check its permissions, or the medium it is on); open it read-only to browse it` },
      readOnly: { readOnly: true, theme: 'dark' },
    });
  });
});
