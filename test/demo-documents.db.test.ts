import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/access/actor.js';
import { fixedClock } from '../src/clock.js';
import { issueDocument } from '../src/commands/issue-document.js';
import { seedDemo } from '../src/db/seed-demo.js';
import { DOCUMENT_KINDS, DOCUMENT_KIND_SPECS } from '../src/documents/kinds.js';
import { docxText } from '../src/documents/text.js';
import { AppError } from '../src/errors.js';
import { LocalFileStore } from '../src/files/store.js';
import { useTestDatabase } from './helpers/db.js';

const OUTCOME_WORDS = ['容错免责', '容错减责', '不予容错', '撤销问责'];

/**
 * Every document for every demo case: issued where the case is ready for it (closed cases already hold theirs,
 * issued at closing), parsed back, and checked for the parts an official document must carry.
 */
describe('documents for the demo cases', () => {
  const database = useTestDatabase();
  let files: LocalFileStore;
  const clock = fixedClock('2026-06-30T02:00:00Z');

  beforeAll(async () => {
    files = new LocalFileStore(await mkdtemp(path.join(tmpdir(), 'rongcuo-files-')));
    expect(await seedDemo(database.current.db, clock, files)).toBe(true);
  }, 120_000);

  async function handlerOf(organId: string): Promise<Actor> {
    const user = await database.current.db
      .selectFrom('user_roles')
      .innerJoin('users', 'users.id', 'user_roles.user_id')
      .select(['users.id', 'users.username', 'users.display_name'])
      .where('user_roles.role', '=', 'handler')
      .where('user_roles.organization_id', '=', organId)
      .executeTakeFirstOrThrow();
    const roles = await database.current.db.selectFrom('user_roles').select(['role', 'organization_id']).where('user_id', '=', user.id).execute();
    return { userId: user.id, username: user.username, displayName: user.display_name, officialId: null, roles: roles.map((r) => ({ role: r.role, organizationId: r.organization_id })) };
  }

  it('generates every document the demo cases are ready for, with organ, official, facts, outcome and the articles quoted', async () => {
    const db = database.current.db;
    const cases = await db
      .selectFrom('cases')
      .innerJoin('officials', 'officials.id', 'cases.official_id')
      .innerJoin('organizations', 'organizations.id', 'cases.organ_id')
      .select(['cases.id', 'cases.state', 'cases.organ_id', 'cases.description', 'officials.name as official', 'organizations.name as organ'])
      .execute();
    const seen = new Set<string>();
    for (const kase of cases) {
      if (kase.state !== 'closed') {
        const actor = await handlerOf(kase.organ_id);
        for (const kind of DOCUMENT_KINDS) {
          try {
            await issueDocument({ db, clock, actor, files, caseId: kase.id, kind });
          } catch (error) {
            // A document the case is not ready for is refused by name, never issued half-empty.
            if (error instanceof AppError && error.code === 'DOCUMENT_NOT_READY') continue;
            throw error;
          }
        }
      }
      const documents = await db.selectFrom('documents').select(['kind', 'number', 'file_sha256']).where('case_id', '=', kase.id).execute();
      for (const document of documents) {
        seen.add(document.kind);
        const text = docxText(await files.get(document.file_sha256));
        const where = `${document.kind} of ${kase.id}`;
        expect(text, where).toContain(DOCUMENT_KIND_SPECS[document.kind as keyof typeof DOCUMENT_KIND_SPECS].title.slice(0, 4));
        expect(text, where).toContain(kase.organ);
        expect(text, where).toContain(kase.official);
        if (document.number) expect(text, where).toContain(document.number);
        if (document.kind !== 'service-receipt') expect(OUTCOME_WORDS.some((word) => text.includes(word)), where).toBe(true);
        // The facts are stated where the organ decides; the explanations, the appeal decision and the receipt refer to it.
        if (['decision', 'tolerance-reasons'].includes(document.kind)) expect(text, where).toContain(kase.description.slice(0, 12));
        if (document.kind === 'decision') expect(text, where).toMatch(/第十三条/);
        if (document.kind === 'tolerance-reasons') {
          expect(text, where).toContain('第十条');
          expect(text, where).toContain('第九条');
          expect(text, where).toContain('第八条');
        }
      }
    }
    // Every kind occurs somewhere in the demo.
    expect([...seen].sort()).toEqual([...DOCUMENT_KINDS].sort());
  }, 180_000);
});
