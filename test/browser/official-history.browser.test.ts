import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHarness, type BrowserHarness } from './harness.js';

/**
 * Beside the tolerance assessment of a case in 调查核实, the handler sees the official's earlier cases and prevention
 * reminders (Art. 9(1): 初次犯错还是重复犯错).
 */

interface CaseRow {
  id: string;
  title: string;
  state: string;
  organ: { id: string; name: string };
  official: { id: string; name: string };
}

interface History {
  cases: { id: string; title: string }[];
  reminders: { id: string; problem: string }[];
}

const PROBLEM = '浏览器测试：对群众诉求回应不够及时，存在推诿苗头。';

describe("the official's history beside the assessment, in a real browser", () => {
  let h: BrowserHarness;

  beforeAll(async () => {
    h = await startBrowserHarness();
  });
  afterAll(() => h?.close());

  it('lists the earlier cases and reminders of the official', { timeout: 240_000 }, async () => {
    const page = await h.page('dc-jiwei');
    const list = (await (await page.request.get('/api/v1/cases?state=investigating&limit=100')).json()) as { data: CaseRow[] };
    const candidates = list.data.filter((c) => c.state === 'investigating' && c.organ.name.includes('东城'));
    expect(candidates.length, 'a case of 东城 in 调查核实').toBeGreaterThan(0);

    const historyOf = async (caseId: string) => {
      const response = await page.request.get(`/api/v1/cases/${caseId}/official-history`);
      expect(response.status()).toBe(200);
      return ((await response.json()) as { data: History }).data;
    };
    let chosen: CaseRow | undefined;
    let history: History | undefined;
    for (const c of candidates) {
      const found = await historyOf(c.id);
      if (found.cases.length + found.reminders.length > 0) {
        chosen = c;
        history = found;
        break;
      }
    }
    if (!chosen) {
      // None has a history: give the first case's official a prevention reminder first.
      chosen = candidates[0]!;
      const reminder = await page.request.post('/api/v1/followup/reminders', { data: { officialId: chosen.official.id, kind: 'reminder', problem: PROBLEM } });
      expect(reminder.status(), await reminder.text()).toBe(201);
      history = await historyOf(chosen.id);
    }
    expect(history!.cases.length + history!.reminders.length).toBeGreaterThan(0);

    await page.goto(`/cases/${chosen.id}`);
    await page.getByTestId('case-state').waitFor();
    const button = page.getByTestId('action-recordAssessment');
    await expect.poll(() => button.isEnabled()).toBe(true);
    await button.click();
    await page.getByTestId('submit-recordAssessment').waitFor();

    const card = page.getByTestId('official-history');
    await card.waitFor();
    await expect(card.locator('.ant-card-head-title').textContent()).resolves.toMatch(/^该干部此前的案件与提醒/);
    const items = card.locator('.ant-list-item');
    await expect.poll(() => items.count()).toBe(history!.cases.length + history!.reminders.length);
    const text = (await card.textContent()) ?? '';
    for (const c of history!.cases) expect(text).toContain(c.title);
    for (const r of history!.reminders) expect(text).toContain(r.problem);

    await card.scrollIntoViewIfNeeded();
    await page.mouse.move(0, 0);
    await h.screenshot(page, 'official-history');
    await page.context().close();
  });
});
