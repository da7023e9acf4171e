import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createAppService } from '../../backend/index.ts';
import {
  runWorkspaceFileCommand,
  sameWorkspacePath,
  workspaceSaveDialog,
  workspaceTarget,
  type FileOutcome,
  type WorkspaceFileCommand,
  type WorkspaceFileEffects,
} from '../../electron/main/policy/workspaceFiles.ts';
import { parseShellSettings, rememberWorkspace } from '../../electron/main/settings.ts';
import { WorkspaceSession } from '../../electron/main/workspace.ts';

const root = mkdtempSync(join(tmpdir(), 'resetpath-workspace-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const linux = { platform: 'linux', documentsDir: '/home/ana/Documents', dataDir: '/home/ana/.local/share/resetpath' };
const windows = { platform: 'win32', documentsDir: 'C:\\Users\\ana\\Documents', dataDir: 'C:\\Users\\ana\\AppData\\Roaming\\ResetPath' };

describe('the save dialog of New Workspace and Save Workspace As', () => {
  it('proposes Untitled.resetpath in Documents for a new workspace, with a Create button', () => {
    expect(workspaceSaveDialog('workspace.new', { ...linux, current: '/srv/desk.resetpath' })).toEqual({
      title: 'New Workspace',
      buttonLabel: 'Create',
      defaultPath: '/home/ana/Documents/Untitled.resetpath',
      filters: [{ name: 'ResetPath workspace', extensions: ['resetpath'] }],
      properties: ['createDirectory'],
    });
  });

  it('proposes "<name> copy.resetpath" beside the open workspace for Save As', () => {
    expect(workspaceSaveDialog('workspace.saveAs', { ...linux, current: '/srv/team/desk.resetpath' })).toMatchObject({
      title: 'Save Workspace As',
      buttonLabel: 'Save Copy',
      defaultPath: '/srv/team/desk copy.resetpath',
    });
    expect(workspaceSaveDialog('workspace.saveAs', { ...windows, current: 'D:\\Teams\\Desk.RESETPATH' }).defaultPath).toBe('D:\\Teams\\Desk copy.resetpath');
  });

  it('proposes Documents, not the hidden data folder, for a copy of the sample workspace', () => {
    expect(workspaceSaveDialog('workspace.saveAs', { ...linux, current: '/home/ana/.local/share/resetpath/sample.resetpath' }).defaultPath).toBe(
      '/home/ana/Documents/sample copy.resetpath',
    );
    expect(workspaceSaveDialog('workspace.saveAs', { ...windows, current: 'c:\\users\\ana\\appdata\\roaming\\resetpath\\sample.resetpath' }).defaultPath).toBe(
      'C:\\Users\\ana\\Documents\\sample copy.resetpath',
    );
    // A folder that only starts with the data folder's name is not inside it.
    expect(workspaceSaveDialog('workspace.saveAs', { ...linux, current: '/home/ana/.local/share/resetpath-old/w.resetpath' }).defaultPath).toBe(
      '/home/ana/.local/share/resetpath-old/w copy.resetpath',
    );
  });

  it('never asks "replace it?", since neither command replaces a file', () => {
    for (const command of ['workspace.new', 'workspace.saveAs'] as const) {
      expect(workspaceSaveDialog(command, { ...linux, current: null }).properties).not.toContain('showOverwriteConfirmation');
    }
  });
});

describe('the path a save dialog answered', () => {
  it('gets .resetpath added when the dialog did not add it, and keeps it in any case', () => {
    expect(workspaceTarget('workspace.new', '/home/ana/desk', null, 'linux')).toEqual({ ok: true, path: '/home/ana/desk.resetpath' });
    expect(workspaceTarget('workspace.new', '/home/ana/desk.RESETPATH', null, 'linux')).toEqual({ ok: true, path: '/home/ana/desk.RESETPATH' });
    expect(workspaceTarget('workspace.new', '/home/ana/desk.sqlite', null, 'linux')).toEqual({ ok: true, path: '/home/ana/desk.sqlite.resetpath' });
    expect(workspaceTarget('workspace.saveAs', '/home/ana/desk.', null, 'linux')).toEqual({ ok: true, path: '/home/ana/desk.resetpath' });
    expect(workspaceTarget('workspace.saveAs', 'C:\\Users\\ana\\desk', null, 'win32')).toEqual({ ok: true, path: 'C:\\Users\\ana\\desk.resetpath' });
  });

  it('is normalised, so "." and ".." segments never reach the backend', () => {
    expect(workspaceTarget('workspace.new', '/home/ana/./x/../desk', null, 'linux')).toEqual({ ok: true, path: '/home/ana/desk.resetpath' });
  });

  it('is refused when it is not an absolute file name', () => {
    for (const bad of ['', 'desk.resetpath', '/home/ana/', '/home/ana/..', '/home/ana/ .', '/home/a\0b.resetpath']) {
      expect(workspaceTarget('workspace.new', bad, null, 'linux'), JSON.stringify(bad)).toMatchObject({ ok: false, severity: 'error', message: 'The workspace could not be created.' });
    }
  });

  it('is refused for Save As when it names the open workspace, saying its changes are already saved', () => {
    expect(workspaceTarget('workspace.saveAs', '/srv/desk', '/srv/desk.resetpath', 'linux')).toEqual({
      ok: false,
      severity: 'info',
      message: 'That is the workspace you have open.',
      detail: '/srv/desk.resetpath is the workspace you have open, and every change is already saved in it. To make a copy, choose a new file name.',
    });
  });

  it('is refused for New Workspace when it names the open workspace', () => {
    expect(workspaceTarget('workspace.new', '/srv/desk.resetpath', '/srv/desk.resetpath', 'linux')).toMatchObject({
      ok: false,
      detail: '/srv/desk.resetpath is the workspace you have open. To start an empty workspace, choose a new file name.',
    });
  });

  it('names the open workspace regardless of case on macOS and Windows, but not on Linux', () => {
    expect(workspaceTarget('workspace.saveAs', '/Users/ana/DESK.resetpath', '/Users/ana/desk.resetpath', 'darwin')).toMatchObject({ ok: false });
    expect(workspaceTarget('workspace.saveAs', 'c:\\users\\ana\\desk', 'C:\\Users\\ana\\Desk.resetpath', 'win32')).toMatchObject({ ok: false });
    expect(workspaceTarget('workspace.saveAs', '/home/ana/DESK.resetpath', '/home/ana/desk.resetpath', 'linux')).toEqual({ ok: true, path: '/home/ana/DESK.resetpath' });
    expect(sameWorkspacePath('/a/b/../desk.resetpath', '/a/desk.resetpath', 'linux')).toBe(true);
    expect(sameWorkspacePath('C:/a/desk.resetpath', 'C:\\a\\desk.resetpath', 'win32')).toBe(true);
  });
});

/** Effects that record what the command did; `answer` is what the dialog returns. */
function recorder(o: { answer: string | null; current?: string | null; currentAfterDialog?: string | null; create?: FileOutcome; copy?: FileOutcome }) {
  const calls: string[] = [];
  let current = o.current ?? null;
  const fx: WorkspaceFileEffects = {
    current: () => current,
    askForPath: async (d) => {
      calls.push(`dialog ${d.title} ${d.defaultPath}`);
      if (o.currentAfterDialog !== undefined) current = o.currentAfterDialog;
      return o.answer;
    },
    create: (path) => (calls.push(`create ${path}`), o.create ?? { ok: true, path }),
    copy: async (path) => (calls.push(`copy ${path}`), o.copy ?? { ok: true, path }),
    open: (path) => void calls.push(`open ${path}`),
    tell: (severity, message, detail) => void calls.push(`tell ${severity} ${message} ${detail}`),
  };
  return { fx, calls };
}

describe('running New Workspace and Save Workspace As', () => {
  it('creates the chosen file with .resetpath added, then switches the app to it', async () => {
    const { fx, calls } = recorder({ answer: '/home/ana/desk', current: '/srv/old.resetpath' });
    await runWorkspaceFileCommand('workspace.new', linux, fx);
    expect(calls).toEqual(['dialog New Workspace /home/ana/Documents/Untitled.resetpath', 'create /home/ana/desk.resetpath', 'open /home/ana/desk.resetpath']);
  });

  it('copies the open workspace with the backup, then switches the app to the copy', async () => {
    const { fx, calls } = recorder({ answer: '/srv/copy', current: '/srv/old.resetpath' });
    await runWorkspaceFileCommand('workspace.saveAs', linux, fx);
    expect(calls).toEqual(['dialog Save Workspace As /srv/old copy.resetpath', 'copy /srv/copy.resetpath', 'open /srv/copy.resetpath']);
  });

  it('does nothing when the dialog is cancelled', async () => {
    for (const command of ['workspace.new', 'workspace.saveAs'] as const) {
      const { fx, calls } = recorder({ answer: null, current: '/srv/old.resetpath' });
      await runWorkspaceFileCommand(command, linux, fx);
      expect(calls).toHaveLength(1);
    }
  });

  it('never calls the backend for the open workspace, and says why in an info dialog', async () => {
    const { fx, calls } = recorder({ answer: '/srv/old', current: '/srv/old.resetpath' });
    await runWorkspaceFileCommand('workspace.saveAs', linux, fx);
    expect(calls.slice(1)).toEqual([expect.stringMatching(/^tell info That is the workspace you have open\. \/srv\/old\.resetpath is the workspace/)]);
  });

  it('checks against the workspace open when the dialog closes, not when it opened', async () => {
    const { fx, calls } = recorder({ answer: '/srv/new', current: '/srv/old.resetpath', currentAfterDialog: '/srv/new.resetpath' });
    await runWorkspaceFileCommand('workspace.saveAs', linux, fx);
    expect(calls.slice(1)).toEqual([expect.stringMatching(/^tell info /)]);
  });

  it.each([
    ['workspace.new', 'The workspace could not be created.'],
    ['workspace.saveAs', 'The workspace could not be copied.'],
  ] as const)('%s shows the backend refusal as an error and stays on the open workspace', async (command: WorkspaceFileCommand, title) => {
    const refused: FileOutcome = { ok: false, message: '/srv/x.resetpath: already exists; choose a new file name' };
    const { fx, calls } = recorder({ answer: '/srv/x.resetpath', current: '/srv/old.resetpath', create: refused, copy: refused });
    await runWorkspaceFileCommand(command, linux, fx);
    expect(calls.at(-1)).toBe(`tell error ${title} /srv/x.resetpath: already exists; choose a new file name`);
    expect(calls.some((c) => c.startsWith('open '))).toBe(false);
  });
});

describe('the workspace session over the real backend (no Electron)', () => {
  const sessions: WorkspaceSession[] = [];
  afterEach(() => {
    for (const s of sessions.splice(0)) s.close();
  });
  const session = (logs: string[] = []) => {
    const s = new WorkspaceSession({ log: (l) => logs.push(l) });
    sessions.push(s);
    return s;
  };
  const folder = (name: string) => {
    const d = join(root, name);
    mkdirSync(d);
    return d;
  };
  const dataDir = (name: string) => join(root, name, 'data');

  it('creates an empty workspace and opens it, remembered first in Open Recent', async () => {
    const dir = folder('new');
    const s = session();
    expect(s.openSample(dataDir('new')).ok).toBe(true);
    let settings = rememberWorkspace(parseShellSettings(null), s.current!.workspacePath);
    await runWorkspaceFileCommand('workspace.new', { ...linux, dataDir: dataDir('new') }, {
      current: () => s.current?.workspacePath ?? null,
      askForPath: async () => join(dir, 'desk'),
      create: (path) => s.createNew(path),
      copy: (path) => s.saveCopy(path),
      open: (path) => {
        const opened = s.open(path);
        if (opened.ok) settings = rememberWorkspace(settings, opened.service.workspacePath);
      },
      tell: (severity, message, detail) => {
        throw new Error(`unexpected ${severity} dialog: ${message} ${detail}`);
      },
    });
    const created = join(dir, 'desk.resetpath');
    expect(s.current?.workspacePath).toBe(created);
    expect(settings.lastWorkspace).toBe(created);
    expect(settings.recentWorkspaces).toEqual([created, join(dataDir('new'), 'sample.resetpath')]);
    expect((await s.current!.api['library.list']({})).workflows.every((w) => w.source === 'bundled')).toBe(true);
  });

  it('refuses to create over an existing file with the backend message, keeping the open workspace', () => {
    const s = session();
    expect(s.openSample(dataDir('exists')).ok).toBe(true);
    const sample = s.current!.workspacePath;
    const before = readFileSync(sample);
    expect(s.createNew(sample)).toEqual({ ok: false, message: `${sample}: already exists; a new workspace never replaces a file, so choose another name or open this one` });
    expect(readFileSync(sample).equals(before)).toBe(true);
    expect(s.current?.workspacePath).toBe(sample);
  });

  it('saves a copy of the open workspace with its content and opens the copy for writing', async () => {
    const dir = folder('copy');
    const s = session();
    expect(s.openSample(dataDir('copy')).ok).toBe(true);
    const original = s.current!;
    await original.api['settings.set']({ key: 'team', value: 'service desk' });
    const copy = await s.saveCopy(join(dir, 'mine.resetpath'));
    expect(copy).toEqual({ ok: true, path: join(dir, 'mine.resetpath') });
    const opened = s.open(join(dir, 'mine.resetpath'));
    expect(opened).toMatchObject({ ok: true, lockedByOther: false });
    const current = s.current!;
    expect(await current.api['app.info']({})).toMatchObject({ workspacePath: join(dir, 'mine.resetpath'), readOnly: false });
    expect((await current.api['settings.get']({ key: 'team' })).value).toBe('service desk');
    expect((await current.api['library.list']({})).workflows.filter((w) => w.source === 'workspace').length).toBe(22);
    expect((await current.api['audit.verify']({})).ok).toBe(true);
    // The original was closed by the switch and is untouched by what happens in the copy.
    await current.api['settings.set']({ key: 'team', value: 'copy only' });
    const reopened = createAppService({ workspacePath: original.workspacePath, mode: 'electron', readOnly: true });
    expect((await reopened.api['settings.get']({ key: 'team' })).value).toBe('service desk');
    reopened.close();
  });

  it.skipIf(process.platform === 'win32')('leaves the refusal of the open workspace under another name to the backend, which sees the file itself', async () => {
    const dir = folder('link');
    const s = session();
    expect(s.openSample(dataDir('link')).ok).toBe(true);
    const link = join(dir, 'alias.resetpath');
    symlinkSync(s.current!.workspacePath, link);
    expect(workspaceTarget('workspace.saveAs', link, s.current!.workspacePath, 'linux')).toMatchObject({ ok: true });
    expect(await s.saveCopy(link)).toEqual({ ok: false, message: `${link}: is the workspace that is open, and every change is already saved in it; choose a new file name for the copy` });
  });

  it('has nothing to copy while no workspace is open', async () => {
    const dest = join(root, 'nothing.resetpath');
    expect(await session().saveCopy(dest)).toEqual({ ok: false, message: 'no workspace is open, so there is nothing to copy' });
    expect(existsSync(dest)).toBe(false);
  });
});
