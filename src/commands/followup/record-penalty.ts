import { auditActor } from '../../access/actor.js';
import { requireVisibleCase } from '../../access/case.js';
import { appendEvent } from '../../audit/chain.js';
import { AppError, forbidden, invalidInput, invalidState } from '../../errors.js';
import { addMonthsToDay } from '../../followup/dates.js';
import { resolvePeriod, type PenaltySystem } from '../../followup/periods.js';
import { followupRuleError } from '../../followup/rules.js';
import { PENALIZABLE_OUTCOMES } from '../../followup/settings.js';
import { currentDecision } from '../load-case-facts.js';
import type { FollowupCommandProps } from './record-visit.js';

export interface RecordPenaltyProps extends FollowupCommandProps {
  caseId: string;
  system: PenaltySystem;
  kind: string;
  /** 留党察看 only: its term, 12 or 24 months. */
  termMonths?: number | undefined;
  /** The day the penalty took effect ('YYYY-MM-DD'): its period runs from here (政务处分法 第八条). */
  effectiveFrom: string;
}

/**
 * Records the penalty a decided case imposed, with its effect period computed from the period data (statutory
 * for party and government penalties, the organ's setting for other measures) and the source of that period
 * stored beside it. Only the deciding organ's handler records it ("谁问责追责"); an exemption carries none (R11).
 */
export async function recordPenalty(props: RecordPenaltyProps) {
  const { db, clock, actor } = props;
  return db.transaction().execute(async (tx) => {
    const { relations, organId } = await requireVisibleCase(tx, actor, props.caseId);
    if (!relations.handler) throw forbidden('只有作出处理决定的机关经办人可以记录处分', 'only a handler of the deciding organ records a penalty');
    // Lock the case row: a concurrent appeal decision changes the current decision.
    const kase = await tx.selectFrom('cases').select(['id', 'official_id']).where('id', '=', props.caseId).forUpdate().executeTakeFirstOrThrow();
    const decision = await currentDecision(tx, kase.id);
    if (!decision?.in_force) throw invalidState('处理决定尚未生效，不能记录处分', 'the decision is not in force');
    if (decision.outcome === 'exempt') {
      throw followupRuleError('R11', 'EXEMPT_NO_PENALTY', '予以容错免责的，不给予处分，在干部考核、选拔任用等方面不受影响', 'an exempt decision carries no penalty');
    }
    if (!(PENALIZABLE_OUTCOMES as readonly string[]).includes(decision.outcome)) throw invalidState('该处理决定不能记录处分', `a ${decision.outcome} decision carries no penalty`);
    if (props.system !== 'other' && !decision.measures.includes('disciplinary-sanction')) {
      throw new AppError({ code: 'PENALTY_NOT_IN_DECISION', status: 422, message: '处理决定未给予纪律处分，不能记录党纪处分或者政务处分', messageEn: 'the decision imposes no disciplinary sanction', key: 'system' });
    }
    if (props.system === 'other' && decision.measures.length === 0) {
      throw new AppError({ code: 'PENALTY_NOT_IN_DECISION', status: 422, message: '处理决定未给予问责追责措施', messageEn: 'the decision imposes no measure', key: 'system' });
    }
    const organPeriods = await tx.selectFrom('penalty_period_settings').select(['kind', 'label', 'months', 'source']).where('organ_id', '=', organId).execute();
    const period = resolvePeriod({ system: props.system, kind: props.kind, termMonths: props.termMonths ?? null }, organPeriods);
    if (!period.ok) {
      throw period.key === 'kind'
        ? invalidInput('kind', '处分种类不在该处分体系之内', `unknown kind "${props.kind}" for ${props.system}`, period.allowed.map(String))
        : invalidInput('termMonths', '留党察看应当写明期限（一年或二年），其他处分不写期限', 'termMonths is 12 or 24 for party probation and absent otherwise', period.allowed.map(String));
    }
    const existing = await tx.selectFrom('penalties').select('id').where('decision_id', '=', decision.id).where('system', '=', props.system).where('kind', '=', props.kind).executeTakeFirst();
    if (existing) throw invalidState('该处分已经记录', 'this penalty was already recorded for the decision');
    const now = clock.now();
    const effectUntil = addMonthsToDay(props.effectiveFrom, period.months);
    const row = await tx
      .insertInto('penalties')
      .values({
        case_id: kase.id,
        decision_id: decision.id,
        official_id: kase.official_id,
        system: props.system,
        kind: props.kind,
        label: period.label,
        term_months: props.termMonths ?? null,
        effective_from: props.effectiveFrom,
        period_months: period.months,
        effect_until: effectUntil,
        period_source: period.source,
        recorded_by: actor.userId,
        recorded_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const result = { id: row.id, system: props.system, kind: props.kind, label: period.label, effectiveFrom: props.effectiveFrom, periodMonths: period.months, effectUntil, periodSource: period.source };
    await appendEvent(tx, { type: 'penalty.recorded', actor: auditActor(actor), caseId: kase.id, payload: { ...result, penaltyId: row.id, decisionId: decision.id, termMonths: props.termMonths ?? null } }, { now: () => now });
    return result;
  });
}
