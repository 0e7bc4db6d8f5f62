import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { auditActor } from '../../access/actor.js';
import { GroupAppender } from '../../audit/group-append.js';
import type { ReadEventType } from '../../audit/access-events.js';
import type { EventType } from '../../audit/event-types.js';
import type { AppContext } from '../context.js';

/**
 * Every route declares how it is audited (等保 8.1.4.3: every write, and every read of case content):
 * - `{ records: type }` — a write: its command appends this event in the same transaction as the change;
 * - `{ reads: type }` — a read: this plugin appends the event after the handler succeeded and before the answer
 *   leaves (if the event cannot be written, the answer is an error, never unaudited content);
 * - `{ none: reason }` — public routes that show no personal data (health, published typical cases).
 * A test walks every registered route and fails on one without a declaration. Refusals of a signed-in user
 * (403, 404) are recorded as `access.denied`. Reads and refusals go into the chain by group commit
 * (audit/group-append.ts): in transactions of their own, since the request changed nothing.
 */
export type RouteAudit = { records: EventType } | { reads: ReadEventType } | { none: string };

declare module 'fastify' {
  interface FastifyContextConfig {
    audit?: RouteAudit;
  }
}

/** What an access event records: the route and the objects by id, never values of search filters or content. */
function accessRecord(request: FastifyRequest, status: number) {
  const params = (request.params ?? {}) as Record<string, unknown>;
  // The filters the user gave (from the URL, not the validated query with its defaults); never their values.
  const filters = [...new Set(new URL(request.url, 'http://localhost').searchParams.keys())].sort();
  return {
    route: `${request.method} ${request.routeOptions.url ?? ''}`,
    outcome: status < 400 ? 'success' : 'denied',
    status,
    objects: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])),
    filters,
    roles: (request.actor?.roles ?? []).map((g) => `${g.role}@${g.organizationId}`),
    clientAddress: request.ip,
    requestId: request.id,
  };
}

const caseIdOf = (request: FastifyRequest): string | null => {
  const caseId = (request.params as Record<string, unknown> | undefined)?.caseId;
  return typeof caseId === 'string' && /^[0-9a-f-]{36}$/i.test(caseId) ? caseId : null;
};

export const accessAuditPlugin = fp(async (app: FastifyInstance, { context }: { context: AppContext }) => {
  // Reads and refusals change nothing but the trail: committed in groups, each before its own answer leaves.
  const appender = new GroupAppender(context.db, context.clock);
  app.addHook('onSend', async (request, reply, payload) => {
    const audit = request.routeOptions.config.audit;
    const actor = request.actor;
    if (!actor || !audit) return payload;
    const status = reply.statusCode;
    let type: EventType | undefined;
    if (status < 400 && 'reads' in audit) type = audit.reads;
    else if (status === 403 || status === 404) type = 'access.denied';
    if (type === undefined) return payload;
    const eventType = type;
    // A refused case id may name no case at all: it stays in the payload, off the case's history.
    await appender.append({ type: eventType, actor: auditActor(actor), caseId: status < 400 ? caseIdOf(request) : null, payload: accessRecord(request, status) });
    return payload;
  });
});
