import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/helpers/db.js';
import { connectDatabase } from './connect.js';

describe('connectDatabase', () => {
  const database = useTestDatabase();

  it('survives PostgreSQL dropping a connection that a transaction holds between two queries', async () => {
    const handle = connectDatabase(database.current.url, { max: 2 });
    try {
      const killer = new pg.Client({ connectionString: database.current.url });
      await killer.connect();
      // Without a listener on checked-out clients, the 'error' of this connection would end the process.
      const transaction = handle.db.transaction().execute(async (tx) => {
        const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(tx);
        await killer.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await sql`SELECT 1`.execute(tx);
      });
      await expect(transaction).rejects.toThrow();
      await killer.end();
      // The pool dropped the broken connection and serves the next query on a new one.
      expect((await sql<{ one: number }>`SELECT 1 AS one`.execute(handle.db)).rows).toEqual([{ one: 1 }]);
    } finally {
      await handle.close();
    }
  });
});
