import { auditActor } from '../../access/actor.js';
import { appendEvent } from '../../audit/chain.js';
import { recordDigest } from '../../audit/digest.js';
import { invalidInput, notFound } from '../../errors.js';
import { beijingDay } from '../../followup/dates.js';
import { requireManagedOfficial } from './jurisdiction.js';
import type { FollowupCommandProps } from './record-visit.js';

export interface RecordReminderFollowUpProps extends FollowupCommandProps {
  reminderId: string;
  /** The day of the follow-up ('YYYY-MM-DD'): not in the future, not before the reminder or the last follow-up. */
  followedUpOn: string;
  /** What was found or done. */
  record: string;
  /** Whether the problem the reminder was about is resolved. */
  resolved: boolean;
  /** The next follow-up, after today; it becomes the reminder's due follow-up. */
  nextFollowUpOn?: string | undefined;
}

/**
 * A follow-up of a prevention reminder (预防提醒, Art. 19(1): "早提醒、早纠正"): what was found or done, whether the
 * problem is resolved, and optionally the next follow-up. The reminder's due follow-up (follow_up_on, which feeds
 * the 工作台) becomes the next one, or none. Like the reminder itself, not accountability: the selection check never
 * reads it. By a handler or the organization department of an organ managing the official; to anyone else the
 * reminder does not exist (404).
 */
export async function recordReminderFollowUp(props: RecordReminderFollowUpProps) {
  const { db, clock, actor } = props;
  return db.transaction().execute(async (tx) => {
    // Locked: two follow-ups recorded at once would each move the reminder's due date from the same old one.
    const reminder = await tx.selectFrom('prevention_reminders').select(['id', 'official_id', 'given_on', 'follow_up_on']).where('id', '=', props.reminderId).forUpdate().executeTakeFirst();
    if (!reminder) throw notFound('预防提醒');
    await requireManagedOfficial(tx, actor, reminder.official_id, ['handler', 'organization-department']).catch(() => {
      throw notFound('预防提醒');
    });
    const now = clock.now();
    const today = beijingDay(now);
    if (props.followedUpOn > today) throw invalidInput('followedUpOn', '跟踪日期不能晚于今天', 'followedUpOn is in the future');
    if (props.followedUpOn < reminder.given_on) throw invalidInput('followedUpOn', `跟踪日期不能早于提醒日期（${reminder.given_on}）`, 'followedUpOn is before the reminder was given');
    const last = await tx
      .selectFrom('reminder_follow_ups')
      .select('followed_up_on')
      .where('reminder_id', '=', reminder.id)
      .orderBy('followed_up_on', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (last && props.followedUpOn < last.followed_up_on) {
      throw invalidInput('followedUpOn', `跟踪日期不能早于上次跟踪日期（${last.followed_up_on}）`, 'followedUpOn is before the last follow-up');
    }
    if (!props.record.trim()) throw invalidInput('record', '请填写跟踪了解的情况和采取的措施', 'the record is empty');
    if (props.nextFollowUpOn !== undefined && props.nextFollowUpOn <= today) {
      throw invalidInput('nextFollowUpOn', '下次跟踪日期应当晚于今天', 'nextFollowUpOn is not after today');
    }

    const nextFollowUpOn = props.nextFollowUpOn ?? null;
    const row = await tx
      .insertInto('reminder_follow_ups')
      .values({
        reminder_id: reminder.id,
        followed_up_on: props.followedUpOn,
        was_due_on: reminder.follow_up_on,
        record: props.record,
        resolved: props.resolved,
        next_follow_up_on: nextFollowUpOn,
        recorded_by: actor.userId,
        recorded_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // The due follow-up is the one just set, or none: a follow-up recorded and not rescheduled leaves the 工作台.
    await tx.updateTable('prevention_reminders').set({ follow_up_on: nextFollowUpOn }).where('id', '=', reminder.id).execute();
    const result = { id: row.id, reminderId: reminder.id, followedUpOn: props.followedUpOn, resolved: props.resolved, nextFollowUpOn };
    await appendEvent(
      tx,
      {
        type: 'prevention.reminder-followed-up',
        actor: auditActor(actor),
        caseId: null,
        payload: {
          followUpId: row.id,
          reminderId: reminder.id,
          officialId: reminder.official_id,
          followedUpOn: props.followedUpOn,
          wasDueOn: reminder.follow_up_on,
          resolved: props.resolved,
          nextFollowUpOn,
          recordHash: recordDigest({ record: props.record }),
        },
      },
      { now: () => now },
    );
    return result;
  });
}
