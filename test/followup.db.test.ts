import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { scheduleVisits } from '../src/commands/followup/schedule-visits.js';
import { beijingDay } from '../src/followup/dates.js';
import { FOLLOWUP_RULES } from '../src/followup/rules.js';
import { signInAs, type SignedIn } from './helpers/app.js';
import { createOrganization, createUser } from './helpers/factories.js';
import { DECISIONS, driveTo, expectProblem, snapshot, useHarness, type CaseFlow } from './rules/steps.js';

/**
 * Follow-up after the decision (Art. 17, 19; R11, R13): visits scheduled at service and due this week, penalties
 * with their periods as data, the selection check (exemptions never restrict, reminders never appear, penalties
 * only within their period, no case revealed), comprehensive assessments due, prevention reminders — and every
 * refusal leaves the database as it was. The clock is the harness's and only moves forward: the tests run in order.
 */

// Monday 2026-03-02, 09:00 in Beijing.
const h = useHarness('2026-03-02T01:00:00Z');

type Credentials = { username: string; password: string };
let app: FastifyInstance;
let extra: { cityOrgDept: Credentials; xcOrgDept: Credentials; orgDeptOrgId: string };
let exempt: CaseFlow;
let sanctioned: CaseFlow;
const bodies: { who: string; body: string }[] = [];

const FOLLOWUP_TABLES = ['followup_visits', 'penalties', 'penalty_period_settings', 'comprehensive_assessments', 'prevention_reminders', 'reminder_follow_ups'] as const;

