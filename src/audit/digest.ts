import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';

/**
 * The SHA-256 of a record's canonical JSON. Events carry the digest of the record they describe (the text of an
 * opinion, a decision…) rather than the text itself: the chain then proves the record unchanged without
 * copying personal content into the log.
 */
export function recordDigest(record: unknown): string {
  return createHash('sha256').update(canonicalize(JSON.parse(JSON.stringify(record)) as unknown)).digest('hex');
}
