import { z } from 'zod';

/**
 * An official's identifiers as every response shows them: masked. The patterns also guard the answer — a
 * plaintext value put here by mistake fails the response schema (500) instead of leaving.
 */
export const ZMaskedIdentifiers = z.object({
  idNumber: z.string().regex(/^\d{6}\*{8}\d{3}[\dX]$/).nullable().describe('公民身份号码（脱敏：前6位和后4位）；未登记为 null'),
  phone: z.string().regex(/^1\d{2}\*{4}\d{4}$/).nullable().describe('手机号码（脱敏：前3位和后4位）；未登记为 null'),
  revealable: z.boolean().describe('当前用户可否查看明文（须写明原因，记入审计）'),
});
