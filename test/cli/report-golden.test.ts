// Golden files of the report formats other tools or people read byte for byte: HTML, OSCAL
// assessment results and OSCAL POA&M, for two bundled weak workflows against three scenarios, at a
// fixed time (SOURCE_DATE_EPOCH). A change in any of them shows up as a diff to review. After an
// intended change, regenerate with `UPDATE_GOLDEN=1 npx vitest run test/cli/report-golden.test.ts`,
// then read the diff (and open the HTML) before committing.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './capture.ts';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'golden', 'report');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const WORKFLOWS = ['standard-password-reset.weak', 'outsourced-service-desk.weak'];
const SCENARIOS = ['s01-osint-vishing', 's10-outsourced-desk', 's16-privileged-mfa-reset-idp-takeover'];
const FORMATS = [
  ['html', 'html'],
  ['oscal-ar', 'oscal-ar.json'],
  ['oscal-poam', 'oscal-poam.json'],
] as const;

let epoch: string | undefined;
beforeAll(() => {
  epoch = process.env.SOURCE_DATE_EPOCH;
  process.env.SOURCE_DATE_EPOCH = '1767225600'; // 2026-01-01T00:00:00Z
  if (UPDATE) mkdirSync(DIR, { recursive: true });
});
afterAll(() => {
  if (epoch === undefined) delete process.env.SOURCE_DATE_EPOCH;
  else process.env.SOURCE_DATE_EPOCH = epoch;
});

describe('report golden files', () => {
  for (const wf of WORKFLOWS)
    for (const [format, ext] of FORMATS)
      it(`${wf} as ${format} is the reviewed ${wf}.${ext}`, async () => {
        const r = await run('report', wf, ...SCENARIOS.flatMap((s) => ['-s', s]), '--format', format);
        expect([r.code, r.err]).toEqual([0, '']);
        expect(r.out).toContain('2026-01-01T00:00:00.000Z');
        const file = join(DIR, `${wf}.${ext}`);
        if (UPDATE) writeFileSync(file, r.out);
        expect(existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
        expect(r.out).toBe(readFileSync(file, 'utf8'));
      });
});
