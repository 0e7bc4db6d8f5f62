import { sql, type SqlBool } from 'kysely';
import type { Actor } from '../access/actor.js';
import { ancestorsOf, grantsOf, subtreeOf } from '../access/case.js';
import type { Db } from '../db/connect.js';
import { forbidden } from '../errors.js';
import { recipientRefusal, resolveSharingOrgan, type SharedKind } from '../commands/sharing/share-conclusion.js';
import { COUNTERPART } from './jurisdiction.js';

export interface ShareEntry {
  id: string;
  kind: SharedKind;
  recordId: string;
  caseId: string | null;
  official: { id: string; name: string; position: string };
  from: { id: string; name: string };
  to: { id: string; name: string };
  note: string;
  sharedBy: { id: string; displayName: string };
  sharedAt: string;
}

/** The most entries listed, newest first. */
export const SHARING_LIST_LIMIT = 200;

async function list(db: Db, where: ReturnType<typeof sql<SqlBool>>): Promise<ShareEntry[]> {
  const rows = await db
    .selectFrom('shared_conclusions as s')
    .innerJoin('officials as o', 'o.id', 's.official_id')
    .innerJoin('organizations as f', 'f.id', 's.from_org_id')
    .innerJoin('organizations as t', 't.id', 's.to_org_id')
    .innerJoin('users as u', 'u.id', 's.shared_by')
    .select([
      's.id',
      's.kind',
      's.record_id',
      's.case_id',
      's.note',
      's.shared_at',
      'o.id as official_id',
      'o.name as official_name',
      'o.position as official_position',
      'f.id as from_id',
      'f.name as from_name',
      't.id as to_id',
      't.name as to_name',
      'u.id as user_id',
      'u.display_name',
    ])
    .where(where)
    .orderBy('s.shared_at', 'desc')
    .orderBy('s.id', 'desc')
    .limit(SHARING_LIST_LIMIT)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind as SharedKind,
    recordId: r.record_id,
    caseId: r.case_id,
    official: { id: r.official_id, name: r.official_name, position: r.official_position },
    from: { id: r.from_id, name: r.from_name },
    to: { id: r.to_id, name: r.to_name },
    note: r.note,
    sharedBy: { id: r.user_id, displayName: r.display_name },
    sharedAt: r.shared_at.toISOString(),
  }));
}

/** What was shared with the organs where the actor holds a role (the recipient organ's users). */
export async function findSharingInbox(db: Db, actor: Actor): Promise<{ items: ShareEntry[] }> {
  const orgs = [...new Set(actor.roles.map((g) => g.organizationId))];
  if (orgs.length === 0) return { items: [] };
  return { items: await list(db, sql<SqlBool>`s.to_org_id = ANY(${sql.val(orgs)}::uuid[])`) };
}

/** Supervisors: what was shared with whom, where the sharing or the receiving organ is in their jurisdiction. */
export async function findSharingLog(db: Db, actor: Actor): Promise<{ items: ShareEntry[] }> {
  const orgs = grantsOf(actor, 'supervisor');
  if (orgs.length === 0) throw forbidden('只有监督检查人员可以查看信息共享记录', 'only supervisors read the sharing log');
  return { items: await list(db, sql<SqlBool>`(s.from_org_id IN ${subtreeOf(orgs)} OR s.to_org_id IN ${subtreeOf(orgs)})`) };
}

export interface SharingRecipients {
  /** The organ the actor would share from. */
  from: { id: string; name: string };
  /** The organs shareConclusion accepts as recipients of a conclusion about this official, by name. */
  items: { id: string; name: string; shortName: string | null; type: string }[];
}

/**
 * The organs a conclusion about this official may be shared with (Art. 19(2)): refused and resolved exactly as
 * shareConclusion does (resolveSharingOrgan: 404 for an official outside the actor's jurisdiction, 403/422 for the
 * sharing organ), and each candidate kept only when recipientRefusal has nothing against it.
 */
export async function findSharingRecipients(db: Db, actor: Actor, officialId: string, fromOrgId: string | undefined): Promise<SharingRecipients> {
  const { official, from } = await resolveSharingOrgan(db, actor, officialId, fromOrgId);
  const ancestors = await ancestorsOf(db, official.managingOrgId);
  // A recipient's jurisdiction is rooted at itself or at its parent (jurisdictionRoot): only those can qualify.
  const candidates = await db
    .selectFrom('organizations')
    .select(['id', 'name', 'short_name', 'type', 'parent_id'])
    .where('type', '=', COUNTERPART[from.side])
    .where((eb) => eb.or([eb('id', 'in', ancestors), eb('parent_id', 'in', ancestors)]))
    .orderBy('name')
    .execute();
  return {
    from: { id: from.id, name: from.name },
    items: candidates
      .filter((c) => recipientRefusal(from, { id: c.id, type: c.type, parentId: c.parent_id }, ancestors) === null)
      .map((c) => ({ id: c.id, name: c.name, shortName: c.short_name, type: c.type })),
  };
}
