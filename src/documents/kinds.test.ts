import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_KIND_SPECS, DOCUMENT_KINDS, fieldNames, isDocumentKind } from './kinds.js';
import { sampleDocumentData } from './sample.js';

describe('document kinds', () => {
  it('are the kinds the schema allows', () => {
    const sql = readFileSync(new URL('../db/migrations/0004_documents_and_case_file.sql', import.meta.url), 'utf8');
    for (const table of ['document_templates', 'documents']) {
      const check = new RegExp(`CREATE TABLE ${table} \\([^]*?kind\\s+text NOT NULL CHECK \\(kind IN \\(([^)]*)\\)\\)`, 'u').exec(sql);
      expect(check, table).not.toBeNull();
      expect(check![1]!.split(',').map((k) => k.trim().replace(/'/gu, ''))).toEqual([...DOCUMENT_KINDS]);
    }
    expect(isDocumentKind('decision')).toBe(true);
    expect(isDocumentKind('memo')).toBe(false);
  });

  it('number every document an organ issues except the receipt of service', () => {
    expect(DOCUMENT_KINDS.filter((k) => DOCUMENT_KIND_SPECS[k].numbered)).toEqual(['decision', 'tolerance-reasons', 'explanation-official', 'explanation-party-org', 'appeal-decision']);
  });

  it.each(DOCUMENT_KINDS)('%s: field names are unique, each described in Chinese, each with a sample value', (kind) => {
    const names = fieldNames(kind);
    expect(new Set(names).size).toBe(names.length);
    for (const field of DOCUMENT_KIND_SPECS[kind].fields) {
      expect(field.description).toMatch(/[\u4e00-\u9fff]/u);
      for (const item of field.items ?? []) expect(item.description).toMatch(/[\u4e00-\u9fff]/u);
    }
    const sample = sampleDocumentData(kind);
    expect(Object.keys(sample)).toEqual(DOCUMENT_KIND_SPECS[kind].fields.map((f) => f.name));
    for (const [name, value] of Object.entries(sample)) expect(String(value), name).not.toMatch(/^（.*）$/u);
  });
});
