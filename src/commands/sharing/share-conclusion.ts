import { auditActor, type Actor } from '../../access/actor.js';
import { appendEvent } from '../../audit/chain.js';
import type { Clock } from '../../clock.js';
import type { Db, Tx } from '../../db/connect.js';
import { AppError, forbidden, notFound } from '../../errors.js';
import { ancestorsOf } from '../../access/case.js';
import { COUNTERPART, coversOfficial, hasJurisdiction, sharingOrgansOf, sideOf, type SharingOrgan } from '../../sharing/jurisdiction.js';

export const SHARED_KINDS = ['tolerance-decision', 'comprehensive-assessment', 'penalty'] as const;
export type SharedKind = (typeof SHARED_KINDS)[number];

export const SHARED_KIND_LABELS: Record<SharedKind, string> = {
  'tolerance-decision': '容错处理决定',
  'comprehensive-assessment': '综合研判结论',
  penalty: '处分及影响期',
};

export interface ShareConclusionProps {
  db: Db;
  clock: Clock;
  actor: Actor;
  officialId: string;
  kind: SharedKind;
  recordId: string;
  toOrgId: string;
  /** The sharing organ, when the actor can share from more than one. */
  fromOrgId?: string | undefined;
  note?: string | undefined;
}

export interface SharedConclusion {
  id: string;
  officialId: string;
  kind: SharedKind;
  recordId: string;
  fromOrgId: string;
  toOrgId: string;
  sharedAt: string;
}

const ARTICLE = '第十九条第（二）项';
const sharingError = (what: string, message: string, messageEn: string, status = 422, key?: string) =>
  new AppError({ code: `SHARING_${what}`, status, message: `${ARTICLE}：${message}`, messageEn, article: ARTICLE, ...(key !== undefined ? { key } : {}) });

/** The record's official and case, if it is a conclusion of this kind. */
async function findRecord(tx: Tx, kind: SharedKind, recordId: string): Promise<{ officialId: string; caseId: string | null; organId: string | null } | undefined> {
  if (kind === 'tolerance-decision') {
    const row = await tx
      .selectFrom('decisions')
      .innerJoin('cases', 'cases.id', 'decisions.case_id')
      .select(['cases.official_id', 'cases.id as case_id', 'cases.organ_id'])
      .where('decisions.id', '=', recordId)
      .executeTakeFirst();
    return row && { officialId: row.official_id, caseId: row.case_id, organId: row.organ_id };
  }
  if (kind === 'penalty') {
    const row = await tx.selectFrom('penalties').select(['official_id', 'case_id']).where('id', '=', recordId).executeTakeFirst();
    return row && { officialId: row.official_id, caseId: row.case_id, organId: null };
  }
  const row = await tx.selectFrom('comprehensive_assessments').select(['official_id']).where('id', '=', recordId).executeTakeFirst();
  return row && { officialId: row.official_id, caseId: null, organId: null };
}

/**
 * The official (404 when outside every sharing organ's jurisdiction of the actor) and the organ the actor shares
 * from: `fromOrgId`, or the only one of theirs with jurisdiction over the official. Used by shareConclusion and by
 * the list of possible recipients (sharing/queries.ts), so that both refuse alike.
 */
export async function resolveSharingOrgan(db: Db | Tx, actor: Actor, officialId: string, fromOrgId: string | undefined): Promise<{ official: { id: string; managingOrgId: string }; from: SharingOrgan }> {
  const organs = await sharingOrgansOf(db, actor);
  if (organs.length === 0) {
    throw forbidden('只有纪检监察机关的经办人或组织人事部门可以共享结论', 'only handlers of a discipline commission or organization department users share conclusions');
  }
  const official = await db.selectFrom('officials').select(['id', 'managing_org_id']).where('id', '=', officialId).executeTakeFirst();
  // An official outside every sharing organ's jurisdiction does not exist for the actor.
  const inScope: SharingOrgan[] = [];
  if (official) for (const organ of organs) if (await hasJurisdiction(db, organ, official.managing_org_id)) inScope.push(organ);
  if (!official || inScope.length === 0) throw notFound('干部');
  const candidates = fromOrgId !== undefined ? inScope.filter((o) => o.id === fromOrgId) : inScope;
  if (candidates.length === 0) throw sharingError('NOT_YOUR_ORGAN', '您不能以该单位的名义共享', 'you cannot share on behalf of that organ', 403, 'fromOrgId');
  if (candidates.length > 1) throw sharingError('WHICH_ORGAN', '请指明以哪个单位的名义共享', 'state fromOrgId: you share for more than one organ', 422, 'fromOrgId');
  return { official: { id: official.id, managingOrgId: official.managing_org_id }, from: candidates[0]! };
}

