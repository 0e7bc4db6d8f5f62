import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemo } from '../../src/db/seed-demo.js';
import { LocalFileStore } from '../../src/files/store.js';
import { buildTestApp, injectTransport, signInFresh } from '../helpers/app.js';
import { useTestDatabase } from '../helpers/db.js';
import { createUser } from '../helpers/factories.js';
import { movableClock, rememberTotp, nextTotpCode } from '../helpers/identity.js';

/** The password policy over HTTP: forced changes (seeded accounts, age), the rules, reuse, both settings. */

const DAY = 24 * 60 * 60 * 1000;

type Transport = ReturnType<typeof injectTransport>;

/** Password, enrolment and its first code: the session then stands at whatever comes after the second factor. */
async function pastSecondFactor(app: FastifyInstance, credentials: { username: string; password: string }, now: () => Date): Promise<{ transport: Transport; stage: unknown }> {
  const transport = injectTransport(app);
  const signedIn = await transport.request('POST', '/api/v1/session', credentials);
  expect(signedIn.status).toBe(200);
  const userId = (signedIn.body as { account: { id: string } }).account.id;
  let answer: { status: number; body: unknown };
  if ((signedIn.body as { stage: string }).stage === 'enrol-totp') {
    const { secret } = (await transport.request('GET', '/api/v1/session/totp-enrolment')).body as { secret: string };
    rememberTotp(userId, secret);
    answer = await transport.request('POST', '/api/v1/session/totp-enrolment', { code: nextTotpCode(userId, now()) });
    return { transport, stage: (answer.body as { session: unknown }).session };
  }
  answer = await transport.request('POST', '/api/v1/session/second-factor', { method: 'totp', code: nextTotpCode(userId, now()) });
  return { transport, stage: answer.body };
}

const changeTo = (transport: Transport, newPassword: string, currentPassword?: string) =>
  transport.request('PUT', '/api/v1/session/password', { newPassword, ...(currentPassword ? { currentPassword } : {}) });

describe('a seeded account', () => {
  const database = useTestDatabase();
  let app: FastifyInstance;
  beforeAll(async () => {
    const files = new LocalFileStore(await mkdtemp(path.join(tmpdir(), 'rongcuo-files-')));
    await seedDemo(database.current.db, { now: () => new Date() }, files);
    app = await buildTestApp(database.current.db);
  });
  afterAll(() => app.close());

  it('enrols its authenticator, then must replace the public demo password before anything else', async () => {
    const demo = { username: 'dc-jiwei', password: DEMO_PASSWORD };
    const { transport, stage } = await pastSecondFactor(app, demo, () => new Date());
    expect(stage).toMatchObject({
      stage: 'change-password',
      passwordChange: 'initial',
      passwordRules: ['长度至少 8 个字符', '至少包含大写字母、小写字母、数字、特殊字符中的 3 类', '不得包含用户名或系统名称', '不得与最近 5 次使用过的密码相同', '密码每 90 天须更换一次'],
    });
    expect((await transport.request('GET', '/api/v1/cases')).status).toBe(401);

    const same = await changeTo(transport, DEMO_PASSWORD);
    expect(same).toMatchObject({ status: 400, body: { code: 'INVALID_INPUT', key: 'newPassword', rule: 'password-policy.classes', article: 'GB/T 22239-2019 8.1.4.1 a)' } });
    expect((same.body as { title: string }).title).toBe('新密码不符合密码策略：至少包含大写字母、小写字母、数字、特殊字符中的 3 类；不得包含用户名或系统名称；不得与最近 5 次使用过的密码相同');

    expect(await changeTo(transport, 'Dongcheng#2026')).toMatchObject({ status: 200, body: { stage: 'complete', user: { username: 'dc-jiwei' } } });
    expect((await transport.request('GET', '/api/v1/cases')).status).toBe(200);

    // The public password is gone; the chosen one signs in, with no change asked any more.
    expect((await app.inject({ method: 'POST', url: '/api/v1/session', payload: demo })).statusCode).toBe(401);
    const again = await pastSecondFactor(app, { username: 'dc-jiwei', password: 'Dongcheng#2026' }, () => new Date());
    expect(again.stage).toMatchObject({ stage: 'complete' });

    const changed = await database.current.db.selectFrom('events').select('payload').where('type', '=', 'user.password-changed').execute();
    expect(changed.map((e) => e.payload)).toEqual([{ reason: 'initial', endedSessions: 0 }]);
    expect(JSON.stringify(changed)).not.toContain('Dongcheng');
  });
});

