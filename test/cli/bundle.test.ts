// `node bin/resetpath.js` runs the CLI from the esbuild bundle in out/cli/ (scripts/cli-bundle.mjs):
// as a real process it behaves exactly like the sources run in-process, it builds the bundle when
// it is missing, rebuilds it when a source changed, and falls back to tsx when it cannot build.
// Speed is the benchmark's business (npm run bench:cli); nothing here is timed.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command, Help } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { simulationWorkerEntry, WORKFLOW_LIBRARY_DIR } from '../../backend/index.ts';
import type { CommandIO } from '../../cli/io.ts';
import { COMMANDS } from '../../cli/main.ts';
import { Workspace } from '../../storage/index.ts';
import { workflowYaml } from '../storage/fixtures/models.ts';
import { run } from './capture.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
}

interface Proc {
  code: number;
  out: string;
  err: string;
}

/** Runs `node <root>/bin/resetpath.js <args>` as a separate process. */
function cli(root: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Proc> {
  return new Promise((done) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    if (!('RESETPATH_FROM_SOURCE' in env)) delete childEnv.RESETPATH_FROM_SOURCE;
    execFile(process.execPath, [join(root, 'bin', 'resetpath.js'), ...args], { cwd: root, env: childEnv, maxBuffer: 64 * 1024 * 1024 }, (error, out, err) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, out, err });
    });
  });
}

const stampOf = (root: string) => JSON.parse(readFileSync(join(root, 'out', 'cli', 'stamp.json'), 'utf8')) as { entry: string; inputs: Record<string, [number, number]> };

