import fs from 'node:fs/promises';
import path from 'node:path';
import { runExportFile, runVerifyFile } from '../casefile/cli.js';
import { systemClock } from '../clock.js';
import { loadConfig } from '../config/env.js';
import { providerFor } from '../crypto/index.js';
import { migrate } from '../db/migrate.js';
import { openDatabase } from '../db/open.js';
import { seedDemo } from '../db/seed-demo.js';
import { openFileStore } from '../files/open.js';
import { loadAppCrypto } from '../crypto/app-crypto.js';
import { assess } from '../policy/index.js';
import { PolicyInputError } from '../policy/errors.js';
import { demoLoginsText, startServer } from '../server.js';
import { CliUsageError, runCheckpoint, runVerify } from './checkpoint.js';
import { runBackup, runRestore } from './backup.js';
import { runRotateKek } from './rotate-kek.js';
import { runSweepFiles } from './sweep-files.js';

/** Exit codes: 0 success, 1 a check failed (e.g. a broken chain), 2 bad usage or bad input. */
const USAGE = `用法 / usage: rongcuo <命令>

  serve                           启动服务（默认使用内置 PostgreSQL；设置 DATABASE_URL 则连接该服务器）
  migrate                         执行数据库迁移
  seed-demo                       向没有任何用户的数据库写入演示数据（组织、干部、各角色账号、案件），并列出演示账号
  verify [--checkpoints FILE [--public-key KEYFILE]]
                                  校验审计哈希链，报告校验的事件数和第一处断裂；有 --checkpoints 时再逐一核对 FILE 中的签名检查点
                                  （签名、来源、大小不超过链长、该位置的链哈希等于签名的根哈希），能发现检查点之前的改写、删除、重排和截短
  checkpoint --out FILE [--key KEYFILE]
                                  为审计链当前链头签发检查点（C2SP tlog-checkpoint 格式）并追加到 FILE；首次使用时创建签名密钥
                                  （默认 RONGCUO_DATA/keys/checkpoint-signing.json，公钥在同目录 .pub）
  export-file CASE_ID --out FILE.zip
                                  导出已封存的案卷（.zip，含清单），边读边写，不整份载入内存；写完后才以 FILE.zip 出现，并记入审计链
  verify-file CASE.zip [--hash SHA256]
                                  校验导出的案卷：逐一核对文件与清单，并核对清单哈希（有 --hash 时离线核对该哈希，否则核对数据库中的封存记录和审计链），列出不符的文件
  assess [--policy ID] [FILE|-]   按政策包研判一份输入（JSON，来自文件或标准输入），输出建议 JSON
  rotate-kek [--retire]           轮换密钥加密密钥：生成新密钥并重新封装全部数据密钥（文件和数据库中加密的个人信息，不停机）；--retire 停用不再使用的旧密钥
  backup FILE|DIR                 备份：数据库（同一快照中的全部表）和全部文件写入一个加密、防篡改的备份文件；恢复需要密钥文件（不在备份中）
  restore FILE                    恢复备份到空数据库（不覆盖已有数据）：按备份的迁移重建结构，导入数据和文件，核对行数、内容哈希、审计链和文件哈希
  sweep-files [--grace-minutes=N] [--dry-run]
                                  清理文件存储：删除数据库中没有任何记录引用、且超过 N 分钟（默认 60）的文件和残留的临时文件（可在服务运行时执行；
                                  服务停止时可用 0）；--dry-run 只统计，不删除

环境变量：HOST（默认 127.0.0.1）、PORT（默认 3000）、RONGCUO_DATA（默认 ./data）、DATABASE_URL、LOG_LEVEL、
          RONGCUO_CRYPTO（gm 默认 / intl）、RONGCUO_KEK_FILE（默认 RONGCUO_DATA/keys/kek.json）、
          RONGCUO_CHECKPOINT_KEY（默认 RONGCUO_DATA/keys/checkpoint-signing.json）、
          RONGCUO_CHECKPOINT_FILE（设置后服务定期向该文件追加签名检查点）、RONGCUO_CHECKPOINT_INTERVAL_MINUTES（默认 60）`;

class UsageError extends Error {}

