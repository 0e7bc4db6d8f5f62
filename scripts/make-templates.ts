// Builds the six default document templates (src/documents/templates/<kind>.docx) with the `docx` library,
// laid out by the conventions of GB/T 9704-2012 《党政机关公文格式》: A4, margins 37/35/28/26 mm, body in
// 仿宋_GB2312 三号 on a fixed line pitch (22 lines of 28 characters), title in 方正小标宋简体 二号, the red
// header and red rule of an issuing organ, the 文号 between them, page numbers "— 1 —" in 宋体 四号 (odd pages
// right, even pages left), the issuing organ and date at the end.
//
// The body text is docxtemplater tags ({field}, {#list}…{/list}) from src/documents/kinds.ts. Every tag is
// written inside one string, which the docx library writes as one run, so no tag is split across runs.
//
//   npx tsx scripts/make-templates.ts
//
// The output is reproducible: fixed document dates and zip timestamps, so an unchanged script makes
// byte-identical files.
import { mkdirSync, writeFileSync } from 'node:fs';
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeightRule,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
  type IRunOptions,
  type ISectionOptions,
} from 'docx';
import PizZip from 'pizzip';
import { DOCUMENT_KIND_SPECS, type DocumentKind } from '../src/documents/kinds.js';

// ---- measures (twips: 1 pt = 20, 1 mm ≈ 56.7) ----

const mm = (n: number) => Math.round((n * 1440) / 25.4);
const PAGE = { width: 11906, height: 16838 };
const MARGIN = { top: mm(37), bottom: mm(35), left: mm(28), right: mm(26) };
const TEXT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
/** 三号 = 16 pt, in half-points. */
const BODY_SIZE = 32;
/** One character of body text (16 pt). */
const CHAR = 320;
/** 22 lines in the 225 mm type area: a fixed pitch of 28.9 pt. */
const LINE = 578;
const RED = 'E60012';
const LANGUAGE = { value: 'zh-CN', eastAsia: 'zh-CN' };

// ---- fonts: the official names; the fallbacks go in the font table (see withFontFallbacks) ----

const FANGSONG = '仿宋_GB2312';
const XIAOBIAOSONG = '方正小标宋简体';
const HEITI = '黑体';
const KAITI = '楷体_GB2312';
const SONGTI = '宋体';
const FONT_FALLBACKS: Record<string, { alt: string; family: string }> = {
  [FANGSONG]: { alt: '仿宋', family: 'modern' },
  [XIAOBIAOSONG]: { alt: '宋体', family: 'roman' },
  [HEITI]: { alt: 'SimHei', family: 'modern' },
  [KAITI]: { alt: '楷体', family: 'modern' },
  [SONGTI]: { alt: 'SimSun', family: 'roman' },
};

const font = (name: string) => ({ ascii: name, hAnsi: name, eastAsia: name, cs: name });

function run(text: string, options: Omit<IRunOptions, 'text'> & { fontName?: string } = {}): TextRun {
  const { fontName = FANGSONG, ...rest } = options;
  return new TextRun({ text, font: font(fontName), size: BODY_SIZE, language: LANGUAGE, ...rest });
}

const exact = (line = LINE, before = 0, after = 0) => ({ line, lineRule: LineRuleType.EXACT, before, after });

// ---- paragraphs ----

/** A body paragraph: 两端对齐, first line indented two characters. */
const body = (text: string) =>
  new Paragraph({ alignment: AlignmentType.JUSTIFIED, indent: { firstLine: 2 * CHAR }, spacing: exact(), children: [run(text)] });

/** The last paragraph of the text, kept on the page of the signature: no page holds the signature alone (GB/T 9704 7.3.5.1). */
const last = (text: string) =>
  new Paragraph({ alignment: AlignmentType.JUSTIFIED, indent: { firstLine: 2 * CHAR }, spacing: exact(), keepNext: true, keepLines: true, children: [run(text)] });

/** A line without indent (主送机关, 表格内文字). */
const flush = (text: string, alignment: (typeof AlignmentType)[keyof typeof AlignmentType] = AlignmentType.JUSTIFIED) =>
  new Paragraph({ alignment, spacing: exact(), children: [run(text)] });

/** 一级标题 “一、” in 黑体. */
const heading1 = (text: string) =>
  new Paragraph({ alignment: AlignmentType.JUSTIFIED, indent: { firstLine: 2 * CHAR }, spacing: exact(), keepNext: true, children: [run(text, { fontName: HEITI })] });

