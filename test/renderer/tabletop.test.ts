// The tabletop screens' computations: the exercise clock between the host's answers, the
// participants field of the setup form, and which timed injects are due.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clockText, dueInjects, liveMinutes, parseParticipants, roleLabel, setupRoutes } from '../../renderer/compute/computeTabletop.ts';

describe('the exercise clock', () => {
  it('runs on from the host\'s figure between answers, and stands still while paused', () => {
    const asOf = '2026-06-01T10:00:00.000Z';
    const later = Date.parse(asOf) + 90_000;
    expect(liveMinutes({ elapsedMinutes: 5, paused: false, asOf }, later)).toBeCloseTo(6.5);
    expect(liveMinutes({ elapsedMinutes: 5, paused: true, asOf }, later)).toBe(5);
  });

  it('reads as a clock face, with hours past the hour', () => {
    expect(clockText(0)).toBe('00:00');
    expect(clockText(6.5)).toBe('06:30');
    expect(clockText(75.25)).toBe('1:15:15');
  });
});

describe('participants of the setup form', () => {
  it('reads "Name — role" per line, storing a catalogue owner role by its id so the report can name the owner', () => {
    const r = parseParticipants('Priya Shah — proofing_standards_owner\nSam Ortiz - Service-desk lead\n\nAlex, Owner of detection and response rules (SOC)');
    expect(r.problems).toEqual([]);
    expect(r.participants).toEqual([
      { name: 'Priya Shah', role: 'proofing_standards_owner' },
      { name: 'Sam Ortiz', role: 'Service-desk lead' },
      { name: 'Alex', role: 'detection_owner' },
    ]);
    expect(roleLabel('detection_owner')).toBe('Owner of detection and response rules (SOC)');
    expect(roleLabel('Service-desk lead')).toBe('Service-desk lead');
  });

  it('names the line that has no role', () => {
    expect(parseParticipants('Priya Shah\nSam — lead').problems).toEqual(['line 1: write "Name — role"']);
  });
});

describe('timed injects', () => {
  it('are due once their minute has come and until they are released', () => {
    const inject = (index: number, atMinute: number, released: boolean) => ({ index, atMinute, title: `i${index}`, text: '', prompt: null, options: [], source: 'scenario' as const, applies: null, released, releasedAtMinute: released ? atMinute : null });
    expect(dueInjects([inject(0, 0, true), inject(1, 4, false), inject(2, 30, false)], 10).map((i) => i.index)).toEqual([1]);
  });

  it('are not due while what they assume does not hold for the workflow or the walk so far, and due once it does', () => {
    const inject = (index: number, applies: { holds: boolean; note: string } | null) => ({ index, atMinute: 5, title: `i${index}`, text: '', prompt: null, options: [], source: 'scenario' as const, applies, released: false, releasedAtMinute: null });
    const injects = [inject(0, null), inject(1, { holds: false, note: 'Assumes a takeover, which the exercise has not reached' }), inject(2, { holds: true, note: 'After a takeover: the exercise has reached one.' })];
    expect(dueInjects(injects, 10).map((i) => i.index)).toEqual([0, 2]);
  });
});

describe('routes of the setup form', () => {
  const file = (dir: string, id: string) => {
    const fileName = join(import.meta.dirname, '..', '..', dir, 'library', `${id}.yaml`);
    return { text: readFileSync(fileName, 'utf8'), fileName };
  };

  it('offers every route the scenario\'s attacker can take into the workflow, as the host takes them, the first being the default', () => {
    const r = setupRoutes(file('models', 'walk-in-service-point.weak'), file('scenarios', 's25-forged-id-at-the-counter'));
    expect(r.notPlayable).toBeNull();
    expect(r.routes).toEqual([
      { value: 'walk_in:standard_employee', label: 'walk-in, claiming Standard employee', roomDecides: true },
      { value: 'phone:standard_employee', label: 'phone, claiming Standard employee', roomDecides: true },
    ]);
  });

  it('says of a route whose every step a system, the requester or the account holder performs that nothing on it is the room\'s to decide', () => {
    const r = setupRoutes(file('models', 'self-service-sms-fallback.weak'), file('scenarios', 's04-sim-swap-sspr'));
    expect(r.routes).toEqual([{ value: 'self_service:standard_employee', label: 'self-service, claiming Standard employee', roomDecides: false }]);
  });

  it('says why a pair cannot be played, with no route to pick', () => {
    const r = setupRoutes(file('models', 'service-account-key-reset.weak'), file('scenarios', 's01-osint-vishing'));
    expect(r).toEqual({ routes: [], notPlayable: 'the workflow does not serve the Standard employee account class the scenario targets' });
  });

  it('says which file does not load', () => {
    const r = setupRoutes({ text: 'resetpath: workflow/1\nid: [', fileName: 'broken.yaml' }, file('scenarios', 's01-osint-vishing'));
    expect(r.routes).toEqual([]);
    expect(r.notPlayable).toMatch(/^the workflow file does not load: /);
  });
});
