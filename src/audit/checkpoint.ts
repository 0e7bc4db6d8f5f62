import fs from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/connect.js';
import { GENESIS_HASH } from './chain.js';
import {
  keyId,
  parseCheckpointFile,
  parseCheckpointText,
  signCheckpoint,
  verifyNote,
  type Checkpoint,
  type SignerKey,
  type VerifierKey,
} from './checkpoint-note.js';
import { verifyChain, type VerifyResult } from './verify.js';

/**
 * Signed checkpoints pin the audit chain down from outside the database. The chain alone proves nothing
 * against someone who can write the table directly (a database superuser): they can change an event and
 * recompute every hash after it, and `verifyChain` finds a perfect chain. A checkpoint of size N records the
 * entry hash of event N, signed with a key the database never sees; any rewrite, deletion, reordering or
 * truncation at or before N changes that hash (or removes event N), and the checkpoint no longer matches.
 * The gap: events after the last exported checkpoint. Export often, and copy the file off the machine.
 */
export type CheckpointProblemReason =
  | 'no-checkpoints'
  | 'malformed'
  | 'unknown-key'
  | 'bad-signature'
  | 'wrong-origin'
  | 'fork'
  | 'went-back'
  | 'beyond-end'
  | 'root-mismatch'
  | 'unconfirmed';

export interface CheckpointProblem {
  /** 1-based position of the checkpoint in the file (0 for the file as a whole). */
  index: number;
  /** 1-based line where the checkpoint starts. */
  line: number;
  size?: string;
  reason: CheckpointProblemReason;
  message: string;
}

export interface VerifiedCheckpoint extends Checkpoint {
  index: number;
  line: number;
}

export interface CheckpointFileResult {
  /** Checkpoints whose signature, origin and format hold, in file order. */
  valid: VerifiedCheckpoint[];
  problems: CheckpointProblem[];
  total: number;
}

function label(index: number, line: number): string {
  return `第 ${index} 个检查点（第 ${line} 行）`;
}

/**
 * Everything about a checkpoint file that needs no database: format, signatures by the expected key, origin,
 * and the checkpoints' consistency with each other (a log never signs two different roots for one size, and
 * a later checkpoint never covers less than an earlier one).
 */
export function checkCheckpointFile(content: Buffer | string, key: VerifierKey): CheckpointFileResult {
  const parsed = parseCheckpointFile(content);
  const problems: CheckpointProblem[] = [];
  const valid: VerifiedCheckpoint[] = [];
  if (parsed.problem) problems.push({ index: 0, line: 0, reason: 'malformed', message: `检查点文件无效：${parsed.problem}` });
  else if (parsed.notes.length === 0) {
    problems.push({ index: 0, line: 0, reason: 'no-checkpoints', message: '检查点文件中没有检查点：文件被清空或给错了文件（the file holds no checkpoint）' });
  }
  for (const note of parsed.notes) {
    const where = label(note.index, note.line);
    const verdict = verifyNote(note, key);
    if (!verdict.ok) {
      problems.push({ index: note.index, line: note.line, reason: verdict.reason, message: `${where}：${verdict.message}` });
      continue;
    }
    // The text is trusted only now that the signature holds.
    const checkpoint = parseCheckpointText(note.bodyLines);
    if (typeof checkpoint === 'string') {
      problems.push({ index: note.index, line: note.line, reason: 'malformed', message: `${where}：${checkpoint}` });
      continue;
    }
    const size = checkpoint.size.toString();
    if (checkpoint.origin !== key.name) {
      problems.push({
        index: note.index,
        line: note.line,
        size,
        reason: 'wrong-origin',
        message: `${where}：来源“${checkpoint.origin}”不是本审计链的“${key.name}”：这是另一条日志的检查点（checkpoint of another log）`,
      });
      continue;
    }
    const same = valid.find((earlier) => earlier.size === checkpoint.size && !earlier.root.equals(checkpoint.root));
    if (same) {
      problems.push({
        index: note.index,
        line: note.line,
        size,
        reason: 'fork',
        message: `${where}：与${label(same.index, same.line)}大小同为 ${size}，根哈希却不同：同一位置签发了两种历史（two roots for one size: a forked log）`,
      });
      continue;
    }
    const larger = valid.find((earlier) => earlier.size > checkpoint.size);
    if (larger) {
      problems.push({
        index: note.index,
        line: note.line,
        size,
        reason: 'went-back',
        message: `${where}：大小 ${size} 小于在它之前的${label(larger.index, larger.line)}（${larger.size}）：检查点被重排，或链变短后又签发（a later checkpoint covers less）`,
      });
      continue;
    }
    valid.push({ ...checkpoint, index: note.index, line: note.line });
  }
  return { valid, problems, total: parsed.notes.length };
}

