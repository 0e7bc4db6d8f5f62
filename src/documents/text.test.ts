import { AlignmentType, Document, Footer, Header, Packer, Paragraph, Table, TableCell, TableRow, TabStopType, TextRun } from 'docx';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { docxText } from './text.js';

describe('docxText', () => {
  it('gives the paragraphs of the body, then headers, then footers, one per line', async () => {
    const doc = new Document({
      sections: [
        {
          headers: { default: new Header({ children: [new Paragraph('页眉')] }) },
          footers: { default: new Footer({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun('页脚')] })] }) },
          children: [
            new Paragraph({ children: [new TextRun('第一段'), new TextRun({ text: '，同一段', bold: true })] }),
            new Paragraph(''),
            new Paragraph({ tabStops: [{ type: TabStopType.RIGHT, position: 9000 }], children: [new TextRun('a & b < c'), new TextRun({ text: '换行', break: 1 }), new TextRun({ children: ['\t'] })] }),
            new Table({ rows: [new TableRow({ children: [new TableCell({ children: [new Paragraph('单元格一')] }), new TableCell({ children: [new Paragraph('单元格二')] })] })] }),
          ],
        },
      ],
    });
    const text = docxText(Buffer.from(await Packer.toBuffer(doc)));
    expect(text).toBe(['第一段，同一段', '', 'a & b < c\n换行\t', '单元格一', '单元格二', '页眉', '页脚'].join('\n'));
  });

  it('refuses what is not a .docx', () => {
    expect(() => docxText(Buffer.from('plain text'))).toThrow(AppError);
  });
});
