import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../../test/helpers/app.js';
import { useTestDatabase } from '../../../../test/helpers/db.js';

describe('GET /api/health', () => {
  const database = useTestDatabase();
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp(database.current.db);
  });
  afterAll(() => app.close());

  it('answers without a session and checks the database', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', database: 'ok', version: 'test' });
  });

  it('sends the security headers', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/health' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
  });
});

describe('every route', () => {
  const database = useTestDatabase();
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp(database.current.db);
  });
  afterAll(() => app.close());

  it('refuses without a session unless it is one of the declared public routes', async () => {
    const publicRoutes = app.registeredRoutes.filter((route) => route.public).map((route) => `${route.method} ${route.url}`);
    expect(publicRoutes.sort()).toEqual(['GET /api/health', 'GET /api/openapi.json', 'GET /api/public/typical-cases', 'GET /api/public/typical-cases/:id', 'POST /api/v1/session']);
    const protectedRoutes = app.registeredRoutes.filter((route) => !route.public);
    expect(protectedRoutes.length).toBeGreaterThan(0);
    for (const route of protectedRoutes) {
      const url = route.url.replace(/:(\w+)/g, '00000000-0000-0000-0000-000000000000');
      const response = await app.inject({ method: route.method as 'GET', url, payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : {} });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
    }
  });
});
