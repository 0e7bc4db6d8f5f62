// Errors for bad assessment input. The codes are a public contract (CLI stderr, HTTP 400 bodies): callers
// branch on `code`, show `message` to users and point at `key`.

export type PolicyInputErrorCode =
  /** The policy id names no pack. */
  | 'UNKNOWN_POLICY'
  /** No pack was in force on the date asked for. */
  | 'NO_POLICY_IN_FORCE'
  /** The input (or one of its parts) has the wrong JSON shape, or contradicts the policy chosen elsewhere. */
  | 'INVALID_INPUT'
  /** An unknown top-level key. */
  | 'UNKNOWN_KEY'
  /** `situations` is absent. */
  | 'MISSING_SITUATIONS'
  | 'UNKNOWN_SITUATION'
  | 'DUPLICATE_SITUATION'
  | 'UNKNOWN_EXCLUSION'
  /** An exclusion that is not true, false or null. */
  | 'INVALID_EXCLUSION_VALUE'
  | 'UNKNOWN_FACTOR'
  /** A factor value that is not one of the factor's values or null. */
  | 'INVALID_FACTOR_VALUE';

/** An allowed id or value, as it would appear in the JSON input. */
export type AllowedValue = string | boolean | null;

export interface PolicyInputErrorJSON {
  code: PolicyInputErrorCode;
  key: string;
  allowed: AllowedValue[];
  message: string;
  messageEn: string;
}

export class PolicyInputError extends Error {
  override readonly name = 'PolicyInputError';
  readonly code: PolicyInputErrorCode;
  /** Path of the bad key, e.g. `factors.motive.purpose`, `situations[1]`, `policy`; `` for the whole input. */
  readonly key: string;
  readonly allowed: readonly AllowedValue[];
  readonly messageEn: string;

  constructor(
    code: PolicyInputErrorCode,
    key: string,
    allowed: readonly AllowedValue[],
    message: string,
    messageEn: string,
  ) {
    super(message);
    this.code = code;
    this.key = key;
    this.allowed = allowed;
    this.messageEn = messageEn;
  }

  toJSON(): PolicyInputErrorJSON {
    return { code: this.code, key: this.key, allowed: [...this.allowed], message: this.message, messageEn: this.messageEn };
  }
}

/** Renders an offending value for a message, bounded so a huge input cannot flood the error. */
export function showValue(value: unknown): string {
  let shown: string;
  try {
    shown = value === undefined ? 'undefined' : (JSON.stringify(value) ?? String(value));
  } catch {
    shown = String(value);
  }
  return shown.length > 60 ? `${shown.slice(0, 57)}...` : shown;
}

/** Lists allowed values for a message: `a、b、c` in Chinese, `a, b, c` in English. */
export function listAllowed(allowed: readonly AllowedValue[], separator: string): string {
  return allowed.map((a) => (typeof a === 'string' ? a : String(a))).join(separator);
}
