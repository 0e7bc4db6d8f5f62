/**
 * The password policy, chosen by configuration (RONGCUO_PASSWORD_POLICY). Two settings:
 *
 * - `djbh` (default): what 等保 level 3 assessors check under GB/T 22239-2019 8.1.4.1 a) ("身份标识具有唯一性，
 *   身份鉴别信息具有复杂度要求并定期更换"): at least 8 characters from 3 of the 4 character classes, changed at
 *   least every 90 days, none of the last 5 reused.
 * - `asvs`: OWASP ASVS 5.0 V6.2 — length is the only rule (15 characters, as 6.2.1 strongly recommends when
 *   nothing else is required), any composition (6.2.5), no periodic rotation (6.2.10), at least 64 allowed (6.2.9).
 *
 * Both refuse a password that contains the username or the product's name (ASVS 6.2.11, context words), and a
 * new password equal to the current one (a forced change must change something). Pure but for the reuse check,
 * which verifies against the stored argon2 hashes the caller loads.
 */
import { verify } from '@node-rs/argon2';

export const PASSWORD_POLICY_NAMES = ['djbh', 'asvs'] as const;
export type PasswordPolicyName = (typeof PASSWORD_POLICY_NAMES)[number];

export interface PasswordPolicy {
  name: PasswordPolicyName;
  /** Shown to users and administrators. */
  label: string;
  minLength: number;
  maxLength: number;
  /** How many of the four classes (upper case, lower case, digits, other characters) must appear; 0 for none. */
  minClasses: number;
  /** A password older than this must be changed at the next sign-in; null: no rotation. */
  maxAgeDays: number | null;
  /** A new password may not equal any of the last N passwords, the current one included (at least 1). */
  historySize: number;
}

export const PASSWORD_POLICIES: Record<PasswordPolicyName, PasswordPolicy> = {
  djbh: { name: 'djbh', label: '等级保护（GB/T 22239-2019）', minLength: 8, maxLength: 256, minClasses: 3, maxAgeDays: 90, historySize: 5 },
  asvs: { name: 'asvs', label: 'OWASP ASVS 5.0', minLength: 15, maxLength: 256, minClasses: 0, maxAgeDays: null, historySize: 1 },
};

export const DEFAULT_PASSWORD_POLICY: PasswordPolicyName = 'djbh';

export const passwordPolicy = (name: PasswordPolicyName | undefined): PasswordPolicy => PASSWORD_POLICIES[name ?? DEFAULT_PASSWORD_POLICY];

/** Words that make a password easy to guess here (ASVS 6.2.11); the username is added per user. */
const CONTEXT_WORDS = ['rongcuo'];

export type PasswordRule = 'min-length' | 'max-length' | 'classes' | 'context-word' | 'reused';

export interface PasswordViolation {
  rule: PasswordRule;
  /** The rule as the user reads it, in Chinese. */
  message: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Upper case, lower case, digits, and everything else (symbols, spaces, Chinese characters…). */
export function characterClasses(password: string): number {
  const classes = [/\p{Lu}/u, /\p{Ll}/u, /\p{Nd}/u, /[^\p{Lu}\p{Ll}\p{Nd}]/u];
  return classes.filter((pattern) => pattern.test(password)).length;
}

/** The policy's rules as a list for the password form. */
export function describePasswordPolicy(policy: PasswordPolicy): string[] {
  return [
    `长度至少 ${policy.minLength} 个字符`,
    ...(policy.minClasses > 0 ? [`至少包含大写字母、小写字母、数字、特殊字符中的 ${policy.minClasses} 类`] : []),
    '不得包含用户名或系统名称',
    policy.historySize > 1 ? `不得与最近 ${policy.historySize} 次使用过的密码相同` : '不得与当前密码相同',
    ...(policy.maxAgeDays !== null ? [`密码每 ${policy.maxAgeDays} 天须更换一次`] : []),
  ];
}

/** The message of the reuse rule (checked by the caller against the stored hashes). */
export const reuseViolation = (policy: PasswordPolicy): PasswordViolation => ({
  rule: 'reused',
  message: policy.historySize > 1 ? `不得与最近 ${policy.historySize} 次使用过的密码相同` : '新密码不得与当前密码相同',
});

/**
 * Whether the password is one of the last `historySize` passwords: `recentHashes` are argon2 hashes, the current
 * password's first, then the earlier ones newest first (older ones than the policy remembers are ignored).
 */
export async function reusesRecentPassword(policy: PasswordPolicy, recentHashes: readonly string[], password: string): Promise<boolean> {
  const remembered = recentHashes.slice(0, Math.max(policy.historySize, 1));
  const matches = await Promise.all(remembered.map((stored) => verify(stored, password).catch(() => false)));
  return matches.some(Boolean);
}

/** The composition rules a new password breaks (empty when it passes). Reuse is checked separately. */
export function checkPasswordRules(policy: PasswordPolicy, password: string, context: { username: string }): PasswordViolation[] {
  const violations: PasswordViolation[] = [];
  const length = [...password].length;
  if (length < policy.minLength) violations.push({ rule: 'min-length', message: `长度至少 ${policy.minLength} 个字符` });
  if (length > policy.maxLength) violations.push({ rule: 'max-length', message: `长度不超过 ${policy.maxLength} 个字符` });
  if (policy.minClasses > 0 && characterClasses(password) < policy.minClasses) {
    violations.push({ rule: 'classes', message: `至少包含大写字母、小写字母、数字、特殊字符中的 ${policy.minClasses} 类` });
  }
  const lower = password.toLowerCase();
  if ([context.username, ...CONTEXT_WORDS].some((word) => word.length >= 3 && lower.includes(word.toLowerCase()))) {
    violations.push({ rule: 'context-word', message: '不得包含用户名或系统名称' });
  }
  return violations;
}

/**
 * Whether the password must be changed before the user may work: never set by its holder (a seeded account, or
 * one an administrator set), or older than the policy's maximum age.
 */
export function passwordChangeDue(policy: PasswordPolicy, changedAt: Date | null, now: Date): 'initial' | 'expired' | undefined {
  if (changedAt === null) return 'initial';
  if (policy.maxAgeDays !== null && now.getTime() - changedAt.getTime() >= policy.maxAgeDays * DAY_MS) return 'expired';
  return undefined;
}
