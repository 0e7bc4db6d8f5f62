import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Secret } from 'otpauth';
import { sm2 } from 'sm-crypto-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppCrypto } from '../../src/crypto/app-crypto.js';
import { systemClock } from '../../src/clock.js';
import { SecretBox } from '../../src/crypto/envelope.js';
import { providerFor } from '../../src/crypto/index.js';
import { memoryKeyring } from '../../src/crypto/keyring.js';
import { rewrapSealedValues, sealedValueKekIds } from '../../src/privacy/sealed-values.js';
import { buildTestApp, injectTransport, signInAs, TEST_CRYPTO } from '../helpers/app.js';
import { useTestDatabase } from '../helpers/db.js';
import { createOrganization, createUser } from '../helpers/factories.js';
import { movableClock, rememberedTotpSecret, totpCode, totpStepAt } from '../helpers/identity.js';

/** Two factors over HTTP: TOTP enrolment and codes (RFC 6238, single use, ±1 step), recovery codes, SM2 certificates. */

const SECOND = 1000;
const STEP = 30 * SECOND;

describe('TOTP', () => {
  const database = useTestDatabase();
  // Ten seconds into a step, so that moving by whole steps never lands on a boundary.
  const time = movableClock('2026-03-02T01:00:10Z');
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp(database.current.db, time.clock);
  });
  afterAll(() => app.close());

  const db = () => database.current.db;

  /** Password, then the enrolment confirmed with the current step's code. */
  async function enrol(user: { username: string; password: string }) {
    const transport = injectTransport(app);
    expect(await transport.request('POST', '/api/v1/session', user)).toMatchObject({ status: 200, body: { stage: 'enrol-totp' } });
    const enrolment = await transport.request('GET', '/api/v1/session/totp-enrolment');
    expect(enrolment.status).toBe(200);
    const { uri, secret } = enrolment.body as { uri: string; secret: string };
    const pendingCookie = transport.cookie!.value;
    const confirmed = await transport.request('POST', '/api/v1/session/totp-enrolment', { code: totpCode(secret, totpStepAt(time.now())) });
    expect(confirmed.status).toBe(200);
    const { recoveryCodes, session } = confirmed.body as { recoveryCodes: string[]; session: { stage: string } };
    return { transport, uri, secret, recoveryCodes, session, pendingCookie };
  }

  /** A new sign-in of an enrolled user up to the second factor. */
  async function toSecondFactor(user: { username: string; password: string }) {
    const transport = injectTransport(app);
    const response = await transport.request('POST', '/api/v1/session', user);
    expect(response).toMatchObject({ status: 200, body: { stage: 'second-factor', methods: ['totp', 'recovery-code'] } });
    return transport;
  }

  it('enrols with an otpauth URI and a first code, shows ten recovery codes once, and signs in', async () => {
    const user = await createUser(db());
    const { transport, uri, secret, recoveryCodes, session, pendingCookie } = await enrol(user);
    expect(uri).toMatch(new RegExp(`^otpauth://totp/.+:${user.username}\\?`));
    expect(new URL(uri).searchParams.get('issuer')).toBe('容错纠错工作平台');
    expect(new URL(uri).searchParams.get('secret')).toBe(secret);
    expect(new URL(uri).searchParams.get('period')).toBe('30');
    expect(new URL(uri).searchParams.get('digits')).toBe('6');
    expect(Secret.fromBase32(secret).bytes).toHaveLength(20);
    expect(session.stage).toBe('complete');
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}$/);

    // Signed in: the workbench answers; the pending token was replaced at the second factor and is worth nothing.
    expect(transport.cookie!.value).not.toBe(pendingCookie);
    expect((await transport.request('GET', '/api/v1/cases')).status).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/session', cookies: { rongcuo_session: pendingCookie } })).statusCode).toBe(401);
    // Shown once: the enrolment is closed now.
    expect((await transport.request('GET', '/api/v1/session/totp-enrolment')).status).toBe(409);

    // At rest: the secret sealed (opened only with this user's id), the recovery codes as argon2 hashes.
    const stored = await db().selectFrom('user_totp').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
    const raw = Buffer.from(Secret.fromBase32(secret).bytes);
    expect(stored.secret_sealed.includes(raw)).toBe(false);
    expect(stored.secret_sealed.toString('latin1')).not.toContain(secret);
    expect(TEST_CRYPTO.secrets.open(stored.secret_sealed, user.id).equals(raw)).toBe(true);
    expect(() => TEST_CRYPTO.secrets.open(stored.secret_sealed, '00000000-0000-4000-8000-000000000000')).toThrow();
    const codes = await db().selectFrom('recovery_codes').select('code_hash').where('user_id', '=', user.id).execute();
    expect(codes).toHaveLength(10);
    for (const { code_hash } of codes) {
      expect(code_hash).toMatch(/^\$argon2id\$/);
      for (const code of recoveryCodes) expect(code_hash).not.toContain(code.replace('-', ''));
    }
    const events = await db().selectFrom('events').select(['type', 'payload']).where('actor', '=', `user:${user.id}`).where('type', 'like', 'user.%').orderBy('seq').execute();
    expect(events.map((e) => e.type)).toEqual(['user.password-verified', 'user.totp-enrolled', 'user.signed-in']);
    expect(JSON.stringify(events)).not.toContain(secret);
  });

  it('shows the same secret again until the enrolment is confirmed, and refuses a wrong first code', async () => {
    const user = await createUser(db());
    const transport = injectTransport(app);
    await transport.request('POST', '/api/v1/session', user);
    const first = (await transport.request('GET', '/api/v1/session/totp-enrolment')).body as { secret: string };
    const again = (await transport.request('GET', '/api/v1/session/totp-enrolment')).body as { secret: string };
    expect(again.secret).toBe(first.secret);
    const wrong = await transport.request('POST', '/api/v1/session/totp-enrolment', { code: totpCode(first.secret, totpStepAt(time.now()) + 5) });
    expect(wrong).toMatchObject({ status: 401, body: { code: 'INVALID_SECOND_FACTOR', title: '验证码不正确或已使用，请重新输入' } });
    expect(await transport.request('GET', '/api/v1/session')).toMatchObject({ status: 200, body: { stage: 'enrol-totp' } });
  });

  it('signs in with a TOTP code and refuses the same code a second time', async () => {
    const user = await createUser(db());
    const { secret } = await enrol(user);
    time.advance(2 * STEP);
    const code = totpCode(secret, totpStepAt(time.now()));

    const first = await toSecondFactor(user);
    expect(await first.request('POST', '/api/v1/session/second-factor', { method: 'totp', code })).toMatchObject({ status: 200, body: { stage: 'complete' } });

    const second = await toSecondFactor(user);
    const reused = await second.request('POST', '/api/v1/session/second-factor', { method: 'totp', code });
    expect(reused).toMatchObject({ status: 401, body: { code: 'INVALID_SECOND_FACTOR' } });
    expect((await second.request('GET', '/api/v1/cases')).status).toBe(401);
    const failed = await db().selectFrom('events').select('payload').where('type', '=', 'user.second-factor-failed').where('actor', '=', `user:${user.id}`).execute();
    expect(failed.map((f) => f.payload)).toEqual([{ method: 'totp', reason: 'wrong' }]);
  });

  it('accepts a code one step either side of the server clock, and refuses two steps away', async () => {
    const user = await createUser(db());
    const { secret } = await enrol(user);
    time.advance(10 * STEP);
    const now = totpStepAt(time.now());

    const transport = await toSecondFactor(user);
    for (const step of [now - 2, now + 2]) {
      expect((await transport.request('POST', '/api/v1/session/second-factor', { method: 'totp', code: totpCode(secret, step) })).status).toBe(401);
    }
    expect((await transport.request('POST', '/api/v1/session/second-factor', { method: 'totp', code: totpCode(secret, now - 1) })).status).toBe(200);

    // A later step still works once; an earlier one than the last accepted does not.
    const next = await toSecondFactor(user);
    expect((await next.request('POST', '/api/v1/session/second-factor', { method: 'totp', code: totpCode(secret, now + 1) })).status).toBe(200);
    const earlier = await toSecondFactor(user);
    expect((await earlier.request('POST', '/api/v1/session/second-factor', { method: 'totp', code: totpCode(secret, now) })).status).toBe(401);
  });

  it('takes each recovery code once, however it is typed', async () => {
    const user = await createUser(db());
    const { recoveryCodes } = await enrol(user);
    const [first, second] = recoveryCodes as [string, string];

    const one = await toSecondFactor(user);
    const typed = ` ${first.toLowerCase().replace('-', ' ')} `;
    expect(await one.request('POST', '/api/v1/session/second-factor', { method: 'recovery-code', code: typed })).toMatchObject({ status: 200, body: { stage: 'complete' } });

    const two = await toSecondFactor(user);
    expect((await two.request('POST', '/api/v1/session/second-factor', { method: 'recovery-code', code: first })).status).toBe(401);
    expect((await two.request('POST', '/api/v1/session/second-factor', { method: 'recovery-code', code: second })).status).toBe(200);

    const used = await db().selectFrom('events').select('payload').where('type', '=', 'user.recovery-code-used').where('actor', '=', `user:${user.id}`).orderBy('seq').execute();
    expect(used.map((e) => e.payload)).toEqual([{ remaining: 9 }, { remaining: 8 }]);
  });

  it('refuses the second-factor steps without a pending session', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/v1/session/second-factor', payload: { method: 'totp', code: '123456' } });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'NOT_SIGNED_IN' });
  });
});

