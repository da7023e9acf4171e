// Where the app's pages may go: nowhere but their own origin. A compromised or confused page can
// neither navigate the window to a remote site (which would then reach the preload's API), nor
// open new windows, nor attach a <webview>. The only way out is a https link handed to the user's
// own browser, after the checks below.
import { isAppUrl, parseUrl } from './origin.ts';

/** Longest URL handed to the OS browser; longer ones are refused rather than truncated. */
export const MAX_EXTERNAL_URL_LENGTH = 2048;

/**
 * The URL to give shell.openExternal, or null to open nothing. Only https: hands the URL to a
 * browser; every other scheme (file:, smb:, javascript:, custom protocol handlers of other apps)
 * could run or fetch something on the user's machine. Credentials in the URL are refused too,
 * since they are the classic way to disguise a host (https://bank.example@evil.example/).
 */
export function externalUrlToOpen(url: unknown): string | null {
  if (typeof url !== 'string' || url.length > MAX_EXTERNAL_URL_LENGTH) return null;
  // Control characters and spaces have no place in a link and can confuse OS URL handlers.
  if (/[\u0000-\u0020\u007f]/.test(url)) return null;
  const u = parseUrl(url);
  if (!u || u.protocol !== 'https:' || u.hostname === '' || u.username !== '' || u.password !== '') return null;
  return u.href;
}

export interface WindowOpenDecision {
  /** Electron's setWindowOpenHandler answer: always deny, the app never opens a second window. */
  action: 'deny';
  /** A vetted https URL to open in the user's browser instead, or null. */
  openExternally: string | null;
}

/** Decides a window.open / target=_blank request. */
export function decideWindowOpen(url: unknown): WindowOpenDecision {
  return { action: 'deny', openExternally: externalUrlToOpen(url) };
}

/**
 * True when the main frame may navigate (or be redirected) to this URL: the app's own pages only.
 * Links to the web go through decideWindowOpen, so nothing is lost by refusing them here.
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
