import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { REVEAL_REASON_MAX, revealIdentifier } from '../../../commands/reveal-identifier.js';
import { setOfficialIdentifiers } from '../../../commands/set-official-identifiers.js';
import { IDENTIFIER_KIND_NAMES, IDENTIFIER_KINDS, type IdentifierKind } from '../../../privacy/identifiers.js';
import { cryptoOf, type AppContext } from '../../context.js';
import { requireActor } from '../../plugins/session.js';
import { ZMaskedIdentifiers } from './schema.js';

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
 * One identifier as entered; null clears it, absent leaves it. Its form (GB 11643 check character, a mainland
 * mobile number) is the command's rule, whose refusal names the field and what is wrong in its title.
 */
const ZIdentifierValue = (kind: IdentifierKind) => {
  const { label } = IDENTIFIER_KINDS[kind];
  return z
    .string({ error: `${label}须为文本，清除时填 null` })
    .max(32, `${label}过长`)
    .nullable()
    .optional()
    .describe(kind === 'idNumber' ? `${label}（18 位，末位校验码可为 X）；null 为清除，不填则不变` : `${label}（11 位中国大陆手机号码）；null 为清除，不填则不变`);
};
const ZSetIdentifiers = z.strictObject({ idNumber: ZIdentifierValue('idNumber'), phone: ZIdentifierValue('phone') });
const ZIdentifiersSet = z.object({ data: z.object({ officialId: z.string(), identifiers: ZMaskedIdentifiers }) });

/**
 * Personal identifiers of officials: every other response shows them masked; the reveal is the one way to the
 * plaintext, for a user who manages the official, with a reason, audited in the same transaction. The answer is
 * never cached (`no-store`), and the web application keeps it only on the screen. The same users record, correct
 * and clear them (PUT): sealed before they reach the database, audited without the values.
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

  app.put(
    '/api/v1/officials/:officialId/identifiers',
    {
      config: { audit: { records: 'person.identifiers-changed' } },
      schema: {
        tags: ['privacy'],
        summary: '登记、更正或清除干部的公民身份号码、手机号码（加密保存；记入审计，不记录号码）',
        params: ZParams,
        body: ZSetIdentifiers,
        response: { 200: ZIdentifiersSet },
      },
    },
    async (request) => {
      const { officialId, identifiers } = await setOfficialIdentifiers({
        db,
        clock,
        actor: requireActor(request),
        secrets: cryptoOf(context).secrets,
        officialId: request.params.officialId,
        idNumber: request.body.idNumber,
        phone: request.body.phone,
        request: { clientAddress: request.ip, requestId: request.id },
      });
      return { data: { officialId, identifiers } };
    },
  );
};
