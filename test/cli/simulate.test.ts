// `resetpath simulate`: the desk simulation on the command line, its formats, progress lines when
// not on a terminal, and one-line errors with exit 2 for bad input.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SimulationReport, TradeoffReport } from '../../analysis/index.ts';
import { run } from './capture.ts';

describe('resetpath simulate', () => {
  it('writes the report as JSON with the run parameters, and plain progress lines on stderr when not on a terminal', async () => {
    const r = await run('simulate', 'standard-password-reset.weak', '--days', '1', '--runs', '3', '--seed', '5', '--workers', '0', '--format', 'json');
    expect(r.code).toBe(0);
    expect(r.err).toBe('simulate: 1/3 replications done\nsimulate: 2/3 replications done\nsimulate: 3/3 replications done\n');
    const doc = JSON.parse(r.out) as SimulationReport;
    expect(doc).toMatchObject({ format: 'resetpath/simulation@1', workflow: { id: 'standard-password-reset.weak' }, desk: { id: 'in-house-20' }, days: 1, runs: 3, seed: 5, loadFactor: 1 });
    expect(doc.summary.legit['standard_employee']!.requests.n).toBe(3);
    expect(doc.summary.queueByHour).toHaveLength(24);
    expect(doc.summary.skips.systemSkipped.mean).toBe(0);
    // Beside each scenario, the exhaustive analysis's path count (a string: counts can exceed 2^53).
    expect(doc.scenarios.length).toBeGreaterThan(5);
    for (const sc of doc.scenarios) expect(sc.analysisPaths).toMatch(/^\d+$/);
    expect(doc.scenarios.find((sc) => sc.id === 's01-osint-vishing')!.analysisPaths).not.toBe('0');
  });

  it('prints tables of legitimate friction, hostile outcomes, takeovers by class, the desk and the queue by hour', async () => {
    const r = await run('simulate', 'outsourced-service-desk.weak', '--desk', 'outsourced-200', '--days', '1', '--runs', '2', '--workers', '0');
    expect(r.code).toBe(0);
    for (const heading of ['Legitimate requests', 'Hostile attempts by scenario', 'Takeovers by account class', 'Desk', 'Queue length by hour of day (mean)']) expect(r.out).toContain(`\n${heading}\n`);
    expect(r.out).toContain('Outsourced desk, 200 agents');
    expect(r.out).toMatch(/agent utilisation\s+\d+\.\d%/);
    expect(r.out).toContain('Desk assumptions: analysis/simulation/profiles/outsourced-200.yaml');
    // No rate's interval passes 100 %.
    for (const m of r.out.matchAll(/\[\d+\.\d, (\d+\.\d)\]%?/g)) if (r.out.slice(m.index! - 12, m.index).includes('%')) expect(Number(m[1])).toBeLessThanOrEqual(100);
  });

  it('says a closed scenario was taken by an agent skipping checks only when one was', async () => {
    const r = await run('simulate', 'privileged-admin-recovery.hardened', '--days', '1', '--runs', '2', '--workers', '0', '--format', 'json');
    const report = JSON.parse(r.out) as { scenarios: { id: string; analysisPaths: string }[]; summary: { hostile: Record<string, { takeoversDetected: { mean: number }; takeoversUndetected: { mean: number } }> } };
    const taken = Object.entries(report.summary.hostile).some(([id, h]) => report.scenarios.find((x) => x.id === id)?.analysisPaths === '0' && h.takeoversDetected.mean + h.takeoversUndetected.mean > 0);
    const text = await run('simulate', 'privileged-admin-recovery.hardened', '--days', '1', '--runs', '2', '--workers', '0');
    expect(text.out.includes('came through a loaded agent skipping checks alone')).toBe(taken);
  });

  it('counts the exceptions granted at the desk and in force day by day, and names the standing ones', async () => {
    const hardened = await run('simulate', 'executive-vip-reset.hardened', '--days', '3', '--runs', '2', '--seed', '4', '--workers', '0', '--format', 'json');
    const r = JSON.parse(hardened.out) as SimulationReport;
    expect(r.summary.exceptions.granted.mean, 'executives who cannot take the call-back are granted the travel waiver').toBeGreaterThan(0);
    expect(r.summary.exceptions.outstandingByDay).toHaveLength(3);
    expect(r.summary.exceptions.withoutExpiry.mean, 'its expiry is system-enforced').toBe(0);
    expect(r.standingExceptions).toEqual([]);
    const weak = await run('simulate', 'executive-vip-reset.weak', '--days', '1', '--runs', '1', '--workers', '0');
    expect(weak.out).toContain('Exceptions granted at the desk');
    expect(weak.out).toContain('Standing exceptions, in force throughout (never granted at the desk, never expiring): vip_skip_verification (executive)');
  });

  it('gives the same JSON for the same seed with one worker thread or two', async () => {
    const args = ['simulate', 'standard-password-reset.weak', '--days', '1', '--runs', '4', '--seed', '9', '--format', 'json'];
    const one = await run(...args, '--workers', '1');
    const two = await run(...args, '--workers', '2');
    expect(one.code).toBe(0);
    expect(two.out).toBe(one.out);
  }, 60_000);

  it('draws hostile attempts only from the scenarios given, and scales legitimate arrivals by --load', async () => {
    const base = ['simulate', 'standard-password-reset.weak', '--days', '1', '--runs', '2', '--workers', '0', '--format', 'json', '--scenario', 's01-osint-vishing', '--scenario', 's05-my-phone-broke'];
    const calm = JSON.parse((await run(...base)).out) as SimulationReport;
    expect(calm.scenarios.map((s) => s.id)).toEqual(['s01-osint-vishing', 's05-my-phone-broke']);
    expect(Object.keys(calm.summary.hostile)).toEqual(['s01-osint-vishing', 's05-my-phone-broke']);
    const busy = JSON.parse((await run(...base, '--load', '2')).out) as SimulationReport;
    expect(busy.loadFactor).toBe(2);
    const requests = (r: SimulationReport) => r.summary.legit['standard_employee']!.requests.mean;
    expect(requests(busy)).toBeGreaterThan(requests(calm) * 1.7);
    expect(busy.summary.skips.skipRate.mean).toBeGreaterThanOrEqual(calm.summary.skips.skipRate.mean);
  });

  it('refuses bad numbers, formats and desks with one line and exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['--runs', 'ten'], /^resetpath simulate: --runs must be a whole number from 1 to 10000 \(got "ten"\)\n$/],
      [['--days', '0'], /^resetpath simulate: --days must be a whole number from 1 to 3660 \(got "0"\)\n$/],
      [['--seed', '-1'], /^resetpath simulate: --seed must be a whole number from 0 to 4294967295 \(got "-1"\)\n$/],
      [['--workers', '1.5'], /^resetpath simulate: --workers must be a whole number from 0 to 256 \(got "1.5"\)\n$/],
      [['--load', 'heavy'], /^resetpath simulate: --load must be a number from 0 to 100 \(got "heavy"\)\n$/],
      [['--format', 'csv'], /^resetpath simulate: --format must be table or json \(got "csv"\)\n$/],
      [['--desk', 'call-centre'], /^call-centre: no bundled desk profile has this id and no such file exists \(bundled: follow-the-sun, in-house-20, outsourced-200\)\n$/],
    ];
    for (const [args, err] of cases) {
      const r = await run('simulate', 'standard-password-reset.weak', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(err);
      expect(r.out).toBe('');
    }
  });

  it('names the file, line and field of a bad desk profile, and exits 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rp-sim-'));
    const file = join(dir, 'desk.yaml');
    writeFileSync(file, 'resetpath: desk/1\nid: x\nname: X\nservice_level: { target_minutes: -5 }\n');
    const r = await run('simulate', 'standard-password-reset.weak', '--desk', file);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')).toContain(`${file}:4:34: "target_minutes" must be at least 0 (found -5) (at service_level.target_minutes)`);
    for (const line of r.err.trim().split('\n')) expect(line).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:\\d+: `));
  });
});

describe('resetpath simulate --tradeoff', () => {
  it('prints the frontier, the least-friction set per class against the risk target, and the candidate bound in words', async () => {
    const r = await run('simulate', 'standard-password-reset.weak', '--tradeoff', '--days', '1', '--runs', '2', '--workers', '0', '--max-candidates', '5', '--risk-target', '400,privileged_admin=0');
    expect(r.code).toBe(0);
    expect(r.err).toContain('simulate: 10/10 simulated candidate runs done\n');
    expect(r.out).toContain('\nPareto frontier (no other candidate has both less friction and less risk)\n');
    expect(r.out).toContain('\nLeast-friction set meeting the risk target');
    expect(r.out).toMatch(/\nprivileged_admin\s+0\s+/);
    expect(r.out).toMatch(/\nstandard_employee\s+400\s+/);
    expect(r.out).toMatch(/Note: bound hit: the \d+ controls of the minimal sets give \d+ candidate sets; 5 were simulated/);
  }, 60_000);

  it('writes resetpath/tradeoff@1 as JSON', async () => {
    const r = await run('simulate', 'standard-password-reset.weak', '--tradeoff', '--days', '1', '--runs', '2', '--workers', '0', '--max-candidates', '3', '--format', 'json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as TradeoffReport;
    expect(doc).toMatchObject({ format: 'resetpath/tradeoff@1', runs: 2, maxCandidates: 3, truncated: true });
    expect(doc.points).toHaveLength(3);
    expect(doc.points[0]!.controls).toEqual([]);
    expect(doc.choices.every((c) => c.target === 10)).toBe(true);
  }, 60_000);

  it.each([
    [['--risk-target', 'lots'], /^resetpath simulate: --risk-target: "lots" is not a number of takeovers per 1000 days/],
    [['--risk-target', 'wizard=3'], /^resetpath simulate: --risk-target: "wizard" is not an account class \(/],
    [['--max-candidates', '0'], /^resetpath simulate: --max-candidates must be a whole number from 1 to 4096 \(got "0"\)$/],
  ])('refuses bad trade-off input %j in one line with exit 2', async (args, message) => {
    const r = await run('simulate', 'standard-password-reset.weak', '--tradeoff', ...args);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(r.err.trimEnd()).toMatch(message);
  });

  it('refuses --risk-target without --tradeoff', async () => {
    const r = await run('simulate', 'standard-password-reset.weak', '--risk-target', '5');
    expect(r.code).toBe(2);
    expect(r.err).toBe('resetpath simulate: --risk-target needs --tradeoff\n');
  });
});
