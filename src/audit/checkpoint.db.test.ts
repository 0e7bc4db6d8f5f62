import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { canonicalize } from 'json-canonicalize';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { fixedClock } from '../clock.js';
import { providerFor, type ProviderName } from '../crypto/index.js';
import { initializeChainAlgorithm } from '../db/migrate.js';
import { appendEvent, eventHash, GENESIS_HASH, type ChainAlgorithm, type ChainEvent } from './chain.js';
import { CheckpointRefusedError, exportCheckpoint, startCheckpointExporter, verifyCheckpoints, type CheckpointVerifyResult } from './checkpoint.js';
import { loadOrCreateSigningKey, loadSigningKey, loadVerifierKey, publicKeyFileOf } from './checkpoint-key.js';
import { signCheckpoint, signNote, type SignerKey } from './checkpoint-note.js';
import { verifyChain } from './verify.js';

/**
 * The adversary here is a database superuser (the test connection is one): they switch off the triggers for
 * their session, rewrite the events table however they like and recompute every hash and the head, so the
 * chain is perfect again. Plain verification cannot see that; the signed checkpoints exported before must.
 */
async function rewriteHistory(db: TestDatabase, edit: (events: ChainEvent[]) => ChainEvent[], algorithm?: ChainAlgorithm): Promise<void> {
  await db.db.transaction().execute(async (tx) => {
    // Triggers (append-only, extend-the-head, head-advance) do not fire for a replica session.
    await sql`SET LOCAL session_replication_role = replica`.execute(tx);
    const head = await tx.selectFrom('chain_head').select('algorithm').executeTakeFirstOrThrow();
    const rows = await tx.selectFrom('events').selectAll().orderBy('seq').execute();
    const events = edit(rows.map((r) => ({ seq: BigInt(r.seq), at: r.at, actor: r.actor, caseId: r.case_id, type: r.type, payload: r.payload })));
    const alg = algorithm ?? head.algorithm;
    await sql`DELETE FROM events`.execute(tx);
    let prev: Buffer = GENESIS_HASH;
    let seq = 0n;
    for (const event of events) {
      seq++;
      const hash = eventHash(alg, { ...event, seq }, prev);
      await tx
        .insertInto('events')
        .values({ seq: seq.toString(), at: event.at, actor: event.actor, case_id: event.caseId, type: event.type, payload: canonicalize(event.payload), prev_hash: prev, hash })
        .execute();
      prev = hash;
    }
    await tx.updateTable('chain_head').set({ seq: seq.toString(), hash: prev, algorithm: alg }).execute();
  });
}

async function append(db: TestDatabase, from: number, to: number): Promise<void> {
  for (let n = from; n <= to; n++) {
    const clock = fixedClock(new Date(Date.UTC(2026, 0, 1, 8, 0, n)).toISOString());
    await db.db.transaction().execute((tx) => appendEvent(tx, { type: 'user.signed-in', actor: `user:u${n}`, payload: { n, note: '登录' } }, clock));
  }
}

const PROVIDERS: [ProviderName, ChainAlgorithm][] = [
  ['gm', 'sm3'],
  ['intl', 'sha256'],
];

