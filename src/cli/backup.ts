import { stat } from 'node:fs/promises';
import path from 'node:path';
import { createBackup } from '../backup/backup.js';
import { BackupCheckError, BackupInputError } from '../backup/errors.js';
import { restoreBackup } from '../backup/restore.js';
import type { Config } from '../config/env.js';
import { loadAppCrypto } from '../crypto/app-crypto.js';
import { openDatabase } from '../db/open.js';
import { openFileStore } from '../files/open.js';

export const BACKUP_USAGE = '用法 / usage: rongcuo backup FILE|DIR';
export const RESTORE_USAGE = '用法 / usage: rongcuo restore FILE';

export interface BackupIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

const defaultIo: BackupIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};

const CIPHERS = { gm: 'SM4-CTR + HMAC-SM3', intl: 'AES-256-GCM' } as const;

/**
 * `rongcuo backup FILE|DIR`: a consistent, encrypted backup of the database and its files (src/backup/backup.ts).
 * A directory gets a new file named after the time; an existing file is never overwritten.
 * Exit codes: 0 written and the audit chain verified; 1 a check failed (a file missing from the store, or the
 * chain broken at the source: the archive is then still written, as evidence); 2 bad usage or input.
 */
export async function runBackup(config: Config, args: string[], io: BackupIo = defaultIo): Promise<number> {
  const usage = (message: string) => {
    io.stderr(`${message}\n${BACKUP_USAGE}`);
    return 2;
  };
  if (args.includes('-h') || args.includes('--help')) {
    io.stdout(BACKUP_USAGE);
    return 0;
  }
  const unknown = args.find((arg) => arg.startsWith('-'));
  if (unknown) return usage(`未知选项 ${unknown}`);
  if (args.length !== 1) return usage(args.length === 0 ? '请指定备份文件的路径（或一个目录）' : 'backup 只接受一个路径');

  let target = path.resolve(args[0]!);
  const existing = await stat(target).catch(() => undefined);
  if (existing?.isDirectory()) target = path.join(target, `rongcuo-backup-${timestamp(new Date())}.rcbak`);
  else if (existing) return usage(`备份文件 ${target} 已存在，不会覆盖`);
  if (!(await stat(path.dirname(target)).catch(() => undefined))?.isDirectory()) return usage(`目录 ${path.dirname(target)} 不存在`);
  if (!(await keyFileExists(config.keyFile))) {
    return usage(`找不到密钥文件 ${config.keyFile}：数据库中的密文和文件都由它封装，没有它无法备份（可用 RONGCUO_KEK_FILE 指定）`);
  }

  return handled(io, async () => {
    const crypto = await loadAppCrypto(config);
    const database = await openDatabase(config, { attach: true });
    try {
      const result = await createBackup({ db: database.db, files: openFileStore(config, crypto), crypto, target });
      const { manifest } = result;
      const rows = manifest.tables.reduce((sum, table) => sum + table.rows, 0);
      const fileBytes = manifest.files.reduce((sum, file) => sum + file.size, 0);
      io.stdout(`已备份到 ${result.file}（${formatBytes(result.bytes)}）`);
      io.stdout(`  数据库：${manifest.tables.length} 张表，共 ${rows} 行，取自同一快照；结构版本 ${manifest.migrations.at(-1)?.name ?? '—'}`);
      io.stdout(`  文件：${manifest.files.length} 个，共 ${formatBytes(fileBytes)}`);
      io.stdout(`  审计链：链头第 ${manifest.chain.seq} 号，${manifest.chain.hash}（${manifest.chain.algorithm}）`);
      io.stdout(`  加密：${result.header.provider}（${CIPHERS[result.header.provider]}），备份的数据密钥由密钥加密密钥 ${result.header.kekId} 封装`);
      io.stdout(`恢复时需要密钥文件 ${config.keyFile}：它不在备份中，请另行妥善保管；轮换密钥（rotate-kek --retire）之后，仍须保留含 ${result.header.kekId} 的旧密钥文件副本，否则这份备份无法恢复。`);
      if (!manifest.chain.verified) {
        io.stderr(`警告：备份时审计链未通过校验（第 ${manifest.chain.firstBreak?.seq ?? '?'} 号处断裂，${manifest.chain.firstBreak?.reason ?? ''}）。备份已保存作为证据，但 rongcuo restore 不会恢复断裂的审计链。`);
        return 1;
      }
      return 0;
    } finally {
      await database.close();
    }
  });
}

