import type { PasswordViolation } from '../../access/password-policy.js';
import type { SignInStage } from '../../access/session.js';
import { AppError, invalidInput, invalidState } from '../../errors.js';

/**
 * The refusals of the sign-in steps. Built from src/errors.ts's AppError with stable codes, kept here beside
 * the commands that raise them (candidates for src/errors.ts).
 */

/** A wrong, used or expired second factor; which of these it was is not told. */
export const invalidSecondFactor = () =>
  new AppError({ code: 'INVALID_SECOND_FACTOR', status: 401, message: '验证码不正确或已使用，请重新输入', messageEn: 'wrong, used or expired second factor' });

const STAGE_LABELS: Record<SignInStage, string> = {
  'enrol-totp': '绑定身份验证器',
  'second-factor': '第二重身份验证',
  'change-password': '修改密码',
  complete: '已完成登录',
};

/** The request belongs to another step of the sign-in than the one the session is at. */
export const wrongSignInStage = (stage: SignInStage) =>
  invalidState(`当前登录步骤为“${STAGE_LABELS[stage]}”，不能进行此操作`, `the sign-in is at stage "${stage}"`);

/** The new password breaks the policy: every broken rule is named, the first one as `rule`. */
export const passwordPolicyViolated = (policyName: string, violations: PasswordViolation[], key = 'newPassword') =>
  new AppError({
    code: 'INVALID_INPUT',
    status: 400,
    message: `新密码不符合密码策略：${violations.map((v) => v.message).join('；')}`,
    messageEn: `the new password breaks the ${policyName} password policy: ${violations.map((v) => v.rule).join(', ')}`,
    key,
    rule: `password-policy.${violations[0]!.rule}`,
    article: policyName === 'djbh' ? 'GB/T 22239-2019 8.1.4.1 a)' : 'OWASP ASVS 5.0 V6.2',
  });

export const wrongCurrentPassword = () => invalidInput('currentPassword', '当前密码不正确', 'the current password is wrong');
