import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from './helpers/app.js';
import { useTestDatabase } from './helpers/db.js';
import { buildWorld, type World } from './helpers/world.js';

/**
 * The jurisdiction matrix of security.md's "Faults" table: every user of the world (roles × their relation to a
 * case) against three cases (objects) and four actions — open the page, read its evidence, find it in the list and
 * its total, and conduct it (record an opinion) — compared with an oracle written here from domain.md (R14, the
 * roles table), independently of src/access. Figures: unexpected allows 0, out-of-scope rows in lists and counts 0;
 * and no expected allow refused either.
 */

type CaseKey = 'dongcheng' | 'dongchengSenior' | 'xicheng';
type UserKey = Exclude<keyof World['users'], 'members'> | 'member';

interface Expected {
  /** The cases the user may see: page, evidence, list and total. */
  sees: readonly CaseKey[];
  /** The cases the user conducts (records evidence and opinions): only handlers of the deciding organ. */
  conducts: readonly CaseKey[];
}

const DONGCHENG: readonly CaseKey[] = ['dongcheng', 'dongchengSenior'];
const ALL: readonly CaseKey[] = ['dongcheng', 'dongchengSenior', 'xicheng'];
const NONE: readonly CaseKey[] = [];

/**
 * The oracle. 东城 and 西城 commissions each manage their district's officials (the world's bureaus); the
 * municipal commission is their superior; the committee sits above all.
 */
const ORACLE: Record<UserKey, Expected> = {
  // Art. 6, 11 (R14): the organ that handles the accountability decides tolerance; its handlers conduct its cases.
  handler: { sees: DONGCHENG, conducts: DONGCHENG },
  handler2: { sees: DONGCHENG, conducts: DONGCHENG },
  xcHandler: { sees: ['xicheng'], conducts: ['xicheng'] },
  // A superior organ has management authority over the same officials: it sees, it does not conduct.
  cityHandler: { sees: ALL, conducts: NONE },
  // Art. 13 ¶2: the higher authority approves decisions of the organs below it.
  approver: { sees: ALL, conducts: NONE },
  // Art. 18, 20: supervision of how tolerance is used, across the organs below.
  supervisor: { sees: ALL, conducts: NONE },
  // Art. 11 ¶2, 15: the party organization of the official's unit (the 东城 bureau) follows its officials' cases.
  partyOrg: { sees: DONGCHENG, conducts: NONE },
  // Art. 12 ¶2: an expert sees only a case they are invited to — none here.
  expert: { sees: NONE, conducts: NONE },
  // Art. 17, 19, 20: follow-up and assessment work from decisions, not from the case files.
  orgDept: { sees: NONE, conducts: NONE },
  // The three administrators never read case content (三权分立).
  admin: { sees: NONE, conducts: NONE },
  securityAdmin: { sees: NONE, conducts: NONE },
  auditAdmin: { sees: NONE, conducts: NONE },
  // The official sees their own case, not a colleague's.
  official: { sees: ['dongcheng'], conducts: NONE },
  // Art. 13: the deciding organ's collective body deliberates its cases; it does not investigate them.
  member: { sees: DONGCHENG, conducts: NONE },
};

