import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHarness, type BrowserHarness } from './harness.js';

/**
 * Information sharing (协作配合, 第十九条第（二）项) in a real browser: the municipal commission's handler shares a
 * district commission's tolerance decision with 市委组织部 through the form (the recipient picked among the organs the server
 * offers for that official); the organization department finds it in its inbox; the
 * commission's supervisor sees it in the sharing log. Needs the route /sharing.
 */
describe('information sharing, in a real browser', () => {
  let h: BrowserHarness;
  let share: { officialId: string; officialName: string; decisionId: string; orgDeptId: string };
  const NOTE = '供干部选拔任用参考（浏览器测试）。';

  beforeAll(async () => {
    h = await startBrowserHarness();
    const db = h.db.db;
    const commission = await db.selectFrom('organizations').select('id').where('short_name', '=', '市纪委监委').executeTakeFirstOrThrow();
    const orgDept = await db.selectFrom('organizations').select('id').where('short_name', '=', '市委组织部').executeTakeFirstOrThrow();
    // A decision made at or below the municipal commission (the demo's district commissions decide) about an official
    // it manages: the commission shares decisions of the organs below it too.
    const subtree = sql<string>`(WITH RECURSIVE down(id) AS (SELECT ${commission.id}::uuid UNION SELECT o.id FROM organizations o JOIN down ON o.parent_id = down.id) SELECT id FROM down)`;
    const decision = await db
      .selectFrom('decisions')
      .innerJoin('cases', 'cases.id', 'decisions.case_id')
      .innerJoin('officials', 'officials.id', 'cases.official_id')
      .select(['decisions.id as decisionId', 'officials.id as officialId', 'officials.name as officialName'])
      .where(sql<boolean>`cases.organ_id IN ${subtree}`)
      .where(sql<boolean>`officials.managing_org_id IN ${subtree}`)
      .executeTakeFirst();
    expect(decision, 'a decision within 市纪委监委 in the demo').toBeDefined();
    share = { ...decision!, orgDeptId: orgDept.id };
  }, 300_000);
  afterAll(() => h?.close());

  it('lets the commission handler share a tolerance decision through the form', { timeout: 180_000 }, async () => {
    const page = await h.page('jiwei');
    await page.goto('/sharing');
    await page.getByTestId('sharing-page').waitFor();
    await page.getByTestId('share-form').waitFor();

    const official = page.locator('#officialId');
    await official.click();
    await official.fill(share.officialId);
    await page.locator('.ant-select-item-option').filter({ hasText: share.officialId }).first().click();

    await page.locator('#kind').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '容错处理决定' }).first().click();
    await page.getByTestId('share-record').fill(share.decisionId);

    // The recipient is picked from the organs the server would accept for this official, not pasted.
    const recipients = (await (await page.request.get(`/api/v1/sharing/recipients?officialId=${share.officialId}`)).json()) as { data: { items: { id: string; name: string }[] } };
    expect(recipients.data.items.map((o) => o.id)).toContain(share.orgDeptId);
    await page.getByTestId('share-from').waitFor();
    const recipient = page.locator('#toOrgId');
    await recipient.click();
    const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
    await expect.poll(() => options.count()).toBe(recipients.data.items.length);
    await options.filter({ hasText: '中共北京市委组织部' }).first().click();
    await page.getByTestId('share-note').fill(NOTE);
    await page.getByTestId('share-submit').click();
    await page.locator('.ant-message-success').filter({ hasText: '已共享' }).waitFor();

    const rows = await h.db.db.selectFrom('shared_conclusions').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ official_id: share.officialId, kind: 'tolerance-decision', record_id: share.decisionId, to_org_id: share.orgDeptId, note: NOTE });
    await page.context().close();
  });

  it('shows the organization department the conclusion in its inbox', { timeout: 120_000 }, async () => {
    const page = await h.page('zuzhibu');
    await page.goto('/sharing?tab=inbox');
    await page.getByTestId('sharing-page').waitFor();
    const row = page.getByTestId('inbox-row');
    await expect.poll(() => row.count()).toBe(1);
    const text = (await row.first().textContent()) ?? '';
    expect(text).toContain(share.officialName);
    expect(text).toContain('容错处理决定');
    expect(text).toContain(NOTE);
    expect(text).toContain('市纪律检查委员会');
    await page.context().close();
  });

  it("shows the commission's supervisor who shared what with whom", { timeout: 120_000 }, async () => {
    const page = await h.page('jiandu');
    await page.goto('/sharing');
    await page.getByTestId('sharing-page').waitFor();
    const row = page.getByTestId('log-row');
    await expect.poll(() => row.count()).toBe(1);
    const text = (await row.first().textContent()) ?? '';
    expect(text).toContain('中共北京市委组织部');
    expect(text).toContain(share.officialName);
    expect(text).toContain('王立新');
    // The supervisor shares nothing: no form.
    expect(await page.getByTestId('share-form').count()).toBe(0);

    await page.mouse.move(0, 0);
    await h.screenshot(page, 'sharing');
    await page.context().close();
  });
});
