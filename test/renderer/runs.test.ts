// The run list and the kept-run status line as the workbench shows them (renderer/compute/computeRuns.ts).
import { describe, expect, it } from 'vitest';
import { bytesText, keptRunStatus, runDate, runRows, sizeText, staleText, type StoredRun } from '../../renderer/compute/computeRuns.ts';

const run = (over: Partial<StoredRun> = {}): StoredRun => ({
  id: 'run-1',
  workflowId: 'standard-password-reset.weak',
  workflowRevision: null,
  scenarioIds: ['s01', 's02', 's03'],
  createdAt: '2026-12-05T13:40:00.000Z',
  author: 'alice',
  paths: 19,
  privilegedPaths: 5,
  undetected: 19,
  scenariosWithTakeover: 14,
  exhaustive: true,
  resultBytes: 48_213,
  stale: false,
  ...over,
});

describe('the run list', () => {
  it('shows each run with its time, scenarios, exhaustive search, headline counts, version and size, and marks the one on screen', () => {
    const [row] = runRows([run()], 'run-1', 'UTC');
    expect(row).toEqual({
      id: 'run-1',
      when: '2026-12-05 13:40:00',
      scope: '3 scenarios, exhaustive',
      headline: '19 takeover paths · 19 undetected · 5 on privileged accounts',
      madeOn: 'made on the bundled file',
      stale: false,
      size: '48.2 kB',
      onScreen: true,
      label: 'run of 2026-12-05 13:40:00',
      damaged: null,
    });
  });

  it('says a run whose stored data is damaged can only be deleted, instead of showing its unread counts as zeros', () => {
    const damaged = 'is damaged: runs row "run-1": summary_json is not JSON (Unexpected token)';
    const [row] = runRows([run({ damaged, paths: 0, undetected: null, privilegedPaths: 0 })], null, 'UTC');
    expect(row).toMatchObject({ damaged, headline: 'Its stored data is damaged: it cannot be opened, only deleted.', label: 'run of 2026-12-05 13:40:00 (damaged)' });
  });

  it('says a run is stale and which revision it was made on, and names it so in its buttons', () => {
    const [row] = runRows([run({ stale: true, workflowRevision: 2 })], null, 'UTC');
    expect(row).toMatchObject({ stale: true, madeOn: 'made on revision 2', onScreen: false, label: 'run of 2026-12-05 13:40:00 (stale)' });
  });

  it('warns that a bounded search gives lower bounds, leaves out counts an older run did not keep, and keeps counts past 2^53 exact in words', () => {
    const [row] = runRows([run({ exhaustive: false, undetected: null, paths: '9444736061964218793984', scenarioIds: ['s01'] })], null, 'UTC');
    expect(row!.scope).toBe('1 scenario, search bounded (counts are lower bounds)');
    expect(row!.headline).toBe('9.4 x 10^21 takeover paths · 5 on privileged accounts');
    expect(runRows([run({ exhaustive: null })], null, 'UTC')[0]!.scope).toBe('3 scenarios');
    expect(runRows([run({ paths: 1 })], null, 'UTC')[0]!.headline).toMatch(/^1 takeover path ·/);
  });

  it('writes times in the given zone to the second, and passes an unreadable time through', () => {
    expect(runDate('2026-12-05T23:59:30Z', 'Asia/Tokyo')).toBe('2026-12-06 08:59:30');
    expect(runDate('not a date')).toBe('not a date');
  });

  it('writes sizes in powers of 1000 with three significant digits', () => {
    expect([0, 999, 1000, 14_200, 318_000_000, 1_350_000_000].map(bytesText)).toEqual(['0 B', '999 B', '1.00 kB', '14.2 kB', '318 MB', '1.35 GB']);
    expect(sizeText({ bytes: 1_350_000_000, runs: 5, runResultBytes: 2_000_000 })).toBe('Workspace on disk: 1.35 GB, holding 5 stored runs (2.00 MB of results before compression)');
  });

  it('says on the status line that a kept run is the last stored one, and over a stale run which version it was made on', () => {
    expect(keptRunStatus({ createdAt: '2026-12-05T13:40:00Z' }, 23, 'UTC')).toBe('Last stored run, 2026-12-05 13:40:00 · 23 scenarios');
    expect(staleText(null)).toBe('made on the bundled file of this workflow, which has changed since: these results may no longer hold.');
    expect(staleText(3)).toBe('made on revision 3 of this workflow, which has changed since: these results may no longer hold.');
  });
});
