import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ADMIN_ALLOWLIST, parseAllowlist, allowed } from '../src/access/address-allowlist.js';
import { buildTestApp, signInAs } from './helpers/app.js';
import { evidenceForm, expectProblem, expectRefused, headSeq, openCase, useHarness } from './rules/steps.js';

/**
 * 三权分立 (等保 8.1.5), sensitivity labels with clearance, and the administrators' address allowlist: the three
 * administrators are three accounts that read no case content; a case or attachment above a user's clearance is
 * out of reach whatever their role; administrators' routes answer only the allowed addresses.
 */
describe('separation of duties, labels and clearance', () => {
  const h = useHarness();

  describe('three administrators', () => {
    it('refuses, in the database itself, an account combining two administrators or an administrator and a business role', async () => {
      const { admin, securityAdmin, handler } = h.world.users;
      const insert = (userId: string, role: string) =>
        sql`INSERT INTO user_roles (user_id, role, organization_id) VALUES (${userId}, ${role}, ${h.world.orgs.committee.id})`.execute(h.db);
      await expect(insert(admin.id, 'audit-administrator')).rejects.toThrow(/separation of duties/);
      await expect(insert(securityAdmin.id, 'handler')).rejects.toThrow(/separation of duties/);
      await expect(insert(handler.id, 'system-administrator')).rejects.toThrow(/separation of duties/);
    });

    it('lets the security administrator grant and revoke roles (audited; sessions end), never combined duties or to themself', async () => {
      const sec = await h.as('securityAdmin');
      const target = h.world.users.handler2;
      const grant = (userId: string, role: string, organizationId = h.world.orgs.dongcheng.id) =>
        sec.inject({ method: 'POST', url: `/api/v1/security/accounts/${userId}/roles`, payload: { role, organizationId } });

      const before = await headSeq(h.db);
      expect((await grant(target.id, 'approver')).statusCode).toBe(204);
      const granted = await h.db.selectFrom('events').select(['type', 'payload']).where('seq', '>', before).where('type', '=', 'role.granted').execute();
      expect(granted).toHaveLength(1);
      expect(granted[0]!.payload).toMatchObject({ userId: target.id, role: 'approver' });

      await expectRefused(h, null, () => grant(target.id, 'audit-administrator'), { status: 422, code: 'SEPARATION_OF_DUTIES', key: 'role' });
      await expectRefused(h, null, () => grant(h.world.users.securityAdmin.id, 'handler'), { status: 400, code: 'INVALID_INPUT', key: 'userId' });

      // Revoking ends the account's sessions at once.
      const victim = await h.as('handler2');
      expect((await victim.inject({ method: 'GET', url: '/api/v1/cases' })).statusCode).toBe(200);
      const revoked = await sec.inject({ method: 'POST', url: `/api/v1/security/accounts/${target.id}/roles/revoke`, payload: { role: 'approver', organizationId: h.world.orgs.dongcheng.id } });
      expect(revoked.statusCode).toBe(204);
      expect((await victim.inject({ method: 'GET', url: '/api/v1/cases' })).statusCode).toBe(401);
    });

    it('lets the system administrator open an account for one person, which the security administrator then gives a role', async () => {
      const sys = await h.as('admin');
      const create = (username: string, initialPassword = 'Kaihu#2026ab') =>
        sys.inject({ method: 'POST', url: '/api/v1/users', payload: { username, displayName: '临时专家甲', initialPassword } });
      const weak = await create('zhuanjia-x', 'short');
      expect(weak.statusCode).toBe(400);
      expect(weak.json()).toMatchObject({ code: 'INVALID_INPUT', key: 'initialPassword', rule: 'password-policy.min-length' });
      const before = await headSeq(h.db);
      const created = await create('zhuanjia-x');
      expect(created.statusCode, created.body).toBe(201);
      const account = (created.json() as { data: { id: string; passwordChangeRequired: boolean } }).data;
      expect(account.passwordChangeRequired).toBe(true);
      const events = await h.db.selectFrom('events').select(['type', 'payload']).where('seq', '>', before).execute();
      expect(events.map((e) => e.type)).toEqual(['user.created']);
      expect(JSON.stringify(events[0]!.payload)).not.toContain('Kaihu');
      expectProblem(await create('zhuanjia-x'), { status: 409, code: 'USERNAME_TAKEN', key: 'username' });
      expectProblem(await sys.inject({ method: 'POST', url: '/api/v1/users', remoteAddress: '198.51.100.9', payload: { username: 'other', displayName: '某人', initialPassword: 'Kaihu#2026ab' } }), {
        status: 403,
        code: 'ADMIN_ADDRESS_REFUSED',
      });

      const sec = await h.as('securityAdmin');
      const listed = (await sec.inject({ method: 'GET', url: '/api/v1/security/accounts' })).json() as { data: { id: string; roles: unknown[] }[] };
      expect(listed.data.find((a) => a.id === account.id)).toMatchObject({ roles: [] });
      const granted = await sec.inject({ method: 'POST', url: `/api/v1/security/accounts/${account.id}/roles`, payload: { role: 'expert', organizationId: h.world.orgs.commission.id } });
      expect(granted.statusCode, granted.body).toBe(204);
    });

    it('keeps every administrator away from case content, and the security administrator to their own work', async () => {
      const flow = await openCase(h, { by: 'handler' });
      for (const user of ['admin', 'securityAdmin', 'auditAdmin'] as const) {
        const session = await h.as(user);
        const list = await session.inject({ method: 'GET', url: '/api/v1/cases' });
        expect((list.json() as { data: unknown[] }).data, user).toEqual([]);
        expect((await session.inject({ method: 'GET', url: `/api/v1/cases/${flow.id}` })).statusCode, user).toBe(404);
      }
      const handler = await h.as('handler');
      expectProblem(await handler.inject({ method: 'GET', url: '/api/v1/security/accounts' }), { status: 403, code: 'FORBIDDEN' });
      expectProblem(await handler.inject({ method: 'GET', url: '/api/v1/audit/events' }), { status: 403, code: 'FORBIDDEN' });
    });

    it('gives the audit administrator the trail, newest first and paged, and records that they read it', async () => {
      const audit = await h.as('auditAdmin');
      const first = await audit.inject({ method: 'GET', url: '/api/v1/audit/events?limit=5' });
      expect(first.statusCode, first.body).toBe(200);
      const page = first.json() as { data: { seq: string; type: string }[]; nextBefore: string | null };
      expect(page.data).toHaveLength(5);
      expect(page.data.map((e) => Number(e.seq))).toEqual([...page.data.map((e) => Number(e.seq))].sort((a, b) => b - a));
      const next = (await audit.inject({ method: 'GET', url: `/api/v1/audit/events?limit=5&before=${page.nextBefore}` })).json() as { data: { seq: string }[] };
      expect(Number(next.data[0]!.seq)).toBeLessThan(Number(page.data[4]!.seq));
      const opened = (await audit.inject({ method: 'GET', url: '/api/v1/audit/events?type=case.opened' })).json() as { data: { type: string }[] };
      expect(opened.data.length).toBeGreaterThan(0);
      expect(opened.data.every((e) => e.type === 'case.opened')).toBe(true);
      const reads = await h.db.selectFrom('events').select('type').where('actor', '=', `user:${audit.userId}`).where('type', '=', 'audit.read').execute();
      expect(reads.length).toBeGreaterThanOrEqual(3);
    });
  });

  describe('sensitivity labels and clearance', () => {
    it('hides a case labelled 敏感 from everyone below that clearance — page, list and statistics — until the security administrator raises it', async () => {
      const flow = await openCase(h, { by: 'handler', title: '敏感案件' });
      const supervisor = await h.as('supervisor');
      expect((await supervisor.inject({ method: 'GET', url: `/api/v1/cases/${flow.id}` })).statusCode).toBe(200);
      const totalBefore = ((await supervisor.inject({ method: 'GET', url: '/api/v1/statistics' })).json() as { data: { total: number } }).data.total;

      // The handler (clearance 普通) may not label above their own clearance.
      const handler = await h.as('handler');
      const label = (level: number, version = flow.version) => handler.inject({ method: 'PUT', url: `/api/v1/cases/${flow.id}/sensitivity`, payload: { version, level } });
      expectProblem(await label(2), { status: 422, code: 'LABEL_ABOVE_CLEARANCE', key: 'level' });
      const sec = await h.as('securityAdmin');
      const clear = (userId: string, level: number) => sec.inject({ method: 'PUT', url: `/api/v1/security/accounts/${userId}/clearance`, payload: { level } });
      expect((await clear(h.world.users.handler.id, 2)).statusCode).toBe(204);
      const labelled = await label(2);
      expect(labelled.statusCode, labelled.body).toBe(200);
      flow.version = (labelled.json() as { version: number }).version;
      expect((await h.db.selectFrom('events').select('payload').where('case_id', '=', flow.id).where('type', '=', 'case.sensitivity-set').executeTakeFirstOrThrow()).payload).toMatchObject({ from: 1, to: 2 });

      expect((await supervisor.inject({ method: 'GET', url: `/api/v1/cases/${flow.id}` })).statusCode).toBe(404);
      const listed = (await supervisor.inject({ method: 'GET', url: '/api/v1/cases?limit=100' })).json() as { data: { id: string }[] };
      expect(listed.data.map((c) => c.id)).not.toContain(flow.id);
      expect(((await supervisor.inject({ method: 'GET', url: '/api/v1/statistics' })).json() as { data: { total: number } }).data.total).toBe(totalBefore - 1);

      expect((await clear(h.world.users.supervisor.id, 2)).statusCode).toBe(204);
      expect((await supervisor.inject({ method: 'GET', url: `/api/v1/cases/${flow.id}` })).statusCode).toBe(200);
      const changed = await h.db.selectFrom('events').select('payload').where('type', '=', 'user.clearance-set').execute();
      expect(changed.map((e) => e.payload)).toContainEqual(expect.objectContaining({ userId: h.world.users.supervisor.id, from: 1, to: 2 }));
    });

    it('shows an attachment above the reader\'s clearance by its label only, and refuses its download', async () => {
      const flow = await openCase(h, { by: 'handler' });
      const handler = await h.as('handler');
      const recorded = await handler.inject({ method: 'POST', url: flow.url('evidence'), ...evidenceForm(flow.version, '谈话笔录') });
      expect(recorded.statusCode, recorded.body).toBe(201);
      const { data } = recorded.json() as { data: { id: string; attachments: { id: string }[] } };
      const attachmentId = data.attachments[0]!.id;
      const url = `/api/v1/cases/${flow.id}/evidence/${data.id}/attachments/${attachmentId}`;
      const sec = await h.as('securityAdmin');
      await sec.inject({ method: 'PUT', url: `/api/v1/security/accounts/${h.world.users.handler.id}/clearance`, payload: { level: 3 } });
      expect((await handler.inject({ method: 'PUT', url: `${url}/sensitivity`, payload: { level: 3 } })).statusCode).toBe(200);

      const cityHandler = await h.as('cityHandler');
      const list = (await cityHandler.inject({ method: 'GET', url: flow.url('evidence') })).json() as { data: { attachments: { id: string; aboveClearance: boolean; filename: string | null; sensitivity: number }[] }[] };
      const shown = list.data.flatMap((e) => e.attachments).find((a) => a.id === attachmentId)!;
      expect(shown).toMatchObject({ aboveClearance: true, filename: null, sensitivity: 3 });
      expectProblem(await cityHandler.inject({ method: 'GET', url }), { status: 403, code: 'FORBIDDEN' });
      expect((await handler.inject({ method: 'GET', url })).statusCode).toBe(200);
    });
  });

  describe('audit retention', () => {
    it('keeps audit records at least 184 days, and lets the system administrator only lengthen that', async () => {
      const sys = await h.as('admin');
      expect((await sys.inject({ method: 'GET', url: '/api/v1/settings/audit-retention' })).json()).toEqual({ data: { days: 184, minimum: 184 } });
      expectProblem(await sys.inject({ method: 'PUT', url: '/api/v1/settings/audit-retention', payload: { days: 90 } }), { status: 400, code: 'INVALID_INPUT', key: 'days' });
      expect((await sys.inject({ method: 'PUT', url: '/api/v1/settings/audit-retention', payload: { days: 365 } })).statusCode).toBe(200);
      await expectRefused(h, null, () => sys.inject({ method: 'PUT', url: '/api/v1/settings/audit-retention', payload: { days: 200 } }), { status: 400, code: 'INVALID_INPUT', key: 'days' });
      // The database refuses a shorter period whoever asks, and refuses removing the setting.
      await expect(sql`UPDATE audit_retention SET days = 184`.execute(h.db)).rejects.toThrow(/only be raised/);
      await expect(sql`DELETE FROM audit_retention`.execute(h.db)).rejects.toThrow(/only be raised/);
      const handler = await h.as('handler');
      expectProblem(await handler.inject({ method: 'PUT', url: '/api/v1/settings/audit-retention', payload: { days: 400 } }), { status: 403, code: 'FORBIDDEN' });
    });
  });

  describe('the administrators\' address allowlist', () => {
    it('answers administrators\' routes only from allowed addresses, before anything else', async () => {
      const sec = await h.as('securityAdmin');
      const away = await sec.inject({ method: 'GET', url: '/api/v1/security/accounts', remoteAddress: '203.0.113.7' });
      expectProblem(away, { status: 403, code: 'ADMIN_ADDRESS_REFUSED' });
      expect((await sec.inject({ method: 'GET', url: '/api/v1/security/accounts', remoteAddress: '127.0.0.1' })).statusCode).toBe(200);
      // A business route does not care where the request comes from.
      const handler = await h.as('handler');
      expect((await handler.inject({ method: 'GET', url: '/api/v1/cases', remoteAddress: '203.0.113.7' })).statusCode).toBe(200);
    });

    it('behind a trusted reverse proxy, judges the client by X-Forwarded-For — and ignores that header from anyone else', async () => {
      const proxied = await buildTestApp(h.db, h.clock, { trustedProxies: '127.0.0.1' });
      try {
        const sec = await signInAs(proxied, h.world.users.securityAdmin);
        const via = (forwardedFor: string, remoteAddress: string) =>
          sec.inject({ method: 'GET', url: '/api/v1/security/accounts', remoteAddress, headers: { 'x-forwarded-for': forwardedFor } });
        expectProblem(await via('203.0.113.7', '127.0.0.1'), { status: 403, code: 'ADMIN_ADDRESS_REFUSED' });
        expect((await via('127.0.0.1', '127.0.0.1')).statusCode).toBe(200);
        // Not from the proxy: the header is the sender's word, and the sender's own address decides.
        expectProblem(await via('127.0.0.1', '198.51.100.9'), { status: 403, code: 'ADMIN_ADDRESS_REFUSED' });
      } finally {
        await proxied.close();
      }
    });

    it('parses CIDR lists, mapped IPv4 and refuses bad entries', () => {
      const list = parseAllowlist('10.0.0.0/8, 192.168.1.5, ::1/128');
      expect(allowed(list, '10.20.30.40')).toBe(true);
      expect(allowed(list, '::ffff:192.168.1.5')).toBe(true);
      expect(allowed(list, '192.168.1.6')).toBe(false);
      expect(allowed(list, '::1')).toBe(true);
      expect(allowed(parseAllowlist(DEFAULT_ADMIN_ALLOWLIST), '10.0.0.1')).toBe(false);
      expect(() => parseAllowlist('10.0.0.0/33')).toThrow(/prefix/);
      expect(() => parseAllowlist('example.org')).toThrow(/not an IP/);
    });
  });
});
