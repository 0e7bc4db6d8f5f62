import { sql, type SqlBool } from 'kysely';
import type { Actor } from '../access/actor.js';
import { grantsOf, requireVisibleCase, seesInternals, subtreeOf, visibleCasesWhere } from '../access/case.js';
import type { Db } from '../db/connect.js';
import { notFound } from '../errors.js';

/** Staff grants whose subtree is the user's jurisdiction for reminders recorded by organs. */
const JURISDICTION_ROLES = ['handler', 'supervisor', 'approver', 'deliberation-member'] as const;

export interface OfficialHistory {
  official: { id: string; name: string };
  cases: { id: string; title: string; openedOn: string; state: string; outcome: string | null }[];
  reminders: { id: string; kind: string; givenOn: string; problem: string; followUp: string; followUpOn: string | null }[];
}

/**
 * The official's record before this case (Art. 9(1): 初次犯错还是重复犯错): their OTHER cases this user may see
 * (the same visibility as lists), and the prevention reminders recorded by organs within the user's jurisdiction.
 * Only staff who see the case's internals get it; to anyone else the case does not exist (404).
 */
export async function findOfficialHistory(db: Db, actor: Actor, caseId: string): Promise<OfficialHistory> {
  const { relations } = await requireVisibleCase(db, actor, caseId);
  if (!seesInternals(relations)) throw notFound('案件');
  const current = await db
    .selectFrom('cases')
    .innerJoin('officials', 'officials.id', 'cases.official_id')
    .select(['officials.id', 'officials.name'])
    .where('cases.id', '=', caseId)
    .executeTakeFirstOrThrow();
  const cases = await db
    .selectFrom('cases')
    .select(['cases.id', 'cases.title', 'cases.state', 'cases.outcome', sql<string>`(cases.opened_at AT TIME ZONE 'Asia/Shanghai')::date::text`.as('opened_on')])
    .where('cases.official_id', '=', current.id)
    .where('cases.id', '<>', caseId)
    .where(visibleCasesWhere(actor))
    .orderBy('cases.opened_at', 'desc')
    .orderBy('cases.id')
    .limit(200)
    .execute();
  const orgs = [...new Set(JURISDICTION_ROLES.flatMap((role) => grantsOf(actor, role)))];
  const reminders =
    orgs.length === 0
      ? []
      : await db
          .selectFrom('prevention_reminders')
          .select(['id', 'kind', 'given_on', 'problem', 'follow_up', 'follow_up_on'])
          .where('official_id', '=', current.id)
          .where(sql<SqlBool>`organ_id IN ${subtreeOf(orgs)}`)
          .orderBy('given_on', 'desc')
          .orderBy('recorded_at', 'desc')
          .limit(200)
          .execute();
  return {
    official: { id: current.id, name: current.name },
    cases: cases.map((c) => ({ id: c.id, title: c.title, openedOn: c.opened_on, state: c.state, outcome: c.outcome })),
    reminders: reminders.map((r) => ({ id: r.id, kind: r.kind, givenOn: r.given_on, problem: r.problem, followUp: r.follow_up, followUpOn: r.follow_up_on })),
  };
}
