import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../src/access/actor.js';
import { rowScopeOf } from '../src/access/row-scope.js';
import { APP_ROLE, runInRowScope, type RowScope } from '../src/db/row-security.js';
import { findManageableOfficials } from '../src/queries/directory.js';
import { findCases } from '../src/queries/find-cases.js';
import { caseSearchWhere, officialNameContains, officialNameOccursIn } from '../src/queries/text-search.js';
import { knownNamesIn } from '../src/typical/facts.js';
import { useTestDatabase } from './helpers/db.js';

/**
 * Chinese name and text search backed by the character n-gram indexes (migration 0017, src/queries/text-search.ts):
 * the answers are exactly those of a substring match — what `LIKE '%q%'` with %, _ and \ escaped gave before, the
 * same code points, case-sensitive, no normalization — on names and titles chosen to break a tokenizer; and with
 * enough rows the planner reads the indexes, not every official or case.
 */

const NAMES = [
  '王', '王明', '王明明', '王晓明', '明王', '欧阳娜娜', '王𠀀𪚥', '𠀀', '𪚥王', '阿依古丽·买买提', '阿依古丽・买买提', '阿依古丽•买买提',
  '张ＡＢ　三', '张AB三', 'Li Wei李伟', 'li wei', 'LI WEI', 'ABC123', '王_明', '王%明', '王\\明', "O'Brien", 'a&b|c!d', '李\u200B四',
  'José·马', 'Jose\u0301·马', '⼈民', '人民', '1', '12', '２０２４',
];
/** Case titles, one per name (cycled): the case list matches the official's name or the title. */
const TITLES = [
  '关于王明的问题', '100%完成率问题', 'a_b测试问题', '反斜杠\\问题', '审批把关不严问题', 'Title With Case', '𠀀𪚥事项', "引号'问题", '资金拨付进度滞后',
  '在老旧小区综合整治中验收把关不严问题', '政务服务“一网通办”改革', '（全角括号）问题', 'tab\there', '多 空格  问题',
];
const QUERIES = [
  // one character, two, three and more
  '王', '明', '李', '题', 'a', 'A', '1', '2', '%', '_', '\\', "'", '&', '|', '!', ':', '*', ' ', '　', '·', '・', '•', '𠀀', '𪚥', '\u200B', '\u0301',
  '王明', '明王', '明明', '王_', '_明', '王%', '%明', '\\明', '王\\', 'AB', 'ab', 'Ab', 'ＡＢ', 'Li', 'li', 'LI', 'Wei', '12', '２０', '𠀀𪚥', '王𠀀', '·买',
  '・买', "O'", "'B", 'a&', '|c', '人民', '⼈民', '问题', '把关', '“一', '（全', 'b测', '0%', '%完', '\\问',
  '王晓明', '王明明', '王_明', '王%明', '王\\明', '王𠀀𪚥', '阿依古丽·买买提', 'Li Wei李伟', 'li wei', 'José', 'Jose\u0301', 'ABC123', "O'Brien",
  'a&b|c!d', '李\u200B四', '张ＡＢ　三', '审批把关不严', 'Title With Case', 'title with case', 'tab\there', '多 空格  问题', '验收把关不严问题',
  // longer than every name, and absent
  '阿依古丽·买买提阿依古丽·买买提', '王明明明', '不存在', '𠀁', '%%', '__', '\\\\', "''", '  ',
];

