import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir, ensureSampleWorkspace, loadBundledWorkflows, toApiErrorBody, WORKFLOW_LIBRARY_DIR, type AppService } from '../../backend/index.ts';
import { API_KEYS, type ApiKey, type ApiRequest } from '../../contract/index.ts';
import { Workspace } from '../../storage/index.ts';
import { scenarioYaml, workflowYaml } from '../storage/fixtures/models.ts';
import { auditLength, deterministic, newService, newWorkspace, tempDir } from './helpers.ts';

const BUNDLED_WORKFLOWS = loadBundledWorkflows().length;

const WEAK = 'standard-password-reset.weak';

/**
 * A valid request for every key. Typed over ApiKey, so a key added to the contract without a
 * sample here fails the type check, and the test below fails at run time as well.
 */
const SAMPLE: { [K in ApiKey]: ApiRequest<K> } = {
  'app.info': {},
  'library.list': {},
  'workflow.get': { id: WEAK },
  'workflow.save': { fileName: 'wf.sample.yaml', text: workflowYaml('wf.sample') },
  'workflow.history': { id: WEAK },
  'scenario.get': { id: 's01-osint-vishing' },
  'scenario.save': { fileName: 'sc.sample.yaml', text: scenarioYaml('sc.sample') },
  'analysis.run': { workflowId: WEAK, scenarioIds: ['s01-osint-vishing'] },
  'analysis.cancel': {},
  'analysis.progress': {},
  'analysis.list': {},
  'analysis.get': { runId: 'no-such-run' },
  'analysis.delete': { runId: 'no-such-run' },
  'workspace.size': {},
  'audit.log': {},
  'audit.verify': {},
  'settings.get': { key: 'ui.theme' },
  'settings.set': { key: 'ui.theme', value: 'dark' },
  'report.accountability': { workflowIds: [WEAK] },
  'tabletop.create': { title: 'Drill', workflowId: WEAK, scenarioId: 's01-osint-vishing' },
  'tabletop.list': {},
  'tabletop.get': { sessionId: 'no-such-session' },
  'tabletop.decide': { sessionId: 'no-such-session', point: '1.1', choice: 'approve' },
  'tabletop.control': { sessionId: 'no-such-session', action: 'pause' },
  'tabletop.edit': { sessionId: 'no-such-session', notes: 'n' },
  'tabletop.close': { sessionId: 'no-such-session' },
  'tabletop.presenter': { sessionId: 'no-such-session' },
  'tabletop.report': { sessionId: 'no-such-session', format: 'md' },
  'owners.list': {},
  'owners.set': { role: 'escalation_owner', name: 'Desk leads' },
  'remediation.list': {},
  'remediation.set': { workflowId: WEAK, controlId: 'callback-verified-number', status: 'planned', due: '2026-06-30' },
  'report.signoff': { workflowIds: [WEAK], scenarioIds: ['s01-osint-vishing'], signedBy: 'Dana, CISO', decision: 'remediate', justification: 'fund the call-back' },
  'report.export': { workflowIds: [WEAK], scenarioIds: ['s01-osint-vishing'], format: 'md' },
  'report.list': {},
  'simulation.desks': {},
  'simulation.run': { workflowId: WEAK, scenarioIds: ['s01-osint-vishing'], days: 1, runs: 1, maxCandidates: 2 },
};

/** Keys whose sample names a session or run that does not exist: the one expected refusal is not_found. */
const NOT_FOUND: ReadonlySet<ApiKey> = new Set(['analysis.get', 'analysis.delete', 'tabletop.get', 'tabletop.decide', 'tabletop.control', 'tabletop.edit', 'tabletop.close', 'tabletop.presenter', 'tabletop.report']);

async function call<K extends ApiKey>(service: AppService, key: K, payload: unknown) {
  return service.dispatch(key, payload);
}

