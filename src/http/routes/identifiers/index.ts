import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { REVEAL_REASON_MAX, revealIdentifier } from '../../../commands/reveal-identifier.js';
import { IDENTIFIER_KIND_NAMES } from '../../../privacy/identifiers.js';
import { cryptoOf, type AppContext } from '../../context.js';
import { requireActor } from '../../plugins/session.js';

const ZParams = z.object({ officialId: z.uuid('干部编号格式不正确') });
const ZReveal = z.strictObject({
  identifier: z.enum(IDENTIFIER_KIND_NAMES, { error: '请选择要查看的信息：idNumber（公民身份号码）或 phone（手机号码）' }),
  reason: z
    .string({ error: '请写明查看原因' })
    .trim()
    .min(1, '请写明查看原因')
    .refine((s) => [...s].length <= REVEAL_REASON_MAX, `查看原因不超过 ${REVEAL_REASON_MAX} 字`),
});
const ZRevealed = z.object({ data: z.object({ officialId: z.string(), identifier: z.enum(IDENTIFIER_KIND_NAMES), plaintext: z.string() }) });

/**
 * Personal identifiers of officials: every other response shows them masked; this is the one way to the
 * plaintext, for a user who manages the official, with a reason, audited in the same transaction. The answer is
 * never cached (`no-store`), and the web application keeps it only on the screen.
 */
export const identifierRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const { db, clock } = context;
  app.post(
    '/api/v1/officials/:officialId/identifiers/reveal',
    {
      config: { audit: { records: 'person.identifier-revealed' } },
      schema: { tags: ['privacy'], summary: '查看干部的公民身份号码或手机号码（须写明原因，记入审计）', params: ZParams, body: ZReveal, response: { 200: ZRevealed } },
    },
    async (request, reply) => {
      const data = await revealIdentifier({
        db,
        clock,
        actor: requireActor(request),
        secrets: cryptoOf(context).secrets,
        officialId: request.params.officialId,
        identifier: request.body.identifier,
        reason: request.body.reason,
        request: { clientAddress: request.ip, requestId: request.id },
      });
      return reply.header('cache-control', 'no-store').send({ data });
    },
  );
};
