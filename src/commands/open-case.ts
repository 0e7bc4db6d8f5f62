import { appendEvent } from '../audit/chain.js';
import { recordDigest } from '../audit/digest.js';
import { auditActor, type Actor } from '../access/actor.js';
import { ancestorsOf } from '../access/case.js';
import { ruleError } from '../cases/rules.js';
import type { Clock } from '../clock.js';
import type { Db, Tx } from '../db/connect.js';
import { invalidInput } from '../errors.js';
import { packFor } from '../policy/index.js';

export interface OpenCaseProps {
  db: Db;
  clock: Clock;
  actor: Actor;
  officialId: string;
  title: string;
  description: string;
  /** The organ opening the case, when the handler works for several. */
  organId?: string;
}

/**
 * Opens an accountability case against one official. The tolerance examination starts with it and cannot be
 * skipped (Art. 11, R1): the case is born in the investigation step with the policy pack in force today, and
 * the same organ will decide both accountability and tolerance ("谁问责追责、谁容错", R14).
 */
export async function openCase({ db, clock, actor, officialId, title, description, organId }: OpenCaseProps) {
  return db.transaction().execute(async (tx) => {
    const official = await tx.selectFrom('officials').select(['id', 'managing_org_id']).where('id', '=', officialId).executeTakeFirst();
    if (!official) throw invalidInput('officialId', '所选干部不存在', 'no such official');
    // R14: only an organ with management authority over the official (its managing organ, or a superior of it).
    const authorities = await ancestorsOf(tx, official.managing_org_id);
    const handlerOrgs = actor.roles.filter((g) => g.role === 'handler').map((g) => g.organizationId);
    const eligible = handlerOrgs.filter((org) => authorities.includes(org));
    if (organId !== undefined && !handlerOrgs.includes(organId)) {
      throw invalidInput('organId', '您不是该机关的经办人', 'you are not a handler of that organ', handlerOrgs);
    }
    const organ = organId ?? eligible[0];
    if (!organ || !eligible.includes(organ)) {
      throw ruleError('R14', 'NO_AUTHORITY', '本机关对该干部没有管理权限，不能启动问责追责', 'this organ has no management authority over the official', 403);
    }
    return createCaseRecord(tx, { actor, officialId, organId: organ, title, description, now: clock.now() });
  });
}


/**
 * Writes a new case in the investigation step under the pack in force, with its `case.opened` event, inside the
 * caller's transaction. The caller has checked the organ's authority over the official (R14).
 */
export async function createCaseRecord(
  tx: Tx,
  props: { actor: Actor; officialId: string; organId: string; title: string; description: string; now: Date; eventPayload?: Record<string, unknown> },
): Promise<{ id: string; version: number }> {
  const { actor, officialId, organId, title, description, now } = props;
  const pack = packFor(now);
  const created = await tx
    .insertInto('cases')
    .values({
      official_id: officialId,
      organ_id: organId,
      title,
      description,
      state: 'investigating',
      policy_id: pack.id,
      policy_version: pack.version,
      opened_by: actor.userId,
      opened_at: now,
      updated_at: now,
      outcome: null,
      decided_at: null,
      served_at: null,
      appeal_deadline: null,
      closed_at: null,
    })
    .returning(['id', 'version'])
    .executeTakeFirstOrThrow();
  await appendEvent(
    tx,
    {
      type: 'case.opened',
      actor: auditActor(actor),
      caseId: created.id,
      payload: { officialId, organId, policy: pack.id, policyVersion: pack.version, recordHash: recordDigest({ title, description }), version: created.version, ...props.eventPayload },
    },
    { now: () => now },
  );
  return { id: created.id, version: created.version };
}
