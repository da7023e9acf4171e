import { describe, expect, it } from 'vitest';
import { groupWorkflows, listScenarios } from '../../renderer/compute/computeSidebar.ts';
import { compactCount, familyTitle, percent, roughCount, scenarioCode } from '../../renderer/compute/format.ts';

const wf = (id: string, family: string, variant: string, source: 'bundled' | 'workspace' = 'bundled', name = id) => ({
  id,
  name,
  source,
  revision: source === 'workspace' ? 2 : null,
  updatedAt: null,
  family,
  variant,
  accountClasses: ['standard_employee'],
});

describe('sidebar', () => {
  it('groups workflows by family, weak before hardened, families by title', () => {
    const groups = groupWorkflows([
      wf('vendor.hardened', 'vendor-account-unlock', 'hardened'),
      wf('std.hardened', 'standard-password-reset', 'hardened'),
      wf('std.weak', 'standard-password-reset', 'weak'),
      wf('std.custom', 'standard-password-reset', 'custom', 'workspace'),
    ]);
    expect(groups.map((g) => g.title)).toEqual(['std.weak', 'vendor.hardened']);
    expect(groups[0]!.workflows.map((w) => [w.id, w.badge, w.badgeTone, w.note])).toEqual([
      ['std.weak', 'weak', 'bad', null],
      ['std.hardened', 'hardened', 'good', null],
      ['std.custom', 'custom', 'info', 'workspace rev 2'],
    ]);
  });

  it('names a family after its as-found workflow and labels rows by what differs', () => {
    const [g] = groupWorkflows([
      wf('a.hardened', 'self-service', 'hardened', 'bundled', 'Self-service reset with strong recovery (hardened)'),
      wf('a.weak', 'self-service', 'weak', 'bundled', 'Self-service reset with SMS fallback (as found)'),
      wf('b.hardened', 'self-service', 'hardened', 'workspace', 'Self-service reset with SMS fallback (hardened)'),
    ]);
    expect(g!.title).toBe('Self-service reset with SMS fallback');
    expect(g!.workflows.map((w) => [w.id, w.label, w.served])).toEqual([
      ['a.weak', null, 'Serves: Standard employee'],
      ['a.hardened', 'Self-service reset with strong recovery', 'Serves: Standard employee'],
      ['b.hardened', null, 'Serves: Standard employee'],
    ]);
  });

  it('lists scenarios in library order with short codes', () => {
    const sc = (id: string) => ({ id, name: id, source: 'bundled' as const, revision: null, updatedAt: null, targetClass: 'executive', capabilities: [], reference: null });
    expect(listScenarios([sc('s10-outsourced-desk'), sc('s09b-two-agent-identities'), sc('s02-executive-pressure'), sc('s09-bribed-insider-agent')]).map((s) => s.code)).toEqual([
      'S02',
      'S09',
      'S09b',
      'S10',
    ]);
  });

  it('formats families, scenario codes and shares for people', () => {
    expect(familyTitle('mfa-reenrollment-phone')).toBe('Mfa reenrollment phone');
    expect(scenarioCode('custom-thing')).toBe('custom-thing');
    expect([percent(0.08), percent(0.005), percent(0.25)]).toEqual(['8%', '0.5%', '25%']);
  });

  it('fits an exact count of any size in a badge: digit for digit up to 99,999, then leading digits and exponent', () => {
    expect([compactCount(13), compactCount(99_999), compactCount(100_000), compactCount(16_843_008)]).toEqual(['13', '99999', '1.0e5', '1.6e7']);
    // Leading digits, never rounded up: 2^73 - 1 is 9.44e21, shown as 9.4e21, like formatCount's order of magnitude.
    expect(compactCount(2n ** 73n - 1n)).toBe('9.4e21');
    expect(compactCount('10035028776102458818560')).toBe('1.0e22');
  });

  it('writes a count for a tight line: exact up to twelve digits, else its order of magnitude', () => {
    expect([roughCount(13), roughCount(999_999_999_999), roughCount(1_000_000_000_000), roughCount('10035028776102458818560')]).toEqual([
      '13',
      '999,999,999,999',
      '1.0 x 10^12',
      '1.0 x 10^22',
    ]);
  });
});