describe('SM2 certificate', () => {
  const database = useTestDatabase();
  const time = movableClock('2026-03-02T01:00:10Z');
  let app: FastifyInstance;
  let admin: Awaited<ReturnType<typeof signInAs>>;
  let organizationId: string;
  beforeAll(async () => {
    app = await buildTestApp(database.current.db, time.clock);
    const organization = await createOrganization(database.current.db);
    organizationId = organization.id;
    admin = await signInAs(app, await createUser(database.current.db, { roles: [{ role: 'system-administrator', organizationId }] }));
  });
  afterAll(() => app.close());

  /** A user with a registered key pair (generated here as a USB key would hold it). */
  async function userWithKey() {
    const user = await createUser(database.current.db, { roles: [{ role: 'handler', organizationId }] });
    const keys = sm2.generateKeyPairHex();
    const registered = await admin.inject({ method: 'PUT', url: `/api/v1/users/${user.id}/sm2-key`, payload: { publicKey: keys.publicKey } });
    expect(registered.statusCode).toBe(200);
    expect(registered.json()).toMatchObject({ data: { id: user.id, sm2KeyRegistered: true } });
    return { user, keys };
  }

  async function challenged(user: { username: string; password: string }) {
    const transport = injectTransport(app);
    expect(await transport.request('POST', '/api/v1/session', user)).toMatchObject({ status: 200, body: { stage: 'second-factor', methods: ['sm2-certificate'] } });
    const issued = await transport.request('POST', '/api/v1/session/sm2-challenge');
    expect(issued.status).toBe(200);
    return { transport, challenge: (issued.body as { challenge: string }).challenge };
  }

  const answer = (transport: ReturnType<typeof injectTransport>, signature: string) =>
    transport.request('POST', '/api/v1/session/second-factor', { method: 'sm2-certificate', signature });

  it('accepts the challenge signed with the registered key (sm-crypto, SM3 with Z)', async () => {
    const { user, keys } = await userWithKey();
    const { transport, challenge } = await challenged(user);
    expect(challenge).toMatch(/^rongcuo-sign-in:v1:[0-9a-f]{64}$/);
    const signature = sm2.doSignature(challenge, keys.privateKey, { hash: true });
    expect(await answer(transport, signature)).toMatchObject({ status: 200, body: { stage: 'complete' } });
    expect((await transport.request('GET', '/api/v1/cases')).status).toBe(200);
    const signedIn = await database.current.db.selectFrom('events').select('payload').where('type', '=', 'user.signed-in').where('actor', '=', `user:${user.id}`).execute();
    expect(signedIn.map((e) => e.payload)).toEqual([{ method: 'sm2-certificate' }]);
  });

  it('refuses a signature by another key', async () => {
    const { user } = await userWithKey();
    const { transport, challenge } = await challenged(user);
    const other = sm2.generateKeyPairHex();
    expect(await answer(transport, sm2.doSignature(challenge, other.privateKey, { hash: true }))).toMatchObject({ status: 401, body: { code: 'INVALID_SECOND_FACTOR' } });
    expect((await transport.request('GET', '/api/v1/cases')).status).toBe(401);
  });

  it('refuses a replayed challenge: spent by its first answer, and worthless in another session', async () => {
    const { user, keys } = await userWithKey();
    const { transport, challenge } = await challenged(user);
    const signature = sm2.doSignature(challenge, keys.privateKey, { hash: true });
    expect((await answer(transport, signature)).status).toBe(200);

    const later = injectTransport(app);
    await later.request('POST', '/api/v1/session', user);
    expect((await answer(later, signature)).status).toBe(401);
    await later.request('POST', '/api/v1/session/sm2-challenge');
    expect((await answer(later, signature)).status).toBe(401);

    // A wrong answer spends the challenge too: no second guess at the same one.
    const third = await challenged(user);
    const wrong = sm2.doSignature(third.challenge, sm2.generateKeyPairHex().privateKey, { hash: true });
    expect((await answer(third.transport, wrong)).status).toBe(401);
    expect((await answer(third.transport, sm2.doSignature(third.challenge, keys.privateKey, { hash: true }))).status).toBe(401);
  });

  it('refuses an answer after the challenge expired (two minutes)', async () => {
    const { user, keys } = await userWithKey();
    const { transport, challenge } = await challenged(user);
    time.advance(2 * 60 * SECOND + 1);
    expect((await answer(transport, sm2.doSignature(challenge, keys.privateKey, { hash: true }))).status).toBe(401);
  });

  it('registers only public keys on the SM2 curve, and only an administrator of the account', async () => {
    const user = await createUser(database.current.db, { roles: [{ role: 'handler', organizationId }] });
    const bad = await admin.inject({ method: 'PUT', url: `/api/v1/users/${user.id}/sm2-key`, payload: { publicKey: `04${'ab'.repeat(64)}` } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'INVALID_INPUT', key: 'publicKey' });
    const handler = await signInAs(app, user);
    const self = await handler.inject({ method: 'PUT', url: `/api/v1/users/${user.id}/sm2-key`, payload: { publicKey: sm2.generateKeyPairHex().publicKey } });
    expect(self.statusCode).toBe(403);
  });

  it('asks for the challenge only of accounts with a key', async () => {
    const user = await createUser(database.current.db);
    await signInAs(app, user);
    const transport = injectTransport(app);
    await transport.request('POST', '/api/v1/session', user);
    expect((await transport.request('POST', '/api/v1/session/sm2-challenge')).status).toBe(409);
  });
});

