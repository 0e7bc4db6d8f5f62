import { readFile } from 'node:fs/promises';
import type { Download, Locator, Page } from 'playwright-core';
import PizZip from 'pizzip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHarness, type BrowserHarness } from './harness.js';

/**
 * The 文书 tab and the templates page in a real browser: the district handler issues a document on a served case
 * of 东城 and downloads it, exports the sealed case file of a closed one, and has an organ template refused for a
 * field the case cannot supply. The official sees the documents served to him, and no templates page.
 */

interface CaseRow {
  id: string;
  title: string;
  state: string;
  organ: { id: string; name: string };
  official: { name: string };
}

interface DocumentRow {
  id: string;
  kind: string;
  version: number;
  number: string | null;
  latest: boolean;
}

/** Clicks something that downloads and returns the file's bytes as the browser saved them. */
async function download(page: Page, trigger: Locator): Promise<{ download: Download; bytes: Buffer }> {
  const [event] = await Promise.all([page.waitForEvent('download'), trigger.click()]);
  const file = await event.path();
  return { download: event, bytes: await readFile(file) };
}

const isZip = (bytes: Buffer) => bytes.subarray(0, 2).toString('latin1') === 'PK';

async function documentsOf(page: Page, caseId: string): Promise<{ data: DocumentRow[]; canIssue: boolean }> {
  const response = await page.request.get(`/api/v1/cases/${caseId}/documents`);
  expect(response.status()).toBe(200);
  return (await response.json()) as { data: DocumentRow[]; canIssue: boolean };
}

async function openDocumentsTab(page: Page, caseId: string) {
  await page.goto(`/cases/${caseId}`);
  await page.getByTestId('case-state').waitFor();
  await page.getByRole('tab', { name: '文书' }).click();
  await page.getByTestId('documents-tab').waitFor();
}

