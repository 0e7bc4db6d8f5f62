import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { systemClock } from '../../src/clock.js';
import { seedDemo, DEMO_PASSWORD } from '../../src/db/seed-demo.js';
import { buildTestApp, TEST_CRYPTO, tempFileStore } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { repoRoot } from '../helpers/cli.js';
import { completeSignIn, currentPassword, httpTransport, nextTotpCode } from '../helpers/identity.js';

/** Debian's Chromium; the machine downloads no browsers of its own. */
export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** Where the browser tests leave their screenshots (the README shows two of them, copied to docs/screenshots). */
export const SCREENSHOT_DIR = path.join(repoRoot, 'test-results', 'screenshots');
const WEB_ROOT = path.join(repoRoot, 'dist', 'web');

export interface BrowserHarness {
  url: string;
  db: TestDatabase;
  /**
   * A page signed in as this demo user, at 1366×768, on the web application's home. The first time through every
   * sign-in step over the API (authenticator enrolled, the seeded password changed); later pages reuse the session.
   */
  page(username: string, password?: string): Promise<Page>;
  /**
   * Brings a demo account through its first sign-in over the API (enrolment, required password change) without
   * keeping a page, and tells what signing in through the form now takes: the password, and a fresh code.
   */
  prepare(username: string, password?: string): Promise<{ userId: string; password: string; code(): string }>;
  /** Fills the sign-in form on this page (at /login) as a demo user: the password, then a code from the authenticator. */
  signInThroughForm(page: Page, username: string, password?: string): Promise<void>;
  /** A page that is not signed in. */
  anonymousPage(): Promise<Page>;
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

/** The web application as built by `npm ci` (dist/web); built here when missing, e.g. after a source change. */
function ensureWebBuilt(): void {
  if (existsSync(path.join(WEB_ROOT, 'index.html'))) return;
  execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: repoRoot, stdio: 'inherit' });
}

export type BrowserCookie = Parameters<BrowserContext['addCookies']>[0][number];

/**
 * Signs in through every step over HTTP (test/helpers/identity.ts) and returns the session cookie as a browser
 * context takes it (addCookies), with the attributes the server gives it.
 */
export async function signInOverHttp(url: string, credentials: { username: string; password: string }): Promise<{ userId: string; cookie: BrowserCookie }> {
  const transport = httpTransport(url);
  const { userId } = await completeSignIn(transport, credentials);
  if (!transport.cookie) throw new Error(`sign-in as ${credentials.username} set no session cookie`);
  return { userId, cookie: { ...transport.cookie, url, httpOnly: true, secure: transport.cookie.name.startsWith('__Host-'), sameSite: 'Strict' } };
}

/**
 * The real server (API and web application) on a fresh database with the demo data, listening on a loopback
 * port, and a real headless Chromium driving it.
 */
export async function startBrowserHarness(): Promise<BrowserHarness> {
  ensureWebBuilt();
  const db = await createTestDatabase();
  let app: FastifyInstance | undefined;
  let browser: Browser | undefined;
  try {
    const files = await tempFileStore();
    // One keyring for the seed and the server (buildTestApp's): the demo officials' identifiers are sealed under it.
    await seedDemo(db.db, systemClock, files, TEST_CRYPTO);
    app = await buildTestApp(db.db, systemClock, { files, webRoot: WEB_ROOT });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const openedBrowser = browser;
    const openedApp = app;

    const newPage = async () => {
      const context = await openedBrowser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', baseURL: url });
      // Two cores shared with the server and its database: be patient rather than flaky.
      context.setDefaultTimeout(60_000);
      return context.newPage();
    };
    /** The session cookie of each user signed in so far: a code is good once per 30 s, a session for 30 idle minutes. */
    const sessionCookies = new Map<string, BrowserCookie>();
    const signIn = async (context: BrowserContext, username: string, password: string): Promise<string> => {
      const cached = sessionCookies.get(username);
      if (cached) {
        await context.addCookies([cached]);
        const check = await context.request.get('/api/v1/session');
        if (check.ok() && ((await check.json()) as { stage: string }).stage === 'complete') return ((await check.json()) as { user: { id: string } }).user.id;
        await context.clearCookies();
      }
      const { userId, cookie } = await signInOverHttp(url, { username, password });
      await context.addCookies([cookie]);
      sessionCookies.set(username, cookie);
      return userId;
    };
    const prepare = async (username: string, password = DEMO_PASSWORD) => {
      const page = await newPage();
      try {
        const userId = await signIn(page.context(), username, password);
        return { userId, password: currentPassword({ username, password }), code: () => nextTotpCode(userId, new Date()) };
      } finally {
        await page.context().close();
      }
    };
    return {
      url,
      db,
      anonymousPage: newPage,
      async page(username, password = DEMO_PASSWORD) {
        const page = await newPage();
        // Signing in through the form is tested on its own; here the session is taken through the API.
        await signIn(page.context(), username, password);
        await page.goto('/workbench');
        return page;
      },
      prepare,
      async signInThroughForm(page, username, password = DEMO_PASSWORD) {
        const account = await prepare(username, password);
        await page.getByLabel('用户名').fill(username);
        await page.getByLabel('密码', { exact: true }).fill(account.password);
        await page.getByRole('button', { name: /登\s*录/ }).click();
        await page.getByLabel('验证码', { exact: true }).fill(account.code());
        await page.getByRole('button', { name: '验证并登录' }).click();
      },
      async screenshot(page, name) {
        const file = path.join(SCREENSHOT_DIR, `${name}.png`);
        await page.screenshot({ path: file, fullPage: false });
        return file;
      },
      async close() {
        await openedBrowser.close();
        await openedApp.close();
        await db.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await app?.close();
    await db.close();
    throw error;
  }
}
