import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const RUNNER = join(dirname(fileURLToPath(import.meta.url)), 'electronegativity-runner.cjs');
const ROOT = join(dirname(RUNNER), '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'resetpath-eng-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Report {
  findings: { id: string; severity: string; file: string; line: number }[];
  errors: { file: string; message: string; tolerable: boolean }[];
  annotations: { file: string; line: number; checks: string[] }[];
  failing: { findings: unknown[]; errors: unknown[] };
  checks: number;
  output: string;
}

async function scan(input: string): Promise<{ code: number; report: Report }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [RUNNER, '--input', input, '--output', join(tmp, 'report.csv'), '--json'], { cwd: ROOT, env: { ...process.env, LANG: 'en-US' } });
    return { code: 0, report: JSON.parse(stdout) as Report };
  } catch (e) {
    const err = e as { code: number; stdout: string };
    return { code: err.code, report: JSON.parse(err.stdout) as Report };
  }
}

describe('electronegativity over electron/', () => {
  let shell: { code: number; report: Report };
  beforeAll(async () => {
    shell = await scan('electron');
  });

  it('finds nothing above informational and parses every file, offline', () => {
    const { code, report } = shell;
    expect(report.checks).toBeGreaterThan(30);
    expect(report.failing).toEqual({ findings: [], errors: [] });
    expect(report.findings.filter((f) => f.severity !== 'INFORMATIONAL')).toEqual([]);
    expect(code).toBe(0);
  });

  it('silences only the three checks that ask for a manual review, each where a test backs the review', () => {
    const { report } = shell;
    expect(report.annotations.map((a) => [a.file, a.checks])).toEqual([
      // one command-line switch, a V8 heap size for the renderers: contract-coverage.test.ts
      ['main/index.ts', ['CUSTOM_ARGUMENTS_JS_CHECK']],
      // composed CSP, evaluated with the same evaluator: csp.test.ts
      ['main/policy/csp.ts', ['CSP_GLOBAL_CHECK']],
      // the preload exposes only the contract: contract-coverage.test.ts
      ['main/policy/mainWindow.ts', ['PRELOAD_JS_CHECK']],
    ]);
  });

  it('does fail on an insecure window, so a clean result means something', async () => {
    const bad = join(tmp, 'bad');
    mkdirSync(bad);
    writeFileSync(
      join(bad, 'main.ts'),
      "import { BrowserWindow, shell } from 'electron';\nconst w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });\nw.webContents.on('will-navigate', (_e, url: string) => shell.openExternal(url));\n",
    );
    const { code, report } = await scan(bad);
    expect(code).toBe(1);
    expect(report.findings.map((f) => f.id)).toEqual(expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'OPEN_EXTERNAL_JS_CHECK', 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK']));
  });
});
