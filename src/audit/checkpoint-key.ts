import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ProviderName } from '../crypto/index.js';
import {
  checkPublicKey,
  keyId,
  parseVerifierKey,
  providerOf,
  verifierKeyText,
  type SignatureAlgorithm,
  type SignerKey,
  type VerifierKey,
} from './checkpoint-note.js';

/**
 * The checkpoint signing key lives outside the database, in a file of its own (mode 0600, in a directory of
 * mode 0700), created on first use with the signature scheme of the configured provider (gm → SM2,
 * intl → Ed25519) and kept thereafter. Beside it, `<name>.pub` holds the verifier key (not secret): copy it off
 * the machine with the checkpoints, so a verifier does not have to trust the machine that signed them.
 */
export const KEY_FILE_FORMAT = 'rongcuo-checkpoint-key/1';

interface KeyFileContent {
  format: typeof KEY_FILE_FORMAT;
  /** Key name and the checkpoints' origin. */
  name: string;
  algorithm: SignatureAlgorithm;
  publicKey: string;
  privateKey: string;
  vkey: string;
  createdAt: string;
}

export function defaultCheckpointKeyFile(config: { checkpointKeyFile: string }): string {
  return config.checkpointKeyFile;
}

export function publicKeyFileOf(keyFile: string): string {
  return keyFile.endsWith('.json') ? `${keyFile.slice(0, -'.json'.length)}.pub` : `${keyFile}.pub`;
}

/** Loads the signing key, or creates it (and its .pub) when the file does not exist yet. */
export async function loadOrCreateSigningKey(file: string, provider: ProviderName): Promise<{ key: SignerKey; created: boolean }> {
  try {
    return { key: await loadSigningKey(file), created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const algorithm: SignatureAlgorithm = provider === 'gm' ? 'sm2' : 'ed25519';
  const pair = providerOf(algorithm).generateSigningKeyPair();
  // Unique per key, so checkpoints of two installations never share an origin.
  const key: SignerKey = {
    name: `rongcuo/audit-chain/${randomBytes(8).toString('hex')}`,
    algorithm,
    publicKey: Buffer.from(pair.publicKey, 'hex'),
    privateKey: pair.privateKey,
  };
  const content: KeyFileContent = {
    format: KEY_FILE_FORMAT,
    name: key.name,
    algorithm,
    publicKey: pair.publicKey,
    privateKey: pair.privateKey,
    vkey: verifierKeyText(key),
    createdAt: new Date().toISOString(),
  };
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    // 'wx': two processes creating the key at once must not overwrite each other's; the loser reads the winner's.
    await fs.writeFile(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { key: await loadSigningKey(file), created: false };
    throw error;
  }
  await fs.writeFile(publicKeyFileOf(file), `${content.vkey}\n`, { mode: 0o644 });
  return { key, created: true };
}

export async function loadSigningKey(file: string): Promise<SignerKey> {
  const handle = await fs.open(file, 'r');
  let raw: string;
  try {
    const stat = await handle.stat();
    // Like ssh with its private keys: a signing key others can read is no longer only ours.
    if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
      throw new Error(`检查点签名密钥文件 ${file} 可被其他用户读取（权限 ${(stat.mode & 0o777).toString(8)}），请执行 chmod 600（the key file must be mode 0600）`);
    }
    raw = await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
  const content = parseKeyFile(raw, file);
  if (typeof content.privateKey !== 'string' || !/^[0-9a-f]+$/i.test(content.privateKey)) {
    throw new Error(`检查点签名密钥文件 ${file} 缺少私钥（no private key in the key file）`);
  }
  const key: SignerKey = { ...verifierOf(content, file), privateKey: content.privateKey };
  // A pair that does not match would sign checkpoints nobody can verify: find out now, not at verification.
  const probe = Buffer.from(`${key.name} key check`, 'utf8');
  const provider = providerOf(key.algorithm);
  if (!provider.verify(key.publicKey.toString('hex'), probe, provider.sign(key.privateKey, probe))) {
    throw new Error(`检查点签名密钥文件 ${file} 中的公钥与私钥不配对（the key pair does not match）`);
  }
  return key;
}

/**
 * The public key to verify checkpoints with: a verifier key line (`<name>+<id>+<base64>`, the .pub file) or a
 * key file (only its public part is used).
 */
export async function loadVerifierKey(file: string): Promise<VerifierKey> {
  const raw = await fs.readFile(file, 'utf8');
  if (raw.trimStart().startsWith('{')) return verifierOf(parseKeyFile(raw, file), file);
  try {
    return parseVerifierKey(raw);
  } catch (error) {
    throw new Error(`公钥文件 ${file} 无效：${(error as Error).message}`);
  }
}

function parseKeyFile(raw: string, file: string): Partial<KeyFileContent> {
  let content: unknown;
  try {
    content = JSON.parse(raw);
  } catch {
    throw new Error(`密钥文件 ${file} 不是有效的 JSON（the key file is not JSON）`);
  }
  if (typeof content !== 'object' || content === null || (content as { format?: unknown }).format !== KEY_FILE_FORMAT) {
    throw new Error(`密钥文件 ${file} 不是检查点签名密钥（format is not ${KEY_FILE_FORMAT}）`);
  }
  return content as Partial<KeyFileContent>;
}

function verifierOf(content: Partial<KeyFileContent>, file: string): VerifierKey {
  const { name, algorithm, publicKey } = content;
  if (typeof name !== 'string' || (algorithm !== 'sm2' && algorithm !== 'ed25519') || typeof publicKey !== 'string' || !/^[0-9a-f]+$/i.test(publicKey)) {
    throw new Error(`密钥文件 ${file} 缺少 name、algorithm（sm2 或 ed25519）或 publicKey（incomplete key file）`);
  }
  const key: VerifierKey = { name, algorithm, publicKey: Buffer.from(publicKey, 'hex') };
  try {
    checkPublicKey(key);
  } catch (error) {
    throw new Error(`密钥文件 ${file} 无效：${(error as Error).message}`);
  }
  return key;
}

export function describeKey(key: VerifierKey): string {
  return `${key.name}+${keyId(key).toString('hex')}（${key.algorithm === 'sm2' ? 'SM2' : 'Ed25519'}）`;
}
