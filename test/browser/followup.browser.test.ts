import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHarness, type BrowserHarness } from './harness.js';

/**
 * After the decision, in a real browser: the district handler makes a rectification plan and an item on a served
 * case of 东城 (整改 tab); the organization department checks an exempt official for selection (无影响); the
 * follow-up page lists this week's visits (or, with none due, takes a prevention reminder).
 * Needs the routes /followup and /selection-check and the case tab `rectification`.
 */

interface CaseRow {
  id: string;
  title: string;
  state: string;
  organ: { id: string; name: string };
  official: { name: string };
}

interface DueAssessment {
  basis: string;
  official: { id: string; name: string; position: string };
  caseId: string;
}

describe('rectification and follow-up, in a real browser', () => {
  let h: BrowserHarness;

  beforeAll(async () => {
    h = await startBrowserHarness();
  });
  afterAll(() => h?.close());

  it('makes a rectification plan and an item on a served case of 东城', { timeout: 240_000 }, async () => {
    const page = await h.page('dc-jiwei');
    const list = (await (await page.request.get('/api/v1/cases?state=served,under-appeal,appeal-decided,closed&limit=100')).json()) as { data: CaseRow[] };
    const served = list.data.filter((c) => c.organ.name.includes('东城')).find((c) => c.state !== 'closed');
    expect(served, 'a served case of 东城').toBeDefined();

    await page.goto(`/cases/${served!.id}?tab=rectification`);
    await page.getByTestId('case-state').waitFor();
    const tab = page.getByTestId('rectification-tab');
    await tab.waitFor();

    // The plan: made by the deciding organ's handler.
    await page.getByTestId('create-plan').waitFor();
    await page.getByTestId('plan-title').fill('东城区整改方案（浏览器测试）');
    await page.getByTestId('plan-description').fill('针对案件暴露的程序问题逐项整改。');
    await page.getByTestId('create-plan-submit').click();
    await page.getByTestId('rectification-plan').waitFor();
    await expect(page.getByTestId('rectification-plan').textContent()).resolves.toContain('东城区整改方案（浏览器测试）');

    // An item owned by the case's official (the default), with a deadline and a long-term mechanism.
    const form = page.getByTestId('add-item');
    await form.getByTestId('item-title').fill('补齐合同延期的集体决策程序');
    const deadline = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
    const picker = form.locator('.ant-picker input');
    await picker.click();
    await picker.fill(deadline);
    await picker.press('Enter');
    await form.getByTestId('item-mechanism').fill('修订合同管理办法，延期一律经党组会研究并公开招标。');
    await form.getByTestId('add-item-submit').click();
    await page.locator('.ant-message-success').filter({ hasText: '已增加整改事项' }).waitFor();
    const item = page.getByTestId('rectification-item');
    await expect.poll(() => item.count()).toBe(1);
    await expect(item.first().textContent()).resolves.toContain('补齐合同延期的集体决策程序');
    await expect(item.first().textContent()).resolves.toContain(deadline);
    await expect(item.first().textContent()).resolves.toContain(served!.official.name);

    // The API agrees: one item, owned by the official.
    const api = (await (await page.request.get(`/api/v1/cases/${served!.id}/rectification`)).json()) as { data: { plan: { items: { owner: { kind: string } }[] } | null } };
    expect(api.data.plan?.items).toHaveLength(1);
    expect(api.data.plan?.items[0]?.owner.kind).toBe('official');

    await page.mouse.move(0, 0);
    await page.locator('.ant-message-notice').first().waitFor({ state: 'detached' });
    await h.screenshot(page, 'rectification-tab');
    await page.context().close();
  });

  it('shows the organization department that an exempt official is not restricted', { timeout: 180_000 }, async () => {
    const page = await h.page('zuzhibu');
    const due = (await (await page.request.get('/api/v1/followup/assessments/due')).json()) as { data: { items: DueAssessment[] } };
    const exempt = due.data.items.find((a) => a.basis === 'exemption');
    expect(exempt, `an exempt official among ${JSON.stringify(due.data.items.map((a) => a.basis))}`).toBeDefined();

    await page.goto('/selection-check');
    await page.getByTestId('selection-check-page').waitFor();
    const official = page.locator('#officialId');
    await official.click();
    await official.fill(exempt!.official.name);
    await page.locator('.ant-select-item-option').filter({ hasText: exempt!.official.name }).first().click();
    await page.getByTestId('selection-submit').click();
    const verdict = page.getByTestId('selection-verdict');
    await verdict.waitFor();
    await expect(verdict.textContent()).resolves.toBe('无影响');
    // Never a case's details.
    const text = (await page.getByTestId('selection-check-page').textContent()) ?? '';
    expect(text).not.toContain(exempt!.caseId);

    await page.mouse.move(0, 0);
    await h.screenshot(page, 'selection-check');
    await page.context().close();
  });

  it("lists this week's visits, or records a prevention reminder when none is due", { timeout: 180_000 }, async () => {
    const page = await h.page('dc-jiwei');
    await page.goto('/followup');
    await page.getByTestId('followup-page').waitFor();
    await page.getByTestId('visits-tab').waitFor();
    const due = (await (await page.request.get('/api/v1/followup/visits/due')).json()) as { data: { items: unknown[] } };
    await expect.poll(() => page.getByTestId('due-visit').count()).toBe(due.data.items.length);

    if (due.data.items.length === 0) {
      // None due this week: an early reminder for an official in 东城's jurisdiction instead.
      const list = (await (await page.request.get('/api/v1/cases?limit=100')).json()) as { data: CaseRow[] };
      const name = list.data.find((c) => c.organ.name.includes('东城'))!.official.name;
      await page.getByRole('tab', { name: '预防提醒' }).click();
      await page.getByTestId('reminder-tab').waitFor();
      const official = page.locator('#officialId');
      await official.click();
      await official.fill(name);
      await page.locator('.ant-select-item-option').filter({ hasText: name }).first().click();
      await page.getByTestId('reminder-problem').fill('近期对群众来信答复不够及时，存在推诿苗头。');
      await page.getByTestId('reminder-submit').click();
      await page.getByTestId('reminder-recorded').waitFor();
      await expect(page.getByTestId('reminder-recorded').textContent()).resolves.toContain('已记录提醒');
    }

    await page.mouse.move(0, 0);
    await h.screenshot(page, 'followup');
    await page.context().close();
  });
});
