import { hash } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { characterClasses, reusesRecentPassword, checkPasswordRules, describePasswordPolicy, passwordChangeDue, passwordPolicy, PASSWORD_POLICIES, reuseViolation } from './password-policy.js';

const djbh = PASSWORD_POLICIES.djbh;
const asvs = PASSWORD_POLICIES.asvs;
const rules = (policy: typeof djbh, password: string, username = 'zhangsan') => checkPasswordRules(policy, password, { username }).map((v) => v.rule);
const DAY = 24 * 60 * 60 * 1000;

describe('the 等保 password policy (default)', () => {
  it('is the default when nothing is configured', () => {
    expect(passwordPolicy(undefined)).toBe(djbh);
    expect(djbh).toMatchObject({ minLength: 8, minClasses: 3, maxAgeDays: 90, historySize: 5 });
  });

  it('wants at least 8 characters', () => {
    expect(rules(djbh, 'Ab1!xyz')).toEqual(['min-length']);
    expect(rules(djbh, 'Ab1!xyzw')).toEqual([]);
  });

  it('wants 3 of the 4 classes: upper, lower, digits, others', () => {
    expect(characterClasses('abcdefgh')).toBe(1);
    expect(characterClasses('abcDEF12')).toBe(3);
    expect(characterClasses('abc 中文 1A')).toBe(4);
    expect(rules(djbh, 'abcdefgh12')).toEqual(['classes']);
    expect(rules(djbh, 'abcdefgh1!')).toEqual([]);
    expect(rules(djbh, 'ABCDEFGH1!')).toEqual([]);
    expect(rules(djbh, 'Abcdefghij')).toEqual(['classes']);
  });

  it('names every broken rule in Chinese', () => {
    const violations = checkPasswordRules(djbh, 'abc', { username: 'zhangsan' });
    expect(violations.map((v) => v.message)).toEqual(['长度至少 8 个字符', '至少包含大写字母、小写字母、数字、特殊字符中的 3 类']);
  });

  it('refuses the username and the product name inside the password, in any case', () => {
    expect(rules(djbh, 'ZhangSan#2026')).toEqual(['context-word']);
    expect(rules(djbh, 'Rongcuo-demo1')).toEqual(['context-word']);
  });

  it('requires a change after 90 days, and at the first sign-in of a password someone else set', () => {
    const changed = new Date('2026-01-01T00:00:00Z');
    expect(passwordChangeDue(djbh, changed, new Date(changed.getTime() + 90 * DAY - 1))).toBeUndefined();
    expect(passwordChangeDue(djbh, changed, new Date(changed.getTime() + 90 * DAY))).toBe('expired');
    expect(passwordChangeDue(djbh, null, changed)).toBe('initial');
  });

  it('refuses any of the last 5 passwords, the current one included, and allows the 6th', async () => {
    // Newest first: the current password, then the four before it, then an older one the policy has forgotten.
    const passwords = ['Current#1', 'Earlier#2', 'Earlier#3', 'Earlier#4', 'Earlier#5', 'Forgotten#6'];
    const hashes = await Promise.all(passwords.map((p) => hash(p)));
    for (const reused of passwords.slice(0, 5)) expect(await reusesRecentPassword(djbh, hashes, reused)).toBe(true);
    expect(await reusesRecentPassword(djbh, hashes, 'Forgotten#6')).toBe(false);
    expect(await reusesRecentPassword(djbh, hashes, 'Brand-new#7')).toBe(false);
  });

  it('says so in Chinese', () => {
    expect(reuseViolation(djbh)).toEqual({ rule: 'reused', message: '不得与最近 5 次使用过的密码相同' });
    expect(describePasswordPolicy(djbh)).toEqual([
      '长度至少 8 个字符',
      '至少包含大写字母、小写字母、数字、特殊字符中的 3 类',
      '不得包含用户名或系统名称',
      '不得与最近 5 次使用过的密码相同',
      '密码每 90 天须更换一次',
    ]);
  });
});

describe('the ASVS 5 password policy (configured)', () => {
  it('is chosen by name', () => {
    expect(passwordPolicy('asvs')).toBe(asvs);
  });

  it('has length as its only strength rule: no composition', () => {
    expect(rules(asvs, 'abcdefghijklmn')).toEqual(['min-length']);
    expect(rules(asvs, 'correct horse battery')).toEqual([]);
    expect(rules(asvs, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')).toEqual([]);
  });

  it('allows at least 64 characters', () => {
    expect(asvs.maxLength).toBeGreaterThanOrEqual(64);
    expect(rules(asvs, 'x'.repeat(257))).toEqual(['max-length']);
  });

  it('never requires rotation, however old the password', () => {
    expect(passwordChangeDue(asvs, new Date('2020-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'))).toBeUndefined();
    // A password someone else set is still replaced at the first sign-in.
    expect(passwordChangeDue(asvs, null, new Date())).toBe('initial');
  });

  it('only forbids keeping the current password', async () => {
    const hashes = await Promise.all(['Current password 1', 'An earlier password'].map((p) => hash(p)));
    expect(await reusesRecentPassword(asvs, hashes, 'Current password 1')).toBe(true);
    expect(await reusesRecentPassword(asvs, hashes, 'An earlier password')).toBe(false);
    expect(asvs.historySize).toBe(1);
    expect(reuseViolation(asvs).message).toBe('新密码不得与当前密码相同');
    expect(describePasswordPolicy(asvs)).not.toContain('密码每 90 天须更换一次');
  });
});