let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'rongcuo-checkpoints-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe.each(PROVIDERS)('checkpoints under the %s provider (chain hash %s)', (provider, algorithm) => {
  let key: SignerKey;
  let n = 0;

  beforeAll(async () => {
    ({ key } = await loadOrCreateSigningKey(path.join(tmp, provider, 'keys', 'checkpoint-signing.json'), provider));
  });

  /**
   * A database whose chain follows the provider, with events 1–13; checkpoints exported at 6 and at 10, and
   * events 11–13 after the last one (the tail no checkpoint covers yet).
   */
  async function scenario(): Promise<{ db: TestDatabase; file: string }> {
    const db = await createTestDatabase();
    expect(await initializeChainAlgorithm(db.pool, algorithm)).toBe(algorithm);
    const file = path.join(tmp, provider, `checkpoints-${++n}.txt`);
    await append(db, 1, 6);
    await exportCheckpoint(db.db, { file, key });
    await append(db, 7, 10);
    await exportCheckpoint(db.db, { file, key });
    await append(db, 11, 13);
    return { db, file };
  }

  async function afterAttack(attack: (db: TestDatabase) => Promise<void>): Promise<{ plain: Awaited<ReturnType<typeof verifyChain>>; withCheckpoints: CheckpointVerifyResult; refused: unknown }> {
    const { db, file } = await scenario();
    try {
      const before = await verifyCheckpoints(db.db, await fs.readFile(file), key);
      expect(before).toMatchObject({ ok: true, total: 2, confirmed: 2, confirmedThrough: '10', problems: [] });
      await attack(db);
      const plain = await verifyChain(db.db);
      const withCheckpoints = await verifyCheckpoints(db.db, await fs.readFile(file), key);
      // Signing a new checkpoint over the rewritten history must be refused, so it cannot be laundered.
      const refused = await exportCheckpoint(db.db, { file, key }).then(() => undefined, (error: unknown) => error);
      return { plain, withCheckpoints, refused };
    } finally {
      await db.close();
    }
  }

  it('the chain hashes with the provider\'s algorithm, and checkpoints of an honest chain hold', async () => {
    const { db, file } = await scenario();
    try {
      const rows = await db.db.selectFrom('events').selectAll().orderBy('seq').execute();
      expect(eventHash(algorithm, { seq: 1n, at: rows[0]!.at, actor: 'user:u1', caseId: null, type: 'user.signed-in', payload: { n: 1, note: '登录' } }, GENESIS_HASH).equals(rows[0]!.hash)).toBe(true);
      expect(await verifyChain(db.db)).toMatchObject({ ok: true, checked: 13, algorithm });
      const text = await fs.readFile(file, 'utf8');
      const notes = text.split('\n\n— ');
      expect(notes).toHaveLength(3);
      expect(text.startsWith(`${key.name}\n6\n${rows[5]!.hash.toString('base64')}\n\n— ${key.name} `)).toBe(true);
      expect(text).toContain(`\n\n${key.name}\n10\n${rows[9]!.hash.toString('base64')}\n\n— ${key.name} `);
    } finally {
      await db.close();
    }
  });

  it('(a) a rewritten payload with the chain recomputed after it: plain verify is blind, checkpoints catch it', async () => {
    const { plain, withCheckpoints, refused } = await afterAttack((db) =>
      rewriteHistory(db, (events) => events.map((e) => (e.seq === 4n ? { ...e, payload: { n: 4, note: '改写' } } : e))),
    );
    expect(plain).toMatchObject({ ok: true, checked: 13 });
    expect(withCheckpoints.ok).toBe(false);
    expect(withCheckpoints.chain.ok).toBe(true);
    expect(withCheckpoints.problems).toMatchObject([
      { index: 1, size: '6', reason: 'root-mismatch' },
      { index: 2, size: '10', reason: 'root-mismatch' },
    ]);
    expect(withCheckpoints.problems[0]!.message).toContain('第 1 个检查点（第 1 行）：第 6 号事件的链哈希');
    expect(refused).toBeInstanceOf(CheckpointRefusedError);
  });

  it('(b) a deleted event with the rest renumbered and recomputed', async () => {
    const { plain, withCheckpoints, refused } = await afterAttack((db) => rewriteHistory(db, (events) => events.filter((e) => e.seq !== 5n)));
    expect(plain).toMatchObject({ ok: true, checked: 12 });
    expect(withCheckpoints.problems).toMatchObject([
      { size: '6', reason: 'root-mismatch' },
      { size: '10', reason: 'root-mismatch' },
    ]);
    expect(refused).toBeInstanceOf(CheckpointRefusedError);
  });

  it('(c) two events swapped and the chain recomputed', async () => {
    const { plain, withCheckpoints, refused } = await afterAttack((db) =>
      rewriteHistory(db, (events) => {
        const swapped = [...events];
        [swapped[7], swapped[8]] = [swapped[8]!, swapped[7]!];
        return swapped;
      }),
    );
    expect(plain).toMatchObject({ ok: true, checked: 13 });
    // Events 8 and 9 lie between the two checkpoints: the first still holds, the second does not.
    expect(withCheckpoints).toMatchObject({ confirmed: 1, confirmedThrough: '6' });
    expect(withCheckpoints.problems).toMatchObject([{ index: 2, size: '10', reason: 'root-mismatch' }]);
    expect(refused).toBeInstanceOf(CheckpointRefusedError);
  });

  it('(d) the chain truncated below the last checkpoint, head rewritten to match', async () => {
    const { plain, withCheckpoints, refused } = await afterAttack((db) => rewriteHistory(db, (events) => events.slice(0, 8)));
    expect(plain).toMatchObject({ ok: true, checked: 8 });
    expect(withCheckpoints.problems).toMatchObject([{ index: 2, size: '10', reason: 'beyond-end' }]);
    expect(withCheckpoints.problems[0]!.message).toContain('数据库中的链却只有 8 条');
    expect(refused).toBeInstanceOf(CheckpointRefusedError);
    expect((refused as Error).message).toContain('第 10 号事件');
  });

  it('a forged event inserted in the past and the chain recomputed', async () => {
    const { plain, withCheckpoints } = await afterAttack((db) =>
      rewriteHistory(db, (events) => [...events.slice(0, 2), { ...events[2]!, actor: 'user:forger', payload: { n: 0 } }, ...events.slice(2)]),
    );
    expect(plain.ok).toBe(true);
    expect(withCheckpoints.problems.map((p) => p.reason)).toEqual(['root-mismatch', 'root-mismatch']);
  });

  it('the whole chain re-hashed under the other algorithm', async () => {
    const other: ChainAlgorithm = algorithm === 'sm3' ? 'sha256' : 'sm3';
    const { plain, withCheckpoints } = await afterAttack((db) => rewriteHistory(db, (events) => events, other));
    expect(plain).toMatchObject({ ok: true, algorithm: other });
    expect(withCheckpoints.problems.map((p) => p.reason)).toEqual(['root-mismatch', 'root-mismatch']);
  });

  it('a duplicate seq slipped in after dropping the primary key', async () => {
    const { plain, withCheckpoints } = await afterAttack(async (db) => {
      await sql`ALTER TABLE events DROP CONSTRAINT events_pkey`.execute(db.db);
      await sql`ALTER TABLE events DROP CONSTRAINT events_hash_key`.execute(db.db);
      await db.db.transaction().execute(async (tx) => {
        await sql`SET LOCAL session_replication_role = replica`.execute(tx);
        await sql`INSERT INTO events SELECT seq, at, 'user:forger', case_id, type, payload, prev_hash, hash FROM events WHERE seq = 7`.execute(tx);
      });
    });
    expect(plain.firstBreak).toMatchObject({ seq: '7', reason: 'duplicate-event' });
    expect(withCheckpoints.chain.ok).toBe(false);
    expect(withCheckpoints.problems).toMatchObject([{ index: 2, size: '10', reason: 'unconfirmed' }]);
    expect(withCheckpoints.confirmedThrough).toBe('6');
  });

  it('the honest gap: a rewrite after the last exported checkpoint goes unseen', async () => {
    const { plain, withCheckpoints, refused } = await afterAttack((db) =>
      rewriteHistory(db, (events) => events.map((e) => (e.seq === 12n ? { ...e, payload: { n: 12, note: '改写' } } : e))),
    );
    // Documented, not hidden: nothing signed covers events 11–13 yet. Exporting often (and off the machine)
    // is what shrinks this window.
    expect(plain.ok).toBe(true);
    expect(withCheckpoints).toMatchObject({ ok: true, confirmed: 2, problems: [] });
    expect(refused).toBeUndefined();
  });

  it('a checkpoint beyond the database\'s end, one signed by another key, a tampered one and one of another origin', async () => {
    const { db, file } = await scenario();
    try {
      const head = await db.db.selectFrom('chain_head').select(['seq', 'hash']).executeTakeFirstOrThrow();
      const { key: otherKey } = await loadOrCreateSigningKey(path.join(tmp, provider, 'other', 'key.json'), provider);
      const honest = await fs.readFile(file, 'utf8');
      const tampered = signCheckpoint({ origin: key.name, size: 13n, root: head.hash }, key).replace('\n13\n', '\n12\n');
      const extra = [
        signCheckpoint({ origin: key.name, size: 20n, root: head.hash }, key),
        signCheckpoint({ origin: key.name, size: 13n, root: head.hash }, { ...otherKey, name: key.name }),
        tampered,
        signCheckpoint({ origin: 'example.org/another-log', size: 13n, root: head.hash }, key),
        signNote(`${key.name}\n13\n${head.hash.subarray(0, 31).toString('base64')}\n`, key),
      ];
      const result = await verifyCheckpoints(db.db, `${honest}\n${extra.join('\n')}`, key);
      expect(result.chain.ok).toBe(true);
      expect(result).toMatchObject({ ok: false, total: 7, confirmed: 2 });
      expect(result.problems.map((p) => [p.index, p.reason])).toEqual([
        [3, 'beyond-end'],
        [4, 'unknown-key'],
        [5, 'bad-signature'],
        [6, 'wrong-origin'],
        [7, 'malformed'],
      ]);
      expect(result.problems[0]!.message).toMatch(/^第 3 个检查点（第 13 行）：签发时链已有 20 条事件，数据库中的链却只有 13 条/);
      expect(result.problems[4]!.message).toContain('根哈希长 31 字节');
    } finally {
      await db.close();
    }
  });

  it('an emptied checkpoint file is a failure, not a pass', async () => {
    const { db } = await scenario();
    try {
      expect(await verifyCheckpoints(db.db, '', key)).toMatchObject({ ok: false, problems: [{ reason: 'no-checkpoints' }] });
    } finally {
      await db.close();
    }
  });
});