describe('the backend service', () => {
  it('has a handler for every key of the contract, answering a valid request without an internal error', async () => {
    const { service, logs } = newService();
    expect(Object.keys(SAMPLE).sort()).toEqual([...API_KEYS].sort());
    for (const key of API_KEYS) {
      const r = await call(service, key, SAMPLE[key]);
      // An unknown run or session is the one expected refusal; a missing handler would be 'internal'.
      if (NOT_FOUND.has(key)) expect(r, key).toMatchObject({ ok: false, error: { code: 'not_found' } });
      else expect(r, key).toMatchObject({ ok: true });
    }
    expect(logs).toEqual([]);
  });

  it('reports app info: version, mode, workspace path and read-only flag', async () => {
    const { service, path } = newService({ mode: 'electron' });
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(await service.api['app.info']({})).toEqual({ version: pkg.version, mode: 'electron', workspacePath: path, readOnly: false });
  });

  it('lists bundled and workspace models together, a workspace model shadowing the bundled one with its id', async () => {
    const { service } = newService();
    const bundledText = readFileSync(join(WORKFLOW_LIBRARY_DIR, `${WEAK}.yaml`), 'utf8');
    await service.api['workflow.save']({ fileName: 'mine.yaml', text: workflowYaml('wf.mine', 'My reset') });
    await service.api['workflow.save']({ fileName: `${WEAK}.yaml`, text: bundledText.replace('Standard employee password reset (as found)', 'Our standard reset') });
    await service.api['scenario.save']({ fileName: 'sc.mine.yaml', text: scenarioYaml('sc.mine') });
    const lib = await service.api['library.list']({});

    const mine = lib.workflows.find((w) => w.id === 'wf.mine');
    expect(mine).toMatchObject({ source: 'workspace', revision: 1, name: 'My reset', variant: 'custom', accountClasses: ['standard_employee'] });
    expect(mine?.updatedAt).toMatch(/^2026-03-01T/);
    expect(lib.workflows.filter((w) => w.id === WEAK)).toEqual([
      expect.objectContaining({ source: 'workspace', name: 'Our standard reset', family: 'standard-password-reset', variant: 'weak' }),
    ]);
    expect(lib.workflows.find((w) => w.id === 'standard-password-reset.hardened')).toMatchObject({ source: 'bundled', revision: null, updatedAt: null });
    // Every bundled workflow but the one the workspace shadows.
    expect(lib.workflows.filter((w) => w.source === 'bundled')).toHaveLength(BUNDLED_WORKFLOWS - 1);
    expect(lib.workflows.map((w) => w.id)).toEqual(lib.workflows.map((w) => w.id).sort());

    expect(lib.scenarios.find((s) => s.id === 'sc.mine')).toMatchObject({ source: 'workspace', targetClass: 'standard_employee', capabilities: ['osint_personal_data'], reference: null });
    expect(lib.scenarios.find((s) => s.id === 's01-osint-vishing')).toMatchObject({ source: 'bundled', targetClass: expect.any(String) });
  });

  it('returns the original text of bundled and workspace models, byte for byte, and old revisions on request', async () => {
    const { service } = newService();
    const bundled = await service.api['workflow.get']({ id: WEAK });
    expect(bundled).toEqual({ id: WEAK, source: 'bundled', revision: null, format: 'yaml', fileName: `${WEAK}.yaml`, text: readFileSync(join(WORKFLOW_LIBRARY_DIR, `${WEAK}.yaml`), 'utf8') });
    const v1 = workflowYaml('wf.a', 'A', 'first');
    const v2 = workflowYaml('wf.a', 'A', 'second');
    await service.api['workflow.save']({ fileName: 'a.yaml', text: v1 });
    expect(await service.api['workflow.save']({ fileName: 'a.yaml', text: v2, reason: 'tighten proofing' })).toEqual({ id: 'wf.a', revision: 2 });
    expect(await service.api['workflow.get']({ id: 'wf.a' })).toEqual({ id: 'wf.a', source: 'workspace', revision: 2, format: 'yaml', fileName: 'a.yaml', text: v2 });
    expect((await service.api['workflow.get']({ id: 'wf.a', revision: 1 })).text).toBe(v1);
    expect(await call(service, 'workflow.get', { id: 'wf.a', revision: 3 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await call(service, 'scenario.get', { id: 'nope' })).toMatchObject({ ok: false, error: { code: 'not_found', message: 'no scenario "nope" in the workspace or the bundled library' } });
    const h = await service.api['workflow.history']({ id: 'wf.a' });
    expect(h.revisions.map((r) => [r.revision, r.author, r.reason])).toEqual([
      [1, 'alice', null],
      [2, 'alice', 'tighten proofing'],
    ]);
  });

  it('refuses an invalid workflow with invalid_model and located issues, and writes nothing', async () => {
    const { service } = newService();
    const before = await auditLength(service);
    const bad = workflowYaml('wf.bad').replace('next: verify', 'next: nowhere');
    const r = await call(service, 'workflow.save', { fileName: 'bad.yaml', text: bad });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('invalid_model');
    expect(r.error.message).toMatch(/^bad\.yaml:\d+:\d+: .*nothing was saved$/);
    expect(r.error.issues?.[0]).toMatchObject({ file: 'bad.yaml', line: expect.any(Number), column: expect.any(Number), message: expect.stringContaining('nowhere') });
    const notYaml = await call(service, 'scenario.save', { fileName: 'x.yaml', text: 'resetpath: scenario/1\nid: [unclosed' });
    expect(notYaml).toMatchObject({ ok: false, error: { code: 'invalid_model' } });
    expect(await auditLength(service)).toBe(before);
    expect((await service.api['library.list']({})).workflows.some((w) => w.id === 'wf.bad')).toBe(false);
  });

  it('refuses a payload that fails its schema with bad_request naming the field, before any handler runs', async () => {
    const { service } = newService();
    const before = await auditLength(service);
    expect(await call(service, 'workflow.save', { fileName: '../etc/passwd', text: 'x' })).toEqual({
      ok: false,
      error: { code: 'bad_request', message: 'workflow.save: fileName: must be a file name, not a path' },
    });
    expect(await call(service, 'settings.set', { key: 'k', value: 1, extra: true })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await call(service, 'analysis.run', { workflowId: 'BAD ID' })).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringContaining('workflowId') } });
    // analysis.progress takes nothing: a field, an array or a string is refused before the runner is asked.
    expect(await call(service, 'analysis.progress', { workflowId: WEAK })).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/^analysis\.progress: /) } });
    expect(await call(service, 'analysis.progress', [])).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await call(service, 'analysis.progress', 'all')).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await call(service, 'settings.set', { key: 'big', value: 'x'.repeat(300 * 1024) })).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringContaining('larger than') } });
    expect(await auditLength(service)).toBe(before);
  });

  it('finds takeover paths in the bundled weak standard reset, and saving the analysis stores a run', async () => {
    const { service } = newService();
    const before = await auditLength(service);
    const dry = await service.api['analysis.run']({ workflowId: WEAK, scenarioIds: ['s01-osint-vishing'] });
    expect(dry.runId).toBeNull();
    expect(await auditLength(service)).toBe(before);
    const wf = dry.report.workflows[0]!;
    expect(wf.id).toBe(WEAK);
    expect(wf.totals.paths).toBeGreaterThan(0);
    expect(wf.scenarios[0]).toMatchObject({ scenario: 's01-osint-vishing', outcome: 'takeover_undetected' });

    const saved = await service.api['analysis.run']({ workflowId: WEAK, save: true });
    expect(saved.runId).toBe('run-0001');
    expect(saved.report.workflows[0]!.scenarios.length).toBe((await service.api['library.list']({})).scenarios.length);
    expect(await auditLength(service)).toBe(before + 1);
    const list = await service.api['analysis.list']({ workflowId: WEAK });
    expect(list.runs).toEqual([
      expect.objectContaining({ id: 'run-0001', workflowId: WEAK, workflowRevision: null, author: 'alice', paths: saved.report.workflows[0]!.totals.paths }),
    ]);
    const got = await service.api['analysis.get']({ runId: 'run-0001' });
    expect(got.report).toEqual(saved.report);
    expect((await service.api['audit.verify']({})).ok).toBe(true);
  });

  it('analyses a workspace workflow at its latest revision and records that revision on the run', async () => {
    const { service } = newService();
    await service.api['workflow.save']({ fileName: 'a.yaml', text: workflowYaml('wf.a') });
    await service.api['workflow.save']({ fileName: 'a.yaml', text: workflowYaml('wf.a', 'A', 'again') });
    const r = await service.api['analysis.run']({ workflowId: 'wf.a', scenarioIds: ['s01-osint-vishing', 's01-osint-vishing'], save: true });
    expect(r.report.workflows[0]).toMatchObject({ id: 'wf.a', file: 'a.yaml' });
    expect((await service.api['analysis.list']({})).runs[0]).toMatchObject({ workflowId: 'wf.a', workflowRevision: 2, scenarioIds: ['s01-osint-vishing'] });
    expect(await call(service, 'analysis.run', { workflowId: 'no.such' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await call(service, 'analysis.run', { workflowId: 'wf.a', scenarioIds: ['no.such'] })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('runs campaign stages through other workflows in the analysis worker, the workspace\'s by id, and reports a stage whose workflow exists nowhere as not analysed', async () => {
    const { service } = newService();
    await service.api['workflow.save']({ fileName: 'desk.yaml', text: workflowYaml('wf.desk') });
    await service.api['scenario.save']({
      fileName: 'campaign.yaml',
      text: `resetpath: scenario/1
id: sc.campaign
name: Employee, then a colleague through another desk
attacker: { name: caller, capabilities: [osint_personal_data] }
target: { account_class: standard_employee }
strategy: { channels: [phone], moves: [{ move: contact }] }
then:
  - name: A colleague through the workspace desk
    gains: [victim_mailbox_control]
    workflow: wf.desk
    target: { account_class: standard_employee }
    strategy: { channels: [phone], moves: [{ move: contact }] }
  - name: Then a desk nobody has
    gains: [sim_swap]
    workflow: no-such-workflow
    target: { account_class: standard_employee }
    strategy: { channels: [phone], moves: [{ move: contact }] }
`,
    });
    const r = await service.api['analysis.run']({ workflowId: WEAK, scenarioIds: ['sc.campaign'], save: true });
    const c = r.report.workflows[0]!.scenarios[0]!.campaign!;
    expect(c.stages.map((s) => [s.stage, s.workflow, s.outcome])).toEqual([
      [1, WEAK, 'takeover_undetected'],
      [2, 'wf.desk', 'takeover_undetected'],
      [3, 'no-such-workflow', 'not_analysed'],
    ]);
    expect(c.stages[2]!.reason).toMatch(/^workflow "no-such-workflow" is not available to the analysis/);
    expect(c.outcome).toBe('not_analysed');
    // The stored run keeps the campaign as it was reported.
    expect((await service.api['analysis.get']({ runId: r.runId! })).report.workflows[0]!.scenarios[0]!.campaign).toEqual(c);
  });

  it('refuses every write on a read-only workspace with conflict, and still reads', async () => {
    const path = newWorkspace();
    const { service } = newService({ workspacePath: path, readOnly: true });
    const before = await auditLength(service);
    for (const [key, payload] of [
      ['workflow.save', SAMPLE['workflow.save']],
      ['scenario.save', SAMPLE['scenario.save']],
      ['settings.set', SAMPLE['settings.set']],
      ['analysis.run', { workflowId: WEAK, save: true }],
    ] as const) {
      expect(await call(service, key, payload), key).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('read-only') } });
    }
    expect(await service.api['app.info']({})).toMatchObject({ readOnly: true });
    expect((await service.api['analysis.run']({ workflowId: WEAK, scenarioIds: ['s01-osint-vishing'] })).runId).toBeNull();
    expect(await auditLength(service)).toBe(before);
  });

  it('keeps settings as JSON values and answers null for an unset key', async () => {
    const { service } = newService();
    expect(await service.api['settings.get']({ key: 'ui.layout' })).toEqual({ value: null });
    await service.api['settings.set']({ key: 'ui.layout', value: { panes: [1, 2], dark: true } });
    expect(await service.api['settings.get']({ key: 'ui.layout' })).toEqual({ value: { panes: [1, 2], dark: true } });
    const log = await service.api['audit.log']({ limit: 1 });
    expect(log.entries).toEqual([expect.objectContaining({ entityType: 'setting', entityId: 'ui.layout', action: 'set', user: 'alice' })]);
  });

  it('answers conflict once closed instead of touching a closed workspace', async () => {
    const { service } = newService();
    service.close();
    expect(await call(service, 'library.list', {})).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('closed') } });
  });

  it('turns an unexpected error into internal with a generic message, logging the detail and never sending a stack', () => {
    const logs: string[] = [];
    const body = toApiErrorBody(new TypeError('secret internals at /home/x/file.ts:12'), 'library.list', (l) => logs.push(l));
    expect(body).toEqual({ code: 'internal', message: 'internal error; the details are in the backend log' });
    expect(logs.join('\n')).toContain('secret internals');
  });
});

