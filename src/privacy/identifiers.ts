import type { SecretBox } from '../crypto/envelope.js';

/**
 * An official's personal identifiers (个人信息保护法; GB/T 35273 Annex B lists identity documents among sensitive
 * personal information): the 公民身份号码 (GB 11643-1999) and the mobile phone. They are stored sealed under the
 * envelope encryption, beside a masked form for display; only the audited reveal opens them.
 */
export const IDENTIFIER_KINDS = {
  idNumber: { label: '公民身份号码', objectSuffix: 'id-number' },
  phone: { label: '手机号码', objectSuffix: 'phone' },
} as const;
export type IdentifierKind = keyof typeof IDENTIFIER_KINDS;
export const IDENTIFIER_KIND_NAMES = Object.keys(IDENTIFIER_KINDS) as [IdentifierKind, ...IdentifierKind[]];

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** The GB 11643 check character of the first 17 digits (ISO 7064 MOD 11-2). */
export function idNumberCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('the check digit needs exactly 17 digits');
  const sum = ID_WEIGHTS.reduce((total, weight, i) => total + weight * Number(first17[i]), 0);
  return ID_CHECK[sum % 11]!;
}

/** Characters 7–14 of an ID number are a real calendar date from 1900 on. */
function hasBirthDate(value: string): boolean {
  const year = Number(value.slice(6, 10));
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  const birth = new Date(Date.UTC(year, month - 1, day));
  return year >= 1900 && birth.getUTCFullYear() === year && birth.getUTCMonth() === month - 1 && birth.getUTCDate() === day;
}

/** An 18-character ID number with a real calendar birth date and the right check character (x written as X). */
export function isValidIdNumber(value: string): boolean {
  return /^\d{17}[\dX]$/.test(value) && hasBirthDate(value) && idNumberCheckDigit(value.slice(0, 17)) === value[17];
}

/** A mainland mobile number: 11 digits, 1 then 3–9. */
export const isValidMobile = (value: string): boolean => /^1[3-9]\d{9}$/.test(value);

/** How each identifier is written before it is checked: no spaces or hyphens, the check character upper case. */
export function normalizeIdentifier(kind: IdentifierKind, value: string): string {
  const compact = value.replace(/[\s-]/g, '');
  return kind === 'idNumber' ? compact.toUpperCase() : compact.replace(/^\+?86/, '');
}

export function isValidIdentifier(kind: IdentifierKind, value: string): boolean {
  return kind === 'idNumber' ? isValidIdNumber(value) : isValidMobile(value);
}

/**
 * Why a value as entered is not a valid identifier of this kind — a Chinese message naming the field, never
 * repeating the value — or undefined when it is one (once normalized: spaces and hyphens dropped, x as X, +86 off).
 */
export function identifierProblem(kind: IdentifierKind, raw: string): string | undefined {
  const value = normalizeIdentifier(kind, raw);
  if (kind === 'phone') return isValidMobile(value) ? undefined : '手机号码须为 11 位中国大陆手机号码（以 13–19 开头的数字）';
  if (!/^\d{17}[\dX]$/.test(value)) return '公民身份号码须为 18 位：前 17 位为数字，最后一位为数字或 X';
  if (!hasBirthDate(value)) return '公民身份号码第 7–14 位的出生日期不是有效日期';
  if (idNumberCheckDigit(value.slice(0, 17)) !== value[17]) return '公民身份号码校验码（最后一位）不正确，请核对（GB 11643）';
  return undefined;
}

/** 110101199003071234 → 110101********1234: the region of birth and the last four, never the birth date. */
export function maskIdNumber(value: string): string {
  if (!/^\d{17}[\dX]$/.test(value)) throw new Error('not an 18-character ID number');
  return `${value.slice(0, 6)}${'*'.repeat(8)}${value.slice(14)}`;
}

/** 13812345678 → 138****5678. */
export function maskPhone(value: string): string {
  if (!/^1\d{10}$/.test(value)) throw new Error('not an 11-digit mobile number');
  return `${value.slice(0, 3)}****${value.slice(7)}`;
}

export function maskIdentifier(kind: IdentifierKind, value: string): string {
  return kind === 'idNumber' ? maskIdNumber(value) : maskPhone(value);
}

/** The envelope's associated data: the value opens only for this official and this kind of identifier. */
export const identifierObjectId = (officialId: string, kind: IdentifierKind): string => `official:${officialId}:${IDENTIFIER_KINDS[kind].objectSuffix}`;

export interface OfficialIdentifiers {
  idNumber?: string | undefined;
  phone?: string | undefined;
}

/** The officials columns for these identifiers: each sealed for this official, with its masked form. */
export function sealIdentifiers(secrets: SecretBox, officialId: string, identifiers: OfficialIdentifiers) {
  const columns: { id_number_sealed?: Buffer; id_number_masked?: string; phone_sealed?: Buffer; phone_masked?: string } = {};
  for (const kind of IDENTIFIER_KIND_NAMES) {
    const raw = identifiers[kind];
    if (raw === undefined) continue;
    const value = normalizeIdentifier(kind, raw);
    if (!isValidIdentifier(kind, value)) throw new Error(`not a valid ${kind} (the value is not repeated here)`);
    const sealed = secrets.seal(Buffer.from(value, 'utf8'), identifierObjectId(officialId, kind));
    if (kind === 'idNumber') Object.assign(columns, { id_number_sealed: sealed, id_number_masked: maskIdNumber(value) });
    else Object.assign(columns, { phone_sealed: sealed, phone_masked: maskPhone(value) });
  }
  return columns;
}

export function openIdentifier(secrets: SecretBox, officialId: string, kind: IdentifierKind, sealed: Buffer): string {
  return secrets.open(sealed, identifierObjectId(officialId, kind)).toString('utf8');
}

/** The masked identifiers as responses carry them (null where none is recorded). */
export interface MaskedIdentifiers {
  idNumber: string | null;
  phone: string | null;
}

// What may look like an identifier in free text: an 18-character ID number, or a mobile number, written whole or
// in the usual groups (6-8-4 or 6-4-4-4; 3-4-4), with spaces or hyphens between groups. Digits glued to other
// digits are not taken apart (a longer number is something else). The 15-digit ID numbers of before 1999 are no
// longer valid documents and are not looked for: any run of 15 digits would match.
const ID_IN_TEXT = /(?<![\dXx])\d{6}[\s-]?(?:\d{8}|\d{4}[\s-]?\d{4})[\s-]?\d{3}[\dXx](?![\dXx])/g;
const MOBILE_IN_TEXT = /(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)/g;

export interface IdentifierInText {
  kind: IdentifierKind;
  /** The text as written (to replace it). */
  text: string;
  /** Masked, to report it without repeating it. */
  masked: string;
}

/**
 * ID numbers and mobile numbers written in a text, whoever's they are: the typical-case check flags them by their
 * form, so it never needs to open an official's sealed values to compare.
 */
export function identifiersInText(text: string): IdentifierInText[] {
  const found: IdentifierInText[] = [];
  for (const match of text.matchAll(ID_IN_TEXT)) {
    found.push({ kind: 'idNumber', text: match[0], masked: maskIdNumber(normalizeIdentifier('idNumber', match[0])) });
  }
  const withoutIds = text.replace(ID_IN_TEXT, (m) => ' '.repeat(m.length));
  for (const match of withoutIds.matchAll(MOBILE_IN_TEXT)) {
    found.push({ kind: 'phone', text: match[0], masked: maskPhone(normalizeIdentifier('phone', match[0])) });
  }
  return found;
}
