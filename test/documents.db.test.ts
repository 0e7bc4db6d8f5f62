import { describe, expect, it } from 'vitest';
import { docxText } from '../src/documents/text.js';
import { libreOfficePath } from '../src/documents/pdf.js';
import { defaultTemplate } from '../src/documents/render.js';
import { driveTo, useHarness } from './rules/steps.js';

interface DocumentRow {
  id: string;
  kind: string;
  version: number;
  number: string | null;
  latest: boolean;
}

/** Official documents over HTTP: issued from the case's data, numbered without gaps, versioned, seen per role. */
describe('official documents (Art. 13–15)', () => {
  const h = useHarness();

  const list = async (user: 'handler' | 'official' | 'partyOrg' | 'xcHandler', caseId: string) => {
    const response = await (await h.as(user)).inject({ method: 'GET', url: `/api/v1/cases/${caseId}/documents` });
    return { status: response.statusCode, body: response.json() as { data: DocumentRow[]; canIssue: boolean } };
  };

  it('issues the decision with its tolerance opinion, numbers documents per organ and year, and reissues as a new version', async () => {
    const flow = await driveTo(h, 'served', { proposedOutcome: 'reduced', decision: { outcome: 'reduced', reduction: 'lighter', measures: ['admonishment'], toleranceOpinion: '符合容错减责条件，予以从轻问责。', toleranceReasons: '第八条第（二）项；出于公心。', departureReason: '造成一定影响。' } });
    const handler = await h.as('handler');
    const issue = (kind: string) => handler.inject({ method: 'POST', url: flow.url('documents'), payload: { kind } });

    // Not ready: no appeal yet. The refused issue gives its number back.
    const early = await issue('appeal-decision');
    expect(early.statusCode, early.body).toBe(422);
    expect(early.json()).toMatchObject({ code: 'DOCUMENT_NOT_READY' });

    const decision = await issue('decision');
    expect(decision.statusCode, decision.body).toBe(201);
    const year = h.now().getUTCFullYear();
    expect((decision.json() as { data: DocumentRow }).data).toMatchObject({ kind: 'decision', version: 1, number: `东城区纪委监委容〔${year}〕1号` });
    const reasons = (await issue('tolerance-reasons')).json() as { data: DocumentRow };
    expect(reasons.data.number).toBe(`东城区纪委监委容〔${year}〕2号`);
    const again = (await issue('decision')).json() as { data: DocumentRow };
    expect(again.data).toMatchObject({ version: 2, number: `东城区纪委监委容〔${year}〕1号` });
    const receipt = (await issue('service-receipt')).json() as { data: DocumentRow };
    expect(receipt.data.number).toBeNull();

    const docs = await list('handler', flow.id);
    expect(docs.body.canIssue).toBe(true);
    expect(docs.body.data.filter((d) => d.kind === 'decision').map((d) => [d.version, d.latest])).toEqual([
      [2, true],
      [1, false],
    ]);

    // The served decision document carries the organ, the official, the facts, the outcome and the tolerance opinion.
    const file = await handler.inject({ method: 'GET', url: flow.url(`documents/${again.data.id}/file`) });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('wordprocessingml');
    const text = docxText(file.rawPayload);
    for (const part of ['东城区纪委监委', '张明', '问责追责处理决定书', '容错减责', '符合容错减责条件，予以从轻问责。', '诫勉', `东城区纪委监委容〔${year}〕1号`]) expect(text).toContain(part);
    const reasonsText = docxText((await handler.inject({ method: 'GET', url: flow.url(`documents/${reasons.data.id}/file`) })).rawPayload);
    expect(reasonsText).toContain('第八条第（二）项');
    expect(reasonsText).toContain('第十条');

    // Each issue is in the chain with the document's hash.
    const events = await h.db.selectFrom('events').select('payload').where('case_id', '=', flow.id).where('type', '=', 'case.document-generated').execute();
    expect(events).toHaveLength(4);

    // The official receives the decision and their explanation, not the reasons material or the other side's.
    const officialDocs = await list('official', flow.id);
    expect(new Set(officialDocs.body.data.map((d) => d.kind))).toEqual(new Set(['decision', 'service-receipt']));
    const official = await h.as('official');
    expect((await official.inject({ method: 'GET', url: flow.url(`documents/${reasons.data.id}/file`) })).statusCode).toBe(404);
    expect(officialDocs.body.canIssue).toBe(false);
    expect((await official.inject({ method: 'POST', url: flow.url('documents'), payload: { kind: 'decision' } })).statusCode).toBe(403);

    // Another district sees nothing.
    expect((await list('xcHandler', flow.id)).status).toBe(404);
  });

  it('turns a document into a PDF through LibreOffice for printing, once', async () => {
    const flow = await driveTo(h, 'served');
    const handler = await h.as('handler');
    const issued = (await handler.inject({ method: 'POST', url: flow.url('documents'), payload: { kind: 'explanation-official' } })).json() as { data: DocumentRow };
    const pdf = await handler.inject({ method: 'GET', url: flow.url(`documents/${issued.data.id}/file?format=pdf`) });
    if (!libreOfficePath()) {
      // Without LibreOffice the product still works: the .docx is the document, and the PDF says why it is missing.
      expect(process.env.REQUIRE_ALL, 'LibreOffice is required with REQUIRE_ALL=1').not.toBe('1');
      expect(pdf.statusCode).toBe(503);
      expect(pdf.json()).toMatchObject({ code: 'PDF_UNAVAILABLE' });
      return;
    }
    expect(pdf.statusCode, pdf.body.slice(0, 200)).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const row = await h.db.selectFrom('documents').select('pdf_sha256').where('id', '=', issued.data.id).executeTakeFirstOrThrow();
    expect(row.pdf_sha256).toMatch(/^[0-9a-f]{64}$/);
    const second = await handler.inject({ method: 'GET', url: flow.url(`documents/${issued.data.id}/file?format=pdf`) });
    expect(second.rawPayload.equals(pdf.rawPayload)).toBe(true);
  });

  it('accepts an organ template that uses known fields, and refuses one naming a field the case lacks, at upload', async () => {
    const handler = await h.as('handler');
    const organId = h.world.orgs.dongcheng.id;
    const upload = (contentBase64: string, filename = '决定书.docx') =>
      handler.inject({ method: 'POST', url: '/api/v1/document-templates/decision', payload: { organId, filename, contentBase64 } });

    const ok = await upload(defaultTemplate('decision').toString('base64'));
    expect(ok.statusCode, ok.body).toBe(201);
    expect((ok.json() as { data: { fields: string[] } }).data.fields).toContain('toleranceOpinion');

    // The same template with an unknown field.
    const PizZip = (await import('pizzip')).default;
    const zip = new PizZip(defaultTemplate('decision'));
    const xml = zip.file('word/document.xml')!.asText();
    zip.file('word/document.xml', xml.replace('{organName}', '{organName}{secretRemarks}'));
    const bad = await upload(zip.generate({ type: 'nodebuffer' }).toString('base64'));
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'INVALID_INPUT', key: 'template' });
    expect(bad.json().title).toContain('secretRemarks');

    const notDocx = await upload(Buffer.from('plain text').toString('base64'));
    expect(notDocx.statusCode).toBe(400);
    const wrongOrgan = await handler.inject({ method: 'POST', url: '/api/v1/document-templates/decision', payload: { organId: h.world.orgs.xicheng.id, filename: 'x.docx', contentBase64: defaultTemplate('decision').toString('base64') } });
    expect(wrongOrgan.json()).toMatchObject({ code: 'INVALID_INPUT', key: 'organId' });

    const templates = (await handler.inject({ method: 'GET', url: '/api/v1/document-templates' })).json() as { data: { kind: string; uploads: unknown[] }[] };
    expect(templates.data.find((t) => t.kind === 'decision')!.uploads).toHaveLength(1);
    const official = await h.as('official');
    expect((await official.inject({ method: 'GET', url: '/api/v1/document-templates' })).statusCode).toBe(403);
  });
});
