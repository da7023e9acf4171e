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
  return isAppBlob(url);
}

/** True for a blob: URL the app's own page made (blob:app://resetpath/<uuid>). */
function isAppBlob(url: unknown): boolean {
  return typeof url === 'string' && url.startsWith('blob:') && isAppUrl(url.slice('blob:'.length));
}

/** What the session's request filter needs to know about the build. */
export interface RequestPolicyOptions {
  /** True where the menu offers DevTools (an unpackaged build): its devtools:// pages may load. */
  devTools: boolean;
}

/**
 * True when the session may make a request: an allowlist, so a scheme nobody thought of is
 * refused. ResetPath works offline and loads all it needs from its own origin: app://resetpath,
 * blobs the app's page made, and data: URLs (images, the report the PDF printer loads). Nothing
 * else passes: no network (http, ws, ftp), no file://, no chrome:, view-source:, filesystem: or
 * another app's protocol. The CSP already says so to the page; this refuses it again below the
 * page, where a CSP bypass would not reach. DevTools' own devtools:// pages pass only in an
 * unpackaged build, the one whose menu opens DevTools.
 */
export function mayRequest(url: unknown, options: RequestPolicyOptions = { devTools: false }): boolean {
  const u = parseUrl(url);
  if (!u) return false;
  switch (u.protocol) {
    case 'app:':
      return isAppUrl(url);
    case 'blob:':
      return isAppBlob(url);
    case 'data:':
      return true;
    case 'devtools:':
      return options.devTools;
    default:
      return false;
  }
}
