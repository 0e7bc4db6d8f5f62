import { auditActor } from '../../access/actor.js';
import { appendEvent } from '../../audit/chain.js';
import { recordDigest } from '../../audit/digest.js';
import { invalidInput } from '../../errors.js';
import { beijingDay } from '../../followup/dates.js';
import { followupRuleError } from '../../followup/rules.js';
import type { AssessmentBasis, AssessmentConclusion } from '../../followup/settings.js';
import { requireManagedOfficial } from './jurisdiction.js';
import type { FollowupCommandProps } from './record-visit.js';

/** What Art. 19(4) says to weigh, above all the performance since the decision. */
export interface AssessmentFactors {
  nature: string;
  motive: string;
  degree: string;
  tolerance: string;
  usualPerformance: string;
  performanceSince: string;
}

export interface RecordComprehensiveAssessmentProps extends FollowupCommandProps {
  officialId: string;
  basis: AssessmentBasis;
  caseIds: string[];
  penaltyId?: string | undefined;
  factors: AssessmentFactors;
  conclusion: AssessmentConclusion;
  note?: string | undefined;
  /** The organization department it goes to; defaults to the actor's own when they are one. */
  sentToOrganizationId?: string | undefined;
}

const RECIPIENT_TYPES = ['organization-department', 'party-committee', 'party-group'];

/**
 * A comprehensive assessment (综合研判, Art. 19(4), R13) of an exempt official, or of one whose penalty period
 * has ended: the weighed factors and a conclusion, sent to the organization department. By the organization
 * department or a handler managing the official.
 */
export async function recordComprehensiveAssessment(props: RecordComprehensiveAssessmentProps) {
  const { db, clock, actor } = props;
  return db.transaction().execute(async (tx) => {
    const official = await requireManagedOfficial(tx, actor, props.officialId, ['organization-department', 'handler']);
    const now = clock.now();
    const today = beijingDay(now);
    const caseIds = [...new Set(props.caseIds)];
    const cases = caseIds.length
      ? await tx
          .selectFrom('cases')
          .leftJoin('decisions', (join) => join.onRef('decisions.case_id', '=', 'cases.id').on('decisions.current', '=', true))
          .select(['cases.id', 'cases.served_at', 'decisions.outcome', 'decisions.in_force'])
          .where('cases.id', 'in', caseIds)
          .where('cases.official_id', '=', official.id)
          .execute()
      : [];
    if (cases.length !== caseIds.length) throw invalidInput('caseIds', '所列案件应当是该干部的案件', "every case listed must be one of the official's cases");

    let dueOn: string | null = null;
    let penaltyId: string | null = null;
    if (props.basis === 'exemption') {
      const exempt = cases.filter((c) => c.outcome === 'exempt' && c.in_force && c.served_at);
      if (exempt.length === 0) throw followupRuleError('R13', 'NOT_EXEMPT', '所列案件中没有已送达的容错免责决定', 'none of the cases listed has a served exempt decision');
      dueOn = exempt.map((c) => beijingDay(c.served_at!)).sort()[0]!;
    } else if (props.basis === 'penalty-ended') {
      if (!props.penaltyId) throw invalidInput('penaltyId', '请指明影响期满的处分', 'penaltyId is required for penalty-ended');
      const penalty = await tx.selectFrom('penalties').select(['id', 'effect_until', 'case_id']).where('id', '=', props.penaltyId).where('official_id', '=', official.id).executeTakeFirst();
      if (!penalty) throw invalidInput('penaltyId', '该处分不是此干部的处分', "the penalty is not one of the official's");
      if (penalty.effect_until > today) {
        throw followupRuleError('R13', 'PENALTY_IN_EFFECT', `处分影响期至 ${penalty.effect_until} 届满，期满后再进行综合研判`, `the penalty is in effect until ${penalty.effect_until}`);
      }
      if (!caseIds.includes(penalty.case_id)) caseIds.push(penalty.case_id);
      penaltyId = penalty.id;
      dueOn = penalty.effect_until;
    } else if (props.penaltyId) {
      throw invalidInput('penaltyId', '只有“影响期满”的研判指明处分', 'penaltyId belongs to penalty-ended assessments only');
    }

    for (const [key, value] of Object.entries(props.factors)) {
      if (!value.trim()) throw invalidInput(`factors.${key}`, '请填写综合研判的各项内容', `factor ${key} is empty`);
    }
    const sentTo = props.sentToOrganizationId ?? official.via.find((v) => v.role === 'organization-department')?.grantOrgId;
    if (!sentTo) throw invalidInput('sentToOrganizationId', '请指明报送的组织部门', 'name the organization department it is sent to');
    const recipient = await tx.selectFrom('organizations').select(['id', 'type']).where('id', '=', sentTo).executeTakeFirst();
    if (!recipient || !RECIPIENT_TYPES.includes(recipient.type)) {
      throw invalidInput('sentToOrganizationId', '应当报送组织部门或者党委（党组）', 'send it to an organization department or a party committee/group');
    }

    const row = await tx
      .insertInto('comprehensive_assessments')
      .values({
        official_id: official.id,
        basis: props.basis,
        case_ids: caseIds,
        penalty_id: penaltyId,
        due_on: dueOn,
        nature: props.factors.nature,
        motive: props.factors.motive,
        degree: props.factors.degree,
        tolerance: props.factors.tolerance,
        usual_performance: props.factors.usualPerformance,
        performance_since: props.factors.performanceSince,
        conclusion: props.conclusion,
        note: props.note ?? '',
        sent_to_org_id: recipient.id,
        recorded_by: actor.userId,
        recorded_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendEvent(
      tx,
      {
        type: 'comprehensive-assessment.recorded',
        actor: auditActor(actor),
        caseId: caseIds.length === 1 ? caseIds[0]! : null,
        payload: {
          assessmentId: row.id,
          officialId: official.id,
          basis: props.basis,
          caseIds,
          penaltyId,
          dueOn,
          conclusion: props.conclusion,
          sentToOrganizationId: recipient.id,
          recordHash: recordDigest({ factors: props.factors, note: props.note ?? '' }),
        },
      },
      { now: () => now },
    );
    return { id: row.id, basis: props.basis, caseIds, penaltyId, dueOn, conclusion: props.conclusion, sentToOrganizationId: recipient.id };
  });
}
