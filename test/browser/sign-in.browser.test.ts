import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_USERS } from '../../src/db/seed-demo.js';
import { derivedPassword, rememberSignIn, totpCode, totpStepAt } from '../helpers/identity.js';
import { ROLE_LABELS_FOR_TEST } from './role-labels.js';
import { startBrowserHarness, type BrowserHarness } from './harness.js';

describe('signing in, in a real browser', () => {
  let h: BrowserHarness;
  beforeAll(async () => {
    h = await startBrowserHarness();
  });
  afterAll(() => h?.close());

  const passwordStep = async (page: Page, username: string, password: string) => {
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码', { exact: true }).fill(password);
    await page.getByRole('button', { name: /登\s*录/ }).click();
  };

  it('leads a first sign-in through the authenticator, the recovery codes and the password change to the workbench', async () => {
    const user = DEMO_USERS.find((u) => u.username === 'dc-jiwei')!;
    const page = await h.anonymousPage();
    await page.goto('/');
    await page.waitForURL(/\/login/);
    await h.screenshot(page, '01-sign-in');
    await passwordStep(page, user.username, DEMO_PASSWORD);

    // Enrolment: the QR code of the otpauth URI, and the same secret to type by hand.
    await page.getByText('绑定身份验证器（第二重身份验证）').waitFor();
    const qr = page.getByTestId('totp-qr').locator('canvas, svg');
    await qr.first().waitFor();
    expect(await qr.first().isVisible()).toBe(true);
    const secret = (await page.getByTestId('totp-secret').textContent())!.replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await page.getByLabel('验证码', { exact: true }).fill(totpCode(secret, totpStepAt(new Date())));
    await h.screenshot(page, '01b-enrol-authenticator');
    await page.getByRole('button', { name: '绑定并继续' }).click();

    // The recovery codes, shown this once.
    await page.getByText('恢复码只显示这一次').waitFor();
    const codes = (await page.getByTestId('recovery-codes').locator('code').allTextContents()).map((c) => c.trim());
    expect(codes).toHaveLength(10);
    for (const code of codes) expect(code).toMatch(/^[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}$/);
    await h.screenshot(page, '01c-recovery-codes');
    await page.getByRole('button', { name: '我已妥善保存，继续' }).click();

    // The seeded password must go: the policy is listed, a breach is named at the field.
    await page.getByText('首次登录须修改初始密码').waitFor();
    await expect(page.getByTestId('password-rules').textContent()).resolves.toContain('长度至少 8 个字符');
    await page.getByLabel('新密码', { exact: true }).fill('short');
    await page.getByLabel('确认新密码').fill('short');
    await page.getByRole('button', { name: '修改密码并登录' }).click();
    await page.getByText(/新密码不符合密码策略：长度至少 8 个字符/).waitFor();
    await h.screenshot(page, '01d-change-password');
    const chosen = derivedPassword(user.username, DEMO_PASSWORD, 99);
    await page.getByLabel('新密码', { exact: true }).fill(chosen);
    await page.getByLabel('确认新密码').fill(chosen);
    await page.getByRole('button', { name: '修改密码并登录' }).click();

    await page.waitForURL(/\/workbench/);
    await expect(page.getByTestId('current-user').textContent()).resolves.toContain(user.displayName.split(' · ')[0]);
    await page.context().close();

    // The next sign-in asks for the chosen password and a code, nothing more; the public one is refused.
    const again = await h.anonymousPage();
    await again.goto('/login');
    await passwordStep(again, user.username, DEMO_PASSWORD);
    await expect(again.getByRole('alert').filter({ hasText: '用户名或密码错误' }).waitFor()).resolves.toBeUndefined();
    await passwordStep(again, user.username, chosen);
    await again.getByText('第二重身份验证').waitFor();
    const step = totpStepAt(new Date()) + 1;
    await again.getByLabel('验证码', { exact: true }).fill(totpCode(secret, step));
    await again.getByRole('button', { name: '验证并登录' }).click();
    await again.waitForURL(/\/workbench/);
    const me = (await (await again.request.get('/api/v1/session')).json()) as { user: { id: string } };
    rememberSignIn({ username: user.username, password: DEMO_PASSWORD }, { userId: me.user.id, password: chosen, totpSecret: secret, lastStep: step });
    await again.context().close();
  });

  it('signs in through the form with password and code as each role of the demo data and lands on the workbench', async () => {
    for (const user of DEMO_USERS.filter((u) => u.username !== 'dc-jiwei')) {
      // The first sign-in (enrolment, password change) over the API; this one through the form.
      const account = await h.prepare(user.username);
      const page = await h.anonymousPage();
      await page.goto('/');
      await page.waitForURL(/\/login/);
      await passwordStep(page, user.username, account.password);
      await page.getByLabel('验证码', { exact: true }).fill(account.code());
      await page.getByRole('button', { name: '验证并登录' }).click();
      await page.waitForURL(/\/workbench/);
      await expect(page.getByTestId('current-user').textContent()).resolves.toContain(user.displayName.split(' · ')[0]);
      await expect(page.getByText(ROLE_LABELS_FOR_TEST[user.role]!, { exact: true }).first().isVisible()).resolves.toBe(true);
      await page.context().close();
    }
  });

  it('shows a wrong password next to the form in Chinese and stays on the sign-in page', async () => {
    const page = await h.anonymousPage();
    await page.goto('/login');
    await passwordStep(page, 'dc-jiwei', 'not-the-password');
    await expect(page.getByRole('alert').filter({ hasText: '用户名或密码错误' }).waitFor()).resolves.toBeUndefined();
    expect(page.url()).toContain('/login');
    await page.context().close();
  });

  it('keeps a half-finished sign-in away from the application', async () => {
    const page = await h.anonymousPage();
    await page.goto('/login');
    await passwordStep(page, 'jiwei-fc', DEMO_PASSWORD);
    await page.getByText('绑定身份验证器（第二重身份验证）').waitFor();
    await page.goto('/cases');
    await page.waitForURL(/\/login/);
    // The sign-in resumes at its step.
    await page.getByText('绑定身份验证器（第二重身份验证）').waitFor();
    expect((await page.request.get('/api/v1/cases')).status()).toBe(401);
    await page.context().close();
  });

  it('lists the cases a district handler may see, with the same total as the API', async () => {
    const page = await h.page('dc-jiwei', DEMO_PASSWORD);
    await page.goto('/cases');
    await page.getByTestId('case-total').waitFor();
    const api = (await (await page.request.get('/api/v1/cases?limit=20')).json()) as { total: number; data: { title: string }[] };
    // The total shows 0 until the list has loaded: wait for it to settle on the API's number.
    await expect.poll(() => page.getByTestId('case-total').textContent()).toBe(`共 ${api.total} 件`);
    for (const c of api.data) await expect(page.getByRole('link', { name: c.title }).isVisible()).resolves.toBe(true);
    await h.screenshot(page, '02-case-list');
    await page.context().close();
  });
});
