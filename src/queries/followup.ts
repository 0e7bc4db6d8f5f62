import { sql } from 'kysely';
import { auditActor, type Actor } from '../access/actor.js';
import { appendEvent } from '../audit/chain.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import { managedOfficialsWhere, requireManagedOfficial, scopeOf } from '../commands/followup/jurisdiction.js';
import { REVEAL_ROLES } from '../commands/reveal-identifier.js';
import { beijingDay, beijingWeek } from '../followup/dates.js';
import { PENALTY_SYSTEMS, type PenaltySystem } from '../followup/periods.js';
import type { SelectionPurpose } from '../followup/settings.js';
import type { MaskedIdentifiers } from '../privacy/identifiers.js';

/**
 * Follow-up queries (Art. 17, 19). They list officials in the user's follow-up jurisdiction (handlers and the
 * organization department managing them, see commands/followup/jurisdiction.ts) and never carry a case's
 * title or description: a case appears, where it must, as its id alone.
 */

export interface DueVisit {
  id: string;
  official: { id: string; name: string; position: string };
  caseId: string | null;
  kind: string;
  dueOn: string;
  /** Due before this week and still not made. */
  overdue: boolean;
}

/** The follow-up visits still to be made by the end of this week (Monday–Sunday, Beijing), overdue ones included. */
export async function findVisitsDueThisWeek(db: Db, actor: Actor, clock: Clock): Promise<{ week: { start: string; end: string }; items: DueVisit[] }> {
  const week = beijingWeek(clock.now());
  const scope = await scopeOf(db, actor, ['handler', 'organization-department']);
  if (scope.roots.length === 0) return { week, items: [] };
  const rows = await db
    .selectFrom('followup_visits')
    .innerJoin('officials', 'officials.id', 'followup_visits.official_id')
    .select(['followup_visits.id', 'followup_visits.case_id', 'followup_visits.kind', 'followup_visits.due_on', 'officials.id as official_id', 'officials.name', 'officials.position'])
    .where('followup_visits.done_at', 'is', null)
    .where('followup_visits.due_on', '<', week.end)
    .where(managedOfficialsWhere(scope))
    .orderBy('followup_visits.due_on')
    .orderBy('officials.name')
    .limit(500)
    .execute();
  return {
    week,
    items: rows.map((r) => ({
      id: r.id,
      official: { id: r.official_id, name: r.name, position: r.position },
      caseId: r.case_id,
      kind: r.kind,
      dueOn: r.due_on!,
      overdue: r.due_on! < week.start,
    })),
  };
}

export interface DueAssessment {
  basis: 'exemption' | 'penalty-ended';
  official: { id: string; name: string; position: string };
  caseId: string;
  penalty: { id: string; label: string; until: string } | null;
  dueOn: string;
}

/**
 * Comprehensive assessments due (R13, Art. 19(4)): for an exempt decision in force, from its service; for a
 * penalty, when its effect period ends — until an assessment on that basis is recorded. `until` looks ahead
 * (default today).
 */
