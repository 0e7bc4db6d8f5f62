import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { systemClock } from '../src/clock.js';
import { migrate } from '../src/db/migrate.js';
import { EMPTY_ROW_SCOPE, runInRowScope } from '../src/db/row-security.js';
import { DEMO_PASSWORD, seedDemo } from '../src/db/seed-demo.js';
import { LocalFileStore } from '../src/files/store.js';
import { buildApp } from '../src/http/app.js';
import { injectTransport } from '../test/helpers/app.js';
import { completeSignIn } from '../test/helpers/identity.js';
import type { BenchRow } from './table.js';
import { scratchDatabase } from './scratch-database.js';

const ROUNDS = 25;
/**
 * What the wall may add to a signed-in API request, in milliseconds. An absolute budget rather than a ratio: most
 * of its price is fixed per request and per statement (computing the scope, the SET ROLE and RESET round trips,
 * planning the policies into each statement), so the ratio is highest on the demo's small tables and fast
 * requests, and moves with the machine's load while the added time stays put.
 */
const LIMIT_ADDED_MS = 10;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * The cost of the second wall (RONGCUO_RLS, migration 0014) on the embedded PostgreSQL 18 with the demo data:
 * the same signed-in requests — case list, a case page, the workbench, statistics, for a district handler, the
 * municipal handler, the supervisor and the organization department — through two applications on one database,
 * one with the wall and one without, each request timed on both back to back so that both see the same caches
 * and the same load. Also the bare price of switching a connection (SET ROLE and the settings, then RESET) on a
 * one-row query.
 */
export async function benchRowSecurity(): Promise<BenchRow[]> {
  const scratch = await scratchDatabase('rls');
  const { dir, handle } = scratch;
  const apps: FastifyInstance[] = [];
  try {
    await migrate(handle.pool);
    const files = new LocalFileStore(path.join(dir, 'files'));
    await seedDemo(handle.db, systemClock, files);
    const build = async (rowSecurity: boolean) => {
      const app = await buildApp({ context: { db: handle.db, clock: systemClock, version: 'bench', files, secureCookies: false, signInRateLimit: 10_000, rowSecurity } });
      await app.ready();
      apps.push(app);
      return app;
    };
    const walled = await build(true);
    const open = await build(false);
    const anyCase = (await handle.db.selectFrom('cases').select('id').orderBy('opened_at').executeTakeFirstOrThrow()).id;
    const requests: { username: string; url: string }[] = [];
    for (const username of ['dc-jiwei', 'jiwei', 'jiandu', 'zuzhibu']) {
      requests.push({ username, url: '/api/v1/cases?limit=100' }, { username, url: '/api/v1/workbench' }, { username, url: '/api/v1/statistics' });
    }
    requests.push({ username: 'jiwei', url: `/api/v1/cases/${anyCase}` }, { username: 'jiandu', url: `/api/v1/cases/${anyCase}` });
    // Signed in once per user, through every step (password, authenticator, the required password change).
    const cookies = new Map<string, { name: string; value: string }>();
    for (const { username } of requests) {
      if (cookies.has(username)) continue;
      const transport = injectTransport(walled);
      await completeSignIn(transport, { username, password: DEMO_PASSWORD });
      cookies.set(username, transport.cookie!);
    }
    const once = async (app: FastifyInstance, username: string, url: string) => {
      const started = performance.now();
      const cookie = cookies.get(username)!;
      const response = await app.inject({ method: 'GET', url, cookies: { [cookie.name]: cookie.value } });
      if (response.statusCode !== 200) throw new Error(`${url} as ${username}: ${response.statusCode} ${response.body}`);
      return performance.now() - started;
    };
    // Each request is timed with and without the wall back to back, in alternating order, so that the load of
    // the machine (other processes, the garbage collector) falls on both alike.
    const on: number[] = [];
    const off: number[] = [];
    const ratios: number[] = [];
    const added: number[] = [];
    for (let round = -1; round < ROUNDS; round++) {
      let sumOn = 0;
      let sumOff = 0;
      for (const [i, { username, url }] of requests.entries()) {
        if ((round + i) % 2 === 0) {
          sumOn += await once(walled, username, url);
          sumOff += await once(open, username, url);
        } else {
          sumOff += await once(open, username, url);
          sumOn += await once(walled, username, url);
        }
      }
      if (round < 0) continue; // warm-up
      on.push(sumOn / requests.length);
      off.push(sumOff / requests.length);
      ratios.push(sumOn / sumOff);
      added.push((sumOn - sumOff) / requests.length);
    }

    // The bare switch: one-row primary-key reads, inside a (demo handler's) scope and outside any.
    const scope = { ...EMPTY_ROW_SCOPE, caseOrgans: [(await handle.db.selectFrom('cases').select('organ_id').where('id', '=', anyCase).executeTakeFirstOrThrow()).organ_id] };
    const read = () => sql`SELECT id FROM cases WHERE id = ${anyCase}`.execute(handle.db);
    const perQuery = async (inScope: boolean) => {
      const n = 200;
      const started = performance.now();
      for (let i = 0; i < n; i++) await (inScope ? runInRowScope(scope, read) : read());
      return ((performance.now() - started) / n) * 1000;
    };
    const queryOnRuns: number[] = [];
    const queryOffRuns: number[] = [];
    for (let round = 0; round < 11; round++) {
      queryOnRuns.push(await perQuery(true));
      queryOffRuns.push(await perQuery(false));
    }
    const queryOn = median(queryOnRuns);
    const queryOff = median(queryOffRuns);

    const requestOn = median(on);
    const requestOff = median(off);
    const addedMs = median(added);
    return [
      { figure: `signed-in GET, mean over ${requests.length} requests (4 roles), median of ${ROUNDS} rounds, without the wall`, value: requestOff, unit: 'ms' },
      { figure: 'the same requests with row-level security (RONGCUO_RLS=on)', value: requestOn, unit: 'ms', limit: requestOff, limitLabel: 'without', ratio: median(ratios) },
      {
        figure: 'time the wall adds to a request, median of the rounds',
        value: addedMs,
        unit: 'ms',
        limit: LIMIT_ADDED_MS,
        limitLabel: 'budget',
        ratio: addedMs / LIMIT_ADDED_MS,
        target: `≤ ${LIMIT_ADDED_MS} ms`,
        pass: addedMs <= LIMIT_ADDED_MS,
      },
      { figure: 'one-row query outside a row scope (login role)', value: queryOff, unit: 'µs' },
      { figure: 'one-row query inside a row scope (SET ROLE + settings, RESET on release)', value: queryOn, unit: 'µs', limit: queryOff, limitLabel: 'outside', ratio: queryOn / queryOff },
    ];
  } finally {
    for (const app of apps) await app.close();
    await scratch.close();
  }
}
