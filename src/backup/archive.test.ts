import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ephemeralAppCrypto } from '../crypto/app-crypto.js';
import type { ProviderName } from '../crypto/provider.js';
import { ArchiveReader, ArchiveWriter, chunkOffsets } from './archive.js';
import { BackupCheckError, BackupInputError } from './errors.js';

/** The archive container on its own: records round-trip, and every kind of damage fails closed with its own message. */
describe.each<ProviderName>(['gm', 'intl'])('backup archive (%s)', (providerName) => {
  const crypto = ephemeralAppCrypto(providerName);
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'rongcuo-archive-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** About ten chunks of 1 KiB: rows, a binary "file", and a last record. */
  async function writeSample(name = 'a.rcbak'): Promise<string> {
    const file = path.join(dir, name);
    const writer = await ArchiveWriter.create(file, crypto.secrets, { chunkSize: 1024 });
    await writer.json('T', { name: 't', columns: ['a'] });
    for (let i = 0; i < 40; i++) await writer.json('R', [[`行 ${i} 𠀀·`], [null]]);
    await writer.record('D', Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251)));
    await writer.json('M', { done: true });
    await writer.finish();
    return file;
  }

  async function readAll(file: string, secrets = crypto.secrets): Promise<Array<{ kind: string; body: Buffer }>> {
    const reader = await ArchiveReader.open(file, secrets);
    const records: Array<{ kind: string; body: Buffer }> = [];
    try {
      for await (const record of reader.records()) records.push({ kind: record.kind, body: Buffer.from(record.body) });
    } finally {
      await reader.close();
    }
    return records;
  }

  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected the archive to be refused');
      },
      (error: unknown) => error as Error,
    );

  it('round-trips records across chunk boundaries', async () => {
    const file = await writeSample();
    expect((await chunkOffsets(file)).length).toBeGreaterThan(5);
    const records = await readAll(file);
    expect(records.map((r) => r.kind).join('')).toBe(`T${'R'.repeat(40)}DM`);
    expect(JSON.parse(records[40]!.body.toString())).toEqual([['行 39 𠀀·'], [null]]);
    expect(records[41]!.body.length).toBe(5000);
    expect(records[41]!.body[250]).toBe(250);
  });

  it('never overwrites an existing file and leaves no partial file behind', async () => {
    const file = await writeSample();
    const before = await readFile(file);
    const writer = await ArchiveWriter.create(file, crypto.secrets, { chunkSize: 1024 });
    await writer.json('M', {});
    await expect(writer.finish()).rejects.toBeInstanceOf(BackupInputError);
    expect((await readFile(file)).equals(before)).toBe(true);
    const aborted = await ArchiveWriter.create(path.join(dir, 'b.rcbak'), crypto.secrets);
    await aborted.abort();
    expect(await readdir(dir)).toEqual(['a.rcbak']);
  });

  it('refuses a flipped byte in a chunk, in a length field and in the header', async () => {
    const file = await writeSample();
    const bytes = await readFile(file);
    const offsets = await chunkOffsets(file);
    const flip = async (at: number) => {
      const copy = Buffer.from(bytes);
      copy[at]! ^= 0x01;
      await writeFile(file, copy);
      return failure(readAll(file));
    };
    const inChunk = await flip(offsets[3]![0] + 40);
    expect(inChunk).toBeInstanceOf(BackupCheckError);
    expect(inChunk.message).toContain('第 4 块未通过完整性校验');
    expect(await flip(offsets[2]![0] + 3)).toBeInstanceOf(BackupCheckError);
    // The header's chunk size field: still valid JSON, but the header hash is in every chunk's associated data.
    const header = bytes.indexOf('"chunkSize":1024');
    const copy = Buffer.from(bytes);
    copy.write('"chunkSize":1025', header);
    await writeFile(file, copy);
    expect((await failure(readAll(file))).message).toContain('第 1 块未通过完整性校验');
  });

  it('refuses a file cut at a chunk boundary, inside a chunk, and after the header', async () => {
    const file = await writeSample();
    const bytes = await readFile(file);
    const offsets = await chunkOffsets(file);
    await writeFile(file, bytes.subarray(0, offsets.at(-1)![0]));
    expect((await failure(readAll(file))).message).toMatch(/被截断（该块不是末块）/);
    await writeFile(file, bytes.subarray(0, offsets[4]![0] + 100));
    expect((await failure(readAll(file))).message).toMatch(/第 5 块被截断/);
    await writeFile(file, bytes.subarray(0, offsets[0]![0]));
    expect((await failure(readAll(file))).message).toMatch(/没有末块/);
  });

  it('refuses swapped or repeated chunks and bytes after the final chunk', async () => {
    const file = await writeSample();
    const bytes = await readFile(file);
    const offsets = await chunkOffsets(file);
    const piece = (i: number) => bytes.subarray(offsets[i]![0], offsets[i]![1]);
    const swapped = Buffer.concat([bytes.subarray(0, offsets[2]![0]), piece(3), piece(2), bytes.subarray(offsets[3]![1])]);
    await writeFile(file, swapped);
    expect((await failure(readAll(file))).message).toContain('第 3 块未通过完整性校验');
    const repeated = Buffer.concat([bytes.subarray(0, offsets[3]![1]), piece(3), bytes.subarray(offsets[3]![1])]);
    await writeFile(file, repeated);
    expect((await failure(readAll(file))).message).toContain('第 5 块未通过完整性校验');
    await writeFile(file, Buffer.concat([bytes, piece(1)]));
    expect((await failure(readAll(file))).message).toMatch(/末块.*之后还有多余的数据/);
  });

  it('refuses what is not an archive, and an archive under a key the keyring lacks', async () => {
    const other = path.join(dir, 'other.zip');
    await writeFile(other, 'PK\u0003\u0004 not a backup');
    expect(await failure(readAll(other))).toBeInstanceOf(BackupInputError);
    const file = await writeSample();
    const stranger = ephemeralAppCrypto(providerName);
    // Same key id ("k1"), different key: the data key does not unwrap.
    const error = await failure(readAll(file, stranger.secrets));
    expect(error).toBeInstanceOf(BackupCheckError);
    expect(error.message).toContain('数据密钥无法解开');
  });
});
