import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHarness, type BrowserHarness } from './harness.js';

/**
 * 三权分立 in a real browser: the security administrator (anquan) grants a role and raises a clearance on 角色与密级;
 * the audit administrator (shenji) reads the trail on 审计记录 and finds that grant; the handler labels a case 敏感
 * on its page once cleared for it.
 */
describe('the administrators\' pages, in a real browser', () => {
  let h: BrowserHarness;

  beforeAll(async () => {
    h = await startBrowserHarness();
  }, 300_000);
  afterAll(() => h?.close());

  it('lets the security administrator grant a role and set a clearance, and the audit administrator see it', { timeout: 180_000 }, async () => {
    const page = await h.page('anquan');
    await page.goto('/admin/security');
    await page.getByTestId('security-admin-page').waitFor();
    const row = page.locator('tr', { hasText: '白志刚' }).first();
    await row.getByRole('button', { name: '授予角色' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('角色').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '审批人' }).click();
    // The list is long (virtual): filter it by typing, as a user would.
    await dialog.getByLabel('单位').fill('北京市监察委员会');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '北京市监察委员会' }).first().click();
    await dialog.getByRole('button', { name: /授\s*予/ }).click();
    await expect.poll(async () => row.textContent()).toContain('审批人');
    await h.screenshot(page, 'security-admin');

    const clearance = page.getByLabel('dc-jiwei 的密级许可');
    await clearance.click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '敏感' }).click();
    await expect.poll(async () => (await h.db.db.selectFrom('users').select('clearance').where('username', '=', 'dc-jiwei').executeTakeFirstOrThrow()).clearance).toBe(2);

    const audit = await h.page('shenji');
    await audit.goto('/admin/audit');
    await audit.getByTestId('audit-log-page').waitFor();
    await audit.getByPlaceholder('如 case.read').fill('role.granted');
    await audit.getByRole('button', { name: /查\s*询/ }).click();
    // The filtered page replaces the first one when it arrives (a loading table shows 暂无数据 meanwhile).
    await expect.poll(async () => audit.locator('tbody').first().textContent(), { timeout: 30_000 }).toContain('role.granted');
    await h.screenshot(audit, 'audit-log');
  });

  it('lets the handler, once cleared, label a case 敏感 on its page', { timeout: 180_000 }, async () => {
    await h.db.db.updateTable('users').set({ clearance: 2 }).where('username', '=', 'dc-jiwei').execute();
    const kase = await h.db.db
      .selectFrom('cases')
      .innerJoin('organizations', 'organizations.id', 'cases.organ_id')
      .select(['cases.id'])
      .where('organizations.short_name', '=', '东城区纪委监委')
      .executeTakeFirstOrThrow();
    const page = await h.page('dc-jiwei');
    await page.goto(`/cases/${kase.id}`);
    const select = page.getByTestId('case-sensitivity');
    await select.waitFor();
    await select.click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '敏感' }).click();
    await expect.poll(async () => (await h.db.db.selectFrom('cases').select('sensitivity').where('id', '=', kase.id).executeTakeFirstOrThrow()).sensitivity).toBe(2);
  });
});