describe('documents and templates, in a real browser', () => {
  let h: BrowserHarness;

  beforeAll(async () => {
    h = await startBrowserHarness();
  });
  afterAll(() => h?.close());

  it('issues a document on a served case of 东城, downloads it as Word and PDF, and exports a closed case file', { timeout: 300_000 }, async () => {
    const page = await h.page('dc-jiwei');
    const list = (await (await page.request.get('/api/v1/cases?state=served,under-appeal,appeal-decided,closed&limit=100')).json()) as { data: CaseRow[] };
    const dongcheng = list.data.filter((c) => c.organ.name.includes('东城'));
    const open = dongcheng.find((c) => c.state !== 'closed');
    const closed = dongcheng.find((c) => c.state === 'closed');
    expect(open, `a served, not yet closed case of 东城 among ${JSON.stringify(dongcheng.map((c) => c.state))}`).toBeDefined();
    expect(closed, 'a closed case of 东城').toBeDefined();

    // The explanation to the official (Art. 15): ready once the case was served.
    const kind = 'explanation-official';
    await openDocumentsTab(page, open!.id);
    const card = page.getByTestId(`documents-${kind}`);
    await card.waitFor();

    /** Issues the kind through its card; a reissue must first say it makes a new version under the same 文号. */
    const issue = async () => {
      const before = (await documentsOf(page, open!.id)).data.filter((d) => d.kind === kind);
      await card.getByTestId(`issue-${kind}`).click();
      if (before.length > 0) {
        const confirm = page.locator('.ant-modal-confirm');
        await expect.poll(() => confirm.textContent()).toContain(`第 ${before.length + 1} 版`);
        await expect(confirm.textContent()).resolves.toContain(`文号不变（${before[0]!.number}）`);
        await confirm.getByRole('button', { name: '制作新版本' }).click();
      }
      await page.locator('.ant-message-success').filter({ hasText: `容错情况说明（被问责追责干部）第 ${before.length + 1} 版` }).waitFor();
      await expect.poll(() => card.getByTestId('document-version').count()).toBe(before.length + 1);
      const after = (await documentsOf(page, open!.id)).data.filter((d) => d.kind === kind);
      expect(after).toHaveLength(before.length + 1);
      const latest = after.find((d) => d.latest)!;
      expect(latest.version).toBe(before.length + 1);
      expect(latest.number).toMatch(/〔\d{4}〕\d+号$/);
      if (before.length > 0) expect(latest.number).toBe(before[0]!.number);
      return latest;
    };
    const first = await issue();
    // Reissued: version 2 (or the next), the same 文号, both versions listed.
    const latest = await issue();
    expect(latest.number).toBe(first.number);
    await expect.poll(() => card.getByTestId('document-version').nth(1).textContent()).toContain(`第 ${first.version} 版`);

    // Listed with its 文号, the same the API reports, and the newest version marked.
    await expect(card.getByTestId('document-number').textContent()).resolves.toBe(latest.number);
    const firstRow = card.getByTestId('document-version').first();
    await expect(firstRow.textContent()).resolves.toContain(`第 ${latest.version} 版`);
    await expect(firstRow.textContent()).resolves.toContain('最新');
    await expect(firstRow.textContent()).resolves.toContain(latest.number!);

    // The Word file: a .docx (a zip) named after the document and its 文号.
    const docx = await download(page, firstRow.getByTestId('download-docx'));
    expect(isZip(docx.bytes), 'the .docx is a zip').toBe(true);
    expect(docx.download.suggestedFilename()).toMatch(/\.docx$/);
    expect(docx.download.suggestedFilename()).toContain(latest.number!);

    // The PDF: made through LibreOffice where it is installed; without it the server's reason shows by the button.
    const pdfButton = firstRow.getByTestId('download-pdf');
    const pdf = await Promise.race([
      download(page, pdfButton).then((d) => ({ kind: 'file' as const, ...d })),
      firstRow.getByTestId('download-error').waitFor({ timeout: 120_000 }).then(() => ({ kind: 'refused' as const })),
    ]);
    if (pdf.kind === 'file') {
      expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.download.suggestedFilename()).toMatch(/\.pdf$/);
    } else {
      await expect(firstRow.getByTestId('download-error').textContent()).resolves.toContain('LibreOffice');
    }

    // A kind the case is not ready for is refused by name, next to that kind (an appeal not yet decided).
    const appealCard = page.getByTestId('documents-appeal-decision');
    if ((await appealCard.getByTestId('document-version').count()) === 0 && open!.state !== 'appeal-decided') {
      await appealCard.getByTestId('issue-appeal-decision').click();
      await appealCard.getByTestId('issue-refusal-appeal-decision').waitFor();
      expect((await appealCard.getByTestId('issue-refusal-appeal-decision').textContent())?.length).toBeGreaterThan(4);
    }
    // The issued version and the refusal below it, both in view; no focus ring left on a button.
    await appealCard.scrollIntoViewIfNeeded();
    await page.mouse.move(0, 0);
    await appealCard.getByTestId('issue-appeal-decision').blur();
    await page.locator('.ant-message-notice').first().waitFor({ state: 'detached' });
    await h.screenshot(page, 'documents-tab');

    // The closed case: its documents stay (issued at closing), no more are made, and the sealed file exports.
    await openDocumentsTab(page, closed!.id);
    expect((await documentsOf(page, closed!.id)).canIssue).toBe(false);
    await expect(page.locator('[data-testid^="issue-"]').count()).resolves.toBe(0);
    await expect.poll(() => page.getByTestId('document-version').count()).toBeGreaterThan(0);
    await expect(page.getByTestId('documents-tab').textContent()).resolves.toContain('rongcuo verify-file');
    const exported = await download(page, page.getByTestId('export-case-file'));
    expect(isZip(exported.bytes), 'the case file is a zip').toBe(true);
    expect(exported.download.suggestedFilename()).toMatch(/\.zip$/);
    const manifest = new PizZip(exported.bytes).file('manifest.json');
    expect(manifest, 'the case file carries its manifest').not.toBeNull();
    await h.screenshot(page, 'documents-closed');

    // The official of the served case sees what was served to him, and makes nothing.
    const official = await h.page('hanmingzhe');
    const served = (await documentsOf(official, open!.id)).data;
    await openDocumentsTab(official, open!.id);
    await expect(official.locator('[data-testid^="issue-"]').count()).resolves.toBe(0);
    await expect(official.getByTestId('export-case-file').count()).resolves.toBe(0);
    await expect.poll(() => official.getByTestId('document-version').count()).toBe(served.length);
    expect(served.some((d) => d.kind === kind)).toBe(true);
    // No templates for him: neither in the menu nor from the API.
    await expect(official.getByRole('menuitem', { name: /文书模板/ }).count()).resolves.toBe(0);
    expect((await official.request.get('/api/v1/document-templates')).status()).toBe(403);

    await official.context().close();
    await page.context().close();
  });

  it('shows the templates and refuses an organ template that names a field the case cannot supply', { timeout: 180_000 }, async () => {
    const page = await h.page('dc-jiwei');
    await page.getByRole('menuitem', { name: /文书模板/ }).click();
    await page.waitForURL(/\/templates$/);
    await page.getByTestId('templates-page').waitFor();
    const kind = 'decision';
    const card = page.getByTestId(`template-${kind}`);
    await card.waitFor();
    await expect(card.textContent()).resolves.toContain('问责追责处理决定书');

    // The fields a template may use, behind a fold.
    await card.getByText(/可用字段（\d+ 个）/).click();
    const fields = card.getByTestId(`template-fields-${kind}`);
    await fields.waitFor();
    await expect(fields.textContent()).resolves.toContain('officialName');
    await expect(fields.textContent()).resolves.toContain('situations[].article');
    await card.getByText(/可用字段（\d+ 个）/).click();
    await fields.waitFor({ state: 'hidden' });

    // The default template, downloaded through the page, is a .docx.
    const { bytes: defaultDocx, download: defaultDownload } = await download(page, card.getByTestId(`default-template-${kind}`));
    expect(isZip(defaultDocx)).toBe(true);
    expect(defaultDownload.suggestedFilename()).toContain('默认模板');

    // An edited copy that names a field no case has: refused at upload, the field named.
    const fromApi = await page.request.get(`/api/v1/document-templates/${kind}/default`);
    expect(fromApi.status()).toBe(200);
    const zip = new PizZip(await fromApi.body());
    const xml = zip.file('word/document.xml')!.asText();
    expect(xml).toContain('<w:body>');
    zip.file('word/document.xml', xml.replace('<w:body>', '<w:body><w:p><w:r><w:t>备注：{secretRemarks}</w:t></w:r></w:p>'));
    const bad = zip.generate({ type: 'nodebuffer' });
    const input = page.getByTestId(`upload-${kind}`).locator('input[type="file"]');
    await input.setInputFiles({ name: '东城区纪委监委-处理决定书.docx', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', buffer: bad });
    const refusal = page.getByTestId(`template-refusal-${kind}`);
    await refusal.waitFor();
    await expect(refusal.textContent()).resolves.toContain('secretRemarks');
    await expect(card.getByTestId(`template-uploads-${kind}`).count()).resolves.toBe(0);
    await page.mouse.move(0, 0);
    await h.screenshot(page, 'templates');

    // The unedited default is accepted and listed as the organ's template in use.
    await input.setInputFiles({ name: '东城区纪委监委-处理决定书.docx', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', buffer: defaultDocx });
    const uploads = card.getByTestId(`template-uploads-${kind}`);
    await uploads.waitFor();
    await expect(uploads.textContent()).resolves.toContain('东城区纪委监委-处理决定书.docx');
    await expect(uploads.textContent()).resolves.toContain('在用');
    await expect(refusal.count()).resolves.toBe(0);
    await page.context().close();
  });
});
