// Templates (.docx with docxtemplater tags) checked at upload against the kind's fields, and filled from a
// case's data. docxtemplater's MIT core only: plain tags {field}, sections and loops {#list}…{/list}, inverted
// sections {^list}…{/list}. A field without a value stops the rendering with an error naming it: a served
// document never carries a blank where the record should be.
import { readFileSync } from 'node:fs';
import Docxtemplater from 'docxtemplater';
import PizZip from 'pizzip';
import { AppError, invalidInput } from '../errors.js';
import { DOCUMENT_KIND_SPECS, fieldNames, type DocumentKind, type FieldSpec } from './kinds.js';

const TEMPLATES_DIR = new URL('./templates/', import.meta.url);

/** The shipped default template of a kind (src/documents/templates/<kind>.docx). */
export function defaultTemplate(kind: DocumentKind): Buffer {
  if (!DOCUMENT_KIND_SPECS[kind]) throw new Error(`unknown document kind ${String(kind)}`);
  return readFileSync(new URL(`${kind}.docx`, TEMPLATES_DIR));
}

// ---- parsing ----

/** A tag as docxtemplater parsed it. */
interface ParsedPart {
  type: string;
  value: string;
  module?: string;
  inverted?: boolean;
  subparsed?: ParsedPart[];
}

const notDocx = () =>
  invalidInput(
    'template',
    '上传的文件不是有效的 Word 文档（.docx）。请在 Word 或 WPS 中“另存为” .docx 格式后重新上传',
    'the file is not a valid .docx document',
  );

const TEMPLATE_ERRORS: Record<string, (xtag: string) => string> = {
  unclosed_tag: (t) => `标签“{${t}”缺少结尾的“}”`,
  unopened_tag: (t) => `标签“${t}}”缺少开头的“{”`,
  duplicate_open_tag: (t) => `标签“${t}”中有重复的“{”`,
  duplicate_close_tag: (t) => `标签“${t}”中有重复的“}”`,
  unclosed_loop: (t) => `“{#${t}}”缺少对应的结束标签“{/${t}}”`,
  unopened_loop: (t) => `结束标签“{/${t}}”缺少对应的开始标签“{#${t}}”`,
  closing_tag_does_not_match_opening_tag: (t) => `开始标签和结束标签不一致（${t}）`,
  unbalanced_loop_tags: (t) => `循环标签没有成对出现（${t}）`,
  raw_tag_outerxml_invalid: (t) => `标签“{@${t}}”必须单独占一个段落`,
};

interface TemplateErrorProperties {
  id?: string;
  xtag?: string;
  explanation?: string;
  errors?: { properties?: TemplateErrorProperties }[];
}

/** docxtemplater's template errors (malformed tags) as one input error in Chinese. */
function malformed(error: unknown): AppError {
  const properties = (error as { properties?: TemplateErrorProperties }).properties;
  const list = properties?.errors?.map((e) => e.properties ?? {}) ?? (properties ? [properties] : []);
  const messages = list.map((p) => {
    const xtag = typeof p.xtag === 'string' ? p.xtag : '';
    const describe = p.id ? TEMPLATE_ERRORS[p.id] : undefined;
    return describe ? describe(xtag) : (p.explanation ?? '无法识别的标签');
  });
  const english = list.map((p) => p.explanation ?? p.id ?? 'template error');
  return invalidInput(
    'template',
    `模板中的标签格式有误：${messages.length > 0 ? messages.join('；') : '无法解析模板'}`,
    `malformed template tags: ${english.length > 0 ? english.join('; ') : String((error as Error).message)}`,
  );
}

const OPTIONS = { paragraphLoop: true, linebreaks: true, errorLogging: false } as const;

/** Opens the .docx and compiles its tags; returns the compiler and each templated part's parsed tags. */
function compile(template: Buffer, extra: Pick<Docxtemplater.DXT.Options, 'nullGetter'> = {}) {
  let zip: PizZip;
  try {
    zip = new PizZip(template);
  } catch {
    throw notDocx();
  }
  if (!zip.file('word/document.xml')) throw notDocx();
  const parsed = new Map<string, ParsedPart[]>();
  let current = '';
  // A minimal inspect module (the core's InspectModule needs lodash): it receives each part's parsed tags.
  const collector = {
    name: 'FieldCollector',
    set(options: { inspect?: { filePath?: string; postparsed?: ParsedPart[] } }) {
      if (options.inspect?.filePath) current = options.inspect.filePath;
      if (options.inspect?.postparsed) parsed.set(current, options.inspect.postparsed);
    },
  };
  let doc: Docxtemplater;
  try {
    const options: Docxtemplater.DXT.ConstructorOptions = { ...OPTIONS, ...extra, modules: [collector as unknown as Docxtemplater.DXT.Module] };
    doc = new Docxtemplater(zip, options);
  } catch (error) {
    const id = (error as { properties?: { id?: string } }).properties?.id;
    if (id === 'filetype_not_identified' || id === 'filetype_not_handled') throw notDocx();
    throw malformed(error);
  }
  return { doc, parsed };
}

const isTag = (part: ParsedPart) => part.type === 'placeholder';

