import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import { existsSync } from 'node:fs';
import path from 'node:path';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { notFound } from '../errors.js';
import type { AppContext } from './context.js';
import { processAppCrypto } from '../crypto/app-crypto.js';
import { errorHandler } from './errors.js';
import { DEFAULT_ADMIN_ALLOWLIST, parseAllowlist } from '../access/address-allowlist.js';
import { adminAllowlistPlugin } from './plugins/admin-allowlist.js';
import { accessAuditPlugin, type RouteAudit } from './plugins/access-audit.js';
import { rowSecurityPlugin } from './plugins/row-security.js';
import { eventQueuePlugin } from './plugins/event-queue.js';
import { sessionPlugin } from './plugins/session.js';
import { strictValidatorCompiler, useStrictJsonParsing } from './validation.js';
import { assessRoutes } from './routes/assess/index.js';
import { auditRoutes } from './routes/audit/index.js';
import { caseFileRoutes } from './routes/case-file/index.js';
import { caseRoutes } from './routes/cases/index.js';
import { directoryRoutes } from './routes/directory/index.js';
import { documentRoutes } from './routes/documents/index.js';
import { evidenceRoutes } from './routes/evidence/index.js';
import { healthRoutes } from './routes/health/index.js';
import { identifierRoutes } from './routes/identifiers/index.js';
import { followupRoutes } from './routes/followup/index.js';
import { officialHistoryRoutes } from './routes/official-history/index.js';
import { oversightRoutes } from './routes/oversight/index.js';
import { typicalRoutes } from './routes/typical/index.js';
import { userRoutes } from './routes/users/index.js';
import { rectificationRoutes } from './routes/rectification/index.js';
import { labelRoutes } from './routes/labels/index.js';
import { securityRoutes } from './routes/security/index.js';
import { sessionRoutes } from './routes/session/index.js';
import { settingsRoutes } from './routes/settings/index.js';
import { sharingRoutes } from './routes/sharing/index.js';
import { workbenchRoutes } from './routes/workbench/index.js';

export interface RegisteredRoute {
  method: string;
  url: string;
  public: boolean;
  /** How the route is audited (every /api route declares it; a test walks them). */
  audit: RouteAudit | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    registeredRoutes: RegisteredRoute[];
  }
}

export interface BuildAppOptions {
  context: AppContext;
  /** The server's pino logger; tests run without one. */
  logger?: FastifyBaseLogger;
  /** The built web application (dist/web), served at / when present. */
  webRoot?: string;
}

/** The HTTP application: plugins, then routes. Routes stay thin: schema, session, one command or query. */
/** The shape of the web application's routes: lower-case words, ids and slashes, then an optional query. */
const CLIENT_ROUTE = /^\/(?!api\/)[A-Za-z0-9\-/]*(?:\?.*)?$/;

export async function buildApp({ context, logger, webRoot }: BuildAppOptions): Promise<FastifyInstance> {
  // The server passes its configured keyring; a test that passes none gets keys that live as long as the process.
  context.crypto ??= processAppCrypto();
  const app = Fastify({
    // Behind a reverse proxy the client's address comes from X-Forwarded-For, believed only from these proxies.
    ...(context.trustedProxies ? { trustProxy: context.trustedProxies } : {}),
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    bodyLimit: 1024 * 1024,
    // Fastify's request logs carry the URL, whose query string may hold personal data (a name searched for).
    logController: new LogController({ disableRequestLogging: true }),
  }).withTypeProvider<ZodTypeProvider>();
  // Unknown fields, NUL and lone surrogates are refused on top of each route's zod schema (validation.ts).
  app.setValidatorCompiler(strictValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  useStrictJsonParsing(app);
  // Kept so a test can walk every route and prove that none skips the session check.
  const registeredRoutes: RegisteredRoute[] = [];
  app.decorate('registeredRoutes', registeredRoutes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') registeredRoutes.push({ method, url: route.url, public: route.config?.public === true, audit: route.config?.audit });
    }
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      // blob: frames and images let the web application preview an attachment it fetched itself.
      directives: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:', 'blob:'], frameSrc: ["'self'", 'blob:'], styleSrc: ["'self'", "'unsafe-inline'"] },
    },
  });
  await app.register(cookie);
  // Keyed per client address; the sign-in route sets a much lower limit of its own.
  await app.register(rateLimit, {
    max: context.requestRateLimit ?? 600,
    timeWindow: '1 minute',
    // request.ip is undefined once the client has hung up (a scanner's timeout); the default key then throws (500).
    keyGenerator: (request) => request.ip ?? 'disconnected',
  });
  await app.register(swagger, {
    openapi: { openapi: '3.1.0', info: { title: '容错纠错工作平台 API', version: context.version } },
    transform: jsonSchemaTransform,
  });
  await app.register(adminAllowlistPlugin, { allowlist: parseAllowlist(context.adminAllowlist ?? DEFAULT_ADMIN_ALLOWLIST) });
  await app.register(sessionPlugin, { context });
  await app.register(eventQueuePlugin, { context });
  await app.register(accessAuditPlugin, { context });
  await app.register(rowSecurityPlugin, { context });

  await app.register(healthRoutes, { context });
  await app.register(sessionRoutes, { context });
  await app.register(assessRoutes, { context });
  await app.register(caseRoutes, { context });
  await app.register(evidenceRoutes, { context });
  await app.register(caseFileRoutes, { context });
  await app.register(documentRoutes, { context });
  await app.register(directoryRoutes, { context });
  await app.register(auditRoutes, { context });
  await app.register(workbenchRoutes, { context });
  await app.register(rectificationRoutes, { context });
  await app.register(followupRoutes, { context });
  await app.register(oversightRoutes, { context });
  await app.register(typicalRoutes, { context });
  await app.register(sharingRoutes, { context });
  await app.register(officialHistoryRoutes, { context });
  await app.register(identifierRoutes, { context });
  await app.register(settingsRoutes, { context });
  await app.register(userRoutes, { context });
  await app.register(securityRoutes, { context });
  await app.register(labelRoutes, { context });

  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  const hasWeb = webRoot !== undefined && existsSync(path.join(webRoot, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: webRoot,
      wildcard: false,
      // Hashed asset names never change content; the page itself must always be fresh.
      setHeaders: (res, file) => res.setHeader('cache-control', file.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable'),
    });
  }
  // Rate-limited like everything else, since an attacker could probe for valid URLs.
  app.setNotFoundHandler((request, reply) => {
    // Client-side routes (/cases/…) are the web application's: answer them with its page. Only paths shaped like
    // those routes: a name with a dot or a tilde (/cases.bak, /cases~) is a file that does not exist, and answering
    // it with the page would tell a scanner that backups are served.
    if (hasWeb && request.method === 'GET' && CLIENT_ROUTE.test(request.url)) return reply.type('text/html').sendFile('index.html');
    throw notFound('页面或接口');
  });
  return app;
}
