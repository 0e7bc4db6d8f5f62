import { sql } from 'kysely';
import { describe, expect, inject, it } from 'vitest';
import { useTestDatabase } from '../../test/helpers/db.js';

describe('the PostgreSQL server under test', () => {
  const database = useTestDatabase();

  it('is the major version this project runs against', async () => {
    const { rows } = await sql<{ server_version_num: string }>`SHOW server_version_num`.execute(database.current.db);
    const major = Math.floor(Number(rows[0]!.server_version_num) / 10000);
    const expected = inject('expectedMajor');
    if (expected === 'any') expect(major).toBeGreaterThanOrEqual(15);
    else expect(major).toBe(expected);
  });

  it('runs with fsync on', async () => {
    const { rows } = await sql<{ fsync: string }>`SHOW fsync`.execute(database.current.db);
    expect(rows[0]!.fsync).toBe('on');
  });
});
