import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { providerFor } from '../crypto/index.js';
import { checkCheckpointFile } from './checkpoint.js';
import {
  keyId,
  parseCheckpointFile,
  parseCheckpointText,
  parseVerifierKey,
  signCheckpoint,
  signNote,
  verifierKeyText,
  verifyNote,
  type Checkpoint,
  type SignatureAlgorithm,
  type SignerKey,
} from './checkpoint-note.js';

// Known answers from Go's golang.org/x/mod/sumdb/note tests, the reference implementation of signed notes.
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const PETER_SKEY_BASE64 = 'AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const PETER_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIGNED = `${PETER_TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

function newKey(algorithm: SignatureAlgorithm, name = `rongcuo/audit-chain/test-${algorithm}`): SignerKey {
  const pair = providerFor(algorithm === 'sm2' ? 'gm' : 'intl').generateSigningKeyPair();
  return { name, algorithm, publicKey: Buffer.from(pair.publicKey, 'hex'), privateKey: pair.privateKey };
}

const root = (byte: number) => Buffer.alloc(32, byte);

describe('signed notes: interoperable with the reference implementation (Ed25519)', () => {
  it('computes the key id and parses the verifier key as Go does', () => {
    const key = parseVerifierKey(PETER_VKEY);
    expect(key).toMatchObject({ name: 'PeterNeumann', algorithm: 'ed25519' });
    expect(keyId(key).toString('hex')).toBe('c74f20a3');
    expect(verifierKeyText(key)).toBe(PETER_VKEY);
  });

  it('signs byte for byte what Go signs, and accepts Go\'s signature', () => {
    const seed = Buffer.from(PETER_SKEY_BASE64, 'base64').subarray(1);
    const key: SignerKey = { ...parseVerifierKey(PETER_VKEY), privateKey: seed.toString('hex') };
    expect(signNote(PETER_TEXT, key)).toBe(PETER_SIGNED);
    const [note] = parseCheckpointFile(PETER_SIGNED).notes;
    expect(verifyNote(note!, key)).toEqual({ ok: true });
  });

  it('rejects verifier keys that were tampered with', () => {
    expect(() => parseVerifierKey('PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toThrow(/标识与公钥不符/);
    expect(() => parseVerifierKey('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==')).toThrow();
    expect(() => parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toThrow(/签名类型/);
    expect(() => parseVerifierKey('Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toThrow(/名称/);
  });
});

describe('SM2 signed notes', () => {
  it('use signature type 0xFF "gbt32918-sm2-sm3" in the key id and the verifier key', () => {
    const key = newKey('sm2');
    expect(key.publicKey).toHaveLength(65);
    const expected = createHash('sha256')
      .update(Buffer.concat([Buffer.from(`${key.name}\n`), Buffer.from([0xff]), Buffer.from('gbt32918-sm2-sm3'), key.publicKey]))
      .digest()
      .subarray(0, 4);
    expect(keyId(key).equals(expected)).toBe(true);
    const vkey = verifierKeyText(key);
    expect(Buffer.from(vkey.split('+')[2]!, 'base64').subarray(0, 17).toString('latin1')).toBe('\xffgbt32918-sm2-sm3');
    expect(parseVerifierKey(vkey)).toEqual({ name: key.name, algorithm: 'sm2', publicKey: key.publicKey });
  });
});

describe.each(['sm2', 'ed25519'] as const)('checkpoints signed with %s', (algorithm) => {
  const key = newKey(algorithm);
  const other = newKey(algorithm);
  const checkpoint: Checkpoint = { origin: key.name, size: 42n, root: root(7) };
  const signed = signCheckpoint(checkpoint, key);

  it('are C2SP tlog-checkpoint notes: origin, size, base64 root, empty line, signature line', () => {
    const lines = signed.split('\n');
    expect(lines.slice(0, 4)).toEqual([key.name, '42', root(7).toString('base64'), '']);
    expect(lines[4]).toMatch(new RegExp(`^— ${key.name.replaceAll('/', '\\/')} [A-Za-z0-9+/]+=*$`));
    expect(Buffer.from(lines[4]!.split(' ')[2]!, 'base64')).toHaveLength(4 + 64);
    expect(lines[5]).toBe('');
  });

  it('round-trip through the file format', () => {
    const { notes, problem } = parseCheckpointFile(`${signed}\n${signCheckpoint({ ...checkpoint, size: 43n, root: root(8) }, key)}`);
    expect(problem).toBeUndefined();
    expect(notes).toHaveLength(2);
    for (const note of notes) expect(verifyNote(note, key)).toEqual({ ok: true });
    expect(parseCheckpointText(notes[0]!.bodyLines)).toEqual(checkpoint);
    expect(notes[1]!.line).toBe(7);
  });

  it('is not accepted under another key, even one with the same name', () => {
    const impostor = { ...other, name: key.name };
    const [note] = parseCheckpointFile(signCheckpoint(checkpoint, impostor)).notes;
    expect(verifyNote(note!, key)).toMatchObject({ ok: false, reason: 'unknown-key' });
  });

  it('fails on any changed byte of the text or the signature', () => {
    const changedText = signed.replace('\n42\n', '\n43\n');
    expect(verifyNote(parseCheckpointFile(changedText).notes[0]!, key)).toMatchObject({ ok: false, reason: 'bad-signature' });
    const sigLine = signed.split('\n')[4]!;
    const bytes = Buffer.from(sigLine.split(' ')[2]!, 'base64');
    bytes[10]! ^= 0x01;
    const changedSig = signed.replace(sigLine, `— ${key.name} ${bytes.toString('base64')}`);
    expect(verifyNote(parseCheckpointFile(changedSig).notes[0]!, key)).toMatchObject({ ok: false, reason: 'bad-signature' });
    const truncatedSig = signed.replace(sigLine, `— ${key.name} ${bytes.subarray(0, 40).toString('base64')}`);
    expect(verifyNote(parseCheckpointFile(truncatedSig).notes[0]!, key)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('ignores signatures by unknown keys but rejects a bad one by the expected key beside a good one', () => {
    const cosigned = signNote(signed.split('\n\n')[0]! + '\n', other).split('\n').slice(4).join('\n');
    const withCosigner = `${signed}${cosigned}`;
    expect(verifyNote(parseCheckpointFile(withCosigner).notes[0]!, key)).toEqual({ ok: true });
    const sigLine = signed.split('\n')[4]!;
    const forged = Buffer.from(sigLine.split(' ')[2]!, 'base64');
    forged[20]! ^= 0xff;
    const withForgery = `${signed}— ${key.name} ${forged.toString('base64')}\n`;
    expect(verifyNote(parseCheckpointFile(withForgery).notes[0]!, key)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('report a root hash of the wrong length, even when properly signed', () => {
    for (const length of [1, 31, 33, 64]) {
      const text = `${key.name}\n42\n${Buffer.alloc(length, 1).toString('base64')}\n`;
      const result = checkCheckpointFile(signNote(text, key), key);
      expect(result.valid).toEqual([]);
      expect(result.problems[0]).toMatchObject({ reason: 'malformed' });
      expect(result.problems[0]!.message).toContain(`根哈希长 ${length} 字节，应为 32 字节`);
    }
  });

  it('report malformed sizes and lines, even when properly signed', () => {
    const bad = [
      [`${key.name}\n042\n${root(1).toString('base64')}\n`, '不带前导零'],
      [`${key.name}\n-1\n${root(1).toString('base64')}\n`, '不带前导零'],
      [`${key.name}\n9223372036854775808\n${root(1).toString('base64')}\n`, '超出范围'],
      [`${key.name}\n42\n${root(1).toString('base64')}\nextension\n`, '应为 3 行'],
      [`${key.name}\n42\n`, '应为 3 行'],
      [`${key.name}\n42\n${root(1).toString('base64').replace('=', '')}\n`, '不是有效的 base64'],
      [`${key.name}\n42\n${'_'.repeat(43)}=\n`, '不是有效的 base64'],
      [`${key.name}\n42\n${root(1).toString('base64')} \n`, '不是有效的 base64'],
    ] as const;
    for (const [text, expected] of bad) {
      const result = checkCheckpointFile(signNote(text, key), key);
      expect(result.problems[0]?.message, text).toContain(expected);
    }
  });

  it('report a checkpoint of another origin signed with our key', () => {
    const result = checkCheckpointFile(signCheckpoint({ ...checkpoint, origin: 'example.com/another-log' }, key), key);
    expect(result.problems).toMatchObject([{ index: 1, reason: 'wrong-origin' }]);
    expect(result.problems[0]!.message).toContain('example.com/another-log');
  });

  it('report two roots for one size, and a checkpoint covering less than an earlier one', () => {
    const fork = `${signed}\n${signCheckpoint({ ...checkpoint, root: root(9) }, key)}`;
    expect(checkCheckpointFile(fork, key).problems).toMatchObject([{ index: 2, reason: 'fork', size: '42' }]);
    const back = `${signed}\n${signCheckpoint({ ...checkpoint, size: 41n, root: root(9) }, key)}`;
    expect(checkCheckpointFile(back, key).problems).toMatchObject([{ index: 2, reason: 'went-back', size: '41' }]);
    const repeated = `${signed}\n${signed}`;
    expect(checkCheckpointFile(repeated, key)).toMatchObject({ problems: [], total: 2 });
  });

  it('report malformed files with the line, and keep checking the notes after a bad one', () => {
    const good = signCheckpoint({ ...checkpoint, size: 50n }, key);
    const cases: [string, RegExp][] = [
      [signed.replace('\n\n', '\n'), /缺少空行/],
      [`${signed}unexpected line\n\n${good}`, /没有签名行/],
      [signed.replace(`— ${key.name}`, `— ${key.name} extra`), /签名行应为/],
      [signed.replace(`— ${key.name}`, '— bad+name'), /名称不合规/],
      [signed.replace(/ ([A-Za-z0-9+/=]+)\n$/, ' AAAA\n'), /短于 5 字节/],
      [`${signed.split('\n\n')[0]}\n\n${`— ${key.name} ${Buffer.alloc(68, 1).toString('base64')}\n`.repeat(101)}`, /超过 100 条/],
    ];
    for (const [text, expected] of cases) {
      const file = `${text}\n${good}`;
      const result = checkCheckpointFile(file, key);
      expect(result.problems[0]?.message, JSON.stringify(text)).toMatch(expected);
      expect(result.problems[0]).toMatchObject({ reason: 'malformed' });
      // The good note after the bad one is still found and checked.
      expect(result.valid.map((c) => c.size)).toContain(50n);
    }
  });

  it('report files that are not text, cut short, or empty', () => {
    expect(checkCheckpointFile(Buffer.from([0xff, 0xfe, 0x0a]), key).problems[0]!.message).toMatch(/UTF-8/);
    expect(checkCheckpointFile(signed.slice(0, -1), key).problems[0]!.message).toMatch(/不以换行结尾/);
    expect(checkCheckpointFile(signed.replaceAll('\n', '\r\n'), key).problems[0]!.message).toMatch(/第 1 行含控制字符/);
    expect(checkCheckpointFile(`${signed}\n${signed.replace('42', '4\t2')}`, key).problems[0]!.message).toMatch(/第 8 行含控制字符/);
    expect(checkCheckpointFile('', key).problems).toMatchObject([{ reason: 'no-checkpoints' }]);
    expect(checkCheckpointFile('\n\n', key).problems).toMatchObject([{ reason: 'no-checkpoints' }]);
  });
});
