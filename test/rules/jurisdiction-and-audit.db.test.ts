import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/audit/verify.js';
import { ASSESSMENTS, DECISIONS, deliberationBody, driveTo, evidenceForm, expectOneCaseEvent, expectProblem, expectRefused, EXPLANATIONS, headSeq, openCase, snapshot, useHarness, type Session } from './steps.js';

/**
 * R14 (Art. 6, 11): only an organ with management authority over the official opens or sees the case — to anyone
 * else it does not exist. R16 (Art. 14, 20): everything that happens to a case is one event in a tamper-evident
 * chain.
 */
describe('R14 jurisdiction and R16 audit', () => {
  const h = useHarness();

  const newCase = (session: Session, officialId: string, extra: Record<string, unknown> = {}) =>
    session.inject({ method: 'POST', url: '/api/v1/cases', payload: { officialId, title: '违规审批项目', description: '未按规定程序审批建设项目。', ...extra } });

  describe('R14: management authority', () => {
    it('refuses a 西城 handler opening a case against an official managed by 东城 (403), writing nothing', async () => {
      const xc = await h.as('xcHandler');
      await expectRefused(h, null, () => newCase(xc, h.world.officials.official), { status: 403, code: 'RULE_R14_NO_AUTHORITY', rule: 'R14' });
      // Naming the 东城 organ does not help: the handler does not work there.
      await expectRefused(h, null, () => newCase(xc, h.world.officials.official, { organId: h.world.orgs.dongcheng.id }), { status: 400, code: 'INVALID_INPUT', key: 'organId' });
      // And the other way round.
      const dc = await h.as('handler');
      await expectRefused(h, null, () => newCase(dc, h.world.officials.xichengOfficial), { status: 403, code: 'RULE_R14_NO_AUTHORITY', rule: 'R14' });
    });

    it('lets the managing organ and its superior open cases', async () => {
      const own = await openCase(h, { by: 'handler' });
      const superior = await openCase(h, { by: 'cityHandler' });
      const organs = await h.db.selectFrom('cases').select(['id', 'organ_id']).where('id', 'in', [own.id, superior.id]).execute();
      expect(Object.fromEntries(organs.map((c) => [c.id, c.organ_id]))).toEqual({ [own.id]: h.world.orgs.dongcheng.id, [superior.id]: h.world.orgs.commission.id });
    });

    it('answers a 西城 handler about a 东城 case with 404 — as if it did not exist — on GET and on commands', async () => {
      const flow = await driveTo(h, 'deliberated', { application: true });
      const xc = await h.as('xcHandler');
      const missing = randomUUID();
      const get = await xc.inject({ method: 'GET', url: flow.url() });
      expectProblem(get, { status: 404, code: 'NOT_FOUND' });
      const getMissing = await xc.inject({ method: 'GET', url: `/api/v1/cases/${missing}` });
      expect(get.json()).toEqual(getMissing.json());
      expectNoCaseData(get.body, flow.id);

      const attempts: [string, Record<string, unknown>][] = [
        ['opinions', { kind: 'unit', source: '西城区纪委监委', content: '越权记录意见。' }],
        ['assessment', { input: { situations: [], exclusions: {}, factors: {} } }],
        ['decision', DECISIONS.exempt],
        ['close', {}],
      ];
      for (const [path, payload] of attempts) {
        const problem = await expectRefused(h, flow.id, () => flow.send(xc, path, payload), { status: 404, code: 'NOT_FOUND' });
        expectNoCaseData(JSON.stringify(problem), flow.id);
        // A wrong version changes nothing: existence is not revealed through a conflict either.
        await expectRefused(h, flow.id, () => flow.send(xc, path, { ...payload, version: flow.version + 7 }), { status: 404, code: 'NOT_FOUND' });
      }
    });

    it('lets the 市纪委 handler, supervisor and approver see the 东城 case, and no superior conduct it', async () => {
      const flow = await driveTo(h, 'assessed');
      for (const user of ['cityHandler', 'supervisor', 'approver'] as const) {
        const view = await flow.view(user);
        expect(view.data).toMatchObject({ id: flow.id, organ: { id: h.world.orgs.dongcheng.id } });
        expect(view.data.assessment).not.toBeNull();
      }
      // "谁问责追责、谁容错": the superior organ oversees the case but does not conduct it.
      const city = await h.as('cityHandler');
      const refused = await city.inject({ method: 'POST', url: flow.url('opinions'), payload: { version: flow.version, kind: 'society', source: '群众来信', content: '反映该项目推进中的问题。' } });
      expect(refused.statusCode, refused.body).toBe(403);
      expect(refused.json()).toMatchObject({ code: 'FORBIDDEN' });
    });

    it('lists to each handler only the cases of their jurisdiction, with a matching total', async () => {
      await openCase(h, { by: 'handler', title: '东城区老旧小区改造延误' });
      const xc = await h.as('xcHandler');
      const xcOpened = await newCase(xc, h.world.officials.xichengOfficial);
      expect(xcOpened.statusCode, xcOpened.body).toBe(201);
      const xcCaseId = (xcOpened.json() as { data: { id: string } }).data.id;

      const all = await h.db.selectFrom('cases').select(['id', 'organ_id']).execute();
      const ids = (organ: string) => all.filter((c) => c.organ_id === organ).map((c) => c.id).sort();
      const dongcheng = ids(h.world.orgs.dongcheng.id);
      const xicheng = ids(h.world.orgs.xicheng.id);
      expect(dongcheng.length).toBeGreaterThan(1);
      expect(xicheng).toEqual([xcCaseId]);

      const list = async (session: Session, query = '') => {
        const response = await session.inject({ method: 'GET', url: `/api/v1/cases?limit=100${query}` });
        expect(response.statusCode, response.body).toBe(200);
        const body = response.json() as { data: { id: string }[]; total: number };
        return { ids: body.data.map((c) => c.id).sort(), total: body.total, raw: response.body };
      };
      const xcList = await list(xc);
      expect(xcList).toMatchObject({ ids: xicheng, total: xicheng.length });
      expect(xcList.raw).not.toContain('张明');
      // Filters do not open a way round the jurisdiction.
      expect(await list(xc, `&organId=${h.world.orgs.dongcheng.id}`)).toMatchObject({ ids: [], total: 0 });
      expect(await list(xc, `&q=${encodeURIComponent('张明')}`)).toMatchObject({ ids: [], total: 0 });

      const dcList = await list(await h.as('handler'));
      expect(dcList).toMatchObject({ ids: dongcheng, total: dongcheng.length });
      const cityList = await list(await h.as('cityHandler'));
      expect(cityList.total).toBe(all.length);
      expect(cityList.ids).toEqual(all.map((c) => c.id).sort());
    });
  });

  describe('R16: the audit chain', () => {
    it('records every successful command as exactly one event of the case, in order, and the chain verifies', async () => {
      // command() checks one event of this case per command as it goes; here the whole sequence is checked as well.
      const flow = await openCase(h);
      // Evidence is uploaded as a form with attachments (201), and is one event too.
      const handler = await h.as('handler');
      const seqBefore = await headSeq(h.db);
      const uploaded = await handler.inject({ method: 'POST', url: flow.url('evidence'), ...evidenceForm(flow.version, '项目资金拨付会议纪要') });
      expect(uploaded.statusCode, uploaded.body).toBe(201);
      await expectOneCaseEvent(h.db, seqBefore, flow.id, 'case.evidence-recorded');
      flow.version = (uploaded.json() as { version: number }).version;

      await flow.command('official', 'statement', { content: '本人在试点中按照集体研究意见推进，因政策界限不明确出现延误。' });
      const applied = await flow.command('official', 'applications', { content: '本人申请容错：属于第八条第（二）项情形。' });
      flow.applications.push(applied.data.id as string);
      await flow.command('handler', 'professional', { professional: true });
      await flow.command('handler', 'experts', { expertId: h.world.users.expert.id, question: '资金拨付流程的技术规范当时是否明确？', evidenceIds: [] });
      await flow.command('expert', 'expert-opinion', { content: '相关技术规范当时尚未出台。' });
      flow.recommendation = (await flow.command('handler', 'assessment', { input: ASSESSMENTS.favourable })).data.recommendation as string;
      await flow.command('handler', 'deliberations', deliberationBody(h, flow, { proposedOutcome: 'reduced' }));
      await flow.command('handler', 'decision', DECISIONS.sanctioned);
      await flow.command('approver', 'decision/approval', { approve: true });
      await flow.command('handler', 'service', EXPLANATIONS);
      await flow.command('official', 'appeal', { grounds: '本人认为处理过重，申请复查。' });
      await flow.command('handler2', 'appeal/decision', { outcome: 'upheld', reasons: '经复查，原决定适当，予以维持。' });
      await flow.command('handler', 'close', {});
      const events = await h.db.selectFrom('events').select(['type', 'actor', 'payload']).where('case_id', '=', flow.id).orderBy('seq').execute();
      expect(events.map((e) => e.type)).toEqual([
        'case.opened',
        'case.evidence-recorded',
        'case.opinion-recorded',
        'case.application-submitted',
        'case.marked-professional',
        'case.expert-invited',
        'case.expert-opinion-recorded',
        'case.assessment-recorded',
        'case.deliberation-recorded',
        'case.decided',
        'case.decision-approved',
        'case.served',
        'case.appeal-lodged',
        'case.appeal-decided',
        ...Array<string>(events.filter((e) => e.type === 'case.document-generated').length).fill('case.document-generated'),
        'case.file-sealed',
        'case.closed',
      ]);
      // Closing issued the documents the case file lacked (at least the decision and the receipt of service).
      expect(events.filter((e) => e.type === 'case.document-generated').length).toBeGreaterThanOrEqual(2);
      // Each command's event carries the case version it produced; the documents and the seal belong to closing.
      const commandEvents = events.filter((e) => e.type !== 'case.file-sealed' && e.type !== 'case.document-generated');
      expect(commandEvents.map((e) => (e.payload as { version: number }).version)).toEqual(commandEvents.map((_, i) => i + 1));
      expect(events.every((e) => e.actor.startsWith('user:'))).toBe(true);
      expect(await verifyChain(h.db)).toMatchObject({ ok: true });
    });

    it('refuses UPDATE and DELETE on events in the database itself', async () => {
      const flow = await driveTo(h, 'decided');
      const decided = await h.db.selectFrom('events').select('seq').where('case_id', '=', flow.id).where('type', '=', 'case.decided').executeTakeFirstOrThrow();
      const before = await snapshot(h.db, flow.id);
      await expect(sql`UPDATE events SET payload = jsonb_set(payload, '{outcome}', '"not_tolerated"') WHERE seq = ${decided.seq}`.execute(h.db)).rejects.toThrow(/append-only: UPDATE/);
      await expect(sql`DELETE FROM events WHERE seq = ${decided.seq}`.execute(h.db)).rejects.toThrow(/append-only: DELETE/);
      expect(await snapshot(h.db, flow.id)).toEqual(before);
    });

    it('lets supervisors (not handlers) verify the chain over HTTP, and the verification is itself recorded', async () => {
      const supervisor = await h.as('supervisor');
      const handler = await h.as('handler');
      const seqBefore = await headSeq(h.db);
      const ok = await supervisor.inject({ method: 'GET', url: '/api/v1/audit/verify' });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toMatchObject({ ok: true, checked: Number(seqBefore), head: { seq: seqBefore } });
      const recorded = await h.db.selectFrom('events').select(['type', 'actor', 'case_id']).where('seq', '>', seqBefore).execute();
      expect(recorded).toEqual([{ type: 'audit.verified', actor: `user:${supervisor.userId}`, case_id: null }]);
      await expectRefused(h, null, () => handler.inject({ method: 'GET', url: '/api/v1/audit/verify' }), { status: 403, code: 'FORBIDDEN' });
    });

    // Last in the file: it breaks the chain on purpose (and then repairs it).
    it('reports hash-mismatch at the edited event after an attacker drops the trigger and rewrites a payload', async () => {
      const flow = await driveTo(h, 'served', { assessment: ASSESSMENTS.noSituation });
      const supervisor = await h.as('supervisor');
      const decided = await h.db.selectFrom('events').select(['seq', 'payload']).where('case_id', '=', flow.id).where('type', '=', 'case.decided').executeTakeFirstOrThrow();
      expect((decided.payload as { outcome: string }).outcome).toBe('not_tolerated');
      expect(await verifyChain(h.db)).toMatchObject({ ok: true });

      await sql`DROP TRIGGER events_refuse_update_delete ON events`.execute(h.db);
      try {
        // "Not tolerated" quietly becomes "exempt" in the log.
        await sql`UPDATE events SET payload = jsonb_set(payload, '{outcome}', '"exempt"') WHERE seq = ${decided.seq}`.execute(h.db);
        const result = await verifyChain(h.db);
        expect(result.ok).toBe(false);
        expect(result.firstBreak).toMatchObject({ seq: decided.seq, reason: 'hash-mismatch' });
        expect(result.firstBreak!.message).toContain(`第 ${decided.seq} 号事件被篡改`);
        // The supervisor sees it over HTTP too.
        const broken = await supervisor.inject({ method: 'GET', url: '/api/v1/audit/verify' });
        const problem = expectProblem(broken, { status: 409, code: 'RULE_R16_CHAIN_BROKEN', rule: 'R16' });
        expect(problem.title).toContain(`第 ${decided.seq} 号事件`);
        expect(problem.detail).toContain('hash-mismatch');

        // Putting the original back makes the chain whole again: the hash covers exactly the content.
        await sql`UPDATE events SET payload = ${JSON.stringify(decided.payload)}::jsonb WHERE seq = ${decided.seq}`.execute(h.db);
        expect(await verifyChain(h.db)).toMatchObject({ ok: true });
      } finally {
        await sql`CREATE TRIGGER events_refuse_update_delete BEFORE UPDATE OR DELETE ON events FOR EACH ROW EXECUTE FUNCTION refuse_audit_change()`.execute(h.db);
      }
      await expect(sql`UPDATE events SET payload = '{}'::jsonb WHERE seq = ${decided.seq}`.execute(h.db)).rejects.toThrow(/append-only/);
      // The product keeps working on the repaired chain.
      await flow.command('official', 'appeal', { grounds: '本人对处理决定不服，提出申诉。' });
      expect(await verifyChain(h.db)).toMatchObject({ ok: true });
    });
  });
});

/** A 404 about a case says nothing about it: no id, title, description, official, organ or content. */
function expectNoCaseData(body: string, caseId: string): void {
  for (const secret of [caseId, '张明', '东城', '资金拨付', '改革试点', '容错申请', '集体研究意见']) {
    expect(body, `the refusal reveals "${secret}"`).not.toContain(secret);
  }
}
