import { appendEvent } from '../../audit/chain.js';
import { auditActor, type Actor } from '../../access/actor.js';
import { grantsOf } from '../../access/case.js';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/connect.js';
import { forbidden } from '../../errors.js';
import { beijingDate, UNFINISHED } from '../../rectification/rules.js';
import { supervisingUsers } from './access.js';

export interface OverdueSweepResult {
  /** Reminders raised by this sweep (0 when every overdue item was already reminded for its deadline). */
  raised: { reminderId: string; itemId: string; planId: string; deadline: string; recipients: string[] }[];
}

/**
 * R12: raises one reminder to the supervising departments for every item that is unfinished (open or sent back)
 * after its deadline day — one per item and overdue episode (the deadline it missed), so running it again raises
 * nothing new. Meant for a scheduler; one transaction, one `rectification.overdue` event per reminder.
 * `actor` is what the audit chain records: `system` for the scheduler, `user:<id>` when a user triggers it.
 */
export async function raiseOverdueReminders(db: Db, clock: Clock, actor = 'system'): Promise<OverdueSweepResult> {
  return db.transaction().execute(async (tx) => {
    const now = clock.now();
    const today = beijingDate(now);
    const overdue = await tx
      .selectFrom('rectification_items')
      .innerJoin('rectification_plans', 'rectification_plans.id', 'rectification_items.plan_id')
      .select(['rectification_items.id', 'rectification_items.deadline', 'rectification_plans.id as plan_id', 'rectification_plans.organ_id', 'rectification_plans.case_id'])
      .where('rectification_items.status', 'in', [...UNFINISHED])
      .where('rectification_items.deadline', '<', today)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('rectification_reminders as r').select('r.id').whereRef('r.item_id', '=', 'rectification_items.id').whereRef('r.deadline', '=', 'rectification_items.deadline'))),
      )
      .orderBy('rectification_items.deadline')
      .orderBy('rectification_items.id')
      .forUpdate('rectification_items')
      .execute();
    const raised: OverdueSweepResult['raised'] = [];
    const recipientsOf = new Map<string, string[]>();
    for (const item of overdue) {
      let recipients = recipientsOf.get(item.organ_id);
      if (!recipients) {
        recipients = await supervisingUsers(tx, item.organ_id);
        recipientsOf.set(item.organ_id, recipients);
      }
      // ON CONFLICT: a concurrent sweep that got there first keeps its reminder, and this one raises none.
      const reminder = await tx
        .insertInto('rectification_reminders')
        .values({ item_id: item.id, deadline: item.deadline, raised_at: now, recipients })
        .onConflict((oc) => oc.columns(['item_id', 'deadline']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!reminder) continue;
      raised.push({ reminderId: reminder.id, itemId: item.id, planId: item.plan_id, deadline: item.deadline, recipients });
      await appendEvent(
        tx,
        { type: 'rectification.overdue', actor, caseId: item.case_id, payload: { planId: item.plan_id, itemId: item.id, reminderId: reminder.id, deadline: item.deadline, recipients } },
        { now: () => now },
      );
    }
    return { raised };
  });
}

/** The sweep as a user's command (until a scheduler runs it): supervisors, organization departments and administrators. */
export async function sweepOverdue({ db, clock, actor }: { db: Db; clock: Clock; actor: Actor }): Promise<{ raised: number }> {
  if (!['supervisor', 'organization-department', 'system-administrator'].some((role) => grantsOf(actor, role).length > 0)) {
    throw forbidden('只有监督检查、组织部门或系统管理员可以执行逾期检查', 'only supervisors, organization departments and administrators run the overdue sweep');
  }
  const { raised } = await raiseOverdueReminders(db, clock, auditActor(actor));
  // The count only: the reminders themselves are read through the jurisdiction-filtered list.
  return { raised: raised.length };
}
