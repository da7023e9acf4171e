// The browser-mode host: serves the built renderer and the contract (POST /api/<key>) on loopback,
// for the end-to-end tests in Chromium and for machines without Electron. node:http only; every
// decision is a function in security.ts, this file only applies them in order.
//
// Token handshake (the renderer implements the other half): startBrowserHost returns
// `http://127.0.0.1:<port>/#token=<token>` to print or open. The renderer reads the token from
// location.hash, removes it at once with history.replaceState (so it is not left in the address
// bar, history or bookmarks), and sends it in the X-ResetPath-Token header of every POST /api/<key>
// with Content-Type: application/json. The fragment never reaches any server, and no other page
// can read it, so only the page opened from that URL can call the API.
//
// Order of checks on every request, and the status of each refusal:
//   Host header not exactly 127.0.0.1:<port> or localhost:<port>  403 (DNS rebinding)
//   Origin header present and not this host's origin              403 (cross-site pages)
//   /api/*: token missing or wrong                                  401 (both: the caller learns nothing more)
//   /api/*: method other than POST                                  405 (Allow: POST)
//   /api/<key>: key not in the contract                             404
//   /api/*: Content-Type not application/json                      415
//   /api/*: body over MAX_API_BODY_BYTES                            413
//   /api/*: body not UTF-8 JSON                                     400
//   /api/*: payload fails its schema                                400 naming the field (from dispatch)
//   /api/*: handler errors                                          API_ERRORS status of the code
//   static: method other than GET or HEAD                           405
//   static: "..", ".", empty segments, encoded "/" "\" NUL, ":"      400
//   static: hidden, missing, directory, or a symlink leaving the folder  404
// The token is checked before the method and the key so an unauthenticated caller cannot map the
// API. Static files need no token: the page must load before it can read its fragment.
//
// Limits (HOST_LIMITS; `limits` overrides them, for tests): at most 256 connections at once, those
// beyond are closed as they arrive; a request's headers must arrive within 10 s and the whole
// request within 30 s, else the client gets 408 and its socket is destroyed (checked every second,
// so a slowloris client trickling header bytes is dropped too); an idle keep-alive connection is
// closed after 5 s. A malformed request is answered 400 and its socket destroyed, never only ended,
// so a client that does not close its side cannot keep the descriptor.
import { realpathSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { API_ERRORS, PRESENTER_KEYS, type ApiKey } from '../../contract/index.ts';
import type { AppService } from '../service.ts';
import {
  API_CSP,
  browserUrl,
  contentTypeFor,
  isAllowedHost,
  isAllowedOrigin,
  isJsonContentType,
  LOOPBACK,
  MAX_API_BODY_BYTES,
  newToken,
  parseRoute,
  presenterSessionOf,
  refusalBody,
  RENDERER_CSP,
  resolveStaticFile,
  TOKEN_HEADER,
  tokensEqual,
} from './security.ts';

/** The host's connection cap and timeouts (README, "Browser mode"). */
export interface HostLimits {
  /** Connections open at once; a connection beyond them is closed as it arrives. */
  maxConnections: number;
  /** Time for a request's headers to arrive (Node's headersTimeout). */
  headersTimeoutMs: number;
  /** Time for a whole request, body included, to arrive (Node's requestTimeout). */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long. */
  keepAliveTimeoutMs: number;
  /** How often the two request timeouts are checked (Node's connectionsCheckingInterval). */
  checkIntervalMs: number;
}

export const HOST_LIMITS: Readonly<HostLimits> = Object.freeze({ maxConnections: 256, headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, checkIntervalMs: 1_000 });

/** The limits with `overrides` applied; throws on values that would disable a limit or contradict another. */
export function hostLimits(overrides: Partial<HostLimits> = {}): HostLimits {
  const l: HostLimits = { ...HOST_LIMITS, ...overrides };
  for (const [k, v] of Object.entries(l)) if (!Number.isInteger(v) || v < 1) throw new Error(`browser host limit ${k} must be a whole number, 1 or more (got ${String(v)})`);
  if (l.requestTimeoutMs < l.headersTimeoutMs) throw new Error(`browser host limit requestTimeoutMs (${l.requestTimeoutMs}) must not be shorter than headersTimeoutMs (${l.headersTimeoutMs})`);
  return l;
}

export interface BrowserHostOptions {
  service: Pick<AppService, 'dispatch'>;
  /** The built renderer (index.html and its assets). */
  staticDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Must be 127.0.0.1; anything else is refused, whatever the caller wanted. */
  host?: string;
  /** Receives detail of unexpected errors; defaults to stderr. */
  log?: (line: string) => void;
  /** Overrides of HOST_LIMITS (tests use short timeouts). */
  limits?: Partial<HostLimits>;
}

export interface BrowserHost {
  /** The URL to open, token in the fragment. */
  url: string;
  port: number;
  token: string;
  /** Connections open now (for diagnostics and tests). */
  connections(): Promise<number>;
  close(): Promise<void>;
}

const COMMON_HEADERS: OutgoingHttpHeaders = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** Starts the browser-mode host on loopback with a fresh token; resolves once it is listening. */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const bind = options.host ?? LOOPBACK;
  if (bind !== LOOPBACK) throw new Error(`browser mode binds ${LOOPBACK} only, not ${bind}: the API must not be reachable from other machines`);
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port ${port}`);
  const rootReal = realpathSync(options.staticDir);
  if (!statSync(rootReal).isDirectory()) throw new Error(`${options.staticDir} is not a folder`);
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const limits = hostLimits(options.limits);
  const token = newToken();
  let actualPort = 0;

  const timeouts = { requestTimeout: limits.requestTimeoutMs, headersTimeout: limits.headersTimeoutMs, keepAliveTimeout: limits.keepAliveTimeoutMs, connectionsCheckingInterval: limits.checkIntervalMs };
  const server = createServer(timeouts, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      log(`resetpath browser host: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      if (!res.headersSent) sendJson(res, 500, refusalBody(500, 'internal error; the details are in the backend log'));
      else res.destroy();
    });
  });
  server.maxConnections = limits.maxConnections;
  // Malformed HTTP and requests too slow to arrive never reach the handler: answer them without
  // echoing anything back, then destroy the socket. Ending it would leave it half-open for as long
  // as the client keeps its side open, holding a descriptor per hostile client.
  server.on('clientError', (err: NodeJS.ErrnoException, duplex) => {
    const socket = duplex as Socket;
    if (socket.writable && socket.bytesWritten === 0) socket.write(`HTTP/1.1 ${clientErrorStatus(err.code)}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    socket.destroy();
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Node keeps only the first of repeated Host headers; a request with two is refused outright.
    const hosts = req.headersDistinct.host;
    if (!hosts || hosts.length !== 1 || !isAllowedHost(hosts[0], actualPort)) return refuse(res, 403, 'this host serves only http://127.0.0.1:<port> and http://localhost:<port>');
    if (!isAllowedOrigin(req.headers.origin, actualPort)) return refuse(res, 403, 'cross-origin requests are refused');
    const route = parseRoute(req.url ?? '');
    if (route.kind === 'api' || route.kind === 'api-unknown') return handleApi(req, res, route);
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'only GET and HEAD are served here', { allow: 'GET, HEAD' });
    if (route.kind === 'favicon') return send(res, 204, {}, undefined);
    if (route.kind === 'refused') return refuse(res, route.status, route.status === 404 ? 'not found' : `bad path: ${route.reason}`);
    const file = resolveStaticFile(rootReal, route.file);
    if (!file) return refuse(res, 404, 'not found');
    const body = readFileSync(file);
    send(res, 200, { 'content-type': contentTypeFor(file), 'content-length': body.length, 'content-security-policy': RENDERER_CSP }, req.method === 'HEAD' ? undefined : body);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, route: { kind: 'api'; key: ApiKey } | { kind: 'api-unknown'; name: string }): Promise<void> {
    const tokens = req.headersDistinct[TOKEN_HEADER];
    const full = !!tokens && tokens.length === 1 && tokensEqual(tokens[0], token);
    // A presenter tab's token reads one session's room view and nothing else (the notes, hidden
    // verdicts and every change stay with the console's token), as the desktop's presenter window.
    const presenterSession = !full && !!tokens && tokens.length === 1 ? presenterSessionOf(token, tokens[0]!) : null;
    if (!full && presenterSession === null) return refuse(res, 401, `missing or wrong ${TOKEN_HEADER} header`);
    if (presenterSession !== null && (route.kind !== 'api' || !PRESENTER_KEYS.has(route.key))) return refuse(res, 403, "this token may only read a tabletop session's presenter view");
    if (req.method !== 'POST') return refuse(res, 405, 'API calls are POST only', { allow: 'POST' });
    if (route.kind === 'api-unknown') return refuse(res, 404, `unknown API call "${route.name.slice(0, 64)}"`);
    if (!isJsonContentType(req.headers['content-type'])) return refuse(res, 415, 'Content-Type must be application/json');
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_API_BODY_BYTES) return refuse(res, 413, `request body is larger than ${MAX_API_BODY_BYTES} bytes`);
    const body = await readBody(req, MAX_API_BODY_BYTES);
    if (body === null) return refuse(res, 413, `request body is larger than ${MAX_API_BODY_BYTES} bytes`);
    let payload: unknown;
    try {
      payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
    } catch {
      return refuse(res, 400, 'request body is not valid UTF-8 JSON');
    }
    if (presenterSession !== null && (payload as { sessionId?: unknown } | null)?.sessionId !== presenterSession) {
      return refuse(res, 403, 'this token reads the presenter view of the session it was opened for, not another');
    }
    const result = await options.service.dispatch(route.key, payload);
    if (result.ok) return sendJson(res, 200, result.value);
    sendJson(res, API_ERRORS[result.error.code], result.error);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: LOOPBACK, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  if (addr.address !== LOOPBACK) {
    server.close();
    throw new Error(`browser host ended up on ${addr.address}, not ${LOOPBACK}; refusing to serve`);
  }
  actualPort = addr.port;

  return {
    url: browserUrl(actualPort, token),
    port: actualPort,
    token,
    connections: () => new Promise<number>((resolve, reject) => server.getConnections((e, n) => (e ? reject(e) : resolve(n)))),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The status line for a request Node refused before the handler (as Node's own default handler words it). */
function clientErrorStatus(code: string | undefined): string {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return '408 Request Timeout';
  if (code === 'HPE_HEADER_OVERFLOW') return '431 Request Header Fields Too Large';
  return '400 Bad Request';
}

/** Reads the body up to `limit` bytes; null when it is longer (the rest is discarded unread). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks, size));
    });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, headers: OutgoingHttpHeaders, body: Buffer | string | undefined): void {
  res.writeHead(status, { ...COMMON_HEADERS, ...headers });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown, extra: OutgoingHttpHeaders = {}): void {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  send(res, status, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length, 'content-security-policy': API_CSP, ...extra }, body);
}

function refuse(res: ServerResponse, status: number, message: string, extra: OutgoingHttpHeaders = {}): void {
  // A refused request may still be sending its body; closing the connection stops it cleanly.
  sendJson(res, status, refusalBody(status, message), { ...extra, connection: 'close' });
}
