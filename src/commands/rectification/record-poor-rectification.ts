import { sql } from 'kysely';
import { appendEvent } from '../../audit/chain.js';
import { recordDigest } from '../../audit/digest.js';
import { auditActor } from '../../access/actor.js';
import { ancestorsOf } from '../../access/case.js';
import { ruleError } from '../../cases/rules.js';
import { invalidInput } from '../../errors.js';
import { evaluate, packFor, parseAssessmentInput } from '../../policy/index.js';
import { poorRectificationGrounds, rectificationError } from '../../rectification/rules.js';
import { createCaseRecord } from '../open-case.js';
import { runPlanCommand, type PlanCommandProps } from './plan-command.js';

export interface RecordPoorRectificationProps extends PlanCommandProps {
  /** What the supervision found (整改不力的情况). */
  finding: string;
  /** The new case's title and description; defaults are derived from the plan. */
  title?: string | undefined;
  description?: string | undefined;
  /** For a unit's plan: the official held to account. A case's plan holds its own official to account. */
  officialId?: string | undefined;
}

/** The exclusion Art. 18 ¶2 with Art. 10(4) establishes for the new case. */
export const NO_RECTIFICATION = 'no-rectification';

/**
 * Records poor rectification (整改不力, Art. 18 ¶2) and, in the same transaction, opens a new accountability case
 * against the official by the plan's organ — with openCase's rules: R14 management authority, the policy pack
 * in force today, the case born in the investigation step, event `case.opened` — linked to the source case
 * (`cases.linked_from_case_id`). For the new case Art. 10(4) ("事后不积极整改纠错的") is established: stored in
 * `case_established_exclusions`, and its first assessment is recorded with `no-rectification: true` and the
 * engine's output (binding `not_tolerated`), event `case.assessment-recorded`.
 *
 * Grounds (R12): at least one item that is overdue or was sent back by the supervisors.
 */
export function recordPoorRectification(props: RecordPoorRectificationProps) {
  return runPlanCommand(props, ['manager'], async ({ tx, plan, actor, now }) => {
    const items = await tx
      .selectFrom('rectification_items')
      .select(['id', 'status', 'deadline'])
      .select((eb) => eb.exists(eb.selectFrom('rectification_checks').select('id').whereRef('rectification_checks.item_id', '=', 'rectification_items.id').where('accepted', '=', false)).as('returned_ever'))
      .where('plan_id', '=', plan.id)
      .orderBy('position')
      .execute();
    const grounds = poorRectificationGrounds(items.map((i) => ({ ...i, returnedEver: Boolean(i.returned_ever) })), now);
    if (grounds.length === 0) {
      throw rectificationError('NO_GROUNDS', '整改方案中没有逾期未完成或被退回的整改事项，不能认定整改不力', 'no overdue or sent-back item: no ground for poor rectification');
    }
    const officialId = plan.caseOfficialId ?? props.officialId;
    if (plan.caseOfficialId !== null && props.officialId !== undefined && props.officialId !== plan.caseOfficialId) {
      throw invalidInput('officialId', '本案整改方案只能对本案干部认定整改不力（officialId 应为空或为本案干部）', 'a case plan holds the case\'s own official to account');
    }
    if (officialId === undefined) throw invalidInput('officialId', '请选择被问责干部（officialId）', 'a unit plan needs the official held to account');
    const official = await tx.selectFrom('officials').select(['id', 'name', 'managing_org_id']).where('id', '=', officialId).executeTakeFirst();
    if (!official) throw invalidInput('officialId', '所选干部（officialId）不存在', 'no such official');
    // R14, as openCase: the plan's organ must have management authority over the official; the actor is its handler.
    if (!(await ancestorsOf(tx, official.managing_org_id)).includes(plan.organId)) {
      throw ruleError('R14', 'NO_AUTHORITY', '本机关对该干部没有管理权限，不能启动问责追责', 'this organ has no management authority over the official', 403);
    }

    const planRow = await tx.selectFrom('rectification_plans').select(['title']).where('id', '=', plan.id).executeTakeFirstOrThrow();
    const title = props.title ?? `${official.name}整改不力问责（${planRow.title}）`.slice(0, 200);
    const description = props.description ?? `经监督检查，整改方案“${planRow.title}”整改不力：${props.finding}`;
    const created = await createCaseRecord(tx, {
      actor,
      officialId: official.id,
      organId: plan.organId,
      title,
      description,
      now,
      eventPayload: { linkedFromCaseId: plan.caseId, rectificationPlanId: plan.id },
    });
    await sql`UPDATE cases SET linked_from_case_id = ${plan.caseId} WHERE id = ${created.id}`.execute(tx);

    const poor = await tx
      .insertInto('rectification_poor_records')
      .values({ plan_id: plan.id, source_case_id: plan.caseId, new_case_id: created.id, official_id: official.id, finding: props.finding, item_ids: grounds, recorded_by: actor.userId, recorded_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const basis = `第十八条第二款、第十条第（四）项：整改不力已记录（整改方案“${planRow.title}”）`;
    await tx
      .insertInto('case_established_exclusions')
      .values({ case_id: created.id, exclusion: NO_RECTIFICATION, value: true, basis, poor_record_id: poor.id, established_at: now })
      .execute();

    // The new case's first assessment, under the pack it was opened with: Art. 10(4) established, the rest left
    // for the investigation.
    const pack = packFor(now);
    const input = parseAssessmentInput(pack, { situations: [], exclusions: { [NO_RECTIFICATION]: true } });
    const output = evaluate(pack, input);
    const note = basis;
    const assessment = await tx
      .insertInto('assessments')
      .values({ case_id: created.id, input: JSON.stringify(input), engine_output: JSON.stringify(output), policy_id: pack.id, policy_version: pack.version, note, recorded_by: actor.userId, recorded_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const caseVersion = created.version + 1;
    await tx.updateTable('cases').set({ version: caseVersion, updated_at: now }).where('id', '=', created.id).execute();
    await appendEvent(
      tx,
      {
        type: 'case.assessment-recorded',
        actor: auditActor(actor),
        caseId: created.id,
        payload: { assessmentId: assessment.id, policy: pack.id, policyVersion: pack.version, recommendation: output.recommendation, binding: output.binding, recordHash: recordDigest({ input, note }), version: caseVersion },
      },
      { now: () => now },
    );

    return {
      result: { poorRecordId: poor.id, newCaseId: created.id, newCaseVersion: caseVersion, grounds, recommendation: output.recommendation, binding: output.binding },
      events: [{ type: 'rectification.poor-recorded', payload: { poorRecordId: poor.id, newCaseId: created.id, officialId: official.id, itemIds: grounds, recordHash: recordDigest({ finding: props.finding }) } }],
    };
  });
}
