import { sql } from 'kysely';
import type { Actor } from '../access/actor.js';
import { subtreeOf, visibleCasesWhere } from '../access/case.js';
import { CASE_STATES, type CaseState } from '../cases/procedure.js';
import type { Db } from '../db/connect.js';
import { invalidInput } from '../errors.js';
import { caseSearchWhere } from './text-search.js';

export interface CaseFilter {
  state?: CaseState[];
  outcome?: string[];
  /** Cases of this organ and the organizations below it. */
  organId?: string;
  openedFrom?: string;
  openedTo?: string;
  /** Cases whose current assessment established this Art. 8 situation. */
  situation?: string;
  /** Matches the official's name or the case title. */
  q?: string;
  limit: number;
  cursor?: string;
}

/** The case list counts at most this many cases; more is reported as `totalCapped`. */
export const TOTAL_CAP = 1_000;

interface Cursor {
  openedAt: string;
  id: string;
}

const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decodeCursor(value: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (typeof c.openedAt === 'string' && typeof c.id === 'string' && !Number.isNaN(Date.parse(c.openedAt))) return { openedAt: c.openedAt, id: c.id };
  } catch {
    // fall through to the error below
  }
  throw invalidInput('cursor', '分页游标无效，请从第一页重新查询', 'invalid cursor');
}

/**
 * The cases this user may see, newest first, filtered in the database by the same jurisdiction rules as a
 * single case (visibleCasesWhere). Keyset pagination on (opened_at, id): stable while cases are added.
 */
export async function findCases(db: Db, actor: Actor, filter: CaseFilter) {
  let query = db
    .selectFrom('cases')
    .innerJoin('officials', 'officials.id', 'cases.official_id')
    .innerJoin('organizations as organ', 'organ.id', 'cases.organ_id')
    .where(visibleCasesWhere(actor));
  if (filter.state?.length) query = query.where('cases.state', 'in', filter.state);
  if (filter.outcome?.length) query = query.where('cases.outcome', 'in', filter.outcome);
  if (filter.organId) query = query.where(sql<boolean>`cases.organ_id IN ${subtreeOf([filter.organId])}`);
  if (filter.openedFrom) query = query.where('cases.opened_at', '>=', new Date(filter.openedFrom));
  if (filter.openedTo) query = query.where('cases.opened_at', '<', new Date(new Date(filter.openedTo).getTime() + 24 * 3600 * 1000));
  if (filter.situation) {
    query = query.where(sql<boolean>`EXISTS (
      SELECT 1 FROM assessments a
      WHERE a.case_id = cases.id
        AND a.position = (SELECT max(position) FROM assessments WHERE case_id = cases.id)
        AND a.input->'situations' @> jsonb_build_array(${filter.situation}::text))`);
  }
  if (filter.q) query = query.where(caseSearchWhere(filter.q));
  // Counted up to the cap only: an exact count of a province's cases reads them all on every page (seconds), and
  // beyond a thousand the list shows 「1000+」 — nobody pages that far (50 pages); they filter. Counting 10,000
  // through the wall cost a province-wide handler 40 ms a page, most of the list's time.
  const counted = await db
    .selectFrom(query.select(sql<number>`1`.as('one')).limit(TOTAL_CAP + 1).as('capped'))
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  const total = Number(counted.n);

  let page = query;
  if (filter.cursor) {
    const cursor = decodeCursor(filter.cursor);
    page = page.where(sql<boolean>`(cases.opened_at, cases.id) < (${new Date(cursor.openedAt)}, ${cursor.id}::uuid)`);
  }
  const rows = await page
    .select([
      'cases.id',
      'cases.title',
      'cases.state',
      'cases.outcome',
      'cases.opened_at',
      'cases.version',
      'cases.organ_id',
      'organ.name as organ_name',
      'officials.id as official_id',
      'officials.name as official_name',
      'officials.position as official_position',
    ])
    .orderBy('cases.opened_at', 'desc')
    .orderBy('cases.id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  const more = rows.length > filter.limit;
  const items = rows.slice(0, filter.limit);
  const last = items.at(-1);
  return {
    data: items.map((r) => ({
      id: r.id,
      title: r.title,
      state: r.state,
      stateLabel: CASE_STATES[r.state as CaseState],
      outcome: r.outcome,
      openedAt: r.opened_at.toISOString(),
      version: r.version,
      organ: { id: r.organ_id, name: r.organ_name },
      official: { id: r.official_id, name: r.official_name, position: r.official_position },
    })),
    total: Math.min(total, TOTAL_CAP),
    /** True when there are more than `total` cases (the count stopped at its cap). */
    totalCapped: total > TOTAL_CAP,
    nextCursor: more && last ? encodeCursor({ openedAt: last.opened_at.toISOString(), id: last.id }) : null,
  };
}
