import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { debianPostgresBinDir } from './test/setup/debian-postgres.js';

// Database suites (*.db.test.ts) run once per PostgreSQL server: the embedded 18 that ships with the
// product, and Debian's 15 (or the server at DATABASE_URL). With REQUIRE_ALL=1 a missing server fails the run
// instead of being skipped.
const requireAll = process.env.REQUIRE_ALL === '1';
const hasPostgres15 = Boolean(process.env.DATABASE_URL) || existsSync(`${debianPostgresBinDir}/postgres`);
if (!hasPostgres15 && !requireAll) {
  console.warn('PostgreSQL 15 not found: skipping the pg15 database project (set REQUIRE_ALL=1 to fail instead)');
}

const hasChromium = existsSync('/usr/bin/chromium');
if (!hasChromium && !requireAll) {
  console.warn('Chromium not found at /usr/bin/chromium: skipping the browser tests (set REQUIRE_ALL=1 to fail instead)');
}

const dbSuites = ['src/**/*.db.test.ts', 'test/**/*.db.test.ts'];
const browserSuites = ['test/browser/**/*.browser.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: { name: 'app', include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'], exclude: [...dbSuites, ...browserSuites] },
      },
      {
        extends: true,
        test: { name: 'pg18', include: dbSuites, globalSetup: ['test/setup/global-pg18.ts'] },
      },
      ...(hasPostgres15 || requireAll
        ? [{ extends: true as const, test: { name: 'pg15', include: dbSuites, globalSetup: ['test/setup/global-pg15.ts'] } }]
        : []),
      // The web application in Debian's Chromium, against the server on the embedded PostgreSQL 18 and on 15.
      ...(hasChromium || requireAll
        ? [
            { name: 'browser', databaseSetup: 'test/setup/global-pg18.ts' },
            ...(hasPostgres15 || requireAll ? [{ name: 'browser-pg15', databaseSetup: 'test/setup/global-pg15.ts' }] : []),
          ].map(({ name, databaseSetup }) => ({
            extends: true as const,
            test: {
              name,
              include: browserSuites,
              globalSetup: [databaseSetup, 'test/setup/global-browser.ts'],
              testTimeout: 180_000,
              // One Chromium at a time within a project: the machine has two cores.
              fileParallelism: false,
              // A page under load (two projects, two cores) can take seconds to settle: expect.poll's 1 s is too short.
              expect: { poll: { timeout: 15_000 } },
            },
          }))
        : []),
    ],
  },
});
