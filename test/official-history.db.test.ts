import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { signInAs } from './helpers/app.js';
import { expectProblem, openCase, useHarness, type CaseFlow } from './rules/steps.js';

/**
 * The official's history for the assessment (Art. 9(1): 初次犯错还是重复犯错): their other visible cases and the
 * reminders recorded within the user's jurisdiction — never the current case; nobody without the internals sees it.
 */

const h = useHarness('2026-03-02T01:00:00Z');
let app: FastifyInstance;
let earlier: CaseFlow;
let current: CaseFlow;

beforeAll(async () => {
  app = h.app;
  earlier = await openCase(h, { title: '东城区某项目审批延误' });
  current = await openCase(h, { title: '东城区某改革试点项目资金拨付延误' });
  const reminder = await (await h.as('handler')).inject({
    method: 'POST',
    url: '/api/v1/followup/reminders',
    payload: { officialId: h.world.officials.official, kind: 'talk', problem: '审批工作存在拖延苗头。', followUp: '一个月后回访。', followUpOn: '2026-04-02' },
  });
  expect(reminder.statusCode, reminder.body).toBe(201);
}, 60_000);

const historyAs = async (user: 'handler' | 'xcHandler' | 'official' | 'cityHandler', caseId: string) => {
  const signedIn = await signInAs(app, h.world.users[user]);
  return signedIn.inject({ method: 'GET', url: `/api/v1/cases/${caseId}/official-history` });
};

describe('GET /api/v1/cases/:caseId/official-history', () => {
  it('lists the official’s other case and the reminder, not the current case', async () => {
    const response = await historyAs('handler', current.id);
    expect(response.statusCode, response.body).toBe(200);
    const data = response.json().data;
    expect(data.official).toEqual({ id: h.world.officials.official, name: '张明' });
    expect(data.cases).toEqual([{ id: earlier.id, title: '东城区某项目审批延误', openedOn: '2026-03-02', state: 'investigating', outcome: null }]);
    expect(data.reminders).toEqual([
      { id: expect.any(String), kind: 'talk', givenOn: '2026-03-02', problem: '审批工作存在拖延苗头。', followUp: '一个月后回访。', followUpOn: '2026-04-02' },
    ]);
    // A superior handler sees the same record.
    const city = await historyAs('cityHandler', earlier.id);
    expect(city.statusCode, city.body).toBe(200);
    expect(city.json().data.cases.map((c: { id: string }) => c.id)).toEqual([current.id]);
  });

  it('is not found for a 西城 handler or the official', async () => {
    for (const user of ['xcHandler', 'official'] as const) {
      const response = await historyAs(user, current.id);
      expectProblem(response, { status: 404, code: 'NOT_FOUND' });
      expect(response.body).not.toContain('审批');
    }
  });
});