/** A paragraph holding only a loop tag: with paragraphLoop, docxtemplater removes it on render. */
const tag = (text: string) => new Paragraph({ spacing: exact(), children: [run(text)] });

/** 标题: 方正小标宋简体 二号, centered, two blank lines above (GB/T 9704 7.3.3). */
const title = (text: string, before = 2 * LINE, after = LINE) =>
  new Paragraph({ alignment: AlignmentType.CENTER, spacing: { line: 700, lineRule: LineRuleType.EXACT, before, after }, keepNext: true, children: [run(text, { fontName: XIAOBIAOSONG, size: 44 })] });

/** 版头: the issuing organ in red 小标宋, the 文号 centered a blank line below, and the red rule 4 mm under it. */
const redHeader = () => [
  new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { line: 1000, lineRule: LineRuleType.EXACT, before: 0, after: 0 },
    children: [run('{organName}', { fontName: XIAOBIAOSONG, size: 60, color: RED })],
  }),
  new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: exact(LINE, LINE, 0),
    border: { bottom: { style: BorderStyle.SINGLE, size: 12, color: RED, space: 11 } },
    children: [run('{number}')],
  }),
];

const NO_BORDER = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
const NO_BORDERS = { top: NO_BORDER, bottom: NO_BORDER, left: NO_BORDER, right: NO_BORDER, insideHorizontal: NO_BORDER, insideVertical: NO_BORDER };

/**
 * 发文机关署名 and 成文日期 for a sealed document (GB/T 9704 7.3.5.1): the date four characters from the right
 * edge, the organ centered above it. A borderless two-column table at the right holds both, centered, so the
 * layout holds for any organ name and date without measuring them. A blank line above leaves room for the seal.
 */
const signature = () => {
  const width = 16 * CHAR;
  const centered = (text: string) => new Paragraph({ alignment: AlignmentType.CENTER, spacing: exact(), children: [run(text)] });
  return [
    new Paragraph({ spacing: exact(LINE, LINE, 0), keepNext: true, children: [] }),
    new Table({
      width: { size: TEXT_WIDTH, type: WidthType.DXA },
      columnWidths: [TEXT_WIDTH - width, width],
      layout: TableLayoutType.FIXED,
      borders: NO_BORDERS,
      rows: [
        new TableRow({
          cantSplit: true,
          children: [
            new TableCell({ width: { size: TEXT_WIDTH - width, type: WidthType.DXA }, borders: NO_BORDERS, children: [new Paragraph({ spacing: exact(), children: [] })] }),
            new TableCell({
              width: { size: width, type: WidthType.DXA },
              borders: NO_BORDERS,
              margins: { left: 0, right: 2 * CHAR, top: 0, bottom: 0 },
              children: [centered('{organName}'), centered('{issuedDate}')],
            }),
          ],
        }),
      ],
    }),
  ];
};

/** 页码: "— 1 —" in 宋体 四号, one character in from the outer edge (odd pages right, even pages left). */
function pageNumberFooter(alignment: 'right' | 'left'): Footer {
  const quarter = 280; // one 四号 character
  return new Footer({
    children: [
      new Paragraph({
        alignment: alignment === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: alignment === 'right' ? { right: quarter } : { left: quarter },
        children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: font(SONGTI), size: 28 })],
      }),
    ],
  });
}

function section(children: ISectionOptions['children']): ISectionOptions {
  return {
    properties: {
      page: {
        size: { width: PAGE.width, height: PAGE.height },
        // The page number sits 7 mm below the type area.
        margin: { ...MARGIN, header: mm(15), footer: mm(35 - 7 - 6), gutter: 0 },
      },
    },
    footers: { default: pageNumberFooter('right'), even: pageNumberFooter('left') },
    children,
  };
}

// ---- the documents ----

