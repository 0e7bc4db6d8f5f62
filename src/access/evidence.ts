import type { Db } from '../db/connect.js';
import type { Actor } from './actor.js';
import { seesInternals, type CaseRelations } from './case.js';

/**
 * Who sees which evidence of a case:
 * - staff of the case (handler, deliberation member, approver, supervisor) see all of it;
 * - an invited expert sees only the items shared in their invitation (Art. 12 ¶2);
 * - the official and their party organization see none: Art. 15 gives them the decision and the
 *   explanation of the tolerance outcome, not the investigation file.
 * A case the user may not see at all is not found (404), never forbidden.
 */
export type EvidenceScope = { all: true } | { all: false; ids: readonly string[] };

export async function evidenceScope(db: Db, actor: Actor, caseId: string, relations: CaseRelations): Promise<EvidenceScope> {
  if (seesInternals(relations)) return { all: true };
  if (!relations.expert) return { all: false, ids: [] };
  const invitation = await db
    .selectFrom('expert_invitations')
    .select('evidence_ids')
    .where('case_id', '=', caseId)
    .where('expert_id', '=', actor.userId)
    .executeTakeFirst();
  return { all: false, ids: invitation?.evidence_ids ?? [] };
}

export const inScope = (scope: EvidenceScope, evidenceId: string) => scope.all || scope.ids.includes(evidenceId);
