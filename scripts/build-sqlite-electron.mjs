#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into native/electron/better_sqlite3.node, from a copy of
// the package, so node_modules keeps the Node build that tests and the CLI load. The desktop app
// passes the result to storage as `nativeBinding` (README, "Native module (better-sqlite3)").
//
// Needs the Electron headers from https://electronjs.org/headers, so it runs on a packaging machine
// with that access; offline (as on the development VM) node-gyp fails to download them and this
// script exits 1 without touching node_modules.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const electronVersion = process.env.ELECTRON_VERSION ?? require('electron/package.json').version;
const source = dirname(require.resolve('better-sqlite3/package.json'));
const outDir = join(root, 'native', 'electron');
const work = join(outDir, 'better-sqlite3');

const nodeGyp =
  process.env.npm_config_node_gyp ?? join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
if (!existsSync(nodeGyp)) fail(`node-gyp not found at ${nodeGyp}; run through npm (npm run build:sqlite:electron)`);

mkdirSync(outDir, { recursive: true });
// The output is a build artefact; the folder ignores itself so no shared .gitignore edit is needed.
writeFileSync(join(root, 'native', '.gitignore'), '*\n');
rmSync(work, { recursive: true, force: true });
cpSync(source, work, { recursive: true, filter: (p) => !p.startsWith(join(source, 'build')) && !p.startsWith(join(source, 'node_modules')) });

// A nodedir from the user's npmrc (set so the Node build finds local headers offline) leaks into
// node-gyp through the environment and yields a Node-ABI binary labelled as Electron: drop it.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_(nodedir|target|runtime|disturl|dist_url)$/i.test(k)));
console.log(`building better-sqlite3 for Electron ${electronVersion} in ${work}`);
const r = spawnSync(
  process.execPath,
  [nodeGyp, 'rebuild', '--release', `--target=${electronVersion}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers', `--devdir=${join(root, 'native', '.node-gyp')}`],
  { cwd: work, env, stdio: 'inherit' },
);
if (r.status !== 0) fail('node-gyp failed (offline machines cannot download the Electron headers); node_modules was not touched');

// Check the ABI actually built, since a wrong one only shows when Electron refuses to load it.
const gypi = readFileSync(join(work, 'build', 'config.gypi'), 'utf8');
const built = Number(/"node_module_version":\s*(\d+)/.exec(gypi)?.[1]);
let expected;
try {
  expected = Number(require('node-abi').getAbi(electronVersion, 'electron'));
} catch {
  console.warn('node-abi is not installed; skipping the ABI check');
}
if (expected !== undefined && built !== expected) fail(`built for NODE_MODULE_VERSION ${built}, but Electron ${electronVersion} needs ${expected}`);

const target = join(outDir, 'better_sqlite3.node');
copyFileSync(join(work, 'build', 'Release', 'better_sqlite3.node'), target);
console.log(`ok: ${target} (ABI ${built}); pass it to storage as { nativeBinding: '${target}' }`);

function fail(message) {
  console.error(`build:sqlite:electron: ${message}`);
  process.exit(1);
}
