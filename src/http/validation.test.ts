import { describe, expect, it } from 'vitest';
import { findRefusal, MAX_JSON_DEPTH, nestsDeeperThan } from './validation.js';

describe('findRefusal', () => {
  it('names a key the schema dropped, at the top or nested in objects and arrays', () => {
    expect(findRefusal({ a: 1, b: 2 }, { a: 1 })).toMatchObject({ path: ['b'], keyword: 'unrecognized_keys' });
    expect(findRefusal({ list: [{ a: 1 }, { a: 2, x: 3 }] }, { list: [{ a: 1 }, { a: 2 }] })).toMatchObject({ path: ['list', 1, 'x'] });
    expect(findRefusal({ a: 1 }, { a: 1, defaulted: [] })).toBeUndefined();
  });

  it('does not judge the keys of a value passed through whole (z.unknown) or replaced by a transform', () => {
    const free = { situations: ['x'], anything: { y: 1 } };
    expect(findRefusal({ input: free }, { input: free })).toBeUndefined();
    expect(findRefusal({ version: '3' }, { version: 3 })).toBeUndefined();
  });

  it('refuses NUL and lone surrogates in any string, keys passed through included', () => {
    expect(findRefusal({ a: 'x\u0000y' }, { a: 'x\u0000y' })).toMatchObject({ path: ['a'], keyword: 'nul_character' });
    const free = { deep: [{ s: '\ud800' }] };
    expect(findRefusal({ input: free }, { input: free })).toMatchObject({ path: ['input', 'deep', 0, 's'], keyword: 'lone_surrogate' });
    expect(findRefusal({ a: '\udc00' }, { a: '\udc00' })).toMatchObject({ keyword: 'lone_surrogate' });
    expect(findRefusal({ a: '𠀀\u200b·' }, { a: '𠀀\u200b·' })).toBeUndefined();
  });

  it('walks a value 100 000 levels deep without overflowing the stack', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findRefusal({ a: deep }, { a: deep })?.keyword).toBe('nul_character');
  });
});

describe('nestsDeeperThan', () => {
  it('counts arrays and objects, not brackets inside strings', () => {
    expect(nestsDeeperThan('[[[1]]]', 3)).toBe(false);
    expect(nestsDeeperThan('[[[[1]]]]', 3)).toBe(true);
    expect(nestsDeeperThan('{"a":{"b":[1]}}', 3)).toBe(false);
    expect(nestsDeeperThan(`{"a":"${'['.repeat(100)}"}`, 1)).toBe(false);
    expect(nestsDeeperThan(`{"a":"\\"${'{'.repeat(100)}"}`, 1)).toBe(false);
    expect(nestsDeeperThan('['.repeat(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
  });
});
