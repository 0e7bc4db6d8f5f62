import { describe, expect, it } from 'vitest';
import { ASSESSMENTS, DECISIONS, driveTo, EXPLANATIONS, useHarness, type CaseFlow, type DecisionView } from './steps.js';

/**
 * R9 and R10 (Art. 15, 16): service with the explanation of the tolerance outcome, and the appeal — who may
 * lodge it, until when, who may decide it, and that every outcome keeps the old decision.
 */
describe('R9–R10: service and appeal', () => {
  const h = useHarness();

  const APPEAL = { grounds: '本人认为处理过重：损失已全部挽回，申请复查。' };

  /** Moves the clock to `ms` after the case's appeal deadline (negative: before it). */
  async function moveToDeadline(flow: CaseFlow, ms: number): Promise<void> {
    const { appeal_deadline } = await flow.row();
    expect(appeal_deadline).not.toBeNull();
    h.advance(appeal_deadline!.getTime() + ms - h.now().getTime());
  }

  describe('R9: the decision is served with the explanation to the official and their party organization', () => {
    it('refuses service without an explanation to the party organization', async () => {
      const flow = await driveTo(h, 'decided');
      await flow.refuse('handler', 'service', { ...EXPLANATIONS, explanationToPartyOrg: '' }, { status: 422, code: 'RULE_R9_NO_EXPLANATION_TO_PARTY_ORG', rule: 'R9' });
      await flow.refuse('handler', 'service', { ...EXPLANATIONS, explanationToPartyOrg: ' \n ' }, { status: 422, code: 'RULE_R9_NO_EXPLANATION_TO_PARTY_ORG', rule: 'R9' });
    });

    it('refuses service without an explanation to the official', async () => {
      const flow = await driveTo(h, 'decided');
      await flow.refuse('handler', 'service', { ...EXPLANATIONS, explanationToOfficial: '' }, { status: 422, code: 'RULE_R9_NO_EXPLANATION_TO_OFFICIAL', rule: 'R9' });
      await flow.refuse('handler', 'service', { explanationToOfficial: '　', explanationToPartyOrg: '' }, { status: 422, code: 'RULE_R9_NO_EXPLANATION_TO_OFFICIAL', rule: 'R9' });
    });

    it('records the service, the explanations each party sees, and the personnel and integrity file entries', async () => {
      const flow = await driveTo(h, 'served');
      const entries = await h.db.selectFrom('file_entries').select(['file_kind', 'official_id']).where('case_id', '=', flow.id).orderBy('file_kind').execute();
      expect(entries).toEqual([
        { file_kind: 'integrity', official_id: h.world.officials.official },
        { file_kind: 'personnel', official_id: h.world.officials.official },
      ]);
      const official = (await flow.view('official')).data.services as { explanationToOfficial: string | null; explanationToPartyOrg: string | null }[];
      expect(official).toMatchObject([{ explanationToOfficial: EXPLANATIONS.explanationToOfficial, explanationToPartyOrg: null }]);
      const party = (await flow.view('partyOrg')).data.services as { explanationToOfficial: string | null; explanationToPartyOrg: string | null }[];
      expect(party).toMatchObject([{ explanationToOfficial: null, explanationToPartyOrg: EXPLANATIONS.explanationToPartyOrg }]);
    });
  });

  describe('R10: appeals', () => {
    it('refuses an appeal against an exemption without accountability measures', async () => {
      const flow = await driveTo(h, 'served');
      expect((await flow.row()).appeal_deadline).toBeNull();
      await flow.refuse('official', 'appeal', APPEAL, { status: 422, code: 'RULE_R10_NOT_APPEALABLE', rule: 'R10' });
      expect((await flow.view('official')).abilities.lodgeAppeal).toMatchObject({ allowed: false, code: 'RULE_R10_NOT_APPEALABLE' });
    });

    it('refuses an appeal before service: the decision must be served first', async () => {
      const flow = await driveTo(h, 'decided', { assessment: ASSESSMENTS.noSituation });
      await flow.refuse('official', 'appeal', APPEAL, { status: 422, code: 'RULE_R10_NOT_APPEALABLE_NOW', rule: 'R10' });
    });

    it('refuses to close the case while the appeal window is open', async () => {
      const flow = await driveTo(h, 'served', { assessment: ASSESSMENTS.noSituation });
      await flow.refuse('handler', 'close', {}, { status: 422, code: 'RULE_R10_WINDOW_OPEN', rule: 'R10' });
      await moveToDeadline(flow, 0);
      await flow.refuse('handler', 'close', {}, { status: 422, code: 'RULE_R10_WINDOW_OPEN', rule: 'R10' });
    });

    it('accepts an appeal on the last moment of the window, one month after service', async () => {
      const flow = await driveTo(h, 'served', { assessment: ASSESSMENTS.noSituation });
      const { served_at, appeal_deadline } = await flow.row();
      const expected = new Date(served_at!);
      expected.setUTCMonth(expected.getUTCMonth() + 1);
      expect(appeal_deadline).toEqual(expected);
      // command() lets one second pass before it sends.
      await moveToDeadline(flow, -1000);
      await flow.command('official', 'appeal', APPEAL);
      expect((await flow.row()).state).toBe('under-appeal');
    });

    it('refuses an appeal after the window (more than a month after service), then lets the case close', async () => {
      const flow = await driveTo(h, 'served', { assessment: ASSESSMENTS.noSituation });
      await moveToDeadline(flow, 1);
      await flow.refuse('official', 'appeal', APPEAL, { status: 422, code: 'RULE_R10_WINDOW_CLOSED', rule: 'R10' });
      h.advance(24 * 3600 * 1000);
      await flow.refuse('official', 'appeal', APPEAL, { status: 422, code: 'RULE_R10_WINDOW_CLOSED', rule: 'R10' });
      expect((await flow.view('official')).abilities.lodgeAppeal).toMatchObject({ allowed: false, code: 'RULE_R10_WINDOW_CLOSED' });
      await flow.command('handler', 'close', {});
    });

    it('refuses the appeal decision to the handler who decided, and to the approver who approved (403)', async () => {
      const reduced = await driveTo(h, 'under-appeal', { proposedOutcome: 'reduced', decision: DECISIONS.reduced });
      const upheld = { outcome: 'upheld', reasons: '经复查，原决定认定事实清楚，予以维持。' };
      await reduced.refuse('handler', 'appeal/decision', upheld, { status: 403, code: 'RULE_R10_PARTICIPANT', rule: 'R10' });
      expect((await reduced.view('handler')).abilities.decideAppeal).toMatchObject({ allowed: false, code: 'RULE_R10_PARTICIPANT' });

      const sanctioned = await driveTo(h, 'under-appeal', { proposedOutcome: 'reduced', decision: DECISIONS.sanctioned });
      await sanctioned.refuse('approver', 'appeal/decision', upheld, { status: 403, code: 'RULE_R10_PARTICIPANT', rule: 'R10' });
      // Someone who took no part may decide it.
      await sanctioned.command('handler2', 'appeal/decision', upheld);
    });

    it('an upheld appeal makes version 2 equal in content and keeps version 1, no longer current', async () => {
      const flow = await driveTo(h, 'under-appeal', { proposedOutcome: 'reduced', decision: { ...DECISIONS.reduced, measureDetails: '诫勉谈话一次。' } });
      const decided = await flow.command('handler2', 'appeal/decision', { outcome: 'upheld', reasons: '经复查，原决定适当，予以维持。' });
      expect(decided.data.decisionVersion).toBe(2);
      const [v1, v2] = await decisionsOf(flow);
      expect(v1).toMatchObject({ version: 1, source: 'original', current: false, inForce: false });
      expect(v2).toMatchObject({ version: 2, source: 'appeal', current: true, inForce: true });
      expect(content(v2!)).toEqual(content(v1!));
      expect(await flow.row()).toMatchObject({ state: 'appeal-decided', outcome: 'reduced' });
      await flow.command('handler', 'close', {});
    });

    it('a changed appeal makes version 2 with the new outcome and keeps version 1', async () => {
      const flow = await driveTo(h, 'under-appeal', { proposedOutcome: 'reduced', decision: DECISIONS.reduced });
      await flow.command('handler2', 'appeal/decision', {
        outcome: 'changed',
        reasons: '经复查，损失已全部挽回，变更为容错免责。',
        change: { outcome: 'exempt', measures: ['criticism-education'], toleranceOpinion: '符合容错免责条件。', toleranceReasons: '第八条第（二）项；损失已挽回。' },
      });
      const [v1, v2] = await decisionsOf(flow);
      expect(v1).toMatchObject({ version: 1, outcome: 'reduced', reduction: 'lighter', measures: ['admonishment'], current: false, inForce: false });
      expect(v2).toMatchObject({ version: 2, outcome: 'exempt', reduction: null, measures: ['criticism-education'], current: true, inForce: true });
      expect(await flow.row()).toMatchObject({ state: 'appeal-decided', outcome: 'exempt' });
    });

    it('a revoked appeal makes version 2 "revoked" without measures and keeps version 1', async () => {
      const flow = await driveTo(h, 'under-appeal', { assessment: ASSESSMENTS.noSituation });
      await flow.command('handler2', 'appeal/decision', { outcome: 'revoked', reasons: '经复查，原认定事实不清，撤销问责决定。' });
      const [v1, v2] = await decisionsOf(flow);
      expect(v1).toMatchObject({ version: 1, outcome: 'not_tolerated', measures: ['circulated-criticism'], current: false, inForce: false });
      expect(v2).toMatchObject({ version: 2, source: 'appeal', outcome: 'revoked', measures: [], current: true, inForce: true });
      expect(await flow.row()).toMatchObject({ state: 'appeal-decided', outcome: 'revoked' });
      const appeal = await h.db.selectFrom('appeals').select(['outcome', 'new_decision_id']).where('case_id', '=', flow.id).executeTakeFirstOrThrow();
      expect(appeal).toEqual({ outcome: 'revoked', new_decision_id: v2!.id });
    });

    // Written against a reported bug: decide-appeal.ts wrote every new version with approval_state 'not-required' and
    // in force, whatever its measures and the official's rank, and no approval path existed after an appeal.
    it('R7 binds a decision changed on appeal: a sanction that needs approval is not in force until approved', async () => {
      const flow = await driveTo(h, 'under-appeal', { proposedOutcome: 'reduced', decision: DECISIONS.reduced });
      const handler2 = await h.as('handler2');
      const response = await flow.send(handler2, 'appeal/decision', { outcome: 'changed', reasons: '经复查，应当给予纪律处分。', change: DECISIONS.sanctioned });
      // Refusing the change outright, or making the new version wait for the higher authority, both keep the rule.
      expect([200, 403, 409, 422], response.body).toContain(response.statusCode);
      const decisions = await decisionsOf(flow);
      const unapprovedInForce = decisions.filter((d) => d.inForce && d.measures.includes('disciplinary-sanction') && d.approvalState !== 'approved');
      expect(unapprovedInForce.map((d) => [d.version, d.approvalState])).toEqual([]);
      // Meanwhile the appealed decision stays the one in force.
      expect(decisions.filter((d) => d.inForce).map((d) => d.version)).toEqual([1]);
      const officialView = await flow.view('official');
      expect(officialView.data.decisions.filter((d) => d.measures.includes('disciplinary-sanction'))).toEqual([]);
    });

    it('refuses a changed outcome that breaks the decision rules, keeping the appeal open and version 1 current', async () => {
      const flow = await driveTo(h, 'under-appeal', { proposedOutcome: 'reduced', decision: DECISIONS.reduced });
      const change = { outcome: 'exempt', measures: [], toleranceOpinion: '符合容错免责条件。', toleranceReasons: '' };
      await flow.refuse('handler2', 'appeal/decision', { outcome: 'changed', reasons: '变更为免责。', change }, { status: 422, code: 'RULE_R8_REASONS_MISSING', rule: 'R8' });
      await flow.refuse('handler2', 'appeal/decision', { outcome: 'changed', reasons: '变更为不予容错。', change: { ...DECISIONS.notTolerated, departureReason: '' } }, { status: 422, code: 'RULE_R15_DEPARTURE_REASON', rule: 'R15' });
    });
  });
});

async function decisionsOf(flow: CaseFlow): Promise<DecisionView[]> {
  const view = await flow.view('handler');
  return view.data.decisions;
}

const content = (d: DecisionView) => ({
  outcome: d.outcome,
  reduction: d.reduction,
  measures: d.measures,
  measureDetails: d.measureDetails,
  toleranceOpinion: d.toleranceOpinion,
  toleranceReasons: d.toleranceReasons,
  departureReason: d.departureReason,
});
