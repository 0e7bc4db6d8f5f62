import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvent } from '../src/audit/chain.js';
import { chainQueuedEvents, withRequestEventQueue } from '../src/audit/event-queue.js';
import { verifyChain } from '../src/audit/verify.js';
import { systemClock } from '../src/clock.js';
import { connectDatabase } from '../src/db/connect.js';
import { DEMO_PASSWORD, seedDemo } from '../src/db/seed-demo.js';
import { buildTestApp, signInAs, tempFileStore, TEST_CRYPTO, type SignedIn } from './helpers/app.js';
import { useTestDatabase } from './helpers/db.js';
import type { FastifyInstance } from 'fastify';

/**
 * The group commit of writes (src/audit/event-queue.ts, migration 0019): a request's command puts its event in
 * the queue in its own transaction, and the request answers only once the event is in the chain. Concurrent
 * commands commit side by side; what the chain holds and what verification checks do not change.
 */
describe('the event queue', () => {
  const database = useTestDatabase();
  let app: FastifyInstance;
  let handler: SignedIn;

  beforeAll(async () => {
    const files = await tempFileStore();
    await seedDemo(database.current.db, systemClock, files, TEST_CRYPTO);
    app = await buildTestApp(database.current.db, systemClock, { files });
    handler = await signInAs(app, { username: 'jiwei', password: DEMO_PASSWORD });
  });
  afterAll(async () => {
    await app?.close();
  });

  const queued = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM event_queue`.execute(database.current.db)).rows[0]!.n);

  it('chains every command event before its answer leaves, for 16 commands at once, and leaves the chain whole', async () => {
    const officials = (await handler.inject({ method: 'GET', url: '/api/v1/officials?limit=16' })).json() as { data: { id: string }[] };
    const cases = await Promise.all(
      Array.from({ length: 16 }, async (_, i) => {
        const opened = await handler.inject({ method: 'POST', url: '/api/v1/cases', payload: { officialId: officials.data[i % officials.data.length]!.id, title: `并发案件${i}`, description: '用于检验事件队列。' } });
        expect(opened.statusCode, opened.body).toBe(201);
        return opened.json() as { data: { id: string }; version: number };
      }),
    );
    const before = await verifyChain(database.current.db);
    await Promise.all(
      cases.map(async (kase) => {
        const reply = await handler.inject({ method: 'POST', url: `/api/v1/cases/${kase.data.id}/opinions`, payload: { version: kase.version, kind: 'unit', source: '某单位', content: '该同志一贯表现良好。' } });
        expect(reply.statusCode, reply.body).toBe(200);
        // Answered: its event is in the chain already, not waiting in the queue.
        const events = await database.current.db.selectFrom('events').select('type').where('case_id', '=', kase.data.id).where('type', '=', 'case.opinion-recorded').execute();
        expect(events).toHaveLength(1);
      }),
    );
    expect(await queued()).toBe(0);
    const after = await verifyChain(database.current.db);
    expect(after.ok).toBe(true);
    // 16 opinions and at least the 16 reads' access events on top of what was there.
    expect(after.checked).toBeGreaterThanOrEqual(before.checked + 16);
  });

  it('keeps an event of a command that committed, if the server stopped before chaining it, and chains it at the next start; a rolled-back one leaves nothing', async () => {
    const db = database.current.db;
    // As inside a request whose server is killed right after the commit: the event waits in the queue.
    await withRequestEventQueue({ queued: false }, () => db.transaction().execute((tx) => appendEvent(tx, { type: 'policy.assessed', actor: 'cli', payload: { drill: 'killed' } })));
    await withRequestEventQueue({ queued: false }, () =>
      db
        .transaction()
        .execute(async (tx) => {
          await appendEvent(tx, { type: 'policy.assessed', actor: 'cli', payload: { drill: 'rolled-back' } });
          throw new Error('the command failed after appending');
        })
        .catch(() => undefined),
    );
    expect(await queued()).toBe(1);
    const inChain = (drill: string) => db.selectFrom('events').select('seq').where(sql<boolean>`payload->>'drill' = ${drill}`).execute();
    expect(await inChain('killed')).toHaveLength(0);
    // What the server runs before it listens.
    expect(await chainQueuedEvents(db)).toBe(1);
    expect(await inChain('killed')).toHaveLength(1);
    expect(await inChain('rolled-back')).toHaveLength(0);
    expect((await verifyChain(db)).ok).toBe(true);
  });

  it('two servers chaining the same queue at the same moment chain each event once, in queue order', async () => {
    const db = database.current.db;
    const marks = Array.from({ length: 1200 }, (_, i) => i);
    await withRequestEventQueue({ queued: false }, () =>
      db.transaction().execute(async (tx) => {
        for (const mark of marks) await appendEvent(tx, { type: 'policy.assessed', actor: 'cli', payload: { mark } });
      }),
    );
    const second = connectDatabase(database.current.url);
    try {
      const [a, b] = await Promise.all([chainQueuedEvents(db), chainQueuedEvents(second.db)]);
      expect(a + b).toBe(marks.length);
    } finally {
      await second.close();
    }
    expect(await queued()).toBe(0);
    const chained = await db.selectFrom('events').select(sql<number>`(payload->>'mark')::int`.as('mark')).where(sql<boolean>`payload ? 'mark'`).orderBy('seq').execute();
    expect(chained.map((r) => r.mark)).toEqual(marks);
    expect((await verifyChain(db)).ok).toBe(true);
  });
});
