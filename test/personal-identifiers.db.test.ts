import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../src/audit/verify.js';
import { runRotateKek } from '../src/cli/rotate-kek.js';
import { fixedClock } from '../src/clock.js';
import { loadConfig } from '../src/config/env.js';
import { ephemeralAppCrypto, loadAppCrypto, type AppCrypto } from '../src/crypto/app-crypto.js';
import { SecretBox } from '../src/crypto/envelope.js';
import { loadKeyring, memoryKeyring } from '../src/crypto/keyring.js';
import { demoIdentifiers } from '../src/db/demo/identifiers.js';
import { DEMO_OFFICIALS } from '../src/db/demo/officials.js';
import { DEMO_PASSWORD, seedDemo } from '../src/db/seed-demo.js';
import { isValidIdNumber, maskIdNumber, maskPhone, openIdentifier, sealIdentifiers } from '../src/privacy/identifiers.js';
import { buildTestApp, signInAs, tempFileStore, type SignedIn } from './helpers/app.js';
import { createTestDatabase, useTestDatabase } from './helpers/db.js';
import { createOrganization } from './helpers/factories.js';

/**
 * Officials' personal identifiers (公民身份号码, mobile phone): sealed at rest under the envelope encryption, shown
 * masked in every response, revealed in plaintext only to a user who manages the official, for a reason, with an
 * audit event written in the same transaction — which names the official, the identifier and the reason, never
 * the value. `rongcuo rotate-kek` re-wraps them, and `--retire` keeps the keys they use.
 */
