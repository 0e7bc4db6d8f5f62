import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHarness, type BrowserHarness } from './harness.js';

/**
 * An official's ID number and phone on the case overview: masked for the organ's staff; a handler who manages the
 * official reveals one with a reason, the reveal is in the audit trail; a deliberation member has no 「查看」.
 */
describe('masked identifiers with an audited reveal, in a real browser', () => {
  let h: BrowserHarness;

  beforeAll(async () => {
    h = await startBrowserHarness();
  });
  afterAll(() => h?.close());

  it('shows 110101********1234 and 138****5678, and reveals one for a reason', { timeout: 240_000 }, async () => {
    const db = h.db.db;
    const kase = await db
      .selectFrom('cases')
      .innerJoin('officials', 'officials.id', 'cases.official_id')
      .select(['cases.id', 'officials.id as officialId', 'officials.id_number_masked', 'officials.phone_masked'])
      .where('officials.name', '=', '韩明哲')
      .executeTakeFirstOrThrow();

    const page = await h.page('dc-jiwei');
    await page.goto(`/cases/${kase.id}`);
    const idValue = page.getByTestId('identifier-idNumber-value');
    await idValue.waitFor();
    expect(await idValue.textContent()).toBe(kase.id_number_masked);
    expect(await page.getByTestId('identifier-phone-value').textContent()).toBe(kase.phone_masked);
    await h.screenshot(page, 'identifiers-masked');

    await page.getByTestId('reveal-idNumber').click();
    await page.getByTestId('reveal-submit').click();
    await page.getByText('请写明查看原因').waitFor();
    await page.getByTestId('reveal-reason').fill('送达处理决定前核对身份');
    await page.getByTestId('reveal-submit').click();
    await page.getByText('已查看，已记入审计').waitFor();
    const revealed = (await idValue.textContent()) ?? '';
    expect(revealed).toMatch(/^\d{17}[\dX]$/);
    expect(revealed.slice(0, 6)).toBe(kase.id_number_masked!.slice(0, 6));
    expect(revealed.slice(14)).toBe(kase.id_number_masked!.slice(14));
    // The phone stays masked until asked for.
    expect(await page.getByTestId('identifier-phone-value').textContent()).toBe(kase.phone_masked);

    const events = await db.selectFrom('events').select('payload').where('type', '=', 'person.identifier-revealed').execute();
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({ officialId: kase.officialId, identifier: 'idNumber', reason: '送达处理决定前核对身份' });
    expect(JSON.stringify(events[0]!.payload)).not.toContain(revealed);
    // Nothing of it in the browser's storage.
    const storage = await page.evaluate('JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })');
    expect(String(storage)).not.toContain(revealed);

    const member = await h.page('dc-cy1');
    await member.goto(`/cases/${kase.id}`);
    await member.getByTestId('identifier-idNumber-value').waitFor();
    expect(await member.getByTestId('identifier-idNumber-value').textContent()).toBe(kase.id_number_masked);
    expect(await member.getByTestId('reveal-idNumber').count()).toBe(0);
  });
});
