import { appendEvent } from '../../audit/chain.js';
import type { Tx } from '../../db/connect.js';
import { addMonthsToDay, beijingDay } from '../../followup/dates.js';
import { DEFAULT_FOLLOWUP_SETTINGS, VISITED_OUTCOMES, type FollowupSettings } from '../../followup/settings.js';

export interface ScheduledVisit {
  id: string;
  offsetMonths: number;
  dueOn: string;
}

/**
 * R13 (Art. 19(3)): schedules the follow-up visits of the official of a served case — exempt, reduced and held
 * accountable alike — at each offset after service (default 3 and 6 months). Runs inside the caller's
 * transaction (the service command), so the schedule commits with the service; scheduling twice adds nothing.
 *
 * Inside the service command, pass no `audit`: the schedule goes into the `case.served` event's payload, so a
 * service stays one event. A caller outside a command (a backfill) passes `audit` and gets `visit.scheduled`.
 */
export async function scheduleVisits(
  tx: Tx,
  caseId: string,
  servedAt: Date,
  settings: FollowupSettings = DEFAULT_FOLLOWUP_SETTINGS,
  audit?: { actor: string; now: Date },
): Promise<ScheduledVisit[]> {
  const offsets = [...new Set(settings.visitOffsetsMonths)].sort((a, b) => a - b);
  if (offsets.some((m) => !Number.isInteger(m) || m < 1 || m > 120)) throw new Error(`visit offsets must be whole months from 1 to 120: ${offsets.join(', ')}`);
  const kase = await tx
    .selectFrom('cases')
    .innerJoin('decisions', (join) => join.onRef('decisions.case_id', '=', 'cases.id').on('decisions.current', '=', true))
    .select(['cases.official_id', 'decisions.outcome', 'decisions.in_force'])
    .where('cases.id', '=', caseId)
    .executeTakeFirst();
  if (!kase || !kase.in_force || !(VISITED_OUTCOMES as readonly string[]).includes(kase.outcome) || offsets.length === 0) return [];
  const servedOn = beijingDay(servedAt);
  const rows = await tx
    .insertInto('followup_visits')
    .values(
      offsets.map((offset) => ({
        official_id: kase.official_id,
        case_id: caseId,
        kind: 'visit',
        offset_months: offset,
        due_on: addMonthsToDay(servedOn, offset),
        scheduled_at: servedAt,
      })),
    )
    .onConflict((oc) => oc.columns(['case_id', 'offset_months']).where('offset_months', 'is not', null).doNothing())
    .returning(['id', 'offset_months', 'due_on'])
    .execute();
  const visits = rows.map((r) => ({ id: r.id, offsetMonths: r.offset_months!, dueOn: r.due_on! })).sort((a, b) => a.offsetMonths - b.offsetMonths);
  if (audit && visits.length > 0) {
    await appendEvent(tx, { type: 'visit.scheduled', actor: audit.actor, caseId, payload: { officialId: kase.official_id, visits } }, { now: () => audit.now });
  }
  return visits;
}
