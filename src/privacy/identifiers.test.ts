import { describe, expect, it } from 'vitest';
import { ephemeralAppCrypto } from '../crypto/app-crypto.js';
import { demoIdentifiers } from '../db/demo/identifiers.js';
import { DEMO_OFFICIALS } from '../db/demo/officials.js';
import {
  identifierObjectId,
  identifiersInText,
  idNumberCheckDigit,
  identifierProblem,
  isValidIdNumber,
  isValidMobile,
  maskIdNumber,
  maskPhone,
  openIdentifier,
  sealIdentifiers,
} from './identifiers.js';

describe('personal identifiers', () => {
  it('computes the GB 11643 check character (ISO 7064 MOD 11-2)', () => {
    // The example of GB 11643-1999 Annex A.
    expect(idNumberCheckDigit('11010519491231002')).toBe('X');
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('110105194912310021')).toBe(false);
    expect(isValidIdNumber('11010519491231002x')).toBe(false);
    // A date that is not in the calendar.
    const feb30 = '11010519900230123';
    expect(isValidIdNumber(`${feb30}${idNumberCheckDigit(feb30)}`)).toBe(false);
    expect(isValidIdNumber('1101051949123100')).toBe(false);
  });

  it('masks: ID first 6 and last 4, phone first 3 and last 4', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(isValidMobile('13812345678')).toBe(true);
    expect(isValidMobile('12812345678')).toBe(false);
    expect(() => maskIdNumber('12345')).toThrow();
  });

  it('seals each value bound to its official and kind, with the masked form beside it', () => {
    const { secrets } = ephemeralAppCrypto();
    const columns = sealIdentifiers(secrets, 'o-1', { idNumber: '110105 19491231 002x', phone: '138-1234-5678' });
    expect(columns.id_number_masked).toBe('110105********002X');
    expect(columns.phone_masked).toBe('138****5678');
    expect(columns.id_number_sealed!.includes(Buffer.from('19491231'))).toBe(false);
    expect(openIdentifier(secrets, 'o-1', 'idNumber', columns.id_number_sealed!)).toBe('11010519491231002X');
    expect(openIdentifier(secrets, 'o-1', 'phone', columns.phone_sealed!)).toBe('13812345678');
    // Copied onto another official, or read as the other kind, the envelope does not open.
    expect(() => openIdentifier(secrets, 'o-2', 'idNumber', columns.id_number_sealed!)).toThrow();
    expect(() => openIdentifier(secrets, 'o-1', 'phone', columns.id_number_sealed!)).toThrow();
    expect(identifierObjectId('o-1', 'idNumber')).toBe('official:o-1:id-number');
    expect(() => sealIdentifiers(secrets, 'o-1', { idNumber: '110105194912310021' })).toThrow(/not a valid idNumber/);
  });

  it('says what is wrong with an entered identifier, naming the field and never repeating the value', () => {
    expect(identifierProblem('idNumber', '11010519491231002X')).toBeUndefined();
    expect(identifierProblem('idNumber', '110105 19491231 002x')).toBeUndefined();
    expect(identifierProblem('idNumber', '110105194912310021')).toMatch(/^公民身份号码校验码/);
    expect(identifierProblem('idNumber', '11010519491231002')).toMatch(/^公民身份号码须为 18 位/);
    expect(identifierProblem('idNumber', '11010519491231002XX')).toMatch(/^公民身份号码须为 18 位/);
    expect(identifierProblem('idNumber', '11010519490231002X')).toMatch(/^公民身份号码.*出生日期/);
    expect(identifierProblem('phone', '+86 138-1234-5678')).toBeUndefined();
    for (const bad of ['12812345678', '1381234567', '138123456789', '1381234567a']) {
      const problem = identifierProblem('phone', bad);
      expect(problem).toMatch(/^手机号码须为 11 位/);
      expect(problem).not.toContain(bad);
    }
  });

  it('finds ID numbers and mobile numbers in free text, whole or grouped, and reports them masked', () => {
    const text = '身份证号11010519491231002X，另见 110105 19491231 002X；电话13812345678、+86 139-1234-5678。文号京纪发〔2025〕12号，金额 1234567 元，日期 20250304。';
    const found = identifiersInText(text);
    expect(found.map((f) => [f.kind, f.masked])).toEqual([
      ['idNumber', '110105********002X'],
      ['idNumber', '110105********002X'],
      ['phone', '138****5678'],
      ['phone', '139****5678'],
    ]);
    for (const f of found) expect(text).toContain(f.text);
    // Longer runs of digits are something else.
    expect(identifiersInText('流水号 1381234567890123456789')).toEqual([]);
  });

  it('gives every demo official a well-formed ID number whose birth date fits the rank, and a mobile number', () => {
    const seen = new Set<string>();
    for (const official of DEMO_OFFICIALS) {
      const { idNumber, phone } = demoIdentifiers(official);
      expect(isValidIdNumber(idNumber), `${official.key}: ${idNumber}`).toBe(true);
      expect(isValidMobile(phone), `${official.key}: ${phone}`).toBe(true);
      const age = 2025 - Number(idNumber.slice(6, 10));
      expect(age).toBeGreaterThanOrEqual(official.rank === 'staff' ? 22 : 28);
      expect(age).toBeLessThanOrEqual(62);
      expect(seen.has(idNumber)).toBe(false);
      seen.add(idNumber);
    }
    expect(demoIdentifiers(DEMO_OFFICIALS[0])).toEqual(demoIdentifiers(DEMO_OFFICIALS[0]));
  });
});
