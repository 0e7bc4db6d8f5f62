import type { Actor } from '../access/actor.js';
import { ancestorsOf, committeeRoot, grantsOf } from '../access/case.js';
import type { Db, Tx } from '../db/connect.js';

/**
 * Information sharing (协作配合, Art. 19(2)) runs between the two sides that manage an official: the discipline
 * commission (纪检监察机关) and the organization department (组织人事部门).
 *
 * - A discipline commission shares through its handlers (a `handler` grant at an organ of type
 *   `discipline-commission`); an organization department through its `organization-department` users at an organ
 *   of type `organization-department`.
 * - An organ has jurisdiction over an official when the official's managing organ lies in its subtree; an
 *   organization department works for the party committee it belongs to, so its subtree is its parent's
 *   (as in commands/followup/jurisdiction.ts).
 */
export type SharingSide = 'discipline-commission' | 'organization-department';

export const COUNTERPART: Record<SharingSide, SharingSide> = {
  'discipline-commission': 'organization-department',
  'organization-department': 'discipline-commission',
};

export interface SharingOrgan {
  id: string;
  name: string;
  side: SharingSide;
  parentId: string | null;
}

export function sideOf(type: string): SharingSide | null {
  return type === 'discipline-commission' || type === 'organization-department' ? type : null;
}

/** The organs from which this actor may share: their handler grants at discipline commissions and their grants at organization departments. */
export async function sharingOrgansOf(db: Db | Tx, actor: Actor): Promise<SharingOrgan[]> {
  const candidates = [...new Set([...grantsOf(actor, 'handler'), ...grantsOf(actor, 'organization-department')])];
  if (candidates.length === 0) return [];
  const rows = await db.selectFrom('organizations').select(['id', 'name', 'type', 'parent_id']).where('id', 'in', candidates).execute();
  const result: SharingOrgan[] = [];
  for (const row of rows) {
    if (row.type === 'discipline-commission' && grantsOf(actor, 'handler').includes(row.id)) {
      result.push({ id: row.id, name: row.name, side: 'discipline-commission', parentId: row.parent_id });
    } else if (row.type === 'organization-department' && grantsOf(actor, 'organization-department').includes(row.id)) {
      result.push({ id: row.id, name: row.name, side: 'organization-department', parentId: row.parent_id });
    }
  }
  return result;
}

/** The root of an organ's jurisdiction: an organization department's party committee, else the organ itself. */
export const jurisdictionRoot = (organ: { id: string; side: SharingSide; parentId: string | null }): string =>
  committeeRoot({ id: organ.id, type: organ.side, parentId: organ.parentId }, 'organization-department');

/** Whether the organ manages the official whose managing organ has these ancestors (ancestorsOf, itself included). */
export const coversOfficial = (organ: { id: string; side: SharingSide; parentId: string | null }, officialAncestors: readonly string[]): boolean =>
  officialAncestors.includes(jurisdictionRoot(organ));

/** Whether the organ manages the official (the official's managing organ is at or below the organ's root). */
export async function hasJurisdiction(db: Db | Tx, organ: { id: string; side: SharingSide; parentId: string | null }, managingOrgId: string): Promise<boolean> {
  return coversOfficial(organ, await ancestorsOf(db, managingOrgId));
}
