import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { appendEvent } from '../audit/chain.js';
import { systemClock, type Clock } from '../clock.js';
import { loadConfig } from '../config/env.js';
import { loadAppCrypto } from '../crypto/app-crypto.js';
import type { Db } from '../db/connect.js';
import { openDatabase } from '../db/open.js';
import { AppError } from '../errors.js';
import { openFileStore } from '../files/open.js';
import { FileIntegrityError, FileMissingError, type FileStore } from '../files/store.js';
import { prepareCaseFileExport } from './export.js';
import { HEX_256 } from './manifest.js';
import { ZipSourceChangedError } from './zip.js';
import { NotAZipError, verifyCaseFile, type CaseFileVerification } from './verify.js';

export const VERIFY_FILE_USAGE = '用法 / usage: rongcuo verify-file CASE.zip [--hash SHA256]';

export interface VerifyFileIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Opens the configured database (as `rongcuo verify` does); only called without --hash. */
  openDatabase: () => Promise<{ db: Db; close(): Promise<void> }>;
}

const defaultIo: VerifyFileIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  openDatabase: () => openDatabase(loadConfig(), { attach: true }),
};

// Entry names come from the zip, which may be hostile: no control characters or bidi overrides reach the terminal.
const printable = (text: string) =>
  text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * `rongcuo verify-file CASE.zip [--hash SHA256]`: checks an exported case file. With --hash the manifest is
 * checked against that hash and no database is opened; without it, against the database's seal and chain.
 * Exit codes: 0 everything holds, 1 something differs, 2 bad usage or a file that is not a zip.
 */
