import type pg from 'pg';

/**
 * A digest of every table's rows, to show that one seed gives the same dataset twice. Each row's text form is
 * hashed (md5 is enough to tell rows apart here; nothing rests on it against an adversary), the row hashes are
 * sorted and hashed together with SHA-256: 16 bytes a row, so even the events of a large dataset stay far below
 * PostgreSQL's 1 GB value limit. `schema_migrations` is left out: it records when the migrations ran.
 */
export async function tableDigests(client: pg.ClientBase): Promise<Record<string, { rows: number; sha256: string }>> {
  const { rows: tables } = await client.query<{ name: string }>(
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations' ORDER BY tablename",
  );
  const digests: Record<string, { rows: number; sha256: string }> = {};
  for (const { name } of tables) {
    const table = client.escapeIdentifier(name);
    const { rows } = await client.query<{ n: string; sha256: string }>(
      `SELECT count(*)::text AS n,
              encode(sha256(coalesce(string_agg(h, ''::bytea ORDER BY h), ''::bytea)), 'hex') AS sha256
         FROM (SELECT decode(md5(t::text), 'hex') AS h FROM ${table} t) hashed`,
    );
    digests[name] = { rows: Number(rows[0]!.n), sha256: rows[0]!.sha256 };
  }
  return digests;
}
