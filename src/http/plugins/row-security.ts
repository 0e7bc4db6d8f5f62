import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import fp from 'fastify-plugin';
import { rowScopeOf } from '../../access/row-scope.js';
import { EMPTY_ROW_SCOPE, runInRowScope } from '../../db/row-security.js';
import type { AppContext } from '../context.js';

/**
 * Runs every route handler inside the row scope of its user (db/row-security.ts): the database work of the
 * handler — its queries, its commands' transactions — acts as rongcuo_app within the user's jurisdiction, so a
 * query that forgot its jurisdiction clause still cannot reach another jurisdiction's cases. A public route runs
 * in the empty scope (no case is visible). The session lookup before the handler and the audit hook after it run
 * as the login role: they are the application's own work, not the user's queries.
 *
 * Registered before the routes (its onRoute hook wraps the handlers registered after it); off with RONGCUO_RLS=off.
 */
export const rowSecurityPlugin = fp(async (app: FastifyInstance, { context }: { context: AppContext }) => {
  if (context.rowSecurity === false) return;
  app.addHook('onRoute', (route) => {
    // The web application's files and the API description touch no table.
    if (!route.url.startsWith('/api/')) return;
    const handler = route.handler as RouteHandlerMethod;
    route.handler = async function scopedHandler(this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
      // The session lookup brought the scope along (access/session.ts); computed here only for an actor without one.
      const scope = request.actor ? (request.session?.rowScope ?? (await rowScopeOf(context.db, request.actor))) : EMPTY_ROW_SCOPE;
      return runInRowScope(scope, () => handler.call(this, request, reply));
    };
  });
});
