import { sql } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActor, type Actor } from '../../../access/actor.js';
import { ancestorsOf, grantsOf, subtreeOf } from '../../../access/case.js';
import { appendEvent } from '../../../audit/chain.js';
import { forbidden, notFound } from '../../../errors.js';
import { auditRetentionDays, MIN_RETENTION_DAYS, setAuditRetention } from '../../../commands/set-audit-retention.js';
import { sealSmtpPassword } from '../../../notifications/smtp-password.js';
import { cryptoOf, type AppContext } from '../../context.js';
import { requireActor } from '../../plugins/session.js';

const tags = ['settings'];
const EMAIL = /^[^@\s]+@[^@\s]+$/;

const ZOrganParams = z.object({ organId: z.uuid('单位编号格式不正确') });

export const ZSmtpInput = z.object({
  host: z.string().trim().min(1, '请填写 SMTP 服务器地址').max(255, '服务器地址不超过 255 个字符'),
  port: z.number('端口须为数字').int('端口须为整数').min(1, '端口须在 1–65535 之间').max(65535, '端口须在 1–65535 之间'),
  secure: z.boolean().default(false),
  from: z.string().trim().max(255, '发件地址不超过 255 个字符').regex(EMAIL, '发件地址格式不正确'),
  username: z.string().trim().max(255, '用户名不超过 255 个字符').nullable().optional(),
  password: z.string().max(1024, '密码过长').optional().describe('不填则保留原密码'),
  enabled: z.boolean().default(true),
});

const ZSmtpSettings = z.object({
  organ: z.object({ id: z.string(), name: z.string() }),
  configured: z.boolean(),
  host: z.string().nullable(),
  port: z.number().nullable(),
  secure: z.boolean(),
  from: z.string().nullable(),
  username: z.string().nullable(),
  hasPassword: z.boolean(),
  enabled: z.boolean(),
  updatedAt: z.string().nullable(),
});

const ZMyEmail = z.object({ email: z.string().trim().max(254, '电子邮箱不超过 254 个字符').regex(EMAIL, '电子邮箱格式不正确').nullable() });

const administeredOrgans = (actor: Actor) => grantsOf(actor, 'system-administrator');
const requireAdministrator = (actor: Actor) => {
  const organs = administeredOrgans(actor);
  if (organs.length === 0) throw forbidden('只有系统管理员可以设置邮件服务器', 'only administrators configure mail servers');
  return organs;
};

