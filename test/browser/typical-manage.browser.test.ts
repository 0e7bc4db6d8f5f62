import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHarness, type BrowserHarness } from './harness.js';

/**
 * Managing typical cases (Art. 20 ¶4) through the UI in a real browser: a 东城 handler drafts one from a closed
 * case and submits it, the publicity department approves and publishes it, and a visitor who never signed in
 * sees it on the public page.
 */
describe('managing typical cases, in a real browser', () => {
  let h: BrowserHarness;
  beforeAll(async () => {
    h = await startBrowserHarness();
  });
  afterAll(() => h?.close());

  it('drafts, submits, approves and publishes a typical case through the UI', async () => {
    const handler = await h.page('dc-jiwei');
    await handler.goto('/typical-cases/manage');
    await handler.getByText('从已结案案件起草').waitFor();
    await handler.getByRole('combobox').click();
    const option = handler.locator('.ant-select-item-option').first();
    await option.waitFor();
    await option.click();
    await handler.getByRole('button', { name: /起草/ }).click();
    await handler.getByText('已起草典型案例').waitFor();
    await handler.getByText('去标识检查通过', { exact: false }).waitFor();
    const detail = handler.locator('.ant-card').filter({ has: handler.getByRole('button', { name: '报送审核' }) });
    const title = (await detail.locator('.ant-card-head-title .ant-space-item').first().innerText()).trim();
    expect(title.length).toBeGreaterThan(0);
    await handler.getByRole('button', { name: '报送审核' }).click();
    await handler.locator('.ant-card-head-title').getByText('待宣传部门审核').waitFor();
    await expect(handler.getByRole('button', { name: '报送审核' }).count()).resolves.toBe(0);
    await handler.context().close();

    const publicity = await h.page('xuanchuan');
    await publicity.goto('/typical-cases/manage');
    await publicity.locator('.ant-list-item').filter({ hasText: title }).click();
    await publicity.locator('.ant-card-head-title').getByText(title).waitFor();
    await publicity.getByRole('button', { name: '审核同意' }).click();
    const publish = publicity.getByRole('button', { name: /^发\s?布$/ });
    await publish.waitFor();
    await expect(publish.isEnabled()).resolves.toBe(true);
    await publish.click();
    await publicity.getByRole('button', { name: /^发\s?布$/ }).waitFor({ state: 'detached' });
    await publicity.locator('.ant-card-head-title').getByText('已发布').waitFor();
    await publicity.context().close();

    const visitor = await h.anonymousPage();
    await visitor.goto('/typical-cases');
    await visitor.getByTestId('typical-detail').getByText(title).waitFor();
    expect(visitor.url()).not.toContain('/login');
    await h.screenshot(visitor, 'typical-manage');
    await visitor.context().close();
  });
});
