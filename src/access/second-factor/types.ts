import type { Clock } from '../../clock.js';
import type { Db, Tx } from '../../db/connect.js';

/** How a user proves the second factor: an authenticator app, one of its recovery codes, or an SM2 certificate. */
export const SECOND_FACTOR_METHODS = ['totp', 'recovery-code', 'sm2-certificate'] as const;
export type SecondFactorMethod = (typeof SECOND_FACTOR_METHODS)[number];

/** Seals secrets at rest and opens them (context.crypto.secrets); the associated data binds a value to its row. */
export interface SecretSealer {
  seal(plaintext: Uint8Array, associatedData: string): Buffer;
  open(sealed: Buffer, associatedData: string): Buffer;
}

export interface VerifyContext {
  /** The sign-in's transaction: what makes a proof single-use is spent in it. */
  tx: Tx;
  clock: Clock;
  secrets: SecretSealer;
  userId: string;
  /** The pending session answering (an SM2 challenge belongs to it). */
  sessionTokenHash: Buffer;
}

/**
 * A second sign-in factor (等保 8.1.4.1 d: two or more authentication techniques, one of them cryptographic).
 * Every method is single-use per proof: a TOTP time step, a recovery code and an SM2 challenge are spent when
 * accepted, so a proof seen once (shoulder-surfed, logged, replayed) opens nothing.
 */
export interface SecondFactor<Proof> {
  readonly method: SecondFactorMethod;
  /** Whether the user can answer with this method now (enrolled, a code left, a key registered). */
  isAvailable(db: Db | Tx, userId: string): Promise<boolean>;
  /** Checks the proof and spends whatever makes it single-use; false for a wrong, used or expired proof. */
  verify(context: VerifyContext, proof: Proof): Promise<boolean>;
}
