// bench/generate.ts as a command: `npx tsx bench/generate.ts --steps N [--seed S] [--controls C] --out FILE`
// writes the seeded synthetic workflow as the YAML text the generator builds, which resetpath loads.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { AnalysisReport } from '../../analysis/index.ts';
import { CONTROLS } from '../../models/index.ts';
import { generateCli, generateWorkflow, generateWorkflowText } from '../../bench/generate.ts';
import { run } from './capture.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'resetpath-generate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function generate(...args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = generateCli(['node', 'generate.ts', ...args], { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe('bench/generate.ts --steps N --seed S --out FILE', () => {
  it('writes the YAML text the generator builds, for the workflow generateWorkflow returns', () => {
    const file = join(dir, 'g20.yaml');
    const r = generate('--steps', '20', '--seed', '3', '--out', file);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toBe(`${file}: generated.s20.c25.seed3, 20 steps, controls drawn from the first 25 of the catalogue\n`);
    expect(readFileSync(file, 'utf8')).toBe(generateWorkflowText(20, 25, 3));
    expect(generateWorkflow(20, 25, 3).id).toBe('generated.s20.c25.seed3');
  });

  it('writes a file that resetpath lint and analyze load', async () => {
    const file = join(dir, 'g30.yaml');
    expect(generate('--steps', '30', '--seed', '9', '--controls', '12', '--out', file).code).toBe(0);
    const lint = await run('lint', file);
    expect(lint.out).toContain('1 file checked:');
    expect(lint.code).not.toBe(2);
    const analyze = await run('analyze', file, '-s', 's01-osint-vishing', '--format', 'json');
    expect(analyze.code).toBe(0);
    const report = JSON.parse(analyze.out) as AnalysisReport;
    expect(report.workflows.map((w) => w.id)).toEqual(['generated.s30.c12.seed9']);
  });

  it('writes the same file for the same seed and a different one for another seed', () => {
    const [a, b, c] = ['a', 'b', 'c'].map((n) => join(dir, `${n}.yaml`));
    generate('--steps', '16', '--out', a!);
    generate('--steps', '16', '--seed', '1', '--out', b!);
    generate('--steps', '16', '--seed', '2', '--out', c!);
    expect(readFileSync(a!, 'utf8')).toBe(readFileSync(b!, 'utf8'));
    expect(readFileSync(c!, 'utf8')).not.toBe(readFileSync(a!, 'utf8'));
  });

  it.each([
    [['--out', 'x.yaml'], /^error: required option '--steps <n>' not specified\n$/],
    [['--steps', '20'], /^error: required option '--out <file>' not specified\n$/],
    [['--steps', 'many', '--out', 'x.yaml'], /^error: option '--steps <n>' argument 'many' is invalid\. --steps must be a whole number from 8 to 100000\n$/],
    [['--steps', '3', '--out', 'x.yaml'], /--steps must be a whole number from 8/],
    [['--steps', '20', '--seed', '-1', '--out', 'x.yaml'], /--seed must be a whole number from 0 to 4294967295\n$/],
    [['--steps', '20', '--controls', '99', '--out', 'x.yaml'], new RegExp(`--controls must be a whole number from 1 to ${CONTROLS.length}\n$`)],
    [['--steps', '20', '--out', 'x.yaml', '--colour'], /^error: unknown option '--colour'\n$/],
    [['--steps', '9000', '--out', 'x.yaml'], /^generate\.ts: --steps 9000 gives a \d+-byte file; resetpath loads model files up to 2097152 bytes/],
  ])('refuses %j with exit code 2, one line on stderr and no file', (args, message) => {
    const r = generate(...args.map((a) => (a === 'x.yaml' ? join(dir, 'refused.yaml') : a)));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(existsSync(join(dir, 'refused.yaml'))).toBe(false);
  });

  it('refuses an output path it cannot write with exit code 2 and one line', () => {
    const r = generate('--steps', '12', '--out', join(dir, 'no-such-folder', 'g.yaml'));
    expect(r.code).toBe(2);
    expect(r.err).toBe(`generate.ts: cannot write ${join(dir, 'no-such-folder', 'g.yaml')} (ENOENT)\n`);
  });

  it('runs as a command when executed directly', () => {
    const file = join(dir, 'direct.yaml');
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'generate.ts'), '--steps', '12', '--seed', '5', '--out', file], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(generateWorkflowText(12, 25, 5));
    const bad = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'generate.ts'), '--steps', '12'], { cwd: ROOT, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe("error: required option '--out <file>' not specified\n");
  });
});
