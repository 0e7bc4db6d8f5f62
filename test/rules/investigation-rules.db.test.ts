import { describe, expect, it } from 'vitest';
import { ASSESSMENTS, deliberationBody, driveTo, expectRefused, useHarness } from './steps.js';

/**
 * R1–R3 (Art. 11, 11 ¶2, 12): what must be on file before the collective deliberation, and who may apply for
 * tolerance, how and until when. Each test tries to break the rule over HTTP as a user would.
 */
describe('R1–R3: the investigation before the deliberation', () => {
  const h = useHarness();

  describe('R1: the tolerance examination cannot be skipped', () => {
    it('refuses a deliberation before the assessment is recorded', async () => {
      const flow = await driveTo(h, 'heard');
      flow.recommendation = 'exempt';
      await flow.refuse('handler', 'deliberations', deliberationBody(h, flow), { status: 422, code: 'RULE_R1_NO_ASSESSMENT', rule: 'R1' });
      // The button says the same thing before anyone clicks it.
      const view = await flow.view('handler');
      expect(view.abilities.recordDeliberation).toMatchObject({ allowed: false, code: 'RULE_R1_NO_ASSESSMENT', rule: 'R1' });
    });

    it('refuses a deliberation whose tolerance opinion is empty, even when it finds tolerance "not applicable"', async () => {
      const flow = await driveTo(h, 'assessed');
      await flow.refuse('handler', 'deliberations', { ...deliberationBody(h, flow), toleranceOpinion: '' }, { status: 422, code: 'RULE_R1_NO_TOLERANCE_OPINION', rule: 'R1' });
      await flow.refuse('handler', 'deliberations', { ...deliberationBody(h, flow), toleranceOpinion: ' \n　 ' }, { status: 422, code: 'RULE_R1_NO_TOLERANCE_OPINION', rule: 'R1' });
      // With the opinion written, the same minutes are accepted.
      await flow.command('handler', 'deliberations', deliberationBody(h, flow));
    });
  });

  describe('R2: written applications, from the official or their party organization, before the decision, each answered', () => {
    it('refuses an application from the handler, who is neither the official nor the party organization', async () => {
      const flow = await driveTo(h, 'opened');
      await flow.refuse('handler', 'applications', { content: '经办人代为提出容错申请。' }, { status: 403, code: 'FORBIDDEN' });
      await flow.refuse('supervisor', 'applications', { content: '监督检查部门提出容错申请。' }, { status: 403, code: 'FORBIDDEN' });
    });

    it('refuses an application that is not written', async () => {
      const flow = await driveTo(h, 'opened');
      await flow.refuse('official', 'applications', { content: '' }, { status: 400, code: 'INVALID_INPUT', key: 'content' });
      await flow.refuse('partyOrg', 'applications', { content: '   ' }, { status: 400, code: 'INVALID_INPUT', key: 'content' });
    });

    it('accepts applications from the official and from the party organization', async () => {
      const flow = await driveTo(h, 'opened');
      await flow.command('official', 'applications', { content: '本人申请容错：属于第八条第（二）项情形。' });
      await flow.command('partyOrg', 'applications', { content: '党支部认为该同志符合容错条件，特提出书面容错申请。' });
      const rows = await h.db.selectFrom('applications').select(['applicant_kind', 'party_org_id']).where('case_id', '=', flow.id).orderBy('submitted_at').execute();
      expect(rows).toEqual([
        { applicant_kind: 'official', party_org_id: null },
        { applicant_kind: 'party-organization', party_org_id: h.world.orgs.bureau.id },
      ]);
    });

    it('refuses an application once the decision is made (awaiting approval, and in force)', async () => {
      const awaiting = await driveTo(h, 'awaiting-approval', { decision: { outcome: 'exempt', measures: [], toleranceOpinion: '予以容错免责。', toleranceReasons: '第八条第（二）项。' }, official: 'seniorOfficial' });
      await awaiting.refuse('partyOrg', 'applications', { content: '党组织申请对李华同志容错。' }, { status: 422, code: 'RULE_R2_AFTER_DECISION', rule: 'R2' });

      const decided = await driveTo(h, 'decided');
      await decided.refuse('official', 'applications', { content: '本人申请容错。' }, { status: 422, code: 'RULE_R2_AFTER_DECISION', rule: 'R2' });
      await decided.refuse('partyOrg', 'applications', { content: '党支部申请容错。' }, { status: 422, code: 'RULE_R2_AFTER_DECISION', rule: 'R2' });
    });

    it('refuses a deliberation that leaves an application unanswered (or answers it with nothing)', async () => {
      const flow = await driveTo(h, 'assessed', { application: true });
      const body = deliberationBody(h, flow);
      await flow.refuse('handler', 'deliberations', { ...body, applicationAnswers: [] }, { status: 422, code: 'RULE_R2_UNANSWERED', rule: 'R2' });
      await flow.refuse('handler', 'deliberations', { ...body, applicationAnswers: [{ applicationId: flow.applications[0], answer: '  ' }] }, { status: 422, code: 'RULE_R2_UNANSWERED', rule: 'R2' });
      await flow.command('handler', 'deliberations', body);
    });

    it('refuses the decision when an application arrived after the deliberation, until a new deliberation answers it', async () => {
      const flow = await driveTo(h, 'deliberated');
      const late = await flow.command('partyOrg', 'applications', { content: '党支部在集体研究后补充提出书面容错申请。' });
      await flow.refuse('handler', 'decision', { ...DECISION_EXEMPT }, { status: 422, code: 'RULE_R2_UNANSWERED', rule: 'R2' });

      flow.applications.push(late.data.id as string);
      await flow.command('handler', 'deliberations', deliberationBody(h, flow));
      await flow.command('handler', 'decision', { ...DECISION_EXEMPT });
    });
  });

  describe('R3: the official is heard, and experts where the case is professional', () => {
    it("refuses a deliberation before the official's statement is on file", async () => {
      const flow = await driveTo(h, 'opened');
      // A unit's opinion is not the official's statement.
      await flow.command('handler', 'opinions', { kind: 'unit', source: '东城区发展改革委', content: '该同志一贯表现良好。' });
      const assessed = await flow.command('handler', 'assessment', { input: ASSESSMENTS.favourable });
      flow.recommendation = assessed.data.recommendation as string;
      await flow.refuse('handler', 'deliberations', deliberationBody(h, flow), { status: 422, code: 'RULE_R3_NO_STATEMENT', rule: 'R3' });
      const view = await flow.view('handler');
      expect(view.abilities.recordDeliberation).toMatchObject({ allowed: false, code: 'RULE_R3_NO_STATEMENT' });

      await flow.command('official', 'statement', { content: '本人对延误情况作如下说明。' });
      await flow.command('handler', 'deliberations', deliberationBody(h, flow));
    });

    it('refuses a deliberation on a professional case without an expert opinion, even with the expert invited', async () => {
      const flow = await driveTo(h, 'heard');
      await flow.command('handler', 'professional', { professional: true });
      const assessed = await flow.command('handler', 'assessment', { input: ASSESSMENTS.favourable });
      flow.recommendation = assessed.data.recommendation as string;
      await flow.refuse('handler', 'deliberations', deliberationBody(h, flow), { status: 422, code: 'RULE_R3_NO_EXPERT_OPINION', rule: 'R3' });

      await flow.command('handler', 'experts', { expertId: h.world.users.expert.id, question: '资金拨付流程的技术规范当时是否明确？', evidenceIds: [] });
      await flow.refuse('handler', 'deliberations', deliberationBody(h, flow), { status: 422, code: 'RULE_R3_NO_EXPERT_OPINION', rule: 'R3' });

      await flow.command('expert', 'expert-opinion', { content: '相关技术规范当时尚未出台。' });
      await flow.command('handler', 'deliberations', deliberationBody(h, flow));
    });

    it('a refused command with a stale version is a conflict, not a rule: nothing is written', async () => {
      const flow = await driveTo(h, 'heard');
      const session = await h.as('handler');
      await expectRefused(h, flow.id, () => flow.send(session, 'assessment', { version: flow.version - 1, input: ASSESSMENTS.favourable }), { status: 409, code: 'VERSION_CONFLICT', key: 'version' });
    });
  });
});

const DECISION_EXEMPT = {
  outcome: 'exempt',
  measures: [],
  toleranceOpinion: '经集体研究，予以容错免责。',
  toleranceReasons: '容错理由和依据：第八条第（二）项。',
};
