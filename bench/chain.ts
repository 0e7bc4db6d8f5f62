import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import { CHAIN_DOMAIN, eventHash, GENESIS_HASH, type ChainAlgorithm, type ChainEvent } from '../src/audit/chain.js';
import { verifyChain } from '../src/audit/verify.js';
import { systemClock } from '../src/clock.js';
import type { DatabaseHandle } from '../src/db/connect.js';
import { migrate } from '../src/db/migrate.js';
import { seedDemo } from '../src/db/seed-demo.js';
import { LocalFileStore } from '../src/files/store.js';
import type { BenchRow } from './table.js';
import { scratchDatabase } from './scratch-database.js';

/** Events in the chain that is verified: a few years of a busy province (`--events=N` to change). */
const DEFAULT_EVENTS = 200_000;
const INSERT_BATCH = 10_000;
const ROUNDS = 3;
/** Issue #8: verifying must run at no less than half the speed of hashing the same bytes in a tight loop. */
const TARGET_RATIO = 0.5;

const option = (name: string): string | undefined =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

interface Measure {
  /** Events per second of wall time. */
  rate: number;
  /** CPU time of this process per event, in µs. */
  cpuUs: number;
  /** CPU time of the PostgreSQL server's processes per event, in µs (NaN where /proc cannot tell). */
  serverUs: number;
}

