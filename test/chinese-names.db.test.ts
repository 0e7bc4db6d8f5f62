import ExcelJS from 'exceljs';
import PizZip from 'pizzip';
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { docxText } from '../src/documents/text.js';
import { CASE_RECORD_PATH, isSafeZipPath } from '../src/casefile/manifest.js';
import { ASSESSMENTS, decisionBody, deliberationBody, driveTo, evidenceForm, EXPLANATIONS, useHarness, type CaseFlow } from './rules/steps.js';

/**
 * Chinese names round-trip byte-exact (security.md, "Input, files, browser"): through the API, the database, the
 * case-list search, the directory, the generated documents (.docx), the sealed case file (.zip) and the statistics
 * export (.xlsx). What the product does with each edge case, decided here:
 *
 * - it stores and returns exactly the code points it was given: no NFC/NFD/NFKC normalization, no folding of
 *   look-alikes (U+00B7 · against U+30FB ・, U+2022 •, U+FF0E ．), no removal of zero-width characters, no
 *   conversion of full-width forms — a name is evidence, and changing it silently could merge two people;
 * - search matches the exact string (a substring, case-sensitive, no normalization): searching the exact name
 *   finds it, and a look-alike or another normalization form does not. A user who types U+2022 for the
 *   separator finds nothing rather than the wrong person;
 * - NUL and lone surrogates, which cannot be stored or encoded, are refused (hostile-input.db.test.ts).
 */

const NAMES = {
  /** CJK Extension B (U+20000) and (U+2A6A5): four UTF-8 bytes, two UTF-16 units each. */
  extensionB: '王𠀀𪚥',
  /** The minority-name separator, U+00B7 MIDDLE DOT, as the public-security standard writes it. */
  middleDot: '阿依古丽·买买提',
  /** Look-alikes of the separator that an input method may produce. */
  katakanaDot: '阿依古丽・买买提', // U+30FB
  bullet: '阿依古丽•买买提', // U+2022
  fullwidthStop: '阿依古丽．买买提', // U+FF0E
  /** Full-width Latin letters and the ideographic space. */
  fullwidth: '张ＡＢ　三',
  /** Zero-width space and zero-width joiner inside a name. */
  zeroWidth: '李\u200B四\u200D五',
  /** é composed (NFC) and decomposed (NFD). */
  nfc: 'José·马',
  nfd: 'Jose\u0301·马',
  /** A Kangxi radical (U+2F08), which NFKC folds to 人 (U+4EBA). */
  kangxi: '⼈民',
} as const;
type NameKey = keyof typeof NAMES;

const hex = (value: string) => Buffer.from(value, 'utf8').toString('hex');

