// Issue 14: replications spread over worker threads give exactly the report one thread gives, and
// desk profiles are data whose errors name the file, the line and the field.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDeskProfileText, type SimulationInput } from '../../analysis/index.ts';
import { loadBundledDeskProfiles, loadBundledScenarios, loadBundledWorkflows, resolveDeskProfile, runSimulation } from '../../backend/index.ts';
import { formatIssue } from '../../models/index.ts';

const profiles = loadBundledDeskProfiles();

describe('simulation in worker threads', () => {
  it('gives the same report for the same seed whatever the number of workers (0, 1, 2, 3)', async () => {
    const input: SimulationInput = {
      workflow: loadBundledWorkflows().find((w) => w.id === 'outsourced-service-desk.weak')!,
      scenarios: loadBundledScenarios(),
      profile: { ...profiles.find((p) => p.id === 'in-house-20')!, hostile: { perDay: 30, hourlyWeights: null } },
      days: 2,
    };
    const progress: number[] = [];
    const inThread = await runSimulation(input, { runs: 5, seed: 77, workers: 0, onProgress: (d) => progress.push(d) });
    expect(progress).toEqual([1, 2, 3, 4, 5]);
    for (const workers of [1, 2, 3]) expect(await runSimulation(input, { runs: 5, seed: 77, workers }), `${workers} workers`).toEqual(inThread);
    // Not vacuous: the desk met hostile callers and some got through.
    const takeovers = Object.values(inThread.summary.takeoversByClass).reduce((s, t) => s + t.detected.mean + t.undetected.mean, 0);
    expect(takeovers).toBeGreaterThan(0);
    expect(await runSimulation(input, { runs: 5, seed: 78, workers: 2 })).not.toEqual(inThread);
  }, 120_000);
});

describe('desk profiles', () => {
  it('bundles three desks (20 in-house agents, 200 outsourced, follow-the-sun), every assumption sourced or marked as our estimate', () => {
    expect(profiles.map((p) => p.id).sort()).toEqual(['follow-the-sun', 'in-house-20', 'outsourced-200']);
    const agents = (id: string) => profiles.find((p) => p.id === id)!.agents.reduce((s, g) => s + g.count, 0);
    expect(agents('in-house-20')).toBe(20);
    expect(agents('outsourced-200')).toBe(200);
    for (const p of profiles) {
      expect(p.assumptions.length, p.id).toBeGreaterThanOrEqual(4);
      for (const a of p.assumptions) expect(a.source, `${p.id}: ${a.field}`).toMatch(/our estimate|HHS|NIST|\d{4}/i);
    }
    // Follow the sun: some tier-1 region is on shift at every hour of a weekday.
    const fts = profiles.find((p) => p.id === 'follow-the-sun')!;
    for (let h = 0; h < 24; h++) {
      expect(fts.agents.some((g) => g.tier === 1 && g.shifts.some((s) => s.days.includes('wed') && h >= s.startHour && h < (s.endHour > s.startHour ? s.endHour : s.endHour + 24))), `hour ${h}`).toBe(true);
    }
  });

  const valid = (): string => {
    return `resetpath: desk/1
id: tiny
name: Tiny desk
service_level: { target_minutes: 10 }
agents:
  - name: all
    count: 2
    tier: 1
    shifts: [{ days: [mon, tue, wed, thu, fri], start_hour: 9, end_hour: 17 }]
handling: { minutes_per_step: 2, spread: 0.5 }
arrivals:
  - account_class: standard_employee
    hourly: [0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0]
    cannot_complete_standard: 0.05
hostile: { per_day: 1 }
pressure: { baseline: 0, max: 0.3, queue_per_agent_scale: 2, over_target_scale: 1 }
detection: { response_spread: 0.5 }
assumptions:
  - { field: everything, statement: A test desk., source: our estimate }
`;
  };
  const errors = (text: string) => {
    const r = loadDeskProfileText(text, 'desk.yaml');
    return r.ok ? [] : r.issues.map(formatIssue);
  };

  it('loads a valid profile with its defaults (weekend factor 1, attacker exponent 1)', () => {
    const r = loadDeskProfileText(valid(), 'desk.yaml');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.arrivals[0]!.weekendFactor).toBe(1);
    expect(r.value.pressure.attackerPressureExponent).toBe(1);
  });

  it('names the file, line and field of each error', () => {
    expect(errors(valid().replace('count: 2', 'count: -2'))).toEqual([expect.stringMatching(/^desk\.yaml:7:12: "count" must be at least 1 \(found -2\) \(at agents\[0\]\.count\)$/)]);
    expect(errors(valid().replace('handling:', 'handlng:'))).toContain('desk.yaml:10:1: unknown field "handlng" (did you mean "handling"?) (at handlng)');
    expect(errors(valid().replace('[0, 0, 0, 0, 0, 0, 0, 0, 0, 2,', '[0, 0, 0, 0, 0, 0, 0, 0, 2,'))).toEqual(['desk.yaml:13:13: hourly must list 24 rates, one per hour of the day from 00:00 (at arrivals[0].hourly)']);
    expect(errors(valid().replace('account_class: standard_employee', 'account_class: intern'))).toEqual([expect.stringMatching(/^desk\.yaml:12:20: unknown account class "intern"; known: .* \(at arrivals\[0\]\.account_class\)$/)]);
    expect(errors(valid().replace('max: 0.3', 'max: 0.3, baseline: 0.5').replace('baseline: 0, ', ''))).toEqual(['desk.yaml:16:18: pressure.max must be at least pressure.baseline (at pressure.max)']);
    expect(errors(valid().replace('resetpath: desk/1', 'resetpath: desk/2'))).toEqual(['desk.yaml:1:12: a desk profile starts with "resetpath: desk/1" (found "desk/2") (at resetpath)']);
    expect(errors(`${valid()}arrivals: []\n`)).toEqual(['desk.yaml:20:1: duplicate key "arrivals": a key may appear only once in a mapping']);
  });

  it('refuses a class listed twice and an unknown profile id, naming what exists', () => {
    const twice = valid().replace('hostile:', `  - account_class: standard_employee\n    hourly: [${new Array(24).fill(1).join(', ')}]\n    cannot_complete_standard: 0\nhostile:`);
    expect(errors(twice)).toEqual([expect.stringMatching(/^desk\.yaml:15:20: account class "standard_employee" has arrivals listed twice \(at arrivals\[1\]\.account_class\)$/)]);
    const r = resolveDeskProfile('no-such-desk');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(formatIssue(r.issues[0]!)).toContain('bundled: follow-the-sun, in-house-20, outsourced-200');
    const dir = mkdtempSync(join(tmpdir(), 'rp-desk-'));
    writeFileSync(join(dir, 'bad.yaml'), valid().replace('count: 2', 'count: two'));
    const f = resolveDeskProfile(join(dir, 'bad.yaml'));
    expect(f.ok ? [] : f.issues.map(formatIssue)).toEqual([expect.stringMatching(/bad\.yaml:7:12: "count" must be a number, not text \(at agents\[0\]\.count\)$/)]);
  });
});
