// Issue 14, item 3: the trade-off's (candidate, replication) units spread over worker threads give
// exactly the frontier one thread gives.
import { describe, expect, it } from 'vitest';
import type { SimulationInput } from '../../analysis/index.ts';
import { loadBundledDeskProfiles, loadBundledScenarios, loadBundledWorkflows, runTradeoff, SimulationPool } from '../../backend/index.ts';

describe('trade-off in worker threads', () => {
  it('gives the same frontier, points and choices for the same seed whatever the number of workers (0, 1, 2)', async () => {
    const profile = loadBundledDeskProfiles().find((p) => p.id === 'in-house-20')!;
    const input: SimulationInput = {
      workflow: loadBundledWorkflows().find((w) => w.id === 'standard-password-reset.weak')!,
      scenarios: loadBundledScenarios(),
      profile: { ...profile, hostile: { perDay: 30, hourlyWeights: null } },
      days: 1,
    };
    const progress: number[] = [];
    const inThread = await runTradeoff(input, { runs: 2, seed: 5, workers: 0, maxCandidates: 6, onProgress: (d) => progress.push(d) });
    expect(progress).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    for (const workers of [1, 2]) expect(await runTradeoff(input, { runs: 2, seed: 5, workers, maxCandidates: 6 }), `${workers} workers`).toEqual(inThread);
    expect(inThread.points[0]!.risk.mean).toBeGreaterThan(0);
    expect(await runTradeoff(input, { runs: 2, seed: 6, workers: 2, maxCandidates: 6 })).not.toEqual(inThread);
  }, 120_000);
});

describe('the app\'s simulation pool', () => {
  it('keeps its threads between trade-offs and gives the same report as fresh threads and as this thread', async () => {
    const profile = loadBundledDeskProfiles().find((p) => p.id === 'in-house-20')!;
    const input: SimulationInput = { workflow: loadBundledWorkflows().find((w) => w.id === 'standard-password-reset.weak')!, scenarios: loadBundledScenarios(), profile, days: 1 };
    const pool = new SimulationPool(2);
    try {
      pool.warm();
      const inThread = await runTradeoff(input, { runs: 2, seed: 3, workers: 0, maxCandidates: 4 });
      expect(await runTradeoff(input, { runs: 2, seed: 3, workers: 2, maxCandidates: 4, pool })).toEqual(inThread);
      // The second run reuses the same threads (job ids keep replies apart).
      expect(await runTradeoff(input, { runs: 2, seed: 3, workers: 2, maxCandidates: 4, pool })).toEqual(inThread);
    } finally {
      await pool.close();
    }
  }, 120_000);
});