function decision() {
  return [
    ...redHeader(),
    title('问责追责处理决定书'),
    flush('被问责追责干部：{officialName}，{officialUnit}{officialPosition}，{officialRank}。'),
    body('经查，{facts}'),
    body('本机关依照《{policyTitle}》第十一条、第十二条的规定，在问责追责调查中同步开展容错认定，调查核实后于{deliberationDate}集体研究（应到{memberCount}人，实到{membersPresent}人），综合考虑主客观因素，提出问责追责意见和容错意见如下。'),
    heading1('一、问责追责意见'),
    body('{accountabilityOpinion}'),
    heading1('二、容错意见'),
    body('{toleranceOpinion}'),
    body('经认定，{officialName}同志的失误错误{situationsText}。'),
    tag('{#applications}'),
    body('{applicant}于{submittedDate}提出书面容错申请。答复意见：{answer}'),
    tag('{/applications}'),
    heading1('三、处理决定'),
    body('依照《{policyTitle}》{outcomeArticle}“{outcomeArticleText}”的规定，决定对{officialName}同志{outcome}，处理方式：{measures}。'),
    tag('{#measureDetails}'),
    body('{measureDetails}'),
    tag('{/measureDetails}'),
    body('{approval}容错理由和容错依据已单独形成书面材料，与有关证据材料一并归入问责追责案卷。'),
    last('{noticeText}'),
    ...signature(),
  ];
}

/** Table text: 仿宋 四号 (14 pt), single-spaced on a 22 pt pitch, flush left. */
const cellText = (text: string, alignment: (typeof AlignmentType)[keyof typeof AlignmentType] = AlignmentType.LEFT, fontName = FANGSONG) =>
  new Paragraph({ alignment, spacing: exact(440), children: [run(text, { size: 28, fontName })] });

const LINE_BORDER = { style: BorderStyle.SINGLE, size: 6, color: '000000' };
const GRID = { top: LINE_BORDER, bottom: LINE_BORDER, left: LINE_BORDER, right: LINE_BORDER, insideHorizontal: LINE_BORDER, insideVertical: LINE_BORDER };

/**
 * A ruled table: a header row in 黑体 and one row repeated per list item. The loop tags sit in the first and
 * last cells of that row, which makes docxtemplater repeat the row.
 */
function listTable(list: string, columns: readonly { header: string; lines: readonly string[]; width?: number; align?: 'center' }[]): Table {
  const fixed = columns.reduce((sum, c) => sum + (c.width ?? 0), 0);
  const flexible = columns.filter((c) => c.width === undefined).length;
  const widths = columns.map((c) => c.width ?? Math.floor((TEXT_WIDTH - fixed) / flexible));
  const cell = (children: Paragraph[], width: number) =>
    new TableCell({ width: { size: width, type: WidthType.DXA }, verticalAlign: VerticalAlignTable.CENTER, margins: { left: 80, right: 80, top: 40, bottom: 40 }, children });
  const align = (c: { align?: 'center' }) => (c.align === 'center' ? AlignmentType.CENTER : AlignmentType.LEFT);
  const last = columns.length - 1;
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders: GRID,
    rows: [
      new TableRow({ tableHeader: true, cantSplit: true, children: columns.map((c, i) => cell([cellText(c.header, AlignmentType.CENTER, HEITI)], widths[i]!)) }),
      new TableRow({
        cantSplit: true,
        children: columns.map((c, i) =>
          cell(
            c.lines.map((text, j) => cellText((i === 0 && j === 0 ? `{#${list}}` : '') + text + (i === last && j === c.lines.length - 1 ? `{/${list}}` : ''), align(c))),
            widths[i]!,
          ),
        ),
      }),
    ],
  });
}