describe('Chinese names round-trip byte-exact', () => {
  const h = useHarness();
  const officials = new Map<NameKey, string>();
  const cases = new Map<NameKey, string>();

  it('keeps every name exactly as given in the database and the API', async () => {
    // The variants really differ: none is another's normalization, so a silent normalization would show.
    expect(NAMES.nfc.normalize('NFD')).toBe(NAMES.nfd);
    expect(NAMES.nfc).not.toBe(NAMES.nfd);
    expect(NAMES.kangxi.normalize('NFKC')).toBe('人民');
    expect(new Set(Object.values(NAMES)).size).toBe(Object.keys(NAMES).length);

    const handler = await h.as('handler');
    for (const [key, name] of Object.entries(NAMES) as [NameKey, string][]) {
      // Officials come from the cadre directory (an import), not from a form: written as the directory holds them.
      const official = await h.db
        .insertInto('officials')
        .values({ name, organization_id: h.world.orgs.bureau.id, position: `${name}的职务`, rank: 'section-principal', category: 'government', managing_org_id: h.world.orgs.dongcheng.id })
        .returning('id')
        .executeTakeFirstOrThrow();
      officials.set(key, official.id);
      const title = `关于${name}的问题`;
      const description = `${name}在工作中……（${key}）`;
      const opened = await handler.inject({ method: 'POST', url: '/api/v1/cases', payload: { officialId: official.id, title, description } });
      expect(opened.statusCode, opened.body).toBe(201);
      const id = (opened.json() as { data: { id: string } }).data.id;
      cases.set(key, id);

      // The database holds the very bytes.
      const stored = await sql<{ title: string; description: string; name: string }>`
        SELECT encode(convert_to(c.title, 'UTF8'), 'hex') AS title, encode(convert_to(c.description, 'UTF8'), 'hex') AS description,
               encode(convert_to(o.name, 'UTF8'), 'hex') AS name
        FROM cases c JOIN officials o ON o.id = c.official_id WHERE c.id = ${id}`.execute(h.db);
      expect(stored.rows[0]).toEqual({ title: hex(title), description: hex(description), name: hex(name) });

      // The API answers with them.
      const view = await handler.inject({ method: 'GET', url: `/api/v1/cases/${id}` });
      const data = (view.json() as { data: { title: string; description: string; official: { name: string } } }).data;
      expect(hex(data.title), key).toBe(hex(title));
      expect(hex(data.description), key).toBe(hex(description));
      expect(hex(data.official.name), key).toBe(hex(name));
      // The raw response body carries the name as UTF-8 (not escaped into something else).
      expect(view.rawPayload.includes(Buffer.from(name, 'utf8')), key).toBe(true);
    }
  });

  it('finds each name by its exact string in the case list and the directory, and no look-alike', async () => {
    const handler = await h.as('handler');
    const search = async (q: string) => {
      const response = await handler.inject({ method: 'GET', url: `/api/v1/cases?q=${encodeURIComponent(q)}&limit=100` });
      expect(response.statusCode, response.body).toBe(200);
      return (response.json() as { data: { id: string; title: string }[] }).data.map((c) => c.id);
    };
    const directory = async (q: string) => {
      const response = await handler.inject({ method: 'GET', url: `/api/v1/officials?q=${encodeURIComponent(q)}` });
      expect(response.statusCode, response.body).toBe(200);
      return (response.json() as { data: { id: string; name: string }[] }).data;
    };
    for (const [key, name] of Object.entries(NAMES) as [NameKey, string][]) {
      const found = await search(name);
      // The exact name finds its case and no other variant's.
      expect(found, key).toContain(cases.get(key));
      for (const other of Object.keys(NAMES) as NameKey[]) if (other !== key && !NAMES[other].includes(name)) expect(found, `${key} finds ${other}`).not.toContain(cases.get(other));
      const people = await directory(name);
      const person = people.find((p) => p.id === officials.get(key));
      expect(person, key).toBeDefined();
      expect(hex(person!.name)).toBe(hex(name));
    }
    // A part of a name outside the BMP is found too, the separator is not folded, and the normalization forms stay apart.
    expect(await search('𪚥')).toEqual([cases.get('extensionB')]);
    expect(await search('古丽·买')).toEqual([cases.get('middleDot')]);
    expect(await search('José')).toEqual([cases.get('nfc')]);
    expect(await search('Jose\u0301')).toEqual([cases.get('nfd')]);
    expect(await search('人民')).toEqual([]);
    expect(await search('李四五')).toEqual([]);
  });

  describe('in documents and exports', () => {
    // The hardest name of all in one: Extension B, the separator, a full-width letter, a zero-width joiner, NFD.
    const NAME = '𠀀𪚥·阿依Ａ\u200D古丽e\u0301';
    const ORGAN = '𪚥·自治县纪委监委（Ｔ）';
    let flow: CaseFlow;

    it('drives a case of that official through to its sealed case file', async () => {
      await h.db.updateTable('officials').set({ name: NAME }).where('id', '=', h.world.officials.official).execute();
      await h.db.updateTable('organizations').set({ name: ORGAN }).where('id', '=', h.world.orgs.dongcheng.id).execute();
      flow = await driveTo(h, 'opened', { title: `${NAME}案` });
      // Evidence whose file name carries the name and a path: the case file keeps the name and drops the path.
      const handler = await h.as('handler');
      const form = evidenceForm(flow.version, `${NAME}的说明`);
      const payload = (form.payload as Buffer).toString('utf8').replace('filename="jiyao.pdf"', `filename="../../${NAME}.pdf"`);
      const recorded = await handler.inject({ method: 'POST', url: flow.url('evidence'), headers: form.headers!, payload: Buffer.from(payload, 'utf8') });
      expect(recorded.statusCode, recorded.body).toBe(201);
      flow.version = (recorded.json() as { version: number }).version;
      await flow.command('official', 'statement', { content: `本人${NAME}陈述：已主动整改。` });
      flow.recommendation = (await flow.command('handler', 'assessment', { input: ASSESSMENTS.favourable })).data.recommendation as string;
      await flow.command('handler', 'deliberations', deliberationBody(h, flow));
      await flow.command('handler', 'decision', decisionBody(flow));
      await flow.command('handler', 'service', EXPLANATIONS);
      const { appeal_deadline } = await flow.row();
      // An exemption has no appeal window; any other outcome waits until the window has closed.
      if (appeal_deadline) h.advance(appeal_deadline.getTime() + 1000 - h.now().getTime());
      await flow.command('handler', 'close', {});
    });

    it('writes the name and the organ byte-exact into every document', async () => {
      const handler = await h.as('handler');
      const list = await handler.inject({ method: 'GET', url: flow.url('documents') });
      const documents = (list.json() as { data: { id: string; kind: string }[] }).data;
      expect(documents.map((d) => d.kind)).toEqual(expect.arrayContaining(['decision', 'explanation-official', 'explanation-party-org', 'service-receipt']));
      for (const document of documents) {
        const file = await handler.inject({ method: 'GET', url: flow.url(`documents/${document.id}/file`) });
        expect(file.statusCode).toBe(200);
        const text = docxText(file.rawPayload);
        expect(text.includes(NAME), document.kind).toBe(true);
        // In document.xml itself the characters are there as UTF-8, not replaced or stripped.
        const xml = new PizZip(file.rawPayload).file('word/document.xml')!.asNodeBuffer();
        expect(xml.includes(Buffer.from(NAME, 'utf8')), document.kind).toBe(true);
        if (document.kind === 'decision') expect(text).toContain(ORGAN);
      }
    });

    it('keeps them byte-exact in the exported case file, with the attachment name safe', async () => {
      const handler = await h.as('handler');
      const response = await handler.inject({ method: 'GET', url: flow.url('case-file') });
      expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
      const zip = new PizZip(response.rawPayload);
      const names = Object.keys(zip.files).filter((n) => !zip.files[n]!.dir);
      for (const name of names) expect(isSafeZipPath(name), name).toBe(true);
      // The attachment is kept under the user's name, without the "../../".
      expect(names.some((n) => n.endsWith(`/${NAME}.pdf`) && !n.includes('..'))).toBe(true);
      const record = zip.file(CASE_RECORD_PATH)!.asNodeBuffer();
      expect(record.includes(Buffer.from(NAME, 'utf8'))).toBe(true);
      expect(record.includes(Buffer.from(`${NAME}案`, 'utf8'))).toBe(true);
      const parsed = JSON.parse(record.toString('utf8')) as unknown;
      expect(JSON.stringify(parsed)).toContain(NAME);
    });

    it('keeps the organ byte-exact in the statistics export', async () => {
      const supervisor = await h.as('supervisor');
      const response = await supervisor.inject({ method: 'GET', url: '/api/v1/statistics.xlsx' });
      expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
      const cells: string[] = [];
      workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value)))));
      expect(cells.map(hex)).toContain(hex(ORGAN));
    });
  });
});
