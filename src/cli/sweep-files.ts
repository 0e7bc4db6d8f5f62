import type { Clock } from '../clock.js';
import type { Config } from '../config/env.js';
import type { Db } from '../db/connect.js';
import { fileStoreRoot } from '../files/open.js';
import { LocalFileStore } from '../files/store.js';
import { DEFAULT_GRACE_MINUTES, sweepOrphanFiles } from '../files/sweep.js';
import { CliUsageError } from './checkpoint.js';

export interface SweepFilesOptions {
  /** The database whose `files` rows name the stored files (the CLI opens the server's, beside it). */
  database: () => Promise<{ db: Db; close(): Promise<void> }>;
  clock?: Clock;
}

/**
 * `rongcuo sweep-files [--grace-minutes=N] [--dry-run]`: removes stored files no database row names and older
 * than N minutes (default 60), and temporary files of interrupted writes (src/files/sweep.ts). Safe beside a
 * running server. Prints one line of counts, never a file's content or a row's.
 * Exit codes: 0 done; 1 refused (the database names no file at all, or a long transaction held the lock);
 * 2 bad usage.
 */
export async function runSweepFiles(config: Config, args: string[], out: (line: string) => void, options: SweepFilesOptions): Promise<number> {
  const { graceMinutes, dryRun } = parseArgs(args);
  // No cipher: the sweep reads names and times, never content, so it needs no key (and creates none).
  const files = new LocalFileStore(fileStoreRoot(config));
  const database = await options.database();
  try {
    const result = await sweepOrphanFiles({ db: database.db, files, graceMinutes, dryRun, ...(options.clock ? { clock: options.clock } : {}) });
    const counts =
      `检查 ${result.examined} 个文件，${result.referenced} 个有记录引用；` +
      `${dryRun ? '可删除' : '删除'}无记录引用的文件 ${result.removed} 个，保留未满 ${graceMinutes} 分钟的 ${result.kept} 个；` +
      `${dryRun ? '可删除' : '删除'}残留临时文件 ${result.temporary} 个`;
    out(dryRun ? `试运行，未删除任何文件：${counts}` : `已清理文件存储：${counts}`);
    return 0;
  } finally {
    await database.close();
  }
}

function parseArgs(args: string[]): { graceMinutes: number; dryRun: boolean } {
  let graceMinutes = DEFAULT_GRACE_MINUTES;
  let grace: string | undefined;
  let dryRun = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--dry-run') dryRun = true;
    else if (arg === '--grace-minutes') grace = args[++i] ?? '';
    else if (arg.startsWith('--grace-minutes=')) grace = arg.slice('--grace-minutes='.length);
    else throw new CliUsageError(`sweep-files 不接受 ${arg}（可用：--grace-minutes=N、--dry-run）`);
  }
  if (grace !== undefined) {
    if (!/^\d+$/.test(grace)) throw new CliUsageError('--grace-minutes 需要一个不小于 0 的整数（分钟）');
    graceMinutes = Number(grace);
  }
  return { graceMinutes, dryRun };
}
