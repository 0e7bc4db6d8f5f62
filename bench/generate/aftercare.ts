import { auditActor } from '../../src/access/actor.js';
import { recordDigest } from '../../src/audit/digest.js';
import type { Outcome } from '../../src/cases/procedure.js';
import { addDaysToDay, beijingDay } from '../../src/followup/dates.js';
import { PLAN_CASE_STATES } from '../../src/rectification/rules.js';
import type { CaseRun } from './cases.js';
import type { Cell } from './copy.js';
import type { Recorder, StoryCalendar } from './story.js';
import * as text from './texts.js';
import type { Account } from './users.js';

/**
 * After the decision: rectification (Art. 18, R12) — createCasePlan, addItems, reportProgress, checkItem, each
 * with the plan's own version in its events (a plan command never touches the case's version) — and the
 * follow-up visits scheduled at service (Art. 19(3)), recorded around the day they fall due (recordVisit).
 */

/** Plans for most accountability decisions, fewer for exemptions (which still fix what went wrong). */
const PLAN_SHARE: Record<Outcome, number> = { not_tolerated: 0.5, reduced: 0.45, exempt: 0.15 };

export function planRectification(calendar: StoryCalendar, run: CaseRun, planDay: number, outcome: Outcome): void {
  const r = run.random;
  if (!r.chance(PLAN_SHARE[outcome])) return;
  // createCasePlan refuses a case that is not decided (or later) at that moment, e.g. one awaiting approval again.
  const allowed = (day: number) => [0, 24 * 60].every((minute) => (PLAN_CASE_STATES as readonly (string | undefined)[]).includes(calendar.stateAt(day, minute)));
  const itemsDay = planDay + r.between(0, 3);
  if (!allowed(planDay)) return;

  const { handler, official } = run;
  const organ = official.managing.org;
  const plan: Record<string, Cell> = {};
  const created = calendar.add(planDay, (rec) => {
    const words = text.planText(run.random, run.topic);
    Object.assign(plan, { id: run.random.uuid(), case_id: run.id, unit_id: null, organ_id: organ.id, title: words.title, description: words.description, version: 1, created_by: handler.id, created_at: rec.now, updated_at: rec.now });
    run.mutable.push({ table: 'rectification_plans', row: plan });
    rec.event('rectification.plan-created', auditActor({ userId: handler.id }), run.id, { planId: plan.id, subject: 'case', organId: organ.id, recordHash: recordDigest({ title: words.title, description: words.description }), planVersion: 1 });
  });

  /** runPlanCommand: bump the plan's version, then append the command's events carrying it. */
  const planCommand = (day: number, account: Account, body: (rec: Recorder) => { type: 'rectification.item-added' | 'rectification.progress-reported' | 'rectification.item-checked'; payload: Record<string, unknown> }[], after?: { day: number; minute: number }) =>
    calendar.add(
      day,
      (rec) => {
        const events = body(rec);
        plan.version = (plan.version as number) + 1;
        plan.updated_at = rec.now;
        for (const event of events) rec.event(event.type, auditActor({ userId: account.id }), run.id, { planId: plan.id, ...event.payload, planVersion: plan.version });
      },
      after ? { after } : {},
    );

  const items = Array.from({ length: Number(r.weighted({ 1: 45, 2: 35, 3: 20 })) }, (_, i) => ({
    row: {} as Record<string, Cell>,
    // Most items fall to the official, some to their unit (whose progress the handler records).
    byUnit: r.chance(0.2),
    deadlineDays: r.between(30, 120),
    position: i + 1,
  }));
  planCommand(
    itemsDay,
    handler,
    (rec) =>
      items.map((item) => {
        const words = text.itemText(run.random);
        const deadline = addDaysToDay(beijingDay(rec.now), item.deadlineDays);
        Object.assign(item.row, {
          id: run.random.uuid(),
          plan_id: plan.id,
          title: words.title,
          owner_official_id: item.byUnit ? null : official.id,
          owner_unit_id: item.byUnit ? official.unit.org.id : null,
          deadline,
          mechanism: words.mechanism,
          status: 'open',
          position: item.position,
          added_by: handler.id,
          added_at: rec.now,
          done_at: null,
        });
        run.mutable.push({ table: 'rectification_items', row: item.row });
        return {
          type: 'rectification.item-added',
          payload: { itemId: item.row.id, owner: item.byUnit ? { unitId: official.unit.org.id } : { officialId: official.id }, deadline, recordHash: recordDigest({ title: words.title, mechanism: words.mechanism }) },
        };
      }),
    itemsDay === planDay ? created : undefined,
  );

  for (const item of items) {
    const reporter = item.byUnit ? handler : run.officialAccount;
    let day = itemsDay;
    // A supervisor sends some items back; the owner reports again and the second report is accepted.
    const rounds = r.chance(0.15) ? 2 : 1;
    let latestReport = '';
    for (let round = 1; round <= rounds; round++) {
      day += r.between(round === 1 ? Math.min(10, item.deadlineDays - 1) : 5, round === 1 ? item.deadlineDays + 10 : 20);
      planCommand(day, reporter, (rec) => {
        const content = text.reportText(run.random);
        latestReport = run.random.uuid();
        item.row.status = 'reported';
        rec.write('rectification_reports', { id: latestReport, item_id: item.row.id as string, content, reported_by: reporter.id, reported_at: rec.now });
        return [{ type: 'rectification.progress-reported', payload: { itemId: item.row.id, reportId: latestReport, attachments: [], recordHash: recordDigest({ content }) } }];
      });
      day += r.between(3, 15);
      const accepted = round === rounds;
      planCommand(day, run.staff.supervisor, (rec) => {
        const note = text.checkNote(run.random, accepted);
        const checkId = run.random.uuid();
        rec.write('rectification_checks', { id: checkId, item_id: item.row.id as string, report_id: latestReport, accepted, note, checked_by: run.staff.supervisor.id, checked_at: rec.now });
        item.row.status = accepted ? 'done' : 'returned';
        item.row.done_at = accepted ? rec.now : null;
        return [{ type: 'rectification.item-checked', payload: { itemId: item.row.id, reportId: latestReport, checkId, accepted, recordHash: recordDigest({ note }) } }];
      });
    }
  }
}

export function recordVisits(calendar: StoryCalendar, run: CaseRun, visits: Record<string, Cell>[], serveDay: number): void {
  const r = run.random;
  for (const offset of [3, 6]) {
    if (!r.chance(0.92)) continue;
    const day = serveDay + Math.round(offset * 30.44) + r.between(-7, 25);
    calendar.add(day, (rec) => {
      const visit = visits.find((v) => v.offset_months === offset);
      if (!visit) return;
      const record = text.visitRecord(run.random);
      const kind = run.random.chance(0.15) ? 'talk' : 'visit';
      Object.assign(visit, { kind, done_at: rec.now, record, done_by: run.handler.id });
      rec.event('visit.recorded', auditActor({ userId: run.handler.id }), run.id, { visitId: visit.id, officialId: run.official.id, kind, dueOn: visit.due_on, recordHash: recordDigest({ record }) });
    });
  }
}
