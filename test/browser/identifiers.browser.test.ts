import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumberCheckDigit, openIdentifier } from '../../src/privacy/identifiers.js';
import { TEST_CRYPTO } from '../helpers/app.js';
import { startBrowserHarness, type BrowserHarness } from './harness.js';

/**
 * An official's ID number and phone on the case overview: masked for the organ's staff; a handler who manages the
 * official reveals one with a reason, the reveal is in the audit trail; a deliberation member has no 「查看」. The same
 * handler corrects them through 「修改」.
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

  it('lets the handler correct the phone and the ID number through 「修改」, refusing a wrong check character under the field', { timeout: 240_000 }, async () => {
    const db = h.db.db;
    const kase = await db
      .selectFrom('cases')
      .innerJoin('officials', 'officials.id', 'cases.official_id')
      .select(['cases.id', 'officials.id as officialId'])
      .where('officials.name', '=', '韩明哲')
      .executeTakeFirstOrThrow();
    const page = await h.page('dc-jiwei');
    await page.goto(`/cases/${kase.id}`);
    await page.getByTestId('identifier-phone-value').waitFor();

    await page.getByTestId('edit-phone').click();
    await page.getByTestId('identifier-input-phone').fill('1280000');
    await page.getByTestId('identifier-save').click();
    await page.getByText('手机号码须为 11 位中国大陆手机号码').waitFor();
    await page.getByTestId('identifier-input-phone').fill('139 0000 2222');
    await page.getByTestId('identifier-save').click();
    await page.getByText('已保存手机号码，已记入审计').waitFor();
    await expect.poll(() => page.getByTestId('identifier-phone-value').textContent(), { timeout: 10_000 }).toBe('139****2222');

    const first17 = '11010119850412123';
    const right = `${first17}${idNumberCheckDigit(first17)}`;
    const wrong = `${first17}${idNumberCheckDigit(first17) === '0' ? '1' : '0'}`;
    await page.getByTestId('edit-idNumber').click();
    await page.getByTestId('identifier-input-idNumber').fill(wrong);
    await page.getByTestId('identifier-save').click();
    // The server's refusal, under the field.
    await page.getByText('公民身份号码校验码（最后一位）不正确').waitFor();
    await page.getByTestId('identifier-input-idNumber').fill(right);
    await page.getByTestId('identifier-save').click();
    await page.getByText('已保存公民身份号码，已记入审计').waitFor();
    await expect.poll(() => page.getByTestId('identifier-idNumber-value').textContent(), { timeout: 10_000 }).toBe(`110101********${right.slice(14)}`);
    await h.screenshot(page, 'identifiers-corrected');

    const row = await db.selectFrom('officials').select(['id_number_sealed', 'phone_sealed']).where('id', '=', kase.officialId).executeTakeFirstOrThrow();
    expect(openIdentifier(TEST_CRYPTO.secrets, kase.officialId, 'phone', row.phone_sealed!)).toBe('13900002222');
    expect(openIdentifier(TEST_CRYPTO.secrets, kase.officialId, 'idNumber', row.id_number_sealed!)).toBe(right);
    const events = await db.selectFrom('events').select('payload').where('type', '=', 'person.identifiers-changed').orderBy('seq').execute();
    expect(events.map((e) => (e.payload as { changed: unknown }).changed)).toEqual([{ phone: 'replaced' }, { idNumber: 'replaced' }]);

    // A deliberation member has no 「修改」.
    const member = await h.page('dc-cy1');
    await member.goto(`/cases/${kase.id}`);
    await member.getByTestId('identifier-phone-value').waitFor();
    expect(await member.getByTestId('edit-phone').count()).toBe(0);
  });
});