/** A copy of the sources the bundle is built from, sharing this checkout's node_modules. */
function copyOfCheckout(): string {
  const dir = tempDir('resetpath-bundle-');
  for (const p of ['bin', 'scripts/cli-bundle.mjs', 'cli', 'models', 'scenarios', 'analysis', 'backend', 'storage', 'contract', 'package.json', 'tsconfig.json']) {
    cpSync(join(ROOT, p), join(dir, p), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

describe('the command registry behind lazy loading', () => {
  it('lists every command with the usage term and description its module registers', async () => {
    const io: CommandIO = { out: () => {}, err: () => {}, setExitCode: () => {}, color: false };
    for (const entry of COMMANDS) {
      const program = new Command('resetpath');
      (await entry.load()).register(program, io);
      const cmd = program.commands.find((c) => c.name() === entry.name);
      expect(cmd, entry.name).toBeDefined();
      expect(new Help().subcommandTerm(cmd!)).toBe(entry.term);
      expect(cmd!.description()).toBe(entry.description);
    }
  });
});

/** Every module a bundle file loads statically (dynamic import() excluded), transitively. */
function staticClosure(root: string, file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(join(root, 'out', 'cli', file), 'utf8');
  for (const m of text.matchAll(/^import\s(?:[^;]*?\sfrom\s)?"([^"]+)";/gms)) {
    const spec = m[1]!;
    if (spec.startsWith('./')) staticClosure(root, spec.slice(2), seen);
    else seen.add(spec);
  }
  return seen;
}

/** The bundle file holding a command's module, as the registry in the entry module imports it. */
function chunkOf(root: string, command: string): string {
  const main = readFileSync(join(root, 'out', 'cli', stampOf(root).entry), 'utf8');
  return new RegExp(`name: "${command}"[^\\n]*import\\("\\./([^"]+)"\\)`).exec(main)![1]!;
}

describe('what each command loads', () => {
  it('loads nothing but commander and the registry for --help: no engine, storage, YAML or schemas', async () => {
    await cli(ROOT, ['--help']); // builds the bundle if it is missing or stale
    const packages = [...staticClosure(ROOT, stampOf(ROOT).entry)].filter((m) => !m.endsWith('.mjs'));
    expect(packages).toEqual(['commander']);
  });

  it('loads the catalogue for controls, but not SQLite, YAML, zod or XState', async () => {
    await cli(ROOT, ['controls']);
    const loaded = [...staticClosure(ROOT, chunkOf(ROOT, 'controls'), staticClosure(ROOT, stampOf(ROOT).entry))];
    expect(loaded.filter((m) => !m.endsWith('.mjs') && !m.startsWith('node:'))).toEqual(['commander']);
  });

  it('loads the engine and SQLite only for the commands that use them', async () => {
    await cli(ROOT, ['--help']);
    expect(staticClosure(ROOT, chunkOf(ROOT, 'audit'))).toContain('better-sqlite3');
    expect(staticClosure(ROOT, chunkOf(ROOT, 'analyze'))).toContain('yaml');
  });
});

describe('node bin/resetpath.js (the bundle, as a real process)', () => {
  it('prints the command list for --help and exits 0', async () => {
    const r = await cli(ROOT, ['--help']);
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.out).toContain(`  ${c.term}`);
    expect(r.err).toBe('');
  });

  it('prints the control catalogue and one control in full', async () => {
    const all = await cli(ROOT, ['controls']);
    expect(all.code).toBe(0);
    expect(all.out).toContain('callback.number_on_file');
    const one = await cli(ROOT, ['controls', 'callback.number_on_file']);
    expect(one.code).toBe(0);
    expect(one.out).toMatch(/^callback\.number_on_file — /);
    expect(one.out).toContain('framework mappings:');
  });

  it('prints byte for byte what the sources print, with the same exit code, for every command', async () => {
    const weak = join(WORKFLOW_LIBRARY_DIR, 'standard-password-reset.weak.yaml');
    const ws = join(tempDir('resetpath-bundle-ws-'), 'cli.resetpath');
    const w = Workspace.create(ws);
    w.saveWorkflowRevision({ text: workflowYaml('wf.bundle'), reason: 'first draft' });
    w.close();
    const cases = [
      ['--help'],
      ['--version'],
      ['help', 'analyze'],
      ['audit', '--help'],
      ['no-such-command'],
      ['controls', '--format', 'json'],
      ['controls', 'callback.number_on_file'],
      ['controls', 'no.such.control'],
      ['lint', weak, '--format', 'json'],
      ['show', weak],
      ['replay', 'standard-password-reset.weak', '-s', 's01-osint-vishing'],
      ['analyze', 'standard-password-reset.weak', '-s', 's01-osint-vishing', '--format', 'json', '--fail-on', 'any'],
      ['analyze', '--format', 'xml'],
      ['audit', 'verify', ws],
      ['audit', 'log', ws, '--format', 'json'],
    ];
    const procs = await Promise.all(cases.map((args) => cli(ROOT, args)));
    for (const [i, args] of cases.entries()) {
      const inProcess = await run(...args);
      expect({ args, code: procs[i]!.code, out: procs[i]!.out, err: procs[i]!.err }).toEqual({ args, code: inProcess.code, out: inProcess.out, err: inProcess.err });
    }
  });
});

describe('simulation threads of the bundled CLI', () => {
  it('start from the bundle\'s own worker module, named in the stamp, and give the report the sources give in one thread', async () => {
    const args = ['simulate', 'standard-password-reset.weak', '--days', '1', '--runs', '3', '--seed', '7', '--format', 'json'];
    const threads = await cli(ROOT, [...args, '--workers', '2']);
    expect(threads.code).toBe(0);
    const stamp = JSON.parse(readFileSync(join(ROOT, 'out', 'cli', 'stamp.json'), 'utf8')) as { simulationWorker?: string; outputs: string[] };
    expect(stamp.simulationWorker).toMatch(/^simulation-worker-\w+\.mjs$/);
    expect(stamp.outputs).toContain(stamp.simulationWorker);
    const inProcess = await run(...args, '--workers', '0');
    expect(JSON.parse(threads.out)).toEqual(JSON.parse(inProcess.out));
  });

  it('are started from the module RESETPATH_SIMULATION_WORKER names when it exists, else as before', () => {
    const named = join(ROOT, 'out', 'cli', stampOf(ROOT).entry);
    expect(simulationWorkerEntry(import.meta.url, { RESETPATH_SIMULATION_WORKER: named }).href).toBe(pathToFileURL(named).href);
    const fallback = simulationWorkerEntry(import.meta.url, {}).href;
    expect(simulationWorkerEntry(import.meta.url, { RESETPATH_SIMULATION_WORKER: join(ROOT, 'out', 'cli', 'no-such-worker.mjs') }).href).toBe(fallback);
    expect(fallback).toMatch(/backend\/worker\/simulationWorker\.mjs$/);
  });
});

describe('the bundle in a checkout', () => {
  it('is built on first run when missing, and reused while no source changed', async () => {
    const dir = copyOfCheckout();
    const first = await cli(dir, ['controls']);
    expect(first.code).toBe(0);
    expect(first.err).toBe('');
    expect(first.out).toContain('callback.number_on_file');
    const stamp = join(dir, 'out', 'cli', 'stamp.json');
    const built = statSync(stamp).mtimeMs;
    expect(stampOf(dir).inputs['cli/commands/controls.ts']).toBeDefined();
    const again = await cli(dir, ['controls']);
    expect(again.out).toBe(first.out);
    expect(statSync(stamp).mtimeMs).toBe(built);
  });

  it('is rebuilt after a source change, so the command never runs old code', async () => {
    const dir = copyOfCheckout();
    await cli(dir, ['--help']);
    const before = stampOf(dir).entry;
    const main = join(dir, 'cli', 'main.ts');
    writeFileSync(main, readFileSync(main, 'utf8').replace('Which control allowed a help-desk reset', 'Edited after the build: which control'));
    const r = await cli(dir, ['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Edited after the build: which control');
    expect(stampOf(dir).entry).not.toBe(before);
  });

  it('counts a changed modification time of any input as stale, even with the same size', async () => {
    const dir = copyOfCheckout();
    await cli(dir, ['--help']);
    const stampFile = join(dir, 'out', 'cli', 'stamp.json');
    const stamp = stampOf(dir);
    stamp.inputs['models/catalogue/controls.ts']![0] -= 1000;
    writeFileSync(stampFile, JSON.stringify(stamp));
    const faked = statSync(stampFile).mtimeMs;
    const r = await cli(dir, ['controls']);
    expect(r.code).toBe(0);
    expect(statSync(stampFile).mtimeMs).not.toBe(faked);
    expect(stampOf(dir).inputs['models/catalogue/controls.ts']).toEqual([statSync(join(dir, 'models/catalogue/controls.ts')).mtimeMs, statSync(join(dir, 'models/catalogue/controls.ts')).size]);
  });

  it('falls back to the sources through tsx, with a one-line note on stderr, when it cannot be built', async () => {
    const dir = copyOfCheckout();
    writeFileSync(join(dir, 'out'), 'a file where the out/ folder should be\n');
    const r = await cli(dir, ['controls', 'callback.number_on_file']);
    expect(r.code).toBe(0);
    expect(r.out).toBe((await run('controls', 'callback.number_on_file')).out);
    expect(r.err).toMatch(/^resetpath: could not build the CLI bundle \(.+\); running from source through tsx, which starts slower\n$/);
  });

  it('runs the sources through tsx without a note when RESETPATH_FROM_SOURCE=1', async () => {
    const dir = copyOfCheckout();
    const r = await cli(dir, ['--help'], { RESETPATH_FROM_SOURCE: '1' });
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toBe((await run('--help')).out);
    expect(() => statSync(join(dir, 'out'))).toThrow();
  });
});

describe('resetpath in a pipe', () => {
  it('stops quietly when its reader goes away (| head): no EPIPE stack trace, its own exit code', async () => {
    const { spawn } = await import('node:child_process');
    const closeEarly = (args: string[]) =>
      new Promise<{ code: number | null; err: string }>((done) => {
        const child = spawn(process.execPath, [join(ROOT, 'bin', 'resetpath.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
        let err = '';
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        // The reader takes the first chunk and closes its end, as `head -c 10` does.
        child.stdout.once('data', () => child.stdout.destroy());
        child.on('close', (code) => done({ code, err }));
      });
    const controls = await closeEarly(['controls', '-f', 'json']);
    expect(controls.err).not.toMatch(/EPIPE|\n\s+at /);
    expect(controls.code).toBe(0);
    const gate = await closeEarly(['analyze', 'standard-password-reset.weak', '-f', 'json', '--fail-on', 'any']);
    expect(gate.err).not.toMatch(/EPIPE|\n\s+at /);
    expect(gate.code).toBe(1);
  });
});