describe('Chinese search', () => {
  const test = useTestDatabase();
  let actor: Actor;
  let scope: RowScope;
  let narrowActor: Actor;
  let narrowScope: RowScope;
  const rows: { caseId: string; name: string; title: string; near: boolean }[] = [];

  async function setUp() {
    const db = test.current.db;
    const org = async (name: string, parent: string | null) =>
      (await sql<{ id: string }>`INSERT INTO organizations (parent_id, name, type) VALUES (${parent}, ${name}, 'party-committee') RETURNING id`.execute(db))
        .rows[0]!.id;
    const root = await org('市委', null);
    const near = await org('东城区委', root);
    const far = await org('西城区委', root);
    const user = async (username: string, at: string) => {
      const id = (await sql<{ id: string }>`INSERT INTO users (username, password_hash, display_name) VALUES (${username}, 'x', ${username}) RETURNING id`.execute(db))
        .rows[0]!.id;
      await sql`INSERT INTO user_roles (user_id, role, organization_id) VALUES (${id}, 'handler', ${at})`.execute(db);
      const a: Actor = { userId: id, username, displayName: username, officialId: null, roles: [{ role: 'handler', organizationId: at }] };
      return a;
    };
    actor = await user('city', root);
    narrowActor = await user('near', near);
    for (const [i, name] of NAMES.entries()) {
      const organ = i % 2 === 0 ? near : far;
      const official = (
        await sql<{ id: string }>`INSERT INTO officials (name, organization_id, position, rank, category, managing_org_id)
          VALUES (${name}, ${organ}, '科长', 'section-principal', 'government', ${organ}) RETURNING id`.execute(db)
      ).rows[0]!.id;
      const title = TITLES[i % TITLES.length]!;
      const caseId = (
        await sql<{ id: string }>`INSERT INTO cases (official_id, organ_id, title, description, state, policy_id, policy_version, opened_by, opened_at, updated_at)
          VALUES (${official}, ${organ}, ${title}, '事实', 'investigating', 'p', '1', ${actor.userId}, now() - ${`${i} minutes`}::interval, now()) RETURNING id`.execute(db)
      ).rows[0]!.id;
      rows.push({ caseId, name, title, near: organ === near });
    }
    scope = await rowScopeOf(db, actor);
    narrowScope = await rowScopeOf(db, narrowActor);
  }

  it('finds exactly the officials and cases whose name or title contains the query, as LIKE does', async () => {
    await setUp();
    const db = test.current.db;
    for (const q of QUERIES) {
      const expectedCases = rows.filter((r) => r.name.includes(q) || r.title.includes(q)).map((r) => r.caseId).sort();
      const found = await runInRowScope(scope, () => findCases(db, actor, { q, limit: 100 }));
      expect(found.data.map((c) => c.id).sort(), `cases for ${JSON.stringify(q)}`).toEqual(expectedCases);
      expect(found.total).toBe(expectedCases.length);

      const expectedNames = NAMES.filter((n) => n.includes(q)).sort();
      const officials = await runInRowScope(scope, () => findManageableOfficials(db, actor, q, 100));
      expect(officials.map((o) => o.name).sort(), `officials for ${JSON.stringify(q)}`).toEqual(expectedNames);

      // The same as the plain LIKE the search used before the index (read as the owner).
      const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const like = await sql<{ name: string }>`SELECT name FROM officials WHERE name LIKE ${pattern}`.execute(db);
      expect(like.rows.map((r) => r.name).sort()).toEqual(expectedNames);
    }
    // Every query above found something or nothing for the right reason: some find nothing at all.
    expect(QUERIES.filter((q) => !NAMES.some((n) => n.includes(q)) && !TITLES.some((t) => t.includes(q))).length).toBeGreaterThan(3);
  });

  it('finds exactly the known names that occur in a text (the typical-case check), as strpos does', async () => {
    const db = test.current.db;
    const texts = [
      ...NAMES.map((n) => `据反映，${n}在工作中出现失误`),
      NAMES.join(''),
      "王明明和欧阳娜娜、O'Brien与a&b|c!d；阿依古丽・买买提，Jose\u0301·马",
      '王', '无关的文字', '明王明', '王\\明', '%_',
    ];
    for (const text of texts) {
      const expected = [...new Set(NAMES.filter((n) => [...n].length >= 2 && text.includes(n)))].sort();
      expect(await knownNamesIn(db, text), JSON.stringify(text)).toEqual(expected);
    }
  });

  it('keeps to the wall: a narrower user finds only the cases of their jurisdiction, and so does the title function', async () => {
    const db = test.current.db;
    for (const q of ['问题', '王', '审批把关不严', '%', '𠀀𪚥']) {
      const expected = rows.filter((r) => r.near && (r.name.includes(q) || r.title.includes(q))).map((r) => r.caseId).sort();
      const found = await runInRowScope(narrowScope, () => findCases(db, narrowActor, { q, limit: 100 }));
      expect(found.data.map((c) => c.id).sort(), JSON.stringify(q)).toEqual(expected);
      // Called directly by a request, the owner's function still returns only what the wall lets through.
      const direct = await runInRowScope(narrowScope, () => sql<{ id: string }>`SELECT rongcuo_case_ids_titled(${q}) AS id`.execute(db));
      expect(direct.rows.map((r) => r.id).sort()).toEqual(rows.filter((r) => r.near && r.title.includes(q)).map((r) => r.caseId).sort());
      // With no jurisdiction set, nothing (fail closed, as the policies are).
      const client = await test.current.pool.connect();
      try {
        await client.query(`SET ROLE ${APP_ROLE}`);
        expect((await client.query('SELECT rongcuo_case_ids_titled($1)', [q])).rowCount).toBe(0);
      } finally {
        await client.query('RESET ROLE');
        client.release();
      }
    }
  });

  it('reads the n-gram indexes, not every official or case, once there are many', async () => {
    const db = test.current.db;
    const organ = (await sql<{ id: string }>`SELECT id FROM organizations WHERE parent_id IS NULL`.execute(db)).rows[0]!.id;
    // 50,000 officials with made-up names from a pool of common characters, one case each.
    await sql`
      INSERT INTO officials (name, organization_id, position, rank, category, managing_org_id)
      SELECT substr('王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高', 1 + i % 20, 1)
             || substr('伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚', 1 + (i / 20) % 23, 1)
             || substr('华玉萍红娥玲芬燕彩春菊辉鹏斌国志海晓文建', 1 + (i / 460) % 22, 1),
             ${organ}, '科员', 'staff', 'government', ${organ}
      FROM generate_series(1, 50000) AS i`.execute(db);
    await sql`
      INSERT INTO cases (official_id, organ_id, title, description, state, policy_id, policy_version, opened_by, opened_at, updated_at)
      SELECT o.id, ${organ}, '第' || row_number() OVER () || '号' || substr('审批资金验收合同监管决策', 1 + (row_number() OVER ())::int % 12, 2) || '问题',
             '事实', 'investigating', 'p', '1', ${actor.userId}, now(), now()
      FROM officials o WHERE o.position = '科员'`.execute(db);
    await sql`ANALYZE officials`.execute(db);
    await sql`ANALYZE cases`.execute(db);

    const plan = async (query: { sql: string; parameters: readonly unknown[] }, asOwner = false) => {
      const client = await test.current.pool.connect();
      try {
        if (!asOwner) await client.query(`SET ROLE ${APP_ROLE}; SET rongcuo.case_organs = '${scope.caseOrgans.join(',')}'`);
        const { rows: lines } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (COSTS OFF) ${query.sql}`, [...query.parameters]);
        return lines.map((l) => l['QUERY PLAN']).join('\n');
      } finally {
        await client.query('RESET ROLE; RESET rongcuo.case_organs');
        client.release();
      }
    };
    for (const q of ['王芳华', '芳华', '赵']) {
      // The directory's name search.
      const directory = await plan(db.selectFrom('officials').select('id').where(officialNameContains(q)).compile());
      expect(directory, q).toMatch(/Bitmap Index Scan on officials_name_ngrams_idx/);
      expect(directory, q).not.toMatch(/Seq Scan on officials/);
      // The case list's search, as a request: driven by the matching officials and the title function's ids.
      const list = await plan(
        db
          .selectFrom('cases')
          .innerJoin('officials', 'officials.id', 'cases.official_id')
          .where(caseSearchWhere(q))
          .select((eb) => eb.fn.countAll().as('n'))
          .compile(),
      );
      expect(list, q).toMatch(/Bitmap Index Scan on officials_name_ngrams_idx/);
      expect(list, q).not.toMatch(/Seq Scan on (officials|cases)\b/);
    }
    // The names occurring in a typical case's text.
    const reverse = await plan(db.selectFrom('officials').select('name').where(officialNameOccursIn('据反映，王芳华在河道清淤工作中出现失误')).compile());
    expect(reverse).toMatch(/Bitmap Index Scan on officials_name_ngrams_idx/);
    expect(reverse).not.toMatch(/Seq Scan on officials/);
    // The title search inside rongcuo_case_ids_titled, as its owner runs it.
    for (const q of ['号审批', '审批']) {
      const titles = await plan(
        sql`SELECT id FROM cases WHERE rongcuo_ngrams(title) @@ rongcuo_ngrams_query(${q}) AND title LIKE ${`%${q}%`}`.compile(db),
        true,
      );
      expect(titles, q).toMatch(/Bitmap Index Scan on cases_title_ngrams_idx/);
    }
  });
});