describe('the periodic export', () => {
  it('appends a checkpoint when the head moved, skips when it did not, and logs a refusal as an error', async () => {
    const db = await createTestDatabase();
    try {
      const { key } = await loadOrCreateSigningKey(path.join(tmp, 'periodic', 'key.json'), 'gm');
      const file = path.join(tmp, 'periodic', 'checkpoints.txt');
      const logged: [string, string][] = [];
      const runOnce = async () => {
        const stop = startCheckpointExporter(db.db, { file, key, intervalMinutes: 60, log: (level, message) => logged.push([level, message]) });
        await stop();
      };
      await append(db, 1, 3);
      await runOnce();
      await runOnce();
      await append(db, 4, 4);
      await runOnce();
      const result = await verifyCheckpoints(db.db, await fs.readFile(file), key);
      expect(result).toMatchObject({ ok: true, total: 2, confirmedThrough: '4' });
      expect(logged).toEqual([
        ['info', 'exported an audit checkpoint'],
        ['info', 'exported an audit checkpoint'],
      ]);
      await rewriteHistory(db, (events) => events.slice(0, 2));
      await runOnce();
      expect(logged.at(-1)).toEqual(['error', 'audit checkpoint export refused or failed']);
    } finally {
      await db.close();
    }
  });
});

describe('the checkpoint signing key', () => {
  it('is created outside the database with the provider\'s scheme, mode 0600, with its public key beside it', async () => {
    for (const [provider, scheme] of [['gm', 'sm2'], ['intl', 'ed25519']] as const) {
      const file = path.join(tmp, 'key-test', provider, 'keys', 'checkpoint-signing.json');
      const { key, created } = await loadOrCreateSigningKey(file, provider);
      expect(created).toBe(true);
      expect(key.algorithm).toBe(scheme);
      expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
      expect(await loadVerifierKey(publicKeyFileOf(file))).toEqual({ name: key.name, algorithm: scheme, publicKey: key.publicKey });
      // Kept thereafter, whatever the provider says later.
      const again = await loadOrCreateSigningKey(file, provider === 'gm' ? 'intl' : 'gm');
      expect(again).toMatchObject({ created: false, key: { name: key.name, algorithm: scheme } });
      await fs.chmod(file, 0o644);
      await expect(loadSigningKey(file)).rejects.toThrow(/chmod 600/);
      await fs.chmod(file, 0o600);
      const content = JSON.parse(await fs.readFile(file, 'utf8')) as { publicKey: string };
      const mismatched = { ...content, publicKey: providerFor(provider).generateSigningKeyPair().publicKey };
      await fs.writeFile(file, JSON.stringify(mismatched));
      await expect(loadSigningKey(file)).rejects.toThrow(/不配对/);
    }
  });
});

