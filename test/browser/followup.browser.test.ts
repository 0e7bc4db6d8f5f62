import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHarness, type BrowserHarness } from './harness.js';

/**
 * After the decision, in a real browser: the district handler makes a rectification plan and an item on a served
 * case of 东城 (整改 tab); the organization department checks an exempt official for selection (无影响); the
 * follow-up page lists this week's visits (or, with none due, takes a prevention reminder); the organ's handler sets a
 * penalty period through the form; a prevention reminder is followed up and leaves the workbench.
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

  it('lets the organ’s handler set a penalty period, with errors shown next to the field; others get no form', { timeout: 180_000 }, async () => {
    const page = await h.page('dc-jiwei');
    await page.goto('/followup?tab=periods');
    await page.getByTestId('periods-tab').waitFor();
    const form = page.getByTestId('period-form');
    await form.waitFor();
    await expect.poll(() => form.textContent()).toContain('东城区纪律检查委员会');
    const errors = form.locator('.ant-form-item-explain-error');

    const kind = form.locator('#kind');
    await kind.fill('Admonishment');
    await kind.press('Escape');
    await form.locator('#label').fill('诫勉（本机关）');
    await form.locator('#months').fill('300');
    await form.locator('#source').fill('东城区纪委监委《关于诫勉影响期的规定》第三条（浏览器测试）');
    await page.getByTestId('period-submit').click();
    // The server's refusal, next to the field it names.
    await expect.poll(() => errors.allTextContents()).toEqual(['种类编码格式不正确（小写字母、数字和连字符）']);
    await expect(form.locator('.ant-form-item-has-error #kind').count()).resolves.toBe(1);

    await kind.fill('admonishment');
    await kind.press('Escape');
    await page.getByTestId('period-submit').click();
    await expect.poll(() => errors.allTextContents()).toEqual(['影响期应为 0 至 240 个月']);
    await expect(form.locator('.ant-form-item-has-error #months').count()).resolves.toBe(1);

    await form.locator('#months').fill('12');
    await page.getByTestId('period-submit').click();
    await page.locator('.ant-message-success').filter({ hasText: '12 个月' }).waitFor();
    const row = page.getByTestId('periods-configured').locator('.ant-table-row').filter({ hasText: '诫勉（本机关）' });
    await expect.poll(() => row.count()).toBe(1);
    await expect(row.first().textContent()).resolves.toContain('12 个月');
    const stored = await h.db.db.selectFrom('penalty_period_settings').select(['kind', 'label', 'months']).execute();
    expect(stored).toEqual([{ kind: 'admonishment', label: '诫勉（本机关）', months: 12 }]);
    await page.context().close();

    // The organization department sets no organ's periods (configure-penalty-period.ts): no form.
    const other = await h.page('zuzhibu');
    await other.goto('/followup?tab=periods');
    await other.getByTestId('periods-configured').waitFor();
    expect(await other.getByTestId('period-form').count()).toBe(0);
    await other.context().close();
  });

  it('records a prevention reminder and follows it up; the follow-up leaves the workbench', { timeout: 240_000 }, async () => {
    const PROBLEM = '会议纪要整理不够及时（浏览器测试）。';
    const RECORD = '已当面了解，纪要均已按时整理归档（浏览器测试）。';
    // Days relative to today in UTC: within a day of Beijing's, whatever the hour.
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const page = await h.page('dc-jiwei');
    const list = (await (await page.request.get('/api/v1/cases?limit=100')).json()) as { data: CaseRow[] };
    const name = list.data.find((c) => c.organ.name.includes('东城'))!.official.name;
    // Typed, then Tab (Enter would submit the form around the picker).
    const openPanels = page.locator('.ant-picker-dropdown:visible');
    const fillDay = async (locator: ReturnType<typeof page.locator>, value: string) => {
      await locator.click();
      await locator.fill(value);
      // Tab leaves the field as a person would: the typed date is taken and the panel closes (a click on its cell
      // could land on a cell the panel was just re-rendering, and leave it open).
      await locator.press('Tab');
      await expect.poll(() => openPanels.count()).toBe(0);
      await expect.poll(() => locator.inputValue()).toBe(value);
    };

    await page.goto('/followup?tab=reminders');
    await page.getByTestId('reminder-tab').waitFor();
    const official = page.locator('#officialId');
    await official.click();
    await official.fill(name);
    await page.locator('.ant-select-item-option').filter({ hasText: name }).first().click();
    await page.getByTestId('reminder-problem').fill(PROBLEM);
    await fillDay(page.locator('#givenOn'), day(-3));
    await fillDay(page.locator('#followUpOn'), day(2));
    await page.getByTestId('reminder-submit').click();
    await page.getByTestId('reminder-recorded').waitFor();

    // Listed, with its follow-up due — and on the workbench.
    const row = page.getByTestId('reminder-row').filter({ hasText: PROBLEM });
    await expect.poll(() => row.count()).toBe(1);
    await expect(row.textContent()).resolves.toContain(day(2));
    const reminderTasks = async () =>
      ((await (await page.request.get('/api/v1/workbench')).json()) as { data: { items: { caseTitle: string; official: { name: string } }[] } }).data.items.filter(
        (i) => i.caseTitle === '预防提醒跟踪' && i.official.name === name,
      ).length;
    expect(await reminderTasks()).toBe(1);

    await row.getByTestId('record-reminder-follow-up').click();
    const modal = page.locator('.ant-modal').filter({ hasText: '记录跟踪' });
    await modal.waitFor();
    // Before the reminder: the server refuses, next to the date.
    await fillDay(modal.locator('#followedUpOn'), day(-4));
    await modal.locator('#record').fill(RECORD);
    await modal.getByText('问题已解决').click();
    await page.getByTestId('follow-up-submit').click();
    await expect.poll(() => modal.locator('.ant-form-item-explain-error').allTextContents()).toEqual([expect.stringContaining('跟踪日期不能早于提醒日期')]);

    await fillDay(modal.locator('#followedUpOn'), day(-1));
    await page.getByTestId('follow-up-submit').click();
    await page.locator('.ant-message-success').filter({ hasText: '跟踪情况' }).waitFor();
    await modal.waitFor({ state: 'hidden' });
    await expect.poll(async () => (await row.getByTestId('reminder-follow-up').allTextContents()).join('')).toContain(RECORD);
    await expect(row.getByTestId('reminder-status').textContent()).resolves.toBe('已解决');
    expect(await reminderTasks()).toBe(0);

    const stored = await h.db.db
      .selectFrom('reminder_follow_ups')
      .innerJoin('prevention_reminders', 'prevention_reminders.id', 'reminder_follow_ups.reminder_id')
      .select(['reminder_follow_ups.followed_up_on', 'reminder_follow_ups.resolved', 'prevention_reminders.follow_up_on'])
      .where('prevention_reminders.problem', '=', PROBLEM)
      .execute();
    expect(stored).toEqual([{ followed_up_on: day(-1), resolved: true, follow_up_on: null }]);

    await page.mouse.move(0, 0);
    await page.locator('.ant-message-notice').first().waitFor({ state: 'detached' });
    await h.screenshot(page, 'reminder-follow-up');
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
