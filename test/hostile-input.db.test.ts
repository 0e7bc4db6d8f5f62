import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalFileStore, sha256Hex } from '../src/files/store.js';
import { buildTestApp, signInAs, type SignedIn } from './helpers/app.js';
import { expectProblem, expectRefused, openCase, snapshot, useHarness, type Response } from './rules/steps.js';

/**
 * Hostile input (security.md, "Input, files, browser"): malformed, mistyped, oversized and deeply nested JSON,
 * unknown fields, characters PostgreSQL cannot store, and file names built to escape the attachment store or to
 * hide an extension. Every refusal is a clean 4xx problem document (RFC 9457) and writes nothing; nothing a
 * client names ever reaches the file system.
 */

const BODY_LIMIT = 1024 * 1024; // buildApp's bodyLimit

/** `depth` nested arrays around a string: what a hostile client sends to blow a recursive parser's stack. */
const nestedArrays = (depth: number) => `${'['.repeat(depth)}"x"${']'.repeat(depth)}`;
const nestedObjects = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const EXE = Buffer.concat([Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]), randomBytes(128)]);
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>');
const HTML = Buffer.from('<!doctype html><script>window.__xss=1</script>');

interface FilePart {
  /** The file name exactly as the bytes of the part header carry it. */
  filename: Buffer | string;
  bytes: Buffer;
}

/** A multipart/form-data body with the file names as raw bytes (a browser would percent-encode some of them). */
function multipart(fields: Record<string, string | number>, files: FilePart[]): Pick<InjectOptions, 'payload' | 'headers'> {
  const boundary = `----hostile${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const file of files) {
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="`),
      Buffer.isBuffer(file.filename) ? file.filename : Buffer.from(file.filename, 'utf8'),
      Buffer.from(`"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      file.bytes,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** Every file under a directory, relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

/**
 * Reads an RFC 6266 Content-Disposition the way a careful client does: the disposition type, the quoted ASCII
 * fallback, and the RFC 8187 `filename*` decoded as UTF-8.
 */
function parseContentDisposition(header: string): { type: string; fallback: string; filename: string } {
  const match = /^(attachment|inline); filename="((?:[^"\\]|\\.)*)"; filename\*=UTF-8''([A-Za-z0-9!#$&+\-.^_`|~%]*)$/.exec(header);
  if (!match) throw new Error(`not an RFC 6266 Content-Disposition: ${header}`);
  return { type: match[1]!, fallback: match[2]!, filename: decodeURIComponent(match[3]!) };
}