function toleranceReasons() {
  return [
    new Paragraph({ alignment: AlignmentType.RIGHT, spacing: exact(), children: [run('{number}')] }),
    title('容错理由和容错依据', LINE / 2, 0),
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: exact(LINE, 0, LINE / 2), children: [run('（{caseTitle}）', { fontName: KAITI })] }),
    heading1('一、基本情况'),
    body('被问责追责干部：{officialName}，{officialUnit}{officialPosition}，{officialRank}。本案于{caseOpenedDate}启动问责调查，同步启动容错认定程序，适用{policyIssuer}《{policyTitle}》。'),
    heading1('二、失误错误事实'),
    body('{facts}'),
    tag('{#opinions}'),
    body('{kind}（{source}）：{content}'),
    tag('{/opinions}'),
    tag('{#evidence}'),
    body('证据材料：{title}（{kind}）。'),
    tag('{/evidence}'),
    heading1('三、容错情形（第八条）'),
    tag('{#situations}'),
    body('属于{article}规定的情形：“{text}”。'),
    tag('{/situations}'),
    tag('{^situations}'),
    body('未认定第八条所列可以容错的情形。'),
    tag('{/situations}'),
    heading1('四、综合分析判断（第九条）'),
    listTable('factors', [
      { header: '考察维度', lines: ['{dimension}'], width: 2700 },
      { header: '认定情况（原文及条款）', lines: ['“{words}”', '（{article}）'] },
      { header: '性质', lines: ['{pole}'], width: 1900, align: 'center' },
    ]),
    heading1('五、不予容错情形核查（第十条）'),
    listTable('exclusions', [
      { header: '条款', lines: ['{article}'], width: 2700 },
      { header: '情形（原文）', lines: ['{text}'] },
      { header: '是否存在', lines: ['{established}'], width: 1400, align: 'center' },
    ]),
    body('{exclusionConclusion}'),
    heading1('六、研判建议'),
    body('研判建议为{recommendation}（{recommendationNature}）。研判过程如下：'),
    tag('{#trace}'),
    body('{note}'),
    tag('{/trace}'),
    heading1('七、集体研究和处理决定'),
    body('{deliberationDate}，本机关集体研究（应到{memberCount}人，实到{membersPresent}人）。容错意见：{toleranceOpinion}'),
    tag('{#applications}'),
    body('{applicant}于{submittedDate}提出书面容错申请：{content}答复意见：{answer}'),
    tag('{/applications}'),
    body('处理决定：{outcome}（{outcomeArticle}），处理方式：{measures}。{departure}与研判建议不一致的理由：{departureReason}。'),
    body('容错理由和容错依据：{toleranceReasons}'),
    heading1('八、所依据的条款'),
    listTable('basis', [
      { header: '条款', lines: ['{article}'], width: 2700 },
      { header: '原文', lines: ['{text}'] },
    ]),
    last('本材料与有关证据材料一并归入问责追责案卷，留存备查。'),
    ...signature(),
  ];
}

function explanation(to: 'official' | 'party-org') {
  const lead =
    to === 'official'
      ? '{decisionDate}，本机关对你在“{caseTitle}”中的失误错误作出问责追责处理决定：{outcome}，处理方式：{measures}。依照《{policyTitle}》第十五条的规定，现将容错情况向你说明如下。'
      : '{decisionDate}，本机关对你单位{officialPosition}{officialName}同志在“{caseTitle}”中的失误错误作出问责追责处理决定：{outcome}，处理方式：{measures}。依照《{policyTitle}》第十五条的规定，现将容错情况向你单位党组织说明如下。';
  return [
    ...redHeader(),
    title('容错情况说明'),
    flush('{recipient}：'),
    body(lead),
    body('{explanation}'),
    body('容错意见：{toleranceOpinion}'),
    body('经认定，{officialName}同志的失误错误{situationsText}。'),
    body('{noticeText}'),
    last('特此说明。'),
    ...signature(),
  ];
}

function serviceReceipt() {
  const border = { style: BorderStyle.SINGLE, size: 8, color: '000000' };
  const borders = { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border };
  const labelWidth = 2300;
  const line = (text: string, alignment: (typeof AlignmentType)[keyof typeof AlignmentType] = AlignmentType.LEFT, size = BODY_SIZE) =>
    new Paragraph({ alignment, spacing: exact(), children: [run(text, { size })] });
  const cell = (children: Paragraph[], width: number) =>
    new TableCell({ width: { size: width, type: WidthType.DXA }, verticalAlign: VerticalAlignTable.CENTER, margins: { left: 120, right: 120 }, children });
  const row = (label: string, value: Paragraph[], height = 760) =>
    new TableRow({
      height: { value: height, rule: HeightRule.ATLEAST },
      cantSplit: true,
      children: [cell(label.split('\n').map((l) => line(l, AlignmentType.CENTER)), labelWidth), cell(value, TEXT_WIDTH - labelWidth)],
    });
  return [
    title('送达回证', 0),
    new Table({
      width: { size: TEXT_WIDTH, type: WidthType.DXA },
      columnWidths: [labelWidth, TEXT_WIDTH - labelWidth],
      layout: TableLayoutType.FIXED,
      borders,
      rows: [
        row('送达机关', [line('{organName}')]),
        row('案件名称', [line('{caseTitle}')]),
        row('受送达人', [line('{recipient}（{officialUnit}{officialPosition}）')]),
        row('送达文书\n名称及文号', [line('{servedDocuments}')], 1000),
        row('送达地点', [line('')]),
        row('送达方式', [line('□直接送达 □留置送达 □委托送达 □邮寄送达', AlignmentType.LEFT, 28)]),
        row('送达人', [line(''), line('（签名）', AlignmentType.RIGHT)], 1000),
        row('受送达人\n签收', [line(''), line(''), line('（签名）　　　　年　　月　　日', AlignmentType.RIGHT)], 1600),
        row('送达日期', [line('{servedDate}')]),
        row('备注', [line('{remarks}')], 1200),
      ],
    }),
    new Paragraph({
      alignment: AlignmentType.JUSTIFIED,
      spacing: exact(440, LINE / 2, 0),
      children: [run('注：受送达人拒绝签收的，送达人应当在备注栏注明拒收事由和日期，并由见证人签名。', { size: 28 })],
    }),
  ];
}

