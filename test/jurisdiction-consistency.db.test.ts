import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from './helpers/app.js';
import { useTestDatabase } from './helpers/db.js';
import { createUser } from './helpers/factories.js';
import { buildWorld, type World } from './helpers/world.js';

/**
 * The list filter and the single-case check come from the same module; this proves they agree for every user
 * of the world: a case is in someone's list exactly when its page opens for them.
 */
describe('jurisdiction: lists and pages agree for every role', () => {
  const database = useTestDatabase();
  let app: FastifyInstance;
  let world: World;
  const caseIds: string[] = [];
  beforeAll(async () => {
    app = await buildTestApp(database.current.db);
    world = await buildWorld(database.current.db, app);
    const dongcheng = await world.signIn(world.users.handler);
    const xicheng = await world.signIn(world.users.xcHandler);
    const city = await world.signIn(world.users.cityHandler);
    const open = async (session: typeof dongcheng, officialId: string, title: string) => {
      const response = await session.inject({ method: 'POST', url: '/api/v1/cases', payload: { officialId, title, description: '问题描述' } });
      expect(response.statusCode, response.body).toBe(201);
      return (response.json() as { data: { id: string; version: number } }).data;
    };
    const a = await open(dongcheng, world.officials.official, '东城案件');
    caseIds.push(a.id);
    caseIds.push((await open(xicheng, world.officials.xichengOfficial, '西城案件')).id);
    caseIds.push((await open(city, world.officials.seniorOfficial, '市纪委直接办理的案件')).id);
    // The expert is invited on the 东城 case only.
    await dongcheng.inject({ method: 'POST', url: `/api/v1/cases/${a.id}/professional`, payload: { version: a.version, professional: true } });
    const invited = await dongcheng.inject({ method: 'POST', url: `/api/v1/cases/${a.id}/experts`, payload: { version: a.version + 1, expertId: world.users.expert.id, question: '技术问题？' } });
    expect(invited.statusCode, invited.body).toBe(200);
  });
  afterAll(() => app.close());

  it('for each user, the cases listed are exactly those whose page opens', async () => {
    const { users } = world;
    const everyone = { ...users, members: undefined, member: users.members[0]! };
    const expected: Record<string, string[]> = {
      handler: ['东城案件'],
      handler2: ['东城案件'],
      xcHandler: ['西城案件'],
      cityHandler: ['东城案件', '西城案件', '市纪委直接办理的案件'],
      approver: ['东城案件', '西城案件'],
      supervisor: ['东城案件', '西城案件', '市纪委直接办理的案件'],
      partyOrg: ['东城案件', '市纪委直接办理的案件'],
      expert: ['东城案件'],
      orgDept: [],
      admin: [],
      securityAdmin: [],
      auditAdmin: [],
      official: ['东城案件'],
      member: ['东城案件'],
    };
    for (const [name, user] of Object.entries(everyone)) {
      if (!user || Array.isArray(user)) continue;
      const session = await world.signIn(user as { username: string; password: string });
      const list = (await session.inject({ method: 'GET', url: '/api/v1/cases?limit=100' })).json() as { data: { id: string; title: string }[]; total: number };
      expect(list.data.map((c) => c.title).sort(), name).toEqual([...expected[name]!].sort());
      expect(list.total, name).toBe(list.data.length);
      for (const id of caseIds) {
        const page = await session.inject({ method: 'GET', url: `/api/v1/cases/${id}` });
        const listed = list.data.some((c) => c.id === id);
        expect(page.statusCode, `${name} GET ${id}`).toBe(listed ? 200 : 404);
        if (!listed) expect(page.body).not.toContain('案件"');
      }
    }
  });

  it('an approver at both the deciding organ and a superior one sees the case in the list and on its page', async () => {
    const twoLevels = await createUser(database.current.db, {
      roles: [
        { role: 'approver', organizationId: world.orgs.dongcheng.id },
        { role: 'approver', organizationId: world.orgs.commission.id },
      ],
    });
    const session = await world.signIn(twoLevels);
    const list = (await session.inject({ method: 'GET', url: '/api/v1/cases?limit=100' })).json() as { data: { id: string; title: string }[] };
    expect(list.data.map((c) => c.title).sort()).toEqual(['东城案件', '西城案件']);
    for (const c of list.data) expect((await session.inject({ method: 'GET', url: `/api/v1/cases/${c.id}` })).statusCode).toBe(200);
  });

  it('paginates with a cursor and filters by state and text', async () => {
    const city = await world.signIn(world.users.cityHandler);
    const first = (await city.inject({ method: 'GET', url: '/api/v1/cases?limit=2' })).json() as { data: { id: string }[]; nextCursor: string; total: number };
    expect(first.data).toHaveLength(2);
    expect(first.total).toBe(3);
    const second = (await city.inject({ method: 'GET', url: `/api/v1/cases?limit=2&cursor=${first.nextCursor}` })).json() as { data: { id: string }[]; nextCursor: string | null };
    expect(second.data).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect(new Set([...first.data, ...second.data].map((c) => c.id)).size).toBe(3);

    const byName = (await city.inject({ method: 'GET', url: `/api/v1/cases?q=${encodeURIComponent('王芳')}` })).json() as { data: { title: string }[] };
    expect(byName.data.map((c) => c.title)).toEqual(['西城案件']);
    const byState = (await city.inject({ method: 'GET', url: '/api/v1/cases?state=decided,closed' })).json() as { total: number };
    expect(byState.total).toBe(0);
    const byOrgan = (await city.inject({ method: 'GET', url: `/api/v1/cases?organId=${world.orgs.xicheng.id}` })).json() as { data: { title: string }[] };
    expect(byOrgan.data.map((c) => c.title)).toEqual(['西城案件']);

    // The Art. 8 situation of the current assessment.
    const all = (await city.inject({ method: 'GET', url: '/api/v1/cases?limit=10' })).json() as { data: { id: string; title: string; version: number }[] };
    const target = all.data.find((c) => c.title === '西城案件')!;
    const xicheng = await world.signIn(world.users.xcHandler);
    const assessed = await xicheng.inject({ method: 'POST', url: `/api/v1/cases/${target.id}/assessment`, payload: { version: target.version, input: { situations: ['emergency'] } } });
    expect(assessed.statusCode, assessed.body).toBe(200);
    const bySituation = (await city.inject({ method: 'GET', url: '/api/v1/cases?situation=emergency' })).json() as { data: { title: string }[] };
    expect(bySituation.data.map((c) => c.title)).toEqual(['西城案件']);
    expect(((await city.inject({ method: 'GET', url: '/api/v1/cases?situation=reform-pilot' })).json() as { total: number }).total).toBe(0);

    const badState = await city.inject({ method: 'GET', url: '/api/v1/cases?state=archived' });
    expect(badState.statusCode).toBe(400);
    expect(badState.json()).toMatchObject({ code: 'INVALID_INPUT' });
    expect(badState.json().key).toContain('state');
    const badCursor = await city.inject({ method: 'GET', url: '/api/v1/cases?cursor=nonsense' });
    expect(badCursor.json()).toMatchObject({ code: 'INVALID_INPUT', key: 'cursor' });
  });
});
