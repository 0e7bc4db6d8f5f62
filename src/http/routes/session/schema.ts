import { z } from 'zod';
import { SECOND_FACTOR_METHODS } from '../../../access/second-factor/index.js';
import { SIGN_IN_STAGES } from '../../../access/session.js';
import { SM2_SIGNATURE_PATTERN } from '../../../access/second-factor/sm2-certificate.js';

export const ZSignIn = z.object({
  username: z.string().min(1, '请输入用户名').max(64),
  password: z.string().min(1, '请输入密码').max(256),
});

const ZUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  officialId: z.string().nullable(),
  roles: z.array(z.object({ role: z.string(), organizationId: z.string() })),
});

/**
 * Where the sign-in stands. `complete`: `user` is the signed-in user. Otherwise the session is pending and may only
 * take the step named: `enrol-totp` (bind an authenticator), `second-factor` (answer with one of `methods`),
 * `change-password` (the password was set by someone else or is too old; `passwordRules` lists the policy).
 */
export const ZSessionState = z.object({
  stage: z.enum(SIGN_IN_STAGES),
  user: ZUser.optional(),
  account: z.object({ id: z.string(), username: z.string(), displayName: z.string() }).optional(),
  methods: z.array(z.enum(SECOND_FACTOR_METHODS)).optional(),
  passwordChange: z.enum(['initial', 'expired']).optional(),
  passwordRules: z.array(z.string()).optional(),
  /** The server's clock: TOTP codes are checked against it, so a page can warn of a device clock that is off. */
  serverTime: z.string(),
});

export const ZTotpEnrolment = z.object({
  uri: z.string().describe('otpauth:// URI, shown as a QR code'),
  secret: z.string().describe('the same secret in base32, for typing in by hand'),
});

const ZCode = z.string().trim().min(1, '请输入验证码').max(32, '验证码过长');

export const ZTotpConfirm = z.object({ code: ZCode });

export const ZTotpConfirmed = z.object({
  recoveryCodes: z.array(z.string()).describe('ten single-use recovery codes, shown this once'),
  session: ZSessionState,
});

export const ZSecondFactor = z.discriminatedUnion('method', [
  z.object({ method: z.literal('totp'), code: ZCode }),
  z.object({ method: z.literal('recovery-code'), code: ZCode }),
  z.object({ method: z.literal('sm2-certificate'), signature: z.string().regex(SM2_SIGNATURE_PATTERN, '签名须为 128 位十六进制（r‖s）') }),
]);

export const ZSm2Challenge = z.object({
  challenge: z.string().describe('sign these UTF-8 bytes with the SM2 key (SM3 with Z, default user id), answer r‖s in hex'),
  expiresAt: z.string(),
});

export const ZChangePassword = z.object({
  currentPassword: z.string().max(256).optional().describe('required unless the sign-in requires the change'),
  newPassword: z.string().min(1, '请输入新密码').max(1024, '新密码过长'),
});