function appealDecision() {
  return [
    ...redHeader(),
    title('申诉处理决定书'),
    flush('申诉人：{officialName}，{officialUnit}{officialPosition}，{officialRank}。'),
    body('申诉人对本机关于{originalDecisionDate}作出的{originalDecisionRef}（处理结果：{originalOutcome}；处理方式：{originalMeasures}）不服，于{appealLodgedDate}提出申诉。本机关依照《{policyTitle}》第十六条和有关规定，由未参与原处理决定的人员进行了复查。'),
    body('申诉理由：{appealGrounds}'),
    body('申诉处理理由：{appealReasons}'),
    body('本机关于{appealDecidedDate}决定：{appealConclusion}'),
    body('申诉处理后，处理结果为{outcome}，处理方式：{measures}。容错意见：{toleranceOpinion}'),
    last('{approval}'),
    ...signature(),
  ];
}

const TEMPLATES: Record<DocumentKind, () => ISectionOptions['children']> = {
  decision,
  'tolerance-reasons': toleranceReasons,
  'explanation-official': () => explanation('official'),
  'explanation-party-org': () => explanation('party-org'),
  'service-receipt': serviceReceipt,
  'appeal-decision': appealDecision,
};


// ---- packaging ----

const FIXED_DATE = new Date('2026-01-01T00:00:00Z');

/** The font table with each official font's fallback (w:altName), used by Word and WPS where it is missing. */
function withFontFallbacks(xml: string): string {
  const fonts = Object.entries(FONT_FALLBACKS)
    .map(
      ([name, { alt, family }]) =>
        `<w:font w:name="${name}"><w:altName w:val="${alt}"/><w:charset w:val="86"/><w:family w:val="${family}"/><w:pitch w:val="variable"/></w:font>`,
    )
    .join('');
  return xml.replace(/<w:fonts([^>]*)\/>$/u, `<w:fonts$1>${fonts}</w:fonts>`).replace(/<\/w:fonts>$/u, `${fonts}</w:fonts>`);
}

async function build(kind: DocumentKind): Promise<Buffer> {
  const document = new Document({
    title: DOCUMENT_KIND_SPECS[kind].title,
    creator: '容错纠错工作平台',
    lastModifiedBy: '容错纠错工作平台',
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: {
        document: { run: { font: font(FANGSONG), size: BODY_SIZE }, paragraph: { spacing: exact() } },
      },
    },
    sections: [section(TEMPLATES[kind]())],
  });
  const zip = new PizZip(await Packer.toBuffer(document));
  const out = new PizZip();
  for (const name of Object.keys(zip.files).sort()) {
    const file = zip.files[name]!;
    if (file.dir) continue;
    let content = file.asText();
    if (name === 'docProps/core.xml') content = content.replace(/(<dcterms:(?:created|modified)[^>]*>)[^<]*/gu, `$1${FIXED_DATE.toISOString().replace(/\.\d+Z$/u, 'Z')}`);
    if (name === 'word/fontTable.xml') content = withFontFallbacks(content);
    out.file(name, content, { date: FIXED_DATE, createFolders: false });
  }
  return out.generate({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

const dir = new URL('../src/documents/templates/', import.meta.url);
mkdirSync(dir, { recursive: true });
for (const kind of Object.keys(TEMPLATES) as DocumentKind[]) {
  const bytes = await build(kind);
  writeFileSync(new URL(`${kind}.docx`, dir), bytes);
  console.log(`${kind}.docx  ${bytes.length} bytes`);
}
