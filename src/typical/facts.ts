import { sql } from 'kysely';
import { OUTCOMES } from '../cases/procedure.js';
import { ACCOUNTABILITY_MEASURES } from '../cases/settings.js';
import type { Db, Tx } from '../db/connect.js';
import { getPack } from '../policy/index.js';
import { identifyingTerms, type IdentifyingOrganization, type IdentifyingTerm, type TypicalSource } from './deidentify.js';

const REDUCTIONS: Record<string, string> = { lighter: '从轻问责', mitigated: '减轻问责' };
const APPEAL_OUTCOMES: Record<string, string> = { upheld: '维持原处理决定', changed: '变更原处理决定', revoked: '撤销原处理决定' };

async function organizationsWithAncestors(db: Db | Tx, ids: readonly string[]): Promise<IdentifyingOrganization[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<{ name: string; short_name: string | null; type: string }>`
    WITH RECURSIVE up(id, parent_id) AS (
      SELECT id, parent_id FROM organizations WHERE id = ANY(${sql.val([...new Set(ids)])}::uuid[])
      UNION
      SELECT o.id, o.parent_id FROM organizations o JOIN up ON o.id = up.parent_id
    )
    SELECT o.name, o.short_name, o.type FROM organizations o WHERE o.id IN (SELECT id FROM up)`.execute(db);
  return rows.map((r) => ({ name: r.name, shortName: r.short_name, type: r.type }));
}

/** The identifying terms of a case: its official, the organizations involved (with their ancestors), its ids. */
export async function caseIdentifyingTerms(db: Db | Tx, caseId: string): Promise<IdentifyingTerm[]> {
  const kase = await db
    .selectFrom('cases')
    .innerJoin('officials', 'officials.id', 'cases.official_id')
    .select(['cases.id', 'cases.organ_id', 'officials.name', 'officials.position', 'officials.organization_id', 'officials.managing_org_id'])
    .where('cases.id', '=', caseId)
    .executeTakeFirstOrThrow();
  const partyOrgs = await db.selectFrom('services').select('party_org_id').where('case_id', '=', caseId).execute();
  const organizations = await organizationsWithAncestors(db, [kase.organ_id, kase.organization_id, kase.managing_org_id, ...partyOrgs.map((p) => p.party_org_id)]);
  const numbers = await db.selectFrom('documents').select('number').where('case_id', '=', caseId).where('number', 'is not', null).execute();
  return identifyingTerms({
    official: { name: kase.name, position: kase.position },
    organizations,
    caseId: kase.id,
    documentNumbers: numbers.map((n) => n.number).filter((n): n is string => n !== null),
  });
}

/** What a typical case is written from: the facts, the decision in force, the situations found, the appeal. */
export async function loadTypicalSource(db: Db | Tx, caseId: string): Promise<TypicalSource> {
  const kase = await db.selectFrom('cases').select(['title', 'description', 'policy_id']).where('id', '=', caseId).executeTakeFirstOrThrow();
  const decision = await db.selectFrom('decisions').selectAll().where('case_id', '=', caseId).where('current', '=', true).executeTakeFirstOrThrow();
  const assessment = await db
    .selectFrom('assessments')
    .select('input')
    .where('case_id', '=', caseId)
    .orderBy('position', 'desc')
    .limit(1)
    .executeTakeFirst();
  const situationIds = ((assessment?.input as { situations?: string[] } | undefined)?.situations ?? []) as string[];
  let situations: { article: string; text: string }[] = [];
  try {
    const pack = getPack(kase.policy_id);
    situations = pack.situations.filter((s) => situationIds.includes(s.id)).map((s) => ({ article: s.article, text: s.text }));
  } catch {
    situations = [];
  }
  const appeal = await db
    .selectFrom('appeals')
    .select(['outcome', 'reasons'])
    .where('case_id', '=', caseId)
    .where('outcome', 'is not', null)
    .orderBy('decided_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const outcome = decision.outcome as keyof typeof OUTCOMES;
  return {
    title: kase.title,
    description: kase.description,
    outcome,
    outcomeLabel: OUTCOMES[outcome] ?? decision.outcome,
    reductionLabel: decision.reduction ? REDUCTIONS[decision.reduction] : undefined,
    measureLabels: decision.measures.map((m) => ACCOUNTABILITY_MEASURES[m as keyof typeof ACCOUNTABILITY_MEASURES] ?? m),
    measureDetails: decision.measure_details,
    toleranceOpinion: decision.tolerance_opinion,
    toleranceReasons: decision.tolerance_reasons,
    situations,
    appeal: appeal?.outcome ? { outcomeLabel: APPEAL_OUTCOMES[appeal.outcome] ?? appeal.outcome, reasons: appeal.reasons ?? '' } : undefined,
  };
}
