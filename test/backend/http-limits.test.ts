// The browser-mode host under hostile clients, over raw loopback sockets: malformed requests and
// slow (slowloris) clients are dropped and their sockets released, and connections beyond the cap
// are closed at once. The limits are the host's options, set small here so nothing waits long.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HOST_LIMITS, startBrowserHost, type BrowserHost } from '../../backend/index.ts';

let dir: string;
let staticDir: string;
const hosts: BrowserHost[] = [];
const sockets: Socket[] = [];

const service = { dispatch: async () => ({ ok: true as const, value: {} }) } as unknown as Parameters<typeof startBrowserHost>[0]['service'];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'resetpath-http-limits-'));
  staticDir = join(dir, 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>ResetPath</title>');
});

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const h of hosts.splice(0)) await h.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function host(limits: Partial<typeof HOST_LIMITS>): Promise<BrowserHost> {
  const h = await startBrowserHost({ service, staticDir, limits, log: () => {} });
  hosts.push(h);
  return h;
}

interface Client {
  socket: Socket;
  /** Everything the server sent. */
  received: () => string;
  /** Resolves when the server closed its side (or the connection was reset). */
  ended: Promise<void>;
}

/** A raw client that keeps its own side open after the server ends (allowHalfOpen), like a hostile one. */
function client(port: number, first: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    let data = '';
    const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    sockets.push(socket);
    const ended = new Promise<void>((res) => {
      socket.on('end', () => res());
      socket.on('close', () => res());
    });
    socket.on('error', () => {});
    socket.on('data', (d: Buffer) => (data += d.toString('latin1')));
    socket.once('connect', () => {
      socket.write(first);
      resolve({ socket, received: () => data, ended });
    });
    socket.once('error', reject);
  });
}

async function until(check: () => Promise<boolean> | boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}

const partial = (port: number) => `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: `;

describe('browser host limits', () => {
  it('documents its limits: 256 connections, 10 s for headers, 30 s for a request, 5 s keep-alive', () => {
    expect(HOST_LIMITS).toEqual({ maxConnections: 256, headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, checkIntervalMs: 1_000 });
  });

  it('destroys the socket of a malformed request after answering 400, instead of leaving it half-open', async () => {
    const h = await host({});
    const c = await client(h.port, 'NOT HTTP AT ALL\r\n\r\n');
    await c.ended;
    expect(c.received()).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    // The client never closes its side; the server must not keep the descriptor for it.
    expect(await until(async () => (await h.connections()) === 0, 2000)).toBe(true);
    expect(c.socket.destroyed || c.socket.readableEnded).toBe(true);
  });

  it('drops clients that never finish their headers (slowloris) after the headers timeout, and releases their sockets', async () => {
    const h = await host({ headersTimeoutMs: 300, requestTimeoutMs: 600, checkIntervalMs: 100 });
    const clients = await Promise.all(Array.from({ length: 20 }, () => client(h.port, partial(h.port))));
    // Keep trickling header bytes, as a slowloris client does to look alive.
    const trickle = setInterval(() => {
      for (const c of clients) if (!c.socket.destroyed && c.socket.writable) c.socket.write('a');
    }, 50);
    try {
      expect(await until(async () => (await h.connections()) === 20, 1000)).toBe(true);
      await Promise.all(clients.map((c) => c.ended));
      expect(await until(async () => (await h.connections()) === 0, 2000)).toBe(true);
      // Each got a 408 before its socket was destroyed (or nothing, if the reset came first).
      for (const c of clients) expect(c.received()).toMatch(/^(HTTP\/1\.1 408 Request Timeout\r\n[^]*|)$/);
    } finally {
      clearInterval(trickle);
    }
  }, 10_000);

  it('closes connections over the cap at once, and serves again when the slots free up', async () => {
    const h = await host({ maxConnections: 5, headersTimeoutMs: 2000, requestTimeoutMs: 4000, checkIntervalMs: 100 });
    const held = await Promise.all(Array.from({ length: 5 }, () => client(h.port, partial(h.port))));
    expect(await until(async () => (await h.connections()) === 5, 1000)).toBe(true);
    const extra = await Promise.all(Array.from({ length: 5 }, () => client(h.port, partial(h.port))));
    const start = Date.now();
    await Promise.all(extra.map((c) => c.ended));
    expect(Date.now() - start).toBeLessThan(1000);
    expect(await h.connections()).toBe(5);
    for (const c of held) c.socket.destroy();
    expect(await until(async () => (await h.connections()) === 0, 1000)).toBe(true);
    const ok = await client(h.port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${h.port}\r\nConnection: close\r\n\r\n`);
    await ok.ended;
    expect(ok.received()).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  });

  it('refuses limits that make no sense', async () => {
    await expect(startBrowserHost({ service, staticDir, limits: { maxConnections: 0 } })).rejects.toThrow(/maxConnections/);
    await expect(startBrowserHost({ service, staticDir, limits: { headersTimeoutMs: 5000, requestTimeoutMs: 1000 } })).rejects.toThrow(/requestTimeoutMs/);
  });
});
