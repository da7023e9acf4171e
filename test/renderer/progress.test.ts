// What the workbench says while an analysis runs, and how it remembers its collapsed panels.
import { describe, expect, it } from 'vitest';
import { OPEN_PANELS, panelsClass, progressView, readPanels, writePanels } from '../../renderer/compute/computeProgress.ts';

const at = (done: number, total: number | null, scenario: string | null) => ({
  workflowId: 'wf',
  done,
  total,
  scenario: scenario ? { id: scenario.toLowerCase(), name: scenario } : null,
  startedAt: '2026-03-01T09:00:00.000Z',
});

describe('the progress of a running analysis', () => {
  it('says "3 of 19 scenarios" and the scenario being analysed, with the bar at 3 of 19', () => {
    expect(progressView(at(3, 19, 'SIM swap then self-service reset'), 2400)).toEqual({
      now: 3,
      max: 19,
      fraction: 3 / 19,
      text: '3 of 19 scenarios',
      detail: 'now: SIM swap then self-service reset · 2 s',
    });
  });

  it('is indeterminate until the backend has said how many scenarios there are', () => {
    for (const p of [null, at(0, null, null)]) {
      const v = progressView(p, 300);
      expect(v).toMatchObject({ now: null, max: null, fraction: null, text: 'Starting the analysis…' });
      expect(v.detail).not.toMatch(/ s$/);
    }
  });

  it('says the control sets are next once every scenario is done, and never shows more done than there are', () => {
    expect(progressView(at(19, 19, null), 5000)).toMatchObject({ now: 19, max: 19, fraction: 1, text: '19 of 19 scenarios', detail: 'finding the minimal control sets · 5 s' });
    expect(progressView(at(25, 19, null), null)).toMatchObject({ now: 19, fraction: 1 });
  });

  it('counts one scenario in the singular and treats an empty analysis as complete', () => {
    expect(progressView(at(0, 1, 'Only'), 0).text).toBe('0 of 1 scenario');
    expect(progressView(at(0, 0, null), 0)).toMatchObject({ fraction: 1, text: '0 of 0 scenarios' });
  });
});

describe('the collapsible side panels', () => {
  it('opens both panels when the session holds nothing, or something it cannot read', () => {
    for (const raw of [null, undefined, '', 'not json', 'null', '42', '[]']) expect(readPanels(raw), String(raw)).toEqual(OPEN_PANELS);
  });

  it('reads back what it wrote, and only an explicit false collapses a panel', () => {
    for (const p of [
      { library: false, inspector: true },
      { library: true, inspector: false },
      { library: false, inspector: false },
    ])
      expect(readPanels(writePanels(p))).toEqual(p);
    expect(readPanels('{"library":"no","inspector":0}')).toEqual(OPEN_PANELS);
  });

  it('names the grid layout by the panels that are collapsed', () => {
    expect(panelsClass(OPEN_PANELS)).toBe('');
    expect(panelsClass({ library: false, inspector: true })).toBe(' no-library');
    expect(panelsClass({ library: false, inspector: false })).toBe(' no-library no-inspector');
  });
});