describe('password changes under the 等保 policy (default)', () => {
  const database = useTestDatabase();
  const time = movableClock('2026-03-02T01:00:10Z');
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp(database.current.db, time.clock);
  });
  afterAll(() => app.close());

  it('names each broken rule in Chinese on the field', async () => {
    const user = await createUser(database.current.db, { mustChangePassword: true, password: 'Initial#Pass1' });
    const { transport } = await pastSecondFactor(app, user, time.now);
    const short = await changeTo(transport, 'abc');
    expect(short).toMatchObject({ status: 400, body: { key: 'newPassword', rule: 'password-policy.min-length', title: '新密码不符合密码策略：长度至少 8 个字符；至少包含大写字母、小写字母、数字、特殊字符中的 3 类' } });
    const named = await changeTo(transport, `${user.username}#A1`);
    expect(named).toMatchObject({ status: 400, body: { rule: 'password-policy.context-word' } });
    expect(await changeTo(transport, 'Abcdefg1')).toMatchObject({ status: 200, body: { stage: 'complete' } });
  });

  it('refuses the last 5 passwords and allows the one before them', async () => {
    const passwords = ['Start#0001', 'Second#002', 'Third#0003', 'Fourth#004', 'Fifth#0005', 'Sixth#0006'];
    const user = await createUser(database.current.db, { password: passwords[0] });
    const { transport } = await pastSecondFactor(app, user, time.now);
    for (let i = 1; i < passwords.length; i++) expect((await changeTo(transport, passwords[i]!, passwords[i - 1])).status).toBe(200);
    // Current: Sixth; remembered: Fifth, Fourth, Third, Second. Start is the sixth back.
    for (const reused of passwords.slice(1)) {
      expect(await changeTo(transport, reused, 'Sixth#0006'), reused).toMatchObject({ status: 400, body: { rule: 'password-policy.reused', title: '新密码不符合密码策略：不得与最近 5 次使用过的密码相同' } });
    }
    expect((await changeTo(transport, 'Start#0001', 'Sixth#0006')).status).toBe(200);
  });

  it('asks for the current password of a change of one\'s own accord, counts a wrong one, and ends the other sessions', async () => {
    const user = await createUser(database.current.db, { password: 'Mine#00001' });
    const other = await signInFresh(app, user);
    time.advance(60_000);
    const { transport } = await pastSecondFactor(app, user, time.now);
    expect(await changeTo(transport, 'Mine#00002')).toMatchObject({ status: 400, body: { key: 'currentPassword', title: '当前密码不正确' } });
    expect(await changeTo(transport, 'Mine#00002', 'not-mine')).toMatchObject({ status: 400, body: { key: 'currentPassword' } });
    const failed = await database.current.db.selectFrom('users').select('failed_sign_ins').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(failed.failed_sign_ins).toBe(2);
    expect(await changeTo(transport, 'Mine#00002', 'Mine#00001')).toMatchObject({ status: 200, body: { stage: 'complete' } });
    expect((await other.inject({ method: 'GET', url: '/api/v1/session' })).statusCode).toBe(401);
    expect((await transport.request('GET', '/api/v1/session')).status).toBe(200);
  });

  it('requires a change after 90 days, after the second factor', async () => {
    const user = await createUser(database.current.db, { password: 'Aging#00001', passwordChangedAt: new Date(time.now().getTime() - 90 * DAY) });
    const { transport, stage } = await pastSecondFactor(app, user, time.now);
    expect(stage).toMatchObject({ stage: 'change-password', passwordChange: 'expired' });
    expect((await transport.request('GET', '/api/v1/workbench')).status).toBe(401);
    expect(await changeTo(transport, 'Renewed#0001')).toMatchObject({ status: 200, body: { stage: 'complete' } });
  });

  it('refuses a change before the second factor', async () => {
    const user = await createUser(database.current.db, { mustChangePassword: true });
    const transport = injectTransport(app);
    await transport.request('POST', '/api/v1/session', user);
    expect(await changeTo(transport, 'Takeover#001')).toMatchObject({ status: 409, body: { code: 'INVALID_STATE' } });
  });
});

describe('password changes under the ASVS 5 policy (configured)', () => {
  const database = useTestDatabase();
  const time = movableClock('2026-03-02T01:00:10Z');
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp(database.current.db, time.clock, { passwordPolicy: 'asvs' });
  });
  afterAll(() => app.close());

  it('takes any composition of 15 characters and refuses shorter ones, whatever their classes', async () => {
    const user = await createUser(database.current.db, { mustChangePassword: true });
    const { transport, stage } = await pastSecondFactor(app, user, time.now);
    expect(stage).toMatchObject({ stage: 'change-password', passwordRules: ['长度至少 15 个字符', '不得包含用户名或系统名称', '不得与当前密码相同'] });
    expect(await changeTo(transport, 'Ab1!Ab1!Ab1!')).toMatchObject({ status: 400, body: { rule: 'password-policy.min-length', article: 'OWASP ASVS 5.0 V6.2' } });
    expect(await changeTo(transport, 'purple monkey dishwasher')).toMatchObject({ status: 200, body: { stage: 'complete' } });
  });

  it('never asks for a change by age', async () => {
    const user = await createUser(database.current.db, { passwordChangedAt: new Date(time.now().getTime() - 400 * DAY) });
    const { stage } = await pastSecondFactor(app, user, time.now);
    expect(stage).toMatchObject({ stage: 'complete' });
  });
});
