// `resetpath replay` prints one attack step by step; `resetpath controls` prints the catalogue.
import { describe, expect, it } from 'vitest';
import { CONTROLS } from '../../models/index.ts';
import { run } from './capture.ts';

describe('resetpath replay', () => {
  it('prints each step with the control verdicts, the rule behind each and the outcome', async () => {
    const r = await run('replay', 'standard-password-reset.weak', '--scenario', 's01-osint-vishing');
    expect(r.code).toBe(0);
    expect(r.out).toContain('proofing.ial2: defeated [proofing.knowledge.osint]');
    expect(r.out).toContain('Outcome: takeover, undetected');
  });

  it('prints where a hardened workflow stops the attack', async () => {
    const r = await run('replay', 'standard-password-reset.hardened', '--scenario', 's01-osint-vishing');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Outcome: blocked at verify by proofing\.ial2/);
  });

  it('gives byte-identical JSON traces for the same inputs', async () => {
    const args = ['replay', 'mfa-reenrollment-phone.weak', '-s', 's04-sim-swap-sspr', '--format', 'json', '--started-at', '2026-03-01T09:00:00Z'];
    const a = await run(...args);
    const b = await run(...args);
    expect(a.out).toBe(b.out);
    expect(JSON.parse(a.out).startedAt).toBe('2026-03-01T09:00:00.000Z');
  });

  it('refuses an unknown scenario with exit code 2 and no stack trace', async () => {
    const r = await run('replay', 'standard-password-reset.weak', '-s', 'no-such-scenario');
    expect(r.code).toBe(2);
    expect(r.err).toContain('no bundled scenario has this id');
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('refuses a class number that does not exist, naming how many there are', async () => {
    const r = await run('replay', 'standard-password-reset.weak', '-s', 's01-osint-vishing', '--class', '9');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--class must be between 1 and 1 (the classes of takeover paths)');
  });

  it('replays a chosen example of a class, saying which one and how many paths the class holds', async () => {
    const r = await run('replay', 'mfa-reenrollment-phone.weak', '-s', 's04-sim-swap-sspr', '--class', '1', '--example', '1');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/class 1 of \d+, example 1 of \d+; \d+ paths? in this class, \d+ takeover paths? in all/);
    expect(r.out).toContain('Outcome: takeover');
  });
});

describe('resetpath controls', () => {
  it('lists every catalogue control with its owner, friction and where a workflow file may place it', async () => {
    const r = await run('controls');
    expect(r.code).toBe(0);
    for (const c of CONTROLS) expect(r.out).toContain(c.id);
    expect(r.out).toContain(`${CONTROLS.length} controls`);
    // An author learns where each control may sit without opening each one.
    expect(r.out).toMatch(/^proofing\.ial2 .* procedural .* proofing, execution$/m);
    expect(r.out).toMatch(/^exception\.expiry .* exceptions$/m);
    expect(r.out).toMatch(/^agent\.mfa .* workflow$/m);
  });

  it('shows one control with its defeat rules, and each mapping with its fit, its existence, the source checked and a rationale', async () => {
    const r = await run('controls', 'sim_swap.signal');
    expect(r.out).toContain('SP 800-53 r5 IA-10 — fit: direct; exists: confirmed [oscal-sp800-53r5]\n      Adaptive Authentication');
    expect(r.out).toContain('ATT&CK Mobile v18 T1451 — fit: direct; exists: confirmed [attack-stix]');
    expect(r.out).toContain('SP 800-63-4 63A §3.2.1 — fit: direct; exists: secondary [sp800-63a-4-summary]');
    expect(r.out).toMatch(/\[attack-stix\] MITRE ATT&CK STIX data \(mitre\/cti\); ATT&CK v18\.1, commit 421deacb77191b38bdd1bf63268954e93da91365/);
    const cb = await run('controls', 'callback.number_on_file');
    expect(cb.out).toContain('[callback.mobile.sim_swap] sim_swap when number_type in [mobile], unless sim_swap.signal on the step');
  });

  it('writes each mapping\'s fit, rationale and existence with the source title and version in JSON', async () => {
    const r = await run('controls', 'ticket.integrity', '--format', 'json');
    const m = (JSON.parse(r.out) as { mappings: { id: string; fit: string; rationale: string; existence: { status: string; source: string; checked: string } }[] }).mappings.find((x) => x.id === 'T1672')!;
    expect(m).toMatchObject({ fit: 'direct', existence: { status: 'confirmed', source: 'attack-stix', checked: expect.stringContaining('421deacb77') } });
    expect(m.rationale).toMatch(/forged sender/);
  });

  it('refuses an unknown control id with exit code 2', async () => {
    const r = await run('controls', 'callback.everything');
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown control "callback.everything"');
  });
});
