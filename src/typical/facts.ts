import { sql } from 'kysely';
import { OUTCOMES } from '../cases/procedure.js';
import { ACCOUNTABILITY_MEASURES } from '../cases/settings.js';
import type { Db, Tx } from '../db/connect.js';
import { getPack } from '../policy/index.js';
import { officialNameOccursIn } from '../queries/text-search.js';
import {
  findIdentifyingTerms,
  genericOrganization,
  identifyingTerms,
  levelBandOf,
  probableNames,
  quarterOf,
  type IdentifyingOrganization,
  type IdentifyingTerm,
  type TypicalSource,
} from './deidentify.js';

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

// A person's name as people write it: two to four Chinese characters, or a minority name with its separator.
// (CJK unified ideographs with Extension A, and B onwards outside the BMP: names use them.)
const HAN = '\u4e00-\u9fff\u3400-\u4dbf\u{20000}-\u{3134f}';
const PERSON_NAME = `^[${HAN}]{2,4}$|^[${HAN}]+·[${HAN}·]+$`;
// What follows the name in a display name: 王立新（市纪委监委经办人） → 王立新.
const AFTER_NAME = '\\s*[（(].*$';

/**
 * The names of people the system knows — every official, and every user whose display name begins with a
 * person's name (王立新（市纪委监委经办人）) — that occur in the text. The database does the search, so the
 * names never come to the application unless they are in the text.
 */
export async function knownNamesIn(db: Db | Tx, text: string): Promise<string[]> {
  if (text.trim() === '') return [];
  const { rows } = await sql<{ name: string }>`
    SELECT name FROM officials WHERE length(name) >= 2 AND ${officialNameOccursIn(text)}
    UNION
    SELECT person FROM (SELECT regexp_replace(display_name, ${AFTER_NAME}, '') AS person FROM users) u
     WHERE person ~ ${PERSON_NAME} AND strpos(${text}, person) > 0`.execute(db);
  return rows.map((r) => r.name).sort();
}

/** The names of everyone who acted on the case (from its audit history), as people write them. */
async function caseActorNames(db: Db | Tx, caseId: string): Promise<string[]> {
  const { rows } = await sql<{ person: string }>`
    SELECT DISTINCT regexp_replace(u.display_name, ${AFTER_NAME}, '') AS person
      FROM events e JOIN users u ON e.actor = 'user:' || u.id::text
     WHERE e.case_id = ${caseId}`.execute(db);
  return rows.map((r) => r.person).filter((p) => new RegExp(PERSON_NAME, 'u').test(p));
}

/**
 * What the identifying-terms check flags in a typical case's text: the case's own terms (official, posts,
 * organizations, places, ids), ID and mobile numbers by their form (masked in the list), the name of anyone the
 * system knows, and words that look like someone named (王局长).
 */
export async function checkTypicalText(db: Db | Tx, caseId: string, text: string): Promise<string[]> {
  const found = new Set(findIdentifyingTerms(text, await caseIdentifyingTerms(db, caseId)));
  for (const name of await knownNamesIn(db, text)) found.add(name);
  for (const name of probableNames(text)) found.add(name);
  return [...found];
}

/**
 * The identifying terms of a case: its official (name, post), the organizations involved (with their
 * ancestors), its ids, and the other people named in the records (`otherNames`, e.g. the people who acted on it).
 */
export async function caseIdentifyingTerms(db: Db | Tx, caseId: string, otherNames: readonly string[] = []): Promise<IdentifyingTerm[]> {
  const kase = await db
    .selectFrom('cases')
    .innerJoin('officials', 'officials.id', 'cases.official_id')
    .select(['cases.id', 'cases.organ_id', 'officials.name', 'officials.position', 'officials.rank', 'officials.organization_id', 'officials.managing_org_id'])
    .where('cases.id', '=', caseId)
    .executeTakeFirstOrThrow();
  const partyOrgs = await db.selectFrom('services').select('party_org_id').where('case_id', '=', caseId).execute();
  const organizations = await organizationsWithAncestors(db, [kase.organ_id, kase.organization_id, kase.managing_org_id, ...partyOrgs.map((p) => p.party_org_id)]);
  const numbers = await db.selectFrom('documents').select('number').where('case_id', '=', caseId).where('number', 'is not', null).execute();
  return identifyingTerms({
    official: { name: kase.name, position: kase.position, rank: kase.rank },
    organizations,
    caseId: kase.id,
    documentNumbers: numbers.map((n) => n.number).filter((n): n is string => n !== null),
    otherNames: otherNames.filter((n) => n !== kase.name),
  });
}

/**
 * The terms a draft replaces: the case's own, plus everyone who acted on the case and anyone the system knows
 * who is named in the source's text, so that the draft comes out with their names already replaced.
 */
export async function draftingTerms(db: Db | Tx, caseId: string, source: TypicalSource): Promise<IdentifyingTerm[]> {
  const text = [source.title, source.description, source.measureDetails, source.toleranceOpinion, source.toleranceReasons, source.appeal?.reasons ?? ''].join('\n');
  const others = new Set([...(await caseActorNames(db, caseId)), ...(await knownNamesIn(db, text))]);
  return caseIdentifyingTerms(db, caseId, [...others]);
}

/** What a typical case is written from: the facts, the decision in force, the situations found, the appeal. */
export async function loadTypicalSource(db: Db | Tx, caseId: string): Promise<TypicalSource> {
  const kase = await db
    .selectFrom('cases')
    .innerJoin('officials', 'officials.id', 'cases.official_id')
    .innerJoin('organizations as unit', 'unit.id', 'officials.organization_id')
    .select(['cases.title', 'cases.description', 'cases.policy_id', 'officials.rank', 'unit.name as unit_name', 'unit.short_name as unit_short_name', 'unit.type as unit_type'])
    .where('cases.id', '=', caseId)
    .executeTakeFirstOrThrow();
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
    subject: { unit: genericOrganization({ name: kase.unit_name, shortName: kase.unit_short_name, type: kase.unit_type }), band: levelBandOf(kase.rank) },
    decidedIn: quarterOf(decision.decided_at),
  };
}