async function readInput(source: string | undefined): Promise<string> {
  if (source === undefined || source === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  return fs.readFile(source, 'utf8');
}

async function runAssess(args: string[]): Promise<number> {
  let policy: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--policy') {
      policy = args[++i];
      if (!policy) throw new UsageError('--policy 需要一个政策包标识，例如 --policy bj-2020');
    } else if (arg.startsWith('--policy=')) policy = arg.slice('--policy='.length);
    else if (arg.startsWith('--') ) throw new UsageError(`未知选项 ${arg}`);
    else files.push(arg);
  }
  if (files.length > 1) throw new UsageError('assess 只接受一个输入文件');
  let raw: unknown;
  try {
    raw = JSON.parse(await readInput(files[0]));
  } catch (error) {
    const problem = {
      code: 'INVALID_JSON',
      key: files[0] ?? '-',
      message: `输入不是有效的 JSON：${(error as Error).message}`,
      messageEn: `input is not valid JSON: ${(error as Error).message}`,
    };
    process.stderr.write(`${JSON.stringify({ error: problem }, null, 2)}\n`);
    return 2;
  }
  try {
    const output = assess(raw, policy ? { policy } : {});
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof PolicyInputError) {
      process.stderr.write(`${JSON.stringify({ error: error.toJSON() }, null, 2)}\n`);
      return 2;
    }
    throw error;
  }
}

async function runMigrate(): Promise<number> {
  const config = loadConfig();
  const database = await openDatabase(config, { attach: true });
  try {
    const applied = await migrate(database.pool, undefined, { chainAlgorithm: providerFor(config.cryptoProvider).hashAlgorithm });
    process.stdout.write(applied.length ? `已执行迁移：${applied.join(', ')}\n` : '数据库已是最新结构\n');
    return 0;
  } finally {
    await database.close();
  }
}

/** Seeds the demo into a database without users; a database that has any is left alone (exit 0 either way). */
async function runSeedDemo(): Promise<number> {
  const config = loadConfig();
  const database = await openDatabase(config, { attach: true });
  try {
    await migrate(database.pool, undefined, { chainAlgorithm: providerFor(config.cryptoProvider).hashAlgorithm });
    // The server's cryptography: the demo officials' identifiers are sealed under the keyring the server will use.
    const crypto = await loadAppCrypto(config);
    if (await seedDemo(database.db, systemClock, openFileStore(config, crypto), crypto)) {
      process.stdout.write(`已写入演示数据。演示账号（用户名 / 密码）：\n${demoLoginsText()}\n`);
    } else {
      process.stdout.write('数据库中已有用户数据，未写入演示数据。\n');
    }
    return 0;
  } finally {
    await database.close();
  }
}

async function runServe(): Promise<number> {
  const server = await startServer(loadConfig());
  process.stdout.write(`\n容错纠错工作平台已启动：${server.url}\n`);
  if (server.database.embedded) process.stdout.write(`演示账号（用户名 / 密码）：\n${demoLoginsText()}\n`);
  process.stdout.write('按 Ctrl+C 停止。\n\n');
  await new Promise<void>((resolve) => {
    const shutdown = () => {
      process.off('SIGTERM', shutdown);
      process.off('SIGINT', shutdown);
      server.stop().then(resolve, (error: unknown) => {
        process.stderr.write(`停止时出错：${String(error)}\n`);
        resolve();
      });
    };
    process.on('SIGTERM', shutdown);
    process.on('SIGINT', shutdown);
  });
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await runServe();
      case 'migrate':
        return await runMigrate();
      case 'seed-demo':
        return await runSeedDemo();
      case 'verify':
        return await runVerify(rest);
      case 'checkpoint':
        return await runCheckpoint(rest);
      case 'export-file':
        return await runExportFile(rest);
      case 'verify-file':
        return await runVerifyFile(rest);
      case 'assess':
        return await runAssess(rest);
      case 'rotate-kek': {
        const config = loadConfig();
        // The sealed values in the database are re-wrapped too (beside a running server: attach).
        return await runRotateKek(config, rest, (line) => process.stdout.write(`${line}\n`), { database: () => openDatabase(config, { attach: true }) });
      }
      case 'backup':
        return await runBackup(loadConfig(), rest);
      case 'restore':
        return await runRestore(loadConfig(), rest);
      case 'sweep-files': {
        const config = loadConfig();
        // Beside a running server: attach to its database.
        return await runSweepFiles(config, rest, (line) => process.stdout.write(`${line}\n`), { database: () => openDatabase(config, { attach: true }) });
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`未知命令 ${command}`);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof CliUsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
