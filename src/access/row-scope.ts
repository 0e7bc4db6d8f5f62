import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import { EMPTY_ROW_SCOPE, type RowScope } from '../db/row-security.js';
import type { Actor } from './actor.js';

/**
 * The jurisdiction PostgreSQL's second wall enforces for the signed-in user (db/row-security.ts): derived in the
 * database from their grants by rongcuo_row_scope() (migration 0014, which says what each part covers) — the
 * union of every reach the application's own rules give them over cases, so that the wall never hides a row a
 * rule lets them read, and hides every case outside all of them. A request without a user sees no case.
 *
 * Computed once per request, as the login role (before the handler enters the scope).
 */
export async function rowScopeOf(db: Db, actor: Actor | undefined): Promise<RowScope> {
  if (!actor) return EMPTY_ROW_SCOPE;
  const { rows } = await sql<ScopeRow>`SELECT * FROM rongcuo_row_scope(${actor.userId}::uuid)`.execute(db);
  return rowScopeFrom(rows[0]!);
}

/** rongcuo_row_scope()'s row (migration 0014), as the driver or row_to_json gives it. */
export interface ScopeRow {
  case_organs: string[];
  managing_orgs: string[];
  officials: string[];
  party_orgs: string[];
  case_ids: string[];
  plan_ids: string[];
}

export const rowScopeFrom = (row: ScopeRow): RowScope => ({
  caseOrgans: row.case_organs,
  managingOrgs: row.managing_orgs,
  officials: row.officials,
  partyOrgs: row.party_orgs,
  caseIds: row.case_ids,
  planIds: row.plan_ids,
});
