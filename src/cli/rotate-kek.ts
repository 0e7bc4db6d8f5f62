import { loadAppCrypto } from '../crypto/app-crypto.js';
import { addKeyringKey, retireKeyringKeys } from '../crypto/keyring.js';
import type { Config } from '../config/env.js';
import type { Db } from '../db/connect.js';
import { openFileStore } from '../files/open.js';
import { rewrapSealedValues, sealedValueKekIds } from '../privacy/sealed-values.js';

export interface RotateKekOptions {
  /**
   * The database whose sealed values (src/privacy/sealed-values.ts: officials' identifiers, SMTP passwords, TOTP
   * secrets) are re-wrapped too, and whose keys `--retire` keeps.
   * The CLI always opens it; without it only the files are handled.
   */
  database?: () => Promise<{ db: Db; close(): Promise<void> }>;
}

/**
 * `rongcuo rotate-kek`: adds a new key-encryption key, makes it current and re-wraps every data key under it
 * (files are replaced one by one, atomically; sealed values in the database row by row; running servers follow
 * the key file within seconds).
 * `rongcuo rotate-kek --retire`: re-wraps anything still under an old key, then removes the keys nothing uses —
 * neither a file nor a sealed value in the database.
 */
export async function runRotateKek(config: Config, args: string[], out: (line: string) => void, options: RotateKekOptions = {}): Promise<number> {
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
  const database = options.database ? await options.database() : undefined;
  try {
    if (database) {
      for (const count of await rewrapSealedValues(database.db, crypto.secrets)) {
        out(`数据库中的${count.label}：重新封装 ${count.rewrapped} 项，无需处理 ${count.unchanged} 项`);
      }
    }
    if (retire) {
      const inUse = new Set([
        ...(await files.kekIdsInUse()),
        ...(database ? await sealedValueKekIds(database.db, crypto.secrets) : []),
      ]);
      const retired = await retireKeyringKeys(config.keyFile, [...inUse]);
      out(retired.length > 0 ? `已停用不再使用的密钥：${retired.join(', ')}` : '没有可停用的密钥');
    }
  } finally {
    await database?.close();
  }
  return 0;
}
