// Browser mode from the command line: `tsx backend/serve.ts [options]` (npm run serve).
//
// Interface (stable; `npm start` spawns this when Electron is missing, and the end-to-end tests
// start it the same way):
//   --workspace <file>  workspace to open; a file that does not exist is created, empty (its folder
//                       must exist), after one stderr line saying so; default: the sample
//                       workspace in the data folder, created and seeded with the bundled
//                       workflows on first use.
//                       Data folder: $RESETPATH_DATA_DIR, else $XDG_DATA_HOME/resetpath, else
//                       ~/.local/share/resetpath (macOS: ~/Library/Application Support/ResetPath).
//   --static <dir>      the built renderer; default: out/renderer in the checkout.
//   --port <n>          default 0: a free port chosen by the system.
//   --read-only         open the workspace read-only: the UI browses, every change is refused
//                       with 409 "is open read-only". On read-only media (or where the folder
//                       cannot be written) the file is opened immutable, with nothing written
//                       beside it. (The sample workspace is still created on first use.)
// stdout: exactly one line, `ResetPath is running at <url>`, once the host is listening; the URL
// carries the per-launch token in its fragment (see backend/http/host.ts). Nothing else is ever
// written to stdout. Problems go to stderr, one line each.
// When another process holds the workspace for writing, when the file has a second hard link, or
// when it cannot be written, it is opened read-only (said on stderr).
// The host runs with HOST_LIMITS (backend/http/host.ts): 256 connections at once, 10 s for a
// request's headers and 30 s for the whole request, 5 s keep-alive; slow and malformed clients are
// dropped and their sockets destroyed.
// Runs until SIGINT or SIGTERM, then closes the host and the workspace and exits 0.
// Exit 2: bad arguments, missing renderer build, a workspace that cannot be opened or created (a
// missing file with --read-only is refused: there would be nothing to browse), or a port that
// cannot be bound. Exit 0 after a signal.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppService } from './service.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface Args {
  workspace?: string;
  static: string;
  port: number;
  readOnly: boolean;
}

/** Parses the command line; returns a one-line problem for anything it does not understand. */
function parseServeArgs(argv: readonly string[]): Args | { problem: string } {
  const out: Args = { static: join(ROOT, 'out', 'renderer'), port: 0, readOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--read-only') {
      out.readOnly = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 && arg.startsWith('--') ? arg.slice(0, eq) : arg;
    const inline = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : undefined;
    if (name !== '--workspace' && name !== '--static' && name !== '--port') return { problem: `unknown argument ${arg} (expected --workspace <file>, --static <dir>, --port <n>, --read-only)` };
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') return { problem: `${name} needs a value` };
    if (name === '--workspace') out.workspace = resolve(value);
    else if (name === '--static') out.static = resolve(value);
    else {
      const port = Number(value);
      if (!Number.isInteger(port) || port < 0 || port > 65535) return { problem: `--port must be a number from 0 to 65535, not ${value}` };
      out.port = port;
    }
  }
  return out;
}

function fail(message: string): never {
  process.stderr.write(`resetpath serve: ${message}\n`);
  process.exit(2);
}

async function openService(workspacePath: string, readOnly: boolean): Promise<AppService> {
  // Loaded only once the arguments are known good: the engine takes about a second to load, and a
  // refusal should not wait for it.
  const { createAppService } = await import('./service.ts');
  const { WorkspaceError } = await import('../storage/index.ts');
  if (readOnly) return createAppService({ workspacePath, mode: 'browser', readOnly: true });
  try {
    return createAppService({ workspacePath, mode: 'browser' });
  } catch (e) {
    if (e instanceof WorkspaceError && (e.code === 'locked' || e.code === 'hard-linked' || e.code === 'read-only')) {
      process.stderr.write(`resetpath serve: ${e.message}; opening it read-only\n`);
      return createAppService({ workspacePath, mode: 'browser', readOnly: true });
    }
    throw e;
  }
}

async function main(): Promise<void> {
  const args = parseServeArgs(process.argv.slice(2));
  if ('problem' in args) fail(args.problem);
  if (!existsSync(args.static) || !statSync(args.static).isDirectory() || !existsSync(join(args.static, 'index.html'))) {
    fail(`no built renderer at ${args.static} (index.html missing); build the renderer first or pass --static <dir>`);
  }
  if (args.workspace && !existsSync(args.workspace)) {
    if (args.readOnly) fail(`${args.workspace}: no such workspace (with --read-only nothing is created; drop --read-only to create it)`);
    if (!existsSync(dirname(args.workspace))) fail(`${args.workspace}: no such workspace, and its folder ${dirname(args.workspace)} does not exist to create it in`);
    // Said before it is done, on stderr (stdout carries only the URL line).
    process.stderr.write(`resetpath serve: ${args.workspace}: no such workspace; creating a new, empty one\n`);
    const { createWorkspace } = await import('./workspaceFile.ts');
    try {
      createWorkspace(args.workspace, { log: (line) => process.stderr.write(`${line}\n`) });
    } catch (e) {
      fail(`cannot create the workspace: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const { WorkspaceError } = await import('../storage/index.ts');
  const { defaultDataDir, ensureSampleWorkspace } = await import('./sampleWorkspace.ts');
  const { startBrowserHost } = await import('./http/host.ts');
  let service: AppService;
  try {
    service = await openService(args.workspace ?? ensureSampleWorkspace(defaultDataDir()), args.readOnly);
  } catch (e) {
    if (e instanceof WorkspaceError) fail(e.message);
    // e.g. the data folder cannot be created: still one line, not a stack.
    fail(`cannot open the workspace: ${e instanceof Error ? e.message : String(e)}`);
  }
  const host = await startBrowserHost({ service, staticDir: args.static, port: args.port }).catch((e: unknown) => {
    service.close();
    fail(`cannot start the browser host: ${e instanceof Error ? e.message : String(e)}`);
  });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void host.close().finally(() => {
      service.close();
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.stdout.write(`ResetPath is running at ${host.url}\n`);
}

await main();
