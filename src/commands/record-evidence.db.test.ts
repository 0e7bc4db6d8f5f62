import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAs, type SignedIn } from '../../test/helpers/app.js';
import { useTestDatabase } from '../../test/helpers/db.js';
import { createOrganization, createUser } from '../../test/helpers/factories.js';
import type { Actor } from '../access/actor.js';
import { recordDigest } from '../audit/digest.js';
import { DEFAULT_SETTINGS } from '../cases/settings.js';
import { systemClock } from '../clock.js';
import type { Db } from '../db/connect.js';
import { AppError } from '../errors.js';
import { LocalFileStore, sha256Hex } from '../files/store.js';
import { buildApp } from '../http/app.js';
import { evidenceRoutes } from '../http/routes/evidence/index.js';
import { inviteExpert, markProfessional } from './invite-expert.js';
import { openCase } from './open-case.js';
import { recordEvidence } from './record-evidence.js';

const MAX_BYTES = 64 * 1024;

const PDF = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
// The start of a Windows executable (MZ header, DOS stub).
const EXE = Buffer.concat([Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff, 0xff]), randomBytes(256)]);

interface FilePart {
  filename: string;
  bytes: Buffer;
  field?: string;
  contentType?: string;
}

/** A multipart/form-data body as a browser sends it (UTF-8 file names, raw bytes). */
function multipart(fields: Record<string, string | number>, files: FilePart[]) {
  const boundary = `----rongcuo${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const file of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'attachments'}"; filename="${file.filename}"\r\n` +
          `Content-Type: ${file.contentType ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)).sort();
}

describe('recording evidence with attachments', () => {
  const database = useTestDatabase();
  let db: Db;
  let app: FastifyInstance;
  let root: string;
  let store: LocalFileStore;
  let officialId: string;
  let handlerActor: Actor;
  let expertId: string;
  let handler: SignedIn;
  let otherHandler: SignedIn;
  let official: SignedIn;
  let partyOrganization: SignedIn;
  let expert: SignedIn;

  beforeAll(async () => {
    db = database.current.db;
    root = await mkdtemp(path.join(tmpdir(), 'rongcuo-evidence-'));
    store = new LocalFileStore(root);
    const context = { db, clock: systemClock, version: 'test', secureCookies: false, files: store, settings: { ...DEFAULT_SETTINGS, maxAttachmentBytes: MAX_BYTES } };
    app = await buildApp({ context });
    // Until app.ts registers the evidence routes itself; the session plugin is already in place (app-wide).
    if (!app.hasRoute({ method: 'GET', url: '/api/v1/cases/:caseId/evidence' })) await app.register(evidenceRoutes, { context });
    await app.ready();

    const committee = await createOrganization(db, { type: 'party-committee' });
    const commission = await createOrganization(db, { type: 'discipline-commission', parentId: committee.id });
    const dongcheng = await createOrganization(db, { type: 'discipline-commission', parentId: commission.id });
    const xicheng = await createOrganization(db, { type: 'discipline-commission', parentId: commission.id });
    const bureau = await createOrganization(db, { type: 'government-department', parentId: committee.id });
    officialId = (
      await db
        .insertInto('officials')
        .values({ name: '张明', organization_id: bureau.id, position: '副主任', rank: 'division-deputy', category: 'government', managing_org_id: dongcheng.id })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;

    const handlerUser = await createUser(db, { roles: [{ role: 'handler', organizationId: dongcheng.id }] });
    const otherHandlerUser = await createUser(db, { roles: [{ role: 'handler', organizationId: xicheng.id }] });
    const officialUser = await createUser(db, { roles: [{ role: 'official', organizationId: bureau.id }] });
    await db.updateTable('users').set({ official_id: officialId }).where('id', '=', officialUser.id).execute();
    const partyOrganizationUser = await createUser(db, { roles: [{ role: 'party-organization', organizationId: bureau.id }] });
    const expertUser = await createUser(db, { roles: [{ role: 'expert', organizationId: commission.id }] });
    expertId = expertUser.id;
    handlerActor = { userId: handlerUser.id, username: handlerUser.username, displayName: '经办人', officialId: null, roles: [{ role: 'handler', organizationId: dongcheng.id }] };

    handler = await signInAs(app, handlerUser);
    otherHandler = await signInAs(app, otherHandlerUser);
    official = await signInAs(app, officialUser);
    partyOrganization = await signInAs(app, partyOrganizationUser);
    expert = await signInAs(app, expertUser);
  });
  afterAll(async () => {
    await app?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  const newCase = () => openCase({ db, clock: systemClock, actor: handlerActor, officialId, title: '项目审批失误', description: '审批程序不完整' });

  const upload = (session: SignedIn, caseId: string, fields: Record<string, string | number>, files: FilePart[]) =>
    session.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/evidence`, ...multipart(fields, files) });

  /** What a refused upload must leave untouched: no evidence row, no new version, no event. */
  async function snapshot(caseId: string) {
    const [kase, evidence, events] = await Promise.all([
      db.selectFrom('cases').select('version').where('id', '=', caseId).executeTakeFirstOrThrow(),
      db.selectFrom('evidence').select('id').where('case_id', '=', caseId).execute(),
      db.selectFrom('events').select('seq').where('case_id', '=', caseId).execute(),
    ]);
    return { version: kase.version, evidence: evidence.length, events: events.length };
  }

  it('refuses without a session', async () => {
    const kase = await newCase();
    const form = multipart({ version: kase.version, title: '合同', kind: 'document' }, [{ filename: '合同.pdf', bytes: PDF }]);
    expect((await app.inject({ method: 'POST', url: `/api/v1/cases/${kase.id}/evidence`, ...form })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: `/api/v1/cases/${kase.id}/evidence` })).statusCode).toBe(401);
    expect(await snapshot(kase.id)).toEqual({ version: kase.version, evidence: 0, events: 1 });
  });

  it('records a PDF and a PNG with their hashes, sizes and types, lists them and serves them back', async () => {
    const kase = await newCase();
    const response = await upload(handler, kase.id, { version: kase.version, title: '审批材料', description: '立项审批表及现场照片', kind: 'document' }, [
      { filename: '立项审批表 (2024).pdf', bytes: PDF, contentType: 'image/png' },
      { filename: '现场.png', bytes: PNG },
    ]);
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body.version).toBe(kase.version + 1);
    expect(body.data.attachments).toEqual([
      { id: expect.any(String), sha256: sha256Hex(PDF), filename: '立项审批表 (2024).pdf', mediaType: 'application/pdf', size: PDF.length },
      { id: expect.any(String), sha256: sha256Hex(PNG), filename: '现场.png', mediaType: 'image/png', size: PNG.length },
    ]);
    expect(await store.get(sha256Hex(PDF))).toEqual(PDF);
    expect(await store.get(sha256Hex(PNG))).toEqual(PNG);
    const files = await db.selectFrom('files').select(['sha256', 'size', 'media_type']).where('sha256', 'in', [sha256Hex(PDF), sha256Hex(PNG)]).orderBy('media_type').execute();
    expect(files).toEqual([
      { sha256: sha256Hex(PDF), size: String(PDF.length), media_type: 'application/pdf' },
      { sha256: sha256Hex(PNG), size: String(PNG.length), media_type: 'image/png' },
    ]);
    const kaseAfter = await db.selectFrom('cases').select('version').where('id', '=', kase.id).executeTakeFirstOrThrow();
    expect(kaseAfter.version).toBe(body.version);

    const list = await handler.inject({ method: 'GET', url: `/api/v1/cases/${kase.id}/evidence` });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({
      version: body.version,
      data: [{ id: body.data.id, title: '审批材料', description: '立项审批表及现场照片', kind: 'document', recordedBy: handler.userId, attachments: expect.any(Array) }],
    });
    expect(list.json().data[0].attachments).toHaveLength(2);

    const pdf = body.data.attachments[0];
    const download = await handler.inject({ method: 'GET', url: `/api/v1/cases/${kase.id}/evidence/${body.data.id}/attachments/${pdf.id}` });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload).toEqual(PDF);
    // The type the content proved, not the image/png the client claimed.
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['cache-control']).toBe('private, no-store');
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="_____ (2024).pdf"; filename*=UTF-8''${encodeURIComponent('立项审批表').replaceAll("'", '%27')}%20%282024%29.pdf`,
    );
  });

  it('stores the same content once, however often it is attached', async () => {
    const kase = await newCase();
    const bytes = Buffer.from(`%PDF-1.4\n% ${randomBytes(16).toString('hex')}\n%%EOF\n`);
    const sha256 = sha256Hex(bytes);
    const first = await upload(handler, kase.id, { version: kase.version, title: '通知', kind: 'document' }, [
      { filename: '通知.pdf', bytes },
      { filename: '通知（副本）.pdf', bytes },
    ]);
    expect(first.statusCode).toBe(201);
    const second = await upload(handler, kase.id, { version: first.json().version, title: '通知（再次提交）', kind: 'record' }, [{ filename: 'notice.pdf', bytes }]);
    expect(second.statusCode).toBe(201);
    expect(second.json().data.attachments[0].sha256).toBe(sha256);

    expect(await db.selectFrom('files').select('sha256').where('sha256', '=', sha256).execute()).toHaveLength(1);
    expect(await db.selectFrom('evidence_attachments').select('id').where('file_sha256', '=', sha256).execute()).toHaveLength(3);
    expect((await listFiles(root)).filter((f) => path.basename(f) === sha256)).toHaveLength(1);
  });

  it('refuses a file over the limit, naming it, and writes nothing', async () => {
    const kase = await newCase();
    const before = await listFiles(root);
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(MAX_BYTES)]);
    const response = await upload(handler, kase.id, { version: kase.version, title: '大文件', kind: 'document' }, [{ filename: '大文件.pdf', bytes: big }, { filename: 'b.png', bytes: PNG }]);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'INVALID_INPUT', key: 'attachments[0]', title: '第 1 个附件超过大小上限（64 KB）' });
    expect(await snapshot(kase.id)).toEqual({ version: kase.version, evidence: 0, events: 1 });
    expect(await listFiles(root)).toEqual(before);
  });

  it('the command itself refuses an oversize attachment, naming its position, before storing anything', async () => {
    const kase = await newCase();
    const before = await listFiles(root);
    const attempt = recordEvidence({
      db,
      clock: systemClock,
      actor: handlerActor,
      caseId: kase.id,
      expectedVersion: kase.version,
      settings: { ...DEFAULT_SETTINGS, maxAttachmentBytes: 100 },
      store,
      title: '照片',
      kind: 'photo',
      attachments: [
        { filename: 'a.png', bytes: PNG.subarray(0, 50) },
        { filename: 'b.png', bytes: Buffer.concat([PNG, randomBytes(100)]) },
      ],
    });
    await expect(attempt).rejects.toMatchObject({ code: 'INVALID_INPUT', key: 'attachments[1]' });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    expect(await snapshot(kase.id)).toEqual({ version: kase.version, evidence: 0, events: 1 });
    expect(await listFiles(root)).toEqual(before);
  });

  it('refuses a program disguised as a PDF, listing the allowed types', async () => {
    const kase = await newCase();
    const before = await listFiles(root);
    const response = await upload(handler, kase.id, { version: kase.version, title: '合同', kind: 'document' }, [
      { filename: '合同.pdf', bytes: PDF },
      { filename: '合同扫描件.pdf', bytes: EXE, contentType: 'application/pdf' },
    ]);
    expect(response.statusCode).toBe(400);
    const problem = response.json();
    expect(problem).toMatchObject({ code: 'INVALID_INPUT', key: 'attachments[1]', allowed: ['.pdf', '.png', '.jpg', '.jpeg', '.docx', '.xlsx', '.txt'] });
    expect(problem.title).toContain('PDF、PNG、JPEG');
    expect(await snapshot(kase.id)).toEqual({ version: kase.version, evidence: 0, events: 1 });
    expect(await listFiles(root)).toEqual(before);

    const renamed = await upload(handler, kase.id, { version: kase.version, title: '程序', kind: 'other' }, [{ filename: 'setup.exe', bytes: EXE }]);
    expect(renamed.json()).toMatchObject({ key: 'attachments[0]', allowed: expect.arrayContaining(['.pdf']) });
    const mismatch = await upload(handler, kase.id, { version: kase.version, title: '照片', kind: 'photo' }, [{ filename: '照片.png', bytes: PDF }]);
    expect(mismatch.json()).toMatchObject({ key: 'attachments[0]', title: expect.stringContaining('不符') });
  });

  it('refuses a stale version with 409 VERSION_CONFLICT and writes nothing', async () => {
    const kase = await newCase();
    const before = await listFiles(root);
    const bytes = Buffer.from(`%PDF-1.4\n% ${randomBytes(16).toString('hex')}\n`);
    const response = await upload(handler, kase.id, { version: kase.version + 1, title: '材料', kind: 'document' }, [{ filename: 'a.pdf', bytes }]);
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'VERSION_CONFLICT', key: 'version' });
    expect(await snapshot(kase.id)).toEqual({ version: kase.version, evidence: 0, events: 1 });
    expect(await listFiles(root)).toEqual(before);
  });

  it('names the field at fault in the form', async () => {
    const kase = await newCase();
    const files = [{ filename: 'a.pdf', bytes: PDF }];
    const cases: [Record<string, string | number>, FilePart[], string][] = [
      [{ title: '材料', kind: 'document' }, files, 'version'],
      [{ version: 'abc', title: '材料', kind: 'document' }, files, 'version'],
      [{ version: kase.version, kind: 'document' }, files, 'title'],
      [{ version: kase.version, title: '   ', kind: 'document' }, files, 'title'],
      [{ version: kase.version, title: '材料', kind: 'rumour' }, files, 'kind'],
      [{ version: kase.version, title: '材料', kind: 'document', secret: 'x' }, files, 'secret'],
      [{ version: kase.version, title: '材料', kind: 'document' }, [], 'attachments'],
      [{ version: kase.version, title: '材料', kind: 'document' }, [{ filename: 'a.pdf', bytes: PDF, field: 'file' }], 'file'],
      [{ version: kase.version, title: '材料', kind: 'document' }, Array.from({ length: 11 }, (_, i) => ({ filename: `${i}.pdf`, bytes: PDF })), 'attachments'],
    ];
    for (const [fields, parts, key] of cases) {
      const response = await upload(handler, kase.id, fields, parts);
      expect({ status: response.statusCode, key: response.json().key }).toEqual({ status: 400, key });
    }
    const kind = await upload(handler, kase.id, { version: kase.version, title: '材料', kind: 'rumour' }, files);
    expect(kind.json().allowed).toEqual(['document', 'testimony', 'photo', 'record', 'other']);
    const malformed = await handler.inject({
      method: 'POST',
      url: `/api/v1/cases/${kase.id}/evidence`,
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      payload: '--xyz\r\nContent-Disposition: form-data; name="attachments"; filename="a.pdf"\r\n\r\n%PDF-1.4 cut off',
    });
    expect(malformed.json()).toMatchObject({ status: 400, code: 'INVALID_INPUT', key: 'body' });
    const json = await handler.inject({ method: 'POST', url: `/api/v1/cases/${kase.id}/evidence`, payload: { version: kase.version, title: '材料', kind: 'document' } });
    expect(json.json()).toMatchObject({ status: 400, code: 'INVALID_INPUT', key: 'body' });
    expect(await snapshot(kase.id)).toEqual({ version: kase.version, evidence: 0, events: 1 });
  });

  it('shows a handler of another organization nothing: 404 for upload, list and download', async () => {
    const kase = await newCase();
    const recorded = (await upload(handler, kase.id, { version: kase.version, title: '材料', kind: 'document' }, [{ filename: 'a.pdf', bytes: PDF }])).json();
    const attachmentUrl = `/api/v1/cases/${kase.id}/evidence/${recorded.data.id}/attachments/${recorded.data.attachments[0].id}`;

    const attempt = await upload(otherHandler, kase.id, { version: recorded.version, title: '材料', kind: 'document' }, [{ filename: 'b.pdf', bytes: PDF }]);
    expect(attempt.statusCode).toBe(404);
    expect(attempt.json()).toMatchObject({ code: 'NOT_FOUND', title: '案件不存在或无权查看' });
    expect((await otherHandler.inject({ method: 'GET', url: `/api/v1/cases/${kase.id}/evidence` })).statusCode).toBe(404);
    expect((await otherHandler.inject({ method: 'GET', url: attachmentUrl })).statusCode).toBe(404);
    // The same answer as for a case that does not exist.
    expect((await otherHandler.inject({ method: 'GET', url: `/api/v1/cases/${crypto.randomUUID()}/evidence` })).statusCode).toBe(404);
    expect(await snapshot(kase.id)).toMatchObject({ version: recorded.version, evidence: 1 });
  });

  it('keeps the investigation file from the official and their party organization (Art. 15)', async () => {
    const kase = await newCase();
    const recorded = (await upload(handler, kase.id, { version: kase.version, title: '材料', kind: 'document' }, [{ filename: 'a.pdf', bytes: PDF }])).json();
    const attachmentUrl = `/api/v1/cases/${kase.id}/evidence/${recorded.data.id}/attachments/${recorded.data.attachments[0].id}`;
    for (const session of [official, partyOrganization]) {
      const list = await session.inject({ method: 'GET', url: `/api/v1/cases/${kase.id}/evidence` });
      expect(list.statusCode).toBe(200);
      expect(list.json().data).toEqual([]);
      const download = await session.inject({ method: 'GET', url: attachmentUrl });
      expect(download.statusCode).toBe(404);
      expect(download.json()).toMatchObject({ code: 'NOT_FOUND', title: '附件不存在或无权查看' });
    }
    // They may see the case, but recording evidence is the handler's (403, not 404).
    const attempt = await upload(official, kase.id, { version: recorded.version, title: '材料', kind: 'document' }, [{ filename: 'b.pdf', bytes: PDF }]);
    expect(attempt.statusCode).toBe(403);
  });

  it('lets an invited expert see and download only the evidence shared with them', async () => {
    const kase = await newCase();
    const shared = (await upload(handler, kase.id, { version: kase.version, title: '检测报告', kind: 'document' }, [{ filename: '检测报告.pdf', bytes: PDF }])).json();
    const withheld = (await upload(handler, kase.id, { version: shared.version, title: '谈话笔录', kind: 'record' }, [{ filename: '笔录.png', bytes: PNG }])).json();

    // Not yet invited: the case is invisible to the expert.
    expect((await expert.inject({ method: 'GET', url: `/api/v1/cases/${kase.id}/evidence` })).statusCode).toBe(404);

    const common = { db, clock: systemClock, actor: handlerActor, caseId: kase.id };
    const marked = await markProfessional({ ...common, expectedVersion: withheld.version, professional: true });
    await inviteExpert({ ...common, expectedVersion: marked.version, expertId, question: '工程质量检测结论是否可靠？', evidenceIds: [shared.data.id] });

    const list = await expert.inject({ method: 'GET', url: `/api/v1/cases/${kase.id}/evidence` });
    expect(list.statusCode).toBe(200);
    expect(list.json().data.map((e: { id: string }) => e.id)).toEqual([shared.data.id]);

    const url = (item: typeof shared) => `/api/v1/cases/${kase.id}/evidence/${item.data.id}/attachments/${item.data.attachments[0].id}`;
    const ok = await expert.inject({ method: 'GET', url: url(shared) });
    expect(ok.statusCode).toBe(200);
    expect(ok.rawPayload).toEqual(PDF);
    expect((await expert.inject({ method: 'GET', url: url(withheld) })).statusCode).toBe(404);
    // An attachment id paired with another item's id is not found either.
    const crossed = `/api/v1/cases/${kase.id}/evidence/${shared.data.id}/attachments/${withheld.data.attachments[0].id}`;
    expect((await expert.inject({ method: 'GET', url: crossed })).statusCode).toBe(404);
    expect((await handler.inject({ method: 'GET', url: crossed })).statusCode).toBe(404);
  });

  it('audits the evidence with the attachments\' hashes, without file names or text', async () => {
    const kase = await newCase();
    const response = await upload(handler, kase.id, { version: kase.version, title: '证人证言', description: '王某的书面证言', kind: 'testimony' }, [
      { filename: '王某证言.pdf', bytes: PDF },
      { filename: '签名页.png', bytes: PNG },
    ]);
    const recorded = response.json();
    const event = await db
      .selectFrom('events')
      .select(['type', 'actor', 'payload'])
      .where('case_id', '=', kase.id)
      .where('type', '=', 'case.evidence-recorded')
      .executeTakeFirstOrThrow();
    expect(event.actor).toBe(`user:${handler.userId}`);
    expect(event.payload).toEqual({
      evidenceId: recorded.data.id,
      kind: 'testimony',
      attachments: [
        { sha256: sha256Hex(PDF), size: PDF.length, mediaType: 'application/pdf' },
        { sha256: sha256Hex(PNG), size: PNG.length, mediaType: 'image/png' },
      ],
      recordHash: recordDigest({ title: '证人证言', description: '王某的书面证言' }),
      version: recorded.version,
    });
    expect(JSON.stringify(event.payload)).not.toMatch(/王某|签名页/);
  });

  it('never serves an attachment whose stored bytes no longer match their hash', async () => {
    const kase = await newCase();
    const bytes = Buffer.from(`unique text ${randomBytes(8).toString('hex')}\n`);
    const recorded = (await upload(handler, kase.id, { version: kase.version, title: '说明', kind: 'other' }, [{ filename: '说明.txt', bytes }])).json();
    expect(recorded.data.attachments[0].mediaType).toBe('text/plain; charset=utf-8');
    await writeFile(store.pathOf(sha256Hex(bytes)), 'altered afterwards');
    const download = await handler.inject({ method: 'GET', url: `/api/v1/cases/${kase.id}/evidence/${recorded.data.id}/attachments/${recorded.data.attachments[0].id}` });
    expect(download.statusCode).toBe(500);
    expect(download.body).not.toContain('altered');
  });

  it('documents the upload form in OpenAPI', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const post = spec.paths['/api/v1/cases/{caseId}/evidence'].post;
    expect(post.tags).toEqual(['evidence']);
    expect(Object.keys(post.requestBody.content)).toEqual(['multipart/form-data']);
    expect(Object.keys(post.requestBody.content['multipart/form-data'].schema.properties)).toEqual(['version', 'title', 'description', 'kind', 'attachments']);
  });
});
