import { describe, expect, it } from 'vitest';
import { MIDDLE_DOT, personName } from './names.js';
import { Random } from './random.js';

describe('generated names', () => {
  const names = (seed: string) => {
    const random = Random.derive(seed, 'names');
    return Array.from({ length: 20_000 }, () => personName(random));
  };

  it('are the same for the same seed and differ for another', () => {
    expect(names('a')).toEqual(names('a'));
    expect(names('b')).not.toEqual(names('a'));
  });

  it('include characters outside the Basic Multilingual Plane and minority names joined by U+00B7', () => {
    const all = names('a');
    const supplementary = all.filter((name) => [...name].some((c) => c.codePointAt(0)! > 0xffff));
    const minority = all.filter((name) => name.includes(MIDDLE_DOT));
    expect(supplementary.length).toBeGreaterThan(5);
    expect(minority.length).toBeGreaterThan(50);
    for (const name of minority) expect(name).toMatch(/^[\u4e00-\u9fff]+\u00b7[\u4e00-\u9fff]+$/u);
    // Surname and one or two given characters (compound surnames make four); a minority name is longer.
    for (const name of all.filter((n) => !n.includes(MIDDLE_DOT))) expect([...name].length).toBeGreaterThanOrEqual(2);
    for (const name of all) expect([...name].length).toBeLessThanOrEqual(12);
  });
});

describe('the seeded streams', () => {
  it('give the same draws for the same seed and labels, and other draws for other labels', () => {
    const draws = (...labels: (string | number)[]) => {
      const random = Random.derive('seed', ...labels);
      return Array.from({ length: 8 }, () => random.uint32());
    };
    expect(draws('case', 1)).toEqual(draws('case', 1));
    expect(draws('case', 2)).not.toEqual(draws('case', 1));
  });

  it('make well-formed version 4 UUIDs', () => {
    const random = Random.derive('seed', 'uuid');
    for (let i = 0; i < 1000; i++) expect(random.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
