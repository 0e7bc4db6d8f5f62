import { auditActor } from '../../access/actor.js';
import { appendEvent } from '../../audit/chain.js';
import { recordDigest } from '../../audit/digest.js';
import { invalidInput } from '../../errors.js';
import { beijingDay } from '../../followup/dates.js';
import type { ReminderKind } from '../../followup/settings.js';
import { requireManagedOfficial } from './jurisdiction.js';
import type { FollowupCommandProps } from './record-visit.js';

export interface RecordReminderProps extends FollowupCommandProps {
  officialId: string;
  kind: ReminderKind;
  problem: string;
  followUp?: string | undefined;
  followUpOn?: string | undefined;
  /** Defaults to today (Beijing). */
  givenOn?: string | undefined;
}

/**
 * A prevention reminder (预防提醒, Art. 19(1)): an early reminder or reminder talk about an emerging problem,
 * with its follow-up. Not accountability: it belongs to no case and the selection check never reads it.
 * By a handler or the organization department of an organ managing the official.
 */
export async function recordReminder(props: RecordReminderProps) {
  const { db, clock, actor } = props;
  return db.transaction().execute(async (tx) => {
    const official = await requireManagedOfficial(tx, actor, props.officialId, ['handler', 'organization-department']);
    const now = clock.now();
    const today = beijingDay(now);
    const givenOn = props.givenOn ?? today;
    if (givenOn > today) throw invalidInput('givenOn', '提醒日期不能晚于今天', 'givenOn is in the future');
    if (props.followUpOn !== undefined && props.followUpOn < givenOn) throw invalidInput('followUpOn', '跟踪日期不能早于提醒日期', 'followUpOn is before givenOn');
    if (!props.problem.trim()) throw invalidInput('problem', '请写明苗头性、倾向性问题', 'the problem is empty');
    // The organ on whose behalf it was given: the grant through which the actor manages the official.
    const organId = official.via[0]!.grantOrgId;
    const row = await tx
      .insertInto('prevention_reminders')
      .values({
        official_id: official.id,
        organ_id: organId,
        kind: props.kind,
        given_on: givenOn,
        problem: props.problem,
        follow_up: props.followUp ?? '',
        follow_up_on: props.followUpOn ?? null,
        recorded_by: actor.userId,
        recorded_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendEvent(
      tx,
      {
        type: 'prevention.reminder-recorded',
        actor: auditActor(actor),
        caseId: null,
        payload: { reminderId: row.id, officialId: official.id, organId, kind: props.kind, givenOn, followUpOn: props.followUpOn ?? null, recordHash: recordDigest({ problem: props.problem, followUp: props.followUp ?? '' }) },
      },
      { now: () => now },
    );
    return { id: row.id, kind: props.kind, givenOn, followUpOn: props.followUpOn ?? null };
  });
}
