import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../src/audit/verify.js';
import { fixedClock } from '../src/clock.js';
import { ephemeralAppCrypto, type AppCrypto } from '../src/crypto/app-crypto.js';
import { demoIdentifiers } from '../src/db/demo/identifiers.js';
import { DEMO_OFFICIALS } from '../src/db/demo/officials.js';
import { DEMO_PASSWORD, seedDemo } from '../src/db/seed-demo.js';
import { idNumberCheckDigit, maskIdNumber, maskPhone, openIdentifier } from '../src/privacy/identifiers.js';
import { buildTestApp, signInAs, tempFileStore, type SignedIn } from './helpers/app.js';
import { useTestDatabase } from './helpers/db.js';

/**
 * Recording and correcting an official's ID number and phone (PUT /api/v1/officials/:officialId/identifiers): the
 * users who may reveal them — and nobody else — set or clear them; the values are checked, sealed before they
 * reach the database, shown masked, and the audit event says which identifiers changed and how, never a value.
 */
describe('entering officials\' identifiers', () => {
  const database = useTestDatabase();
  const clock = fixedClock('2026-07-02T02:00:00Z');
  let app: FastifyInstance;
  let crypto: AppCrypto;
  const sessions = new Map<string, SignedIn>();
  const as = async (username: string) => {
    if (!sessions.has(username)) sessions.set(username, await signInAs(app, { username, password: DEMO_PASSWORD }));
    return sessions.get(username)!;
  };
  // 韩明哲: a 东城 official, managed by the 东城区纪委监委, with a case.
  const HAN = DEMO_OFFICIALS.find((o) => o.key === 'han-mingzhe')!;
  const seeded = demoIdentifiers(HAN);
  let hanId: string;
  let hanCaseId: string;

  const first17 = '11010119850412123';
  const NEW_ID = `${first17}${idNumberCheckDigit(first17)}`;
  const NEW_PHONE = '13900001111';
  const WRONG_CHECK = `${first17}${idNumberCheckDigit(first17) === '0' ? '1' : '0'}`;

  const headSeq = async () => (await database.current.db.selectFrom('chain_head').select('seq').executeTakeFirstOrThrow()).seq;
  const eventsSince = async (seq: string) => database.current.db.selectFrom('events').select(['type', 'actor', 'case_id', 'payload']).where('seq', '>', seq).orderBy('seq').execute();
  const rawRow = () =>
    database.current.db.selectFrom('officials').select(['id_number_sealed', 'id_number_masked', 'phone_sealed', 'phone_masked']).where('id', '=', hanId).executeTakeFirstOrThrow();
  const put = async (username: string, payload: unknown, officialId = hanId) =>
    (await as(username)).inject({ method: 'PUT', url: `/api/v1/officials/${officialId}/identifiers`, payload: payload as Record<string, unknown> });
  const reveal = async (username: string, identifier: 'idNumber' | 'phone') =>
    (await as(username)).inject({ method: 'POST', url: `/api/v1/officials/${hanId}/identifiers/reveal`, payload: { identifier, reason: '核对修改后的号码' } });

  beforeAll(async () => {
    const files = await tempFileStore();
    crypto = ephemeralAppCrypto();
    expect(await seedDemo(database.current.db, clock, files, crypto)).toBe(true);
    app = await buildTestApp(database.current.db, clock, { files, crypto });
    hanId = (await database.current.db.selectFrom('officials').select('id').where('name', '=', HAN.name).executeTakeFirstOrThrow()).id;
    hanCaseId = (await database.current.db.selectFrom('cases').select('id').where('official_id', '=', hanId).executeTakeFirstOrThrow()).id;
  }, 180_000);
  afterAll(async () => {
    await app?.close();
  });

  it('lets a handler of the managing organ correct both, sealed at rest; the reveal and the case then show the new values', async () => {
    await as('dc-jiwei'); // signed in first: a sign-in is an event too
    const before = await headSeq();
    // Written as people type them: grouped with spaces, the check character in lower case.
    const response = await put('dc-jiwei', { idNumber: `${NEW_ID.slice(0, 6)} ${NEW_ID.slice(6, 14)} ${NEW_ID.slice(14).toLowerCase()}`, phone: '139-0000-1111' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ data: { officialId: hanId, identifiers: { idNumber: maskIdNumber(NEW_ID), phone: maskPhone(NEW_PHONE), revealable: true } } });
    expect(response.body).not.toContain(NEW_ID.slice(6, 14));

    const row = await rawRow();
    expect(row.id_number_masked).toBe(maskIdNumber(NEW_ID));
    expect(row.phone_masked).toBe(maskPhone(NEW_PHONE));
    for (const [sealed, value] of [[row.id_number_sealed!, NEW_ID], [row.phone_sealed!, NEW_PHONE]] as const) {
      expect(sealed.includes(Buffer.from(value))).toBe(false);
      expect(sealed.includes(Buffer.from(value.slice(3, 11)))).toBe(false);
    }
    expect(openIdentifier(crypto.secrets, hanId, 'idNumber', row.id_number_sealed!)).toBe(NEW_ID);
    expect(openIdentifier(crypto.secrets, hanId, 'phone', row.phone_sealed!)).toBe(NEW_PHONE);

    const added = await eventsSince(before);
    expect(added.map((e) => e.type)).toEqual(['person.identifiers-changed']);
    expect(added[0]).toMatchObject({ actor: `user:${(await as('dc-jiwei')).userId}`, case_id: null });
    expect(added[0]!.payload).toMatchObject({ officialId: hanId, changed: { idNumber: 'replaced', phone: 'replaced' }, requestId: expect.any(String), clientAddress: expect.any(String) });
    const recorded = JSON.stringify(added[0]!.payload);
    for (const secret of [NEW_ID, NEW_ID.slice(6, 14), NEW_ID.slice(14), NEW_PHONE, NEW_PHONE.slice(7), maskIdNumber(NEW_ID), maskPhone(NEW_PHONE), seeded.idNumber, seeded.phone]) {
      expect(recorded).not.toContain(secret);
    }

    expect(((await reveal('dc-jiwei', 'idNumber')).json() as { data: { plaintext: string } }).data.plaintext).toBe(NEW_ID);
    expect(((await reveal('dc-jiwei', 'phone')).json() as { data: { plaintext: string } }).data.plaintext).toBe(NEW_PHONE);
    const view = await (await as('dc-jiwei')).inject({ method: 'GET', url: `/api/v1/cases/${hanCaseId}` });
    expect((view.json() as { data: { official: { identifiers: unknown } } }).data.official.identifiers).toEqual({ idNumber: maskIdNumber(NEW_ID), phone: maskPhone(NEW_PHONE), revealable: true });
    expect((await verifyChain(database.current.db)).ok).toBe(true);
  });

  it('clears one with null and records it again; the same value again changes and records nothing', async () => {
    let before = await headSeq();
    const cleared = await put('dc-jiwei', { phone: null });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect((cleared.json() as { data: { identifiers: unknown } }).data.identifiers).toEqual({ idNumber: maskIdNumber(NEW_ID), phone: null, revealable: true });
    expect(await rawRow()).toMatchObject({ phone_sealed: null, phone_masked: null, id_number_masked: maskIdNumber(NEW_ID) });
    expect((await reveal('dc-jiwei', 'phone')).statusCode).toBe(404);
    let added = await eventsSince(before);
    expect(added.filter((e) => e.type === 'person.identifiers-changed').map((e) => (e.payload as { changed: unknown }).changed)).toEqual([{ phone: 'cleared' }]);

    // The organization department of the committee manages him too: the same people as for the reveal.
    await as('zuzhibu');
    before = await headSeq();
    const recorded = await put('zuzhibu', { phone: NEW_PHONE, idNumber: NEW_ID });
    expect(recorded.statusCode, recorded.body).toBe(200);
    added = await eventsSince(before);
    expect(added.map((e) => [e.type, (e.payload as { changed?: unknown }).changed])).toEqual([['person.identifiers-changed', { phone: 'recorded' }]]);
    expect(openIdentifier(crypto.secrets, hanId, 'phone', (await rawRow()).phone_sealed!)).toBe(NEW_PHONE);

    before = await headSeq();
    const rowBefore = await rawRow();
    const same = await put('dc-jiwei', { idNumber: NEW_ID, phone: NEW_PHONE });
    expect(same.statusCode, same.body).toBe(200);
    expect(await eventsSince(before)).toEqual([]);
    expect(await rawRow()).toEqual(rowBefore);
  });

  it('answers 404 — recorded as a refusal — to anyone who may not reveal them, and changes nothing', async () => {
    const rowBefore = await rawRow();
    const missing = await put('xc-jiwei', { phone: '13700002222' }, '00000000-0000-4000-8000-000000000000');
    for (const username of ['xc-jiwei', 'jiandu', 'dc-cy1', 'jiwei-sp', 'hanmingzhe', 'xuanchuan', 'admin', 'zhuanjia']) {
      await as(username);
      const before = await headSeq();
      const response = await put(username, { phone: '13700002222', idNumber: null });
      expect([403, 404], `${username}: ${response.body}`).toContain(response.statusCode);
      expect(response.json(), username).toEqual(missing.json());
      const added = await eventsSince(before);
      expect(added.map((e) => e.type), username).toEqual(['access.denied']);
      expect(added[0]!.payload).toMatchObject({ route: 'PUT /api/v1/officials/:officialId/identifiers', outcome: 'denied', objects: { officialId: hanId } });
    }
    expect(await rawRow()).toEqual(rowBefore);
  });

  it('refuses a malformed ID number or phone with 400 naming the field, repeating no value, and changes nothing', async () => {
    const rowBefore = await rawRow();
    const cases: [unknown, string, RegExp][] = [
      [{ idNumber: WRONG_CHECK }, 'idNumber', /公民身份号码校验码/],
      [{ idNumber: NEW_ID.slice(0, 17) }, 'idNumber', /公民身份号码须为 18 位/],
      [{ idNumber: `${NEW_ID}1` }, 'idNumber', /公民身份号码须为 18 位/],
      [{ idNumber: '11010119851332123X' }, 'idNumber', /公民身份号码.*出生日期/],
      [{ idNumber: '' }, 'idNumber', /公民身份号码须为 18 位/],
      // A good phone beside a bad ID number: nothing of the request is applied.
      [{ phone: '13700002222', idNumber: WRONG_CHECK }, 'idNumber', /公民身份号码校验码/],
      [{ phone: '12800001111' }, 'phone', /手机号码须为 11 位/],
      [{ phone: '1390000111' }, 'phone', /手机号码须为 11 位/],
      [{ phone: '139000011112' }, 'phone', /手机号码须为 11 位/],
      [{ phone: 13900001111 }, 'phone', /phone/],
      [{}, 'body', /请填写公民身份号码或手机号码/],
      [{ phone: NEW_PHONE, email: 'x@y.cn' }, '', /./],
    ];
    for (const [payload, key, title] of cases) {
      const before = await headSeq();
      const response = await put('dc-jiwei', payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      const problem = response.json() as { code: string; key: string; title: string };
      expect(problem.code).toBe('INVALID_INPUT');
      if (key) expect(problem.key, JSON.stringify(payload)).toBe(key);
      expect(problem.title, JSON.stringify(payload)).toMatch(title);
      expect(response.body).not.toContain(WRONG_CHECK);
      expect(response.body).not.toContain('13700002222');
      expect(await eventsSince(before)).toEqual([]);
    }
    expect(await rawRow()).toEqual(rowBefore);
  });
});
