import { describe, expect, it } from 'vitest';
import { DECISIONS, driveTo, expectProblem, useHarness, type CaseFlow } from './rules/steps.js';

/**
 * Organ-configured effect periods for other measures (诫勉, 组织处理 …): a handler or administrator of the organ
 * sets one with its source (audited); penalties of that kind recorded afterwards use it, and the selection check
 * restricts for that long. Users of other organs are refused; bad input names the field.
 */

const h = useHarness('2026-03-02T01:00:00Z');
const SOURCE = '东城区纪委监委《关于诫勉影响期的规定》：诫勉的影响期为六个月';
const url = '/api/v1/followup/penalty-periods';

describe('organ-configured penalty periods', () => {
  let flow: CaseFlow;

  it('refuses bad input naming the field, and a user of another organ', async () => {
    const organId = h.world.orgs.dongcheng.id;
    const valid = { organId, kind: 'admonishment', label: '诫勉', months: 6, source: SOURCE };
    const handler = await h.as('handler');
    for (const [key, payload] of [
      ['months', { ...valid, months: -1 }],
      ['months', { ...valid, months: 241 }],
      ['kind', { ...valid, kind: 'Bad Kind' }],
      ['source', { ...valid, source: '  ' }],
      ['organId', { ...valid, organId: 'nope' }],
    ] as const) {
      const response = await handler.inject({ method: 'POST', url, payload });
      expectProblem(response, { status: 400, code: 'INVALID_INPUT', key });
    }
    for (const user of ['xcHandler', 'official', 'supervisor'] as const) {
      const response = await (await h.as(user)).inject({ method: 'POST', url, payload: valid });
      expect([403, 404], response.body).toContain(response.statusCode);
    }
    expect(await h.db.selectFrom('penalty_period_settings').selectAll().execute()).toEqual([]);
  });

  it('configures 诫勉 = 6 months with its source, audited, and lists it with the periods', async () => {
    const organId = h.world.orgs.dongcheng.id;
    const handler = await h.as('handler');
    // First 9 months, then corrected to 6: the upsert keeps one row.
    expect((await handler.inject({ method: 'POST', url, payload: { organId, kind: 'admonishment', label: '诫勉', months: 9, source: '初稿' } })).statusCode).toBe(200);
    const response = await handler.inject({ method: 'POST', url, payload: { organId, kind: 'admonishment', label: '诫勉', months: 6, source: SOURCE } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().data).toMatchObject({ organId, kind: 'admonishment', label: '诫勉', months: 6, source: SOURCE });
    const rows = await h.db.selectFrom('penalty_period_settings').select(['organ_id', 'kind', 'months', 'source', 'set_by']).execute();
    expect(rows).toEqual([{ organ_id: organId, kind: 'admonishment', months: 6, source: SOURCE, set_by: h.world.users.handler.id }]);
    const event = await h.db.selectFrom('events').select(['type', 'case_id', 'payload']).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(event).toMatchObject({ type: 'settings.penalty-period-configured', case_id: null, payload: { organId, kind: 'admonishment', months: 6, source: SOURCE, previous: { months: 9, source: '初稿' } } });

    const periods = await handler.inject({ method: 'GET', url: '/api/v1/followup/periods' });
    expect(periods.statusCode, periods.body).toBe(200);
    expect(periods.json().data.configured).toEqual([expect.objectContaining({ organId, kind: 'admonishment', label: '诫勉', months: 6, source: SOURCE })]);
    // Another organ's user does not see 东城's setting.
    const other = await (await h.as('xcHandler')).inject({ method: 'GET', url: '/api/v1/followup/periods' });
    expect(other.json().data.configured).toEqual([]);
  });

  it('a 诫勉 recorded afterwards restricts for the configured 6 months in the selection check', async () => {
    flow = await driveTo(h, 'served', { proposedOutcome: 'reduced', decision: DECISIONS.reduced });
    const recorded = await (await h.as('handler')).inject({
      method: 'POST',
      url: '/api/v1/followup/penalties',
      payload: { caseId: flow.id, system: 'other', kind: 'admonishment', effectiveFrom: '2026-03-02' },
    });
    expect(recorded.statusCode, recorded.body).toBe(201);
    expect(recorded.json().data).toMatchObject({ label: '诫勉', periodMonths: 6, effectUntil: '2026-09-02', periodSource: SOURCE });

    const check = await (await h.as('orgDept')).inject({ method: 'GET', url: `/api/v1/officials/${h.world.officials.official}/selection-check?purpose=promotion` });
    expect(check.statusCode, check.body).toBe(200);
    expect(check.json().data).toMatchObject({ restricted: true, reasons: [{ kind: 'penalty', from: '2026-03-02', until: '2026-09-02', source: SOURCE }] });
  }, 60_000);
});
