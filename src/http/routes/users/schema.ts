import { z } from 'zod';

export const ZUserParams = z.object({ userId: z.uuid('账号编号格式不正确') });

export const ZAdministeredUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  disabled: z.boolean(),
  expiresAt: z.string().nullable(),
  lockedUntil: z.string().nullable(),
  totpEnrolled: z.boolean(),
  sm2KeyRegistered: z.boolean(),
  passwordChangeRequired: z.boolean(),
});

export const ZUserExpiry = z.object({
  expiresAt: z.iso.datetime({ offset: true, message: '到期时间须为 ISO 8601 时间，如 2026-06-30T18:00:00+08:00' }).nullable().describe('null: the account does not expire'),
});

export const ZSm2Key = z.object({
  publicKey: z.string().trim().min(1, '请填写 SM2 公钥').max(200, 'SM2 公钥过长').describe('uncompressed SM2 public key, hex, "04" followed by 128 hex digits'),
});
