import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { LocalFileStore } from '../src/files/store.js';
import { buildApp } from '../src/http/app.js';
import { TEST_CRYPTO } from './helpers/app.js';
import { useTestDatabase } from './helpers/db.js';

/** The web application's page answers its own routes only, not any name a scanner tries (wapiti's "backup file"). */
describe('the web application fallback', () => {
  const database = useTestDatabase();
  let app: FastifyInstance;
  beforeAll(async () => {
    const webRoot = await mkdtemp(path.join(tmpdir(), 'rongcuo-web-'));
    await writeFile(path.join(webRoot, 'index.html'), '<!doctype html><title>容错纠错工作平台</title>');
    const files = new LocalFileStore(await mkdtemp(path.join(tmpdir(), 'rongcuo-files-')));
    app = await buildApp({ context: { db: database.current.db, clock: systemClock, version: 'test', files, crypto: TEST_CRYPTO, secureCookies: false }, webRoot });
    await app.ready();
  });
  afterAll(() => app.close());

  it('serves the page for client routes, with their ids and queries', async () => {
    for (const url of ['/', '/workbench', '/cases', '/cases/7f1c2d3e-0000-4000-8000-000000000001?tab=evidence', '/typical-cases/manage', '/admin/audit']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type'], url).toMatch(/^text\/html/);
      expect(response.body).toContain('容错纠错工作平台');
    }
  });

  it('answers 404 with a problem document for file-like names and other methods; the API keeps its own answers', async () => {
    for (const url of ['/cases~', '/cases.bak', '/cases.backup', '/index.php', '/.env', '/assets/missing.js']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type'], url).toMatch(/^application\/problem\+json/);
      expect(response.body).not.toContain('容错纠错工作平台');
    }
    expect((await app.inject({ method: 'POST', url: '/cases' })).statusCode).toBe(404);
    // An unknown API route is the API's: a problem (401 before any session), never the page.
    const api = await app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(api.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
