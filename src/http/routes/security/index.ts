import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Level } from '../../../access/clearance.js';
import { GRANTABLE_ROLES, grantRole, revokeRole } from '../../../commands/security/grant-role.js';
import { setClearance } from '../../../commands/security/set-clearance.js';
import { listManagedAccounts } from '../../../queries/security-accounts.js';
import type { AppContext } from '../../context.js';
import { requireActor } from '../../plugins/session.js';

const tags = ['security'];
const ZUserParams = z.object({ userId: z.uuid('账号编号格式不正确') });
const ZLevel = z.union([z.literal(1), z.literal(2), z.literal(3)], { error: '密级只能是 1（普通）、2（敏感）或 3（核心）' });
const ZRoleChange = z.strictObject({
  role: z.enum(GRANTABLE_ROLES, { error: `角色只能是：${GRANTABLE_ROLES.join('、')}` }),
  organizationId: z.uuid('单位编号格式不正确'),
});
const ZAccount = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  clearance: z.number(),
  clearanceLabel: z.string(),
  disabled: z.boolean(),
  roles: z.array(z.object({ role: z.string(), organizationId: z.string(), organizationName: z.string() })),
});

/**
 * The security administrator (安全管理员, 等保 8.1.5): roles and clearances of the accounts in their jurisdiction,
 * from the administrators' addresses only. Every change is audited; no case content is ever shown here.
 */
export const securityRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const { db, clock } = context;

  app.get(
    '/api/v1/security/accounts',
    { config: { admin: true, audit: { reads: 'record.read' } }, schema: { tags, summary: '账号的角色与密级许可（安全管理员）', response: { 200: z.object({ data: z.array(ZAccount) }) } } },
    async (request) => ({ data: await listManagedAccounts(db, requireActor(request)) }),
  );

  app.post(
    '/api/v1/security/accounts/:userId/roles',
    { config: { admin: true, audit: { records: 'role.granted' } }, schema: { tags, summary: '授予角色（三权分立：管理员不兼任）', params: ZUserParams, body: ZRoleChange, response: { 204: z.null() } } },
    async (request, reply) => {
      await grantRole({ db, clock, actor: requireActor(request), userId: request.params.userId, ...request.body });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/security/accounts/:userId/roles/revoke',
    { config: { admin: true, audit: { records: 'role.revoked' } }, schema: { tags, summary: '撤销角色（该账号的会话随即结束）', params: ZUserParams, body: ZRoleChange, response: { 204: z.null() } } },
    async (request, reply) => {
      await revokeRole({ db, clock, actor: requireActor(request), userId: request.params.userId, ...request.body });
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/api/v1/security/accounts/:userId/clearance',
    { config: { admin: true, audit: { records: 'user.clearance-set' } }, schema: { tags, summary: '设置密级许可', params: ZUserParams, body: z.strictObject({ level: ZLevel }), response: { 204: z.null() } } },
    async (request, reply) => {
      await setClearance({ db, clock, actor: requireActor(request), userId: request.params.userId, level: request.body.level as Level });
      return reply.status(204).send(null);
    },
  );
};
