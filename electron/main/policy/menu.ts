// The native menu as data. Commands are named, not wired to callbacks, so the template can be
// checked without Electron and the glue decides in one place what each command does.

/** What a menu item asks the shell to do. */
export type MenuCommand =
  | { id: 'workspace.new' }
  | { id: 'workspace.open' }
  | { id: 'workspace.openRecent'; path: string }
  | { id: 'workspace.clearRecent' }
  | { id: 'workspace.saveAs' }
  | { id: 'workspace.showInFolder' }
  | { id: 'workflow.save' }
  | { id: 'workflow.import' }
  | { id: 'report.export' }
  | { id: 'app.about' };

/** Electron menu roles the template uses (a subset of Electron's, checked by the glue's types). */
export type MenuRole =
  | 'undo' | 'redo' | 'cut' | 'copy' | 'paste' | 'pasteAndMatchStyle' | 'delete' | 'selectAll'
  | 'reload' | 'forceReload' | 'toggleDevTools' | 'resetZoom' | 'zoomIn' | 'zoomOut' | 'togglefullscreen'
  | 'minimize' | 'zoom' | 'close' | 'front' | 'window' | 'help'
  | 'about' | 'services' | 'hide' | 'hideOthers' | 'unhide' | 'quit';

export interface MenuItemSpec {
  label?: string;
  role?: MenuRole;
  accelerator?: string;
  command?: MenuCommand;
  type?: 'separator';
  enabled?: boolean;
  submenu?: MenuItemSpec[];
}

export interface MenuOptions {
  platform: string;
  appName: string;
  /** Most recent first; shown under Open Recent. */
  recentWorkspaces: readonly string[];
  /** A read-only workspace cannot take an import or a save. */
  readOnly: boolean;
  /** Developer tools are offered in development builds only. */
  devTools: boolean;
}

export const ACCELERATORS = Object.freeze({
  new: 'CmdOrCtrl+N',
  open: 'CmdOrCtrl+O',
  save: 'CmdOrCtrl+S',
  saveAs: 'CmdOrCtrl+Shift+S',
  import: 'CmdOrCtrl+I',
  exportReport: 'CmdOrCtrl+E',
  quit: 'CmdOrCtrl+Q',
});

const separator: MenuItemSpec = { type: 'separator' };

/** On Windows "&" in a label marks the access key; a path like "R&D.resetpath" must show it. */
export function menuLabel(text: string): string {
  return text.replace(/&/g, '&&');
}

/** The application menu for a platform: macOS gets its app menu and keeps Quit there. */
export function buildMenuTemplate(o: MenuOptions): MenuItemSpec[] {
  const mac = o.platform === 'darwin';
  // Access keys (Alt+F) exist on Windows and Linux; macOS would show the ampersand.
  const top = (label: string) => (mac ? label : `&${label}`);
  const recent: MenuItemSpec[] = o.recentWorkspaces.length
    ? [
        ...o.recentWorkspaces.map((path): MenuItemSpec => ({ label: menuLabel(path), command: { id: 'workspace.openRecent', path } })),
        separator,
        { label: 'Clear Recent', command: { id: 'workspace.clearRecent' } },
      ]
    : [{ label: 'No Recent Workspaces', enabled: false }];

  const file: MenuItemSpec = {
    label: top('File'),
    submenu: [
      { label: 'New Workspace…', accelerator: ACCELERATORS.new, command: { id: 'workspace.new' } },
      { label: 'Open Workspace…', accelerator: ACCELERATORS.open, command: { id: 'workspace.open' } },
      { label: 'Open Recent', submenu: recent },
      separator,
      { label: 'Save Workflow', accelerator: ACCELERATORS.save, command: { id: 'workflow.save' }, enabled: !o.readOnly },
      { label: 'Save Workspace As…', accelerator: ACCELERATORS.saveAs, command: { id: 'workspace.saveAs' } },
      separator,
      { label: 'Import Workflow…', accelerator: ACCELERATORS.import, command: { id: 'workflow.import' }, enabled: !o.readOnly },
      { label: 'Export Report…', accelerator: ACCELERATORS.exportReport, command: { id: 'report.export' } },
      ...(mac ? [] : [separator, { label: 'Quit', role: 'quit', accelerator: ACCELERATORS.quit } satisfies MenuItemSpec]),
    ],
  };
  const edit: MenuItemSpec = {
    label: top('Edit'),
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(mac ? [{ role: 'pasteAndMatchStyle' } satisfies MenuItemSpec, { role: 'delete' } satisfies MenuItemSpec] : []),
      { role: 'selectAll' },
    ],
  };
  const view: MenuItemSpec = {
    label: top('View'),
    submenu: [
      { role: 'reload' },
      { role: 'forceReload' },
      ...(o.devTools ? [{ role: 'toggleDevTools' } satisfies MenuItemSpec] : []),
      separator,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' },
    ],
  };
  const help: MenuItemSpec = {
    label: top('Help'),
    role: 'help',
    submenu: [
      { label: 'Show Workspace File in Folder', command: { id: 'workspace.showInFolder' } },
      ...(mac ? [] : [separator, { label: `About ${o.appName}`, command: { id: 'app.about' } } satisfies MenuItemSpec]),
    ],
  };
  const appMenu: MenuItemSpec = {
    label: o.appName,
    submenu: [
      { role: 'about' },
      separator,
      { role: 'services' },
      separator,
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      separator,
      { label: `Quit ${o.appName}`, role: 'quit', accelerator: ACCELERATORS.quit },
    ],
  };
  const windowMenu: MenuItemSpec = { label: 'Window', role: 'window', submenu: [{ role: 'minimize' }, { role: 'zoom' }, separator, { role: 'front' }] };
  return mac ? [appMenu, file, edit, view, windowMenu, help] : [file, edit, view, help];
}
