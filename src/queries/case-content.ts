import { sql, type Selectable } from 'kysely';
import type { Db } from '../db/connect.js';
import type { AppealsTable, ApplicationsTable, AssessmentsTable, DecisionsTable, DeliberationsTable, ExpertInvitationsTable, OpinionsTable, ServicesTable } from '../db/schema.js';

export interface CaseContent {
  opinions: Selectable<OpinionsTable>[];
  applications: Selectable<ApplicationsTable>[];
  invitations: (Pick<Selectable<ExpertInvitationsTable>, 'id' | 'expert_id' | 'question' | 'evidence_ids' | 'invited_at' | 'opinion_id'> & { expert_name: string })[];
  /** The latest assessment. */
  assessment: Selectable<AssessmentsTable> | undefined;
  deliberations: Selectable<DeliberationsTable>[];
  decisions: Selectable<DecisionsTable>[];
  services: Selectable<ServicesTable>[];
  appeals: Selectable<AppealsTable>[];
}

/**
 * What a case page shows besides the case row, in one round trip: each table's rows as one JSON array, in the
 * order the page lists them. Eight queries were eight round trips on every case page and after every command
 * (which answers with the page); the database builds the arrays in less time than one of them took. JSON gives
 * timestamps as text, so they are turned back into Dates here (the same instant the driver would have parsed;
 * both keep milliseconds), and everything else arrives as the driver gives it.
 */
export async function loadCaseContent(db: Db, caseId: string): Promise<CaseContent> {
  const { rows } = await sql<Record<keyof CaseContent, unknown>>`
    SELECT
      (SELECT coalesce(json_agg(t ORDER BY t.recorded_at), '[]') FROM opinions t WHERE t.case_id = ${caseId}) AS opinions,
      (SELECT coalesce(json_agg(t ORDER BY t.submitted_at), '[]') FROM applications t WHERE t.case_id = ${caseId}) AS applications,
      (SELECT coalesce(json_agg(t ORDER BY t.invited_at), '[]') FROM (
         SELECT i.id, i.expert_id, u.display_name AS expert_name, i.question, i.evidence_ids, i.invited_at, i.opinion_id
           FROM expert_invitations i JOIN users u ON u.id = i.expert_id WHERE i.case_id = ${caseId}) t) AS invitations,
      (SELECT row_to_json(t) FROM assessments t WHERE t.case_id = ${caseId} ORDER BY t.position DESC LIMIT 1) AS assessment,
      (SELECT coalesce(json_agg(t ORDER BY t.position), '[]') FROM deliberations t WHERE t.case_id = ${caseId}) AS deliberations,
      (SELECT coalesce(json_agg(t ORDER BY t.version), '[]') FROM decisions t WHERE t.case_id = ${caseId}) AS decisions,
      (SELECT coalesce(json_agg(t ORDER BY t.served_at), '[]') FROM services t WHERE t.case_id = ${caseId}) AS services,
      (SELECT coalesce(json_agg(t ORDER BY t.lodged_at), '[]') FROM appeals t WHERE t.case_id = ${caseId}) AS appeals`.execute(db);
  const row = rows[0]!;
  const list = <T>(value: unknown, times: readonly string[]) => (value as Record<string, unknown>[]).map((item) => withDates<T>(item, times));
  return {
    opinions: list(row.opinions, ['recorded_at']),
    applications: list(row.applications, ['submitted_at']),
    invitations: list(row.invitations, ['invited_at']),
    assessment: row.assessment ? withDates(row.assessment as Record<string, unknown>, ['recorded_at']) : undefined,
    deliberations: list(row.deliberations, ['recorded_at']),
    decisions: list(row.decisions, ['approved_at', 'decided_at']),
    services: list(row.services, ['served_at', 'recorded_at']),
    appeals: list(row.appeals, ['lodged_at', 'due_at', 'decided_at']),
  };
}

/** The row with its timestamp columns as Dates (null stays null); bigint columns come as numbers, as strings from the driver. */
function withDates<T>(item: Record<string, unknown>, times: readonly string[]): T {
  for (const key of times) {
    const value = item[key];
    if (typeof value === 'string') item[key] = new Date(value);
  }
  if (typeof item.position === 'number') item.position = String(item.position);
  return item as T;
}
