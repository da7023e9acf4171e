// Issue 14: the trade-off through the contract. simulation.run is strict and bounded (a bad payload
// is refused naming its field before anything runs), runs in the simulation workers, and answers a
// report the contract's response schema accepts, with the frontier and the choice per class.
import { describe, expect, it } from 'vitest';
import { API, parseRequest } from '../../contract/index.ts';
import { newService } from './helpers.ts';

const WEAK = 'standard-password-reset.weak';

describe('simulation.run in the contract', () => {
  it.each([
    [{}, 'simulation.run: workflowId: '],
    [{ workflowId: WEAK, days: 29 }, 'simulation.run: days: '],
    [{ workflowId: WEAK, runs: 0 }, 'simulation.run: runs: '],
    [{ workflowId: WEAK, runs: 2.5 }, 'simulation.run: runs: '],
    [{ workflowId: WEAK, maxCandidates: 10_000 }, 'simulation.run: maxCandidates: '],
    [{ workflowId: WEAK, seed: -1 }, 'simulation.run: seed: '],
    [{ workflowId: WEAK, riskTarget: -3 }, 'simulation.run: riskTarget: '],
    [{ workflowId: WEAK, riskTargets: { wizard: 1 } }, 'simulation.run: riskTargets: Unrecognized key: "wizard"'],
    [{ workflowId: WEAK, riskTargets: { executive: 'low' } }, 'simulation.run: riskTargets.executive: '],
    [{ workflowId: '../etc/passwd' }, 'simulation.run: workflowId: '],
    [{ workflowId: WEAK, load: 3 }, 'simulation.run: payload: '],
  ])('refuses %j with bad_request naming the field', (payload, message) => {
    expect(() => parseRequest('simulation.run', payload)).toThrow(message);
    try {
      parseRequest('simulation.run', payload);
    } catch (e) {
      expect((e as { code: string }).code).toBe('bad_request');
    }
  });

  it('runs a small trade-off off the request thread and answers a report the response schema accepts', async () => {
    const { service, logs } = newService();
    const desks = await service.api['simulation.desks']({});
    expect(desks.desks.map((d) => d.id).sort()).toEqual(['follow-the-sun', 'in-house-20', 'outsourced-200']);
    const r = await service.api['simulation.run']({ workflowId: WEAK, days: 2, runs: 2, maxCandidates: 4, riskTargets: { privileged_admin: 0 } });
    expect(API['simulation.run'].response.safeParse(r).success).toBe(true);
    expect(r).toMatchObject({ format: 'resetpath/tradeoff@1', workflow: { id: WEAK }, desk: { id: 'in-house-20' }, days: 2, runs: 2, maxCandidates: 4 });
    expect(r.points).toHaveLength(4);
    expect(r.frontier.length).toBeGreaterThan(0);
    expect(r.choices.find((c) => c.accountClass === 'privileged_admin')?.target).toBe(0);
    expect(r.choices.find((c) => c.accountClass === 'standard_employee')?.target).toBe(10);
    expect(logs).toEqual([]);
  }, 120_000);

  it('refuses an unknown desk with not_found, naming the bundled ones', async () => {
    const { service } = newService();
    expect(await service.dispatch('simulation.run', { workflowId: WEAK, deskId: 'no-such-desk' })).toMatchObject({ ok: false, error: { code: 'not_found', message: expect.stringContaining('in-house-20') } });
  });
});
