import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, signedInHandler, type SignedIn } from '../../../../test/helpers/app.js';
import { useTestDatabase } from '../../../../test/helpers/db.js';
import { assess } from '../../../policy/index.js';

describe('POST /api/v1/assess', () => {
  const database = useTestDatabase();
  let app: FastifyInstance;
  let handler: SignedIn;
  beforeAll(async () => {
    app = await buildTestApp(database.current.db);
    handler = await signedInHandler(app, database.current.db);
  });
  afterAll(() => app.close());

  it('refuses without a session', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/v1/assess', payload: { situations: ['reform-pilot'] } });
    expect(response.statusCode).toBe(401);
  });

  it('returns exactly what the engine returns, and audits the request', async () => {
    const input = {
      situations: ['reform-pilot'],
      exclusions: { 'political-discipline': false, 'improper-benefit': false, 'grave-consequence': false, 'no-rectification': null },
      factors: { 'motive.purpose': 'public', 'motive.intent': 'inadvertent', 'consequence.loss': 'small', 'remedy.action': 'timely' },
    };
    const response = await handler.inject({ method: 'POST', url: '/api/v1/assess', payload: input });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(JSON.parse(JSON.stringify(assess(input))));
    expect(response.json()).toMatchObject({ recommendation: 'exempt', binding: false, complete: false });
    const event = await database.current.db.selectFrom('events').select(['actor', 'payload']).where('type', '=', 'policy.assessed').executeTakeFirstOrThrow();
    expect(event.actor).toBe(`user:${handler.userId}`);
    expect(event.payload).toEqual({ policy: 'bj-2020', version: '2020-06-28', recommendation: 'exempt', binding: false });
  });

  it('answers bad input with 400 problem details naming the key and the allowed values', async () => {
    const response = await handler.inject({ method: 'POST', url: '/api/v1/assess', payload: { situations: ['reform-pilot', 'moonshot'] } });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ status: 400, code: 'UNKNOWN_SITUATION', key: 'situations[1]' });
    expect(response.json().allowed).toContain('overall-beneficial');
    expect(response.json().title).toMatch(/moonshot/);
  });

  it('lists the policy packs', async () => {
    const response = await handler.inject({ method: 'GET', url: '/api/v1/policies' });
    expect(response.json()).toEqual({
      data: [{ id: 'bj-2020', version: '2020-06-28', title: '关于激励干部担当作为实施容错纠错工作办法（试行）', effectiveFrom: '2020-06-28' }],
    });
  });
});

describe('GET /api/v1/policies/:policyId', () => {
  const database = useTestDatabase();
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp(database.current.db);
  });
  afterAll(() => app.close());

  it('returns the pack with the original words of every article, and 400 naming the allowed ids for an unknown one', async () => {
    const handler = await signedInHandler(app, database.current.db);
    const pack = (await handler.inject({ method: 'GET', url: '/api/v1/policies/bj-2020' })).json() as { data: { articles: { number: string; text: string }[]; situations: unknown[] } };
    expect(pack.data.articles).toHaveLength(22);
    expect(pack.data.articles.find((a) => a.number === '第十条')!.text).toContain('为自己或者他人谋取不正当利益的');
    expect(pack.data.situations).toHaveLength(6);
    const unknown = await handler.inject({ method: 'GET', url: '/api/v1/policies/sh-2030' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'UNKNOWN_POLICY', key: 'policy', allowed: ['bj-2020'] });
  });
});
