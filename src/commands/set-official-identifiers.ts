import { auditActor, type Actor } from '../access/actor.js';
import { appendEvent } from '../audit/chain.js';
import type { Clock } from '../clock.js';
import type { SecretBox } from '../crypto/envelope.js';
import { CryptoIntegrityError } from '../crypto/provider.js';
import type { Db } from '../db/connect.js';
import { invalidInput } from '../errors.js';
import {
  IDENTIFIER_KIND_NAMES,
  identifierProblem,
  normalizeIdentifier,
  openIdentifier,
  sealIdentifiers,
  type IdentifierKind,
  type MaskedIdentifiers,
} from '../privacy/identifiers.js';
import { requireIdentifierAccess } from './reveal-identifier.js';

/** What happened to one identifier, as the audit event records it (never the value, nor its mask). */
export type IdentifierChange = 'recorded' | 'replaced' | 'cleared';

export interface SetOfficialIdentifiersProps {
  db: Db;
  clock: Clock;
  actor: Actor;
  secrets: SecretBox;
  officialId: string;
  /** The 公民身份号码 to record, null to clear it, absent to leave it as it is. */
  idNumber?: string | null | undefined;
  /** The mobile phone to record, null to clear it, absent to leave it as it is. */
  phone?: string | null | undefined;
  /** Where the request came from, for the audit record. */
  request: { clientAddress: string; requestId: string };
}

export interface SetOfficialIdentifiersResult {
  officialId: string;
  identifiers: MaskedIdentifiers & { revealable: boolean };
  /** The identifiers that changed, and how (empty when the values given were those already recorded). */
  changed: Partial<Record<IdentifierKind, IdentifierChange>>;
}

const COLUMNS = {
  idNumber: { sealed: 'id_number_sealed', masked: 'id_number_masked' },
  phone: { sealed: 'phone_sealed', masked: 'phone_masked' },
} as const;

/**
 * Records, corrects or clears an official's ID number and phone, for a user who may reveal them (the same rule,
 * `requireIdentifierAccess`). The values are checked (GB 11643 check character; a mainland mobile number), sealed
 * for this official before they reach the database, and written with an audit event naming the official and which
 * identifiers changed and how — never a value — in one transaction. A value equal to the one recorded changes
 * nothing and records nothing.
 */
export async function setOfficialIdentifiers(props: SetOfficialIdentifiersProps): Promise<SetOfficialIdentifiersResult> {
  const { db, clock, actor, secrets } = props;
  const given = IDENTIFIER_KIND_NAMES.filter((kind) => props[kind] !== undefined);
  if (given.length === 0) throw invalidInput('body', '请填写公民身份号码或手机号码（清除时填 null）', 'give idNumber and/or phone (null clears one)');
  for (const kind of given) {
    const value = props[kind];
    const problem = value === null || value === undefined ? undefined : identifierProblem(kind, value);
    // The message names the field and the rule; the value is not repeated.
    if (problem) throw invalidInput(kind, problem, `not a valid ${kind}`);
  }

  return db.transaction().execute(async (tx) => {
    const official = await requireIdentifierAccess(tx, actor, props.officialId);
    // Locked, so that two corrections of the same official apply one after the other, each seeing what it replaces.
    const row = await tx
      .selectFrom('officials')
      .select(['id_number_sealed', 'id_number_masked', 'phone_sealed', 'phone_masked'])
      .where('id', '=', official.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const changed: Partial<Record<IdentifierKind, IdentifierChange>> = {};
    const columns: { id_number_sealed?: Buffer | null; id_number_masked?: string | null; phone_sealed?: Buffer | null; phone_masked?: string | null } = {};
    const masked: MaskedIdentifiers = { idNumber: row.id_number_masked, phone: row.phone_masked };
    for (const kind of given) {
      const { sealed: sealedColumn, masked: maskedColumn } = COLUMNS[kind];
      const current = row[sealedColumn];
      const value = props[kind];
      if (value === null || value === undefined) {
        if (!current) continue;
        Object.assign(columns, { [sealedColumn]: null, [maskedColumn]: null });
        masked[kind] = null;
        changed[kind] = 'cleared';
        continue;
      }
      const normalized = normalizeIdentifier(kind, value);
      if (current && sameValue(secrets, official.id, kind, current, normalized)) continue;
      const sealed = sealIdentifiers(secrets, official.id, { [kind]: normalized });
      Object.assign(columns, sealed);
      masked[kind] = kind === 'idNumber' ? sealed.id_number_masked! : sealed.phone_masked!;
      changed[kind] = current ? 'replaced' : 'recorded';
    }
    if (Object.keys(changed).length > 0) {
      await tx.updateTable('officials').set(columns).where('id', '=', official.id).execute();
      await appendEvent(
        tx,
        {
          type: 'person.identifiers-changed',
          actor: auditActor(actor),
          caseId: null,
          payload: {
            officialId: official.id,
            changed,
            via: official.via.map((v) => `${v.role}@${v.grantOrgId}`),
            clientAddress: props.request.clientAddress,
            requestId: props.request.requestId,
          },
        },
        clock,
      );
    }
    return { officialId: official.id, identifiers: { ...masked, revealable: true }, changed };
  });
}

/** Whether the recorded value is this one; a value that no longer opens (its key gone) counts as different. */
function sameValue(secrets: SecretBox, officialId: string, kind: IdentifierKind, sealed: Buffer, value: string): boolean {
  try {
    return openIdentifier(secrets, officialId, kind, sealed) === value;
  } catch (error) {
    if (error instanceof CryptoIntegrityError) return false;
    throw error;
  }
}
