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
import { realpathSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_ERRORS, type ApiKey } from '../../contract/index.ts';
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
  refusalBody,
  RENDERER_CSP,
  resolveStaticFile,
  TOKEN_HEADER,
  tokensEqual,
} from './security.ts';

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
}

export interface BrowserHost {
  /** The URL to open, token in the fragment. */
  url: string;
  port: number;
  token: string;
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
  const token = newToken();
  let actualPort = 0;

  const server = createServer({ requestTimeout: 60_000, headersTimeout: 20_000 }, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      log(`resetpath browser host: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      if (!res.headersSent) sendJson(res, 500, refusalBody(500, 'internal error; the details are in the backend log'));
      else res.destroy();
    });
  });
  // Malformed HTTP never reaches the handler; answer it without echoing anything back.
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
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
    if (!tokens || tokens.length !== 1 || !tokensEqual(tokens[0], token)) return refuse(res, 401, `missing or wrong ${TOKEN_HEADER} header`);
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
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
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
