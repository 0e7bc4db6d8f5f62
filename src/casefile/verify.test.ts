import PizZip from 'pizzip';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../files/store.js';
import {
  isSafeZipPath,
  MANIFEST_FORMAT,
  manifestHash,
  parseManifest,
  PathAllocator,
  safeFilename,
  serializeManifest,
  type Manifest,
  type ManifestItem,
} from './manifest.js';
import { verifyCaseFile } from './verify.js';
import { buildCaseFileZip, type ZipItem } from './zip.js';

const CASE_ID = '6f1c2d3e-0000-4000-8000-000000000001';
const EVIDENCE_ID = '6f1c2d3e-0000-4000-8000-0000000000e1';
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const DOCX = Buffer.from('PK\u0003\u0004 not really a docx, but bytes all the same', 'latin1');
const SEALED_AT = new Date('2026-04-01T02:00:00.000Z');

const EVIDENCE_PATH = `evidence/${EVIDENCE_ID}/王某证言.pdf`;

function sample() {
  const files: ZipItem[] = [
    { path: 'case.json', bytes: Buffer.from('{\n  "case": {}\n}\n') },
    { path: 'events.jsonl', bytes: Buffer.from('{"seq":"1"}\n{"seq":"2"}\n') },
    { path: 'documents/decision-v1.docx', bytes: DOCX },
    { path: EVIDENCE_PATH, bytes: PDF },
    { path: `evidence/${EVIDENCE_ID}/签名页.png`, bytes: PNG },
  ];
  const item = (f: ZipItem): ManifestItem => {
    const base = { path: f.path, sha256: sha256Hex(f.bytes), size: f.bytes.length };
    if (f.path === 'case.json') return { ...base, kind: 'case', mediaType: 'application/json' };
    if (f.path === 'events.jsonl') return { ...base, kind: 'events', count: 2, mediaType: 'application/x-ndjson' };
    if (f.path.startsWith('documents/')) return { ...base, kind: 'document', documentId: 'd1', documentKind: 'decision', version: 1, number: '东纪容〔2026〕1号', mediaType: 'application/octet-stream' };
    return { ...base, kind: 'evidence', evidenceId: EVIDENCE_ID, attachmentId: f.path, title: '证人证言', filename: f.path.split('/').pop()!, mediaType: 'application/pdf' };
  };
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    caseId: CASE_ID,
    caseTitle: '某项目资金拨付延误',
    organ: { id: 'o1', name: '东城区纪委监委' },
    official: { id: 'p1', name: '张明' },
    sealedAt: SEALED_AT.toISOString(),
    sealedBy: 'u1',
    algorithm: 'sha256',
    eventsThroughSeq: '2',
    items: files.map(item),
  };
  const text = serializeManifest(manifest);
  return { files, manifest, text, hash: manifestHash(text), zip: buildCaseFileZip(text, files, SEALED_AT) };
}

/** Rewrites one entry of a zip (as someone editing the archive would), leaving the rest as it was. */
function rewrite(zip: Buffer, edit: (z: PizZip) => void): Buffer {
  const z = new PizZip(zip);
  edit(z);
  return z.generate({ type: 'nodebuffer' });
}

function flipOneByte(bytes: Buffer, at = Math.floor(bytes.length / 2)): Buffer {
  const copy = Buffer.from(bytes);
  copy[at]! ^= 0x01;
  return copy;
}

