import { describe, expect, it } from 'vitest';
import { eventHash, type ChainAlgorithm } from './chain.js';

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
