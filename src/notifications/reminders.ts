import { sql } from 'kysely';
import nodemailer from 'nodemailer';
import type { Actor } from '../access/actor.js';
import { ancestorsOf } from '../access/case.js';
import type { Clock } from '../clock.js';
import type { SecretBox } from '../crypto/envelope.js';
import { CryptoIntegrityError } from '../crypto/provider.js';
import type { Db } from '../db/connect.js';
import { beijingDay } from '../followup/dates.js';
import { getWorkbench, type WorkItem } from '../queries/workbench.js';
import { openSmtpPassword } from './smtp-password.js';

/**
 * An organ's outgoing mail server (organ_smtp_settings), with its password opened from the sealed column for this
 * run only. The password is never logged or returned.
 */
export interface SmtpSettings {
  organId: string;
  host: string;
  port: number;
  secure: boolean;
  from: string;
  username: string | null;
  password: string | null;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Sends one message through an organ's server; the default is nodemailer. */
export interface Mailer {
  send(smtp: SmtpSettings, message: MailMessage): Promise<void>;
}

export const nodemailerMailer: Mailer = {
  async send(smtp, message) {
    const transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      ...(smtp.username ? { auth: { user: smtp.username, pass: smtp.password ?? '' } } : {}),
      logger: false,
      debug: false,
    });
    try {
      await transport.sendMail({ from: smtp.from, to: message.to, subject: message.subject, text: message.text });
    } finally {
      transport.close();
    }
  },
};

export const TASK_NAMES: Record<WorkItem['task'], string> = {
  investigate: '待调查核实',
  deliberate: '待集体研究',
  decide: '待作出决定',
  approve: '待审批',
  serve: '待送达',
  'handle-appeal': '待处理申诉',
  close: '待结案',
  'answer-application': '待答复申请',
  'expert-opinion': '待提交专家意见',
  statement: '待陈述申辩',
  appeal: '可提出申诉',
  application: '可提出容错申请',
  'rectification-overdue': '整改逾期',
  'rectification-item': '待整改',
  'visit-due': '待回访',
  'assessment-due': '待综合研判',
};

export interface ReminderRun {
  /** Digests sent now. */
  sent: number;
  /** Users already sent today's digest, with nothing due, or whose organs configure no SMTP. */
  skipped: number;
  /** Sending failed (retried on the next run). Counts only: no address or name is reported. */
  failed: number;
}

const beijingTime = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

export function digestOf(day: string, items: readonly WorkItem[], total: number): { subject: string; text: string } {
  const lines = items.map((i) => {
    const who = i.official.name ? `（${i.official.name}）` : '';
    const deadline = i.deadline ? `，期限 ${beijingTime(i.deadline)}` : '';
    return `· ${TASK_NAMES[i.task]}：${i.caseTitle}${who}${deadline}`;
  });
  const more = total > items.length ? [`……另有 ${total - items.length} 项，请登录平台查看。`] : [];
  return {
    subject: `【容错纠错工作平台】待办提醒（${day}）：共 ${total} 项`,
    text: ['您好：', '', `截至 ${day}，您在容错纠错工作平台有以下待办事项：`, '', ...lines, ...more, '', '请登录平台“工作台”办理。此邮件由系统自动发送，请勿回复。'].join('\n'),
  };
}

/** The nearest enabled SMTP settings over the organs where the user holds roles (each organ, then its ancestors). */
async function smtpFor(db: Db, secrets: Pick<SecretBox, 'open'>, organIds: readonly string[], cache: Map<string, SmtpSettings | null>): Promise<SmtpSettings | null> {
  for (const organId of organIds) {
    if (!cache.has(organId)) {
      let found: SmtpSettings | null = null;
      for (const id of await ancestorsOf(db, organId)) {
        const row = await db
          .selectFrom('organ_smtp_settings')
          .select(['organ_id', 'host', 'port', 'secure', 'from_address', 'username', 'password_sealed'])
          .where('organ_id', '=', id)
          .where('enabled', '=', true)
          .executeTakeFirst();
        if (row) {
          const password = row.password_sealed ? openSmtpPassword(secrets, row.organ_id, row.password_sealed) : null;
          found = { organId: row.organ_id, host: row.host, port: row.port, secure: row.secure, from: row.from_address, username: row.username, password };
          break;
        }
      }
      cache.set(organId, found);
    }
    const settings = cache.get(organId);
    if (settings) return settings;
  }
  return null;
}

/**
 * E-mails each active user with an address their 待办 (the 工作台 items) as one digest per user per Beijing day,
 * through the SMTP server configured for their organ (or the nearest organ above it). The day's row in
 * `notifications_sent` is written in the same transaction as the send: a second run the same day sends nothing,
 * and a failed send leaves no row, so the next run tries again.
 */
