import { createHash } from 'node:crypto';
import { providerFor, type CryptoProvider } from '../crypto/index.js';

/**
 * Checkpoints of the audit chain as C2SP signed notes (https://c2sp.org/signed-note, https://c2sp.org/tlog-checkpoint):
 *
 *   <origin>\n
 *   <tree size>\n
 *   <base64 root hash>\n
 *   \n
 *   — <key name> <base64(4-byte key id ‖ signature)>\n
 *
 * Our chain is linear, not an RFC 6962 Merkle tree: the "root hash" of a checkpoint of size N is the entry hash
 * of event N (32 zero bytes for size 0), which commits to every event 1…N through the prev_hash links. The key
 * name is the origin. The signature covers the note text (the three lines with their newlines).
 *
 * Key id (signed-note): SHA-256(key name ‖ 0x0A ‖ signature type ‖ public key)[:4], where
 *   - Ed25519 (`intl`): type 0x01, the 32-byte public key (RFC 8032); signature 64 bytes;
 *   - SM2 (`gm`): signed-note assigns SM2 no byte, so the type is 0xFF (reserved for exactly this) followed by
 *     the ASCII identifier "gbt32918-sm2-sm3": an SM2 signature per GB/T 32918.2 with SM3 and the default
 *     user id "1234567812345678" (GB/T 35276); public key the 65-byte uncompressed point 04 ‖ x ‖ y;
 *     signature 64 bytes r ‖ s, each 32 bytes big-endian.
 * A verifier key is written as in Go's sumdb/note: `<name>+<hex key id>+<base64(type ‖ public key)>`.
 *
 * A checkpoint file holds checkpoints one after another, each a complete signed note, separated by one empty
 * line (so a file of one checkpoint is exactly one signed note).
 */
export type SignatureAlgorithm = 'sm2' | 'ed25519';

export const SIGNATURE_TYPES: Record<SignatureAlgorithm, Buffer> = {
  ed25519: Buffer.from([0x01]),
  sm2: Buffer.concat([Buffer.from([0xff]), Buffer.from('gbt32918-sm2-sm3', 'ascii')]),
};
const PUBLIC_KEY_BYTES: Record<SignatureAlgorithm, number> = { ed25519: 32, sm2: 65 };
const SIGNATURE_BYTES = 64;
export const ROOT_HASH_BYTES = 32;
/** Largest tree size accepted: seq is a PostgreSQL bigint. */
const MAX_SIZE = 2n ** 63n - 1n;
/** signed-note: verifiers must accept at least 16 signatures; more than this is treated as malformed. */
const MAX_SIGNATURES = 100;
const EM_DASH_PREFIX = '— ';

export interface VerifierKey {
  /** The key name, which is also the checkpoints' origin. */
  name: string;
  algorithm: SignatureAlgorithm;
  publicKey: Buffer;
}

export interface SignerKey extends VerifierKey {
  /** As the crypto provider takes it: hex (SM2 private scalar; Ed25519 32-byte seed). */
  privateKey: string;
}

export interface Checkpoint {
  origin: string;
  size: bigint;
  root: Buffer;
}

export function providerOf(algorithm: SignatureAlgorithm): CryptoProvider {
  return providerFor(algorithm === 'sm2' ? 'gm' : 'intl');
}

export function keyId(key: VerifierKey): Buffer {
  return createHash('sha256')
    .update(Buffer.from(key.name, 'utf8'))
    .update(Buffer.from([0x0a]))
    .update(SIGNATURE_TYPES[key.algorithm])
    .update(key.publicKey)
    .digest()
    .subarray(0, 4);
}

/** signed-note key names: non-empty, no Unicode space, no plus. */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name) && !hasControlCharacter(name);
}

function hasControlCharacter(text: string): boolean {
  return /[\u0000-\u001f\u007f]/.test(text);
}

/** Standard base64 (RFC 4648 §4), canonical: what decodes must encode back to the same text. */
function strictBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

export function verifierKeyText(key: VerifierKey): string {
  return `${key.name}+${keyId(key).toString('hex')}+${Buffer.concat([SIGNATURE_TYPES[key.algorithm], key.publicKey]).toString('base64')}`;
}

/** Parses `<name>+<hex key id>+<base64(type ‖ public key)>`; the stated key id must be the computed one. */
export function parseVerifierKey(text: string): VerifierKey {
  const parts = text.trim().split('+');
  // A name cannot contain '+', but standard base64 can: rejoin everything after the second '+'.
  if (parts.length < 3) throw new Error('公钥格式应为 <名称>+<8 位十六进制密钥标识>+<base64>（verifier key is not name+id+key）');
  const [name, id] = parts as [string, string];
  const encoded = parts.slice(2).join('+');
  if (!isValidKeyName(name)) throw new Error(`公钥名称“${name}”不合规（bad key name）`);
  if (!/^[0-9a-f]{8}$/.test(id)) throw new Error(`公钥标识“${id}”应为 8 位小写十六进制（bad key id）`);
  const bytes = strictBase64(encoded);
  if (!bytes || bytes.length < 2) throw new Error('公钥的 base64 部分无效（bad key encoding）');
  const algorithm = (Object.keys(SIGNATURE_TYPES) as SignatureAlgorithm[]).find((alg) => {
    const type = SIGNATURE_TYPES[alg];
    return bytes.subarray(0, type.length).equals(type) && bytes.length === type.length + PUBLIC_KEY_BYTES[alg];
  });
  if (!algorithm) throw new Error('公钥的签名类型不是 Ed25519（0x01）或 SM2（0xFF "gbt32918-sm2-sm3"），或长度不符（unknown key type）');
  const key: VerifierKey = { name, algorithm, publicKey: bytes.subarray(SIGNATURE_TYPES[algorithm].length) };
  checkPublicKey(key);
  if (keyId(key).toString('hex') !== id) throw new Error('公钥标识与公钥不符（key id does not match the key）');
  return key;
}

