import { randomBytes } from 'node:crypto';
import PizZip from 'pizzip';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_KINDS } from '../src/documents/kinds.js';
import { docxText } from '../src/documents/text.js';
import { ALL_XSS, RAW_MARKUP, xssText } from './helpers/xss.js';
import { ASSESSMENTS, CaseFlow, deliberationBody, useHarness } from './rules/steps.js';

/**
 * Markup typed into every free-text field of a case comes out of the generated documents as text: escaped in
 * word/document.xml (no element, no attribute, no run or paragraph of its own), and read back literally.
 */
describe('markup in free text, in generated documents', () => {
  const h = useHarness();
  let flow: CaseFlow;
  /** Every text put into the case, by field. */
  const texts = new Map<string, string>();
  const text = (field: string) => {
    const value = xssText(field, texts.size);
    texts.set(field, value);
    return value;
  };

  it('takes the payloads in every field of the procedure, and gives them back unchanged', async () => {
    const handler = await h.as('handler');
    const opened = await handler.inject({ method: 'POST', url: '/api/v1/cases', payload: { officialId: h.world.officials.official, title: text('案件名称'), description: text('问题描述') } });
    expect(opened.statusCode, opened.body).toBe(201);
    const { data, version } = opened.json() as { data: { id: string }; version: number };
    flow = new CaseFlow(h, data.id, version);

    // Evidence, with markup in its title, description and file name.
    const boundary = `----xss${randomBytes(6).toString('hex')}`;
    const field = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const body =
      field('version', String(flow.version)) +
      field('title', text('证据名称')) +
      field('description', text('证据说明')) +
      field('kind', 'document') +
      `--${boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="<img src=x onerror=window.__xss=1>.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n%%EOF\n\r\n--${boundary}--\r\n`;
    const evidence = await handler.inject({ method: 'POST', url: flow.url('evidence'), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: Buffer.from(body) });
    expect(evidence.statusCode, evidence.body).toBe(201);
    flow.version = (evidence.json() as { version: number }).version;

    await flow.command('handler', 'opinions', { kind: 'unit', source: text('意见来源'), content: text('单位意见') });
    await flow.command('official', 'statement', { content: text('陈述申辩') });
    flow.applications.push((await flow.command('official', 'applications', { content: text('容错申请') })).data.id as string);
    await flow.command('handler', 'professional', { professional: true });
    await flow.command('handler', 'experts', { expertId: h.world.users.expert.id, question: text('咨询问题'), evidenceIds: [] });
    await flow.command('expert', 'expert-opinion', { content: text('专家意见') });
    flow.recommendation = (await flow.command('handler', 'assessment', { input: ASSESSMENTS.favourable, note: text('研判说明') })).data.recommendation as string;
    const deliberation = deliberationBody(h, flow, { proposedOutcome: 'reduced', departureReason: text('研究偏离理由') });
    await flow.command('handler', 'deliberations', {
      ...deliberation,
      accountabilityOpinion: text('问责意见'),
      toleranceOpinion: text('集体研究容错意见'),
      memberOpinions: (deliberation.memberOpinions as { memberId: string }[]).map((m, i) => ({ ...m, opinion: 'reduced', comment: text(`成员意见${i + 1}`) })),
      applicationAnswers: flow.applications.map((applicationId) => ({ applicationId, answer: text('申请答复') })),
    });
    const decided = await flow.command('handler', 'decision', {
      outcome: 'reduced',
      reduction: 'mitigated',
      measures: ['disciplinary-sanction'],
      measureDetails: text('处理方式说明'),
      toleranceOpinion: text('决定容错意见'),
      toleranceReasons: text('容错理由'),
      departureReason: text('决定偏离理由'),
    });
    expect(decided.data.requiresApproval).toBe(true);
    await flow.command('approver', 'decision/approval', { approve: true, note: text('审批意见') });
    await flow.command('handler', 'service', { explanationToOfficial: text('向本人说明'), explanationToPartyOrg: text('向党组织说明') });
    await flow.command('official', 'appeal', { grounds: `${text('申诉理由')} ${ALL_XSS}` });
    await flow.command('handler2', 'appeal/decision', { outcome: 'upheld', reasons: text('申诉处理理由') });

    // The API gives every text back exactly (JSON escapes it; nothing is stripped or encoded twice).
    const reader = await h.as('handler');
    const json = JSON.stringify([(await reader.inject({ method: 'GET', url: flow.url() })).json(), (await reader.inject({ method: 'GET', url: flow.url('evidence') })).json()]);
    for (const [name, value] of texts) {
      if (name === '审批意见' || name.startsWith('成员意见')) continue; // shown to their own readers only
      expect(json.includes(JSON.stringify(value).slice(1, -1)), name).toBe(true);
    }
  });

  it('escapes the markup in every document it can issue, and reads it back as text', async () => {
    const handler = await h.as('handler');
    const issued: string[] = [];
    for (const kind of DOCUMENT_KINDS) {
      const response = await handler.inject({ method: 'POST', url: flow.url('documents'), payload: { kind } });
      expect(response.statusCode, `${kind}: ${response.body}`).toBe(201);
      issued.push((response.json() as { data: { id: string } }).data.id);
    }
    const seen = new Set<string>();
    for (const [i, id] of issued.entries()) {
      const file = await handler.inject({ method: 'GET', url: flow.url(`documents/${id}/file`) });
      expect(file.statusCode).toBe(200);
      const zip = new PizZip(file.rawPayload);
      for (const part of Object.keys(zip.files).filter((n) => n.endsWith('.xml'))) {
        const xml = zip.file(part)!.asText();
        for (const raw of RAW_MARKUP) expect(xml.includes(raw), `${DOCUMENT_KINDS[i]} ${part}: ${raw}`).toBe(false);
      }
      const xml = zip.file('word/document.xml')!.asText();
      // Escaped, not dropped: the payload's markup is in the XML as character data.
      expect(xml.includes('&lt;script&gt;') || xml.includes('&lt;img') || xml.includes('&lt;/w:t&gt;') || xml.includes('&quot;&gt;&lt;svg'), DOCUMENT_KINDS[i]).toBe(true);
      const body = docxText(file.rawPayload);
      for (const [name, value] of texts) if (body.includes(value)) seen.add(name);
      // No paragraph of the attacker's own: the injected words stay inside the paragraph that carries the payload.
      for (const line of body.split('\n')) if (line.includes('注入的段落')) expect(line.startsWith('注入的段落'), line).toBe(false);
    }
    // Every field a document shows was found there, literally (template tags included, not expanded).
    for (const field of ['案件名称', '问题描述', '证据名称', '意见来源', '单位意见', '陈述申辩', '容错申请', '专家意见', '问责意见', '申请答复', '处理方式说明', '决定容错意见', '容错理由', '决定偏离理由', '向本人说明', '向党组织说明', '申诉处理理由']) {
      expect(seen.has(field), `${field} appears literally in some document`).toBe(true);
    }
  });
});