/** Settings: each organ's outgoing mail server (administrators), and one's own e-mail address for reminders. */
export const settingsRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const { db, clock } = context;

  app.get(
    '/api/v1/settings/smtp',
    { config: { admin: true, audit: { reads: 'record.read' } }, schema: { tags, summary: '本人管理的单位（含下级）的邮件服务器设置（不返回密码）', response: { 200: z.object({ data: z.array(ZSmtpSettings) }) } } },
    async (request) => {
      const organs = requireAdministrator(requireActor(request));
      const rows = await db
        .selectFrom('organizations')
        .leftJoin('organ_smtp_settings as s', 's.organ_id', 'organizations.id')
        .select([
          'organizations.id',
          'organizations.name',
          's.organ_id',
          's.host',
          's.port',
          's.secure',
          's.from_address',
          's.username',
          sql<boolean>`s.password_sealed IS NOT NULL`.as('has_password'),
          's.enabled',
          's.updated_at',
        ])
        .where(sql<boolean>`organizations.id IN ${subtreeOf(organs)}`)
        .orderBy('organizations.name')
        .execute();
      return {
        data: rows.map((r) => ({
          organ: { id: r.id, name: r.name },
          configured: r.organ_id !== null,
          host: r.host,
          port: r.port,
          secure: r.secure ?? false,
          from: r.from_address,
          username: r.username,
          hasPassword: r.organ_id !== null && r.has_password === true,
          enabled: r.enabled ?? false,
          updatedAt: r.updated_at ? new Date(r.updated_at).toISOString() : null,
        })),
      };
    },
  );

  app.put(
    '/api/v1/settings/smtp/:organId',
    { config: { admin: true, audit: { records: 'settings.smtp-configured' } }, schema: { tags, summary: '设置单位的邮件服务器（密码加密保存，不填则保留原密码；审计不记录密码）', params: ZOrganParams, body: ZSmtpInput, response: { 204: z.null() } } },
    async (request, reply) => {
      const actor = requireActor(request);
      const organs = requireAdministrator(actor);
      const { organId } = request.params;
      const body = request.body;
      await db.transaction().execute(async (tx) => {
        const organ = await tx.selectFrom('organizations').select('id').where('id', '=', organId).executeTakeFirst();
        // An organ outside the administrator's jurisdiction does not exist for them.
        if (!organ || !(await ancestorsOf(tx, organId)).some((id) => organs.includes(id))) throw notFound('单位');
        const now = clock.now();
        const username = body.username ? body.username : null;
        const values = { host: body.host, port: body.port, secure: body.secure, from_address: body.from, username, enabled: body.enabled, updated_at: now };
        const existing = await tx.selectFrom('organ_smtp_settings').select('organ_id').where('organ_id', '=', organId).forUpdate().executeTakeFirst();
        const passwordChanged = body.password !== undefined;
        // Sealed before it reaches the database, bound to this organ; an empty password means none.
        const passwordSealed = body.password ? sealSmtpPassword(cryptoOf(context).secrets, organId, body.password) : null;
        if (existing) {
          await tx
            .updateTable('organ_smtp_settings')
            .set({ ...values, ...(passwordChanged ? { password_sealed: passwordSealed } : {}) })
            .where('organ_id', '=', organId)
            .execute();
        } else {
          await tx
            .insertInto('organ_smtp_settings')
            .values({ organ_id: organId, ...values, password_sealed: passwordSealed })
            .execute();
        }
        await appendEvent(
          tx,
          {
            type: 'settings.smtp-configured',
            actor: auditActor(actor),
            payload: { organId, host: body.host, port: body.port, secure: body.secure, from: body.from, username, enabled: body.enabled, passwordChanged },
          },
          { now: () => now },
        );
      });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/settings/my-email',
    { config: { audit: { none: '用户读取本人的电子邮箱' } }, schema: { tags, summary: '本人接收待办提醒的电子邮箱', response: { 200: z.object({ data: z.object({ email: z.string().nullable() }) }) } } },
    async (request) => {
      const row = await db.selectFrom('users').select('email').where('id', '=', requireActor(request).userId).executeTakeFirstOrThrow();
      return { data: { email: row.email } };
    },
  );

  app.put(
    '/api/v1/settings/my-email',
    { config: { audit: { records: 'settings.my-email-changed' } }, schema: { tags, summary: '设置本人接收待办提醒的电子邮箱（null 为不接收）', body: ZMyEmail, response: { 200: z.object({ data: z.object({ email: z.string().nullable() }) }) } } },
    async (request) => {
      const email = request.body.email === null || request.body.email === '' ? null : request.body.email;
      const actor = requireActor(request);
      await db.transaction().execute(async (tx) => {
        await tx.updateTable('users').set({ email }).where('id', '=', actor.userId).execute();
        // The address itself stays out of the chain (personal data); that it changed is recorded.
        await appendEvent(tx, { type: 'settings.my-email-changed', actor: auditActor(actor), payload: { receives: email !== null } }, context.clock);
      });
      return { data: { email } };
    },
  );

  app.get(
    '/api/v1/settings/audit-retention',
    { config: { admin: true, audit: { none: '审计记录保存期限是系统设置，不含个人信息' } }, schema: { tags, summary: '审计记录保存期限（天）', response: { 200: z.object({ data: z.object({ days: z.number(), minimum: z.number() }) }) } } },
    async () => ({ data: { days: await auditRetentionDays(db), minimum: MIN_RETENTION_DAYS } }),
  );

  app.put(
    '/api/v1/settings/audit-retention',
    {
      config: { admin: true, audit: { records: 'settings.audit-retention-set' } },
      schema: {
        tags,
        summary: '延长审计记录保存期限（不少于 184 天，只能延长）',
        body: z.strictObject({ days: z.number().int().min(MIN_RETENTION_DAYS, `审计记录至少保存 ${MIN_RETENTION_DAYS} 天（六个月）`).max(36_500) }),
        response: { 200: z.object({ data: z.object({ days: z.number() }) }) },
      },
    },
    async (request) => ({ data: await setAuditRetention({ db, clock, actor: requireActor(request), days: request.body.days }) }),
  );
};
