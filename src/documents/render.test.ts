import { readFileSync } from 'node:fs';
import { Document, Footer, Packer, Paragraph, TextRun } from 'docx';
import PizZip from 'pizzip';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { bj2020 } from '../policy/index.js';
import { DOCUMENT_KIND_SPECS, DOCUMENT_KINDS, fieldNames } from './kinds.js';
import { defaultTemplate, inspectTemplate, renderDocument } from './render.js';
import { sampleDocumentData } from './sample.js';
import { docxText } from './text.js';

/** A .docx whose body paragraphs are these strings (each one run), with an optional footer line. */
async function docxOf(paragraphs: (string | string[])[], footer?: string): Promise<Buffer> {
  const doc = new Document({
    sections: [
      {
        ...(footer ? { footers: { default: new Footer({ children: [new Paragraph(footer)] }) } } : {}),
        children: paragraphs.map((p) => new Paragraph({ children: (Array.isArray(p) ? p : [p]).map((text) => new TextRun(text)) })),
      },
    ],
  });
  return Buffer.from(await Packer.toBuffer(doc));
}

function caught(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected an error');
}

describe('the default templates', () => {
  it.each(DOCUMENT_KINDS)('%s passes inspection and uses only its fields', (kind) => {
    const { fields } = inspectTemplate(defaultTemplate(kind), kind);
    const allowed = fieldNames(kind);
    expect(fields.length).toBeGreaterThan(5);
    for (const field of fields) expect(allowed).toContain(field);
    expect(fields).toContain('organName');
    expect(fields).toContain(kind === 'service-receipt' ? 'recipient' : 'officialName');
    if (DOCUMENT_KIND_SPECS[kind].numbered) expect(fields).toContain('number');
    else expect(fields).not.toContain('number');
  });

  it.each(DOCUMENT_KINDS)('%s keeps every tag inside one text run', (kind) => {
    const zip = new PizZip(defaultTemplate(kind));
    const parts = Object.keys(zip.files).filter((n) => /^word\/(document|header\d*|footer\d*)\.xml$/u.test(n));
    for (const part of parts) {
      for (const [, text] of zip.file(part)!.asText().matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/gu)) {
        const open = (text!.match(/\{/gu) ?? []).length;
        const close = (text!.match(/\}/gu) ?? []).length;
        expect(open, `${part}: ${text}`).toBe(close);
        expect(text!.replace(/\{[^{}]*\}/gu, ''), `${part}: ${text}`).not.toMatch(/[{}]/u);
      }
    }
  });

  it.each(DOCUMENT_KINDS)('%s is laid out by GB/T 9704: A4, margins, 仿宋_GB2312 三号 on a fixed pitch, page numbers', (kind) => {
    const zip = new PizZip(defaultTemplate(kind));
    const document = zip.file('word/document.xml')!.asText();
    const styles = zip.file('word/styles.xml')!.asText();
    expect(document).toContain('<w:pgSz w:w="11906" w:h="16838"');
    // 37 / 26 / 35 / 28 mm
    expect(document).toMatch(/<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"/u);
    expect(styles).toContain('w:eastAsia="仿宋_GB2312"');
    expect(styles).toMatch(/<w:sz w:val="32"\/>/u);
    expect(styles).toMatch(/<w:spacing w:after="0" w:before="0" w:line="578" w:lineRule="exact"\/>|w:line="578" w:lineRule="exact"/u);
    expect(zip.file('word/fontTable.xml')!.asText()).toMatch(/<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"\/>/u);
    expect(zip.file('word/settings.xml')!.asText()).toContain('<w:evenAndOddHeaders/>');
    const footers = Object.keys(zip.files).filter((n) => /^word\/footer\d+\.xml$/u.test(n));
    expect(footers).toHaveLength(2);
    for (const footer of footers) {
      const xml = zip.file(footer)!.asText();
      expect(xml).toContain('<w:instrText xml:space="preserve">PAGE</w:instrText>');
      expect(xml).toContain('— ');
      expect(xml).toContain('w:eastAsia="宋体"');
      expect(xml).toContain('<w:sz w:val="28"/>');
    }
    const title = DOCUMENT_KIND_SPECS[kind].title.replace(/（.*）$/u, '');
    expect(document).toMatch(new RegExp(`w:eastAsia="方正小标宋简体"[^]*?<w:sz w:val="44"/>[^]*?${title}`, 'u'));
    if (DOCUMENT_KIND_SPECS[kind].redHeader) {
      expect(document).toMatch(/<w:color w:val="E60012"\/>[^]*?\{organName\}/u);
      expect(document).toMatch(/<w:bottom w:val="single" w:color="E60012"[^>]*\/>/u);
    }
  });

  it.each(DOCUMENT_KINDS)('%s renders with sample data: nothing left unfilled', (kind) => {
    const data = sampleDocumentData(kind);
    const text = docxText(renderDocument(defaultTemplate(kind), data));
    expect(text).not.toMatch(/[{}]/u);
    expect(text).toContain('东城区纪委监委');
    expect(text).toContain('张明');
    if (DOCUMENT_KIND_SPECS[kind].numbered) expect(text).toContain('东纪容〔2026〕1号');
    expect(text).toContain(kind === 'service-receipt' ? '二〇二六年三月十三日' : '二〇二六年三月二十日');
  });

  it('the decision names the outcome, the Art. 8 situation in its original words, the measures and the tolerance opinion', () => {
    const text = docxText(renderDocument(defaultTemplate('decision'), sampleDocumentData('decision')));
    const situation = bj2020.situations.find((s) => s.id === 'reform-pilot')!;
    expect(text).toContain('问责追责处理决定书');
    expect(text).toContain(`${situation.article}规定的“${situation.text}”`);
    expect(text).toContain('决定对张明同志容错减责（减轻），处理方式：纪律处分。');
    expect(text).toContain('符合容错减责条件，予以减轻处理。');
    expect(text).toContain('应当问责，给予纪律处分。');
    expect(text).toContain(`“${bj2020.outcomes.reduced.text}”`);
    // the receipt of the page number field: "— {PAGE} —"
    expect(text).toMatch(/— +—/u);
  });

  it('the reasons list each factor, each Art. 10 check and the articles relied on, in table rows', () => {
    const text = docxText(renderDocument(defaultTemplate('tolerance-reasons'), sampleDocumentData('tolerance-reasons')));
    for (const e of bj2020.exclusions) expect(text).toContain(`${e.article}\n${e.text}\n否`);
    expect(text).toContain('考察动机态度\n“出于公心、顾全大局”\n（第九条第（一）项）\n有利因素');
    expect(text).toContain('第十三条第（二）项\n确需问责追责但符合容错减责条件的，予以从轻、减轻问责追责；');
    expect(text).toContain('与研判建议不一致的理由：延误造成一定社会影响，不宜完全免责。');
  });
});

describe('inspecting an uploaded template', () => {
  const fixtures = {} as Record<'footer' | 'outside' | 'asValue' | 'raw' | 'malformed' | 'unknown', Buffer>;
  beforeAll(async () => {
    fixtures.footer = await docxOf(['{organName}'], '{draftMark}');
    fixtures.outside = await docxOf(['{organName}{article}']);
    fixtures.asValue = await docxOf(['{situations}']);
    fixtures.raw = await docxOf(['{@facts}']);
    fixtures.malformed = await docxOf(['{organName', '{#situations}{article}']);
    fixtures.unknown = await docxOf(['{organName}', '{officialGender}', '{#situations}{article}{bogus}{/situations}']);
  });

  it("accepts a template with the kind's fields, lists and sections, and says which it uses", async () => {
    const template = await docxOf(['{organName}：{officialName}', '{#situations}', '{article}“{text}”{officialName}', '{/situations}', '{^applications}无申请{/applications}', '{#measureDetails}{measureDetails}{/measureDetails}']);
    expect(inspectTemplate(template, 'decision').fields).toEqual(['applications', 'measureDetails', 'officialName', 'organName', 'situations', 'situations[].article', 'situations[].text']);
  });

  it('accepts a tag Word split across runs', async () => {
    const template = await docxOf([['{offic', 'ialName}', '同志']]);
    expect(inspectTemplate(template, 'decision').fields).toEqual(['officialName']);
    expect(docxText(renderDocument(template, { officialName: '张明' }))).toBe('张明同志');
  });

  it('refuses a field the case does not have, naming it and listing the allowed fields', () => {
    const refusal = caught(() => inspectTemplate(fixtures.unknown, 'decision'));
    expect(refusal.code).toBe('INVALID_INPUT');
    expect(refusal.status).toBe(400);
    expect(refusal.key).toBe('template');
    expect(refusal.message).toMatch(/^模板引用了案件中不存在的字段：officialGender、situations\[\]\.bogus/u);
    expect(refusal.allowed).toEqual(fieldNames('decision'));
    expect(refusal.allowed).toContain('situations[].text');
  });

  it('checks headers and footers too', () => {
    expect(caught(() => inspectTemplate(fixtures.footer, 'decision')).message).toContain('draftMark');
  });

  it("checks fields against the kind: an explanation's text is no field of the decision", async () => {
    const template = await docxOf(['{recipient}：{explanation}']);
    expect(inspectTemplate(template, 'explanation-official').fields).toEqual(['explanation', 'recipient']);
    expect(caught(() => inspectTemplate(template, 'decision')).message).toContain('recipient、explanation');
  });

  it('refuses an item field outside its list, a list used as a value, and raw XML', () => {
    expect(caught(() => inspectTemplate(fixtures.outside, 'decision')).message).toMatch(/不存在的字段：article/u);
    expect(caught(() => inspectTemplate(fixtures.asValue, 'decision')).message).toMatch(/“situations”是列表/u);
    expect(caught(() => inspectTemplate(fixtures.raw, 'decision')).message).toContain('{@facts}');
    expect(caught(() => renderDocument(fixtures.raw, { facts: '<w:p/>' })).message).toContain('{@facts}');
  });

  it('refuses malformed tags with a message in Chinese', () => {
    const refusal = caught(() => inspectTemplate(fixtures.malformed, 'decision'));
    expect(refusal.code).toBe('INVALID_INPUT');
    expect(refusal.key).toBe('template');
    expect(refusal.message).toMatch(/^模板中的标签格式有误：/u);
    expect(refusal.message).toContain('{organName');
    expect(refusal.message).toContain('{/situations}');
  });

  it('refuses what is not a .docx', () => {
    const zip = new PizZip();
    zip.file('hello.txt', 'not word');
    for (const bytes of [Buffer.from('not a document'), Buffer.from('%PDF-1.4\n%%EOF\n'), Buffer.alloc(0), zip.generate({ type: 'nodebuffer' })]) {
      const refusal = caught(() => inspectTemplate(bytes, 'decision'));
      expect(refusal.code).toBe('INVALID_INPUT');
      expect(refusal.message).toContain('.docx');
    }
    expect(caught(() => renderDocument(Buffer.from('junk'), {})).message).toContain('.docx');
  });
});

describe('rendering', () => {
  it('throws naming a field without a value: never a blank', async () => {
    const template = await docxOf(['经查，{facts}', '{#situations}{article}“{text}”{/situations}']);
    const situations = [{ article: '第八条第（二）项', text: '…' }];
    const missing = caught(() => renderDocument(template, { situations }));
    expect(missing.code).toBe('DOCUMENT_FIELD_MISSING');
    expect(missing.status).toBe(422);
    expect(missing.message).toContain('“facts”');
    expect(caught(() => renderDocument(template, { facts: null, situations })).message).toContain('“facts”');
    expect(caught(() => renderDocument(template, { facts: '事实', situations: [{ article: '第八条第（二）项' }] })).message).toContain('“text”');
    expect(caught(() => renderDocument(template, { facts: '事实' })).message).toContain('“situations”');
    // An empty list or an empty text is a value.
    expect(docxText(renderDocument(template, { facts: '', situations: [] }))).toBe('经查，\n');
  });

  it('inserts values as text, keeping line breaks', async () => {
    const template = await docxOf(['{facts}']);
    const out = renderDocument(template, { facts: '第一行 <w:p> & “引号”\n第二行' });
    expect(docxText(out)).toBe('第一行 <w:p> & “引号”\n第二行');
    expect(new PizZip(out).file('word/document.xml')!.asText()).toContain('<w:br/>');
  });

  it('reads the shipped templates next to the module', () => {
    for (const kind of DOCUMENT_KINDS) {
      expect(defaultTemplate(kind)).toEqual(readFileSync(new URL(`./templates/${kind}.docx`, import.meta.url)));
      expect(defaultTemplate(kind).length).toBeLessThan(40_000);
    }
  });
});