export async function findAssessmentsDue(db: Db, actor: Actor, clock: Clock, until?: string): Promise<{ asOf: string; items: DueAssessment[] }> {
  const asOf = until ?? beijingDay(clock.now());
  const scope = await scopeOf(db, actor, ['organization-department', 'handler']);
  if (scope.roots.length === 0) return { asOf, items: [] };
  const exempt = await db
    .selectFrom('cases')
    .innerJoin('officials', 'officials.id', 'cases.official_id')
    .innerJoin('decisions', (join) => join.onRef('decisions.case_id', '=', 'cases.id').on('decisions.current', '=', true))
    .select(['cases.id as case_id', 'officials.id as official_id', 'officials.name', 'officials.position', sql<string>`(cases.served_at AT TIME ZONE 'Asia/Shanghai')::date`.as('due_on')])
    .where('decisions.outcome', '=', 'exempt')
    .where('decisions.in_force', '=', true)
    .where('cases.served_at', 'is not', null)
    .where(sql<boolean>`(cases.served_at AT TIME ZONE 'Asia/Shanghai')::date <= ${asOf}::date`)
    .where(managedOfficialsWhere(scope))
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('comprehensive_assessments as ca').select('ca.id').where('ca.basis', '=', 'exemption').where(sql<boolean>`cases.id = ANY(ca.case_ids)`))),
    )
    .execute();
  const ended = await db
    .selectFrom('penalties')
    .innerJoin('officials', 'officials.id', 'penalties.official_id')
    .innerJoin('decisions', (join) => join.onRef('decisions.case_id', '=', 'penalties.case_id').on('decisions.current', '=', true))
    .select(['penalties.id', 'penalties.case_id', 'penalties.system', 'penalties.label', 'penalties.effect_until', 'officials.id as official_id', 'officials.name', 'officials.position'])
    .where('penalties.effect_until', '<=', asOf)
    .where('decisions.outcome', 'not in', ['exempt', 'revoked'])
    .where(managedOfficialsWhere(scope))
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('comprehensive_assessments as ca').select('ca.id').whereRef('ca.penalty_id', '=', 'penalties.id'))))
    .execute();
  const items: DueAssessment[] = [
    ...exempt.map((r) => ({ basis: 'exemption' as const, official: { id: r.official_id, name: r.name, position: r.position }, caseId: r.case_id, penalty: null, dueOn: r.due_on })),
    ...ended.map((r) => ({
      basis: 'penalty-ended' as const,
      official: { id: r.official_id, name: r.name, position: r.position },
      caseId: r.case_id,
      penalty: { id: r.id, label: `${PENALTY_SYSTEMS[r.system as PenaltySystem] ?? r.system} ${r.label}`, until: r.effect_until },
      dueOn: r.effect_until,
    })),
  ].sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.official.name.localeCompare(b.official.name));
  return { asOf, items };
}

export interface SelectionReason {
  kind: 'penalty';
  /** The penalty, e.g. 政务处分 警告 — never the case. */
  label: string;
  from: string;
  until: string;
  source: string;
}

export interface SelectionCheck {
  officialId: string;
  purpose: SelectionPurpose;
  asOf: string;
  restricted: boolean;
  reasons: SelectionReason[];
  /** The official's identifiers, masked (the department manages the official, so it may reveal them). */
  identifiers: MaskedIdentifiers & { revealable: boolean };
}

/**
 * The selection check (Art. 17): whether anything restricts the official now, and why, for the organization
 * department managing them. Only penalties within their effect period restrict — an exemption never does (R11),
 * a revoked or exempt current decision voids the penalties of its case, and prevention reminders are not read at
 * all. The reasons name the penalty, its period and its legal source, never the case. Audited.
 */
export async function checkSelection(db: Db, actor: Actor, clock: Clock, officialId: string, purpose: SelectionPurpose): Promise<SelectionCheck> {
  return db.transaction().execute(async (tx) => {
    const official = await requireManagedOfficial(tx, actor, officialId, ['organization-department']);
    const now = clock.now();
    const asOf = beijingDay(now);
    const rows = await tx
      .selectFrom('penalties')
      .innerJoin('decisions', (join) => join.onRef('decisions.case_id', '=', 'penalties.case_id').on('decisions.current', '=', true))
      .select(['penalties.system', 'penalties.label', 'penalties.effective_from', 'penalties.effect_until', 'penalties.period_source'])
      .where('penalties.official_id', '=', official.id)
      .where('penalties.effective_from', '<=', asOf)
      .where('penalties.effect_until', '>', asOf)
      .where('decisions.in_force', '=', true)
      .where('decisions.outcome', 'not in', ['exempt', 'revoked'])
      .orderBy('penalties.effect_until', 'desc')
      .execute();
    const reasons: SelectionReason[] = rows.map((r) => ({
      kind: 'penalty',
      label: `${PENALTY_SYSTEMS[r.system as PenaltySystem] ?? r.system} ${r.label}`,
      from: r.effective_from,
      until: r.effect_until,
      source: r.period_source,
    }));
    const masked = await tx.selectFrom('officials').select(['id_number_masked', 'phone_masked']).where('id', '=', official.id).executeTakeFirstOrThrow();
    const identifiers = { idNumber: masked.id_number_masked, phone: masked.phone_masked, revealable: REVEAL_ROLES.includes('organization-department') };
    const result: SelectionCheck = { officialId: official.id, purpose, asOf, restricted: reasons.length > 0, reasons, identifiers };
    await appendEvent(
      tx,
      { type: 'selection.queried', actor: auditActor(actor), caseId: null, payload: { officialId: official.id, purpose, asOf, restricted: result.restricted, reasons: reasons.length } },
      { now: () => now },
    );
    return result;
  });
}

