import { auditActor, type Actor } from '../access/actor.js';
import { appendEvent } from '../audit/chain.js';
import type { Clock } from '../clock.js';
import type { SecretBox } from '../crypto/envelope.js';
import type { Db, Tx } from '../db/connect.js';
import { invalidInput, notFound } from '../errors.js';
import { IDENTIFIER_KINDS, openIdentifier, type IdentifierKind } from '../privacy/identifiers.js';
import { requireManagedOfficial, type FollowupRole, type ManagedOfficial } from './followup/jurisdiction.js';

/**
 * Who may reveal an official's identifiers: the staff of an organ that manages the official (干部管理权限, Art. 6) —
 * handlers of the managing organ or an organ above it, and the organization department of the committee. They
 * are the ones who contact and identify the official (serving a decision, a follow-up talk, a selection check).
 * Deliberation members, approvers, supervisors, experts and the publicity department see the masked form at most.
 */
export const REVEAL_ROLES: readonly FollowupRole[] = ['handler', 'organization-department'];

/**
 * The official, if this user may reveal their identifiers — and so also record or correct them
 * (set-official-identifiers.ts): one rule for both. Anyone else gets 404, as for an official who does not exist.
 */
export function requireIdentifierAccess(db: Db | Tx, actor: Actor, officialId: string): Promise<ManagedOfficial> {
  return requireManagedOfficial(db, actor, officialId, REVEAL_ROLES);
}

/** The longest reason accepted, in code points. */
export const REVEAL_REASON_MAX = 500;

export interface RevealIdentifierProps {
  db: Db;
  clock: Clock;
  actor: Actor;
  secrets: SecretBox;
  officialId: string;
  identifier: IdentifierKind;
  reason: string;
  /** Where the request came from, for the audit record. */
  request: { clientAddress: string; requestId: string };
}

export interface RevealedIdentifier {
  officialId: string;
  identifier: IdentifierKind;
  plaintext: string;
}

/**
 * Reveals one identifier of an official to a user who manages them, for the reason they give. The audit event is
 * written in the same transaction as the read, before the value leaves: no record, no value. The event names the
 * official, the identifier and the reason, never the value.
 */
export async function revealIdentifier(props: RevealIdentifierProps): Promise<RevealedIdentifier> {
  const { db, clock, actor, secrets, identifier } = props;
  const reason = props.reason.trim();
  if (reason === '') throw invalidInput('reason', '请写明查看原因', 'a reason is required');
  if ([...reason].length > REVEAL_REASON_MAX) throw invalidInput('reason', `查看原因不超过 ${REVEAL_REASON_MAX} 字`, `the reason is longer than ${REVEAL_REASON_MAX} characters`);
  return db.transaction().execute(async (tx) => {
    const official = await requireIdentifierAccess(tx, actor, props.officialId);
    const row = await tx.selectFrom('officials').select(['id_number_sealed', 'phone_sealed']).where('id', '=', official.id).executeTakeFirstOrThrow();
    const sealed = identifier === 'idNumber' ? row.id_number_sealed : row.phone_sealed;
    if (!sealed) throw notFound(`该干部的${IDENTIFIER_KINDS[identifier].label}`);
    const plaintext = openIdentifier(secrets, official.id, identifier, sealed);
    await appendEvent(
      tx,
      {
        type: 'person.identifier-revealed',
        actor: auditActor(actor),
        caseId: null,
        payload: {
          officialId: official.id,
          identifier,
          reason,
          via: official.via.map((v) => `${v.role}@${v.grantOrgId}`),
          clientAddress: props.request.clientAddress,
          requestId: props.request.requestId,
        },
      },
      clock,
    );
    return { officialId: official.id, identifier, plaintext };
  });
}

/** Whether this user may reveal (and correct) the official's identifiers (what the screens use to offer 「查看」「修改」). */
export async function mayRevealIdentifiers(db: Db, actor: Actor, officialId: string): Promise<boolean> {
  try {
    await requireIdentifierAccess(db, actor, officialId);
    return true;
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'NOT_FOUND') return false;
    throw error;
  }
}
