import { describe, expect, it } from 'vitest';
import { verifyChain } from '../src/audit/verify.js';
import { ASSESSMENTS, driveTo, expectProblem, expectRefused, headSeq, openCase, snapshot, useHarness } from './rules/steps.js';

/**
 * Optimistic concurrency: every command names the case version the user saw. Two users acting at once on the
 * same version: one wins, the other gets 409 and nothing of theirs is written; the audit chain stays one line.
 */
describe('concurrent commands on one case', () => {
  const h = useHarness();

  const opinion = (source: string) => ({ kind: 'unit', source, content: `${source}认为该同志一贯表现良好，试点中积极作为。` });

  it('lets exactly one of two handlers recording an opinion on the same version win; the other gets 409', async () => {
    const flow = await openCase(h);
    const [a, b] = [await h.as('handler'), await h.as('handler2')];
    const before = await snapshot(h.db, flow.id);

    const responses = await Promise.all([
      a.inject({ method: 'POST', url: flow.url('opinions'), payload: { version: flow.version, ...opinion('东城区发展改革委') } }),
      b.inject({ method: 'POST', url: flow.url('opinions'), payload: { version: flow.version, ...opinion('东城区财政局') } }),
    ]);
    expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const loser = responses.find((r) => r.statusCode === 409)!;
    expectProblem(loser, { status: 409, code: 'VERSION_CONFLICT', key: 'version' });
    const winner = responses.find((r) => r.statusCode === 200)!;
    expect((winner.json() as { version: number }).version).toBe(flow.version + 1);

    const opinions = await h.db.selectFrom('opinions').select('source').where('case_id', '=', flow.id).execute();
    expect(opinions).toHaveLength(1);
    const events = await h.db.selectFrom('events').select(['type', 'seq']).where('seq', '>', before.head.seq).orderBy('seq').execute();
    expect(events.map((e) => e.type)).toEqual(['case.opinion-recorded']);
    expect((await flow.row()).version).toBe(flow.version + 1);
  });

  it('lets one of six different commands on the same version win, and the chain stays whole', async () => {
    const flow = await driveTo(h, 'heard');
    const handler = await h.as('handler');
    const handler2 = await h.as('handler2');
    const official = await h.as('official');
    const party = await h.as('partyOrg');
    const seqBefore = await headSeq(h.db);
    const version = flow.version;
    const responses = await Promise.all([
      handler.inject({ method: 'POST', url: flow.url('assessment'), payload: { version, input: ASSESSMENTS.favourable } }),
      handler2.inject({ method: 'POST', url: flow.url('opinions'), payload: { version, ...opinion('东城区审计局') } }),
      handler2.inject({ method: 'POST', url: flow.url('professional'), payload: { version, professional: true } }),
      official.inject({ method: 'POST', url: flow.url('applications'), payload: { version, content: '本人申请容错。' } }),
      party.inject({ method: 'POST', url: flow.url('applications'), payload: { version, content: '党支部申请容错。' } }),
      official.inject({ method: 'POST', url: flow.url('statement'), payload: { version, content: '补充陈述。' } }),
    ]);
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 200), statuses.join()).toHaveLength(1);
    expect(statuses.filter((s) => s === 409), statuses.join()).toHaveLength(5);
    for (const r of responses.filter((x) => x.statusCode === 409)) expectProblem(r, { status: 409, code: 'VERSION_CONFLICT', key: 'version' });

    const events = await h.db.selectFrom('events').select(['case_id']).where('seq', '>', seqBefore).execute();
    expect(events).toEqual([{ case_id: flow.id }]);
    expect((await flow.row()).version).toBe(version + 1);
    expect(await verifyChain(h.db)).toMatchObject({ ok: true });
  });

  it('refuses a stale version (version - 1) with 409 and writes nothing', async () => {
    const flow = await driveTo(h, 'heard');
    const handler = await h.as('handler');
    await expectRefused(h, flow.id, () => flow.send(handler, 'opinions', { ...opinion('东城区发展改革委'), version: flow.version - 1 }), { status: 409, code: 'VERSION_CONFLICT', key: 'version' });
    // A version from the future is no better.
    await expectRefused(h, flow.id, () => flow.send(handler, 'opinions', { ...opinion('东城区发展改革委'), version: flow.version + 1 }), { status: 409, code: 'VERSION_CONFLICT', key: 'version' });
    // With the version it has now, the same command goes through.
    await flow.command('handler', 'opinions', opinion('东城区发展改革委'));
  });

  it('lets commands on different cases run at once, each with one event, on one unbroken chain', async () => {
    const flows = [await openCase(h), await openCase(h), await openCase(h), await openCase(h)];
    const handler = await h.as('handler');
    const seqBefore = await headSeq(h.db);
    const responses = await Promise.all(flows.map((f, i) => handler.inject({ method: 'POST', url: f.url('opinions'), payload: { version: f.version, ...opinion(`第${i + 1}单位`) } })));
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    const events = await h.db.selectFrom('events').select(['case_id']).where('seq', '>', seqBefore).execute();
    expect(events.map((e) => e.case_id).sort()).toEqual(flows.map((f) => f.id).sort());
    expect(await verifyChain(h.db)).toMatchObject({ ok: true });
  });
});
