import { describe, expect, it } from 'vitest';
import { buildMenuTemplate, menuLabel, type MenuItemSpec } from '../../electron/main/policy/menu.ts';

const options = { appName: 'ResetPath', recentWorkspaces: ['/home/ana/R&D.resetpath', '/home/ana/desk.resetpath'], readOnly: false, devTools: false };

const flatten = (items: readonly MenuItemSpec[]): MenuItemSpec[] => items.flatMap((i) => [i, ...flatten(i.submenu ?? [])]);
const top = (t: MenuItemSpec[], label: string) => t.find((m) => m.label?.replace('&', '') === label);
const byCommand = (items: readonly MenuItemSpec[], id: string) => flatten(items).find((i) => i.command?.id === id);

describe('the application menu', () => {
  for (const platform of ['linux', 'win32']) {
    it(`has File, Edit, View and Help on ${platform}, with access keys`, () => {
      const t = buildMenuTemplate({ ...options, platform });
      expect(t.map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Help']);
    });
  }

  it('has the application menu first on macOS, with Quit in it and not in File', () => {
    const t = buildMenuTemplate({ ...options, platform: 'darwin' });
    expect(t.map((m) => m.label)).toEqual(['ResetPath', 'File', 'Edit', 'View', 'Window', 'Help']);
    expect(t[0]!.submenu!.find((i) => i.role === 'quit')).toMatchObject({ accelerator: 'CmdOrCtrl+Q' });
    expect(flatten(top(t, 'File')!.submenu!).some((i) => i.role === 'quit')).toBe(false);
  });

  it.each([
    ['workspace.new', 'New Workspace…', 'CmdOrCtrl+N'],
    ['workspace.open', 'Open Workspace…', 'CmdOrCtrl+O'],
    ['workflow.save', 'Save Workflow', 'CmdOrCtrl+S'],
    ['workspace.saveAs', 'Save Workspace As…', 'CmdOrCtrl+Shift+S'],
    ['workflow.import', 'Import Workflow…', 'CmdOrCtrl+I'],
    ['report.export', 'Export Report…', 'CmdOrCtrl+E'],
  ])('puts %s in File as "%s" with %s', (id, label, accelerator) => {
    for (const platform of ['linux', 'win32', 'darwin']) {
      const file = top(buildMenuTemplate({ ...options, platform }), 'File')!;
      expect(file.submenu!.find((i) => i.command?.id === id)).toMatchObject({ label, accelerator });
    }
  });

  it('ends File with Quit (CmdOrCtrl+Q) on Windows and Linux', () => {
    const file = top(buildMenuTemplate({ ...options, platform: 'linux' }), 'File')!;
    expect(file.submenu!.at(-1)).toMatchObject({ label: 'Quit', role: 'quit', accelerator: 'CmdOrCtrl+Q' });
  });

  it('keeps File in the order New, Open, Open Recent, Save, Save As, Import, Export, Quit', () => {
    const file = top(buildMenuTemplate({ ...options, platform: 'linux' }), 'File')!;
    expect(file.submenu!.filter((i) => i.type !== 'separator').map((i) => i.label)).toEqual([
      'New Workspace…', 'Open Workspace…', 'Open Recent', 'Save Workflow', 'Save Workspace As…', 'Import Workflow…', 'Export Report…', 'Quit',
    ]);
  });

  it('lists recent workspaces, most recent first, with & shown literally', () => {
    const recent = top(buildMenuTemplate({ ...options, platform: 'win32' }), 'File')!.submenu!.find((i) => i.label === 'Open Recent')!;
    expect(recent.submenu!.map((i) => i.label ?? '-')).toEqual(['/home/ana/R&&D.resetpath', '/home/ana/desk.resetpath', '-', 'Clear Recent']);
    expect(recent.submenu![0]!.command).toEqual({ id: 'workspace.openRecent', path: '/home/ana/R&D.resetpath' });
    expect(menuLabel('a&b&c')).toBe('a&&b&&c');
  });

  it('says so when there is nothing recent', () => {
    const recent = top(buildMenuTemplate({ ...options, recentWorkspaces: [], platform: 'linux' }), 'File')!.submenu!.find((i) => i.label === 'Open Recent')!;
    expect(recent.submenu).toEqual([{ label: 'No Recent Workspaces', enabled: false }]);
  });

  it('disables Save and Import on a read-only workspace', () => {
    const t = buildMenuTemplate({ ...options, readOnly: true, platform: 'linux' });
    expect(byCommand(t, 'workflow.save')!.enabled).toBe(false);
    expect(byCommand(t, 'workflow.import')!.enabled).toBe(false);
    expect(byCommand(t, 'report.export')!.enabled).toBeUndefined();
  });

  it('has the standard Edit roles, so text fields get undo, clipboard and select all', () => {
    const edit = top(buildMenuTemplate({ ...options, platform: 'linux' }), 'Edit')!;
    expect(edit.submenu!.map((i) => i.role).filter(Boolean)).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']);
  });

  it('offers developer tools only in development builds', () => {
    const roles = (devTools: boolean) => flatten(buildMenuTemplate({ ...options, devTools, platform: 'linux' })).map((i) => i.role);
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(true)).toContain('toggleDevTools');
  });

  it('has About in Help on Windows and Linux', () => {
    expect(top(buildMenuTemplate({ ...options, platform: 'linux' }), 'Help')!.submenu!.map((i) => i.command?.id)).toContain('app.about');
  });

  it('uses each accelerator once', () => {
    const accels = flatten(buildMenuTemplate({ ...options, platform: 'linux' })).map((i) => i.accelerator).filter(Boolean);
    expect(new Set(accels).size).toBe(accels.length);
  });
});
