import { auditActor, type Actor } from '../access/actor.js';
import { grantsOf } from '../access/case.js';
import { appendEvent } from '../audit/chain.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import { forbidden, invalidInput } from '../errors.js';

export const MIN_RETENTION_DAYS = 184;

/**
 * The system administrator sets how long audit records are kept: at least 184 days (six months, 网络安全法
 * 第二十一条), and only ever longer than now — the database refuses a shorter value too (migration 0013).
 */
export async function setAuditRetention({ db, clock, actor, days }: { db: Db; clock: Clock; actor: Actor; days: number }): Promise<{ days: number }> {
  if (grantsOf(actor, 'system-administrator').length === 0) throw forbidden('只有系统管理员可以设置审计记录保存期限', 'only the system administrator sets the audit retention');
  return db.transaction().execute(async (tx) => {
    // The first setting takes the singleton row's place; concurrent first settings then meet on its key.
    await tx.insertInto('audit_retention').values({ days: MIN_RETENTION_DAYS }).onConflict((oc) => oc.column('singleton').doNothing()).execute();
    const current = await tx.selectFrom('audit_retention').select('days').forUpdate().executeTakeFirstOrThrow();
    if (days < current.days) throw invalidInput('days', `审计记录保存期限只能延长，不能短于现在的 ${current.days} 天`, `the retention can only be raised (now ${current.days} days)`);
    if (days === current.days) return { days };
    await tx.updateTable('audit_retention').set({ days, updated_at: clock.now() }).execute();
    await appendEvent(tx, { type: 'settings.audit-retention-set', actor: auditActor(actor), payload: { from: current.days, to: days } }, clock);
    return { days };
  });
}

/** The retention in force: the minimum until someone lengthens it. */
export async function auditRetentionDays(db: Db): Promise<number> {
  return (await db.selectFrom('audit_retention').select('days').executeTakeFirst())?.days ?? MIN_RETENTION_DAYS;
}
