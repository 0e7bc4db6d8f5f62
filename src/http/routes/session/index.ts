import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { describePasswordPolicy, passwordPolicy } from '../../../access/password-policy.js';
import { loadSession, SESSION_MAX_MS, type SessionState } from '../../../access/session.js';
import { changePassword } from '../../../commands/identity/change-password.js';
import { confirmTotpEnrolment } from '../../../commands/identity/confirm-totp-enrolment.js';
import { getTotpEnrolment } from '../../../commands/identity/get-totp-enrolment.js';
import { requestSm2Challenge } from '../../../commands/identity/request-sm2-challenge.js';
import { verifySecondFactor } from '../../../commands/identity/verify-second-factor.js';
import { signIn } from '../../../commands/sign-in.js';
import { signOut } from '../../../commands/sign-out.js';
import { notSignedIn } from '../../../errors.js';
import { presentActor } from '../../../presenters/actor.js';
import { cryptoOf, type AppContext } from '../../context.js';
import { requireSession, sessionCookieName } from '../../plugins/session.js';
import { ZChangePassword, ZSecondFactor, ZSessionState, ZSignIn, ZSm2Challenge, ZTotpConfirm, ZTotpConfirmed, ZTotpEnrolment } from './schema.js';

const tags = ['session'];

/**
 * Signing in, step by step: POST the password (a pending session starts), then the step the answer names —
 * enrol an authenticator, or answer the second factor; then a password change when one is due. GET tells the
 * stage at any time; DELETE ends the session, pending or not.
 */
export const sessionRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const { db, clock } = context;
  const policy = passwordPolicy(context.passwordPolicy);
  const cookieName = sessionCookieName(context.secureCookies);
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    // Strict same-site cookies keep other sites from riding the session (CSRF).
    sameSite: 'strict' as const,
    secure: context.secureCookies,
  };
  // The steps that take a secret (password, code, signature) share the sign-in's per-address limit.
  const limited = { rateLimit: { max: context.signInRateLimit ?? 10, timeWindow: '1 minute' } };
  const secrets = () => cryptoOf(context).secrets;

  const setSessionCookie = (reply: FastifyReply, token: string) => reply.setCookie(cookieName, token, { ...cookieOptions, maxAge: SESSION_MAX_MS / 1000 });

  const present = (session: SessionState): z.infer<typeof ZSessionState> => {
    const serverTime = clock.now().toISOString();
    if (session.actor) return { stage: 'complete', ...presentActor(session.actor), serverTime };
    return {
      stage: session.stage,
      serverTime,
      account: { id: session.userId, username: session.username, displayName: session.displayName },
      ...(session.stage === 'second-factor' ? { methods: session.methods } : {}),
      ...(session.stage === 'change-password' ? { passwordChange: session.passwordChange, passwordRules: describePasswordPolicy(policy) } : {}),
    };
  };

  /** The session as it stands after a step that may have replaced its token. */
  const reload = async (token: string) => {
    const session = await loadSession(db, token, clock, policy);
    if (!session) throw notSignedIn();
    return session;
  };

  app.post(
    '/api/v1/session',
    { config: { public: true, ...limited, audit: { records: 'user.password-verified' } }, schema: { tags, summary: '登录（第一步：用户名和密码）', body: ZSignIn, response: { 200: ZSessionState } } },
    async (request, reply) => {
      const { token } = await signIn({ db, clock, ...request.body, previousToken: request.cookies[cookieName] });
      setSessionCookie(reply, token);
      return present(await reload(token));
    },
  );

  app.get(
    '/api/v1/session',
    { config: { signInStep: true, audit: { none: '用户读取本人的登录状态' } }, schema: { tags, summary: '当前登录状态（已登录的用户，或尚待完成的登录步骤）', response: { 200: ZSessionState } } },
    async (request) => present(requireSession(request)),
  );

  app.delete(
    '/api/v1/session',
    { config: { signInStep: true, audit: { records: 'user.signed-out' } }, schema: { tags, summary: '退出登录（或放弃未完成的登录）', response: { 204: z.null() } } },
    async (request, reply) => {
      const session = requireSession(request);
      await signOut({ db, clock, userId: session.userId, token: request.sessionToken! });
      reply.clearCookie(cookieName, cookieOptions);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/session/totp-enrolment',
    { config: { signInStep: true, audit: { none: '用户读取本人待确认的验证器密钥；确认时记录审计' } }, schema: { tags, summary: '绑定身份验证器：密钥与二维码内容', response: { 200: ZTotpEnrolment } } },
    async (request) => getTotpEnrolment({ db, clock, secrets: secrets(), session: requireSession(request) }),
  );

  app.post(
    '/api/v1/session/totp-enrolment',
    { config: { signInStep: true, ...limited, audit: { records: 'user.totp-enrolled' } }, schema: { tags, summary: '绑定身份验证器：输入首个验证码确认，返回恢复码（仅此一次）', body: ZTotpConfirm, response: { 200: ZTotpConfirmed } } },
    async (request, reply) => {
      const { token, recoveryCodes } = await confirmTotpEnrolment({ db, clock, secrets: secrets(), session: requireSession(request), code: request.body.code });
      setSessionCookie(reply, token);
      return { recoveryCodes, session: present(await reload(token)) };
    },
  );

  app.post(
    '/api/v1/session/second-factor',
    { config: { signInStep: true, ...limited, audit: { records: 'user.signed-in' } }, schema: { tags, summary: '第二重身份验证：动态验证码、恢复码或 SM2 证书签名', body: ZSecondFactor, response: { 200: ZSessionState } } },
    async (request, reply) => {
      const { token } = await verifySecondFactor({ db, clock, secrets: secrets(), session: requireSession(request), proof: request.body });
      setSessionCookie(reply, token);
      return present(await reload(token));
    },
  );

  app.post(
    '/api/v1/session/sm2-challenge',
    { config: { signInStep: true, ...limited, audit: { records: 'user.sm2-challenge-issued' } }, schema: { tags, summary: 'SM2 证书登录：获取待签名的挑战值（两分钟内有效，仅可使用一次）', response: { 200: ZSm2Challenge } } },
    async (request) => {
      const { challenge, expiresAt } = await requestSm2Challenge({ db, clock, session: requireSession(request) });
      return { challenge, expiresAt: expiresAt.toISOString() };
    },
  );

  app.put(
    '/api/v1/session/password',
    { config: { signInStep: true, ...limited, audit: { records: 'user.password-changed' } }, schema: { tags, summary: '修改密码（首次登录或密码过期时必须修改）', body: ZChangePassword, response: { 200: ZSessionState } } },
    async (request) => {
      await changePassword({ db, clock, policy, session: requireSession(request), ...request.body });
      return present(await reload(request.sessionToken!));
    },
  );
};
