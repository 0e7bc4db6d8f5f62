import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DOCUMENT_KIND_SPECS, DOCUMENT_KINDS, type DocumentKind } from './kinds.js';
import { convertToPdf, libreOfficePath } from './pdf.js';
import { defaultTemplate, renderDocument } from './render.js';
import { sampleDocumentData } from './sample.js';

// PDFs through LibreOffice (libreoffice-writer with fonts-noto-cjk standing in for the official fonts) and
// poppler-utils to read them back. With REQUIRE_ALL=1 both must be installed; otherwise the suite is skipped
// where they are absent, as the product then keeps the .docx only.
const requireAll = process.env.REQUIRE_ALL === '1';
const soffice = libreOfficePath();
const hasPoppler = (() => {
  try {
    execFileSync('pdfinfo', ['-v'], { stdio: 'ignore' });
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/**
 * Pages with the sample data. GB/T 9704 sets 22 lines of 28 characters a page, and the red header takes a
 * third of the first: a decision with its quoted articles runs onto a second page, the reasons (with every
 * check and the articles relied on, quoted) onto several.
 */
const PAGES: Record<DocumentKind, [number, number]> = {
  decision: [1, 2],
  'tolerance-reasons': [1, 4],
  'explanation-official': [1, 2],
  'explanation-party-org': [1, 2],
  'service-receipt': [1, 1],
  'appeal-decision': [1, 2],
};

describe('PDF through LibreOffice', () => {
  it('has LibreOffice and poppler-utils when REQUIRE_ALL=1', () => {
    if (requireAll) {
      expect(soffice, 'LibreOffice (soffice) is not installed').toBeDefined();
      expect(hasPoppler, 'poppler-utils (pdfinfo, pdftotext) are not installed').toBe(true);
    }
  });

  describe.skipIf(!soffice || !hasPoppler)('each default template with sample data', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rongcuo-pdf-test-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    // Sequential: LibreOffice takes a second or two to start, and the machine has few cores.
    it.each(DOCUMENT_KINDS)('%s: prints with its title and the official in Chinese, on the expected pages', async (kind) => {
      const pdf = await convertToPdf(renderDocument(defaultTemplate(kind), sampleDocumentData(kind)), { timeoutMs: 45_000 });
      expect(pdf).toBeDefined();
      expect(pdf!.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const file = path.join(dir, `${kind}.pdf`);
      writeFileSync(file, pdf!);

      const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
      const pages = Number(/^Pages:\s+(\d+)/mu.exec(info)?.[1]);
      const [min, max] = PAGES[kind];
      expect(pages, info).toBeGreaterThanOrEqual(min);
      expect(pages, info).toBeLessThanOrEqual(max);
      expect(info).toMatch(/Page size:\s+595(\.\d+)? x 84[12](\.\d+)? pts \(A4\)/u);

      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/gu, '');
      expect(text).toContain(DOCUMENT_KIND_SPECS[kind].title.replace(/（.*）$/u, ''));
      expect(text).toContain('张明');
      expect(text).toContain('东城区纪委监委');
      if (DOCUMENT_KIND_SPECS[kind].numbered) expect(text).toContain('东纪容〔2026〕1号');
      // The page number field: "— 1 —".
      expect(text).toContain('—1—');
      // The official fonts come through as CJK fonts embedded in the PDF.
      const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
      expect(fonts).toMatch(/NotoSerifCJK/u);
    }, 60_000);

    it('converts in parallel, each conversion with its own profile, and gives up after the timeout', async () => {
      const docx = renderDocument(defaultTemplate('service-receipt'), sampleDocumentData('service-receipt'));
      const [a, b] = await Promise.all([convertToPdf(docx), convertToPdf(docx)]);
      expect(a!.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(b!.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      await expect(convertToPdf(docx, { timeoutMs: 50 })).rejects.toThrow(/did not finish the conversion within 50 ms/u);
    }, 60_000);
  });
});
