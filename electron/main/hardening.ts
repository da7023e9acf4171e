// Connects the policy decisions to Electron's hooks: every web contents the app ever creates, the
// session's permission, request and download hooks, and the app:// protocol. Each hook calls one
// function from ./policy, where the decision and its test live. Electron is imported for its types
// only, so this file loads without Electron and test/electron/hardening.test.ts drives each function
// with objects that record what is registered on them.
import { readFile } from 'node:fs/promises';
import type { Session, WebContents } from 'electron';
import { appProtocolResponse } from './policy/appProtocol.ts';
import { withContentSecurityPolicy } from './policy/csp.ts';
import { decideWindowOpen, mayAttachWebview, mayDownload, mayNavigate, mayRequest, type RequestPolicyOptions } from './policy/navigation.ts';
import { APP_SCHEME } from './policy/origin.ts';
import { decideDevicePermission, decidePermissionCheck, decidePermissionRequest } from './policy/permissions.ts';

/** The part of Electron's `app` installGuards uses. */
export interface GuardedApp {
  on(event: 'web-contents-created', listener: (event: Electron.Event, contents: WebContents) => void): unknown;
}

/** Guards every web contents the app will create (windows, the print window, devtools), from the first. */
export function installGuards(app: GuardedApp): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
}

/** Applied to every web contents on creation (app 'web-contents-created'), not only the window's. */
export function guardWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => decideWindowOpen(url));
  contents.on('will-navigate', (event, url) => {
    if (!mayNavigate(url)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (details) => {
    if (!mayNavigate(details.url)) details.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!mayNavigate(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => {
    if (!mayAttachWebview()) event.preventDefault();
  });
}

/**
 * Permissions, the request allowlist, the CSP header and downloads, for the app's session. Without
 * options the build counts as packaged: DevTools' pages are refused.
 */
export function hardenSession(ses: Session, options: RequestPolicyOptions = { devTools: false }): void {
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => callback(decidePermissionRequest(permission, details.requestingUrl)));
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) => decidePermissionCheck(permission, requestingOrigin));
  ses.setDevicePermissionHandler((details) => decideDevicePermission(details.deviceType));
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !mayRequest(details.url, options) }));
  ses.webRequest.onHeadersReceived((details, callback) => callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) }));
  ses.on('will-download', (event, item) => {
    if (!mayDownload(item.getURL())) event.preventDefault();
  });
}

/** Serves the built renderer on app://resetpath/ from `rendererDir`, refusing anything outside it (policy/appProtocol.ts). */
export function handleAppProtocol(ses: Session, rendererDir: string): void {
  ses.protocol.handle(APP_SCHEME, async (request) => {
    const answer = appProtocolResponse(rendererDir, request);
    const body = answer.body === null ? null : 'text' in answer.body ? answer.body.text : await readFile(answer.body.file);
    return new Response(body, { status: answer.status, headers: answer.headers });
  });
}
