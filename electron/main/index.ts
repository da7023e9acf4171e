// Entry of the desktop app's main process: lifecycle, the window, the menu and its dialogs. Every
// security decision is a function in ./policy (tested without Electron), wired to Electron's hooks
// in ./hardening.ts and ./ipc.ts; this file holds no business rules, it calls backend/.
//
// electron-vite bundles this file to out/main.js, next to out/preload/ and out/renderer/. The
// bundle sits one folder below the app root on purpose: backend/ finds package.json and the
// bundled model library one folder above its own file, and the bundle keeps that shape.
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, screen, session, shell } from 'electron';
import { analysisHeapFlag, defaultDataDir, readModelFile } from '../../backend/index.ts';
import { ApiError, parseRequest, SHELL_MESSAGE_CHANNEL, SHELL_PRESENTER_CHANNEL, type ApiErrorBody, type ShellMessage } from '../../contract/index.ts';
import { handleAppProtocol, hardenSession, installGuards } from './hardening.ts';
import { registerApiHandlers } from './ipc.ts';
import { toElectronTemplate } from './menu.ts';
import { isWorkflowFileName, WORKFLOW_FILTERS, WORKSPACE_FILTERS } from './policy/files.ts';
import { workspaceArgument } from './policy/launch.ts';
import { buildMenuTemplate, type MenuCommand } from './policy/menu.ts';
import { describeFailure } from './policy/messages.ts';
import { APP_ENTRY_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES } from './policy/origin.ts';
import { createMainWindow, createPresenterWindow } from './policy/mainWindow.ts';
import { presenterEntryUrl, presenterRequest } from './policy/presenter.ts';
import type { WindowOf } from './policy/ipc.ts';
import { shellPaths } from './policy/paths.ts';
import { placeWindow } from './policy/windowBounds.ts';
import { runWorkspaceFileCommand, type WorkspaceFileCommand } from './policy/workspaceFiles.ts';
import { forgetWorkspace, parseShellSettings, readShellSettings, rememberWorkspace, writeShellSettings, type ShellSettings } from './settings.ts';
import { WorkspaceSession } from './workspace.ts';
import { electronPdfPrinter } from './printPdf.ts';

const APP_NAME = 'ResetPath';
const PATHS = shellPaths(dirname(fileURLToPath(import.meta.url)), { packaged: app.isPackaged, resourcesPath: process.resourcesPath });

const log = (line: string): void => void process.stderr.write(`${line}\n`);

// Before anything else: every renderer sandboxed, and app:// known as a secure standard scheme
// (registration is only possible before the app is ready).
app.enableSandbox();
// The renderer runs the what-if: give its heap the analysis young generation (backend/heap.ts). The
// one switch the app adds to Chromium's command line, a V8 heap size that weakens no check (reviewed:
// test/electron/contract-coverage.test.ts asserts it is the only one, and what it is).
app.commandLine.appendSwitch('js-flags', analysisHeapFlag()); // eng-disable CUSTOM_ARGUMENTS_JS_CHECK (reviewed, see above)
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);

if (!app.requestSingleInstanceLock()) {
  // Another ResetPath is running; it receives our arguments through 'second-instance'.
  app.quit();
} else {
  startShell();
}

