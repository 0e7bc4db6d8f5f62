import { recordDigest } from '../audit/digest.js';
import { isAppealable } from '../cases/procedure.js';
import { ruleError } from '../cases/rules.js';
import { addMonths } from '../cases/settings.js';
import { runCaseCommand, type CaseCommandProps } from './case-command.js';
import { scheduleVisits } from './followup/schedule-visits.js';
import { currentDecision, enterInOfficialFiles } from './load-case-facts.js';

export interface ServeDecisionProps extends CaseCommandProps {
  /** The explanation of the tolerance outcome to the official (说明容错情况). */
  explanationToOfficial: string;
  /** …and to their party organization. */
  explanationToPartyOrg: string;
}

/**
 * Service (Art. 15, R9): the decision is served, the tolerance outcome explained to the official and to their
 * party organization, and entries are made in the personnel file and the integrity file. The appeal window
 * opens now for decisions that can be appealed.
 */
export function serveDecision(props: ServeDecisionProps) {
  return runCaseCommand(props, 'serve', async ({ tx, actor, now, case: kase, settings }) => {
    if (!props.explanationToOfficial.trim()) {
      throw ruleError('R9', 'NO_EXPLANATION_TO_OFFICIAL', '应当向被问责追责干部说明容错情况', 'the tolerance outcome must be explained to the official');
    }
    if (!props.explanationToPartyOrg.trim()) {
      throw ruleError('R9', 'NO_EXPLANATION_TO_PARTY_ORG', '应当向被问责追责干部所在党组织说明容错情况', "the tolerance outcome must be explained to the official's party organization");
    }
    const decision = await currentDecision(tx, kase.id);
    if (!decision?.in_force) throw ruleError('R7', 'NOT_IN_FORCE', '处理决定尚未生效，不得送达', 'the decision is not in force');
    const service = await tx
      .insertInto('services')
      .values({
        case_id: kase.id,
        decision_id: decision.id,
        served_at: now,
        explanation_to_official: props.explanationToOfficial,
        party_org_id: kase.official.organizationId,
        explanation_to_party_org: props.explanationToPartyOrg,
        recorded_by: actor.userId,
        recorded_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const fileEntries = await enterInOfficialFiles(tx, { caseId: kase.id, officialId: kase.officialId, decision, now });
    // Follow-up visits for every exempt, reduced and held-accountable official (Art. 19(3), R13).
    const visits = await scheduleVisits(tx, kase.id, now);
    const appealDeadline = isAppealable(decision.outcome, decision.measures) ? addMonths(now, settings.appealWindowMonths) : null;
    return {
      result: { id: service.id, appealDeadline },
      event: {
        type: 'case.served',
        payload: {
          serviceId: service.id,
          decisionId: decision.id,
          fileEntries,
          visits,
          appealDeadline: appealDeadline?.toISOString() ?? null,
          recordHash: recordDigest({ explanationToOfficial: props.explanationToOfficial, explanationToPartyOrg: props.explanationToPartyOrg }),
        },
      },
      caseChanges: { state: 'served', served_at: now, appeal_deadline: appealDeadline },
    };
  });
}