describe('the case file manifest', () => {
  it('is canonical JSON whose hash is the plain SHA-256 of its bytes', () => {
    const { manifest, text, hash } = sample();
    expect(text.startsWith('{"algorithm":"sha256","caseId":')).toBe(true);
    expect(serializeManifest(JSON.parse(text) as Manifest)).toBe(text);
    expect(hash).toBe(sha256Hex(Buffer.from(text, 'utf8')));
    expect(parseManifest(text)).toEqual({ ok: true, manifest: JSON.parse(JSON.stringify(manifest)) });
  });

  it('refuses manifests it cannot check', () => {
    const { manifest } = sample();
    expect(parseManifest('not json')).toMatchObject({ ok: false });
    expect(parseManifest(JSON.stringify({ ...manifest, format: 'other/1' }))).toMatchObject({ ok: false });
    expect(parseManifest(JSON.stringify({ ...manifest, algorithm: 'md5' }))).toMatchObject({ ok: false });
    const traversal = { ...manifest, items: [{ ...manifest.items[0]!, path: '../etc/passwd' }] };
    expect(parseManifest(JSON.stringify(traversal))).toMatchObject({ ok: false });
    const twice = { ...manifest, items: [manifest.items[0]!, { ...manifest.items[1]!, path: 'CASE.json' }] };
    expect(parseManifest(JSON.stringify(twice))).toMatchObject({ ok: false, reason: expect.stringContaining('重复') });
  });

  it('makes user file names safe and unique as zip paths', () => {
    expect(safeFilename('C:\\fakepath\\证据.pdf')).toBe('证据.pdf');
    expect(safeFilename('../../etc/passwd')).toBe('passwd');
    expect(safeFilename('a<b>:c"|?*.pdf')).toBe('a_b__c____.pdf');
    expect(safeFilename('..')).toBe('file');
    expect(safeFilename('.hidden')).toBe('_hidden');
    expect(safeFilename('report.pdf. . ')).toBe('report.pdf');
    expect(safeFilename('CON.txt')).toBe('_CON.txt');
    expect(safeFilename('x\u202Efdp.exe')).toBe('xfdp.exe');
    const long = safeFilename(`${'长'.repeat(300)}.pdf`);
    expect([...long]).toHaveLength(120);
    expect(long.endsWith('.pdf')).toBe(true);

    const paths = new PathAllocator(['manifest.json']);
    expect(paths.allocate('evidence/e1', '证据.pdf')).toBe('evidence/e1/证据.pdf');
    expect(paths.allocate('evidence/e1', '证据.PDF')).toBe('evidence/e1/证据 (2).PDF');
    expect(paths.allocate('evidence/e1', '证据.pdf')).toBe('evidence/e1/证据 (3).pdf');
    expect(paths.allocate('evidence/e2', '证据.pdf')).toBe('evidence/e2/证据.pdf');
    expect(() => paths.reserve('MANIFEST.json')).toThrow();
    for (const p of ['a/b', 'evidence/x/证据 (2).pdf']) expect(isSafeZipPath(p)).toBe(true);
    for (const p of ['', '/a', 'a//b', 'a/../b', 'a\\b', 'C:/x', 'a/./b', 'a\nb']) expect(isSafeZipPath(p)).toBe(false);
  });
});