export function checkPublicKey(key: VerifierKey): void {
  if (!isValidKeyName(key.name)) throw new Error(`密钥名称“${key.name}”不合规：不能为空，不能含空白或加号（bad key name）`);
  if (key.publicKey.length !== PUBLIC_KEY_BYTES[key.algorithm]) {
    throw new Error(`${key.algorithm} 公钥应为 ${PUBLIC_KEY_BYTES[key.algorithm]} 字节，实为 ${key.publicKey.length} 字节（bad public key length）`);
  }
  if (key.algorithm === 'sm2' && key.publicKey[0] !== 0x04) throw new Error('SM2 公钥应为非压缩点（04 开头）（SM2 public key must be uncompressed）');
}

export function checkpointText(checkpoint: Checkpoint): string {
  if (!isValidKeyName(checkpoint.origin)) throw new Error(`origin "${checkpoint.origin}" is not a valid key name`);
  if (checkpoint.size < 0n || checkpoint.size > MAX_SIZE) throw new Error(`tree size ${checkpoint.size} is out of range`);
  if (checkpoint.root.length !== ROOT_HASH_BYTES) throw new Error(`root hash must be ${ROOT_HASH_BYTES} bytes`);
  return `${checkpoint.origin}\n${checkpoint.size}\n${checkpoint.root.toString('base64')}\n`;
}

/** Signs a note text (ending in a newline) and returns the complete signed note. */
export function signNote(text: string, key: SignerKey): string {
  if (!text.endsWith('\n') || text.includes('\n\n') || hasControlCharacter(text.replaceAll('\n', ''))) {
    throw new Error('a note text ends in one newline, has no empty line and no control character');
  }
  const signature = providerOf(key.algorithm).sign(key.privateKey, Buffer.from(text, 'utf8'));
  if (signature.length !== SIGNATURE_BYTES) throw new Error(`${key.algorithm} signature is ${signature.length} bytes, expected ${SIGNATURE_BYTES}`);
  return `${text}\n${EM_DASH_PREFIX}${key.name} ${Buffer.concat([keyId(key), signature]).toString('base64')}\n`;
}

export function signCheckpoint(checkpoint: Checkpoint, key: SignerKey): string {
  return signNote(checkpointText(checkpoint), key);
}

export interface NoteSignature {
  name: string;
  keyId: Buffer;
  signature: Buffer;
  /** 1-based line in the file. */
  line: number;
}

export interface ParsedNote {
  /** 1-based position among the notes of the file. */
  index: number;
  /** 1-based line of the note's first line. */
  line: number;
  /** The signed text: the body lines, each with its newline. */
  text: string;
  bodyLines: string[];
  signatures: NoteSignature[];
  /** Set when the note is not well-formed; its text must then be ignored. */
  malformed?: string;
}

/**
 * Splits a checkpoint file into its notes. Strict: valid UTF-8, no control character but newline (so no CR),
 * a body of non-empty lines, one empty line, then one or more signature lines `— <name> <base64>`. A malformed
 * note is reported with its line and parsing resumes at the next note, so one bad entry does not hide others.
 */
