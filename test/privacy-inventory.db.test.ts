import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/clock.js';
import { ephemeralAppCrypto } from '../src/crypto/app-crypto.js';
import { DEMO_PASSWORD, seedDemo } from '../src/db/seed-demo.js';
import { buildApp, type RegisteredRoute } from '../src/http/app.js';
import { INVENTORY_ENTRIES as INVENTORY, type Audience } from '../src/privacy/inventory.js';
import { buildTestApp, signInAs, tempFileStore, type SignedIn } from './helpers/app.js';
import { useTestDatabase } from './helpers/db.js';
import { DECISIONS, driveTo, useHarness, type Session, type UserKey } from './rules/steps.js';

/**
 * The personal-information inventory (src/privacy/inventory.ts) is complete: every field name an API response can
 * carry is in it, and a personal field reaches only the roles it lists.
 *
 * - Statically: the OpenAPI document the application publishes (built from each route's zod response schema)
 *   names every property of every 2xx JSON response; each must be in the inventory. A route with a 2xx JSON
 *   answer and no schema fails; so does a map (record) whose field is not marked as one. A schema left open
 *   (z.looseObject) cannot be walked: such routes must be exercised by the dynamic check below.
 * - Dynamically: demo users of every role read every GET route on the demo data, and a case is taken through the
 *   whole procedure over HTTP; every key of every JSON answer (problem details too) must be in the inventory, and
 *   a personal one must list the role of the user who received it.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonSchema = { [key: string]: unknown };

interface Seen {
  route: string;
  audiences: Set<Audience>;
}

/** Problem details (errors) are checked for names only: their texts are messages, not records. */
const PROBLEM = 'problem details';

/** Field names seen in answers: name → where and by whom. */
class Collector {
  readonly fields = new Map<string, Map<string, Seen>>();
  readonly routes = new Set<string>();

  add(route: string, audiences: readonly Audience[], body: Json, problem = false): void {
    this.routes.add(route);
    if (problem) route = `${route} (${PROBLEM})`;
    const visit = (value: Json, mapOf?: string) => {
      if (Array.isArray(value)) {
        for (const item of value) visit(item);
        return;
      }
      if (value === null || typeof value !== 'object') return;
      for (const [key, child] of Object.entries(value)) {
        // The keys of a map are data (an action, a task kind, a month), not field names: walk their values only.
        // An empty field (null, '', []) shows nothing to whoever receives it: its name counts, not its audience.
        const empty = child === null || child === '' || (Array.isArray(child) && child.length === 0);
        if (mapOf === undefined) this.note(key, route, empty ? [] : audiences);
        visit(child, INVENTORY[key]?.map && mapOf === undefined ? key : undefined);
      }
    };
    visit(body);
  }

  private note(name: string, route: string, audiences: readonly Audience[]) {
    let byRoute = this.fields.get(name);
    if (!byRoute) this.fields.set(name, (byRoute = new Map()));
    const seen = byRoute.get(route) ?? { route, audiences: new Set<Audience>() };
    for (const a of audiences) seen.audiences.add(a);
    byRoute.set(route, seen);
  }

  /** Field names missing from the inventory, with the routes that carried them. */
  missing(): string[] {
    return [...this.fields.entries()].filter(([name]) => !Object.hasOwn(INVENTORY, name)).map(([name, byRoute]) => `${name} (${[...byRoute.keys()].slice(0, 3).join(', ')})`);
  }

  /** Personal fields that reached a role the inventory does not list for them. */
  overexposed(): string[] {
    const problems: string[] = [];
    for (const [name, byRoute] of this.fields) {
      const entry = INVENTORY[name];
      if (!entry?.personal) continue;
      for (const seen of byRoute.values()) {
        if (seen.route.endsWith(`(${PROBLEM})`) || entry.elsewhere?.routes.includes(seen.route)) continue;
        const roles = [...seen.audiences].filter((a) => !(entry.roles as readonly string[]).includes(a));
        if (roles.length > 0) problems.push(`${name} → ${roles.join('/')} via ${seen.route}`);
      }
    }
    return problems;
  }
}

const isJson = (response: LightMyRequestResponse) => /^application\/(problem\+)?json/.test(String(response.headers['content-type'] ?? ''));