describe('hostile input', () => {
  const h = useHarness();

  /** Problem details of a request that must be refused with a 4xx, and the database exactly as before. */
  async function refusedCleanly(caseId: string | null, send: () => Promise<Response>, status: number, code: string | RegExp, key?: string) {
    return expectRefused(h, caseId, send, { status, code, ...(key !== undefined ? { key } : {}) });
  }

  describe('malformed, mistyped and oversized JSON', () => {
    it('refuses malformed JSON, invalid UTF-8 and an empty body with a 400 problem, writing nothing', async () => {
      const flow = await openCase(h);
      const handler = await h.as('handler');
      const json = { 'content-type': 'application/json' };
      for (const payload of ['{"version": 1, "kind": "unit",', '{version: 1}', "{'version': 1}", '[1,2,,3]', '{"a":1}}', '\u0000', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])]) {
        await refusedCleanly(flow.id, () => handler.inject({ method: 'POST', url: flow.url('opinions'), headers: json, payload }), 400, /^FST_ERR_CTP_|^INVALID_INPUT$/);
      }
      // An empty JSON body is refused by the parser, a JSON null by the schema.
      await refusedCleanly(flow.id, () => handler.inject({ method: 'POST', url: flow.url('opinions'), headers: json, payload: '' }), 400, /^FST_ERR_CTP_EMPTY_JSON_BODY$|^INVALID_INPUT$/);
      await refusedCleanly(flow.id, () => handler.inject({ method: 'POST', url: flow.url('opinions'), headers: json, payload: 'null' }), 400, 'INVALID_INPUT');
    });

    it('refuses a body of the wrong content type with 415, and a multipart body where JSON is expected', async () => {
      const flow = await openCase(h);
      const handler = await h.as('handler');
      const body = JSON.stringify({ version: flow.version, kind: 'unit', source: '某单位', content: '意见' });
      for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'application/xml', 'text/html; charset=utf-8']) {
        await refusedCleanly(flow.id, () => handler.inject({ method: 'POST', url: flow.url('opinions'), headers: { 'content-type': type }, payload: body }), 415, /^FST_ERR_CTP_INVALID_MEDIA_TYPE$/);
      }
      const form = multipart({ version: flow.version, kind: 'unit', source: '某单位', content: '意见' }, []);
      await refusedCleanly(flow.id, () => handler.inject({ method: 'POST', url: flow.url('opinions'), ...form }), 415, /^FST_ERR_CTP_INVALID_MEDIA_TYPE$/);
    });

    it('refuses a body over the limit with 413 before reading it, writing nothing', async () => {
      const flow = await openCase(h);
      const handler = await h.as('handler');
      const huge = JSON.stringify({ version: flow.version, kind: 'unit', source: '某单位', content: '意'.repeat(BODY_LIMIT / 3 + 10) });
      expect(Buffer.byteLength(huge)).toBeGreaterThan(BODY_LIMIT);
      await refusedCleanly(flow.id, () => handler.inject({ method: 'POST', url: flow.url('opinions'), headers: { 'content-type': 'application/json' }, payload: huge }), 413, 'FST_ERR_CTP_BODY_TOO_LARGE');
      // Just under the limit is read, and refused by the schema for its length (20 000 characters), not cut.
      const under = JSON.stringify({ version: flow.version, kind: 'unit', source: '某单位', content: '意'.repeat(20_001) });
      const problem = await refusedCleanly(flow.id, () => handler.inject({ method: 'POST', url: flow.url('opinions'), headers: { 'content-type': 'application/json' }, payload: under }), 400, 'INVALID_INPUT', 'content');
      expect(problem.title).toContain('content');
    });

    it('refuses JSON nested 10 000 and 100 000 levels deep with a 400, wherever it is put, without crashing', async () => {
      const flow = await openCase(h);
      const handler = await h.as('handler');
      const json = { 'content-type': 'application/json' };
      for (const depth of [10_000, 100_000]) {
        // The whole body, an unknown field, and the one field that takes free-form JSON (the engine's input).
        const bodies = [
          nestedArrays(depth),
          nestedObjects(depth),
          `{"version":${flow.version},"kind":"unit","source":"某单位","content":"意见","extra":${nestedArrays(depth)}}`,
          `{"version":${flow.version},"input":{"situations":${nestedArrays(depth)}}}`,
          `{"version":${flow.version},"input":${nestedObjects(depth)}}`,
        ];
        for (const [i, payload] of bodies.entries()) {
          const url = i <= 2 ? flow.url('opinions') : flow.url('assessment');
          // Refused before parsing: JSON deeper than 64 levels is not read at all.
          const problem = await refusedCleanly(flow.id, () => handler.inject({ method: 'POST', url, headers: json, payload }), 400, 'INVALID_INPUT', 'body');
          expect(problem.title).toContain('64');
        }
        // The stateless assessment endpoint takes any JSON as the engine's input (its engine would overflow the stack).
        const assessed = await handler.inject({ method: 'POST', url: '/api/v1/assess', headers: json, payload: `{"situations":${nestedArrays(depth)}}` });
        expectProblem(assessed, { status: 400, code: 'INVALID_INPUT', key: 'body' });
      }
      // 64 levels are still read (and judged by the schema), 65 are not.
      const deepButAllowed = `{"version":${flow.version},"input":{"situations":${nestedArrays(62)}}}`;
      expect((await handler.inject({ method: 'POST', url: flow.url('assessment'), headers: json, payload: deepButAllowed })).json()).not.toMatchObject({ key: 'body' });
      // The server is still there.
      expect((await handler.inject({ method: 'GET', url: flow.url() })).statusCode).toBe(200);
    });

    it('refuses prototype pollution keys', async () => {
      const flow = await openCase(h);
      const handler = await h.as('handler');
      for (const payload of [
        `{"version":${flow.version},"kind":"unit","source":"某单位","content":"意见","__proto__":{"admin":true}}`,
        `{"version":${flow.version},"kind":"unit","source":"某单位","content":"意见","constructor":{"prototype":{"admin":true}}}`,
      ]) {
        await refusedCleanly(flow.id, () => handler.inject({ method: 'POST', url: flow.url('opinions'), headers: { 'content-type': 'application/json' }, payload }), 400, /^FST_ERR_|^INVALID_INPUT$/);
      }
      expect(({} as Record<string, unknown>).admin).toBeUndefined();
    });

    it('refuses wrong types and impossible numbers, naming the field', async () => {
      const flow = await openCase(h);
      const handler = await h.as('handler');
      const base = { version: flow.version, kind: 'unit', source: '某单位', content: '意见' };
      const cases: [Record<string, unknown>, string][] = [
        [{ ...base, version: String(flow.version) }, 'version'],
        [{ ...base, version: 1.5 }, 'version'],
        [{ ...base, version: -1 }, 'version'],
        [{ ...base, version: 1e308 }, 'version'],
        [{ ...base, content: ['意见'] }, 'content'],
        [{ ...base, content: { $ne: '' } }, 'content'],
        [{ ...base, source: 42 }, 'source'],
        [{ ...base, kind: "unit' OR '1'='1" }, 'kind'],
      ];
      for (const [payload, key] of cases) {
        await refusedCleanly(flow.id, () => handler.inject({ method: 'POST', url: flow.url('opinions'), payload }), 400, 'INVALID_INPUT', key);
      }
    });
  });

  describe('unknown fields and characters that cannot be stored', () => {
    it('refuses an unknown field in a body, at the top and nested, naming it', async () => {
      const flow = await openCase(h);
      const handler = await h.as('handler');
      const top = await refusedCleanly(flow.id, () => handler.inject({ method: 'POST', url: flow.url('opinions'), payload: { version: flow.version, kind: 'unit', source: '某单位', content: '意见', state: 'closed' } }), 400, 'INVALID_INPUT', 'state');
      expect(top.title).toContain('state');
      // Opening a case with a field the schema does not know (an attempt to set the case's state or organ).
      await refusedCleanly(
        null,
        () => handler.inject({ method: 'POST', url: '/api/v1/cases', payload: { officialId: h.world.officials.official, title: '标题', description: '描述', state: 'closed' } }),
        400,
        'INVALID_INPUT',
        'state',
      );
      const decided = await h.as('handler');
      await refusedCleanly(
        flow.id,
        () =>
          decided.inject({
            method: 'POST',
            url: flow.url('deliberations'),
            payload: {
              version: flow.version,
              heldOn: '2026-03-10',
              membersPresent: [h.world.users.members[0]!.id],
              memberOpinions: [{ memberId: h.world.users.members[0]!.id, opinion: 'exempt', comment: '同意', weight: 5 }],
              accountabilityOpinion: '不予问责。',
              toleranceOpinion: '予以容错。',
              proposedOutcome: 'exempt',
            },
          }),
        400,
        'INVALID_INPUT',
        'memberOpinions.0.weight',
      );
    });

    it('refuses an unknown query parameter', async () => {
      const handler = await h.as('handler');
      const response = await handler.inject({ method: 'GET', url: '/api/v1/cases?q=%E5%BC%A0&orderBy=1;DROP%20TABLE%20cases' });
      expectProblem(response, { status: 400, code: 'INVALID_INPUT', key: 'orderBy' });
      expect((await handler.inject({ method: 'GET', url: '/api/v1/cases?q=%E5%BC%A0' })).statusCode).toBe(200);
    });

    it('refuses NUL and lone surrogates in any text with a 400, where PostgreSQL would have failed with a 500', async () => {
      const flow = await openCase(h);
      const handler = await h.as('handler');
      const base = { version: flow.version, kind: 'unit', source: '某单位', content: '意见' };
      await refusedCleanly(flow.id, () => handler.inject({ method: 'POST', url: flow.url('opinions'), payload: { ...base, content: '意\u0000见' } }), 400, 'INVALID_INPUT', 'content');
      await refusedCleanly(flow.id, () => handler.inject({ method: 'POST', url: flow.url('opinions'), headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ ...base, source: 'x' }).replace('"x"', '"\\ud800"') }), 400, 'INVALID_INPUT', 'source');
      await refusedCleanly(flow.id, () => handler.inject({ method: 'POST', url: flow.url('opinions'), headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ ...base, source: 'x' }).replace('"x"', '"\\udc00\\ud800"') }), 400, 'INVALID_INPUT', 'source');
      const query = await handler.inject({ method: 'GET', url: '/api/v1/cases?q=%00' });
      expectProblem(query, { status: 400, code: 'INVALID_INPUT', key: 'q' });
      // A pair of surrogates is one character outside the BMP: accepted.
      expect((await handler.inject({ method: 'POST', url: flow.url('opinions'), headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ ...base, source: 'x' }).replace('"x"', '"\\ud840\\udc00"') })).statusCode).toBe(200);
    });

    it('counts lengths in code points: 200 characters outside the BMP are a valid title, 201 are not', async () => {
      const handler = await h.as('handler');
      const open = (title: string) => handler.inject({ method: 'POST', url: '/api/v1/cases', payload: { officialId: h.world.officials.official, title, description: '描述' } });
      const exact = '𠀀'.repeat(200);
      expect(exact.length).toBe(400);
      const accepted = await open(exact);
      expect(accepted.statusCode, accepted.body).toBe(201);
      const id = (accepted.json() as { data: { id: string } }).data.id;
      const row = await h.db.selectFrom('cases').select('title').where('id', '=', id).executeTakeFirstOrThrow();
      expect(row.title).toBe(exact);
      await refusedCleanly(null, () => open('𠀀'.repeat(201)), 400, 'INVALID_INPUT', 'title');
      // A decomposed é is two code points: 100 of them are 200 characters, 101 are too many.
      expect((await open('e\u0301'.repeat(100))).statusCode).toBe(201);
      await refusedCleanly(null, () => open('e\u0301'.repeat(101)), 400, 'INVALID_INPUT', 'title');
    });

    it('keeps leading and trailing spaces as given, and refuses a title of spaces only', async () => {
      const handler = await h.as('handler');
      const title = '\u3000\u3000张明 ';
      const opened = await handler.inject({ method: 'POST', url: '/api/v1/cases', payload: { officialId: h.world.officials.official, title, description: '\u3000\u3000第一段。' } });
      expect(opened.statusCode, opened.body).toBe(201);
      const row = await h.db.selectFrom('cases').select(['title', 'description']).where('id', '=', (opened.json() as { data: { id: string } }).data.id).executeTakeFirstOrThrow();
      expect(row).toEqual({ title, description: '\u3000\u3000第一段。' });
      for (const blank of ['', '   ', '\u3000\u3000', '\t\n']) {
        await refusedCleanly(null, () => handler.inject({ method: 'POST', url: '/api/v1/cases', payload: { officialId: h.world.officials.official, title: blank, description: '描述' } }), 400, 'INVALID_INPUT', 'title');
      }
    });
  });

  describe('uploaded file names and contents', () => {
    let app: FastifyInstance;
    let root: string;
    let parent: string;
    let handler: SignedIn;

    beforeAll(async () => {
      // A store of our own, inside a directory of our own: whatever a name tries, nothing may appear beside the store.
      parent = await mkdtemp(path.join(tmpdir(), 'rongcuo-hostile-'));
      root = path.join(parent, 'files');
      app = await buildTestApp(h.db, h.clock, { files: new LocalFileStore(root) });
      handler = await signInAs(app, h.world.users.handler);
    });
    afterAll(async () => {
      await app?.close();
      if (parent) await rm(parent, { recursive: true, force: true });
    });

    const upload = (caseId: string, version: number, files: FilePart[], title = '证据') =>
      handler.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/evidence`, ...multipart({ version, title, kind: 'document' }, files) });

    /** Uploads one file; on success downloads it and returns the stored name and the download's headers. */
    async function roundTrip(filename: FilePart['filename'], bytes: Buffer) {
      const flow = await openCase(h);
      const before = await snapshot(h.db, flow.id);
      const response = await upload(flow.id, flow.version, [{ filename, bytes }]);
      if (response.statusCode !== 201) {
        expectProblem(response, { status: 400, code: 'INVALID_INPUT' });
        expect(await snapshot(h.db, flow.id)).toEqual(before);
        return { status: response.statusCode, problem: response.json() as { title: string } };
      }
      const { data } = response.json() as { data: { id: string; attachments: { id: string; filename: string; sha256: string; mediaType: string }[] } };
      const attachment = data.attachments[0]!;
      const download = await handler.inject({ method: 'GET', url: `/api/v1/cases/${flow.id}/evidence/${data.id}/attachments/${attachment.id}` });
      expect(download.statusCode).toBe(200);
      expect(download.rawPayload.equals(bytes)).toBe(true);
      expect(download.headers['x-content-type-options']).toBe('nosniff');
      const disposition = parseContentDisposition(String(download.headers['content-disposition']));
      expect(disposition.type).toBe('attachment');
      // The fallback is printable ASCII without quotes, backslashes or path separators that a client could act on.
      expect(disposition.fallback).toMatch(/^[\x20-\x7e]*$/);
      expect(disposition.fallback).not.toMatch(/["\\/]/);
      expect(disposition.filename).toBe(attachment.filename);
      return { status: 201, stored: attachment.filename, sha256: attachment.sha256, mediaType: attachment.mediaType, contentType: String(download.headers['content-type']) };
    }

    it('never lets a file name reach the file system: traversal, NUL, RTL override, device names, 300 characters', async () => {
      const names: [FilePart['filename'], string | null][] = [
        // [name sent, name kept (null: refused)]
        ['../../etc/passwd.pdf', 'passwd.pdf'],
        ['..\\..\\..\\Windows\\System32\\evil.pdf', 'evil.pdf'],
        ['/etc/cron.d/rongcuo.pdf', 'rongcuo.pdf'],
        ['....//....//secret.pdf', 'secret.pdf'],
        ['%2e%2e%2f%2e%2e%2fetc%2fpasswd.pdf', '%2e%2e%2f%2e%2e%2fetc%2fpasswd.pdf'],
        ['..', null],
        ['../', null],
        [Buffer.concat([Buffer.from('a'), Buffer.from([0]), Buffer.from('b.pdf')]), 'ab.pdf'],
        ['证据\u0000.exe.pdf', '证据.exe.pdf'],
        // U+202E RIGHT-TO-LEFT OVERRIDE would show "证据\u202Efdp.exe" as "证据exe.pdf": removed, so the real extension shows.
        ['证据\u202Efdp.exe', null],
        ['报告\u202Egnp.pdf', '报告gnp.pdf'],
        ['\u2066\u2067x.pdf\u2069', 'x.pdf'],
        ['CON.pdf', 'CON.pdf'],
        ['  空格  .pdf  ', '空格  .pdf'],
        ['a'.repeat(296) + '.pdf', null],
        ['𠀀'.repeat(251) + '.pdf', '𠀀'.repeat(251) + '.pdf'],
        ['𠀀'.repeat(252) + '.pdf', null],
        ['"quoted"; filename="x.exe".pdf', null],
      ];
      for (const [sent, kept] of names) {
        const result = await roundTrip(sent, PDF);
        const label = Buffer.isBuffer(sent) ? sent.toString('hex') : JSON.stringify(sent);
        if (kept === null) expect(result.status, label).toBe(400);
        else expect(result.stored, label).toBe(kept);
      }
      // Whatever was sent, the store holds only content-addressed names, and nothing appeared beside it.
      const stored = await filesUnder(root);
      expect(stored.length).toBeGreaterThan(0);
      for (const file of stored) expect(file).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{64}$/);
      expect(stored).toContain(`${sha256Hex(PDF).slice(0, 2)}/${sha256Hex(PDF)}`);
      expect((await readdir(parent)).sort()).toEqual(['files']);
    });

    it('keeps a quote in a name safely inside the header (busboy\'s escaped form)', async () => {
      const result = await roundTrip('a\\"b.pdf', PDF);
      expect(result.status).toBe(201);
      expect(result.stored).toBe('a"b.pdf');
    });

    it('refuses a file whose extension and magic bytes disagree, and anything not on the list', async () => {
      const refused: [string, Buffer][] = [
        ['setup.pdf', EXE],
        ['photo.pdf', PNG],
        ['scan.png', PDF],
        ['drawing.png', SVG],
        ['page.html', HTML],
        ['page.htm', HTML],
        ['image.svg', SVG],
        ['setup.exe', EXE],
        ['noextension', PDF],
        ['.pdf', PDF],
        ['empty.pdf', Buffer.alloc(0)],
        ['binary.txt', Buffer.from([0x41, 0x00, 0x42])],
      ];
      for (const [name, bytes] of refused) expect((await roundTrip(name, bytes)).status, name).toBe(400);
      // Markup in a .txt is text: accepted, served as text/plain and as an attachment, never rendered.
      const text = await roundTrip('notes.txt', HTML);
      expect(text.status).toBe(201);
      expect(text.contentType).toBe('text/plain; charset=utf-8');
      const upper = await roundTrip('SCAN.PDF', PDF);
      expect(upper).toMatchObject({ status: 201, mediaType: 'application/pdf' });
    });

    it('refuses NUL in a form field of the upload with a 400', async () => {
      const flow = await openCase(h);
      const before = await snapshot(h.db, flow.id);
      const response = await upload(flow.id, flow.version, [{ filename: 'a.pdf', bytes: PDF }], '证据\u0000名称');
      expectProblem(response, { status: 400, code: 'INVALID_INPUT', key: 'title' });
      expect(await snapshot(h.db, flow.id)).toEqual(before);
    });
  });
});