export function parseCheckpointFile(bytes: Buffer | string): { notes: ParsedNote[]; problem?: string } {
  let text: string;
  try {
    text = typeof bytes === 'string' ? bytes : new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { notes: [], problem: '文件不是有效的 UTF-8（not valid UTF-8）' };
  }
  // A stray CR (a file saved with CRLF) or any other control character breaks every line it is on.
  const control = text.replaceAll('\n', ' ').search(/[\u0000-\u001f\u007f]/);
  if (control >= 0) {
    const line = text.slice(0, control).split('\n').length;
    return { notes: [], problem: `第 ${line} 行含控制字符（如回车 CR）：签名笔记只允许换行（control character on line ${line}）` };
  }
  if (text.length > 0 && !text.endsWith('\n')) return { notes: [], problem: '文件不以换行结尾：最后一个检查点不完整（the file does not end in a newline: truncated?）' };
  const lines = text.split('\n');
  lines.pop();
  const notes: ParsedNote[] = [];
  let i = 0;
  while (i < lines.length) {
    if (lines[i] === '') {
      i++;
      continue;
    }
    const start = i;
    const bodyLines: string[] = [];
    while (i < lines.length && lines[i] !== '' && !lines[i]!.startsWith(EM_DASH_PREFIX)) bodyLines.push(lines[i++]!);
    const note: ParsedNote = { index: notes.length + 1, line: start + 1, text: bodyLines.map((l) => `${l}\n`).join(''), bodyLines, signatures: [] };
    notes.push(note);
    const problems: string[] = [];
    if (bodyLines.length === 0) problems.push(`第 ${start + 1} 行：签名行前没有正文（signature line without a note text）`);
    const blankAfterBody = i < lines.length && lines[i] === '';
    if (blankAfterBody) i++;
    else if (bodyLines.length > 0) problems.push(`第 ${i + 1} 行：正文与签名之间缺少空行（no empty line between text and signatures）`);
    const sigStart = i;
    // A line that is not a signature ends the block: it starts the next note (or a malformed one of its own).
    while (i < lines.length && lines[i]!.startsWith(EM_DASH_PREFIX)) {
      const lineNo = i + 1;
      const line = lines[i++]!;
      const signature = parseSignatureLine(line, lineNo);
      if (typeof signature === 'string') problems.push(signature);
      else note.signatures.push(signature);
    }
    if (i === sigStart) problems.push(`第 ${start + 1} 行起的检查点没有签名行（no signature lines）`);
    if (note.signatures.length > MAX_SIGNATURES) problems.push(`签名行超过 ${MAX_SIGNATURES} 条（too many signatures）`);
    if (problems.length > 0) note.malformed = problems[0]!;
  }
  return { notes };
}

function parseSignatureLine(line: string, lineNo: number): NoteSignature | string {
  if (!line.startsWith(EM_DASH_PREFIX)) return `第 ${lineNo} 行：签名区中出现非签名行（expected a signature line "— <name> <base64>"）`;
  const rest = line.slice(EM_DASH_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space <= 0 || rest.indexOf(' ', space + 1) !== -1) return `第 ${lineNo} 行：签名行应为“— 名称 base64”（malformed signature line）`;
  const name = rest.slice(0, space);
  if (!isValidKeyName(name)) return `第 ${lineNo} 行：签名密钥名称不合规（bad key name in signature line）`;
  const bytes = strictBase64(rest.slice(space + 1));
  if (!bytes || bytes.length < 5) return `第 ${lineNo} 行：签名不是有效的 base64，或短于 5 字节（bad signature encoding）`;
  return { name, keyId: bytes.subarray(0, 4), signature: bytes.subarray(4), line: lineNo };
}

export type NoteVerdict =
  | { ok: true }
  | { ok: false; reason: 'malformed' | 'unknown-key' | 'bad-signature'; message: string };

/**
 * signed-note rules: signatures by other keys are ignored; every signature whose name and key id are the
 * expected key's must verify (one failing rejects the note); at least one must be there.
 */
export function verifyNote(note: ParsedNote, key: VerifierKey): NoteVerdict {
  if (note.malformed) return { ok: false, reason: 'malformed', message: note.malformed };
  const id = keyId(key);
  const ours = note.signatures.filter((s) => s.name === key.name && s.keyId.equals(id));
  if (ours.length === 0) {
    const seen = note.signatures.map((s) => `${s.name}+${s.keyId.toString('hex')}`).join('、');
    return {
      ok: false,
      reason: 'unknown-key',
      message: `没有预期密钥 ${key.name}+${id.toString('hex')} 的签名（签名来自 ${seen}）：检查点由别的密钥签发或被伪造（not signed by the expected key）`,
    };
  }
  const provider = providerOf(key.algorithm);
  const message = Buffer.from(note.text, 'utf8');
  for (const signature of ours) {
    if (signature.signature.length !== SIGNATURE_BYTES || !provider.verify(key.publicKey.toString('hex'), message, signature.signature)) {
      return { ok: false, reason: 'bad-signature', message: `第 ${signature.line} 行的签名验证失败：检查点内容或签名被改动（signature does not verify）` };
    }
  }
  return { ok: true };
}

/** The checkpoint in a note's text: exactly origin, size, root (we write no extension lines). */
export function parseCheckpointText(bodyLines: string[]): Checkpoint | string {
  if (bodyLines.length !== 3) return `正文应为 3 行（来源、大小、根哈希），实为 ${bodyLines.length} 行（a checkpoint has exactly 3 lines here）`;
  const [origin, sizeText, rootText] = bodyLines as [string, string, string];
  if (!isValidKeyName(origin)) return `来源行“${origin}”不合规（bad origin line）`;
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText)) return `大小行“${sizeText}”应为不带前导零的十进制数（bad tree size）`;
  const size = BigInt(sizeText);
  if (size > MAX_SIZE) return `大小 ${sizeText} 超出范围（tree size out of range）`;
  const root = strictBase64(rootText);
  if (!root) return `根哈希“${rootText}”不是有效的 base64（bad root hash encoding）`;
  if (root.length !== ROOT_HASH_BYTES) return `根哈希长 ${root.length} 字节，应为 ${ROOT_HASH_BYTES} 字节（root hash has the wrong length）`;
  return { origin, size, root };
}
