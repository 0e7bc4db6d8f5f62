import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHarness, type BrowserHarness } from './harness.js';

/**
 * The organization department records a comprehensive assessment (综合研判, Art. 19(4)) for the first official due,
 * through the follow-up page's 综合研判 tab, and the official is then no longer due.
 */

interface DueAssessment {
  basis: string;
  official: { id: string; name: string; position: string };
  caseId: string;
  penalty: { id: string } | null;
}

const FACTORS: Record<string, string> = {
  nature: '属于推进改革中的探索性失误，非违纪违法问题。',
  motive: '出于公心，为推动工作，未谋取私利。',
  degree: '情节轻微，损失已及时挽回。',
  tolerance: '符合容错情形，已依规免责。',
  usualPerformance: '一贯工作积极，群众评价较好。',
  performanceSince: '处理后工作状态良好，担当作为。',
};

const keyOf = (a: DueAssessment) => `${a.caseId}-${a.basis}-${a.penalty?.id ?? ''}`;

describe('comprehensive assessment, in a real browser', () => {
  let h: BrowserHarness;

  beforeAll(async () => {
    h = await startBrowserHarness();
  });
  afterAll(() => h?.close());

  it('records a comprehensive assessment for the first official due', { timeout: 240_000 }, async () => {
    const page = await h.page('zuzhibu');
    const before = (await (await page.request.get('/api/v1/followup/assessments/due')).json()) as { data: { items: DueAssessment[] } };
    const first = before.data.items[0];
    expect(first, 'an official due for a comprehensive assessment').toBeDefined();

    await page.goto('/followup?tab=assessments');
    await page.getByTestId('followup-page').waitFor();
    await page.getByRole('tab', { name: /综合研判/ }).click();
    await page.getByTestId('assessments-tab').waitFor();
    const rows = page.getByTestId('due-assessment');
    await expect.poll(() => rows.count()).toBe(before.data.items.length);
    await expect(rows.first().textContent()).resolves.toContain(first!.official.name);

    await rows.first().getByTestId('record-assessment').click();
    const modal = page.locator('.ant-modal').filter({ hasText: `综合研判：${first!.official.name}` });
    await modal.waitFor();
    for (const [factor, text] of Object.entries(FACTORS)) await modal.getByTestId(`factor-${factor}`).fill(text);
    await modal.locator('.ant-select').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '继续在岗使用' }).click();
    await modal.getByRole('button', { name: /记录并报送/ }).click();
    await page.locator('.ant-message-success').filter({ hasText: `已记录对${first!.official.name}的综合研判` }).waitFor();
    await modal.waitFor({ state: 'hidden' });

    // The API agrees: that assessment is no longer due, and the list shrank by one.
    const after = (await (await page.request.get('/api/v1/followup/assessments/due')).json()) as { data: { items: DueAssessment[] } };
    expect(after.data.items.map(keyOf)).not.toContain(keyOf(first!));
    expect(after.data.items).toHaveLength(before.data.items.length - 1);
    await expect.poll(() => rows.count()).toBe(after.data.items.length);

    await page.mouse.move(0, 0);
    await page.locator('.ant-message-notice').first().waitFor({ state: 'detached' });
    await h.screenshot(page, 'comprehensive-assessment');
    await page.context().close();
  });
});
