import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../src/clock.js';
import { NOTIFICATION_LOCK, sendDueReminders, startNotificationScheduler, type Mailer } from '../src/notifications/reminders.js';
import { nodemailerMailer } from '../src/notifications/reminders.js';
import { buildTestApp, signInAs, TEST_CRYPTO } from './helpers/app.js';
import { useTestDatabase } from './helpers/db.js';
import { buildWorld, type World } from './helpers/world.js';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** Decodes the subject and body of a simple nodemailer message (quoted-printable or base64 parts, UTF-8). */
function decode(raw: string): { subject: string; body: string } {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const subjectLine = /^Subject: (.*)$/im.exec(unfolded)?.[1] ?? '';
  const subject = subjectLine.replace(/=\?utf-8\?([BQ])\?([^?]*)\?=\s*/gi, (_, enc: string, text: string) =>
    enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
  );
  const bodyRaw = rest.join('\n\n');
  const encoding = /Content-Transfer-Encoding: (\S+)/i.exec(unfolded)?.[1]?.toLowerCase();
  const body =
    encoding === 'base64'
      ? Buffer.from(bodyRaw.replace(/\s+/g, ''), 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? Buffer.from(bodyRaw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8')
        : bodyRaw;
  return { subject, body };
}

describe('e-mail reminders (待办提醒)', () => {
  const database = useTestDatabase();
  let now = new Date('2026-05-10T01:00:00Z');
  const clock: Clock = { now: () => new Date(now) };
  let app: FastifyInstance;
  let world: World;
  let smtp: SMTPServer;
  let port = 0;
  const inbox: Received[] = [];
  /** The credentials each authenticated SMTP session signed in with. */
  const logins: { username: string | null | undefined; password: string | null | undefined }[] = [];
  const secrets = TEST_CRYPTO.secrets;

  beforeAll(async () => {
    smtp = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      // Plain-text AUTH on the loopback test server only: it records what the mailer signs in with.
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        logins.push({ username: auth.username, password: auth.password });
        callback(null, { user: auth.username });
      },
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          inbox.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    port = (smtp.server.address() as AddressInfo).port;

    const db = database.current.db;
    app = await buildTestApp(db, clock);
    world = await buildWorld(db, app);
    // The committee's mail server serves every organ below it.
    await db
      .insertInto('organ_smtp_settings')
      .values({ organ_id: world.orgs.committee.id, host: '127.0.0.1', port, secure: false, from_address: 'noreply@rongcuo.test', username: null, password_sealed: null, updated_at: now })
      .execute();
    await db.updateTable('users').set({ email: 'handler@rongcuo.test' }).where('id', '=', world.users.handler.id).execute();
    await db.updateTable('users').set({ email: 'supervisor@rongcuo.test' }).where('id', '=', world.users.supervisor.id).execute();
    await db.updateTable('users').set({ email: 'xc@rongcuo.test' }).where('id', '=', world.users.xcHandler.id).execute();

    // A visit to 张明 due in three days, and an overdue rectification item of a 东城 plan.
    await db
      .insertInto('followup_visits')
      .values({ official_id: world.officials.official, case_id: null, kind: 'visit', offset_months: 3, due_on: '2026-05-13', scheduled_at: now })
      .execute();
    const plan = await db
      .insertInto('rectification_plans')
      .values({ unit_id: world.orgs.bureau.id, organ_id: world.orgs.dongcheng.id, title: '东城区发展改革委整改方案', description: '整改。', created_by: world.users.handler.id, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('rectification_items')
      .values({ plan_id: plan.id, title: '完善资金拨付审批流程', owner_official_id: world.officials.official, deadline: '2026-05-01', mechanism: '建立审批台账', position: 1, added_by: world.users.handler.id, added_at: new Date('2026-04-01T01:00:00Z') })
      .execute();
  });
  afterAll(async () => {
    await app?.close();
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  });

  it('sends each user one digest a day with their due items, in Chinese, and nothing on a second run', async () => {
    const first = await sendDueReminders(database.current.db, clock, secrets);
    expect(first).toEqual({ sent: 2, skipped: 1, failed: 0 });
    expect(inbox).toHaveLength(2);

    const toHandler = inbox.find((m) => m.to.includes('handler@rongcuo.test'))!;
    expect(toHandler.from).toBe('noreply@rongcuo.test');
    const handlerMail = decode(toHandler.raw);
    expect(handlerMail.subject).toBe('【容错纠错工作平台】待办提醒（2026-05-10）：共 2 项');
    expect(handlerMail.body).toContain('待回访：回访教育（张明）');
    expect(handlerMail.body).toContain('待整改：完善资金拨付审批流程（张明）');

    const supervisorMail = decode(inbox.find((m) => m.to.includes('supervisor@rongcuo.test'))!.raw);
    expect(supervisorMail.subject).toContain('待办提醒');
    expect(supervisorMail.body).toContain('整改逾期：完善资金拨付审批流程（张明），期限 2026-05-01 23:59');

    // The same day again: nothing.
    expect(await sendDueReminders(database.current.db, clock, secrets)).toEqual({ sent: 0, skipped: 1, failed: 0 });
    expect(inbox).toHaveLength(2);
    const rows = await database.current.db.selectFrom('notifications_sent').selectAll().execute();
    expect(rows.map((r) => r.day)).toEqual(['2026-05-10', '2026-05-10']);

    // The next day, a new digest.
    now = new Date('2026-05-11T01:00:00Z');
    expect((await sendDueReminders(database.current.db, clock, secrets)).sent).toBe(2);
    expect(inbox).toHaveLength(4);
  });

  it('leaves no record when sending fails, so the next run tries again', async () => {
    now = new Date('2026-05-12T01:00:00Z');
    const failing: Mailer = { send: () => Promise.reject(new Error('connection refused')) };
    expect(await sendDueReminders(database.current.db, clock, secrets, failing)).toEqual({ sent: 0, skipped: 1, failed: 2 });
    expect(await database.current.db.selectFrom('notifications_sent').select('user_id').where('day', '=', '2026-05-12').execute()).toEqual([]);
    expect((await sendDueReminders(database.current.db, clock, secrets, nodemailerMailer)).sent).toBe(2);
  });

  it('runs on a schedule under an advisory lock: while another instance holds it, this one sends nothing', async () => {
    now = new Date('2026-05-13T01:00:00Z');
    const db = database.current.db;
    const sent: string[] = [];
    const recording: Mailer = { send: (_smtp, message) => (sent.push(message.to), Promise.resolve()) };
    const logs: Record<string, number | string>[] = [];
    await db.connection().execute(async (conn) => {
      const { sql } = await import('kysely');
      await sql`SELECT pg_advisory_lock(${NOTIFICATION_LOCK})`.execute(conn);
      const stop = startNotificationScheduler(db, clock, secrets, { intervalMinutes: 1, mailer: recording });
      await new Promise((r) => setTimeout(r, 300));
      await stop();
      expect(sent).toEqual([]);
      await sql`SELECT pg_advisory_unlock(${NOTIFICATION_LOCK})`.execute(conn);
    });
    const stop = startNotificationScheduler(db, clock, secrets, { intervalMinutes: 1, mailer: recording, log: (_m, fields) => logs.push(fields) });
    await expect.poll(() => sent.length, { timeout: 5000 }).toBe(2);
    await stop();
    expect(sent.sort()).toEqual(['handler@rongcuo.test', 'supervisor@rongcuo.test']);
    // Counts only in the log: no address, no name.
    expect(JSON.stringify(logs)).not.toMatch(/@|张明/);
    expect(logs).toEqual([{ sent: 2, skipped: 1, failed: 0 }]);
  });

  it('signs in to the organ\'s server with the password the administrator set, which the database holds only sealed', async () => {
    now = new Date('2026-05-14T01:00:00Z');
    const db = database.current.db;
    const password = 'smtp-口令-9f3!';
    const admin = await signInAs(app, world.users.admin);
    const put = await admin.inject({
      method: 'PUT',
      url: `/api/v1/settings/smtp/${world.orgs.committee.id}`,
      payload: { host: '127.0.0.1', port, secure: false, from: 'noreply@rongcuo.test', username: 'noreply', password, enabled: true },
    });
    expect(put.statusCode, put.body).toBe(204);
    const row = await db.selectFrom('organ_smtp_settings').selectAll().where('organ_id', '=', world.orgs.committee.id).executeTakeFirstOrThrow();
    expect(row.password_plaintext_legacy).toBeNull();
    expect(row.password_sealed!.includes(Buffer.from(password, 'utf8'))).toBe(false);

    logins.length = 0;
    expect(await sendDueReminders(db, clock, secrets, nodemailerMailer)).toEqual({ sent: 2, skipped: 1, failed: 0 });
    expect(logins).toEqual([
      { username: 'noreply', password },
      { username: 'noreply', password },
    ]);

    // A sealed password moved onto another organ's row does not open there: that organ's digests fail, nothing is sent.
    now = new Date('2026-05-15T01:00:00Z');
    await db.updateTable('organ_smtp_settings').set({ enabled: false }).where('organ_id', '=', world.orgs.committee.id).execute();
    await db
      .insertInto('organ_smtp_settings')
      .values({ organ_id: world.orgs.dongcheng.id, host: '127.0.0.1', port, secure: false, from_address: 'noreply@rongcuo.test', username: 'noreply', password_sealed: row.password_sealed, updated_at: now })
      .execute();
    logins.length = 0;
    const moved = await sendDueReminders(db, clock, secrets, nodemailerMailer);
    expect(moved.sent).toBe(0);
    expect(moved.failed).toBeGreaterThan(0);
    expect(logins).toEqual([]);
  });
});
