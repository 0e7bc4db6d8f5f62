import { z } from 'zod';

/**
 * The manifest, the archive's last record: what the backup holds and how to check a restore against it. It names
 * tables, migrations, files by hash and counts, never a row's content.
 */
export const MANIFEST_FORMAT = 'rongcuo-backup';
export const MANIFEST_VERSION = 1;

const hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`));
const hashAlgorithm = z.enum(['sm3', 'sha256']);
const decimal = z.string().regex(/^-?\d{1,20}$/);

export const manifestSchema = z.strictObject({
  format: z.literal(MANIFEST_FORMAT),
  version: z.literal(MANIFEST_VERSION),
  createdAt: z.iso.datetime(),
  /** The source server's version, for the operator; the restore does not depend on it. */
  serverVersion: z.string().max(200),
  /** The hash of the per-table content hashes: the provider's (SM3 under gm, SHA-256 under intl). */
  hashAlgorithm,
  /** The applied migrations (name and checksum), i.e. the schema version the restore recreates. */
  migrations: z.array(z.strictObject({ name: z.string().regex(/^\d{4}_[a-z0-9_]+\.sql$/), checksum: hex(32) })),
  /** Every table, in the order written (referenced tables first), with its row count and content hash. */
  tables: z.array(
    z.strictObject({
      name: z.string().min(1).max(63),
      columns: z.array(z.strictObject({ name: z.string().min(1).max(63), type: z.string().min(1).max(200) })),
      primaryKey: z.array(z.string().min(1).max(63)),
      rows: z.number().int().min(0),
      hash: hex(32),
    }),
  ),
  /** Sequence positions (identity columns' included); not transactional, so read once in the snapshot. */
  sequences: z.array(z.strictObject({ name: z.string().min(1).max(63), lastValue: decimal, isCalled: z.boolean() })),
  /** Every file the database's `files` table lists: SHA-256 of the plaintext (the store's name) and size. */
  files: z.array(z.strictObject({ sha256: hex(32), size: z.number().int().min(0) })),
  /** The audit chain's head in the snapshot, and whether the chain verified in that snapshot. */
  chain: z.strictObject({
    seq: decimal,
    hash: hex(32),
    algorithm: hashAlgorithm,
    verified: z.boolean(),
    checked: z.number().int().min(0),
    firstBreak: z.strictObject({ seq: decimal, reason: z.string().max(100) }).optional(),
  }),
});

export type BackupManifest = z.infer<typeof manifestSchema>;
export type ManifestTable = BackupManifest['tables'][number];