/**
 * `rongcuo restore FILE`: into an empty database only (src/backup/restore.ts); there is no --force.
 * Exit codes: 0 restored and every check held; 1 a check failed (archive altered or cut, target not empty,
 * restored data differs; nothing committed); 2 bad usage or input (no such file, not an archive, no key file).
 */
export async function runRestore(config: Config, args: string[], io: BackupIo = defaultIo): Promise<number> {
  const usage = (message: string) => {
    io.stderr(`${message}\n${RESTORE_USAGE}`);
    return 2;
  };
  if (args.includes('-h') || args.includes('--help')) {
    io.stdout(RESTORE_USAGE);
    return 0;
  }
  if (args.includes('--force')) return usage('不提供 --force：恢复只写入空数据库，从不覆盖或合并已有数据');
  const unknown = args.find((arg) => arg.startsWith('-'));
  if (unknown) return usage(`未知选项 ${unknown}`);
  if (args.length !== 1) return usage(args.length === 0 ? '请指定要恢复的备份文件' : 'restore 只接受一个备份文件');
  const file = path.resolve(args[0]!);
  if (!(await stat(file).catch(() => undefined))?.isFile()) return usage(`找不到备份文件 ${file}`);
  // Never let loadAppCrypto create a fresh key here: a new key opens nothing in the archive.
  if (!(await keyFileExists(config.keyFile))) {
    return usage(`找不到密钥文件 ${config.keyFile}：备份由它封装，恢复需要备份时的密钥文件（它不在备份中；可用 RONGCUO_KEK_FILE 指定）`);
  }

  return handled(io, async () => {
    const crypto = await loadAppCrypto(config);
    const database = await openDatabase(config, { attach: true });
    try {
      const result = await restoreBackup({
        db: database.db,
        pool: database.pool,
        files: openFileStore(config, crypto),
        crypto,
        file,
        keyFile: config.keyFile,
      });
      const { manifest } = result;
      io.stdout(`已从 ${file} 恢复（备份时间 ${manifest.createdAt}）`);
      io.stdout(`  结构：按备份记录的 ${manifest.migrations.length} 个迁移重建（本次执行 ${result.migrated.length} 个），版本 ${manifest.migrations.at(-1)?.name ?? '—'}`);
      io.stdout(`  数据库：${manifest.tables.length} 张表，共 ${result.rows} 行；每张表的行数和内容哈希均与清单一致`);
      io.stdout(`  文件：${manifest.files.length} 个，共 ${formatBytes(result.fileBytes)}；逐一读回，哈希一致`);
      io.stdout(`  审计链：校验 ${result.chain.checked} 条事件，链完整，链头第 ${result.chain.head.seq} 号与备份一致`);
      io.stdout('如本程序的版本比备份新，请运行 rongcuo migrate（或直接启动服务）升级结构。');
      return 0;
    } finally {
      await database.close();
    }
  });
}

async function handled(io: BackupIo, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof BackupInputError || error instanceof BackupCheckError) {
      io.stderr(`${error.message}\n(${error.messageEn})`);
      return error instanceof BackupInputError ? 2 : 1;
    }
    throw error;
  }
}

async function keyFileExists(file: string): Promise<boolean> {
  return (await stat(file).catch(() => undefined))?.isFile() ?? false;
}

const timestamp = (at: Date) => at.toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '').replaceAll('-', '');

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} 字节`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}