export interface CheckpointVerifyResult {
  ok: boolean;
  chain: VerifyResult;
  /** Checkpoints in the file, well-formed or not. */
  total: number;
  /** Checkpoints that matched the database. */
  confirmed: number;
  /** The largest confirmed size: the chain up to here is what was signed. */
  confirmedThrough?: string;
  problems: CheckpointProblem[];
}

/**
 * Verifies the chain as `verifyChain` does and every checkpoint of the file against it: signed by the expected
 * key, size not beyond the chain's end, and the entry hash of event `size` — reached by recomputing every link
 * from the genesis hash — equal to the signed root.
 */
export async function verifyCheckpoints(db: Db, content: Buffer | string, key: VerifierKey): Promise<CheckpointVerifyResult> {
  const file = checkCheckpointFile(content, key);
  const wanted = new Set(file.valid.map((c) => c.size));
  const reached = new Map<bigint, Buffer>([[0n, GENESIS_HASH]]);
  const chain = await verifyChain(db, {
    onVerified: (seq, hash) => {
      if (wanted.has(seq)) reached.set(seq, hash);
    },
  });
  const problems = [...file.problems];
  const length = BigInt(chain.head.seq);
  // With a break, only the events before it are known to link from the genesis hash.
  const verifiedThrough = chain.ok ? length : BigInt(chain.checked);
  let confirmed = 0;
  let confirmedThrough: bigint | undefined;
  for (const checkpoint of file.valid) {
    const where = label(checkpoint.index, checkpoint.line);
    const size = checkpoint.size.toString();
    const base = { index: checkpoint.index, line: checkpoint.line, size };
    if (checkpoint.size > length) {
      problems.push({
        ...base,
        reason: 'beyond-end',
        message: `${where}：签发时链已有 ${size} 条事件，数据库中的链却只有 ${length} 条：第 ${length + 1n}–${size} 号事件被删除（链被截短），或这是另一个数据库的检查点（the chain ends before this checkpoint: truncated）`,
      });
    } else if (checkpoint.size > verifiedThrough) {
      problems.push({
        ...base,
        reason: 'unconfirmed',
        message: `${where}：链在第 ${chain.firstBreak!.seq} 号事件处先已断裂，无法核对到第 ${size} 号（the chain breaks before this checkpoint）`,
      });
    } else if (!reached.get(checkpoint.size)!.equals(checkpoint.root)) {
      problems.push({
        ...base,
        reason: 'root-mismatch',
        message: `${where}：第 ${size} 号事件的链哈希 ${reached.get(checkpoint.size)!.toString('base64')} 与签名的 ${checkpoint.root.toString('base64')} 不符：第 1–${size} 号事件中有事件被改写、删除、插入或调换后重算了哈希（history up to ${size} was rewritten）`,
      });
    } else {
      confirmed++;
      if (confirmedThrough === undefined || checkpoint.size > confirmedThrough) confirmedThrough = checkpoint.size;
    }
  }
  problems.sort((a, b) => a.index - b.index);
  return {
    ok: chain.ok && problems.length === 0,
    chain,
    total: file.total,
    confirmed,
    ...(confirmedThrough !== undefined ? { confirmedThrough: confirmedThrough.toString() } : {}),
    problems,
  };
}

export class CheckpointRefusedError extends Error {
  constructor(
    message: string,
    readonly problems: CheckpointProblem[] = [],
  ) {
    super(message);
    this.name = 'CheckpointRefusedError';
  }
}