function startShell(): void {
  const workspace = new WorkspaceSession({ nativeBinding: PATHS.nativeBinding, log, printPdf: electronPdfPrinter });
  let win: BrowserWindow | null = null;
  let settings: ShellSettings = parseShellSettings(null);
  let pendingOpen: string | null = null;
  const settingsFile = () => join(app.getPath('userData'), 'shell-settings.json');

  /** Presenter windows of tabletop sessions, by session id (one each). */
  const presenters = new Map<string, BrowserWindow>();
  const windowOf: WindowOf = (id) => {
    if (win !== null && !win.isDestroyed() && win.webContents.id === id) return { kind: 'main' };
    // Each presenter window is tied to the session it was opened for; it may read that one only.
    for (const [sessionId, p] of presenters) if (!p.isDestroyed() && p.webContents.id === id) return { kind: 'presenter', sessionId };
    return null;
  };
  registerApiHandlers(ipcMain, () => workspace.dispatch, windowOf);
  ipcMain.handle(SHELL_PRESENTER_CHANNEL, (event, payload: unknown) => {
    const r = presenterRequest(event, payload, windowOf);
    if ('refused' in r) {
      log(`resetpath ipc: refused to open a presenter window: ${r.refused}`);
      return false;
    }
    openPresenter(r.sessionId);
    return true;
  });

  installGuards(app);
  app.on('second-instance', (_event, argv, workingDirectory) => {
    const requested = workspaceArgument(argv, workingDirectory);
    if (requested && app.isReady() && workspace.current) switchWorkspace(requested);
    else if (requested) pendingOpen = requested;
    if (win) {
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
    }
  });
  // macOS delivers double-clicked files this way, possibly before 'ready'.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    if (app.isReady()) switchWorkspace(path);
    else pendingOpen = path;
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (!win && app.isReady() && workspace.current) createWindow();
  });
  app.on('will-quit', () => workspace.close());

  app.whenReady().then(onReady).catch((e: unknown) => fatal(e instanceof Error ? e.message : String(e)));

  function onReady(): void {
    // DevTools' own pages load only where the menu offers DevTools (buildMenu below).
    hardenSession(session.defaultSession, { devTools: !app.isPackaged });
    handleAppProtocol(session.defaultSession, PATHS.renderer);
    settings = readShellSettings(settingsFile());
    const requested = pendingOpen ?? workspaceArgument(process.argv, process.cwd()) ?? settings.lastWorkspace;
    let notice: string | null = null;
    let outcome = requested ? workspace.open(requested) : null;
    if (requested && outcome && !outcome.ok) {
      if (outcome.notFound) settings = forgetWorkspace(settings, requested);
      notice = `${outcome.message}\n\nThe sample workspace was opened instead.`;
    }
    if (!outcome?.ok) outcome = workspace.openSample();
    if (!outcome.ok) {
      fatal(`${outcome.message}\n\nIf this names the SQLite native module, build it for Electron with "npm run build:sqlite:electron" (README, "Native module").`);
      return;
    }
    if (outcome.lockedByOther) notice = 'Another ResetPath process is writing to this workspace, so it was opened read-only.';
    settings = rememberWorkspace(settings, outcome.service.workspacePath);
    saveSettings();
    buildMenu();
    createWindow();
    if (notice) void dialog.showMessageBox({ type: 'info', title: APP_NAME, message: 'Workspace', detail: notice });
  }

  function createWindow(): void {
    const placement = placeWindow(settings.window, screen.getAllDisplays().map((d) => d.workArea));
    const w = createMainWindow(BrowserWindow, placement, PATHS.preload, windowTitle());
    win = w;
    if (placement.maximized) w.maximize();
    w.on('page-title-updated', (event) => event.preventDefault());
    w.once('ready-to-show', () => w.show());
    w.on('close', () => {
      settings = { ...settings, window: { ...w.getNormalBounds(), maximized: w.isMaximized() } };
      saveSettings();
    });
    w.on('closed', () => {
      if (win === w) win = null;
      closePresenters();
    });
    void w.loadURL(APP_ENTRY_URL);
  }

  /** Opens the room's view of a session in its own window, or brings the open one forward. */
  function openPresenter(sessionId: string): void {
    const open = presenters.get(sessionId);
    if (open && !open.isDestroyed()) {
      open.show();
      open.focus();
      return;
    }
    const p = createPresenterWindow(BrowserWindow, PATHS.preload, `Presenter — ${APP_NAME}`);
    presenters.set(sessionId, p);
    p.once('ready-to-show', () => p.show());
    p.on('closed', () => {
      if (presenters.get(sessionId) === p) presenters.delete(sessionId);
    });
    void p.loadURL(presenterEntryUrl(sessionId));
  }

  /** A presenter shows a session of the open workspace; it closes with the main window or a switch of workspace. */
  function closePresenters(): void {
    for (const p of presenters.values()) if (!p.isDestroyed()) p.close();
    presenters.clear();
  }

  function windowTitle(): string {
    const s = workspace.current;
    return s ? `${basename(s.workspacePath)}${s.readOnly ? ' (read-only)' : ''} — ${APP_NAME}` : APP_NAME;
  }

  function saveSettings(): void {
    try {
      writeShellSettings(settingsFile(), settings);
    } catch (e) {
      log(`resetpath: cannot save the shell settings: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  function buildMenu(): void {
    const template = buildMenuTemplate({
      platform: process.platform,
      appName: APP_NAME,
      recentWorkspaces: settings.recentWorkspaces,
      readOnly: workspace.current?.readOnly ?? true,
      devTools: !app.isPackaged,
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(toElectronTemplate(template, (command) => void run(command))));
  }

  function send(message: ShellMessage): void {
    if (win && !win.isDestroyed()) win.webContents.send(SHELL_MESSAGE_CHANNEL, message);
  }

  function showDialog(type: 'info' | 'error', message: string, detail: string): void {
    const options = { type, title: APP_NAME, message, detail };
    void (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options));
  }

  function showError(message: string, detail: string): void {
    showDialog('error', message, detail);
  }

  /** Opens another workspace; the page reloads so every view reads the new one. */
  function switchWorkspace(path: string): void {
    const outcome = workspace.open(path);
    if (!outcome.ok) {
      if (outcome.notFound) settings = forgetWorkspace(settings, path);
      saveSettings();
      buildMenu();
      showError('The workspace could not be opened.', outcome.message);
      return;
    }
    settings = rememberWorkspace(settings, outcome.service.workspacePath);
    saveSettings();
    buildMenu();
    closePresenters();
    if (win && !win.isDestroyed()) {
      win.setTitle(windowTitle());
      win.webContents.reload();
    } else createWindow();
    if (outcome.lockedByOther) void dialog.showMessageBox({ type: 'info', title: APP_NAME, message: 'Opened read-only', detail: 'Another ResetPath process is writing to this workspace.' });
  }

  async function run(command: MenuCommand): Promise<void> {
    switch (command.id) {
      case 'workspace.new':
      case 'workspace.saveAs':
        return newOrCopyWorkspace(command.id);
      case 'workspace.open': {
        const r = await (win ? dialog.showOpenDialog(win, openWorkspaceDialog) : dialog.showOpenDialog(openWorkspaceDialog));
        if (!r.canceled && r.filePaths[0]) switchWorkspace(r.filePaths[0]);
        return;
      }
      case 'workspace.openRecent':
        return switchWorkspace(command.path);
      case 'workspace.clearRecent': {
        const current = workspace.current?.workspacePath;
        settings = { ...settings, recentWorkspaces: current ? [current] : [] };
        saveSettings();
        return buildMenu();
      }
      case 'workspace.showInFolder':
        if (workspace.current) shell.showItemInFolder(workspace.current.workspacePath);
        return;
      case 'workflow.import':
        return importWorkflows();
      case 'workflow.save':
        return send({ type: 'menu.saveWorkflow' });
      case 'report.export':
        return send({ type: 'menu.exportReport' });
      case 'app.about':
        void dialog.showMessageBox({
          type: 'info',
          title: `About ${APP_NAME}`,
          message: `${APP_NAME} ${app.getVersion()}`,
          detail: `Electron ${process.versions.electron}, Chromium ${process.versions.chrome}, Node.js ${process.versions.node}\nWorkspace: ${workspace.current?.workspacePath ?? 'none'}`,
        });
        return;
    }
  }

  /** File › New Workspace and Save Workspace As; the steps and refusals are in policy/workspaceFiles.ts. */
  function newOrCopyWorkspace(command: WorkspaceFileCommand): Promise<void> {
    return runWorkspaceFileCommand(command, { platform: process.platform, documentsDir: app.getPath('documents'), dataDir: defaultDataDir() }, {
      current: () => workspace.current?.workspacePath ?? null,
      askForPath: async (options) => {
        const r = await (win ? dialog.showSaveDialog(win, options) : dialog.showSaveDialog(options));
        return r.canceled || !r.filePath ? null : r.filePath;
      },
      create: (path) => workspace.createNew(path),
      copy: (path) => workspace.saveCopy(path),
      open: switchWorkspace,
      tell: showDialog,
    });
  }

  async function importWorkflows(): Promise<void> {
    const r = await (win ? dialog.showOpenDialog(win, importDialog) : dialog.showOpenDialog(importDialog));
    if (r.canceled) return;
    const failures: string[] = [];
    for (const path of r.filePaths) {
      const failed = await importWorkflow(path);
      if (failed) failures.push(`${basename(path)}: ${describeFailure(failed)}`);
    }
    if (failures.length) showError(failures.length === 1 ? 'The workflow was not imported.' : 'Some workflows were not imported.', failures.join('\n\n'));
  }

  /** Imports one file through the same validated call the UI uses; the error body, or null. */
  async function importWorkflow(path: string): Promise<ApiErrorBody | null> {
    if (!isWorkflowFileName(path)) return { code: 'bad_request', message: 'only .yaml, .yml and .json workflow files can be imported' };
    const service = workspace.current;
    if (!service) return { code: 'conflict', message: 'no workspace is open' };
    const text = readModelFile(path);
    if (!text.ok) return { code: 'bad_request', message: 'the file could not be read', issues: text.issues };
    let request;
    try {
      request = parseRequest('workflow.save', { fileName: basename(path), text: text.value, reason: 'imported with File > Import Workflow' });
    } catch (e) {
      return e instanceof ApiError ? e.toBody() : { code: 'internal', message: String(e) };
    }
    const result = await service.dispatch('workflow.save', request);
    if (!result.ok) return result.error;
    send({ type: 'workflow.imported', id: result.value.id, revision: result.value.revision });
    return null;
  }
}

const openWorkspaceDialog = { title: 'Open workspace', properties: ['openFile' as const], filters: [...WORKSPACE_FILTERS] };
const importDialog = { title: 'Import workflow', properties: ['openFile' as const, 'multiSelections' as const], filters: [...WORKFLOW_FILTERS] };

function fatal(message: string): void {
  log(`resetpath: ${message}`);
  dialog.showErrorBox(`${APP_NAME} cannot start`, message);
  app.exit(1);
}