describe('verifying an exported case file', () => {
  it('accepts an untouched file against the right hash', async () => {
    const { zip, hash, files } = sample();
    const result = await verifyCaseFile(zip, { expectedManifestSha256: hash });
    expect(result).toEqual({ ok: true, caseId: CASE_ID, manifestSha256: hash, checkedItems: files.length, anchor: { expectedManifestSha256: hash }, problems: [] });
    // Upper-case hex is the same hash.
    expect((await verifyCaseFile(zip, { expectedManifestSha256: hash.toUpperCase() })).ok).toBe(true);
  });

  it('names the evidence file in which one byte was altered', async () => {
    const { zip, hash } = sample();
    const altered = rewrite(zip, (z) => z.file(EVIDENCE_PATH, flipOneByte(z.file(EVIDENCE_PATH)!.asNodeBuffer()), { binary: true }));
    const result = await verifyCaseFile(altered, { expectedManifestSha256: hash });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([{ path: EVIDENCE_PATH, problem: 'altered', message: expect.stringContaining(EVIDENCE_PATH) }]);
  });

  it('names the file when a byte of the archive itself is flipped inside its stored data', async () => {
    const { zip, hash } = sample();
    // Evidence is stored uncompressed, so its bytes appear as they are in the archive.
    const at = zip.indexOf(PDF);
    expect(at).toBeGreaterThan(0);
    const result = await verifyCaseFile(flipOneByte(zip, at + 10), { expectedManifestSha256: hash });
    expect(result.problems).toEqual([expect.objectContaining({ path: EVIDENCE_PATH, problem: 'altered' })]);
  });

  it('names a missing item and an unexpected one', async () => {
    const { zip, hash } = sample();
    const edited = rewrite(zip, (z) => {
      z.remove('documents/decision-v1.docx');
      z.file(`evidence/${EVIDENCE_ID}/补充.pdf`, PDF, { binary: true });
    });
    const result = await verifyCaseFile(edited, { expectedManifestSha256: hash });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      expect.objectContaining({ path: 'documents/decision-v1.docx', problem: 'missing' }),
      expect.objectContaining({ path: `evidence/${EVIDENCE_ID}/补充.pdf`, problem: 'unexpected' }),
    ]);
  });

  it('treats a file that shadows a listed one by case as unexpected, and a replaced same-size file as altered', async () => {
    const { zip, hash } = sample();
    const sameSize = Buffer.alloc(PNG.length, 0x41);
    const edited = rewrite(zip, (z) => {
      z.file('CASE.JSON', '{}', { binary: false });
      z.file(`evidence/${EVIDENCE_ID}/签名页.png`, sameSize, { binary: true });
    });
    const result = await verifyCaseFile(edited, { expectedManifestSha256: hash });
    expect(result.problems).toEqual([
      expect.objectContaining({ path: `evidence/${EVIDENCE_ID}/签名页.png`, problem: 'altered' }),
      expect.objectContaining({ path: 'CASE.JSON', problem: 'unexpected', message: expect.stringContaining('大小写') }),
    ]);
  });

  it('names the manifest when its hash is not the one given (offline)', async () => {
    const { zip, hash } = sample();
    const wrong = `${hash.slice(0, 63)}${hash.endsWith('0') ? '1' : '0'}`;
    const result = await verifyCaseFile(zip, { expectedManifestSha256: wrong });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([{ path: 'manifest.json', problem: 'manifest-mismatch', message: expect.stringContaining(wrong) }]);
  });

  it('catches a manifest rewritten to match altered evidence', async () => {
    const { zip, hash, manifest } = sample();
    const forged = flipOneByte(PDF);
    const forgedManifest = serializeManifest({
      ...manifest,
      items: manifest.items.map((i) => (i.path === EVIDENCE_PATH ? { ...i, sha256: sha256Hex(forged) } : i)),
    });
    const edited = rewrite(zip, (z) => {
      z.file(EVIDENCE_PATH, forged, { binary: true });
      z.file('manifest.json', forgedManifest, { binary: false });
    });
    const result = await verifyCaseFile(edited, { expectedManifestSha256: hash });
    expect(result.problems).toEqual([expect.objectContaining({ path: 'manifest.json', problem: 'manifest-mismatch' })]);
  });

  it('reports a missing manifest, and duplicated entries', async () => {
    const { zip, hash, text, files } = sample();
    const noManifest = rewrite(zip, (z) => z.remove('manifest.json'));
    expect((await verifyCaseFile(noManifest, { expectedManifestSha256: hash })).problems).toEqual([
      expect.objectContaining({ path: 'manifest.json', problem: 'missing' }),
    ]);

    // Two entries of one name: made by renaming an entry in place, since zip libraries keep one entry per name.
    const twice = buildCaseFileZip(text, [...files, { path: 'case.jsoX', bytes: Buffer.from('{"forged":true}') }], SEALED_AT);
    for (let i = twice.indexOf('case.jsoX'); i >= 0; i = twice.indexOf('case.jsoX', i + 1)) twice.write('case.json', i, 'latin1');
    const result = await verifyCaseFile(twice, { expectedManifestSha256: hash });
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual(expect.objectContaining({ path: 'case.json', problem: 'unexpected', message: expect.stringContaining('不止一次') }));
  });

  it('needs something to check the manifest against', async () => {
    const { zip } = sample();
    await expect(verifyCaseFile(zip, {})).rejects.toThrow(TypeError);
    await expect(verifyCaseFile(Buffer.from('not a zip'), { expectedManifestSha256: 'a'.repeat(64) })).rejects.toThrow(/zip/);
  });

  it('exports the same bytes twice', () => {
    const { text, files } = sample();
    expect(buildCaseFileZip(text, files, SEALED_AT).equals(buildCaseFileZip(text, files, SEALED_AT))).toBe(true);
  });
});
