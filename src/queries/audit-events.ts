import { sql } from 'kysely';
import type { Actor } from '../access/actor.js';
import { grantsOf } from '../access/case.js';
import type { Db } from '../db/connect.js';
import { forbidden } from '../errors.js';

export interface AuditEventQuery {
  type?: string | undefined;
  actorUserId?: string | undefined;
  caseId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** Keyset: events before this sequence number (newest first). */
  before?: string | undefined;
  limit: number;
}

/**
 * The audit trail for the audit administrator (审计管理员): events newest first, filtered, one keyset page at a
 * time. The records carry ids and outcomes, never case content (that is how they are written), so reading
 * them does not open a case.
 */
export async function findAuditEvents(db: Db, actor: Actor, query: AuditEventQuery) {
  if (grantsOf(actor, 'audit-administrator').length === 0) throw forbidden('只有审计管理员可以查询审计记录', 'only the audit administrator reads the audit trail');
  let q = db
    .selectFrom('events')
    .leftJoin('users', (join) => join.on(sql<boolean>`events.actor = 'user:' || users.id::text`))
    .select(['events.seq', 'events.at', 'events.actor', 'events.type', 'events.case_id', 'events.payload', 'users.display_name']);
  if (query.type) q = q.where('events.type', '=', query.type);
  if (query.actorUserId) q = q.where('events.actor', '=', `user:${query.actorUserId}`);
  if (query.caseId) q = q.where('events.case_id', '=', query.caseId);
  if (query.from) q = q.where('events.at', '>=', new Date(query.from));
  if (query.to) q = q.where('events.at', '<', new Date(new Date(query.to).getTime() + 24 * 3600 * 1000));
  if (query.before) q = q.where('events.seq', '<', query.before);
  const rows = await q.orderBy('events.seq', 'desc').limit(query.limit + 1).execute();
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((r) => ({
      seq: String(r.seq),
      at: r.at.toISOString(),
      actor: r.actor,
      actorName: r.display_name,
      type: r.type,
      caseId: r.case_id,
      payload: r.payload as Record<string, unknown>,
    })),
    nextBefore: rows.length > query.limit ? String(page[page.length - 1]!.seq) : null,
  };
}
