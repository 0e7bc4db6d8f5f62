import { sql, type SqlBool } from 'kysely';
import type { Actor } from '../access/actor.js';
import { grantsOf, subtreeOf } from '../access/case.js';
import { publicityRoots } from '../commands/typical/index.js';
import type { Db } from '../db/connect.js';
import { notFound } from '../errors.js';

/** A typical case as the public sees it: nothing but its title, text and publication day. */
export interface PublicTypicalCase {
  id: string;
  title: string;
  body: string;
  publishedOn: string;
}

const day = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

export async function listPublishedTypicalCases(db: Db): Promise<PublicTypicalCase[]> {
  const rows = await db
    .selectFrom('typical_cases')
    .select(['id', 'title', 'body', 'published_at'])
    .where('status', '=', 'published')
    .orderBy('published_at', 'desc')
    .limit(200)
    .execute();
  return rows.map((r) => ({ id: r.id, title: r.title, body: r.body, publishedOn: day(r.published_at!) }));
}

export async function getPublishedTypicalCase(db: Db, id: string): Promise<PublicTypicalCase> {
  const row = await db
    .selectFrom('typical_cases')
    .select(['id', 'title', 'body', 'published_at'])
    .where('id', '=', id)
    .where('status', '=', 'published')
    .executeTakeFirst();
  if (!row) throw notFound('典型案例');
  return { id: row.id, title: row.title, body: row.body, publishedOn: day(row.published_at!) };
}

export interface StaffTypicalCase {
  id: string;
  sourceCaseId: string;
  title: string;
  body: string;
  status: string;
  flaggedTerms: string[];
  version: number;
  returnNote: string | null;
  draftedAt: string;
  updatedAt: string;
  publishedAt: string | null;
  /** What the actor may do with it. */
  mine: boolean;
  publicity: boolean;
}

/** Typical cases the actor works on: their organs' (handler) and, except drafts, those in their publicity scope. */
export async function listStaffTypicalCases(db: Db, actor: Actor, id?: string): Promise<StaffTypicalCase[]> {
  const handlerOrgs = grantsOf(actor, 'handler');
  const roots = await publicityRoots(db, actor);
  const conditions = [
    handlerOrgs.length > 0 ? sql<SqlBool>`organ_id = ANY(${sql.val(handlerOrgs)}::uuid[])` : undefined,
    roots.length > 0 ? sql<SqlBool>`(status <> 'draft' AND organ_id IN ${subtreeOf(roots)})` : undefined,
  ].filter((c) => c !== undefined);
  if (conditions.length === 0) return [];
  const publicityOrgs =
    roots.length > 0 ? new Set((await sql<{ id: string }>`SELECT id FROM organizations WHERE id IN ${subtreeOf(roots)}`.execute(db)).rows.map((r) => r.id)) : new Set<string>();
  let query = db
    .selectFrom('typical_cases')
    .selectAll()
    .where(sql<SqlBool>`(${sql.join(conditions, sql` OR `)})`)
    .orderBy('updated_at', 'desc')
    .limit(200);
  if (id !== undefined) query = query.where('id', '=', id);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    sourceCaseId: r.source_case_id,
    title: r.title,
    body: r.body,
    status: r.status,
    flaggedTerms: r.flagged_terms,
    version: r.version,
    returnNote: r.return_note,
    draftedAt: r.drafted_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    publishedAt: r.published_at?.toISOString() ?? null,
    mine: handlerOrgs.includes(r.organ_id),
    publicity: r.status !== 'draft' && publicityOrgs.has(r.organ_id),
  }));
}

export async function getStaffTypicalCase(db: Db, actor: Actor, id: string): Promise<StaffTypicalCase> {
  const [row] = await listStaffTypicalCases(db, actor, id);
  if (!row) throw notFound('典型案例');
  return row;
}

/** Closed cases of the actor's organs that a typical case can be drafted from (the picker). */
export async function findClosedCasesForTypical(db: Db, actor: Actor): Promise<{ id: string; title: string; closedAt: string | null }[]> {
  const handlerOrgs = grantsOf(actor, 'handler');
  if (handlerOrgs.length === 0) return [];
  const rows = await db
    .selectFrom('cases')
    .select(['id', 'title', 'closed_at'])
    .where('organ_id', 'in', handlerOrgs)
    .where('state', '=', 'closed')
    .orderBy('closed_at', 'desc')
    .limit(100)
    .execute();
  return rows.map((r) => ({ id: r.id, title: r.title, closedAt: r.closed_at?.toISOString() ?? null }));
}
