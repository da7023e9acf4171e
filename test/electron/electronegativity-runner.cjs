#!/usr/bin/env node
// Runs @doyensec/electronegativity over the Electron shell and fails on any finding above
// informational (npm run lint:electron; test/electron/electronegativity.test.ts runs it too).
//
// Why not its `electronegativity` command: on this dependency tree the command cannot start.
//  - It requires `commander` without declaring it and gets the app's commander 14, whose API it
//    predates (`program.version is not a function`).
//  - Its TypeScript fallback parser (@typescript-eslint/typescript-estree, hoisted) loads the app's
//    TypeScript 7, which has no JavaScript API; electronegativity ships TypeScript 4.2 for it, and
//    the hook below points that parser there.
//  - At start it fetches translations from S3 (a 1 s timeout that stalls longer offline); the
//    bundled en-US strings are complete, so the fetch is answered "offline" without the network.
//  - Its CSV writer writes the header and the rows with two unordered async writes.
// So this calls its documented programmatic entry (runner.js, which returns the findings) and
// writes the CSV report itself, with the same columns.
'use strict';
const Module = require('node:module');
const { readdirSync, readFileSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const EG_DIR = path.dirname(require.resolve('@doyensec/electronegativity/package.json', { paths: [ROOT] }));
const EG_TYPESCRIPT = require.resolve('typescript', { paths: [EG_DIR] });
const ELECTRON_VERSION = require(path.join(ROOT, 'node_modules', 'electron', 'package.json')).version;

function installOfflineHooks() {
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, parent, ...rest) {
    if (request === 'typescript' && parent && parent.filename && !parent.filename.startsWith(path.join(ROOT, 'node_modules', 'typescript'))) return EG_TYPESCRIPT;
    return resolve.call(this, request, parent, ...rest);
  };
  const gotPath = require.resolve('got', { paths: [EG_DIR] });
  const offline = new Module(gotPath);
  offline.filename = gotPath;
  offline.loaded = true;
  offline.exports = () => Promise.reject(new Error('offline: translations are read from the bundled en-US strings'));
  require.cache[gotPath] = offline;
}

const SEVERITY = { INFORMATIONAL: 0, LOW: 1, MEDIUM: 2, HIGH: 3 };

/** Runs the scan; resolves to { findings, errors, checks } with paths relative to the input. */
async function scan(input) {
  installOfflineHooks();
  const loaded = require(path.join(EG_DIR, 'dist', 'runner.js'));
  const run = typeof loaded === 'function' ? loaded : loaded.default;
  const quiet = console.log;
  console.log = () => {}; // its i18n loader prints a line when the (skipped) fetch fails
  let result;
  try {
    result = await run({ input, output: undefined, isSarif: false, customScan: [], excludeFromScan: [], isRelative: true, isVerbose: false, electronVersionOverride: ELECTRON_VERSION, parserPlugins: [] }, false);
  } finally {
    console.log = quiet;
  }
  const findings = result.issues.map((i) => ({
    id: i.id,
    severity: i.severity.name,
    confidence: i.confidence.name,
    file: i.file,
    line: i.location ? i.location.line : 0,
    column: i.location ? i.location.column : 0,
    sample: i.sample || '',
    manualReview: !!i.manualReview,
    description: i.description,
  }));
  return { findings, errors: result.errors, checks: result.globalChecks + result.atomicChecks, annotations: annotations(input) };
}

/**
 * Every `eng-disable` annotation under the input: a check a person reviewed and silenced in
 * place. Listed in every report, so a silenced check is never invisible.
 */
function annotations(input) {
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(c|m)?(j|t)sx?$|\.html?$/.test(e.name)) {
        readFileSync(p, 'utf8').split('\n').forEach((line, i) => {
          const m = line.match(/eng-disable[ \t]+([\w \t]+)/);
          if (m) out.push({ file: path.relative(input, p).replace(/\\/g, '/'), line: i + 1, checks: m[1].trim().split(/[\s,]+/) });
        });
      }
    }
  };
  walk(input);
  return out;
}

const csv = (v) => `"${String(v).replace(/"/g, '""')}"`;

function writeCsv(file, findings) {
  const rows = findings.map((f) => [f.id, f.severity, f.confidence, f.file, `${f.line}:${f.column}`, f.sample, f.description, `https://github.com/doyensec/electronegativity/wiki/${f.id}`].map(csv).join(','));
  writeFileSync(file, ['issue,severity,confidence,filename,location,sample,description,url', ...rows].join('\n') + '\n');
}

/** Findings that fail the build: above informational, or any file the scanner could not parse. */
function failures(report) {
  return {
    findings: report.findings.filter((f) => SEVERITY[f.severity] > SEVERITY.INFORMATIONAL),
    errors: report.errors.filter((e) => !e.tolerable),
  };
}

module.exports = { scan, failures };

if (require.main === module) {
  const args = process.argv.slice(2);
  const arg = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
  };
  const input = path.resolve(ROOT, arg('--input', 'electron'));
  const output = path.resolve(arg('--output', path.join(tmpdir(), 'resetpath-electronegativity.csv')));
  scan(input)
    .then((report) => {
      writeCsv(output, report.findings);
      const bad = failures(report);
      if (args.includes('--json')) process.stdout.write(`${JSON.stringify({ ...report, output, failing: bad })}\n`);
      else {
        for (const f of report.findings) process.stdout.write(`${f.severity.padEnd(13)} ${f.id} ${f.file}:${f.line}:${f.column}${f.manualReview ? ' (review)' : ''}\n`);
        for (const a of report.annotations) process.stdout.write(`reviewed      ${a.checks.join(', ')} silenced at ${a.file}:${a.line}\n`);
        for (const e of report.errors) process.stdout.write(`${e.tolerable ? 'warning' : 'ERROR  '}       cannot parse ${path.relative(input, e.file)}: ${e.message}\n`);
        process.stdout.write(`electronegativity (${report.checks} checks, Electron ${ELECTRON_VERSION}) over ${path.relative(ROOT, input) || '.'}: ${report.findings.length} finding(s), ${bad.findings.length} above informational, ${bad.errors.length} unparsed file(s), ${report.annotations.length} reviewed annotation(s); CSV: ${output}\n`);
      }
      process.exit(bad.findings.length || bad.errors.length ? 1 : 0);
    })
    .catch((e) => {
      process.stderr.write(`electronegativity could not run: ${e && e.stack ? e.stack : e}\n`);
      process.exit(2);
    });
}