describe('jurisdiction matrix against an oracle (roles × relation × case × action)', () => {
  const database = useTestDatabase();
  let app: FastifyInstance;
  let world: World;
  const cases = {} as Record<CaseKey, { id: string; version: number }>;
  const users = (): [UserKey, { username: string; password: string }][] => [
    ...(Object.entries(world.users).filter(([key]) => key !== 'members') as [UserKey, { username: string; password: string }][]),
    ['member', world.users.members[0]!],
  ];

  beforeAll(async () => {
    app = await buildTestApp(database.current.db);
    world = await buildWorld(database.current.db, app);
    const open = async (user: { username: string; password: string }, officialId: string, title: string) => {
      const response = await (await world.signIn(user)).inject({ method: 'POST', url: '/api/v1/cases', payload: { officialId, title, description: '矩阵测试的案件。' } });
      expect(response.statusCode, response.body).toBe(201);
      const body = response.json() as { data: { id: string }; version: number };
      return { id: body.data.id, version: body.version };
    };
    cases.dongcheng = await open(world.users.handler, world.officials.official, '东城案件（本人）');
    cases.dongchengSenior = await open(world.users.handler, world.officials.seniorOfficial, '东城案件（同单位另一干部）');
    cases.xicheng = await open(world.users.xcHandler, world.officials.xichengOfficial, '西城案件');
  });
  afterAll(() => app.close());

  it('lets each user see exactly the oracle’s cases: pages, evidence, lists and totals', async () => {
    const unexpected: string[] = [];
    for (const [key, user] of users()) {
      const session = await world.signIn(user);
      const expected = ORACLE[key];
      for (const caseKey of Object.keys(cases) as CaseKey[]) {
        const may = expected.sees.includes(caseKey);
        for (const path of ['', '/evidence']) {
          const response = await session.inject({ method: 'GET', url: `/api/v1/cases/${cases[caseKey].id}${path}` });
          // Outside one's jurisdiction a case does not exist (404), never a 403 that would confirm it.
          if (response.statusCode !== (may ? 200 : 404)) unexpected.push(`${key} GET ${caseKey}${path}: ${response.statusCode}, oracle ${may ? 200 : 404}`);
        }
      }
      const list = await session.inject({ method: 'GET', url: '/api/v1/cases?limit=100' });
      const wantIds = expected.sees.map((c) => cases[c].id).sort();
      if (list.statusCode === 200) {
        const body = list.json() as { data: { id: string }[]; total: number };
        const ids = body.data.map((c) => c.id).sort();
        if (JSON.stringify(ids) !== JSON.stringify(wantIds)) unexpected.push(`${key} list: ${ids.length} rows, oracle ${wantIds.length}`);
        if (body.total !== wantIds.length) unexpected.push(`${key} total: ${body.total}, oracle ${wantIds.length}`);
      } else if (wantIds.length > 0 || list.statusCode !== 403) {
        // A role without any case may be refused the list outright; one with cases must get it.
        unexpected.push(`${key} list: ${list.statusCode}`);
      }
    }
    expect(unexpected).toEqual([]);
  });

  it('lets only the deciding organ’s handlers conduct a case; the others are refused and nothing changes', async () => {
    const unexpected: string[] = [];
    // The refusals first, on unchanged versions; then the handlers, each on the version the last one left.
    const ordered = users().sort(([a], [b]) => Number(ORACLE[a].conducts.length > 0) - Number(ORACLE[b].conducts.length > 0));
    for (const [key, user] of ordered) {
      const session = await world.signIn(user);
      for (const caseKey of Object.keys(cases) as CaseKey[]) {
        const kase = cases[caseKey];
        const before = await database.current.db.selectFrom('opinions').select('id').where('case_id', '=', kase.id).execute();
        const response = await session.inject({
          method: 'POST',
          url: `/api/v1/cases/${kase.id}/opinions`,
          payload: { version: kase.version, kind: 'unit', source: `矩阵-${key}`, content: '矩阵测试的意见。' },
        });
        const may = ORACLE[key].conducts.includes(caseKey);
        const want = may ? 200 : ORACLE[key].sees.includes(caseKey) ? 403 : 404;
        if (response.statusCode !== want) unexpected.push(`${key} POST opinion ${caseKey}: ${response.statusCode}, oracle ${want}`);
        const after = await database.current.db.selectFrom('opinions').select('id').where('case_id', '=', kase.id).execute();
        if (response.statusCode === 200) kase.version = (response.json() as { version: number }).version;
        if (after.length !== before.length + (response.statusCode === 200 ? 1 : 0)) unexpected.push(`${key} POST opinion ${caseKey}: ${after.length - before.length} rows written`);
      }
    }
    expect(unexpected).toEqual([]);
    // The three handlers' opinions, and only theirs, are on the cases.
    const written = await database.current.db.selectFrom('opinions').select(['case_id', 'source']).execute();
    expect(written.map((o) => o.source).sort()).toEqual(['矩阵-handler', '矩阵-handler', '矩阵-handler2', '矩阵-handler2', '矩阵-xcHandler'].sort());
  });
});