describe('the sample workspace', () => {
  it('is created once, seeded with every bundled workflow, and reused afterwards', async () => {
    const dir = join(tempDir(), 'data', 'resetpath');
    const path = ensureSampleWorkspace(dir, deterministic());
    expect(path).toBe(join(dir, 'sample.resetpath'));
    expect(ensureSampleWorkspace(dir)).toBe(path);
    const ws = Workspace.open(path, { readOnly: true });
    const seeded = ws.listWorkflows().map((w) => w.id);
    const imports = ws.auditLog().filter((e) => e.action === 'import').length;
    ws.close();
    expect(seeded).toHaveLength(BUNDLED_WORKFLOWS);
    expect(seeded).toContain(WEAK);
    expect(imports).toBe(BUNDLED_WORKFLOWS);
    const { service } = newService({ workspacePath: path });
    expect((await service.api['library.list']({})).workflows.every((w) => w.source === 'workspace')).toBe(true);
  });

  it('lives in RESETPATH_DATA_DIR, else $XDG_DATA_HOME/resetpath, else ~/.local/share/resetpath', () => {
    expect(defaultDataDir({ RESETPATH_DATA_DIR: '/tmp/rp', XDG_DATA_HOME: '/x' }, 'linux', '/home/u')).toBe('/tmp/rp');
    expect(defaultDataDir({ XDG_DATA_HOME: '/x' }, 'linux', '/home/u')).toBe('/x/resetpath');
    expect(defaultDataDir({ XDG_DATA_HOME: 'relative' }, 'linux', '/home/u')).toBe('/home/u/.local/share/resetpath');
    expect(defaultDataDir({}, 'linux', '/home/u')).toBe('/home/u/.local/share/resetpath');
  });
});