export async function sendDueReminders(db: Db, clock: Clock, secrets: Pick<SecretBox, 'open'>, mailer: Mailer = nodemailerMailer): Promise<ReminderRun> {
  const now = clock.now();
  const day = beijingDay(now);
  const run: ReminderRun = { sent: 0, skipped: 0, failed: 0 };
  const users = await db
    .selectFrom('users')
    .select(['users.id', 'users.username', 'users.display_name', 'users.official_id', 'users.email'])
    .where('users.email', 'is not', null)
    .where('users.disabled_at', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('notifications_sent as n').select('n.user_id').whereRef('n.user_id', '=', 'users.id').where('n.day', '=', day))),
    )
    .orderBy('users.id')
    .execute();
  const cache = new Map<string, SmtpSettings | null>();
  for (const user of users) {
    const roles = await db.selectFrom('user_roles').select(['role', 'organization_id']).where('user_id', '=', user.id).execute();
    const actor: Actor = {
      userId: user.id,
      username: user.username,
      displayName: user.display_name,
      officialId: user.official_id,
      roles: roles.map((r) => ({ role: r.role, organizationId: r.organization_id })),
    };
    let smtp: SmtpSettings | null;
    try {
      smtp = await smtpFor(db, secrets, [...new Set(actor.roles.map((r) => r.organizationId))], cache);
    } catch (error) {
      // A password that does not open (its key gone, the row tampered with) fails this user's digest, not the
      // whole run; the next run tries again.
      if (!(error instanceof CryptoIntegrityError)) throw error;
      run.failed++;
      continue;
    }
    if (!smtp) {
      run.skipped++;
      continue;
    }
    const workbench = await getWorkbench(db, actor, clock);
    const total = Object.values(workbench.counts).reduce((a, b) => a + b, 0);
    if (total === 0) {
      run.skipped++;
      continue;
    }
    const digest = digestOf(day, workbench.items.slice(0, 50), total);
    try {
      const sent = await db.transaction().execute(async (tx) => {
        const claimed = await tx
          .insertInto('notifications_sent')
          .values({ user_id: user.id, day, sent_at: now, items: total })
          .onConflict((oc) => oc.columns(['user_id', 'day']).doNothing())
          .returning('user_id')
          .executeTakeFirst();
        if (!claimed) return false;
        await mailer.send(smtp, { to: user.email!, ...digest });
        return true;
      });
      if (sent) run.sent++;
      else run.skipped++;
    } catch {
      run.failed++;
    }
  }
  return run;
}

/** The advisory lock key that lets one instance send at a time. */
export const NOTIFICATION_LOCK = 7_420_208;

export interface SchedulerOptions {
  /** How often to run (minutes); default 15. */
  intervalMinutes?: number;
  mailer?: Mailer;
  /** Counts only, never addresses or names. */
  log?: (message: string, fields: Record<string, number | string>) => void;
}

/**
 * Runs `sendDueReminders` every N minutes (and once at start), each run under `pg_try_advisory_lock` so that of
 * several server instances only one sends. Returns a function that stops it and waits for a run in progress.
 */
export function startNotificationScheduler(db: Db, clock: Clock, secrets: Pick<SecretBox, 'open'>, options: SchedulerOptions = {}): () => Promise<void> {
  const intervalMs = Math.max(1, options.intervalMinutes ?? 15) * 60_000;
  const log = options.log ?? (() => undefined);
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    if (stopped || running) return;
    running = db
      .connection()
      .execute(async (conn) => {
        const { rows } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_lock(${NOTIFICATION_LOCK}) AS locked`.execute(conn);
        if (!rows[0]?.locked) return;
        try {
          const result = await sendDueReminders(db, clock, secrets, options.mailer);
          if (result.sent > 0 || result.failed > 0) log('reminder digests sent', { ...result });
        } finally {
          await sql`SELECT pg_advisory_unlock(${NOTIFICATION_LOCK})`.execute(conn);
        }
      })
      .catch((error: unknown) => log('reminder run failed', { error: error instanceof Error ? error.name : 'unknown' }))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  setImmediate(tick);
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}

/** NOTIFY_INTERVAL_MINUTES (default 15; 0 turns the scheduler off). */
export function notificationIntervalMinutes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.NOTIFY_INTERVAL_MINUTES?.trim();
  if (!raw) return 15;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 1440) throw new Error(`NOTIFY_INTERVAL_MINUTES must be a whole number of minutes from 0 to 1440, got "${raw}"`);
  return n;
}
