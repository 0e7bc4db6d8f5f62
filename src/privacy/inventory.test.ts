import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REVEAL_ROLES } from '../commands/reveal-identifier.js';
import { INVENTORY_ENTRIES, RETENTION, type PersonalEntry } from './inventory.js';
import { INVENTORY_DOC_PATH, renderInventoryMarkdown } from './inventory-doc.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('the personal-information inventory', () => {
  it('is published as docs/personal-information.md, and the file is current', () => {
    const current = readFileSync(path.join(root, INVENTORY_DOC_PATH), 'utf8');
    expect(current === renderInventoryMarkdown(), `${INVENTORY_DOC_PATH} is out of date: run \`npm run privacy:inventory\``).toBe(true);
  });

  it('says for every personal field why it is processed, who sees it and how long it is kept', () => {
    const personal = Object.entries(INVENTORY_ENTRIES).filter((e): e is [string, PersonalEntry] => e[1].personal);
    expect(personal.length).toBeGreaterThan(50);
    for (const [name, entry] of personal) {
      expect(entry.holds.trim(), name).not.toBe('');
      expect(entry.purpose, name).toMatch(/[\u4e00-\u9fff]/);
      expect(entry.roles.length, name).toBeGreaterThan(0);
      expect(Object.keys(RETENTION), name).toContain(entry.retention);
      for (const route of entry.elsewhere?.routes ?? []) expect(route, name).toMatch(/^(GET|POST|PUT|DELETE) \/api\//);
    }
  });

  it('keeps the identifiers masked everywhere but in the reveal, which only their managers receive', () => {
    for (const name of ['identifiers', 'idNumber', 'phone'] as const) expect(INVENTORY_ENTRIES[name]).toMatchObject({ personal: true, masked: true });
    expect(INVENTORY_ENTRIES.idNumber).toMatchObject({ sensitive: true, retention: 'identifier' });
    const plaintext = INVENTORY_ENTRIES.plaintext as PersonalEntry;
    expect(plaintext).toMatchObject({ personal: true, sensitive: true, retention: 'revealed' });
    expect([...plaintext.roles].sort()).toEqual([...REVEAL_ROLES].sort());
  });

  it('treats the content of a case as sensitive (unpublished records of violations, GB/T 35273 Annex B)', () => {
    for (const name of ['title', 'description', 'content', 'outcome', 'measures', 'toleranceOpinion', 'grounds', 'flaggedTerms']) {
      expect(INVENTORY_ENTRIES[name], name).toMatchObject({ personal: true, sensitive: true });
    }
  });
});
