import { createHash } from 'node:crypto';
import { idNumberCheckDigit } from '../../privacy/identifiers.js';
import type { DemoOfficial, Rank } from './officials.js';

/**
 * Fictional identifiers for the demo officials: well-formed (a real region code, a birth date that fits the
 * official's rank, the GB 11643 check character; a mobile number of a real carrier prefix) but made up from the
 * official's key, so they are the same on every seed and belong to nobody we know of. They are sealed like real
 * ones, so the demo shows the masked display and the audited reveal.
 */

// Places of birth: Beijing's districts and a few other provinces' city districts (GB/T 2260 codes).
const REGIONS = ['110101', '110102', '110105', '110106', '110108', '110112', '110114', '130102', '370102', '410105', '320106', '420106', '610113', '140105'];
const MOBILE_PREFIXES = ['130', '131', '133', '135', '136', '138', '139', '150', '152', '158', '159', '177', '180', '186', '189', '199'];

/** Ages that fit the rank in the demo year (a staff member in their late twenties, a bureau deputy in their fifties). */
const AGE_BY_RANK: Record<Rank, readonly [number, number]> = {
  'ministerial-principal': [55, 62],
  'ministerial-deputy': [52, 60],
  'bureau-principal': [50, 58],
  'bureau-deputy': [46, 56],
  'division-principal': [40, 54],
  'division-deputy': [36, 50],
  'section-principal': [32, 45],
  'section-deputy': [29, 40],
  staff: [24, 35],
};
const DEMO_YEAR = 2025;

function digits(seed: string): number[] {
  return [...createHash('sha256').update(`rongcuo demo identifiers\n${seed}`).digest()];
}

export function demoIdentifiers(official: Pick<DemoOfficial, 'key' | 'rank'>): { idNumber: string; phone: string } {
  const d = digits(official.key);
  const [youngest, oldest] = AGE_BY_RANK[official.rank];
  const year = DEMO_YEAR - (youngest + (d[0]! % (oldest - youngest + 1)));
  const month = 1 + (d[1]! % 12);
  const day = 1 + (d[2]! % 28);
  const sequence = String(d[3]! % 1000).padStart(3, '0');
  const first17 = `${REGIONS[d[4]! % REGIONS.length]}${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${sequence}`;
  const phone = `${MOBILE_PREFIXES[d[5]! % MOBILE_PREFIXES.length]}${d
    .slice(6, 14)
    .map((b) => b % 10)
    .join('')}`;
  return { idNumber: `${first17}${idNumberCheckDigit(first17)}`, phone };
}
