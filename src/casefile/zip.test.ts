import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildCaseFileZip, openZip, planCaseFileZip, ZipSourceChangedError, type ZipItem, type ZipSource } from './zip.js';

/** A source handing out its bytes in chunks of `size` (the store reads in 64 KiB ones). */
const chunked = (item: ZipItem, size: number): ZipSource => ({
  path: item.path,
  async *open() {
    for (let at = 0; at < item.bytes.length; at += size) yield item.bytes.subarray(at, at + size);
  },
});

const collect = async (chunks: AsyncIterable<Buffer>) => {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
};

const text = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => `{"seq":${i},"type":"case.evidence-recorded","说明":"第${i % 97}项"}\n`).join(''), 'utf8');

const ITEMS: ZipItem[] = [
  { path: 'case.json', bytes: Buffer.from('{\n  "format": "rongcuo-case-record/1"\n}\n') },
  { path: 'events.jsonl', bytes: text(20_000) },
  { path: 'documents/decision-v1.docx', bytes: randomBytes(70_000) },
  { path: 'evidence/0d6f/情况说明（签字版）.pdf', bytes: randomBytes(1_000) },
  { path: 'evidence/0d6f/空文件.txt', bytes: Buffer.alloc(0) },
  { path: 'evidence/0d6f/empty.bin', bytes: Buffer.alloc(0) },
  { path: 'evidence/0d6f/台账.csv', bytes: Buffer.from('编号,金额\n1,100\n'.repeat(5_000), 'utf8') },
  { path: 'evidence/0d6f/photo-😀.jpg', bytes: randomBytes(3) },
];

describe('the streaming case-file writer', () => {
  it('writes the very bytes PizZip does, however the content is chunked', async () => {
    const manifest = '{"format":"rongcuo-case-file/1","说明":"清单"}\n';
    // An odd second: DOS times halve them.
    for (const date of [new Date('2026-03-04T05:06:07.890Z'), new Date('2024-12-31T23:59:59Z')]) {
      const reference = buildCaseFileZip(manifest, ITEMS, date);
      for (const size of [1, 4_096, 65_536, 10_000_000]) {
        const plan = await planCaseFileZip(manifest, ITEMS.map((item) => chunked(item, size === 1 ? 997 : size)), date);
        const streamed = await collect(plan.chunks());
        expect(plan.archiveBytes).toBe(reference.length);
        expect(plan.entryCount).toBe(ITEMS.length + 1);
        expect(plan.contentBytes).toBe(Buffer.byteLength(manifest) + ITEMS.reduce((sum, i) => sum + i.bytes.length, 0));
        expect(streamed.equals(reference)).toBe(true);
      }
    }
    const opened = openZip(buildCaseFileZip(manifest, ITEMS, new Date()));
    expect([...opened.entries.keys()]).toEqual(['manifest.json', ...ITEMS.map((i) => i.path)]);
  });

  it('fails the archive when a source reads differently the second time', async () => {
    for (const second of [Buffer.from('other bytes!'), Buffer.from('short'), Buffer.from('much longer than before'), Buffer.alloc(0)]) {
      let reads = 0;
      const source: ZipSource = {
        path: 'evidence/x/a.bin',
        async *open() {
          reads += 1;
          yield reads === 1 ? Buffer.from('first bytes!') : second;
        },
      };
      const plan = await planCaseFileZip('{}', [source], new Date());
      await expect(collect(plan.chunks())).rejects.toBeInstanceOf(ZipSourceChangedError);
    }
  });

  it('fails before the first byte when a source cannot be read', async () => {
    const source: ZipSource = {
      path: 'evidence/x/a.bin',
      open: () => Promise.reject(new Error('stored file is missing')),
    };
    await expect(planCaseFileZip('{}', [source], new Date())).rejects.toThrow('missing');
  });
});
