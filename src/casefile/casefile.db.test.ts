import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { once } from 'node:events';
import { Transform } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import PizZip from 'pizzip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAs } from '../../test/helpers/app.js';
import { SESSION_COOKIE } from '../http/plugins/session.js';
import { killLeftoverProcesses, runCli } from '../../test/helpers/cli.js';
import { useTestDatabase } from '../../test/helpers/db.js';
import { buildWorld, FAVOURABLE_ASSESSMENT, type World } from '../../test/helpers/world.js';
import { verifyChain } from '../audit/verify.js';
import { appendSealEvent, sealCaseFile } from '../commands/seal-case-file.js';
import type { Db } from '../db/connect.js';
import { LocalFileStore, sha256Hex } from '../files/store.js';
import { buildApp } from '../http/app.js';
import { runExportFile } from './cli.js';
import { exportCaseFile } from './export.js';
import { buildCaseFileZip } from './zip.js';
import { manifestHash, parseManifest, type Manifest } from './manifest.js';
import { verifyCaseFile } from './verify.js';

const PDF = Buffer.from(`%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n% ${randomBytes(8).toString('hex')}\ntrailer << /Root 1 0 R >>\n%%EOF\n`, 'latin1');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const DOCX = Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.from(`决定书（测试）${randomBytes(8).toString('hex')}`)]);
const DOC_PDF = Buffer.from(`%PDF-1.7\n% decision ${randomBytes(8).toString('hex')}\n%%EOF\n`, 'latin1');

