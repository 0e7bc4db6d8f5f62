import { describe, expect, it } from 'vitest';
import { insertionOrder, type TableInfo } from './catalog.js';
import { TableHasher } from './rows.js';

const table = (name: string, references: string[] = []): TableInfo => ({ name, columns: [], primaryKey: [], references });

describe('insertionOrder', () => {
  it('puts referenced tables first, ignores self-references, and groups a cycle', () => {
    const groups = insertionOrder([
      table('events', ['cases']),
      table('cases', ['officials', 'cases']),
      table('officials', ['organizations']),
      table('organizations', ['organizations']),
      table('a', ['b']),
      table('b', ['a', 'organizations']),
    ]).map((group) => group.map((t) => t.name));
    const position = (name: string) => groups.findIndex((group) => group.includes(name));
    expect(groups).toContainEqual(['a', 'b']);
    expect(position('organizations')).toBeLessThan(position('officials'));
    expect(position('officials')).toBeLessThan(position('cases'));
    expect(position('cases')).toBeLessThan(position('events'));
    expect(position('organizations')).toBeLessThan(position('a'));
    expect(groups.flat().sort()).toEqual(['a', 'b', 'cases', 'events', 'officials', 'organizations']);
  });
});

describe('TableHasher', () => {
  const digest = (rows: Array<Array<string | null>>, columns = ['x', 'y']) => {
    const hasher = new TableHasher('sm3', 't', columns);
    for (const row of rows) hasher.addRow(row);
    return hasher.digest();
  };

  it('tells NULL from the empty string, and a value split differently across columns', () => {
    expect(digest([[null, 'a']])).not.toBe(digest([['', 'a']]));
    expect(digest([['ab', 'c']])).not.toBe(digest([['a', 'bc']]));
    expect(digest([['a', 'b']])).toBe(digest([['a', 'b']]));
    expect(digest([['a', 'b']], ['x', 'z'])).not.toBe(digest([['a', 'b']]));
    expect(digest([])).not.toBe(digest([[null, null]]));
  });
});
