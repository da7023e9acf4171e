// Where the app's pages may go: nowhere but their own origin. A compromised or confused page can
// neither navigate the window to a remote site (which would then reach the preload's API), nor
// open new windows, nor attach a <webview>, nor hand a URL to the operating system: no page of the
// app links outside it (the UI has no external link), so no URL ever reaches shell.openExternal.
import { isAppUrl, parseUrl } from './origin.ts';

export interface WindowOpenDecision {
  /** Electron's setWindowOpenHandler answer: always deny, the app never opens a second window. */
  action: 'deny';
}

/**
 * Decides a window.open / target=_blank request: denied, and nothing is opened in the user's
 * browser instead. An https link handed to the OS browser was the one way out of the app; the UI
 * has no use for it, so a page that asks for it is confused or compromised.
 */
export function decideWindowOpen(_url: unknown): WindowOpenDecision {
  return { action: 'deny' };
}

/**
 * True when the main frame may navigate (or be redirected) to this URL: the app's own pages only.
 */
export function mayNavigate(url: unknown): boolean {
  return isAppUrl(url);
}

/** The app never attaches a <webview>; webviewTag is off, and this refuses it a second time. */
export function mayAttachWebview(): false {
  return false;
}

/**
 * True when a download may proceed: only blobs the app's own page created (a report it exports).
 * Anything else, such as a drive-by download a hostile link triggers, is cancelled.
 */
export function mayDownload(url: unknown): boolean {
  if (typeof url !== 'string' || !url.startsWith('blob:')) return false;
  return isAppUrl(url.slice('blob:'.length));
}

/** Schemes that reach the network or the disk; the app loads all it needs from app:// alone. */
const OUTSIDE_SCHEMES = new Set(['http:', 'https:', 'ws:', 'wss:', 'ftp:', 'file:']);

/**
 * True when the session may make a request. ResetPath works offline, so no page of the app has a
 * reason to contact a server or read a file:// URL; the CSP already says so, and this refuses it
 * again below the page, where a CSP bypass would not reach.
 */
export function mayRequest(url: unknown): boolean {
  const u = parseUrl(url);
  return !!u && !OUTSIDE_SCHEMES.has(u.protocol);
}
