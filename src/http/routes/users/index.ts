import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findAdministeredUsers } from '../../../commands/identity/administered-users.js';
import { disableUser } from '../../../commands/identity/disable-user.js';
import { enableUser } from '../../../commands/identity/enable-user.js';
import { registerSm2Key } from '../../../commands/identity/register-sm2-key.js';
import { removeSm2Key } from '../../../commands/identity/remove-sm2-key.js';
import { resetTotp } from '../../../commands/identity/reset-totp.js';
import { setUserExpiry } from '../../../commands/identity/set-user-expiry.js';
import { passwordPolicy } from '../../../access/password-policy.js';
import { createUser } from '../../../commands/identity/create-user.js';
import type { AppContext } from '../../context.js';
import { requireActor } from '../../plugins/session.js';
import { ZAdministeredUser, ZSm2Key, ZUserExpiry, ZUserParams } from './schema.js';

const tags = ['users'];

/**
 * Account administration for administrators, over the accounts holding a role at their organs or below:
 * disable / enable (disabling ends the sessions at once), expiry, the authenticator reset, the SM2 key.
 */
export const userRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const { db, clock } = context;
  // The command has just checked that the actor administers this account.
  const one = async (actor: ReturnType<typeof requireActor>, userId: string) => ({ data: (await findAdministeredUsers(db, actor, { userId }))[0]! });

  app.get(
    '/api/v1/users',
    { config: { admin: true, audit: { reads: 'person.searched' } }, schema: { tags, summary: '本人管理的账号（本单位及下级单位）及其身份状态', response: { 200: z.object({ data: z.array(ZAdministeredUser) }) } } },
    async (request) => ({ data: await findAdministeredUsers(db, requireActor(request)) }),
  );

  app.post(
    '/api/v1/users',
    {
      config: { admin: true, audit: { records: 'user.created' } },
      schema: {
        tags,
        summary: '开设账号（一人一号；无角色，由安全管理员授予；首次登录须修改初始密码并绑定身份验证器）',
        body: z.strictObject({
          username: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,62}$/, '用户名为 2–63 位小写字母、数字、点、下划线或连字符，以字母或数字开头'),
          displayName: z.string().trim().min(1, '请填写姓名').max(100),
          initialPassword: z.string().min(1, '请填写初始密码').max(256),
          expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
        }),
        response: { 201: z.object({ data: ZAdministeredUser }) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { expiresAt, ...rest } = request.body;
      const { id } = await createUser({ db, clock, actor, policy: passwordPolicy(context.passwordPolicy), ...rest, expiresAt: expiresAt ? new Date(expiresAt) : null });
      return reply.status(201).send(await one(actor, id));
    },
  );

  app.put(
    '/api/v1/users/:userId/disabled',
    { config: { admin: true, audit: { records: 'user.disabled' } }, schema: { tags, summary: '停用账号（其全部会话随即结束）', params: ZUserParams, response: { 200: z.object({ data: ZAdministeredUser }) } } },
    async (request) => {
      const actor = requireActor(request);
      await disableUser({ db, clock, actor, userId: request.params.userId });
      return one(actor, request.params.userId);
    },
  );

  app.delete(
    '/api/v1/users/:userId/disabled',
    { config: { admin: true, audit: { records: 'user.enabled' } }, schema: { tags, summary: '重新启用已停用的账号', params: ZUserParams, response: { 200: z.object({ data: ZAdministeredUser }) } } },
    async (request) => {
      const actor = requireActor(request);
      await enableUser({ db, clock, actor, userId: request.params.userId });
      return one(actor, request.params.userId);
    },
  );

  app.put(
    '/api/v1/users/:userId/expiry',
    { config: { admin: true, audit: { records: 'user.expiry-set' } }, schema: { tags, summary: '设置账号到期时间（如临时专家），null 为不到期', params: ZUserParams, body: ZUserExpiry, response: { 200: z.object({ data: ZAdministeredUser }) } } },
    async (request) => {
      const actor = requireActor(request);
      const expiresAt = request.body.expiresAt === null ? null : new Date(request.body.expiresAt);
      await setUserExpiry({ db, clock, actor, userId: request.params.userId, expiresAt });
      return one(actor, request.params.userId);
    },
  );

  app.delete(
    '/api/v1/users/:userId/totp',
    { config: { admin: true, audit: { records: 'user.totp-reset' } }, schema: { tags, summary: '重置身份验证器（用户下次登录时重新绑定）', params: ZUserParams, response: { 200: z.object({ data: ZAdministeredUser }) } } },
    async (request) => {
      const actor = requireActor(request);
      await resetTotp({ db, clock, actor, userId: request.params.userId });
      return one(actor, request.params.userId);
    },
  );

  app.put(
    '/api/v1/users/:userId/sm2-key',
    { config: { admin: true, audit: { records: 'user.sm2-key-registered' } }, schema: { tags, summary: '登记（或更换）用户 SM2 证书 / USB Key 的公钥', params: ZUserParams, body: ZSm2Key, response: { 200: z.object({ data: ZAdministeredUser }) } } },
    async (request) => {
      const actor = requireActor(request);
      await registerSm2Key({ db, clock, actor, userId: request.params.userId, publicKey: request.body.publicKey });
      return one(actor, request.params.userId);
    },
  );

  app.delete(
    '/api/v1/users/:userId/sm2-key',
    { config: { admin: true, audit: { records: 'user.sm2-key-removed' } }, schema: { tags, summary: '注销用户的 SM2 公钥', params: ZUserParams, response: { 200: z.object({ data: ZAdministeredUser }) } } },
    async (request) => {
      const actor = requireActor(request);
      await removeSm2Key({ db, clock, actor, userId: request.params.userId });
      return one(actor, request.params.userId);
    },
  );
};
