import { sql } from 'kysely';
import type { Actor } from '../access/actor.js';
import { requireVisibleCase } from '../access/case.js';
import { READ_EVENT_TYPES } from '../audit/access-events.js';
import type { Db } from '../db/connect.js';
import { forbidden } from '../errors.js';

export interface AccessLogEntry {
  seq: string;
  at: string;
  type: string;
  userId: string | null;
  user: string;
  route: string;
  clientAddress: string | null;
}

/**
 * "Who looked at this case" (等保 8.1.4.3): every read, download and export of the case's content, from the
 * audit chain, newest first. Only a supervisor over the case may ask; asking is itself audited (audit.read).
 */
export async function getCaseAccessLog(db: Db, actor: Actor, caseId: string, limit = 500): Promise<AccessLogEntry[]> {
  const { relations } = await requireVisibleCase(db, actor, caseId);
  if (!relations.supervisor) throw forbidden('只有对该案件有监督职责的人员可以查看查阅记录', 'only a supervisor over the case sees who looked at it');
  const types = [...READ_EVENT_TYPES, 'case.document-downloaded', 'case.file-exported'];
  const rows = await db
    .selectFrom('events')
    .leftJoin('users', (join) => join.on(sql<boolean>`events.actor = 'user:' || users.id::text`))
    .select(['events.seq', 'events.at', 'events.type', 'events.actor', 'events.payload', 'users.id as user_id', 'users.display_name'])
    .where('events.case_id', '=', caseId)
    .where('events.type', 'in', types)
    .orderBy('events.seq', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => {
    const payload = (r.payload ?? {}) as { route?: unknown; clientAddress?: unknown };
    return {
      seq: String(r.seq),
      at: r.at.toISOString(),
      type: r.type,
      userId: r.user_id,
      user: r.display_name ?? r.actor,
      route: typeof payload.route === 'string' ? payload.route : r.type,
      clientAddress: typeof payload.clientAddress === 'string' ? payload.clientAddress : null,
    };
  });
}
