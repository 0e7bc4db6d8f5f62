import { appendEvent } from '../audit/chain.js';
import type { EventType } from '../audit/event-types.js';
import { auditActor, type Actor } from '../access/actor.js';
import { canSee, findCaseRelations, mayTake, type CaseRelations } from '../access/case.js';
import { assertActionInState, CASE_STATES, type CaseAction, type CaseState } from '../cases/procedure.js';
import { DEFAULT_SETTINGS, type ProcedureSettings } from '../cases/settings.js';
import type { Clock } from '../clock.js';
import type { Db, Tx } from '../db/connect.js';
import type { Updateable } from 'kysely';
import type { CasesTable } from '../db/schema.js';
import { forbidden, notFound, versionConflict } from '../errors.js';

/** What every case command receives. */
export interface CaseCommandProps {
  db: Db;
  clock: Clock;
  actor: Actor;
  caseId: string;
  /** The case version the user acted on: a concurrent change makes the command fail with a conflict. */
  expectedVersion: number;
  settings?: ProcedureSettings;
}

export interface LoadedCase {
  id: string;
  officialId: string;
  organId: string;
  state: CaseState;
  version: number;
  professional: boolean;
  outcome: string | null;
  policyId: string;
  policyVersion: string;
  appealDeadline: Date | null;
  official: { id: string; name: string; rank: string; organizationId: string; managingOrgId: string };
}

export interface CaseCommandContext {
  tx: Tx;
  case: LoadedCase;
  relations: CaseRelations;
  actor: Actor;
  now: Date;
  settings: ProcedureSettings;
}

export interface CaseCommandOutcome<T> {
  result: T;
  event: { type: EventType; payload: Record<string, unknown> };
  /** Columns of the case row that this command changes (besides version and updated_at). */
  caseChanges?: Pick<Updateable<CasesTable>, 'state' | 'professional' | 'outcome' | 'decided_at' | 'served_at' | 'appeal_deadline' | 'closed_at'>;
}

/**
 * The one write path of case commands, read as a recipe: lock and load the case, make sure the actor may see
 * it (else 404, as if it did not exist) and take this action (else 403), check the version the user saw, check
 * the step allows the action, run the command's own rules and writes, then bump the version and append the
 * audit event — all in one transaction, so a refused command leaves nothing behind.
 */
export async function runCaseCommand<T>(
  props: CaseCommandProps,
  action: CaseAction,
  body: (context: CaseCommandContext) => Promise<CaseCommandOutcome<T>>,
): Promise<T & { version: number }> {
  const { db, clock, actor, caseId, expectedVersion } = props;
  return db.transaction().execute(async (tx) => {
    // FOR UPDATE: a second command on the same case waits here, then sees the new version and conflicts.
    const row = await tx
      .selectFrom('cases')
      .innerJoin('officials', 'officials.id', 'cases.official_id')
      .select([
        'cases.id',
        'cases.official_id',
        'cases.organ_id',
        'cases.state',
        'cases.version',
        'cases.professional',
        'cases.outcome',
        'cases.policy_id',
        'cases.policy_version',
        'cases.appeal_deadline',
        'officials.name as official_name',
        'officials.rank as official_rank',
        'officials.organization_id as official_organization_id',
        'officials.managing_org_id as official_managing_org_id',
      ])
      .where('cases.id', '=', caseId)
      .forUpdate('cases')
      .executeTakeFirst();
    if (!row) throw notFound('案件');
    const relations = await findCaseRelations(tx, actor, {
      caseId,
      organId: row.organ_id,
      officialId: row.official_id,
      officialOrganizationId: row.official_organization_id,
    });
    if (!canSee(relations)) throw notFound('案件');
    if (!mayTake(relations, action)) throw forbidden('您在本案中没有此项操作的权限', `your role in this case does not allow ${action}`);
    if (row.version !== expectedVersion) throw versionConflict(expectedVersion, row.version);
    const state = row.state as CaseState;
    if (!(state in CASE_STATES)) throw new Error(`case ${caseId} has an unknown state`);
    assertActionInState(action, state);

    const now = clock.now();
    const loaded: LoadedCase = {
      id: row.id,
      officialId: row.official_id,
      organId: row.organ_id,
      state,
      version: row.version,
      professional: row.professional,
      outcome: row.outcome,
      policyId: row.policy_id,
      policyVersion: row.policy_version,
      appealDeadline: row.appeal_deadline,
      official: {
        id: row.official_id,
        name: row.official_name,
        rank: row.official_rank,
        organizationId: row.official_organization_id,
        managingOrgId: row.official_managing_org_id,
      },
    };
    const outcome = await body({ tx, case: loaded, relations, actor, now, settings: props.settings ?? DEFAULT_SETTINGS });
    const version = row.version + 1;
    await tx
      .updateTable('cases')
      .set({ ...outcome.caseChanges, version, updated_at: now })
      .where('id', '=', caseId)
      .execute();
    await appendEvent(tx, { type: outcome.event.type, actor: auditActor(actor), caseId, payload: { ...outcome.event.payload, version } }, { now: () => now });
    return { ...outcome.result, version };
  });
}
