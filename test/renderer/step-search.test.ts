// Finding a step of a large graph by typing part of its id or name.
import { describe, expect, it } from 'vitest';
import { matchSummary, normalise, searchSteps } from '../../renderer/compute/computeStepSearch.ts';

const steps = [
  { id: 'intake', name: 'Caller reaches the desk' },
  { id: 'stage_1', name: 'Knowledge check 1' },
  { id: 'stage_12', name: 'Knowledge check 12' },
  { id: 'stage_120', name: 'Knowledge check 120' },
  { id: 'alt_12', name: 'Fallback call-back after stage 12' },
  { id: 'reset', name: 'Reset the password' },
];

describe('searchSteps', () => {
  it('finds nothing for an empty or blank query', () => {
    expect(searchSteps(steps, '')).toEqual([]);
    expect(searchSteps(steps, '   ')).toEqual([]);
  });

  it('reads underscores, dots and dashes as spaces and ignores case, so "Stage 12" finds stage_12', () => {
    expect(normalise('Stage_12.b-x')).toBe('stage 12 b x');
    expect(searchSteps(steps, 'Stage 12')[0]).toEqual({ id: 'stage_12', name: 'Knowledge check 12', field: 'id' });
  });

  it('puts the exact id first, then ids that start with the query, then names, then matches inside a word', () => {
    expect(searchSteps(steps, 'stage_12').map((m) => m.id)).toEqual(['stage_12', 'stage_120', 'alt_12']);
  });

  it('matches the name when the id does not, and says so', () => {
    expect(searchSteps(steps, 'password')).toEqual([{ id: 'reset', name: 'Reset the password', field: 'name' }]);
  });

  it('keeps the workflow order between matches of the same quality', () => {
    expect(searchSteps(steps, 'knowledge').map((m) => m.id)).toEqual(['stage_1', 'stage_12', 'stage_120']);
  });

  it('narrows on every word of a query whose words are found apart', () => {
    expect(searchSteps(steps, 'fallback 12').map((m) => m.id)).toEqual(['alt_12']);
    expect(searchSteps(steps, 'callback stage')).toEqual([{ id: 'alt_12', name: 'Fallback call-back after stage 12', field: 'name' }]);
  });

  it('returns at most `limit` matches, all of them when asked', () => {
    expect(searchSteps(steps, 'k', 2)).toHaveLength(2);
    expect(searchSteps(steps, 'k', Infinity).length).toBeGreaterThan(2);
  });
});

describe('matchSummary', () => {
  it('says when no step matches, how many match, and when only some are shown', () => {
    expect(matchSummary(0, 0)).toBe('No step matches');
    expect(matchSummary(1, 1)).toBe('1 matching step');
    expect(matchSummary(8, 30)).toBe('8 of 30 matching steps shown');
  });
});