/** CPU time (user + system, ms) used so far by the postmaster and its children, from Linux's /proc; NaN elsewhere. */
function serverCpuMs(postmaster: number): number {
  try {
    const children = readFileSync(`/proc/${postmaster}/task/${postmaster}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    let ticks = 0;
    for (const pid of [String(postmaster), ...children]) {
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue; // a backend that ended meanwhile
      }
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const fields = stat.split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    }
    // USER_HZ is 100 on every Linux we run on.
    return ticks * 10;
  } catch {
    return Number.NaN;
  }
}

/**
 * The audit chain's verifier (src/audit/verify.ts: what `rongcuo verify`, the checkpoint signer, backups and
 * GET /api/v1/audit/verify run) against its floor: the same chain of hashes computed in a tight loop over byte buffers
 * prepared in advance, with node:crypto and the same algorithm — exactly the bytes the verifier hashes (the final
 * hash must equal the chain's head), without reading the rows, decoding them or canonicalizing their JSON.
 *
 * The chain is the demo's (a few hundred events written by the product's own append path while the demo cases are
 * replayed), extended to `--events` (200,000) by cycling through the demo's events — same types, actors, cases and
 * payloads, new sequence numbers and times — hashed with the product's `eventHash` and inserted in batches. The
 * per-row triggers that make every insert extend the head one event at a time are switched off for that bulk
 * insert only (session_replication_role = replica, in that one transaction); the verifier must then pass over the
 * whole chain. The algorithm is the database's: sm3 (the `gm` provider, the default) or `--algorithm=sha256`.
 */
export async function benchChain(): Promise<BenchRow[]> {
  const total = Number(option('events') ?? DEFAULT_EVENTS);
  const algorithm = (option('algorithm') ?? 'sm3') as ChainAlgorithm;
  if (algorithm !== 'sm3' && algorithm !== 'sha256') throw new Error(`--algorithm: sm3 or sha256, not ${algorithm}`);

  const scratch = await scratchDatabase('chain');
  const { dir, handle } = scratch;
  try {
    await migrate(handle.pool, undefined, { chainAlgorithm: algorithm });
    await seedDemo(handle.db, systemClock, new LocalFileStore(path.join(dir, 'files')));

    const { events, hashes } = await buildChain(handle, algorithm, total);
    const { hash: head } = await handle.db.selectFrom('chain_head').select('hash').executeTakeFirstOrThrow();
    const postmaster = Number((await readFile(path.join(dir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);

    // The floor: domain ‖ 0x00 ‖ seq (u64 BE) ‖ canonical JSON (by json-canonicalize, not the product's own
    // canonicalJson) in one buffer per event, made before the clock starts; the loop appends the previous hash.
    const domain = Buffer.from(`${CHAIN_DOMAIN}\0`, 'utf8');
    const prefixes = events.map((event) => {
      const seq = Buffer.alloc(8);
      seq.writeBigUInt64BE(event.seq);
      const body = canonicalize({ actor: event.actor, at: event.at.toISOString(), caseId: event.caseId, payload: event.payload, type: event.type });
      return Buffer.concat([domain, seq, Buffer.from(body, 'utf8')]);
    });
    const bytes = prefixes.reduce((sum, p) => sum + p.length + 32, 0);
    // Wall time decides; CPU time (this process's, and PostgreSQL's) is shown beside it, because on a shared
    // machine the wall clock also counts the time the verifier and the server spent waiting for a core.
    const raw = (): Measure => {
      let link = GENESIS_HASH;
      const cpu = process.cpuUsage();
      const started = performance.now();
      for (const prefix of prefixes) link = createHash(algorithm).update(prefix).update(link).digest();
      const elapsed = performance.now() - started;
      const used = process.cpuUsage(cpu);
      // The floor hashed exactly what the chain holds: it ends on the head.
      if (!link.equals(head)) throw new Error('the raw loop did not reproduce the chain head');
      return { rate: (prefixes.length * 1000) / elapsed, cpuUs: (used.user + used.system) / prefixes.length, serverUs: 0 };
    };
    const verify = async (): Promise<Measure> => {
      const server = serverCpuMs(postmaster);
      const cpu = process.cpuUsage();
      const started = performance.now();
      const result = await verifyChain(handle.db);
      const elapsed = performance.now() - started;
      const used = process.cpuUsage(cpu);
      const serverUsed = serverCpuMs(postmaster) - server;
      if (!result.ok || result.checked !== events.length) throw new Error(`verify failed on an honest chain: ${JSON.stringify(result)}`);
      return { rate: (result.checked * 1000) / elapsed, cpuUs: (used.user + used.system) / result.checked, serverUs: (serverUsed * 1000) / result.checked };
    };

    // Warm-up of both (the verifier on the chain's last 20,000 events, from a known hash as a checkpoint gives
    // it), then rounds alternating which goes first, so the machine's load falls on both alike.
    raw();
    const warmFrom = events.length - 20_000;
    const warm = await verifyChain(handle.db, warmFrom > 0 ? { start: { seq: BigInt(warmFrom), hash: hashes[warmFrom - 1]! } } : {});
    if (!warm.ok) throw new Error(`verify failed on an honest chain: ${JSON.stringify(warm)}`);
    const verifies: Measure[] = [];
    const raws: Measure[] = [];
    const ratios: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      let verified: Measure;
      let floor: Measure;
      if (round % 2 === 0) {
        verified = await verify();
        floor = raw();
      } else {
        floor = raw();
        verified = await verify();
      }
      verifies.push(verified);
      raws.push(floor);
      ratios.push(verified.rate / floor.rate);
    }
    const verified = median(verifies.map((m) => m.rate));
    const floor = median(raws.map((m) => m.rate));
    const ratio = median(ratios);
    const verifierCpu = median(verifies.map((m) => m.cpuUs));
    const floorCpu = median(raws.map((m) => m.cpuUs));
    const serverCpu = median(verifies.map((m) => m.serverUs));
    const meanBytes = Math.round(bytes / events.length);
    return [
      {
        figure: `verifyChain, ${algorithm}, ${events.length.toLocaleString('en-US')} events (~${meanBytes} B hashed each), median of ${ROUNDS} rounds`,
        value: verified,
        unit: 'events/s',
        limit: floor,
        limitLabel: `raw ${algorithm} chaining, same bytes`,
        ratio,
        target: `≥ ${TARGET_RATIO} of raw`,
        pass: ratio >= TARGET_RATIO,
      },
      { figure: `raw ${algorithm} chaining of the same bytes in Node (node:crypto, buffers prepared)`, value: floor, unit: 'events/s' },
      { figure: `time to verify the ${events.length.toLocaleString('en-US')} events`, value: (events.length / verified) * 1000, unit: 'ms' },
      {
        figure: 'CPU per event in the verifying process (decode rows, canonical JSON, hash)',
        value: verifierCpu,
        unit: 'µs',
        limit: floorCpu,
        limitLabel: 'raw',
        ratio: floorCpu / verifierCpu,
      },
      ...(Number.isNaN(serverCpu) ? [] : [{ figure: 'CPU per event in PostgreSQL while verifying (read, send)', value: serverCpu, unit: 'µs' }]),
    ];
  } finally {
    await scratch.close();
  }
}

/**
 * Extends the demo's chain to `total` events by cycling through the demo's own events (new seq and time, same
 * type, actor, case and payload), hashed with the product's `eventHash` and inserted 10,000 rows a statement, the
 * next batch hashed while the database inserts the last. Returns the events and the hash of each.
 */
export async function buildChain(handle: DatabaseHandle, algorithm: ChainAlgorithm, total: number): Promise<{ events: ChainEvent[]; hashes: Buffer[] }> {
  const demo = await handle.db.selectFrom('events').select(['seq', 'at', 'actor', 'case_id', 'type', 'payload', 'hash']).orderBy('seq').execute();
  const head = await handle.db.selectFrom('chain_head').select(['seq', 'hash', 'algorithm']).executeTakeFirstOrThrow();
  if (head.algorithm !== algorithm) throw new Error(`the chain uses ${head.algorithm}, not ${algorithm}`);
  if (BigInt(head.seq) !== BigInt(demo.length)) throw new Error(`the demo chain has ${demo.length} events but its head is at ${head.seq}`);
  const events: ChainEvent[] = demo.map((row) => ({ seq: BigInt(row.seq), at: row.at, actor: row.actor, caseId: row.case_id, type: row.type, payload: row.payload }));
  const hashes = demo.map((row) => row.hash);
  let prev = head.hash;
  let at = demo.at(-1)!.at.getTime();
  const client = await handle.pool.connect();
  try {
    // In one transaction, with SET LOCAL: the triggers are back on for this connection whatever happens.
    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    let inserting: Promise<unknown> = Promise.resolve();
    for (let from = events.length; from < total; from += INSERT_BATCH) {
      const rows: Record<string, unknown>[] = [];
      for (let i = from; i < Math.min(total, from + INSERT_BATCH); i++) {
        const model = events[i % demo.length]!;
        at += 37_000 + (i % 7) * 1_013;
        const event: ChainEvent = { ...model, seq: BigInt(i + 1), at: new Date(at) };
        const hash = eventHash(algorithm, event, prev);
        events.push(event);
        hashes.push(hash);
        rows.push({ ...event, seq: event.seq.toString(), prevHash: prev.toString('hex'), hash: hash.toString('hex') });
        prev = hash;
      }
      await inserting;
      inserting = client.query(
        `INSERT INTO events (seq, at, actor, case_id, type, payload, prev_hash, hash)
         SELECT seq, at, actor, "caseId", type, payload, decode("prevHash", 'hex'), decode(hash, 'hex')
         FROM json_to_recordset($1::json) AS r(seq bigint, at timestamptz, actor text, "caseId" uuid, type text, payload jsonb, "prevHash" text, hash text)`,
        [JSON.stringify(rows)],
      );
    }
    await inserting;
    await client.query('UPDATE chain_head SET seq = $1, hash = $2 WHERE singleton', [String(events.length), prev]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  await handle.pool.query('VACUUM ANALYZE events');
  return { events, hashes };
}