/**
 * Why this organ may not receive a conclusion from `from` about an official whose managing organ has these
 * ancestors (ancestorsOf, nearest first), or null when it may: it must be of the counterpart type and have
 * jurisdiction over the official.
 */
export function recipientRefusal(from: SharingOrgan, recipient: { id: string; type: string; parentId: string | null }, officialAncestors: readonly string[]): AppError | null {
  const side = sideOf(recipient.type);
  if (side !== COUNTERPART[from.side]) {
    return sharingError(
      'RECIPIENT_TYPE',
      from.side === 'discipline-commission' ? '纪检监察机关的结论只能共享给组织人事部门' : '组织人事部门的结论只能共享给纪检监察机关',
      `the recipient must be a ${COUNTERPART[from.side]}`,
      422,
      'toOrgId',
    );
  }
  if (!coversOfficial({ id: recipient.id, side, parentId: recipient.parentId }, officialAncestors)) {
    return sharingError('RECIPIENT_NO_JURISDICTION', '接收单位对该干部没有管理权限', 'the recipient organ does not manage the official', 422, 'toOrgId');
  }
  return null;
}

/**
 * Art. 19(2): a discipline commission's handler or an organization department's user shares a conclusion about an
 * official with the counterpart organ that manages the same official. Both organs must have jurisdiction over the
 * official, the recipient must be of the other type, and the record must be a conclusion about that official.
 * One `sharing.shared` event per share (the note stays in the table, not in the chain).
 */
export async function shareConclusion(props: ShareConclusionProps): Promise<SharedConclusion> {
  const { db, clock, actor } = props;
  return db.transaction().execute(async (tx) => {
    const { official, from } = await resolveSharingOrgan(tx, actor, props.officialId, props.fromOrgId);

    const recipient = await tx.selectFrom('organizations').select(['id', 'name', 'type', 'parent_id']).where('id', '=', props.toOrgId).executeTakeFirst();
    if (!recipient) throw sharingError('RECIPIENT_UNKNOWN', '接收单位不存在', 'the recipient organ does not exist', 422, 'toOrgId');
    const refusal = recipientRefusal(from, { id: recipient.id, type: recipient.type, parentId: recipient.parent_id }, await ancestorsOf(tx, official.managingOrgId));
    if (refusal) throw refusal;

    const record = await findRecord(tx, props.kind, props.recordId);
    if (!record || record.officialId !== official.id) throw sharingError('RECORD', '所共享的结论不存在或不是关于该干部的', 'no such conclusion about this official', 422, 'recordId');
    // A tolerance decision is shared by (or above) the organ that made it, or by the organization department over it.
    if (record.organId !== null && !(await hasJurisdiction(tx, from, record.organId))) throw sharingError('RECORD', '所共享的结论不存在或不是关于该干部的', 'no such conclusion about this official', 422, 'recordId');

    const now = clock.now();
    const row = await tx
      .insertInto('shared_conclusions')
      .values({
        official_id: official.id,
        kind: props.kind,
        record_id: props.recordId,
        case_id: record.caseId,
        from_org_id: from.id,
        to_org_id: recipient.id,
        note: props.note ?? '',
        shared_by: actor.userId,
        shared_at: now,
      })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    await appendEvent(
      tx,
      {
        type: 'sharing.shared',
        actor: auditActor(actor),
        caseId: record.caseId,
        payload: { shareId: row.id, kind: props.kind, recordId: props.recordId, officialId: official.id, fromOrgId: from.id, toOrgId: recipient.id },
      },
      { now: () => now },
    );
    return { id: row.id, officialId: official.id, kind: props.kind, recordId: props.recordId, fromOrgId: from.id, toOrgId: recipient.id, sharedAt: now.toISOString() };
  });
}
