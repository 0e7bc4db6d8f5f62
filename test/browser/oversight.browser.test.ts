import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
import { startBrowserHarness, type BrowserHarness } from './harness.js';

/**
 * Oversight and statistics in a real browser, as the supervisor `jiandu`: the figures with links to their cases,
 * the charts, and the 导出 Excel button. Runs once the server registers the routes and the web router the pages
 * (src/http/app.ts and web/src/router.tsx, maintained outside this module); until then it is skipped.
 */
const wired =
  readFileSync(path.join(repoRoot, 'src/http/app.ts'), 'utf8').includes('oversightRoutes') &&
  readFileSync(path.join(repoRoot, 'web/src/router.tsx'), 'utf8').includes('StatisticsPage');

describe.skipIf(!wired)('oversight and statistics pages', () => {
  let harness: BrowserHarness;

  beforeAll(async () => {
    harness = await startBrowserHarness();
  }, 180_000);

  afterAll(async () => {
    await harness?.close();
  });

  it('shows the supervisor the oversight figures, each linking to its cases', async () => {
    const page = await harness.page('jiandu');
    await page.goto('/oversight');
    await page.getByTestId('oversight-page').waitFor();
    const departures = page.getByTestId('departures');
    await expect.poll(() => departures.getByText('损失金额较大').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('tolerance-by-organ').locator('a[href^="/cases/"]').count()).toBeGreaterThan(0);
    await harness.screenshot(page, 'oversight');
    await departures.locator('a[href^="/cases/"]').first().click();
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    await page.context().close();
  });

  it('shows the statistics as charts with an Excel export', async () => {
    const page = await harness.page('jiandu');
    await page.goto('/statistics');
    await page.getByTestId('statistics-page').waitFor();
    for (const chart of ['chart-state', 'chart-outcome', 'chart-situation', 'chart-organ', 'chart-month']) {
      await expect.poll(() => page.getByTestId(chart).locator('canvas').count(), { message: chart }).toBeGreaterThan(0);
    }
    const total = (await (await page.request.get('/api/v1/statistics')).json()) as { data: { total: number } };
    await expect.poll(() => page.getByTestId('statistics-page').getByText(String(total.data.total), { exact: true }).count()).toBeGreaterThan(0);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByText('导出 Excel').click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    await harness.screenshot(page, 'statistics');
    await page.context().close();
  });
});
