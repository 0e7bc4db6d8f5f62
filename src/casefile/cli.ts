import fs from 'node:fs/promises';
import { loadConfig } from '../config/env.js';
import type { Db } from '../db/connect.js';
import { openDatabase } from '../db/open.js';
import { HEX_256 } from './manifest.js';
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
