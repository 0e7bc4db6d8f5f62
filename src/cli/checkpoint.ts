import fs from 'node:fs/promises';
import { exportCheckpoint, CheckpointRefusedError, verifyCheckpoints } from '../audit/checkpoint.js';
import { defaultCheckpointKeyFile, describeKey, loadOrCreateSigningKey, loadVerifierKey, publicKeyFileOf } from '../audit/checkpoint-key.js';
import { verifierKeyText, type VerifierKey } from '../audit/checkpoint-note.js';
import { verifyChain, type VerifyResult } from '../audit/verify.js';
import { loadConfig } from '../config/env.js';
import { openDatabase } from '../db/open.js';

/** A usage problem: the caller prints it with the usage text and exits 2. */
export class CliUsageError extends Error {}

function parseFlags(args: string[], allowed: string[], command: string): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!allowed.includes(name)) throw new CliUsageError(`${command} 不接受 ${arg}（可用：${allowed.join('、')}）`);
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (!value) throw new CliUsageError(`${name} 需要一个文件路径`);
    if (flags.has(name)) throw new CliUsageError(`${name} 只能给一次`);
    flags.set(name, value);
  }
  return flags;
}

function chainLines(result: VerifyResult): string {
  if (result.ok) {
    return (
      `已校验 ${result.checked} 条审计事件，哈希链完整（${result.algorithm}；链头：第 ${result.head.seq} 号，${result.head.hash}）\n` +
      `verified ${result.checked} events: the chain holds\n`
    );
  }
  const broken = result.firstBreak!;
  return (
    `已校验 ${result.checked} 条审计事件，第 ${broken.seq} 号处断裂（${broken.reason}）：${broken.message}\n` +
    `verified ${result.checked} events: the chain is broken at event ${broken.seq} (${broken.reason})\n`
  );
}

async function readVerifierKey(file: string, explicit: boolean): Promise<VerifierKey> {
  try {
    return await loadVerifierKey(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CliUsageError(
        explicit
          ? `找不到公钥文件 ${file}`
          : `找不到检查点签名密钥 ${file}：用 --public-key 指定签发检查点所用的公钥（.pub 文件或密钥文件）`,
      );
    }
    throw error;
  }
}

/**
 * `rongcuo verify [--checkpoints FILE [--public-key KEYFILE]]`: the chain, and with --checkpoints every signed
 * checkpoint of FILE against it. Exit 0 when everything holds, 1 on any break or mismatch.
 */
export async function runVerify(args: string[]): Promise<number> {
  const flags = parseFlags(args, ['--checkpoints', '--public-key'], 'verify');
  const checkpointsFile = flags.get('--checkpoints');
  if (!checkpointsFile && flags.has('--public-key')) throw new CliUsageError('--public-key 只与 --checkpoints 一起使用');
  const config = loadConfig();
  let key: VerifierKey | undefined;
  let content: Buffer | undefined;
  if (checkpointsFile) {
    const keyFile = flags.get('--public-key');
    key = await readVerifierKey(keyFile ?? defaultCheckpointKeyFile(config), keyFile !== undefined);
    try {
      content = await fs.readFile(checkpointsFile);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new CliUsageError(`找不到检查点文件 ${checkpointsFile}`);
      throw error;
    }
  }

  const database = await openDatabase(config, { attach: true });
  try {
    if (!key || !content) {
      const result = await verifyChain(database.db);
      process.stdout.write(chainLines(result));
      return result.ok ? 0 : 1;
    }
    const result = await verifyCheckpoints(database.db, content, key);
    process.stdout.write(chainLines(result.chain));
    process.stdout.write(
      `检查点文件 ${checkpointsFile}：共 ${result.total} 个检查点，${result.confirmed} 个与数据库一致` +
        `${result.confirmedThrough !== undefined ? `（签名覆盖到第 ${result.confirmedThrough} 号事件）` : ''}；公钥 ${describeKey(key)}\n`,
    );
    for (const problem of result.problems) process.stdout.write(`  ✗ ${problem.message}\n`);
    process.stdout.write(
      result.ok
        ? `checkpoints: ${result.confirmed} of ${result.total} match the chain\n`
        : `checkpoints: ${result.problems.length} problem(s)${result.chain.ok ? '' : ', and the chain itself is broken'}\n`,
    );
    return result.ok ? 0 : 1;
  } finally {
    await database.close();
  }
}

/**
 * `rongcuo checkpoint --out FILE [--key KEYFILE]`: signs a checkpoint of the chain's head and appends it to
 * FILE, creating the signing key on first use. Refuses (exit 1) when the chain or FILE's checkpoints do not hold.
 */
export async function runCheckpoint(args: string[]): Promise<number> {
  const flags = parseFlags(args, ['--out', '--key'], 'checkpoint');
  const out = flags.get('--out');
  if (!out) throw new CliUsageError('checkpoint 需要 --out FILE：检查点追加到的文件（放在数据库以外，最好另存一份到别的机器）');
  const config = loadConfig();
  const keyFile = flags.get('--key') ?? defaultCheckpointKeyFile(config);
  const { key, created } = await loadOrCreateSigningKey(keyFile, config.cryptoProvider);
  if (created) {
    process.stdout.write(
      `已创建检查点签名密钥 ${keyFile}（${key.algorithm === 'sm2' ? 'SM2' : 'Ed25519'}，权限 0600）；公钥 ${publicKeyFileOf(keyFile)}：\n  ${verifierKeyText(key)}\n` +
        '请把公钥另存到本机以外，校验时用 --public-key 指定。\n',
    );
  }
  const database = await openDatabase(config, { attach: true });
  try {
    const exported = await exportCheckpoint(database.db, { file: out, key });
    process.stdout.write(`已签发检查点：第 ${exported.checkpoint.size} 号事件，追加到 ${out}\n${exported.note}`);
    process.stdout.write(`signed a checkpoint at size ${exported.checkpoint.size}, appended to ${out}\n`);
    return 0;
  } catch (error) {
    if (error instanceof CheckpointRefusedError) {
      process.stdout.write(`拒绝签发检查点：${error.message}\n`);
      for (const problem of error.problems.slice(1)) process.stdout.write(`  ✗ ${problem.message}\n`);
      process.stdout.write('refused to sign a checkpoint\n');
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
}
