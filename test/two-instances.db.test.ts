import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../src/audit/verify.js';
import { connectDatabase, type DatabaseHandle } from '../src/db/connect.js';
import { buildTestApp } from './helpers/app.js';
import { completeSignIn, httpTransport } from './helpers/identity.js';
import { replayCase } from './helpers/case-history.js';
import { useTestDatabase } from './helpers/db.js';
import { ASSESSMENTS, DECISIONS, deliberationBody, driveTo, EXPLANATIONS, Harness, type CaseFlow, type UserKey } from './rules/steps.js';

/**
 * Two server instances on one PostgreSQL (Faults: "concurrent conflicting updates, 2/8/32 clients"): each with
 * its own connection pool, listening on its own loopback port, as two processes behind a load balancer would.
 * Many clients send conflicting commands on the same case version, spread over both: exactly one wins, every other
 * gets 409, no acknowledged write is lost, no case takes an illegal step, and the audit chain stays one line.
 */
describe('two instances on one database, conflicting writes', () => {
  const database = useTestDatabase();
  const h = new Harness('2026-03-02T01:00:00Z');
  let second: DatabaseHandle;
  const instances: { app: FastifyInstance; url: string }[] = [];
  const touched = new Set<string>();

  beforeAll(async () => {
    await h.start(database.current.db);
    second = connectDatabase(database.current.url);
    for (const db of [database.current.db, second.db]) {
      // A high request limit (buildTestApp's): the clients of this test all come from 127.0.0.1.
      const app = await buildTestApp(db, h.clock);
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      instances.push({ app, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` });
    }
  });
  afterAll(async () => {
    for (const { app } of instances) await app.close();
    await second?.close();
    await h.stop();
  });

  /** A Cookie header (name=value) for this world user, from a sign-in on instance A (sessions live in the database: B honours it). */
  const cookies = new Map<UserKey, string>();
  async function cookieOf(user: UserKey): Promise<string> {
    if (!cookies.has(user)) {
      // The whole sign-in (password, authenticator, the required password change), by the test helpers.
      const transport = httpTransport(instances[0]!.url);
      await completeSignIn(transport, { username: h.world.users[user].username, password: h.world.users[user].password });
      cookies.set(user, `${transport.cookie!.name}=${transport.cookie!.value}`);
    }
    return cookies.get(user)!;
  }

  interface Sent {
    status: number;
    body: { version?: number; code?: string };
    instance: number;
    index: number;
  }

  /** Sends all requests at once (client i to instance i % 2) and returns what each got. */
  async function race(requests: { user: UserKey; url: string; body: Record<string, unknown> }[]): Promise<Sent[]> {
    // One sign-in at a time: two concurrent first sign-ins of one account would enrol two authenticators.
    const prepared: ((typeof requests)[number] & { cookie: string })[] = [];
    for (const r of requests) prepared.push({ ...r, cookie: await cookieOf(r.user) });
    return Promise.all(
      prepared.map(async (r, index) => {
        const instance = index % 2;
        const response = await fetch(`${instances[instance]!.url}${r.url}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: r.cookie },
          body: JSON.stringify(r.body),
        });
        return { status: response.status, body: (await response.json()) as Sent['body'], instance, index };
      }),
    );
  }

  function expectOneWinner(results: Sent[], label: string): Sent {
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200), `${label}: ${statuses.join()}`).toHaveLength(1);
    for (const loser of results.filter((r) => r.status !== 200)) {
      expect(loser.status, label).toBe(409);
      expect(loser.body.code, label).toBe('VERSION_CONFLICT');
    }
    return results.find((r) => r.status === 200)!;
  }

  for (const clients of [2, 8, 32]) {
    it(`${clients} clients on both instances record opinions on the same version: one wins each round, none is lost`, async () => {
      const flow = await driveTo(h, 'opened');
      touched.add(flow.id);
      const acknowledged: string[] = [];
      for (let round = 0; round < 4; round++) {
        const results = await race(
          Array.from({ length: clients }, (_, i) => ({
            user: (i % 2 === 0 ? 'handler' : 'handler2') as UserKey,
            url: flow.url('opinions'),
            body: { version: flow.version, kind: 'unit', source: `单位${round}-${i}`, content: `第${round}轮第${i}个客户端的意见` },
          })),
        );
        const winner = expectOneWinner(results, `${clients} clients, round ${round}`);
        expect(winner.body.version).toBe(flow.version + 1);
        flow.version = winner.body.version!;
        acknowledged.push(`单位${round}-${winner.index}`);
      }
      // Every acknowledged opinion is there, and nothing else: no lost and no phantom write.
      const stored = await h.db.selectFrom('opinions').select('source').where('case_id', '=', flow.id).execute();
      expect(stored.map((o) => o.source).sort()).toEqual([...acknowledged].sort());
      expect((await flow.row()).version).toBe(1 + acknowledged.length);
    });
  }

  it('lets only one of conflicting state changes through, from either instance', async () => {
    // decide vs another deliberation vs an opinion, on a deliberated case.
    for (let i = 0; i < 3; i++) {
      const flow = await driveTo(h, 'deliberated');
      touched.add(flow.id);
      const results = await race([
        { user: 'handler', url: flow.url('decision'), body: { version: flow.version, ...DECISIONS.exempt } },
        { user: 'handler2', url: flow.url('deliberations'), body: { version: flow.version, ...deliberationBody(h, flow) } },
        { user: 'handler2', url: flow.url('opinions'), body: { version: flow.version, kind: 'unit', source: '迟到的意见', content: '迟到的意见' } },
        { user: 'handler2', url: flow.url('decision'), body: { version: flow.version, ...DECISIONS.exempt, toleranceOpinion: '另一位经办人的决定。' } },
      ]);
      const winner = expectOneWinner(results, 'deliberated');
      const row = await flow.row();
      expect(row.state).toBe(winner.index === 0 || winner.index === 3 ? 'decided' : 'deliberated');
      expect(await h.db.selectFrom('decisions').select('id').where('case_id', '=', flow.id).execute()).toHaveLength(winner.index === 0 || winner.index === 3 ? 1 : 0);
    }
    // approve vs return, on a decision awaiting approval.
    for (let i = 0; i < 2; i++) {
      const flow = await driveTo(h, 'awaiting-approval', { proposedOutcome: 'reduced', decision: DECISIONS.sanctioned });
      touched.add(flow.id);
      const results = await race([
        { user: 'approver', url: flow.url('decision/approval'), body: { version: flow.version, approve: true } },
        { user: 'approver', url: flow.url('decision/approval'), body: { version: flow.version, approve: false, note: '请补充材料。' } },
      ]);
      const winner = expectOneWinner(results, 'approval');
      expect((await flow.row()).state).toBe(winner.index === 0 ? 'decided' : 'deliberated');
    }
    // Two services of the same decision, then two appeals of it.
    const flow: CaseFlow = await driveTo(h, 'decided', { assessment: ASSESSMENTS.noSituation });
    touched.add(flow.id);
    expectOneWinner(
      await race([
        { user: 'handler', url: flow.url('service'), body: { version: flow.version, ...EXPLANATIONS } },
        { user: 'handler2', url: flow.url('service'), body: { version: flow.version, ...EXPLANATIONS } },
      ]),
      'service',
    );
    expect(await h.db.selectFrom('services').select('id').where('case_id', '=', flow.id).execute()).toHaveLength(1);
    flow.version += 1;
    expectOneWinner(
      await race(Array.from({ length: 6 }, (_, i) => ({ user: 'official' as UserKey, url: flow.url('appeal'), body: { version: flow.version, grounds: `申诉理由${i}` } }))),
      'appeal',
    );
    expect(await h.db.selectFrom('appeals').select('id').where('case_id', '=', flow.id).execute()).toHaveLength(1);
  });

  it('leaves every case on a legal path, with consecutive versions, and one unbroken audit chain', async () => {
    expect(touched.size).toBeGreaterThan(5);
    for (const caseId of touched) {
      const history = await replayCase(h.db, caseId);
      expect(history.problems, caseId).toEqual([]);
    }
    expect(await verifyChain(h.db)).toMatchObject({ ok: true });
  });
});