/** The route a URL was answered by (the registered pattern that matches it, parameters as `:name`). */
function routeOf(routes: readonly RegisteredRoute[], method: string, url: string): string {
  const pathname = url.split('?')[0]!;
  const matches = routes.filter((r) => r.method === method && new RegExp(`^${r.url.replace(/:[A-Za-z]+/g, '[^/]+')}$`).test(pathname));
  // A literal segment beats a parameter (/typical-cases/sources over /typical-cases/:id).
  matches.sort((a, b) => (a.url.match(/:/g)?.length ?? 0) - (b.url.match(/:/g)?.length ?? 0));
  return matches[0] ? `${method} ${matches[0].url}` : `${method} ${pathname}`;
}

const collector = new Collector();

describe('the personal-information inventory', () => {
  describe('on the demo data, for every role', () => {
    const database = useTestDatabase();
    const clock = fixedClock('2026-06-30T02:00:00Z');
    let app: FastifyInstance;
    const rolesOf = new Map<string, Audience[]>();

    // Demo users: every role, and handlers of the three organs (their cases differ).
    const USERS = ['jiwei', 'dc-jiwei', 'xc-jiwei', 'jiwei-fc', 'jiwei-cy1', 'jiwei-sp', 'shiwei-sp', 'zhuanjia', 'zuzhibu', 'jiandu', 'xuanchuan', 'dangwei-jtw', 'hanmingzhe', 'admin', 'anquan', 'shenji'];
    const sessions = new Map<string, SignedIn>();

    beforeAll(async () => {
      const files = await tempFileStore();
      const crypto = ephemeralAppCrypto();
      expect(await seedDemo(database.current.db, clock, files, crypto)).toBe(true);
      app = await buildTestApp(database.current.db, clock, {
        files,
        crypto,
        // Every JSON answer, with the roles of whoever received it (none: the public).
        beforeReady(app) {
          app.addHook('onSend', async (request, reply, payload) => {
            if (typeof payload === 'string' && /^application\/(problem\+)?json/.test(String(reply.getHeader('content-type') ?? ''))) {
              // The session and own-settings routes answer with the user's own account: `self`, whoever they are.
              const own = OWN_ROUTES.includes(request.routeOptions.url ?? '') || request.routeOptions.config.signInStep === true;
              const open = request.routeOptions.config.public === true;
              const audiences: Audience[] = own ? ['self'] : open || !request.actor ? ['public'] : [...new Set(request.actor.roles.map((g) => g.role as Audience))];
              const problem = String(reply.getHeader('content-type')).startsWith('application/problem+json');
              collector.add(`${request.method} ${request.routeOptions.url ?? request.url}`, audiences, JSON.parse(payload) as Json, problem);
            }
            return payload;
          });
        },
      });
      for (const [i, username] of USERS.entries()) {
        const signedIn = await signInAs(app, { username, password: DEMO_PASSWORD });
        // Each user from their own address: the application allows 600 requests a minute per address.
        sessions.set(username, { ...signedIn, inject: (options) => signedIn.inject({ remoteAddress: `10.0.0.${i + 1}`, ...options }) });
        const roles = await database.current.db.selectFrom('user_roles').innerJoin('users', 'users.id', 'user_roles.user_id').select('role').where('users.username', '=', username).execute();
        rolesOf.set(username, roles.map((r) => r.role as Audience));
      }
    }, 180_000);
    afterAll(async () => {
      await app?.close();
    });

    it('reveals, drafts and publishes on the way (their answers are collected too)', async () => {
      const db = database.current.db;
      const handler = sessions.get('dc-jiwei')!;
      const official = await db
        .selectFrom('officials')
        .innerJoin('organizations', 'organizations.id', 'officials.managing_org_id')
        .select('officials.id')
        .where('organizations.short_name', '=', '东城区纪委监委')
        .executeTakeFirstOrThrow();
      const revealed = await handler.inject({ method: 'POST', url: `/api/v1/officials/${official.id}/identifiers/reveal`, payload: { identifier: 'phone', reason: '送达处理决定前联系本人' } });
      expect(revealed.statusCode, revealed.body).toBe(200);
      const refused = await sessions.get('xc-jiwei')!.inject({ method: 'POST', url: `/api/v1/officials/${official.id}/identifiers/reveal`, payload: { identifier: 'phone', reason: '查看' } });
      expect(refused.statusCode).toBe(404);

      const closed = await db.selectFrom('cases').innerJoin('organizations', 'organizations.id', 'cases.organ_id').select('cases.id').where('cases.state', '=', 'closed').where('organizations.short_name', '=', '东城区纪委监委').executeTakeFirstOrThrow();
      let response = await handler.inject({ method: 'POST', url: '/api/v1/typical-cases', payload: { caseId: closed.id } });
      expect(response.statusCode, response.body).toBe(201);
      let typical = (response.json() as { data: { id: string; version: number } }).data;
      response = await handler.inject({ method: 'POST', url: `/api/v1/typical-cases/${typical.id}/submit`, payload: { version: typical.version } });
      typical = (response.json() as { data: { id: string; version: number } }).data;
      const publicity = sessions.get('xuanchuan')!;
      response = await publicity.inject({ method: 'POST', url: `/api/v1/typical-cases/${typical.id}/approve`, payload: { version: typical.version } });
      typical = (response.json() as { data: { id: string; version: number } }).data;
      response = await publicity.inject({ method: 'POST', url: `/api/v1/typical-cases/${typical.id}/publish`, payload: { version: typical.version } });
      expect(response.statusCode, response.body).toBe(200);
    }, 60_000);

    it('reads every GET route as every role', async () => {
      const db = database.current.db;
      const ids = {
        cases: (await db.selectFrom('cases').select('id').orderBy('opened_at').execute()).map((r) => r.id),
        officials: (await db.selectFrom('officials').select('id').orderBy('name').limit(3).execute()).map((r) => r.id),
        typical: (await db.selectFrom('typical_cases').select('id').execute()).map((r) => r.id),
        plans: (await db.selectFrom('rectification_plans').select('id').execute()).map((r) => r.id),
        organs: (await db.selectFrom('organizations').select('id').limit(2).execute()).map((r) => r.id),
        documents: (await db.selectFrom('documents').select(['id', 'case_id']).limit(1).execute()),
      };
      const gets = app.registeredRoutes.filter((r) => r.method === 'GET' && r.url.startsWith('/api/') && r.url !== '/api/openapi.json');
      const fill = (route: RegisteredRoute, caseId: string | undefined): string[] => {
        const choices: Record<string, readonly string[]> = {
          ':caseId': caseId ? [caseId] : [],
          ':officialId': ids.officials,
          ':id': ids.typical,
          ':planId': ids.plans,
          ':organId': ids.organs,
          ':policyId': ['bj-2020'],
          ':kind': ['decision'],
        };
        let urls = [route.url];
        for (const param of route.url.match(/:[A-Za-z]+/g) ?? []) {
          const values = choices[param] ?? ['00000000-0000-4000-8000-000000000000'];
          urls = urls.flatMap((u) => values.map((v) => u.replace(param, v)));
        }
        return urls.map((u) => (u.includes('selection-check') ? `${u}?purpose=selection` : u));
      };
      for (const [username, session] of sessions) {
        const list = await session.inject({ method: 'GET', url: '/api/v1/cases?limit=100' });
        const visible = list.statusCode === 200 ? (list.json() as { data: { id: string }[] }).data.map((c) => c.id) : [];
        // The cases the user sees, and one they do not (its refusal is an answer too).
        const caseIds = [...visible, ids.cases.find((id) => !visible.includes(id))].filter((id): id is string => id !== undefined);
        for (const route of gets) {
          const urls = route.url.includes(':caseId') ? caseIds.flatMap((caseId) => fill(route, caseId)) : fill(route, undefined);
          for (const url of urls) await session.inject({ method: 'GET', url });
        }
        expect(rolesOf.get(username)?.length, username).toBeGreaterThan(0);
      }
      // The public routes, without a session.
      for (const route of gets.filter((r) => r.public)) for (const url of fill(route, undefined)) await app.inject({ method: 'GET', url });
      expect(collector.routes.size).toBeGreaterThan(30);
    }, 300_000);
  });

  describe('through the whole procedure', () => {
    const h = useHarness();

    it('takes a case from opening to closing, with an appeal and a rectification plan', async () => {
      // Every session's answers are collected, with the roles of the user.
      const as = h.as.bind(h);
      h.as = async (user: UserKey): Promise<Session> => {
        const session = await as(user);
        const roles = (await h.db.selectFrom('user_roles').select('role').where('user_id', '=', session.userId).execute()).map((r) => r.role as Audience);
        return {
          ...session,
          inject: async (options: InjectOptions) => {
            const response = await session.inject(options);
            if (isJson(response) && response.body) {
              const problem = String(response.headers['content-type']).startsWith('application/problem+json');
              collector.add(routeOf(h.app.registeredRoutes, String(options.method ?? 'GET'), String(options.url)), roles, response.json() as Json, problem);
            }
            return response;
          },
        };
      };
      const flow = await driveTo(h, 'under-appeal', { application: true, professional: true, proposedOutcome: 'reduced', decision: DECISIONS.sanctioned });
      await flow.command('cityHandler', 'appeal/decision', { outcome: 'upheld', reasons: '原处理决定事实清楚，维持。' });
      const send = async (user: UserKey, url: string, payload: Record<string, unknown>, status = 200) => {
        const response = await (await h.as(user)).inject({ method: 'POST', url, payload });
        expect(response.statusCode, `${user} POST ${url}: ${response.body}`).toBe(status);
        return response.json() as { data: Record<string, unknown>; version: number; plan: { id: string; version: number; items: { id: string }[] } };
      };
      const created = await send('handler', flow.url('rectification'), { title: '整改方案', description: '针对审批流程的整改。' }, 201);
      const planUrl = `/api/v1/rectification/plans/${created.plan.id}`;
      const inDays = (days: number) => new Date(h.now().getTime() + days * 24 * 3600 * 1000).toISOString().slice(0, 10);
      const added = await send('handler', `${planUrl}/items`, {
        version: created.plan.version,
        items: [
          { title: '补办资金拨付手续', ownerOfficialId: h.world.officials.official, deadline: inDays(10), mechanism: '建立资金拨付限时办结制度' },
          { title: '修订审批流程', ownerUnitId: h.world.orgs.bureau.id, deadline: inDays(20), mechanism: '建立审批事项清单动态调整机制' },
        ],
      });
      const [itemA, itemB] = added.plan.items;
      let version = (await send('official', `/api/v1/rectification/items/${itemA!.id}/progress`, { version: added.version, content: '已补办资金拨付手续。' })).version;
      version = (await send('supervisor', `/api/v1/rectification/items/${itemA!.id}/check`, { version, accepted: true, note: '经核查，整改到位。' })).version;
      version = (await send('handler', `/api/v1/rectification/items/${itemB!.id}/progress`, { version, content: '审批流程修订稿已报送。' })).version;
      version = (await send('supervisor', `/api/v1/rectification/items/${itemB!.id}/check`, { version, accepted: false, note: '修订稿未覆盖资金拨付环节。' })).version;
      await send('handler', `${planUrl}/poor-rectification`, { version, finding: '修订审批流程被退回后仍未整改。' });
      await send('handler', '/api/v1/rectification/plans', { unitId: h.world.orgs.bureau.id, organId: h.world.orgs.dongcheng.id, title: '单位整改方案' }, 201);
      // An opinion heard from a unit, on another case still under investigation.
      const other = await driveTo(h, 'opened');
      await other.command('handler', 'opinions', { kind: 'unit', source: '区发展改革委', content: '经核查，情况属实。' });
      for (const path of ['', 'events', 'participants', 'evidence', 'documents', 'rectification', 'official-history', 'access-log']) {
        for (const user of ['handler', 'official', 'partyOrg', 'expert', 'approver', 'supervisor'] as const) {
          await (await h.as(user)).inject({ method: 'GET', url: path ? flow.url(path) : flow.url() });
        }
      }
      h.advance(200 * 24 * 3600 * 1000);
      await flow.command('handler', 'close', {});
    }, 180_000);
  });

  describe('against the OpenAPI document', () => {
    let app: FastifyInstance;
    beforeAll(async () => {
      // The document is built from the route schemas alone: no database is asked.
      // By hand, not buildTestApp: the context has no database nor file store, so a route that needed one would fail.
      app = await buildApp({ context: { db: undefined as never, clock: fixedClock('2026-06-30T02:00:00Z'), version: 'test', files: undefined as never, secureCookies: false } });
      await app.ready();
    });
    afterAll(async () => {
      await app?.close();
    });

    /** The property names of a JSON schema; maps and open objects reported on the side. */
    function walkSchema(schema: unknown, where: string, out: { names: Map<string, string>; maps: string[]; open: boolean }, field?: string): void {
      if (Array.isArray(schema)) {
        for (const s of schema) walkSchema(s, where, out, field);
        return;
      }
      if (!schema || typeof schema !== 'object') return;
      const s = schema as JsonSchema;
      if (s.properties && typeof s.properties === 'object') {
        for (const [name, child] of Object.entries(s.properties as JsonSchema)) {
          if (!out.names.has(name)) out.names.set(name, where);
          walkSchema(child, where, out, name);
        }
      }
      if (s.propertyNames !== undefined && field !== undefined) {
        // A record: its keys are data. The field holding it must say so, or the dynamic walk would take its keys for names.
        if (!INVENTORY[field]?.map) out.maps.push(`${field} (${where})`);
      } else if (s.additionalProperties !== undefined && s.additionalProperties !== false && s.propertyNames === undefined) {
        out.open = true;
      }
      for (const key of ['items', 'anyOf', 'oneOf', 'allOf', 'additionalProperties', 'prefixItems', 'not']) {
        if (key in s) walkSchema(s[key], where, out, key === 'additionalProperties' ? undefined : field);
      }
    }

    it('lists every property of every 2xx JSON response, marks every map, and has a schema for every JSON answer', () => {
      const doc = app.swagger() as { paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }>> };
      const out = { names: new Map<string, string>(), maps: [] as string[], open: false };
      const noSchema: string[] = [];
      const open: string[] = [];
      for (const [pathName, operations] of Object.entries(doc.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          const key = `${method.toUpperCase()} ${pathName.replace(/\{([^}]+)\}/g, ':$1')}`;
          for (const [status, response] of Object.entries(operation.responses ?? {})) {
            if (!status.startsWith('2')) continue;
            for (const [media, content] of Object.entries(response.content ?? {})) {
              if (!/json/.test(media)) continue;
              if (!content.schema) {
                noSchema.push(key);
                continue;
              }
              out.open = false;
              walkSchema(content.schema, key, out);
              if (out.open) open.push(key);
            }
          }
        }
      }
      expect(out.names.size).toBeGreaterThan(100);
      for (const name of out.names.keys()) staticNames.add(name);
      const missing = [...out.names].filter(([name]) => !Object.hasOwn(INVENTORY, name)).map(([name, where]) => `${name} (${where})`);
      expect(missing, 'response fields missing from src/privacy/inventory.ts').toEqual([]);
      expect(out.maps, 'record fields to mark `map: true` in the inventory').toEqual([]);
      expect(noSchema, 'routes with a 2xx JSON answer but no response schema').toEqual([]);
      // Every route answering JSON declares a 2xx response schema (fastify shows "Default Response" otherwise).
      const undeclared = app.registeredRoutes
        .filter((r) => r.url.startsWith('/api/') && r.url !== '/api/openapi.json')
        .filter((r) => {
          const op = doc.paths[r.url.replace(/:([A-Za-z]+)/g, '{$1}')]?.[r.method.toLowerCase()];
          return !Object.entries(op?.responses ?? {}).some(([status, res]) => status.startsWith('2') && (res.content !== undefined || status === '204'));
        })
        .map((r) => `${r.method} ${r.url}`);
      expect(undeclared.filter((r) => !FILE_ROUTES.includes(r)), 'routes without a 2xx response schema (files: add to FILE_ROUTES)').toEqual([]);
      openRoutes.push(...open);
    });

    it('has every route with an open schema exercised by the dynamic walk', () => {
      const unexercised = openRoutes.filter((r) => !collector.routes.has(r));
      expect(unexercised, 'open (z.looseObject) responses that no dynamic check read: exercise them above or close the schema').toEqual([]);
    });
  });

  it('finds every field of every answer in the inventory, and no personal field reaching a role it does not list', () => {
    expect(collector.fields.size).toBeGreaterThan(100);
    expect(collector.missing(), 'response fields missing from src/privacy/inventory.ts').toEqual([]);
    expect(collector.overexposed(), 'personal fields that reached a role the inventory does not list').toEqual([]);
    // And nothing stale: every entry is a field some answer carries.
    const stale = Object.keys(INVENTORY).filter((name) => !staticNames.has(name) && !collector.fields.has(name));
    expect(stale, 'inventory entries no response carries any more').toEqual([]);
  });
});

const openRoutes: string[] = [];
/** Field names the OpenAPI document declares. */
const staticNames = new Set<string>();

/** Routes that answer with the signed-in user's own account and settings. */
// Besides these, every route of the sign-in steps (config.signInStep) answers the person signing in.
const OWN_ROUTES = ['/api/v1/session', '/api/v1/settings/my-email'];

/** Routes whose 2xx answer is a file, not JSON (downloads, exports): no fields to list. */
const FILE_ROUTES = [
  'GET /api/v1/cases/:caseId/evidence/:evidenceId/attachments/:attachmentId',
  'GET /api/v1/cases/:caseId/case-file',
  'GET /api/v1/cases/:caseId/documents/:documentId/file',
  'GET /api/v1/document-templates/:kind/default',
  'GET /api/v1/rectification/items/:itemId/attachments/:sha256',
  'GET /api/v1/statistics.xlsx',
];
