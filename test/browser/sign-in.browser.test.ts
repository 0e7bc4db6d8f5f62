import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_USERS } from '../../src/db/seed-demo.js';
import { ROLE_LABELS_FOR_TEST } from './role-labels.js';
import { startBrowserHarness, type BrowserHarness } from './harness.js';

describe('signing in, in a real browser', () => {
  let h: BrowserHarness;
  beforeAll(async () => {
    h = await startBrowserHarness();
  });
  afterAll(() => h?.close());

  it('signs in through the form as each role of the demo data and lands on the workbench', async () => {
    for (const user of DEMO_USERS) {
      const page = await h.anonymousPage();
      await page.goto('/');
      await page.waitForURL(/\/login/);
      if (user === DEMO_USERS[0]) await h.screenshot(page, '01-sign-in');
      await page.getByLabel('用户名').fill(user.username);
      await page.getByLabel('密码').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: /登\s*录/ }).click();
      await page.waitForURL(/\/workbench/);
      await expect(page.getByTestId('current-user').textContent()).resolves.toContain(user.displayName.split(' · ')[0]);
      await expect(page.getByText(ROLE_LABELS_FOR_TEST[user.role]!, { exact: true }).first().isVisible()).resolves.toBe(true);
      await page.context().close();
    }
  });

  it('shows a wrong password next to the form in Chinese and stays on the sign-in page', async () => {
    const page = await h.anonymousPage();
    await page.goto('/login');
    await page.getByLabel('用户名').fill('dc-jiwei');
    await page.getByLabel('密码').fill('not-the-password');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('alert').filter({ hasText: '用户名或密码错误' }).waitFor()).resolves.toBeUndefined();
    expect(page.url()).toContain('/login');
    await page.context().close();
  });

  it('lists the cases a district handler may see, with the same total as the API', async () => {
    const page = await h.page('dc-jiwei');
    await page.goto('/cases');
    await page.getByTestId('case-total').waitFor();
    const api = (await (await page.request.get('/api/v1/cases?limit=20')).json()) as { total: number; data: { title: string }[] };
    await expect(page.getByTestId('case-total').textContent()).resolves.toBe(`共 ${api.total} 件`);
    for (const c of api.data) await expect(page.getByRole('link', { name: c.title }).isVisible()).resolves.toBe(true);
    await h.screenshot(page, '02-case-list');
    await page.context().close();
  });
});
