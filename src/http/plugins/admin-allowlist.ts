import type { BlockList } from 'node:net';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { allowed } from '../../access/address-allowlist.js';
import { AppError } from '../../errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** An administrators' route: reachable only from the configured address allowlist (等保 8.1.4.2). */
    admin?: boolean;
  }
}

/** Refuses an administrators' route from any address off the allowlist, before the session or the body is read. */
export const adminAllowlistPlugin = fp(async (app: FastifyInstance, { allowlist }: { allowlist: BlockList }) => {
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.admin && !allowed(allowlist, request.ip)) {
      throw new AppError({
        code: 'ADMIN_ADDRESS_REFUSED',
        status: 403,
        message: '管理功能只能从指定的管理终端地址访问',
        messageEn: 'administrators\' routes are reachable only from the configured address allowlist',
      });
    }
  });
});