export interface ExportedCheckpoint {
  checkpoint: Checkpoint;
  /** The signed note as appended ('' when unchanged). */
  note: string;
  /** True when the head had not moved since the file's last checkpoint and nothing was written. */
  unchanged: boolean;
}

/**
 * Signs a checkpoint of the current head and appends it to `file`. A log must never sign a history that
 * contradicts what it signed before, so it first checks the file's own checkpoints (signature, origin, order)
 * and that the chain extends the file's last checkpoint link by link; it refuses, signing nothing, otherwise.
 * Starting from the last checkpoint rather than the genesis keeps each export proportional to what is new;
 * `verify --checkpoints` is the full check.
 */
export async function exportCheckpoint(
  db: Db,
  options: { file: string; key: SignerKey; skipIfUnchanged?: boolean },
): Promise<ExportedCheckpoint> {
  const { file, key } = options;
  let existing: Buffer | undefined;
  try {
    existing = await fs.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  let last: Checkpoint | undefined;
  if (existing && existing.length > 0) {
    const checked = checkCheckpointFile(existing, key);
    if (checked.problems.length > 0) {
      throw new CheckpointRefusedError(
        `检查点文件 ${file} 中已有的检查点有问题，不再追加：${checked.problems[0]!.message}（the file's checkpoints do not hold; nothing signed）`,
        checked.problems,
      );
    }
    last = checked.valid.at(-1);
  }

  const head = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (tx) => {
      if (last && last.size > 0n) {
        const rows = await tx.selectFrom('events').select('hash').where('seq', '=', last.size.toString()).execute();
        if (rows.length !== 1 || !rows[0]!.hash.equals(last.root)) {
          throw new CheckpointRefusedError(
            `数据库中第 ${last.size} 号事件与检查点文件最后一个检查点不符（${rows.length === 0 ? '该事件不存在' : '链哈希不同'}）：审计链在该检查点之前被改写或截短，拒绝签发；请运行 rongcuo verify --checkpoints ${file}（the chain no longer matches the last checkpoint）`,
          );
        }
      }
      const result = await verifyChain(tx, last ? { start: { seq: last.size, hash: last.root } } : {});
      if (!result.ok) {
        throw new CheckpointRefusedError(
          `审计链在第 ${result.firstBreak!.seq} 号事件处断裂，拒绝为它签发检查点：${result.firstBreak!.message}（the chain is broken; nothing signed）`,
        );
      }
      return result.head;
    });

  const checkpoint: Checkpoint = { origin: key.name, size: BigInt(head.seq), root: Buffer.from(head.hash, 'hex') };
  if (options.skipIfUnchanged && last && last.size === checkpoint.size) return { checkpoint, note: '', unchanged: true };
  const note = signCheckpoint(checkpoint, key);

  await fs.mkdir(path.dirname(file), { recursive: true });
  const handle = await fs.open(file, 'a', 0o644);
  try {
    // One empty line between checkpoints; a file of one checkpoint is then exactly one signed note.
    await handle.write(existing && existing.length > 0 ? `\n${note}` : note);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { checkpoint, note, unchanged: false };
}

/**
 * Exports a checkpoint every `intervalMinutes` while the server runs (skipped when the head has not moved).
 * A refusal is logged as an error every time: it means the chain was changed behind the application's back.
 */
export function startCheckpointExporter(
  db: Db,
  options: { file: string; key: SignerKey; intervalMinutes: number; log: (level: 'info' | 'error', message: string, fields?: Record<string, unknown>) => void },
): () => Promise<void> {
  let running: Promise<void> | undefined;
  const run = () => {
    // Never two at once: a slow export must not interleave its append with the next one's.
    running ??= exportCheckpoint(db, { file: options.file, key: options.key, skipIfUnchanged: true })
      .then(
        (exported) => {
          if (!exported.unchanged) options.log('info', 'exported an audit checkpoint', { size: exported.checkpoint.size.toString(), keyId: keyId(options.key).toString('hex') });
        },
        (error: unknown) => options.log('error', 'audit checkpoint export refused or failed', { error: error instanceof Error ? error.message : String(error) }),
      )
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(run, options.intervalMinutes * 60_000);
  timer.unref();
  void run();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