async function followupSnapshot() {
  const counts: Record<string, number> = {};
  for (const table of FOLLOWUP_TABLES) {
    const row = await h.db.selectFrom(table).select(({ fn }) => fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  const visits = await h.db.selectFrom('followup_visits').select(['id', 'done_at', 'record']).orderBy('id').execute();
  const reminders = await h.db.selectFrom('prevention_reminders').select(['id', 'follow_up_on']).orderBy('id').execute();
  return { base: await snapshot(h.db, null), counts, visits, reminders };
}

const sessions = new Map<string, { signedIn: SignedIn; at: number }>();
/** A session on the app serving the follow-up routes, renewed before the 30-minute idle limit. */
async function as(user: string): Promise<SignedIn> {
  const cached = sessions.get(user);
  if (cached && h.now().getTime() - cached.at < 25 * 60 * 1000) {
    cached.at = h.now().getTime();
    return cached.signedIn;
  }
  const credentials = user in extra ? (extra as unknown as Record<string, Credentials>)[user]! : (h.world.users as unknown as Record<string, Credentials>)[user]!;
  const signedIn = await signInAs(app, credentials);
  sessions.set(user, { signedIn, at: h.now().getTime() });
  return signedIn;
}

async function send(user: string, options: InjectOptions): Promise<LightMyRequestResponse> {
  const response = await (await as(user)).inject(options);
  bodies.push({ who: user, body: response.body });
  return response;
}

/** Sends a request that must be refused, and proves nothing was written (no row, no event). */
async function refused(user: string, options: InjectOptions, expected: { status: number; code: string; key?: string; rule?: string }) {
  await as(user);
  const before = await followupSnapshot();
  const response = await send(user, options);
  const { rule, ...rest } = expected;
  if (rule) {
    // R11 and R13 are this module's rules (src/followup/rules.ts): the article leads the user's message.
    expect(response.statusCode, response.body).toBe(expected.status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const article = FOLLOWUP_RULES[rule as keyof typeof FOLLOWUP_RULES].article;
    expect(response.json()).toMatchObject({ status: expected.status, code: expected.code, type: `urn:rongcuo:problem:${expected.code}`, rule, article });
    expect((response.json() as { title: string }).title.startsWith(`${article}：`)).toBe(true);
  } else {
    expectProblem(response, rest);
  }
  expect(await followupSnapshot(), 'a refused request must leave the database unchanged').toEqual(before);
  return response;
}

const selection = (user: string, officialId: string, purpose = 'promotion') => send(user, { method: 'GET', url: `/api/v1/officials/${officialId}/selection-check?purpose=${purpose}` });
const moveTo = (iso: string) => h.advance(new Date(iso).getTime() - h.now().getTime());

/** The visits of a case, scheduled by the service command — or here, while serve-decision.ts does not call it yet. */
async function visitsOf(flow: CaseFlow) {
  const existing = await h.db.selectFrom('followup_visits').select('id').where('case_id', '=', flow.id).execute();
  if (existing.length === 0) {
    const { served_at } = await flow.row();
    await h.db.transaction().execute((tx) => scheduleVisits(tx, flow.id, served_at!, undefined, { actor: `user:${h.world.users.handler.id}`, now: served_at! }));
  }
  return h.db.selectFrom('followup_visits').selectAll().where('case_id', '=', flow.id).orderBy('offset_months').execute();
}

beforeAll(async () => {
  const orgDeptOrg = await createOrganization(h.db, { name: '中共北京市委组织部', type: 'organization-department', parentId: h.world.orgs.committee.id });
  extra = {
    // Works for the committee: its officials are in scope through the committee (the department's parent).
    cityOrgDept: await createUser(h.db, { username: 'zuzhibu', roles: [{ role: 'organization-department', organizationId: orgDeptOrg.id }] }),
    // Manages only 西城's officials.
    xcOrgDept: await createUser(h.db, { username: 'xc-zuzhibu', roles: [{ role: 'organization-department', organizationId: h.world.orgs.xicheng.id }] }),
    orgDeptOrgId: orgDeptOrg.id,
  };
  app = h.app;
  exempt = await driveTo(h, 'served');
  sanctioned = await driveTo(h, 'served', { official: 'seniorOfficial', proposedOutcome: 'reduced', decision: DECISIONS.sanctioned });
}, 60_000);

describe('R13: follow-up visits', () => {
  it('schedules two visits at service, at 3 and 6 months, for the exempt and the held-accountable official', async () => {
    for (const flow of [exempt, sanctioned]) {
      const visits = await visitsOf(flow);
      const servedOn = beijingDay((await flow.row()).served_at!);
      expect(servedOn).toBe('2026-03-02');
      expect(visits.map((v) => [v.offset_months, v.due_on, v.kind, v.done_at])).toEqual([
        [3, '2026-06-02', 'visit', null],
        [6, '2026-09-02', 'visit', null],
      ]);
    }
  });

  it('lists nothing due this week yet', async () => {
    const response = await send('handler', { method: 'GET', url: '/api/v1/followup/visits/due' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().data).toEqual({ week: { start: '2026-03-02', end: '2026-03-09' }, items: [] });
  });

  it('records an unscheduled heart-to-heart talk', async () => {
    const response = await send('handler', { method: 'POST', url: '/api/v1/followup/visits', payload: { officialId: h.world.officials.official, kind: 'talk', record: '谈心谈话，帮助放下包袱。' } });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().data).toMatchObject({ kind: 'talk' });
  });
});

describe('penalties: periods as data, recorded by the deciding organ', () => {
  it('records 政务处分 警告 (6 months, 政务处分法 第八条) and 留党察看一年 (36 months)', async () => {
    const warning = await send('handler', { method: 'POST', url: '/api/v1/followup/penalties', payload: { caseId: sanctioned.id, system: 'government', kind: 'warning', effectiveFrom: '2026-03-02' } });
    expect(warning.statusCode, warning.body).toBe(201);
    expect(warning.json().data).toMatchObject({ label: '警告', periodMonths: 6, effectUntil: '2026-09-02' });
    expect(warning.json().data.periodSource).toContain('《中华人民共和国公职人员政务处分法》第八条');
    const probation = await send('handler', { method: 'POST', url: '/api/v1/followup/penalties', payload: { caseId: sanctioned.id, system: 'party', kind: 'probation', termMonths: 12, effectiveFrom: '2026-03-02' } });
    expect(probation.statusCode, probation.body).toBe(201);
    expect(probation.json().data).toMatchObject({ label: '留党察看一年', periodMonths: 36, effectUntil: '2029-03-02' });
    expect(probation.json().data.periodSource).toContain('《中国共产党纪律处分条例》');
    const events = await h.db.selectFrom('events').select(['type', 'case_id']).where('type', '=', 'penalty.recorded').execute();
    expect(events).toEqual([
      { type: 'penalty.recorded', case_id: sanctioned.id },
      { type: 'penalty.recorded', case_id: sanctioned.id },
    ]);
  });

  it('refuses a penalty for an exemption (R11), a kind outside the system, 留党察看 without its term, a duplicate', async () => {
    const url = '/api/v1/followup/penalties';
    await refused('handler', { method: 'POST', url, payload: { caseId: exempt.id, system: 'government', kind: 'warning', effectiveFrom: '2026-03-02' } }, { status: 422, code: 'RULE_R11_EXEMPT_NO_PENALTY', rule: 'R11' });
    const kind = await refused('handler', { method: 'POST', url, payload: { caseId: sanctioned.id, system: 'government', kind: 'serious-warning', effectiveFrom: '2026-03-02' } }, { status: 400, code: 'INVALID_INPUT', key: 'kind' });
    expect(kind.json().allowed).toEqual(['warning', 'demerit', 'major-demerit', 'demotion', 'dismissal']);
    await refused('handler', { method: 'POST', url, payload: { caseId: sanctioned.id, system: 'party', kind: 'probation', effectiveFrom: '2026-03-02' } }, { status: 400, code: 'INVALID_INPUT', key: 'termMonths' });
    await refused('handler', { method: 'POST', url, payload: { caseId: sanctioned.id, system: 'party', kind: 'probation', termMonths: 18, effectiveFrom: '2026-03-02' } }, { status: 400, code: 'INVALID_INPUT', key: 'termMonths' });
    await refused('handler', { method: 'POST', url, payload: { caseId: sanctioned.id, system: 'government', kind: 'warning', effectiveFrom: '2026-03-02' } }, { status: 409, code: 'INVALID_STATE' });
  });

  it('is the deciding organ handler’s: those who oversee the case are refused, the others (organization department included) find no case', async () => {
    const payload = { caseId: sanctioned.id, system: 'government', kind: 'demerit', effectiveFrom: '2026-03-02' };
    // Those who see the case (a superior handler, the supervisor) may not record; the others do not find it.
    for (const user of ['cityHandler', 'supervisor']) await refused(user, { method: 'POST', url: '/api/v1/followup/penalties', payload }, { status: 403, code: 'FORBIDDEN' });
    for (const user of ['xcHandler', 'cityOrgDept', 'xcOrgDept', 'official']) {
      await refused(user, { method: 'POST', url: '/api/v1/followup/penalties', payload }, { status: 404, code: 'NOT_FOUND' });
    }
  });
});

describe('Art. 17: the selection check', () => {
  it('R11: the exempt official comes out clean, with nothing about the case', async () => {
    const response = await selection('cityOrgDept', h.world.officials.official, 'selection');
    expect(response.statusCode, response.body).toBe(200);
    // The identifiers (none recorded for this official) come masked, and the department may reveal them.
    expect(response.json().data).toEqual({
      officialId: h.world.officials.official,
      purpose: 'selection',
      asOf: '2026-03-02',
      restricted: false,
      reasons: [],
      identifiers: { idNumber: null, phone: null, revealable: true },
    });
  });

  it('names the penalties in effect, their period and source — never the case', async () => {
    const response = await selection('cityOrgDept', h.world.officials.seniorOfficial);
    expect(response.statusCode, response.body).toBe(200);
    const data = response.json().data;
    expect(data.restricted).toBe(true);
    expect(data.reasons.map((r: { label: string; until: string }) => [r.label, r.until])).toEqual([
      ['党纪处分 留党察看一年', '2029-03-02'],
      ['政务处分 警告', '2026-09-02'],
    ]);
    for (const reason of data.reasons) expect(Object.keys(reason).sort()).toEqual(['from', 'kind', 'label', 'source', 'until']);
    for (const secret of [sanctioned.id, exempt.id, '改革试点', '资金拨付', '延误']) expect(response.body).not.toContain(secret);
    const event = await h.db.selectFrom('events').select(['type', 'case_id', 'payload']).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(event).toMatchObject({ type: 'selection.queried', case_id: null, payload: { officialId: h.world.officials.seniorOfficial, purpose: 'promotion', restricted: true } });
  });

  it('is 404 — exactly as for an official who does not exist — to anyone not managing the official as organization department', async () => {
    const missing = await selection('xcOrgDept', '00000000-0000-4000-8000-000000000000');
    for (const user of ['xcOrgDept', 'handler', 'xcHandler', 'supervisor', 'official', 'partyOrg', 'admin']) {
      const response = await refused(user, { method: 'GET', url: `/api/v1/officials/${h.world.officials.official}/selection-check?purpose=awards` }, { status: 404, code: 'NOT_FOUND' });
      expect(response.json()).toEqual(missing.json());
    }
    await refused('cityOrgDept', { method: 'GET', url: `/api/v1/officials/${h.world.officials.official}/selection-check?purpose=gossip` }, { status: 400, code: 'INVALID_INPUT' });
  });
});

describe('Art. 19(1): prevention reminders', () => {
  it('records a reminder that never appears in the selection check', async () => {
    const problem = '项目审批中存在拖延苗头，提醒及时整改。';
    for (const officialId of [h.world.officials.official, h.world.officials.seniorOfficial]) {
      const response = await send('cityOrgDept', { method: 'POST', url: '/api/v1/followup/reminders', payload: { officialId, kind: 'talk', problem, followUp: '一个月后了解整改情况。', followUpOn: '2026-04-02' } });
      expect(response.statusCode, response.body).toBe(201);
    }
    const clean = await selection('cityOrgDept', h.world.officials.official, 'candidacy');
    expect(clean.json().data).toMatchObject({ restricted: false, reasons: [] });
    expect(clean.body).not.toContain('提醒');
    const restricted = await selection('cityOrgDept', h.world.officials.seniorOfficial, 'awards');
    expect(restricted.json().data.reasons).toHaveLength(2);
    expect(restricted.body).not.toContain('提醒');
  });

  it('refuses a reminder from outside the jurisdiction or dated in the future', async () => {
    const payload = { officialId: h.world.officials.official, kind: 'reminder', problem: '苗头性问题。' };
    for (const user of ['xcHandler', 'xcOrgDept', 'supervisor']) await refused(user, { method: 'POST', url: '/api/v1/followup/reminders', payload }, { status: 404, code: 'NOT_FOUND' });
    await refused('handler', { method: 'POST', url: '/api/v1/followup/reminders', payload: { ...payload, givenOn: '2026-03-03' } }, { status: 400, code: 'INVALID_INPUT', key: 'givenOn' });
  });
});

describe('Art. 19(4): comprehensive assessments', () => {
  const factors = {
    nature: '改革试点中的程序性失误。',
    motive: '出于公心推进改革。',
    degree: '情节轻微，损失已挽回。',
    tolerance: '属于第八条第（二）项情形，予以容错免责。',
    usualPerformance: '一贯表现良好。',
    performanceSince: '容错后工作积极主动，担当作为。',
  };

  it('falls due for the exempt official after service; recording it clears it', async () => {
    const due = await send('cityOrgDept', { method: 'GET', url: '/api/v1/followup/assessments/due' });
    expect(due.statusCode, due.body).toBe(200);
    expect(due.json().data.items).toEqual([
      { basis: 'exemption', official: { id: h.world.officials.official, name: '张明', position: '副主任' }, caseId: exempt.id, penalty: null, dueOn: '2026-03-02' },
    ]);
    const recorded = await send('cityOrgDept', { method: 'POST', url: '/api/v1/followup/assessments', payload: { officialId: h.world.officials.official, basis: 'exemption', caseIds: [exempt.id], factors, conclusion: 'recommend-for-use' } });
    expect(recorded.statusCode, recorded.body).toBe(201);
    expect(recorded.json().data).toMatchObject({ basis: 'exemption', dueOn: '2026-03-02', conclusion: 'recommend-for-use', sentToOrganizationId: extra.orgDeptOrgId });
    expect((await send('cityOrgDept', { method: 'GET', url: '/api/v1/followup/assessments/due' })).json().data.items).toEqual([]);
  });

  it('refuses one before the penalty period ends (R13), an unknown conclusion, a case not the official’s, and outsiders', async () => {
    const penalty = await h.db.selectFrom('penalties').select('id').where('kind', '=', 'warning').executeTakeFirstOrThrow();
    const url = '/api/v1/followup/assessments';
    const base = { officialId: h.world.officials.seniorOfficial, basis: 'penalty-ended', penaltyId: penalty.id, factors, conclusion: 'continue-in-post' };
    await refused('cityOrgDept', { method: 'POST', url, payload: base }, { status: 422, code: 'RULE_R13_PENALTY_IN_EFFECT', rule: 'R13' });
    await refused('cityOrgDept', { method: 'POST', url, payload: { ...base, conclusion: 'label-them' } }, { status: 400, code: 'INVALID_INPUT' });
    await refused('cityOrgDept', { method: 'POST', url, payload: { ...base, basis: 'exemption', penaltyId: undefined, caseIds: [exempt.id] } }, { status: 400, code: 'INVALID_INPUT', key: 'caseIds' });
    await refused('xcOrgDept', { method: 'POST', url, payload: base }, { status: 404, code: 'NOT_FOUND' });
  });

  it('falls due when the 政务处分 警告 period ends, not before', async () => {
    const ahead = await send('cityOrgDept', { method: 'GET', url: '/api/v1/followup/assessments/due?until=2026-09-01' });
    expect(ahead.json().data.items).toEqual([]);
    const atEnd = await send('cityOrgDept', { method: 'GET', url: '/api/v1/followup/assessments/due?until=2026-09-02' });
    expect(atEnd.json().data.items).toMatchObject([{ basis: 'penalty-ended', caseId: sanctioned.id, penalty: { label: '政务处分 警告', until: '2026-09-02' }, dueOn: '2026-09-02' }]);
  });
});

describe('the clock moves: visits due this week, penalty periods ending', () => {
  it('lists the 3-month visits in their week to the managing staff, and drops one once recorded', async () => {
    moveTo('2026-06-01T01:00:00Z'); // Monday
    const [exemptVisit] = await visitsOf(exempt);
    const [sanctionedVisit] = await visitsOf(sanctioned);
    for (const user of ['handler', 'cityOrgDept']) {
      const response = await send(user, { method: 'GET', url: '/api/v1/followup/visits/due' });
      expect(response.json().data.week).toEqual({ start: '2026-06-01', end: '2026-06-08' });
      expect(response.json().data.items.map((v: { id: string; dueOn: string; overdue: boolean }) => [v.id, v.dueOn, v.overdue]).sort()).toEqual(
        [
          [exemptVisit!.id, '2026-06-02', false],
          [sanctionedVisit!.id, '2026-06-02', false],
        ].sort(),
      );
    }
    for (const user of ['xcHandler', 'xcOrgDept', 'supervisor', 'official']) {
      expect((await send(user, { method: 'GET', url: '/api/v1/followup/visits/due' })).json().data.items).toEqual([]);
    }
    await refused('xcHandler', { method: 'POST', url: `/api/v1/followup/visits/${exemptVisit!.id}/record`, payload: { record: '回访。' } }, { status: 404, code: 'NOT_FOUND' });
    const recorded = await send('handler', { method: 'POST', url: `/api/v1/followup/visits/${exemptVisit!.id}/record`, payload: { record: '回访了解到工作状态良好，已放下包袱。' } });
    expect(recorded.statusCode, recorded.body).toBe(200);
    await refused('handler', { method: 'POST', url: `/api/v1/followup/visits/${exemptVisit!.id}/record`, payload: { record: '再记一次。' } }, { status: 409, code: 'INVALID_STATE' });
    const after = await send('cityOrgDept', { method: 'GET', url: '/api/v1/followup/visits/due' });
    expect(after.json().data.items.map((v: { id: string }) => v.id)).toEqual([sanctionedVisit!.id]);
  });

  it('the 政务处分 警告 restricts for 6 months and not after; 留党察看一年 for 36 months', async () => {
    moveTo('2026-09-01T01:00:00Z');
    expect((await selection('cityOrgDept', h.world.officials.seniorOfficial)).json().data.reasons).toHaveLength(2);
    moveTo('2026-09-02T01:00:00Z');
    const after = (await selection('cityOrgDept', h.world.officials.seniorOfficial)).json().data;
    expect(after).toMatchObject({ restricted: true, reasons: [{ label: '党纪处分 留党察看一年', until: '2029-03-02' }] });
    expect(after.reasons).toHaveLength(1);
    // The visit of 2026-06-02 is now overdue; the 6-month visits are due this week.
    const visits = (await send('handler', { method: 'GET', url: '/api/v1/followup/visits/due' })).json().data.items as { dueOn: string; overdue: boolean }[];
    expect(visits.map((v) => [v.dueOn, v.overdue]).sort()).toEqual([
      ['2026-06-02', true],
      ['2026-09-02', false],
      ['2026-09-02', false],
    ]);
    moveTo('2029-03-01T01:00:00Z');
    expect((await selection('cityOrgDept', h.world.officials.seniorOfficial)).json().data.restricted).toBe(true);
    moveTo('2029-03-02T01:00:00Z');
    expect((await selection('cityOrgDept', h.world.officials.seniorOfficial)).json().data).toMatchObject({ restricted: false, reasons: [] });
    expect((await selection('cityOrgDept', h.world.officials.official)).json().data).toMatchObject({ restricted: false, reasons: [] });
  });

  it('lists both ended penalties for assessment, by the managing organization department only', async () => {
    const due = (await send('cityOrgDept', { method: 'GET', url: '/api/v1/followup/assessments/due' })).json().data.items as { basis: string; penalty: { label: string } }[];
    expect(due.map((d) => [d.basis, d.penalty.label])).toEqual([
      ['penalty-ended', '政务处分 警告'],
      ['penalty-ended', '党纪处分 留党察看一年'],
    ]);
    expect((await send('xcOrgDept', { method: 'GET', url: '/api/v1/followup/assessments/due' })).json().data.items).toEqual([]);
  });
});

describe('Art. 19(1): following up a prevention reminder', () => {
  // The clock stands at 2029-03-02 (Beijing) here.
  let reminderId: string;
  const url = () => `/api/v1/followup/reminders/${reminderId}/follow-ups`;
  type Task = { task: string; caseId: string; caseTitle: string; official: { name: string }; state: string; deadline: string | null };
  const reminderTasks = async (user: string) => {
    const response = await send(user, { method: 'GET', url: '/api/v1/workbench' });
    expect(response.statusCode, response.body).toBe(200);
    return (response.json().data.items as Task[]).filter((t) => t.caseTitle === '预防提醒跟踪');
  };
  type Listed = { id: string; followUpOn: string | null; overdue: boolean; resolved: boolean; followUps: { followedUpOn: string; record: string; resolved: boolean; nextFollowUpOn: string | null; recordedBy: string }[] };
  const listed = async (user: string) => {
    const response = await send(user, { method: 'GET', url: '/api/v1/followup/reminders' });
    expect(response.statusCode, response.body).toBe(200);
    return response.json().data.items as Listed[];
  };

  it('puts a reminder whose follow-up falls due within 7 days on the 工作台 of the staff managing the official', async () => {
    const response = await send('handler', {
      method: 'POST',
      url: '/api/v1/followup/reminders',
      payload: { officialId: h.world.officials.official, kind: 'reminder', problem: '对群众来信答复不够及时。', followUp: '下周了解改进情况。', givenOn: '2029-02-20', followUpOn: '2029-03-05' },
    });
    expect(response.statusCode, response.body).toBe(201);
    reminderId = response.json().data.id;
    for (const user of ['handler', 'cityOrgDept']) {
      expect(await reminderTasks(user), user).toEqual([
        expect.objectContaining({ task: 'visit-due', caseId: '', official: expect.objectContaining({ name: '张明' }), state: 'due', deadline: '2029-03-05T15:59:59.999Z' }),
      ]);
    }
    expect(await reminderTasks('xcHandler')).toEqual([]);
    expect((await listed('handler')).find((r) => r.id === reminderId)).toMatchObject({ followUpOn: '2029-03-05', overdue: false, resolved: false, followUps: [] });
  });

  it('refuses bad input, naming the field, and changes nothing', async () => {
    const valid = { followedUpOn: '2029-03-01', record: '当面了解，答复已加快。', resolved: false };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...valid, followedUpOn: '2029-03-03' }, 'followedUpOn'], // in the future
      [{ ...valid, followedUpOn: '2029-02-19' }, 'followedUpOn'], // before the reminder
      [{ ...valid, followedUpOn: '2029/03/01' }, 'followedUpOn'],
      [{ ...valid, record: '   ' }, 'record'],
      [{ followedUpOn: valid.followedUpOn, record: valid.record }, 'resolved'],
      [{ ...valid, resolved: 'yes' }, 'resolved'],
      [{ ...valid, nextFollowUpOn: '2029-03-02' }, 'nextFollowUpOn'], // not after today
      [{ ...valid, nextFollowUpOn: 'next week' }, 'nextFollowUpOn'],
    ];
    for (const [payload, key] of cases) {
      const response = await refused('handler', { method: 'POST', url: url(), payload }, { status: 400, code: 'INVALID_INPUT', key });
      expect((response.json() as { title: string }).title.length, key).toBeGreaterThan(0);
    }
    await refused('handler', { method: 'POST', url: '/api/v1/followup/reminders/not-a-uuid/follow-ups', payload: valid }, { status: 400, code: 'INVALID_INPUT', key: 'reminderId' });
  });

  it('is 404 — exactly as for a reminder that does not exist — to anyone not managing the official', async () => {
    const payload = { followedUpOn: '2029-03-01', record: '跟踪。', resolved: true };
    const missing = await refused('handler', { method: 'POST', url: '/api/v1/followup/reminders/00000000-0000-4000-8000-000000000000/follow-ups', payload }, { status: 404, code: 'NOT_FOUND' });
    for (const user of ['xcHandler', 'xcOrgDept', 'supervisor', 'official', 'partyOrg', 'admin']) {
      const response = await refused(user, { method: 'POST', url: url(), payload }, { status: 404, code: 'NOT_FOUND' });
      expect(response.json()).toEqual(missing.json());
    }
    for (const user of ['xcHandler', 'xcOrgDept', 'supervisor']) expect((await listed(user)).map((r) => r.id)).not.toContain(reminderId);
  });

  it('records a follow-up, audited without its text; the task leaves the 工作台 when not rescheduled', async () => {
    const response = await send('handler', { method: 'POST', url: url(), payload: { followedUpOn: '2029-03-01', record: '当面了解，答复已加快，仍需巩固。', resolved: false, nextFollowUpOn: '2029-03-20' } });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().data).toMatchObject({ reminderId, followedUpOn: '2029-03-01', resolved: false, nextFollowUpOn: '2029-03-20' });
    const event = await h.db.selectFrom('events').select(['type', 'case_id', 'actor', 'payload']).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(event).toMatchObject({
      type: 'prevention.reminder-followed-up',
      case_id: null,
      actor: `user:${h.world.users.handler.id}`,
      payload: { followUpId: response.json().data.id, reminderId, officialId: h.world.officials.official, followedUpOn: '2029-03-01', wasDueOn: '2029-03-05', resolved: false, nextFollowUpOn: '2029-03-20' },
    });
    expect(JSON.stringify(event.payload)).not.toContain('答复已加快');
    // Rescheduled beyond the 7 days: off the 工作台 now, due on 2029-03-20.
    expect(await reminderTasks('handler')).toEqual([]);
    expect((await listed('cityOrgDept')).find((r) => r.id === reminderId)).toMatchObject({
      followUpOn: '2029-03-20',
      resolved: false,
      followUps: [{ followedUpOn: '2029-03-01', record: '当面了解，答复已加快，仍需巩固。', resolved: false, nextFollowUpOn: '2029-03-20', recordedBy: expect.any(String) }],
    });

    moveTo('2029-03-16T01:00:00Z');
    expect(await reminderTasks('cityOrgDept')).toEqual([expect.objectContaining({ state: 'due', deadline: '2029-03-20T15:59:59.999Z' })]);
    await refused('cityOrgDept', { method: 'POST', url: url(), payload: { followedUpOn: '2029-02-28', record: '补记。', resolved: false } }, { status: 400, code: 'INVALID_INPUT', key: 'followedUpOn' });
    const resolved = await send('cityOrgDept', { method: 'POST', url: url(), payload: { followedUpOn: '2029-03-16', record: '来信均按期答复，问题已解决。', resolved: true } });
    expect(resolved.statusCode, resolved.body).toBe(201);
    expect(resolved.json().data).toMatchObject({ resolved: true, nextFollowUpOn: null });
    for (const user of ['handler', 'cityOrgDept']) expect(await reminderTasks(user), user).toEqual([]);
    const reminder = (await listed('handler')).find((r) => r.id === reminderId)!;
    expect(reminder).toMatchObject({ followUpOn: null, overdue: false, resolved: true });
    expect(reminder.followUps.map((f) => [f.followedUpOn, f.resolved, f.nextFollowUpOn])).toEqual([
      ['2029-03-01', false, '2029-03-20'],
      ['2029-03-16', true, null],
    ]);
  });

  it('keeps follow-ups append-only', async () => {
    await expect(h.db.updateTable('reminder_follow_ups').set({ resolved: false }).where('reminder_id', '=', reminderId).execute()).rejects.toThrow(/append-only/);
    await expect(h.db.deleteFrom('reminder_follow_ups').where('reminder_id', '=', reminderId).execute()).rejects.toThrow(/append-only/);
  });

  it('never shows a reminder or its follow-ups in the selection check', async () => {
    const response = await selection('cityOrgDept', h.world.officials.official, 'promotion');
    expect(response.json().data).toMatchObject({ restricted: false, reasons: [] });
    for (const text of ['提醒', '来信', '问题已解决', reminderId]) expect(response.body).not.toContain(text);
  });
});

describe('no case details for those who do not manage the official', () => {
  it('no response to another jurisdiction carried a case id, title, description or the official', () => {
    const outsiders = bodies.filter((b) => ['xcHandler', 'xcOrgDept', 'supervisor', 'official', 'partyOrg', 'admin'].includes(b.who));
    expect(outsiders.length).toBeGreaterThan(15);
    for (const { who, body } of outsiders) {
      for (const secret of [exempt.id, sanctioned.id, '改革试点', '资金拨付', '张明', '李华', '警告', '留党察看']) expect(body, `${who}: ${body}`).not.toContain(secret);
    }
  });

  it('no selection check ever carried a case', () => {
    for (const { body } of bodies.filter((b) => b.body.includes('"restricted"'))) {
      for (const secret of [exempt.id, sanctioned.id, '改革试点', '资金拨付']) expect(body).not.toContain(secret);
    }
  });
});
