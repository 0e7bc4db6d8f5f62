import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db, Tx } from '../db/connect.js';
import type { Actor } from './actor.js';

/**
 * Sensitivity labels on cases and attachments, and the clearance of users (等保 8.1.4.2: 敏感标记), checked
 * beside the roles: a user sees a case, or opens an attachment, only when their clearance reaches its label.
 * The security administrator sets clearances; the handler conducting a case sets its labels, never above their
 * own clearance.
 */
export const LEVELS = { 1: '普通', 2: '敏感', 3: '核心' } as const;
export type Level = keyof typeof LEVELS;
export const LEVEL_VALUES = [1, 2, 3] as const;

export const levelLabel = (level: number): string => LEVELS[level as Level] ?? String(level);

/** The SQL condition that a case row's label is within the actor's clearance (for lists and counts). */
export function withinClearance(actor: Pick<Actor, 'userId'>): Expression<SqlBool> {
  return sql<SqlBool>`cases.sensitivity <= (SELECT clearance FROM users WHERE users.id = ${actor.userId})`;
}

export async function clearanceOf(db: Db | Tx, userId: string): Promise<number> {
  const row = await db.selectFrom('users').select('clearance').where('id', '=', userId).executeTakeFirst();
  return row?.clearance ?? 1;
}

/** Whether the actor's clearance reaches the case's label (false for a case that does not exist). */
export async function clearedFor(db: Db | Tx, actor: Pick<Actor, 'userId'>, caseId: string): Promise<boolean> {
  const row = await db
    .selectFrom('cases')
    .innerJoin('users', (join) => join.onTrue())
    .select(sql<boolean>`cases.sensitivity <= users.clearance`.as('cleared'))
    .where('cases.id', '=', caseId)
    .where('users.id', '=', actor.userId)
    .executeTakeFirst();
  return row?.cleared === true;
}
