import { passwordPolicy } from '../src/access/password-policy.js';
import { rowScopeOf } from '../src/access/row-scope.js';
import { hashSessionToken, loadSession } from '../src/access/session.js';
import type { Clock } from '../src/clock.js';
import type { Db } from '../src/db/connect.js';
import { getCaseTimeline } from '../src/queries/case-timeline.js';
import { findCases } from '../src/queries/find-cases.js';
import { getCase } from '../src/queries/get-case.js';
import { getStatistics } from '../src/queries/statistics.js';
import { getWorkbench } from '../src/queries/workbench.js';
import { actorOf, asUser } from './query-plans.js';

/**
 * The reads every user makes all day, as the application makes them (the same functions, inside the user's row
 * scope), for the accounts with the largest jurisdiction of a generated world (bench/generate/users.ts): the
 * provincial commission's handler and supervisor. Shared by test/hot-query-plans.db.test.ts (their plans) and
 * `npm run bench -- db` (their times).
 */
export interface HotQuery {
  name: string;
  run(): Promise<unknown>;
}

export interface HotQueryAccounts {
  handler: string;
  leader: string;
}

export const GENERATED_ACCOUNTS: HotQueryAccounts = { handler: 'c0-handler-1', leader: 'c0-supervisor' };

/**
 * The hot queries. `caseId` is a case of the handler's jurisdiction (default: the newest one under appeal, which
 * has rows in most of the case's tables). The session lookup needs a session: one is written for the handler
 * (and marked as past its second factor) with a token only this process knows.
 */
export async function hotQueries(db: Db, clock: Clock, accounts: HotQueryAccounts = GENERATED_ACCOUNTS, caseId?: string): Promise<{ queries: HotQuery[]; caseId: string; cleanup(): Promise<void> }> {
  const handler = await actorOf(db, accounts.handler);
  const leader = await actorOf(db, accounts.leader);
  const kase =
    caseId ??
    (await db.selectFrom('cases').select('id').where('state', '=', 'under-appeal').orderBy('opened_at', 'desc').limit(1).executeTakeFirstOrThrow()).id;
  const token = `hot-query-${process.pid}-${Date.now()}`;
  const now = clock.now();
  await db
    .insertInto('sessions')
    .values({ token_hash: hashSessionToken(token), user_id: handler.userId, created_at: now, expires_at: new Date(now.getTime() + 3_600_000), last_seen_at: now, second_factor_at: now })
    .execute();
  const policy = passwordPolicy(undefined);
  const asHandler = <T>(fn: () => Promise<T>) => () => asUser(db, handler, fn);
  const queries: HotQuery[] = [
    { name: 'case list, first page', run: asHandler(() => findCases(db, handler, { limit: 20 })) },
    { name: 'case list, filtered by state', run: asHandler(() => findCases(db, handler, { state: ['investigating', 'deliberated', 'decided', 'closed'], limit: 20 })) },
    { name: 'case list, filtered by outcome and dates', run: asHandler(() => findCases(db, handler, { outcome: ['exempt'], openedFrom: '2024-01-01', openedTo: '2024-12-31', limit: 20 })) },
    {
      name: 'case list, first then second page',
      run: asHandler(async () => {
        const first = await findCases(db, handler, { limit: 20 });
        return findCases(db, handler, { limit: 20, ...(first.nextCursor ? { cursor: first.nextCursor } : {}) });
      }),
    },
    { name: 'case page', run: asHandler(() => getCase(db, handler, kase, clock)) },
    { name: 'events of a case', run: asHandler(() => getCaseTimeline(db, handler, kase)) },
    { name: 'workbench', run: asHandler(() => getWorkbench(db, handler, clock)) },
    { name: 'statistics', run: () => asUser(db, leader, () => getStatistics(db, leader, {})) },
    {
      name: 'session lookup and row scope',
      run: async () => {
        const session = await loadSession(db, token, clock, policy);
        return rowScopeOf(db, session?.actor ?? handler);
      },
    },
  ];
  return { queries, caseId: kase, cleanup: async () => void (await db.deleteFrom('sessions').where('token_hash', '=', hashSessionToken(token)).execute()) };
}