describe('personal identifiers', () => {
  const database = useTestDatabase();
  const clock = fixedClock('2026-06-30T02:00:00Z');
  let app: FastifyInstance;
  let crypto: AppCrypto;
  const sessions = new Map<string, SignedIn>();
  const as = async (username: string) => {
    if (!sessions.has(username)) sessions.set(username, await signInAs(app, { username, password: DEMO_PASSWORD }));
    return sessions.get(username)!;
  };
  // 韩明哲: a 东城 official (managed by the 东城区纪委监委) with a case, and a demo account of his own.
  const HAN = DEMO_OFFICIALS.find((o) => o.key === 'han-mingzhe')!;
  const han = demoIdentifiers(HAN);
  let hanId: string;
  let hanCaseId: string;

  const eventsSince = async (seq: string) => database.current.db.selectFrom('events').select(['type', 'actor', 'case_id', 'payload']).where('seq', '>', seq).orderBy('seq').execute();
  const headSeq = async () => (await database.current.db.selectFrom('chain_head').select('seq').executeTakeFirstOrThrow()).seq;
  const reveal = async (username: string, officialId: string, payload: Record<string, unknown>) =>
    (await as(username)).inject({ method: 'POST', url: `/api/v1/officials/${officialId}/identifiers/reveal`, payload });

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

  it('seeds well-formed fictional identifiers, sealed at rest beside their masked form', async () => {
    expect(isValidIdNumber(han.idNumber)).toBe(true);
    const rows = await database.current.db.selectFrom('officials').select(['id', 'id_number_sealed', 'id_number_masked', 'phone_sealed', 'phone_masked']).execute();
    expect(rows.length).toBeGreaterThanOrEqual(40);
    for (const row of rows) {
      expect(row.id_number_masked).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
      expect(row.phone_masked).toMatch(/^1\d{2}\*{4}\d{4}$/);
      // The envelope holds no trace of the value; it opens only for its own official and kind.
      const idNumber = openIdentifier(crypto.secrets, row.id, 'idNumber', row.id_number_sealed!);
      expect(row.id_number_sealed!.includes(Buffer.from(idNumber))).toBe(false);
      expect(row.id_number_sealed!.includes(Buffer.from(idNumber.slice(6, 14)))).toBe(false);
      expect(maskIdNumber(idNumber)).toBe(row.id_number_masked);
      expect(maskPhone(openIdentifier(crypto.secrets, row.id, 'phone', row.phone_sealed!))).toBe(row.phone_masked);
    }
    // Two officials' sealed values are not interchangeable (the official's id is bound in).
    expect(() => openIdentifier(crypto.secrets, rows[1]!.id, 'idNumber', rows[0]!.id_number_sealed!)).toThrow();
    // The database refuses a sealed value without its mask, and a mask that is not one.
    await expect(database.current.db.updateTable('officials').set({ id_number_masked: null }).where('id', '=', hanId).execute()).rejects.toThrow(/officials_id_number_sealed_with_mask/);
    await expect(database.current.db.updateTable('officials').set({ phone_masked: han.phone }).where('id', '=', hanId).execute()).rejects.toThrow(/phone_masked_check/);
  });

  it('shows the organ staff the masked form, the official and outsiders nothing, and no response the plaintext', async () => {
    const view = async (username: string) => {
      const response = await (await as(username)).inject({ method: 'GET', url: `/api/v1/cases/${hanCaseId}` });
      expect(response.statusCode, `${username}: ${response.body}`).toBe(200);
      for (const secret of [han.idNumber, han.idNumber.slice(6, 14), han.phone]) expect(response.body, username).not.toContain(secret);
      return (response.json() as { data: { official: { identifiers: unknown } } }).data.official.identifiers;
    };
    expect(await view('dc-jiwei')).toEqual({ idNumber: maskIdNumber(han.idNumber), phone: maskPhone(han.phone), revealable: true });
    // A deliberation member sees the mask but does not manage the official.
    expect(await view('dc-cy1')).toEqual({ idNumber: maskIdNumber(han.idNumber), phone: maskPhone(han.phone), revealable: false });
    expect(await view('jiandu')).toMatchObject({ revealable: false });
    expect(await view('hanmingzhe')).toBeNull();
    expect(await view('dangzhibu-dongsi')).toBeNull();

    const check = await (await as('zuzhibu')).inject({ method: 'GET', url: `/api/v1/officials/${hanId}/selection-check?purpose=selection` });
    expect(check.statusCode, check.body).toBe(200);
    expect((check.json() as { data: { identifiers: unknown } }).data.identifiers).toEqual({ idNumber: maskIdNumber(han.idNumber), phone: maskPhone(han.phone), revealable: true });
    expect(check.body).not.toContain(han.idNumber);
  });

  it('reveals to a handler of the managing organ with a reason, and records it in the same transaction — never the value', async () => {
    const before = await headSeq();
    const response = await reveal('dc-jiwei', hanId, { identifier: 'idNumber', reason: '送达处理决定前核对身份' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toEqual({ data: { officialId: hanId, identifier: 'idNumber', plaintext: han.idNumber } });
    const added = await eventsSince(before);
    expect(added.map((e) => e.type)).toEqual(['person.identifier-revealed']);
    const [event] = added;
    expect(event).toMatchObject({ actor: `user:${(await as('dc-jiwei')).userId}`, case_id: null });
    expect(event!.payload).toMatchObject({ officialId: hanId, identifier: 'idNumber', reason: '送达处理决定前核对身份', requestId: expect.any(String), clientAddress: expect.any(String) });
    const recorded = JSON.stringify(event!.payload);
    for (const secret of [han.idNumber, han.idNumber.slice(6, 14), han.phone]) expect(recorded).not.toContain(secret);

    // The organization department of the committee manages him too; the municipal commission's handler as well.
    for (const [username, identifier, value] of [['zuzhibu', 'phone', han.phone], ['jiwei', 'idNumber', han.idNumber]] as const) {
      const other = await reveal(username, hanId, { identifier, reason: '选任审查前核对身份' });
      expect(other.statusCode, `${username}: ${other.body}`).toBe(200);
      expect((other.json() as { data: { plaintext: string } }).data.plaintext).toBe(value);
    }
    expect((await verifyChain(database.current.db)).ok).toBe(true);
  });

  it('refuses without a reason or with unknown fields, and nothing is revealed or recorded', async () => {
    for (const [payload, key] of [
      [{ identifier: 'idNumber' }, 'reason'],
      [{ identifier: 'idNumber', reason: '   ' }, 'reason'],
      [{ identifier: 'idNumber', reason: '很'.repeat(501) }, 'reason'],
      [{ identifier: 'passport', reason: '核对' }, 'identifier'],
      [{ identifier: 'phone', reason: '核对', value: 'x' }, ''],
    ] as const) {
      const before = await headSeq();
      const response = await reveal('dc-jiwei', hanId, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json()).toMatchObject({ code: 'INVALID_INPUT' });
      if (key) expect((response.json() as { key: string }).key).toBe(key);
      expect(response.body).not.toContain(han.phone);
      expect(await eventsSince(before)).toEqual([]);
    }
  });

  it('answers 404 — recorded as a refusal — to anyone who does not manage the official, as for an official who does not exist', async () => {
    const missing = await reveal('xc-jiwei', '00000000-0000-4000-8000-000000000000', { identifier: 'phone', reason: '核对' });
    for (const username of ['xc-jiwei', 'jiandu', 'dc-cy1', 'jiwei-sp', 'hanmingzhe', 'xuanchuan', 'admin', 'zhuanjia']) {
      await as(username); // signed in first: a sign-in is an event too
      const before = await headSeq();
      const response = await reveal(username, hanId, { identifier: 'phone', reason: '核对身份' });
      expect(response.statusCode, username).toBe(404);
      expect(response.json(), username).toEqual(missing.json());
      expect(response.body).not.toContain(han.phone);
      const added = await eventsSince(before);
      expect(added.map((e) => [e.type, e.case_id]), username).toEqual([['access.denied', null]]);
      expect(added[0]!.payload).toMatchObject({ route: 'POST /api/v1/officials/:officialId/identifiers/reveal', outcome: 'denied', objects: { officialId: hanId } });
    }
  });

  it('answers 404 for an identifier that was never recorded', async () => {
    const db = database.current.db;
    const org = await createOrganization(db);
    const commission = await db.selectFrom('organizations').select('id').where('short_name', '=', '东城区纪委监委').executeTakeFirstOrThrow();
    const bare = await db
      .insertInto('officials')
      .values({ name: '未登记', organization_id: org.id, position: '科员', rank: 'staff', category: 'government', managing_org_id: commission.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    const response = await reveal('dc-jiwei', bare.id, { identifier: 'idNumber', reason: '核对身份' });
    expect(response.statusCode).toBe(404);
    expect((response.json() as { title: string }).title).toContain('公民身份号码');
  });

  it('rotate-kek re-wraps the sealed identifiers, and --retire retires a key only once no sealed value uses it', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'rongcuo-rotate-'));
    const separate = await createTestDatabase();
    try {
      const config = loadConfig({ RONGCUO_DATA: dataDir });
      const serverCrypto = await loadAppCrypto(config);
      const oldKey = serverCrypto.secrets.keyring.currentId;
      // A server that has not yet seen the rotation keeps sealing under the old key.
      const lagging = new SecretBox(serverCrypto.provider, memoryKeyring(oldKey, new Map([[oldKey, serverCrypto.secrets.keyring.key(oldKey)!]])));
      const org = await createOrganization(separate.db);
      const official = async (id: string, secrets: SecretBox) =>
        separate.db
          .insertInto('officials')
          .values({ id, name: '轮换', organization_id: org.id, position: '科员', rank: 'staff', category: 'government', managing_org_id: org.id, ...sealIdentifiers(secrets, id, han) })
          .execute();
      const first = '11111111-1111-4111-8111-111111111111';
      const second = '22222222-2222-4222-8222-222222222222';
      await official(first, serverCrypto.secrets);
      const db = { db: separate.db, close: async () => undefined };
      const lines: string[] = [];
      const sealedOf = (id: string) => separate.db.selectFrom('officials').select(['id_number_sealed', 'phone_sealed']).where('id', '=', id).executeTakeFirstOrThrow();

      expect(await runRotateKek(config, [], (l) => lines.push(l), { database: async () => db })).toBe(0);
      expect(lines).toEqual(expect.arrayContaining(['数据库中的干部公民身份号码：重新封装 1 项，无需处理 0 项', '数据库中的干部手机号码：重新封装 1 项，无需处理 0 项']));
      const newKey = (await loadKeyring(config.keyFile)).currentId;
      expect(newKey).not.toBe(oldKey);
      expect(serverCrypto.secrets.kekIdOf((await sealedOf(first)).id_number_sealed!)).toBe(newKey);

      await official(second, lagging);
      expect(serverCrypto.secrets.kekIdOf((await sealedOf(second)).phone_sealed!)).toBe(oldKey);
      lines.length = 0;
      expect(await runRotateKek(config, ['--retire'], (l) => lines.push(l), { database: async () => db })).toBe(0);
      expect(lines).toEqual(expect.arrayContaining(['数据库中的干部公民身份号码：重新封装 1 项，无需处理 1 项', '数据库中的干部手机号码：重新封装 1 项，无需处理 1 项']));
      expect((await loadKeyring(config.keyFile)).ids()).toEqual([newKey]);
      const fresh = await loadAppCrypto(config);
      for (const id of [first, second]) {
        const row = await sealedOf(id);
        expect(openIdentifier(fresh.secrets, id, 'idNumber', row.id_number_sealed!)).toBe(han.idNumber);
        expect(openIdentifier(fresh.secrets, id, 'phone', row.phone_sealed!)).toBe(han.phone);
      }
    } finally {
      await separate.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