describe('TOTP secrets under a rotated key-encryption key', () => {
  const database = useTestDatabase();

  /** The application with its own keyring, as a server started with a given key file. */
  const appWith = (crypto: AppCrypto) => buildTestApp(database.current.db, systemClock, { crypto });

  it('are re-wrapped under the new key without being decrypted, and still verify codes', async () => {
    const provider = providerFor('gm');
    const keys = new Map([['k1', randomBytes(32)]]);
    const before = { provider, secrets: new SecretBox(provider, memoryKeyring('k1', keys)) };
    const oldApp = await appWith(before);
    const user = await createUser(database.current.db);
    const first = await signInAs(oldApp, user);
    await oldApp.close();
    expect(await sealedValueKekIds(database.current.db, before.secrets)).toEqual(new Set(['k1']));

    keys.set('k2', randomBytes(32));
    const rotated = { provider, secrets: new SecretBox(provider, memoryKeyring('k2', keys)) };
    const totpCount = async () => (await rewrapSealedValues(database.current.db, rotated.secrets)).find((c) => c.label === '身份验证器密钥');
    expect(await totpCount()).toMatchObject({ rewrapped: 1, unchanged: 0 });
    expect(await totpCount()).toMatchObject({ rewrapped: 0, unchanged: 1 });
    expect(await sealedValueKekIds(database.current.db, rotated.secrets)).toEqual(new Set(['k2']));

    // The old key retired: the secret still opens, and the user still signs in with the same authenticator.
    keys.delete('k1');
    const newApp = await appWith(rotated);
    try {
      const transport = injectTransport(newApp);
      await transport.request('POST', '/api/v1/session', user);
      const code = totpCode(rememberedTotpSecret(first.userId)!, totpStepAt(new Date()) + 1);
      expect(await transport.request('POST', '/api/v1/session/second-factor', { method: 'totp', code })).toMatchObject({ status: 200, body: { stage: 'complete' } });
    } finally {
      await newApp.close();
    }
  });
});
