import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, useTestDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { fixedClock } from '../clock.js';
import { appendEvent, appendEvents, eventHash, GENESIS_HASH } from './chain.js';
import { verifyChain } from './verify.js';

async function appendMany(db: TestDatabase, count: number, prefix = 'e'): Promise<void> {
  for (let i = 0; i < count; i++) {
    await db.db.transaction().execute((tx) =>
      appendEvent(tx, { type: 'user.signed-in', actor: `user:${prefix}${i}`, payload: { n: i, note: '测试' } }),
    );
  }
}

/** An attacker with database access first removes the protections, then rewrites history. */
async function dropProtections(db: TestDatabase): Promise<void> {
  await sql`DROP TRIGGER events_refuse_update_delete ON events`.execute(db.db);
  await sql`DROP TRIGGER events_refuse_truncate ON events`.execute(db.db);
  await sql`DROP TRIGGER events_extend_head ON events`.execute(db.db);
  await sql`DROP TRIGGER chain_head_advance ON chain_head`.execute(db.db);
}

describe('audit chain', () => {
  const database = useTestDatabase();

  it('appends events whose hashes link to their predecessors, from the genesis hash', async () => {
    const db = database.current;
    const clock = fixedClock('2026-01-02T03:04:05.678Z');
    const [first] = await db.db.transaction().execute((tx) =>
      appendEvents(tx, [{ type: 'system.started', actor: 'system', payload: { version: '0.1.0' } }], clock),
    );
    const [second] = await db.db.transaction().execute((tx) =>
      appendEvents(tx, [{ type: 'system.stopped', actor: 'system', payload: {} }], clock),
    );
    expect(second!.seq).toBe(first!.seq + 1n);
    const rows = await db.db.selectFrom('events').selectAll().orderBy('seq').execute();
    const [a, b] = rows;
    expect(a!.prev_hash.equals(GENESIS_HASH)).toBe(true);
    expect(b!.prev_hash.equals(a!.hash)).toBe(true);
    expect(a!.at.toISOString()).toBe('2026-01-02T03:04:05.678Z');
    const { algorithm } = await db.db.selectFrom('chain_head').select('algorithm').executeTakeFirstOrThrow();
    const recomputed = eventHash(
      algorithm,
      { seq: 1n, at: a!.at, actor: 'system', caseId: null, type: 'system.started', payload: { version: '0.1.0' } },
      GENESIS_HASH,
    );
    expect(recomputed.equals(a!.hash)).toBe(true);
    const head = await db.db.selectFrom('chain_head').selectAll().executeTakeFirstOrThrow();
    expect(head.seq).toBe('2');
    expect(head.hash.equals(b!.hash)).toBe(true);
  });

  it('leaves no event and no head change when the surrounding transaction rolls back', async () => {
    const db = database.current;
    const before = await db.db.selectFrom('chain_head').selectAll().executeTakeFirstOrThrow();
    await expect(
      db.db.transaction().execute(async (tx) => {
        await appendEvent(tx, { type: 'user.created', actor: 'system', payload: {} });
        throw new Error('the command failed after writing its event');
      }),
    ).rejects.toThrow('the command failed');
    const after = await db.db.selectFrom('chain_head').selectAll().executeTakeFirstOrThrow();
    expect(after.seq).toBe(before.seq);
    const count = await db.db.selectFrom('events').select(db.db.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(count.n).toBe(before.seq);
  });

  it('refuses an event type outside the closed vocabulary', async () => {
    const db = database.current;
    await expect(
      db.db.transaction().execute((tx) => appendEvent(tx, { type: 'case.burned' as never, actor: 'system' })),
    ).rejects.toThrow('unknown audit event type "case.burned"');
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the events table', async () => {
    const db = database.current;
    await appendMany(db, 2);
    await expect(sql`UPDATE events SET payload = '{"forged":true}' WHERE seq = 1`.execute(db.db)).rejects.toThrow(/append-only: UPDATE/);
    await expect(sql`DELETE FROM events WHERE seq = 1`.execute(db.db)).rejects.toThrow(/append-only: DELETE/);
    await expect(sql`TRUNCATE events CASCADE`.execute(db.db)).rejects.toThrow(/append-only: TRUNCATE/);
    await expect(sql`DELETE FROM chain_head`.execute(db.db)).rejects.toThrow(/append-only: DELETE/);
    await expect(sql`TRUNCATE chain_head`.execute(db.db)).rejects.toThrow(/append-only: TRUNCATE/);
    expect((await verifyChain(db.db)).ok).toBe(true);
  });

  it('refuses an insert that does not extend the head, and a head that does not advance by one', async () => {
    const db = database.current;
    const head = await db.db.selectFrom('chain_head').selectAll().executeTakeFirstOrThrow();
    const nextSeq = BigInt(head.seq) + 2n; // skipping one
    await expect(
      sql`INSERT INTO events (seq, at, actor, type, payload, prev_hash, hash)
          VALUES (${nextSeq.toString()}, now(), 'system', 'system.started', '{}', ${head.hash}, ${Buffer.alloc(32, 7)})`.execute(db.db),
    ).rejects.toThrow(/does not extend the chain head/);
    await expect(sql`UPDATE chain_head SET seq = seq + 5`.execute(db.db)).rejects.toThrow(/may only advance by one/);
  });
});

describe('verify names what an attacker with database access did', () => {
  async function tamperedDatabase(tamper: (db: TestDatabase) => Promise<void>) {
    const db = await createTestDatabase();
    try {
      await appendMany(db, 10);
      expect(await verifyChain(db.db)).toMatchObject({ ok: true, checked: 10 });
      await dropProtections(db);
      await tamper(db);
      return await verifyChain(db.db, { batchSize: 3 });
    } finally {
      await db.close();
    }
  }

  it('an edited payload', async () => {
    const result = await tamperedDatabase(async (db) => {
      await sql`UPDATE events SET payload = jsonb_set(payload, '{n}', '99') WHERE seq = 6`.execute(db.db);
    });
    expect(result.ok).toBe(false);
    expect(result.checked).toBe(5);
    expect(result.firstBreak).toMatchObject({ seq: '6', reason: 'hash-mismatch' });
  });

  it('an edited actor or time', async () => {
    const actor = await tamperedDatabase(async (db) => {
      await sql`UPDATE events SET actor = 'user:someone-else' WHERE seq = 3`.execute(db.db);
    });
    expect(actor.firstBreak).toMatchObject({ seq: '3', reason: 'hash-mismatch' });
    const time = await tamperedDatabase(async (db) => {
      await sql`UPDATE events SET at = at - interval '1 day' WHERE seq = 9`.execute(db.db);
    });
    expect(time.firstBreak).toMatchObject({ seq: '9', reason: 'hash-mismatch' });
  });

  it('a time moved by one millisecond, and a hash cut short or missing', async () => {
    const time = await tamperedDatabase(async (db) => {
      await sql`UPDATE events SET at = at + interval '1 millisecond' WHERE seq = 7`.execute(db.db);
    });
    expect(time.firstBreak).toMatchObject({ seq: '7', reason: 'hash-mismatch' });
    const short = await tamperedDatabase(async (db) => {
      await sql`UPDATE events SET hash = substring(hash FROM 1 FOR 31) WHERE seq = 5`.execute(db.db);
    });
    expect(short.firstBreak).toMatchObject({ seq: '5', reason: 'hash-mismatch' });
    const missing = await tamperedDatabase(async (db) => {
      await sql`ALTER TABLE events ALTER COLUMN prev_hash DROP NOT NULL`.execute(db.db);
      await sql`UPDATE events SET prev_hash = NULL WHERE seq = 2`.execute(db.db);
    });
    expect(missing.firstBreak).toMatchObject({ seq: '2', reason: 'prev-hash-mismatch' });
  });

  it('a deleted middle row', async () => {
    const result = await tamperedDatabase(async (db) => {
      await sql`DELETE FROM events WHERE seq = 4`.execute(db.db);
    });
    expect(result.firstBreak).toMatchObject({ seq: '4', reason: 'missing-event' });
    expect(result.firstBreak!.message).toContain('第 4 号事件缺失');
    expect(result.checked).toBe(3);
  });

  it('a deleted middle row whose successors were renumbered to close the gap', async () => {
    const result = await tamperedDatabase(async (db) => {
      await sql`DELETE FROM events WHERE seq = 4`.execute(db.db);
      await sql`UPDATE events SET seq = seq - 1 WHERE seq > 4`.execute(db.db);
      await sql`UPDATE chain_head SET seq = seq - 1`.execute(db.db);
    });
    expect(result.firstBreak).toMatchObject({ seq: '4', reason: 'prev-hash-mismatch' });
  });

  it('two swapped rows', async () => {
    const result = await tamperedDatabase(async (db) => {
      // Through free numbers: seq is the primary key.
      await sql`UPDATE events SET seq = seq + 1000 WHERE seq IN (5, 6)`.execute(db.db);
      await sql`UPDATE events SET seq = 6 WHERE seq = 1005`.execute(db.db);
      await sql`UPDATE events SET seq = 5 WHERE seq = 1006`.execute(db.db);
    });
    expect(result.firstBreak).toMatchObject({ seq: '5', reason: 'prev-hash-mismatch' });
    expect(result.checked).toBe(4);
  });

  it('a removed tail', async () => {
    const result = await tamperedDatabase(async (db) => {
      await sql`DELETE FROM events WHERE seq >= 9`.execute(db.db);
    });
    expect(result.firstBreak).toMatchObject({ seq: '10', reason: 'head-mismatch' });
    expect(result.checked).toBe(8);
  });
});

describe('concurrent writers', () => {
  it('form one linear chain with no gaps', async () => {
    const db = await createTestDatabase();
    try {
      const writers = 8;
      const perWriter = 25;
      await Promise.all(
        Array.from({ length: writers }, async (_, writer) => {
          for (let i = 0; i < perWriter; i++) {
            await db.db.transaction().execute(async (tx) => {
              // Some work before the append, so transactions really overlap.
              await sql`SELECT pg_sleep(0.001)`.execute(tx);
              await appendEvent(tx, { type: 'user.signed-in', actor: `user:w${writer}`, payload: { i } });
            });
          }
        }),
      );
      const rows = await db.db.selectFrom('events').select(['seq', 'actor']).orderBy('seq').execute();
      expect(rows.map((row) => Number(row.seq))).toEqual(Array.from({ length: writers * perWriter }, (_, i) => i + 1));
      for (let writer = 0; writer < writers; writer++) {
        expect(rows.filter((row) => row.actor === `user:w${writer}`)).toHaveLength(perWriter);
      }
      expect(await verifyChain(db.db)).toMatchObject({ ok: true, checked: writers * perWriter });
    } finally {
      await db.close();
    }
  });
});
