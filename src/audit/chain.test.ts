import fc from 'fast-check';
import { canonicalize } from 'json-canonicalize';
import { describe, expect, it } from 'vitest';
import { canonicalJson, eventBody, eventHash, type ChainAlgorithm } from './chain.js';

const event = {
  seq: 7n,
  at: new Date('2026-01-02T03:04:05.678Z'),
  actor: 'user:u1',
  caseId: null,
  type: 'user.signed-in',
  payload: { note: '测试', n: 1 },
};
const prev = Buffer.alloc(32, 0xab);

describe('eventHash', () => {
  it('gives the SHA-256 chains made before the algorithm was configurable the same hashes', () => {
    // Pinned from the formula as it stood when every chain was SHA-256: those databases must keep verifying.
    expect(eventHash('sha256', event, prev).toString('hex')).toBe('60c62409abf7b05970149466cae04a8e4abc7455f46851d011bd6f42d329690c');
  });

  it('hashes the same bytes with SM3 under the gm provider', () => {
    expect(eventHash('sm3', event, prev).toString('hex')).toBe('51b087b5370e73d99ae0feede9b2cca857b6f10dbe1ffcaac39f3868c151e6f9');
  });

  it('refuses an algorithm that is not one of the chain\'s, whatever the database says', () => {
    expect(() => eventHash('md5' as ChainAlgorithm, event, prev)).toThrow('unknown audit chain algorithm "md5"');
  });
});

describe('canonicalJson', () => {
  it('writes every JSON value byte for byte as json-canonicalize does', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(canonicalize(value));
        // What the chain hashes has been through JSON.parse (jsonb, or appendEvent's own round trip).
        const parsed: unknown = JSON.parse(JSON.stringify(value));
        expect(canonicalJson(parsed)).toBe(canonicalize(parsed));
      }),
      { numRuns: 2000 },
    );
  });

  it('matches it on keys that reorder or do not copy, toJSON, holes, undefined, non-JSON values and key order by UTF-16 code units', () => {
    const hole: unknown[] = [1];
    hole[2] = 3;
    const nullPrototype = Object.assign(Object.create(null) as Record<string, unknown>, { b: 1, a: 2 });
    const cases: unknown[] = [
      JSON.parse('{"b":1,"10":2,"9":3,"a":{"2":0,"1":0}}'),
      JSON.parse('{"__proto__":{"x":1},"a":1}'),
      JSON.parse('{"toJSON":1,"b":2,"a":3}'),
      { when: new Date('2026-01-02T03:04:05.678Z'), list: [undefined, () => 1, 'x'] },
      { b: undefined, a: [hole], c: { z: 1, y: undefined } },
      { '\u{1F600}': 1, '\uFFFF': 2, 'é': 3, e: 4, E: 5, '': 6 },
      { n: [0, -0, 1e21, 1e-7, 0.1 + 0.2, Number.MAX_VALUE, NaN, Infinity], s: '\u2028\u0000"\\/\ud800' },
      nullPrototype,
      [new String('s'), new Number(1)],
      { f() {}, s: Symbol('s') },
      undefined,
    ];
    for (const value of cases) expect(canonicalJson(value)).toBe(canonicalize(value));
  });

  it('leaves the hash of an event unchanged', () => {
    const body = canonicalize({ actor: event.actor, at: event.at.toISOString(), caseId: event.caseId, payload: event.payload, type: event.type });
    expect(eventBody({ ...event, at: event.at.toISOString() })).toBe(body);
  });
});
