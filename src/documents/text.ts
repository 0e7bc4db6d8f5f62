// The text of a .docx, paragraph by paragraph: for tests and for the case file's checks that a document says
// what the record says.
import PizZip from 'pizzip';
import { invalidInput } from '../errors.js';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/giu, (whole, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    return ENTITIES[entity] ?? whole;
  });
}

// Paragraph boundaries, text, tabs and breaks. Deleted text (w:delText) and field codes (w:instrText) are not
// text; a run's tab is a bare <w:tab/> (tab stops in paragraph properties carry attributes).
const TOKEN = /<w:p(?:\s[^>]*)?\/>|<w:p(?:\s[^>]*)?>|<\/w:p>|<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:tab\/>|<w:br(?:\s[^>]*)?\/>|<w:cr\/>/gu;

/** The paragraphs of one WordprocessingML part; a paragraph nested in another (a text box) comes first. */
function paragraphs(xml: string): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const match of xml.matchAll(TOKEN)) {
    const token = match[0];
    if (token.startsWith('<w:p') && token.endsWith('/>')) out.push('');
    else if (token.startsWith('<w:p')) stack.push('');
    else if (token === '</w:p>') out.push(stack.pop() ?? '');
    else if (stack.length > 0) {
      const piece = token.startsWith('<w:t') && !token.startsWith('<w:tab') ? decode(match[1] ?? '') : token.startsWith('<w:tab') ? '\t' : '\n';
      stack[stack.length - 1] += piece;
    }
  }
  return out;
}

const partOrder = (name: string) => Number(/(\d+)\.xml$/u.exec(name)?.[1] ?? 0);

/**
 * The document's paragraphs joined by newlines: the body (word/document.xml), then the headers and the
 * footers. Throws INVALID_INPUT for a buffer that is not a .docx.
 */
export function docxText(docx: Buffer): string {
  let zip: PizZip;
  try {
    zip = new PizZip(docx);
  } catch {
    throw invalidInput('document', '文件不是有效的 Word 文档（.docx）', 'not a .docx document');
  }
  const main = zip.file('word/document.xml');
  if (!main) throw invalidInput('document', '文件不是有效的 Word 文档（.docx）', 'not a .docx document');
  const names = Object.keys(zip.files);
  const parts = (prefix: string) =>
    names.filter((n) => new RegExp(`^word/${prefix}\\d*\\.xml$`, 'u').test(n)).sort((a, b) => partOrder(a) - partOrder(b));
  const texts = [main.asText(), ...parts('header').map((n) => zip.file(n)!.asText()), ...parts('footer').map((n) => zip.file(n)!.asText())];
  return texts.flatMap(paragraphs).join('\n');
}
