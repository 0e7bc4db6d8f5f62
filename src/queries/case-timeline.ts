import { sql } from 'kysely';
import type { Actor } from '../access/actor.js';
import { requireVisibleCase, seesInternals } from '../access/case.js';
import type { Db } from '../db/connect.js';
import { ACCESS_EVENT_TYPES } from '../audit/access-events.js';

/** What the official and their party organization may see happen to the case (Art. 15): not its internals. */
const OUTSIDE_VISIBLE = new Set(['case.opened', 'case.application-submitted', 'case.served', 'case.appeal-lodged', 'case.appeal-decided', 'case.closed']);

/** The case's history from the audit chain, in order. */
export async function getCaseTimeline(db: Db, actor: Actor, caseId: string) {
  const { relations } = await requireVisibleCase(db, actor, caseId);
  const internal = seesInternals(relations);
  const rows = await db
    .selectFrom('events')
    // By the user's primary key (auditActor writes `user:<id>`): comparing text built from every user's id read the
    // whole users table for each case.
    .leftJoin('users', (join) => join.on(sql<boolean>`users.id = CASE WHEN events.actor LIKE 'user:%' THEN substr(events.actor, 6)::uuid END`))
    .select(['events.seq', 'events.at', 'events.type', 'events.actor', 'users.display_name'])
    .where('events.case_id', '=', caseId)
    // Who looked at the case is the access log's business (supervisors), not part of what happened to it.
    .where('events.type', 'not in', ACCESS_EVENT_TYPES)
    .orderBy('events.seq')
    .execute();
  // Staff see everything; an expert sees their invitation and what they did; the official and the party
  // organization see the steps Art. 15 speaks of and what they did themselves.
  const mine = (r: { actor: string }) => r.actor === `user:${actor.userId}`;
  const visible = (r: { type: string; actor: string }) =>
    internal || mine(r) || (relations.expert ? r.type === 'case.expert-invited' : OUTSIDE_VISIBLE.has(r.type));
  return rows
    .filter(visible)
    .map((r) => ({ seq: r.seq, at: r.at.toISOString(), type: r.type, actor: r.display_name ?? (r.actor === 'system' ? '系统' : '—') }));
}
