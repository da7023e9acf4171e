// report.export: the app's File > Export report. The same forms as `resetpath report`, with the
// workspace's owners and remediation in them, offered under a file name that says what they are;
// a form that cannot be written is refused in words, never as a broken file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountabilityReportSchema } from '../../analysis/index.ts';
import { reportFileName, type AppService } from '../../backend/index.ts';
import { REPORT_FORMATS, REPORT_FILES } from '../../contract/index.ts';
import { validate } from '../models/json-schema.ts';
import { newService } from './helpers.ts';

const WEAK = 'standard-password-reset.weak';
const HARDENED = 'standard-password-reset.hardened';
const SCENARIOS = ['s01-osint-vishing'];
const OSCAL = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'oscal', `oscal_${name}_schema.json`), 'utf8')) as Record<string, unknown>;

async function exported(service: AppService, format: (typeof REPORT_FORMATS)[number], workflowIds = [WEAK]) {
  return service.api['report.export']({ workflowIds, scenarioIds: SCENARIOS, format });
}

describe('report.export', () => {
  it('writes every text form of the report with the named owner and remediation state of the workspace', async () => {
    const { service } = newService();
    await service.api['owners.set']({ role: 'proofing_standards_owner', name: 'Desk leads' });
    await service.api['remediation.set']({ workflowId: WEAK, controlId: 'callback.number_on_file', status: 'planned', due: '2026-06-30', ticket: 'SEC-12' });
    const md = await exported(service, 'md');
    expect(md.encoding).toBe('utf8');
    expect(md.content).toContain('# ResetPath accountability report');
    expect(md.content).toContain('Desk leads');
    expect(md.content).toContain('SEC-12');
    const html = await exported(service, 'html');
    expect(html.mediaType).toBe('text/html');
    expect(html.content).toMatch(/^<!doctype html>/i);
    expect(html.content).toContain('Desk leads');
    const json = JSON.parse((await exported(service, 'json')).content) as unknown;
    const doc = accountabilityReportSchema.parse(json);
    expect(doc.gaps.find((g) => g.control === 'callback.number_on_file')?.remediation).toMatchObject({ status: 'planned', due: '2026-06-30', ticket: 'SEC-12' });
    const csv = await exported(service, 'csv-remediation');
    expect(csv.content.split('\r\n')[0]).toMatch(/^workflow,control,/);
    expect(csv.content).toContain('SEC-12');
  });

  it('names the file after the workflow, the day and the form', async () => {
    const { service } = newService();
    const r = await exported(service, 'oscal-ar', [WEAK, HARDENED]);
    expect(r.fileName).toBe('resetpath-report-2-workflows-2026-03-01.oscal-ar.json');
    expect(reportFileName([WEAK], '2026-12-05T10:00:00Z', 'csv-remediation')).toBe(`resetpath-report-${WEAK}-2026-12-05.remediation.csv`);
    for (const f of REPORT_FORMATS) expect(reportFileName([WEAK], '2026-12-05T10:00:00Z', f).endsWith(`.${REPORT_FILES[f].extension}`)).toBe(true);
  });

  it('writes OSCAL assessment results and a POA&M that validate against NIST 1.0.6, and a Navigator layer', async () => {
    const { service } = newService();
    const ar = JSON.parse((await exported(service, 'oscal-ar')).content) as unknown;
    expect(validate(OSCAL('assessment-results'), ar)).toEqual([]);
    const poam = JSON.parse((await exported(service, 'oscal-poam')).content) as unknown;
    expect(validate(OSCAL('poam'), poam)).toEqual([]);
    const layer = JSON.parse((await exported(service, 'navigator')).content) as { versions: { layer: string }; techniques: unknown[] };
    expect(layer.versions.layer).toBe('4.5');
    expect(layer.techniques.length).toBeGreaterThan(0);
  });

  it('refuses a POA&M of a workflow with no open gap, saying why, instead of an invalid document', async () => {
    const { service } = newService();
    const r = await service.dispatch('report.export', { workflowIds: [HARDENED], scenarioIds: ['s01-osint-vishing'], format: 'oscal-poam' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('conflict');
      expect(r.error.message).toMatch(/needs at least one poam-item/);
    }
  });

  it('returns the PDF the shell printed, as base64, and says in one line when it cannot be printed', async () => {
    const printed: string[] = [];
    const { service } = newService({
      printPdf: async (html, paper) => {
        printed.push(paper);
        expect(html).toContain('Executive summary');
        return new TextEncoder().encode('%PDF-1.7 stand-in bytes');
      },
    });
    const r = await service.api['report.export']({ workflowIds: [WEAK], scenarioIds: SCENARIOS, format: 'pdf', paper: 'letter' });
    expect(r.encoding).toBe('base64');
    expect(Buffer.from(r.content, 'base64').toString('latin1')).toBe('%PDF-1.7 stand-in bytes');
    expect(printed).toEqual(['letter']);

    const { service: broken } = newService({
      printPdf: () => Promise.reject(new Error('PDF export prints the HTML report with Chromium, which was not found')),
    });
    const failed = await broken.dispatch('report.export', { workflowIds: [WEAK], scenarioIds: SCENARIOS, format: 'pdf' });
    expect(failed.ok).toBe(false);
    if (!failed.ok) expect(failed.error).toEqual({ code: 'unavailable', message: 'the PDF could not be printed: PDF export prints the HTML report with Chromium, which was not found' });
  });

  it('refuses bad payloads, naming the field', async () => {
    const { service } = newService();
    const bad = async (payload: unknown) => {
      const r = await service.dispatch('report.export', payload);
      expect(r.ok).toBe(false);
      return r.ok ? '' : `${r.error.code}: ${r.error.message}`;
    };
    expect(await bad({ workflowIds: [WEAK], format: 'docx' })).toMatch(/^bad_request: report\.export: format: must be one of html, pdf, md/);
    expect(await bad({ workflowIds: [], format: 'md' })).toMatch(/^bad_request: report\.export: workflowIds: /);
    expect(await bad({ workflowIds: ['../etc/passwd'], format: 'md' })).toMatch(/^bad_request: report\.export: workflowIds\.0: must be lowercase/);
    expect(await bad({ workflowIds: [WEAK], format: 'pdf', paper: 'a3' })).toMatch(/^bad_request: report\.export: paper: /);
    expect(await bad({ workflowIds: ['no-such-workflow'], format: 'md' })).toMatch(/^not_found: /);
  });
});