/** A multipart/form-data body as a browser sends it (UTF-8 file names, raw bytes). */
function multipart(fields: Record<string, string | number>, files: { filename: string; bytes: Buffer }[]) {
  const boundary = `----rongcuo${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const file of files) {
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="${file.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      file.bytes,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('the sealed case file (问责追责案卷)', () => {
  const database = useTestDatabase();
  let db: Db;
  let app: FastifyInstance;
  let world: World;
  let root: string;
  let store: LocalFileStore;
  let now = new Date('2026-03-02T01:00:00Z');
  const clock = { now: () => new Date(now) };

  beforeAll(async () => {
    db = database.current.db;
    root = await mkdtemp(path.join(tmpdir(), 'rongcuo-casefile-'));
    store = new LocalFileStore(path.join(root, 'files'));
    app = await buildApp({ context: { db, clock, version: 'test', files: store, secureCookies: false, signInRateLimit: 10_000 } });
    await app.ready();
    world = await buildWorld(db, app);
  });
  afterAll(async () => {
    killLeftoverProcesses();
    await app?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  /** Opens a case and takes it over HTTP through evidence, deliberation, an exempt decision and service, to closing. */
  async function closedCase(options: { beforeClose?: (caseId: string) => Promise<void>; closeStatus?: number } = {}) {
    now = new Date('2026-03-02T01:00:00Z');
    const handler = await signInAs(app, world.users.handler);
    const official = await signInAs(app, world.users.official);
    const ok = (response: { statusCode: number; body: string; json(): unknown }, status = 200) => {
      expect(response.statusCode, response.body).toBe(status);
      return response.json() as { data: Record<string, unknown>; version: number };
    };
    const opened = ok(
      await handler.inject({ method: 'POST', url: '/api/v1/cases', payload: { officialId: world.officials.official, title: '东城区某改革试点项目资金拨付延误', description: '因政策界限不明确导致项目资金拨付延误。' } }),
      201,
    );
    const caseId = opened.data.id as string;
    let version = opened.version;
    const post = async (session: typeof handler, step: string, payload: Record<string, unknown>) => {
      const result = ok(await session.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/${step}`, payload: { version, ...payload } }));
      version = result.version;
      return result;
    };

    await post(official, 'statement', { content: '本人因政策界限不明确出现延误，已主动整改。' });
    const evidence = ok(
      await handler.inject({
        method: 'POST',
        url: `/api/v1/cases/${caseId}/evidence`,
        ...multipart({ version, title: '证人证言', kind: 'testimony' }, [
          { filename: '王某证言.pdf', bytes: PDF },
          { filename: '签名页.png', bytes: PNG },
        ]),
      }),
      201,
    );
    version = evidence.version;
    await post(handler, 'assessment', { input: FAVOURABLE_ASSESSMENT });
    const present = world.users.members.slice(0, 3).map((m) => m.id);
    await post(handler, 'deliberations', {
      heldOn: '2026-03-10',
      membersPresent: present,
      memberOpinions: present.map((memberId) => ({ memberId, opinion: 'exempt', comment: '' })),
      accountabilityOpinion: '应当问责。',
      toleranceOpinion: '符合第八条第（二）项情形，予以容错免责。',
      proposedOutcome: 'exempt',
      applicationAnswers: [],
    });
    await post(handler, 'decision', {
      outcome: 'exempt',
      measures: ['criticism-education'],
      toleranceOpinion: '符合容错免责条件。',
      toleranceReasons: '属于第八条第（二）项情形；及时挽回损失。',
    });
    await post(handler, 'service', { explanationToOfficial: '经集体研究，对您予以容错免责。', explanationToPartyOrg: '经集体研究，对张明同志予以容错免责。' });

    // The appeal window (one month) passes unused.
    now = new Date('2026-04-20T01:00:00Z');
    const handlerLater = await signInAs(app, world.users.handler);
    await options.beforeClose?.(caseId);
    // Closing seals the case file, in the close command's own transaction.
    const closing = await handlerLater.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/close`, payload: { version } });
    expect(closing.statusCode, closing.body).toBe(options.closeStatus ?? 200);
    return { caseId, evidenceId: (evidence.data as { id: string }).id };
  }

  /** A generated document, as the document module will write it: stored bytes and a documents row. */
  async function fakeDocument(caseId: string) {
    const docx = await store.put(DOCX);
    const pdf = await store.put(DOC_PDF);
    await db
      .insertInto('files')
      .values([
        { sha256: docx.sha256, size: String(docx.size), media_type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', stored_at: now },
        { sha256: pdf.sha256, size: String(pdf.size), media_type: 'application/pdf', stored_at: now },
      ])
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute();
    const decision = await db.selectFrom('decisions').select('id').where('case_id', '=', caseId).where('current', '=', true).executeTakeFirstOrThrow();
    await db
      .insertInto('documents')
      .values({
        case_id: caseId,
        kind: 'decision',
        version: 1,
        number: '东纪容〔2026〕1号',
        decision_id: decision.id,
        file_sha256: docx.sha256,
        pdf_sha256: pdf.sha256,
        template_sha256: sha256Hex(Buffer.from('template')),
        generated_by: world.users.handler.id,
        generated_at: now,
      })
      .execute();
  }

  /** Sealing again, as a second close would: refused. */
  function sealAgain(caseId: string) {
    return db.transaction().execute(async (tx) => {
      const sealed = await sealCaseFile(tx, { caseId, files: store, sealedBy: world.users.handler.id, now });
      await appendSealEvent(tx, { caseId, sealedBy: world.users.handler.id, ...sealed }, clock);
      return sealed;
    });
  }

  /** The seal the close command made: its row and the event carrying its hash. */
  async function sealOf(caseId: string) {
    const event = await db.selectFrom('events').select('payload').where('case_id', '=', caseId).where('type', '=', 'case.file-sealed').executeTakeFirstOrThrow();
    return event.payload as { manifestSha256: string; items: number; eventsThroughSeq: string };
  }

  // Runs the real CLI seven times (each a tsx start-up): more than the default 30 s on a loaded two-core machine.
  it('seals every document, evidence file and event, exports them, and the export verifies against the database', { timeout: 120_000 }, async () => {
    const { caseId, evidenceId } = await closedCase({
      beforeClose: async (id) => {
        await fakeDocument(id);
        await expect(exportCaseFile(db, id, store)).rejects.toMatchObject({ status: 409, code: 'CASE_FILE_NOT_SEALED', message: expect.stringContaining('尚未封存') });
      },
    });
    const sealed = await sealOf(caseId);
    const eventsBefore = await db.selectFrom('events').select(['seq', 'type']).where('case_id', '=', caseId).where('seq', '<=', sealed.eventsThroughSeq).orderBy('seq').execute();
    expect(sealed).toEqual({ manifestSha256: expect.stringMatching(/^[0-9a-f]{64}$/), items: 10, eventsThroughSeq: eventsBefore.at(-1)!.seq });
    // The seal comes last: the case.file-sealed event, then case.closed carrying the same hash.
    const lastTwo = await db.selectFrom('events').select(['type', 'payload']).where('case_id', '=', caseId).orderBy('seq', 'desc').limit(2).execute();
    expect(lastTwo.map((e) => e.type)).toEqual(['case.closed', 'case.file-sealed']);
    expect(lastTwo[0]!.payload).toMatchObject({ manifestSha256: sealed.manifestSha256 });

    // Sealed once: the row, the event carrying the hash, and a chain that still verifies.
    const row = await db.selectFrom('case_files').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow();
    expect(row.manifest_sha256).toBe(sealed.manifestSha256);
    expect(manifestHash(row.manifest)).toBe(sealed.manifestSha256);
    const sealEvent = await db.selectFrom('events').select(['type', 'actor', 'payload']).where('case_id', '=', caseId).where('type', '=', 'case.file-sealed').executeTakeFirstOrThrow();
    expect(sealEvent).toEqual({
      type: 'case.file-sealed',
      actor: `user:${world.users.handler.id}`,
      payload: { manifestSha256: sealed.manifestSha256, items: 10, eventsThroughSeq: sealed.eventsThroughSeq },
    });
    expect((await verifyChain(db)).ok).toBe(true);
    await expect(sealAgain(caseId)).rejects.toMatchObject({ status: 409, code: 'CASE_FILE_SEALED' });

    const manifest = (parseManifest(row.manifest) as { ok: true; manifest: Manifest }).manifest;
    expect(manifest).toMatchObject({ format: 'rongcuo-case-file/1', caseId, caseTitle: '东城区某改革试点项目资金拨付延误', organ: { name: '东城区纪委监委' }, official: { name: '张明' }, algorithm: 'sha256' });
    // The decision was issued before closing; closing issued the other documents the file must hold.
    expect(manifest.items.map((i) => [i.kind, i.path]).sort()).toEqual(
      [
        ['case', 'case.json'],
        ['events', 'events.jsonl'],
        ['document', 'documents/decision-v1.docx'],
        ['document-pdf', 'documents/decision-v1.pdf'],
        ['document', 'documents/tolerance-reasons-v1.docx'],
        ['document', 'documents/explanation-official-v1.docx'],
        ['document', 'documents/explanation-party-org-v1.docx'],
        ['document', 'documents/service-receipt-v1.docx'],
        ['evidence', `evidence/${evidenceId}/王某证言.pdf`],
        ['evidence', `evidence/${evidenceId}/签名页.png`],
      ].sort(),
    );
    expect(manifest.items.find((i) => i.kind === 'document')).toMatchObject({ sha256: sha256Hex(DOCX), size: DOCX.length, documentKind: 'decision', version: 1, number: '东纪容〔2026〕1号' });
    expect(manifest.items.find((i) => i.path.endsWith('.pdf') && i.kind === 'evidence')).toMatchObject({ sha256: sha256Hex(PDF), size: PDF.length, title: '证人证言', filename: '王某证言.pdf' });

    const zipBytes = await exportCaseFile(db, caseId, store);
    // Streamed from the store, the archive is byte for byte the one PizZip builds from the whole files.
    const whole = await Promise.all(manifest.items.map(async (i) => ({ path: i.path, bytes: await store.get(i.sha256) })));
    expect(zipBytes.equals(buildCaseFileZip(row.manifest, whole, row.sealed_at))).toBe(true);
    const zip = new PizZip(zipBytes);
    expect(zip.file('manifest.json')!.asText()).toBe(row.manifest);
    expect(zip.file(`evidence/${evidenceId}/王某证言.pdf`)!.asNodeBuffer().equals(PDF)).toBe(true);
    // The events up to the seal, in chain order; the sealing event itself comes after.
    const lines = zip.file('events.jsonl')!.asText().trimEnd().split('\n').map((l) => JSON.parse(l) as { seq: string; type: string; hash: string });
    expect(lines.map((l) => [l.seq, l.type])).toEqual(eventsBefore.map((e) => [e.seq, e.type]));
    expect(lines.at(-1)!.type).toBe('case.document-generated');
    const record = JSON.parse(zip.file('case.json')!.asText());
    expect(record.case).toMatchObject({ id: caseId, state: 'closed', outcome: 'exempt' });
    expect(record.deliberations[0].held_on).toBe('2026-03-10');
    expect(record.evidence[0].attachments.map((a: { path: string }) => a.path).sort()).toEqual([`evidence/${evidenceId}/王某证言.pdf`, `evidence/${evidenceId}/签名页.png`]);
    expect(record.decisions).toHaveLength(1);
    expect(record.services).toHaveLength(1);
    expect(record.users.some((u: Record<string, unknown>) => 'password_hash' in u)).toBe(false);

    expect(await verifyCaseFile(zipBytes, { db })).toEqual({
      ok: true,
      caseId,
      manifestSha256: sealed.manifestSha256,
      checkedItems: 10,
      anchor: { database: true },
      problems: [],
    });
    // The same sealed file exports to the same bytes.
    expect((await exportCaseFile(db, caseId, store)).equals(zipBytes)).toBe(true);

    // rongcuo verify-file, the real CLI, against the database and offline.
    const dir = await mkdtemp(path.join(root, 'export-'));
    const intact = path.join(dir, 'case.zip');
    await writeFile(intact, zipBytes);
    const env = { DATABASE_URL: database.current.url };
    const online = await runCli(['verify-file', intact], { env });
    expect(online.code, online.stderr).toBe(0);
    expect(online.stdout).toContain('案卷校验通过');
    expect(online.stdout).toContain(sealed.manifestSha256);

    // One byte of one evidence file altered inside the exported zip: named, exit 1.
    const evidencePath = `evidence/${evidenceId}/王某证言.pdf`;
    const tampered = new PizZip(zipBytes);
    const altered = Buffer.from(tampered.file(evidencePath)!.asNodeBuffer());
    altered[20]! ^= 0x01;
    tampered.file(evidencePath, altered, { binary: true });
    const tamperedPath = path.join(dir, 'tampered.zip');
    await writeFile(tamperedPath, tampered.generate({ type: 'nodebuffer' }));
    const caught = await runCli(['verify-file', tamperedPath], { env });
    expect(caught.code, caught.stderr).toBe(1);
    expect(caught.stdout).toContain(`[altered] ${evidencePath}`);
    expect(caught.stdout).toMatch(new RegExp(`case file FAILED: 1 problem\\(s\\) — altered ${evidencePath}`));
    // Only that file: the other items and the manifest still hold.
    expect(caught.stdout).not.toContain('签名页.png');
    expect(caught.stdout).not.toContain('[manifest');

    // Offline, with the hash from the seal record: right hash passes, a wrong one names the manifest.
    const offline = await runCli(['verify-file', intact, '--hash', sealed.manifestSha256]);
    expect(offline.code, offline.stderr).toBe(0);
    const wrongHash = sha256Hex(Buffer.from('another manifest'));
    const mismatch = await runCli(['verify-file', intact, '--hash', wrongHash]);
    expect(mismatch.code, mismatch.stderr).toBe(1);
    expect(mismatch.stdout).toContain('[manifest-mismatch] manifest.json');
    expect(mismatch.stdout).toContain(wrongHash);
    const offlineTampered = await runCli(['verify-file', tamperedPath, `--hash=${sealed.manifestSha256.toUpperCase()}`]);
    expect(offlineTampered.code).toBe(1);
    expect(offlineTampered.stdout).toContain(`[altered] ${evidencePath}`);

    // Usage errors: exit 2.
    for (const args of [['verify-file'], ['verify-file', intact, '--hash', 'xyz'], ['verify-file', path.join(dir, 'absent.zip'), '--hash', sealed.manifestSha256]]) {
      const usage = await runCli(args);
      expect(usage.code, args.join(' ')).toBe(2);
      expect(usage.stderr).toContain('verify-file CASE.zip');
    }
  });

  /** A large random file written into the store as a stream, never whole in this process's memory. */
  async function putLarge(size: number): Promise<{ sha256: string; size: number }> {
    const temp = path.join(root, `large-${randomBytes(8).toString('hex')}`);
    const hash = createHash('sha256');
    const out = createWriteStream(temp);
    for (let written = 0; written < size; written += 1 << 20) {
      const chunk = randomBytes(Math.min(1 << 20, size - written));
      hash.update(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end();
    await finished(out);
    const sha256 = hash.digest('hex');
    await mkdir(path.dirname(store.pathOf(sha256)), { recursive: true });
    await rename(temp, store.pathOf(sha256));
    return { sha256, size };
  }

  /** GET over a real socket, the body consumed as a stream into a file: its length and hash, or how it broke off. */
  function download(url: string, cookie: string, into: string, onChunk: () => void) {
    return new Promise<{ status: number; headers: http.IncomingHttpHeaders; received: number; sha256: string; error?: Error }>((resolve, reject) => {
      const request = http.get(url, { headers: { cookie: `${SESSION_COOKIE}=${cookie}` } }, (response) => {
        const hash = createHash('sha256');
        let received = 0;
        const meter = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            received += chunk.length;
            hash.update(chunk);
            onChunk();
            callback(null, chunk);
          },
        });
        pipeline(response, meter, createWriteStream(into)).then(
          () => resolve({ status: response.statusCode!, headers: response.headers, received, sha256: hash.digest('hex') }),
          (error: Error) => resolve({ status: response.statusCode!, headers: response.headers, received, sha256: hash.digest('hex'), error }),
        );
      });
      request.on('error', reject);
    });
  }

  // 120 MB of evidence through the HTTP route: the server streams it, so its memory grows by a few chunks, not
  // by the archive; a file damaged before the export answers as a problem, one damaged while it streams cuts the
  // download short.
  it('streams a case file far larger than the memory it takes, and never sends a damaged file whole', { timeout: 240_000 }, async () => {
    const large = [] as Array<{ sha256: string; size: number }>;
    for (let i = 0; i < 3; i++) large.push(await putLarge(40 * 1024 * 1024));
    const archiveFloor = large.reduce((sum, f) => sum + f.size, 0);
    const { caseId } = await closedCase({
      beforeClose: async (id) => {
        await db
          .insertInto('files')
          .values(large.map((f) => ({ sha256: f.sha256, size: String(f.size), media_type: 'video/mp4', stored_at: now })))
          .execute();
        const evidence = await db
          .insertInto('evidence')
          .values({ case_id: id, title: '谈话录像', description: '', kind: 'testimony', recorded_by: world.users.handler.id, recorded_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        await db
          .insertInto('evidence_attachments')
          .values(large.map((f, i) => ({ evidence_id: evidence.id, file_sha256: f.sha256, filename: `谈话录像-${i + 1}.mp4`, media_type: 'video/mp4', size: String(f.size) })))
          .execute();
      },
    });
    const sealed = await sealOf(caseId);
    expect(sealed.items).toBeGreaterThan(large.length);
    const handler = await signInAs(app, world.users.handler);
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const url = `${base}/api/v1/cases/${caseId}/case-file`;
    const dir = await mkdtemp(path.join(root, 'large-'));
    const exportedEvents = () => db.selectFrom('events').select('payload').where('case_id', '=', caseId).where('type', '=', 'case.file-exported').orderBy('seq').execute();

    // What the sealing left behind (it reads each file whole) is collected first, so the baseline is the server at rest.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
    /**
     * One download, memory sampled every 16 chunks (about 1 MB): the peak growth over the baseline. With `collect`,
     * a garbage collection runs before each sample (every 64 chunks), so the figures are what the export keeps alive; without, they
     * include the chunks already sent and not yet collected (V8 collects once ~32 MB of external memory piles up).
     */
    const measured = async (into: string, collect: boolean) => {
      // Twice, a turn apart: buffers freed by the first collection's weak callbacks go in the second.
      gc();
      await new Promise((resolve) => setImmediate(resolve));
      gc();
      const before = process.memoryUsage();
      const peak = { rss: before.rss, arrayBuffers: before.arrayBuffers, heapUsed: before.heapUsed };
      let chunks = 0;
      const started = Date.now();
      const got = await download(url, handler.cookie, into, () => {
        if (++chunks % (collect ? 64 : 16) !== 0) return;
        if (collect) gc();
        const now = process.memoryUsage();
        peak.rss = Math.max(peak.rss, now.rss);
        peak.arrayBuffers = Math.max(peak.arrayBuffers, now.arrayBuffers);
        peak.heapUsed = Math.max(peak.heapUsed, now.heapUsed);
      });
      const growth = { rss: peak.rss - before.rss, arrayBuffers: peak.arrayBuffers - before.arrayBuffers, heapUsed: peak.heapUsed - before.heapUsed };
      console.info(
        `large case-file export (${collect ? 'live, collected before each sample' : 'as it runs'}): ${mb(got.received)} in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
          `before rss ${mb(before.rss)} arrayBuffers ${mb(before.arrayBuffers)} heapUsed ${mb(before.heapUsed)}; ` +
          `peak growth rss ${mb(growth.rss)} arrayBuffers ${mb(growth.arrayBuffers)} heapUsed ${mb(growth.heapUsed)}`,
      );
      expect(got.error).toBeUndefined();
      expect(got.status).toBe(200);
      return { got, growth };
    };
    const intact = path.join(dir, 'case.zip');
    const running = await measured(intact, false);
    const live = await measured(path.join(dir, 'again.zip'), true);
    const { got } = running;
    expect(got.headers['content-type']).toBe('application/zip');
    expect(Number(got.headers['content-length'])).toBe(got.received);
    expect(got.received).toBeGreaterThan(archiveFloor);
    expect(live.got.sha256).toBe(got.sha256);
    // The server and this client share the process: together they hold a few chunks and the garbage of the last
    // 64 (both sides' copies), not the 120 MB archive...
    expect(live.growth.arrayBuffers).toBeLessThan(20 * 1024 * 1024);
    expect(live.growth.heapUsed).toBeLessThan(16 * 1024 * 1024);
    // ...and as it runs, chunks already sent wait for V8's next collection, which external memory triggers by
    // itself after some 64 MB (a bound of V8's, whatever the archive's size).
    expect(running.growth.arrayBuffers).toBeLessThan(100 * 1024 * 1024);
    expect(running.growth.heapUsed).toBeLessThan(32 * 1024 * 1024);
    expect(running.growth.rss).toBeLessThan(64 * 1024 * 1024);

    // The event was committed before the download, with what it carried.
    const exportEvent = { size: got.received, items: sealed.items, bytes: expect.any(Number) };
    expect((await exportedEvents()).map((e) => e.payload)).toEqual([exportEvent, exportEvent]);
    const zipBytes = await readFile(intact);
    expect(await verifyCaseFile(zipBytes, { expectedManifestSha256: sealed.manifestSha256 })).toMatchObject({ ok: true, checkedItems: sealed.items, problems: [] });

    // rongcuo export-file writes the same bytes, streamed to its output file, and records its export too.
    const cliIo = (lines: string[]) => ({
      stdout: (text: string) => void lines.push(text),
      stderr: (text: string) => void lines.push(text),
      open: async () => ({ db, files: store, close: async () => undefined }),
      clock,
    });
    const cliOut = path.join(dir, 'cli.zip');
    const printed: string[] = [];
    expect(await runExportFile([caseId, '--out', cliOut], cliIo(printed)), printed.join('')).toBe(0);
    expect(sha256Hex(await readFile(cliOut))).toBe(got.sha256);
    expect(printed.join('')).toContain(`${sealed.items} 个文件`);
    const cliEvent = await db.selectFrom('events').select(['actor', 'payload']).where('case_id', '=', caseId).where('type', '=', 'case.file-exported').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(cliEvent).toEqual({ actor: 'system', payload: { ...exportEvent, size: got.received, via: 'cli' } });
    expect(await runExportFile([crypto.randomUUID(), '--out', path.join(dir, 'none.zip')], cliIo([]))).toBe(1);
    expect(await runExportFile([caseId], cliIo([]))).toBe(2);
    expect(await runExportFile(['not-a-case', '--out', cliOut], cliIo([]))).toBe(2);

    // Damaged before the export: a problem answer, before any byte of a zip, and no export recorded.
    const victim = store.pathOf(large[1]!.sha256);
    const flipLastByte = async () => {
      const handle = await open(victim, 'r+');
      try {
        const last = Buffer.alloc(1);
        await handle.read(last, 0, 1, large[1]!.size - 1);
        last.writeUInt8(last.readUInt8(0) ^ 1);
        await handle.write(last, 0, 1, large[1]!.size - 1);
      } finally {
        await handle.close();
      }
    };
    await flipLastByte();
    const refused = await download(url, handler.cookie, path.join(dir, 'refused.zip'), () => undefined);
    expect(refused.status).toBe(500);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json|^application\/json/);
    expect(await exportedEvents()).toHaveLength(3);
    const refusedOut = path.join(dir, 'refused-cli.zip');
    expect(await runExportFile([caseId, '--out', refusedOut], cliIo([]))).toBe(1);
    await expect(readFile(refusedOut)).rejects.toMatchObject({ code: 'ENOENT' });
    await flipLastByte();

    // Damaged after the check, while the archive streams: the connection ends short of the announced length,
    // before the damaged file's last chunk — a broken download, never a complete one.
    const read = store.read.bind(store);
    const reads = new Map<string, number>();
    store.read = async (sha256: string) => {
      reads.set(sha256, (reads.get(sha256) ?? 0) + 1);
      if (sha256 === large[1]!.sha256 && reads.get(sha256) === 2) await flipLastByte();
      return read(sha256);
    };
    try {
      const cut = await download(url, handler.cookie, path.join(dir, 'cut.zip'), () => undefined);
      expect(cut.status).toBe(200);
      expect(cut.error).toBeDefined();
      expect(cut.received).toBeLessThan(Number(cut.headers['content-length']));
      await expect(verifyCaseFile(await readFile(path.join(dir, 'cut.zip')), { expectedManifestSha256: sealed.manifestSha256 })).resolves.toMatchObject({ ok: false });
      // The CLI, cut short the same way, leaves no file behind (and no temporary one).
      reads.clear();
      await flipLastByte();
      const cutOut = path.join(dir, 'cut-cli.zip');
      const said: string[] = [];
      expect(await runExportFile([caseId, '--out', cutOut], cliIo(said))).toBe(1);
      expect(said.join('')).toContain('导出中断');
      expect((await readdir(dir)).filter((name) => name.includes('cut-cli'))).toEqual([]);
    } finally {
      store.read = read;
      await flipLastByte();
    }
    // Those exports were recorded (they had begun); the file reads intact again.
    expect(await exportedEvents()).toHaveLength(5);
    expect(await store.has(large[1]!.sha256)).toBe(true);
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a manifest the database never sealed, and reports a broken chain', async () => {
    const { caseId } = await closedCase();
    const sealed = await sealOf(caseId);
    const zipBytes = await exportCaseFile(db, caseId, store);

    // A manifest rewritten (and its items made to match it) is not the sealed one.
    const forged = new PizZip(zipBytes);
    const manifest = JSON.parse(forged.file('manifest.json')!.asText()) as Manifest;
    forged.file('manifest.json', JSON.stringify({ ...manifest, caseTitle: '另一个标题' }), { binary: false });
    const forgedResult = await verifyCaseFile(forged.generate({ type: 'nodebuffer' }), { db });
    expect(forgedResult.problems).toEqual([
      expect.objectContaining({ path: 'manifest.json', problem: 'manifest-mismatch', message: expect.stringContaining(sealed.manifestSha256) }),
      expect.objectContaining({ path: 'manifest.json', problem: 'manifest-mismatch', message: expect.stringContaining('审计链') }),
    ]);

    // A case file from elsewhere (an id this database does not know).
    const foreign = new PizZip(zipBytes);
    foreign.file('manifest.json', JSON.stringify({ ...manifest, caseId: crypto.randomUUID() }), { binary: false });
    const foreignResult = await verifyCaseFile(foreign.generate({ type: 'nodebuffer' }), { db });
    expect(foreignResult.problems).toEqual([expect.objectContaining({ path: 'manifest.json', problem: 'manifest-not-sealed' })]);

    // An edited event anywhere in the chain: the seal can no longer be trusted.
    await db.transaction().execute(async (tx) => {
      await sql`ALTER TABLE events DISABLE TRIGGER events_refuse_update_delete`.execute(tx);
      await sql`UPDATE events SET payload = '{"tampered": true}' WHERE seq = 1`.execute(tx);
      await sql`ALTER TABLE events ENABLE TRIGGER events_refuse_update_delete`.execute(tx);
    });
    const broken = await verifyCaseFile(zipBytes, { db });
    expect(broken.ok).toBe(false);
    expect(broken.problems).toEqual([expect.objectContaining({ path: 'manifest.json', problem: 'chain-broken', message: expect.stringContaining('第 1 号') })]);
  });

  it('stops sealing when a stored file is damaged', async () => {
    // Runs last: the chain was broken above, which sealing does not depend on.
    let restore: (() => Promise<void>) | undefined;
    const { caseId } = await closedCase({
      closeStatus: 500,
      beforeClose: async (id) => {
        const attachment = await db
          .selectFrom('evidence_attachments')
          .innerJoin('evidence', 'evidence.id', 'evidence_attachments.evidence_id')
          .select('file_sha256')
          .where('evidence.case_id', '=', id)
          .executeTakeFirstOrThrow();
        const original = await store.get(attachment.file_sha256);
        await writeFile(store.pathOf(attachment.file_sha256), Buffer.concat([original, Buffer.from('x')]));
        restore = () => writeFile(store.pathOf(attachment.file_sha256), original);
      },
    });
    try {
      // Nothing is sealed and the case is not closed: the close rolled back whole.
      expect(await db.selectFrom('case_files').select('case_id').where('case_id', '=', caseId).executeTakeFirst()).toBeUndefined();
      expect((await db.selectFrom('cases').select('state').where('id', '=', caseId).executeTakeFirstOrThrow()).state).toBe('served');
    } finally {
      await restore?.();
    }
  });
});