describe.each(PROVIDERS)('rongcuo checkpoint and rongcuo verify --checkpoints (%s)', (provider) => {
  // Six CLI processes, each starting Node and connecting: slow on a busy machine.
  it('sign, verify, then catch a superuser\'s rewrite with a non-zero exit and refuse to sign over it', async () => {
    const db = await createTestDatabase();
    try {
      const dataDir = path.join(tmp, `cli-${provider}`);
      const env = { DATABASE_URL: db.url, RONGCUO_DATA: dataDir, RONGCUO_CRYPTO: provider };
      await initializeChainAlgorithm(db.pool, providerFor(provider).hashAlgorithm);
      await append(db, 1, 5);
      const file = path.join(dataDir, 'export', 'checkpoints.txt');

      const signed = await runCli(['checkpoint', '--out', file], { env });
      expect(signed.code, signed.stderr).toBe(0);
      expect(signed.stdout).toContain('已创建检查点签名密钥');
      expect(signed.stdout).toContain('已签发检查点：第 5 号事件');
      const keyFile = path.join(dataDir, 'keys', 'checkpoint-signing.json');
      expect((await fs.stat(keyFile)).mode & 0o777).toBe(0o600);

      await append(db, 6, 7);
      const ok = await runCli(['verify', '--checkpoints', file, '--public-key', publicKeyFileOf(keyFile)], { env });
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain('共 1 个检查点，1 个与数据库一致（签名覆盖到第 5 号事件）');

      await rewriteHistory(db, (events) => events.filter((e) => e.seq !== 2n));
      const plain = await runCli(['verify'], { env });
      expect(plain.code).toBe(0);
      const caught = await runCli(['verify', '--checkpoints', file], { env });
      expect(caught.code).toBe(1);
      expect(caught.stdout).toContain('✗ 第 1 个检查点（第 1 行）：第 5 号事件的链哈希');

      const refused = await runCli(['checkpoint', '--out', file], { env });
      expect(refused.code).toBe(1);
      expect(refused.stdout).toContain('拒绝签发检查点');

      const usage = await runCli(['verify', '--checkpoints', path.join(dataDir, 'missing.txt')], { env });
      expect(usage.code).toBe(2);
    } finally {
      await db.close();
    }
  }, 180_000);
});