export async function runVerifyFile(args: string[], io: VerifyFileIo = defaultIo): Promise<number> {
  const usage = (message: string) => {
    io.stderr(`${message}\n${VERIFY_FILE_USAGE}\n`);
    return 2;
  };
  let hash: string | undefined;
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--hash') {
      const value = args[++i];
      if (value === undefined) return usage('--hash 需要清单的 SHA-256 哈希（64 位十六进制）');
      hash = value;
    } else if (arg.startsWith('--hash=')) hash = arg.slice('--hash='.length);
    else if (arg.startsWith('--')) return usage(`未知选项 ${arg}`);
    else paths.push(arg);
  }
  if (paths.length === 0) return usage('请指定要校验的案卷文件（.zip）');
  if (paths.length > 1) return usage('verify-file 只接受一个案卷文件');
  if (hash !== undefined) {
    hash = hash.trim().toLowerCase();
    if (!HEX_256.test(hash)) return usage(`--hash 的值不是 SHA-256 哈希（应为 64 位十六进制）：${printable(hash)}`);
  }
  const file = paths[0]!;
  let zip: Buffer;
  try {
    zip = await fs.readFile(file);
  } catch (error) {
    return usage(`无法读取案卷文件 ${file}：${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }

  let verification: CaseFileVerification;
  try {
    if (hash !== undefined) {
      verification = await verifyCaseFile(zip, { expectedManifestSha256: hash });
    } else {
      const database = await io.openDatabase();
      try {
        verification = await verifyCaseFile(zip, { db: database.db });
      } finally {
        await database.close();
      }
    }
  } catch (error) {
    if (error instanceof NotAZipError) return usage(`${file}：${error.message}`);
    throw error;
  }
  io.stdout(report(verification, file));
  return verification.ok ? 0 : 1;
}

function report(v: CaseFileVerification, file: string): string {
  const against = v.anchor.database ? '数据库中的封存记录及审计链' : '给定的哈希';
  const againstEn = v.anchor.database ? "the database's seal and audit chain" : 'the given hash';
  const caseLabel = v.caseId === null ? '（未知）' : printable(v.caseId);
  file = printable(file);
  if (v.ok) {
    return (
      `案卷校验通过：${file}（案件 ${caseLabel}），清单中的 ${v.checkedItems} 个文件与压缩包逐一相符；清单哈希 ${v.manifestSha256} 与${against}一致\n` +
      `case file OK: ${v.checkedItems} items match the manifest; manifest ${v.manifestSha256} matches ${againstEn}\n`
    );
  }
  const lines = v.problems.map((p) => `  [${p.problem}] ${printable(p.path)}：${printable(p.message)}\n`).join('');
  const summary = v.problems.map((p) => `${p.problem} ${printable(p.path)}`).join('; ');
  return (
    `案卷校验未通过：${file}（案件 ${caseLabel}），发现 ${v.problems.length} 处问题（已核对清单中的 ${v.checkedItems} 个文件）：\n` +
    lines +
    `case file FAILED: ${v.problems.length} problem(s) — ${summary}\n`
  );
}

export const EXPORT_FILE_USAGE = '用法 / usage: rongcuo export-file CASE_ID --out CASE.zip';

export interface ExportFileIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** The configured database and file store, as the server opens them. */
  open: () => Promise<{ db: Db; files: FileStore; close(): Promise<void> }>;
  clock?: Clock;
}

const defaultExportIo: ExportFileIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  open: async () => {
    const config = loadConfig();
    const database = await openDatabase(config, { attach: true });
    try {
      return { db: database.db, files: openFileStore(config, await loadAppCrypto(config)), close: () => database.close() };
    } catch (error) {
      await database.close();
      throw error;
    }
  },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `rongcuo export-file CASE_ID --out CASE.zip`: writes a case's sealed file to disk, as the route sends it —
 * streamed entry by entry, each stored file checked before the first byte and again as it is written. The export
 * is recorded (`case.file-exported`, actor `system`, `via: cli`) before writing. The archive is written under a
 * temporary name and renamed into place when whole: a failure part-way leaves no file at the given path.
 * Exit codes: 0 written; 1 refused (not sealed, a stored file missing or damaged); 2 bad usage.
 */
export async function runExportFile(args: string[], io: ExportFileIo = defaultExportIo): Promise<number> {
  const usage = (message: string) => {
    io.stderr(`${message}\n${EXPORT_FILE_USAGE}\n`);
    return 2;
  };
  let out: string | undefined;
  const ids: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--out') {
      out = args[++i];
      if (out === undefined) return usage('--out 需要输出文件的路径');
    } else if (arg.startsWith('--out=')) out = arg.slice('--out='.length);
    else if (arg.startsWith('--')) return usage(`未知选项 ${printable(arg)}`);
    else ids.push(arg);
  }
  if (ids.length !== 1) return usage('请指定一个案件编号（UUID）');
  const caseId = ids[0]!;
  if (!UUID.test(caseId)) return usage(`案件编号不是 UUID：${printable(caseId)}`);
  if (!out) return usage('请用 --out 指定输出文件（.zip）');
  try {
    if ((await fs.stat(out)).isDirectory()) return usage(`--out 是一个目录：${printable(out)}`);
  } catch {
    // Absent: written below.
  }

  const opened = await io.open();
  const temp = path.join(path.dirname(out), `.${path.basename(out)}.part-${randomBytes(8).toString('hex')}`);
  try {
    let exported;
    try {
      exported = await prepareCaseFileExport(opened.db, caseId, opened.files);
    } catch (error) {
      if (error instanceof AppError || error instanceof FileMissingError || error instanceof FileIntegrityError) {
        io.stderr(`无法导出案件 ${caseId} 的案卷：${error.message}\n`);
        return 1;
      }
      throw error;
    }
    const payload = { size: exported.archiveBytes, items: exported.items, bytes: exported.itemBytes, via: 'cli' };
    await opened.db.transaction().execute((tx) => appendEvent(tx, { type: 'case.file-exported', actor: 'system', caseId, payload }, io.clock ?? systemClock));
    try {
      await pipeline(exported.stream(), createWriteStream(temp, { flags: 'wx', mode: 0o600 }));
      await fs.rename(temp, out);
    } catch (error) {
      await fs.unlink(temp).catch(() => undefined);
      if (error instanceof FileMissingError || error instanceof FileIntegrityError || error instanceof ZipSourceChangedError) {
        io.stderr(`案卷导出中断，未写出文件：${(error as Error).message}\n`);
        return 1;
      }
      throw error;
    }
    io.stdout(
      `已导出案件 ${caseId} 的案卷：${printable(out)}（${exported.items} 个文件，共 ${exported.archiveBytes} 字节）\n` +
        `case file written: ${exported.items} items, ${exported.archiveBytes} bytes\n`,
    );
    return 0;
  } finally {
    await opened.close();
  }
}
