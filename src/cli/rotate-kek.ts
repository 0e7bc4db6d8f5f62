import { rewrapTotpSecrets, totpKekIdsInUse } from '../access/second-factor/totp.js';
import { loadAppCrypto } from '../crypto/app-crypto.js';
import { addKeyringKey, retireKeyringKeys } from '../crypto/keyring.js';
import type { Config } from '../config/env.js';
import type { Db } from '../db/connect.js';
import { openFileStore } from '../files/open.js';

/**
 * `rongcuo rotate-kek`: adds a new key-encryption key, makes it current and re-wraps every data key under it
 * (files are replaced one by one, atomically; running servers follow the key file within seconds).
 * `rongcuo rotate-kek --retire`: re-wraps anything still under an old key, then removes the keys nothing uses.
 * Sealed values in the database (authenticator secrets) are re-wrapped the same way; `db` is the database
 * holding them (the CLI opens it).
 */
export async function runRotateKek(config: Config, args: string[], out: (line: string) => void, db?: Db): Promise<number> {
  const retire = args.includes('--retire');
  const unknown = args.filter((a) => a !== '--retire');
  if (unknown.length > 0) throw new Error(`rotate-kek 不接受参数 ${unknown.join(' ')}`);
  if (!retire) {
    const keyring = await addKeyringKey(config.keyFile);
    out(`已生成新的密钥加密密钥 ${keyring.currentId}，正在重新封装数据密钥…`);
  }
  const crypto = await loadAppCrypto(config);
  const files = openFileStore(config, crypto);
  const counts = await files.sealAll();
  out(`文件：重新封装 ${counts.rewrapped} 个，新加密 ${counts.sealed} 个，无需处理 ${counts.unchanged} 个`);
  if (db) {
    const secrets = await rewrapTotpSecrets(db, crypto.secrets);
    out(`身份验证器密钥：重新封装 ${secrets.rewrapped} 个，无需处理 ${secrets.unchanged} 个`);
  }
  if (retire) {
    const inUse = await files.kekIdsInUse();
    if (db) for (const id of await totpKekIdsInUse(db, crypto.secrets)) inUse.add(id);
    const retired = await retireKeyringKeys(config.keyFile, [...inUse]);
    out(retired.length > 0 ? `已停用不再使用的密钥：${retired.join(', ')}` : '没有可停用的密钥');
  }
  return 0;
}
