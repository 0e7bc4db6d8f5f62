import { auditActor, type Actor } from '../../access/actor.js';
import { appendEvent } from '../../audit/chain.js';
import { recordDigest } from '../../audit/digest.js';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/connect.js';
import { invalidInput, invalidState, notFound } from '../../errors.js';
import type { VisitKind } from '../../followup/settings.js';
import { requireManagedOfficial } from './jurisdiction.js';

export interface FollowupCommandProps {
  db: Db;
  clock: Clock;
  actor: Actor;
}

const FOLLOWUP_STAFF = ['handler', 'organization-department'] as const;

/**
 * Records a scheduled follow-up visit as made (Art. 19(3)): what was found and said. It may turn out to have been
 * a heart-to-heart talk (谈心谈话). Staff managing the official only; a visit of another jurisdiction is 404.
 */
export async function recordVisit(props: FollowupCommandProps & { visitId: string; record: string; kind?: VisitKind }) {
  const { db, clock, actor } = props;
  return db.transaction().execute(async (tx) => {
    const visit = await tx.selectFrom('followup_visits').selectAll().where('id', '=', props.visitId).forUpdate().executeTakeFirst();
    if (!visit) throw notFound('回访');
    await requireManagedOfficial(tx, actor, visit.official_id, FOLLOWUP_STAFF).catch(() => {
      throw notFound('回访');
    });
    if (visit.done_at) throw invalidState('该回访已记录', 'this visit was already recorded');
    if (!props.record.trim()) throw invalidInput('record', '请填写回访情况', 'the record of the visit is empty');
    const now = clock.now();
    const kind = props.kind ?? (visit.kind as VisitKind);
    await tx.updateTable('followup_visits').set({ kind, done_at: now, record: props.record, done_by: actor.userId }).where('id', '=', visit.id).execute();
    await appendEvent(
      tx,
      { type: 'visit.recorded', actor: auditActor(actor), caseId: visit.case_id, payload: { visitId: visit.id, officialId: visit.official_id, kind, dueOn: visit.due_on, recordHash: recordDigest({ record: props.record }) } },
      { now: () => now },
    );
    return { id: visit.id, kind, doneAt: now.toISOString() };
  });
}

/** Records an unscheduled visit or talk with an official, done now (optionally about one of their cases). */
export async function recordUnscheduledVisit(props: FollowupCommandProps & { officialId: string; kind: VisitKind; record: string; caseId?: string | undefined }) {
  const { db, clock, actor } = props;
  return db.transaction().execute(async (tx) => {
    const official = await requireManagedOfficial(tx, actor, props.officialId, FOLLOWUP_STAFF);
    if (props.caseId) {
      const kase = await tx.selectFrom('cases').select('id').where('id', '=', props.caseId).where('official_id', '=', official.id).executeTakeFirst();
      if (!kase) throw invalidInput('caseId', '该案件不是此干部的案件', 'the case is not one of this official\'s cases');
    }
    if (!props.record.trim()) throw invalidInput('record', '请填写回访或谈话情况', 'the record is empty');
    const now = clock.now();
    const row = await tx
      .insertInto('followup_visits')
      .values({ official_id: official.id, case_id: props.caseId ?? null, kind: props.kind, scheduled_at: now, done_at: now, record: props.record, done_by: actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendEvent(
      tx,
      { type: 'visit.recorded', actor: auditActor(actor), caseId: props.caseId ?? null, payload: { visitId: row.id, officialId: official.id, kind: props.kind, dueOn: null, recordHash: recordDigest({ record: props.record }) } },
      { now: () => now },
    );
    return { id: row.id, kind: props.kind, doneAt: now.toISOString() };
  });
}
