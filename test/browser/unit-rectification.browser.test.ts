import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHarness, type BrowserHarness } from './harness.js';

/**
 * 单位整改 in a real browser (Art. 18): the 东城 commission's handler makes a rectification plan for a district
 * bureau, adds an item owned by the bureau, and records its progress with an attachment; the municipal supervisor
 * finds the plan in the list (one item waiting for a check) and checks the item off; an overdue item is marked in
 * the plan and the list; the 西城 handler never sees the plan.
 */

const UNIT = '北京市东城区住房和城市建设委员会';
const PLAN_TITLE = '东城区住房城市建设委房屋安全排查整改（浏览器测试）';
const ITEM_TITLE = '补齐老旧房屋安全排查台账';
const PDF = Buffer.from('%PDF-1.4\n整改台账（浏览器测试）\n%%EOF\n', 'utf8');

const day = (plusDays: number) => new Date(Date.now() + 8 * 3_600_000 + plusDays * 86_400_000).toISOString().slice(0, 10);

describe('unit rectification, in a real browser', () => {
  let h: BrowserHarness;
  let planPath = '';

  beforeAll(async () => {
    h = await startBrowserHarness();
  });
  afterAll(() => h?.close());

  it('the handler makes a unit plan, adds an item and reports progress with an attachment', { timeout: 240_000 }, async () => {
    const page = await h.page('dc-jiwei');
    await page.getByRole('menuitem', { name: /单位整改/ }).click();
    await page.getByTestId('unit-rectification-page').waitFor();
    // The article the page rests on, quoted from the policy pack.
    await expect.poll(async () => (await page.getByTestId('unit-rectification-page').textContent()) ?? '').toContain('第十八条');

    // The plan, for a bureau whose officials the 东城 commission manages.
    await page.getByTestId('new-unit-plan').click();
    const unit = page.locator('#unitId');
    await unit.click();
    await unit.fill('住房');
    await page.locator('.ant-select-item-option').filter({ hasText: UNIT }).first().click();
    await page.getByTestId('unit-plan-title').fill(PLAN_TITLE);
    await page.getByTestId('unit-plan-description').fill('针对房屋安全排查不到位的问题逐项整改。');
    await page.getByTestId('create-unit-plan-submit').click();

    // The plan's own page.
    await page.getByTestId('unit-plan-page').waitFor();
    planPath = new URL(page.url()).pathname;
    expect(planPath).toMatch(/^\/rectification\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId('unit-plan-unit-name').textContent()).resolves.toBe(UNIT);
    await expect(page.getByTestId('rectification-plan').textContent()).resolves.toContain(PLAN_TITLE);

    // An item owned by the unit (the default owner), with a deadline and a long-term mechanism.
    const form = page.getByTestId('add-item');
    await form.getByTestId('item-title').fill(ITEM_TITLE);
    const deadline = day(30);
    const picker = form.locator('.ant-picker input');
    await picker.click();
    await picker.fill(deadline);
    await picker.press('Enter');
    await form.getByTestId('item-mechanism').fill('建立老旧房屋安全季度排查和台账动态更新制度。');
    await form.getByTestId('add-item-submit').click();
    await page.locator('.ant-message-success').filter({ hasText: '已增加整改事项' }).waitFor();
    const item = page.getByTestId('rectification-item');
    await expect.poll(() => item.count()).toBe(1);
    const row = (await item.first().textContent()) ?? '';
    expect(row).toContain(ITEM_TITLE);
    expect(row).toContain(deadline);
    expect(row).toContain(UNIT);
    expect(row).toContain('整改中');

    // Progress, as the handler records what the unit reported, with the ledger attached.
    await item.first().getByTestId('report-progress').click();
    await page.getByTestId('progress-content').fill('已完成辖区 36 栋老旧房屋安全排查，台账附后。');
    await page.locator('.ant-modal input[type=file]').setInputFiles({ name: '排查台账.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.locator('.ant-upload-list-item').filter({ hasText: '排查台账.pdf' }).waitFor();
    await page.getByTestId('progress-submit').click();
    await page.locator('.ant-message-success').filter({ hasText: '已报告整改进展' }).waitFor();
    await expect.poll(() => item.first().getByTestId('item-status').textContent()).toBe('已报告进展');

    // The report and its attachment in the item's history; the attachment downloads as the PDF.
    await item.first().locator('.ant-table-row-expand-icon').click();
    const history = page.getByTestId('item-history');
    await history.waitFor();
    await expect(history.textContent()).resolves.toContain('已完成辖区 36 栋老旧房屋安全排查');
    const link = history.getByTestId('report-attachment');
    await expect(link.textContent()).resolves.toContain('附件1');
    const download = await page.request.get((await link.getAttribute('href'))!);
    expect(download.status()).toBe(200);
    expect(Buffer.from(await download.body()).equals(PDF)).toBe(true);

    // Back in the list: the plan with its progress.
    await page.goto('/rectification');
    const listed = page.getByTestId('unit-plan-row').filter({ hasText: PLAN_TITLE });
    await listed.waitFor();
    const text = (await listed.textContent()) ?? '';
    expect(text).toContain(UNIT);
    expect(text).toContain('东城区纪律检查委员会');
    expect(text).toContain('已完成 0/1 项，待核查 1 项');

    await page.mouse.move(0, 0);
    await h.screenshot(page, 'unit-rectification');
    await page.context().close();
  });

  it('the supervisor finds the plan in the list and checks the item off', { timeout: 240_000 }, async () => {
    const page = await h.page('jiandu');
    await page.getByRole('menuitem', { name: /单位整改/ }).click();
    await page.getByTestId('unit-rectification-page').waitFor();
    // The supervisor checks, but makes no plans.
    await expect(page.getByTestId('new-unit-plan').count()).resolves.toBe(0);
    const listed = page.getByTestId('unit-plan-row').filter({ hasText: PLAN_TITLE });
    await expect(listed.textContent()).resolves.toContain('待核查 1 项');
    await listed.getByTestId('unit-plan-link').click();
    await page.getByTestId('unit-plan-page').waitFor();
    expect(new URL(page.url()).pathname).toBe(planPath);
    // Only the plan organ's handler adds items.
    await expect(page.getByTestId('add-item').count()).resolves.toBe(0);

    const item = page.getByTestId('rectification-item').first();
    await item.getByTestId('check-item').click();
    await expect(page.locator('.ant-modal').textContent()).resolves.toContain('已完成辖区 36 栋老旧房屋安全排查');
    await page.getByTestId('check-note').fill('经实地抽查，台账属实，整改到位。');
    await page.getByTestId('check-submit').click();
    await page.locator('.ant-message-success').filter({ hasText: '已核查通过' }).waitFor();
    await expect.poll(() => item.getByTestId('item-status').textContent()).toBe('已核查通过');
    await expect(page.getByTestId('plan-progress').textContent()).resolves.toContain('共 1 项，已完成 1 项');
    await item.locator('.ant-table-row-expand-icon').click();
    await expect(page.getByTestId('item-history').textContent()).resolves.toContain('经实地抽查，台账属实，整改到位。');

    await page.goto('/rectification');
    await expect(page.getByTestId('unit-plan-row').filter({ hasText: PLAN_TITLE }).textContent()).resolves.toContain('已完成 1/1 项');
    await page.context().close();
  });

  it('marks an overdue item in the plan and the list; another district sees nothing', { timeout: 240_000 }, async () => {
    const page = await h.page('dc-jiwei');
    await page.goto(planPath);
    const form = page.getByTestId('add-item');
    await form.getByTestId('item-title').fill('修订房屋安全巡查办法');
    const picker = form.locator('.ant-picker input');
    await picker.click();
    await picker.fill(day(1));
    await picker.press('Enter');
    await form.getByTestId('item-mechanism').fill('巡查办法每年评估修订一次。');
    await form.getByTestId('add-item-submit').click();
    await expect.poll(() => page.getByTestId('rectification-item').count()).toBe(2);

    // Time passes: the deadline is behind us (a deadline cannot be set in the past through the application).
    await h.db.db.updateTable('rectification_items').set({ deadline: day(-2) }).where('title', '=', '修订房屋安全巡查办法').execute();
    await page.reload();
    await page.getByTestId('overdue-reminders').waitFor();
    await expect(page.getByTestId('overdue-reminders').textContent()).resolves.toContain('逾期未完成的整改事项 1 项');
    await expect(page.getByTestId('rectification-item').nth(1).getByTestId('item-overdue').textContent()).resolves.toBe('逾期');

    await page.goto('/rectification');
    const listed = page.getByTestId('unit-plan-row').filter({ hasText: PLAN_TITLE });
    await expect(listed.getByTestId('unit-plan-overdue').textContent()).resolves.toBe('逾期 1 项');
    await page.getByTestId('overdue-only').click();
    await expect.poll(() => page.getByTestId('unit-plan-row').count()).toBe(1);
    await page.context().close();

    const other = await h.page('xc-jiwei');
    await other.goto('/rectification');
    await other.getByTestId('unit-rectification-page').waitFor();
    await other.locator('.ant-table-tbody').waitFor();
    await expect.poll(async () => (await other.getByTestId('unit-rectification-page').textContent()) ?? '').toContain('尚无单位整改方案');
    await other.goto(planPath);
    await other.getByText('整改方案不存在或不在您的管辖范围内').waitFor();
    await other.context().close();
  });
});