export interface ReminderFollowUp {
  id: string;
  followedUpOn: string;
  record: string;
  resolved: boolean;
  nextFollowUpOn: string | null;
  recordedBy: string;
  recordedAt: string;
}

export interface ReminderEntry {
  id: string;
  official: { id: string; name: string; position: string };
  kind: string;
  givenOn: string;
  problem: string;
  followUp: string;
  /** The follow-up now due, if any (set at the reminder, then by each follow-up). */
  followUpOn: string | null;
  /** The due follow-up's day has passed. */
  overdue: boolean;
  /** What the latest follow-up said; false while none is recorded. */
  resolved: boolean;
  followUps: ReminderFollowUp[];
}

/** The most reminders listed. */
export const REMINDER_LIST_LIMIT = 200;

/**
 * Prevention reminders (Art. 19(1)) of the officials in the user's follow-up jurisdiction, with their follow-ups:
 * those with a follow-up due first (soonest first), then the others, newest first.
 */
export async function findReminders(db: Db, actor: Actor, clock: Clock): Promise<{ asOf: string; items: ReminderEntry[] }> {
  const asOf = beijingDay(clock.now());
  const scope = await scopeOf(db, actor, ['handler', 'organization-department']);
  if (scope.roots.length === 0) return { asOf, items: [] };
  const rows = await db
    .selectFrom('prevention_reminders as r')
    .innerJoin('officials', 'officials.id', 'r.official_id')
    .select(['r.id', 'r.kind', 'r.given_on', 'r.problem', 'r.follow_up', 'r.follow_up_on', 'officials.id as official_id', 'officials.name', 'officials.position'])
    .where(managedOfficialsWhere(scope))
    .orderBy(sql`r.follow_up_on ASC NULLS LAST`)
    .orderBy('r.given_on', 'desc')
    .orderBy('r.id')
    .limit(REMINDER_LIST_LIMIT)
    .execute();
  const followUps =
    rows.length === 0
      ? []
      : await db
          .selectFrom('reminder_follow_ups as f')
          .innerJoin('users', 'users.id', 'f.recorded_by')
          .select(['f.id', 'f.reminder_id', 'f.followed_up_on', 'f.record', 'f.resolved', 'f.next_follow_up_on', 'f.recorded_at', 'users.display_name'])
          .where(
            'f.reminder_id',
            'in',
            rows.map((r) => r.id),
          )
          .orderBy('f.followed_up_on')
          .orderBy('f.recorded_at')
          .execute();
  const byReminder = new Map<string, ReminderFollowUp[]>();
  for (const f of followUps) {
    const list = byReminder.get(f.reminder_id) ?? [];
    list.push({ id: f.id, followedUpOn: f.followed_up_on, record: f.record, resolved: f.resolved, nextFollowUpOn: f.next_follow_up_on, recordedBy: f.display_name, recordedAt: f.recorded_at.toISOString() });
    byReminder.set(f.reminder_id, list);
  }
  return {
    asOf,
    items: rows.map((r) => {
      const list = byReminder.get(r.id) ?? [];
      return {
        id: r.id,
        official: { id: r.official_id, name: r.name, position: r.position },
        kind: r.kind,
        givenOn: r.given_on,
        problem: r.problem,
        followUp: r.follow_up,
        followUpOn: r.follow_up_on,
        overdue: r.follow_up_on !== null && r.follow_up_on < asOf,
        resolved: list.at(-1)?.resolved ?? false,
        followUps: list,
      };
    }),
  };
}