function rawTags(parts: readonly ParsedPart[]): string[] {
  return parts.filter(isTag).flatMap((p) => (p.module === 'rawxml' ? [p.value] : rawTags(p.subparsed ?? [])));
}

interface TagProblem {
  unknown: string[];
  misused: string[];
  raw: string[];
}

/** Checks the tags against the fields in scope: the kind's fields, and inside a list loop its item fields. */
function checkTags(parts: readonly ParsedPart[], scopes: readonly (readonly FieldSpec[])[], path: string, used: Set<string>, problems: TagProblem): void {
  for (const part of parts.filter(isTag)) {
    const name = part.value;
    if (part.module === 'rawxml') {
      problems.raw.push(name);
      continue;
    }
    let found: { field: FieldSpec; depth: number } | undefined;
    for (let depth = 0; depth < scopes.length && !found; depth++) {
      const field = scopes[depth]!.find((f) => f.name === name);
      if (field) found = { field, depth };
    }
    if (!found) {
      problems.unknown.push(path ? `${path}[].${name}` : name);
      continue;
    }
    // Depth 0 inside a list is the list's item field; anything else is a field of the kind.
    used.add(found.depth === 0 && scopes.length > 1 ? `${path}[].${name}` : name);
    if (part.module === 'loop') {
      const itemScopes = found.field.items && !part.inverted ? [found.field.items, ...scopes] : scopes;
      checkTags(part.subparsed ?? [], itemScopes, found.field.items && !part.inverted ? name : path, used, problems);
    } else if (part.module !== undefined) {
      problems.unknown.push(name);
    } else if (found.field.items) {
      problems.misused.push(name);
    }
  }
}

/**
 * Parses a template's tags and checks each against the kind's fields. Refuses a file that is not a .docx, a
 * template with malformed tags, raw-XML tags ({@…}), a list used as a plain value, and any field the kind
 * does not have (INVALID_INPUT on `template`, the allowed fields listed). Returns the fields used, lists'
 * item fields written `list[].item`.
 */
export function inspectTemplate(template: Buffer, kind: DocumentKind): { fields: string[] } {
  const spec = DOCUMENT_KIND_SPECS[kind];
  if (!spec) throw invalidInput('kind', `未知的文书种类“${String(kind)}”`, `unknown document kind ${String(kind)}`);
  const { parsed } = compile(template);
  const used = new Set<string>();
  const problems: TagProblem = { unknown: [], misused: [], raw: [] };
  for (const parts of parsed.values()) checkTags(parts, [spec.fields], '', used, problems);
  const allowed = fieldNames(kind);
  if (problems.unknown.length > 0) {
    const names = [...new Set(problems.unknown)];
    throw invalidInput(
      'template',
      `模板引用了案件中不存在的字段：${names.join('、')}（“${spec.title}”可用的字段见说明）`,
      `the template references fields the ${kind} document does not have: ${names.join(', ')}`,
      allowed,
    );
  }
  if (problems.raw.length > 0) {
    throw invalidInput('template', `模板不得使用原始 XML 标签：${problems.raw.map((n) => `{@${n}}`).join('、')}`, `raw XML tags are not allowed: ${problems.raw.join(', ')}`, allowed);
  }
  if (problems.misused.length > 0) {
    const names = [...new Set(problems.misused)];
    throw invalidInput(
      'template',
      `字段${names.map((n) => `“${n}”`).join('、')}是列表，应当写作 {#${names[0]}}…{/${names[0]}}`,
      `list fields used as plain values: ${names.join(', ')}`,
      allowed,
    );
  }
  return { fields: [...used].sort() };
}

/** A field the template uses has no value in the data: nothing is rendered. */
export const documentFieldMissing = (name: string) =>
  new AppError({
    code: 'DOCUMENT_FIELD_MISSING',
    status: 422,
    message: `模板字段“${name}”在案件数据中没有值，文书未生成`,
    messageEn: `the template field "${name}" has no value in the case data; nothing was rendered`,
    key: name,
  });

/**
 * Fills a template with the data. A tag whose value is missing (undefined or null) throws
 * DOCUMENT_FIELD_MISSING naming it; raw-XML tags are refused. Values are inserted as text (escaped), line
 * breaks kept.
 */
export function renderDocument(template: Buffer, data: Record<string, unknown>): Buffer {
  const { doc, parsed } = compile(template, {
    nullGetter: (part) => {
      throw documentFieldMissing(part.value);
    },
  });
  const raw = [...parsed.values()].flatMap(rawTags);
  if (raw.length > 0) throw invalidInput('template', `模板不得使用原始 XML 标签：${raw.map((n) => `{@${n}}`).join('、')}`, `raw XML tags are not allowed: ${raw.join(', ')}`);
  try {
    doc.render(data);
  } catch (error) {
    if (error instanceof AppError) throw error;
    const nested = (error as { properties?: { errors?: { properties?: { rootError?: unknown } }[] } }).properties?.errors;
    const root = nested?.map((e) => e.properties?.rootError).find((e) => e instanceof AppError);
    if (root) throw root;
    throw malformed(error);
  }
  return doc.getZip().generate({ type: 'nodebuffer', compression: 'DEFLATE' });
}
