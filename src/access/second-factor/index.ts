import type { Db, Tx } from '../../db/connect.js';
import { recoveryCodeFactor } from './recovery-codes.js';
import { sm2CertificateFactor } from './sm2-certificate.js';
import { totpFactor } from './totp.js';
import type { SecondFactor, SecondFactorMethod } from './types.js';

export type { SecondFactor, SecondFactorMethod, SecretSealer, VerifyContext } from './types.js';
export { SECOND_FACTOR_METHODS } from './types.js';

/** The proof each method takes. */
export interface SecondFactorProofs {
  totp: { code: string };
  'recovery-code': { code: string };
  'sm2-certificate': { signature: string };
}

/**
 * The methods, by name. Recovery codes stand in for the TOTP device; a further method (another certificate
 * scheme, a cipher machine's own check) is one more implementation here.
 */
export const SECOND_FACTORS: { [M in SecondFactorMethod]: SecondFactor<SecondFactorProofs[M]> } = {
  totp: totpFactor,
  'recovery-code': recoveryCodeFactor,
  'sm2-certificate': sm2CertificateFactor,
};

/** The methods this user can answer with now; empty when they have not enrolled any second factor yet. */
export async function availableSecondFactors(db: Db | Tx, userId: string): Promise<SecondFactorMethod[]> {
  const methods = Object.values(SECOND_FACTORS);
  const available = await Promise.all(methods.map((factor) => factor.isAvailable(db, userId)));
  return methods.filter((_, i) => available[i]).map((factor) => factor.method);
}
