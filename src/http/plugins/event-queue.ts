import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import fp from 'fastify-plugin';
import { EventChainer, withRequestEventQueue, type RequestEventQueue } from '../../audit/event-queue.js';
import type { AppContext } from '../context.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Whether the request's commands put events in the queue (audit/event-queue.ts). */
    eventQueue: RequestEventQueue | undefined;
  }
}

/**
 * The group commit of writes (audit/event-queue.ts): each API route handler runs with its commands' events
 * going into the event queue, and before the answer leaves — whether the handler returned, sent or failed — the
 * events it queued are chained, with those of every request that committed meanwhile. Registered before the
 * access audit, so that a request's own write comes before its read in the chain.
 */
export const eventQueuePlugin = fp(async (app: FastifyInstance, { context }: { context: AppContext }) => {
  const chainer = new EventChainer(context.db);
  app.decorateRequest('eventQueue', undefined);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    const handler = route.handler as RouteHandlerMethod;
    route.handler = function queueingHandler(this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
      const queue: RequestEventQueue = { queued: false };
      request.eventQueue = queue;
      return withRequestEventQueue(queue, () => handler.call(this, request, reply));
    };
  });
  app.addHook('onSend', async (request, _reply, payload) => {
    if (request.eventQueue?.queued) await chainer.flush();
    return payload;
  });
});
