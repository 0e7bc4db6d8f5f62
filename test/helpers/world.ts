import type { FastifyInstance } from 'fastify';
import type { Db } from '../../src/db/connect.js';
import { signInAs, type SignedIn } from './app.js';
import { createOrganization, createUser } from './factories.js';

/**
 * A small jurisdiction for procedure tests: the municipal committee with its commission, two district
 * commissions under it, a district bureau whose official is managed by the 东城 commission, and a user for
 * every role. `signIn(name)` gives an inject carrying that user's session.
 */
export async function buildWorld(db: Db, app: FastifyInstance) {
  const committee = await createOrganization(db, { name: '中共北京市委', type: 'party-committee' });
  const commission = await createOrganization(db, { name: '市纪委监委', type: 'discipline-commission', parentId: committee.id });
  const dongcheng = await createOrganization(db, { name: '东城区纪委监委', type: 'discipline-commission', parentId: commission.id });
  const xicheng = await createOrganization(db, { name: '西城区纪委监委', type: 'discipline-commission', parentId: commission.id });
  const bureau = await createOrganization(db, { name: '东城区发展改革委', type: 'government-department', parentId: committee.id });
  const xichengBureau = await createOrganization(db, { name: '西城区住房城市建设委', type: 'government-department', parentId: committee.id });

  const official = await db
    .insertInto('officials')
    .values({ name: '张明', organization_id: bureau.id, position: '副主任', rank: 'division-deputy', category: 'government', managing_org_id: dongcheng.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  const seniorOfficial = await db
    .insertInto('officials')
    .values({ name: '李华', organization_id: bureau.id, position: '主任', rank: 'bureau-deputy', category: 'government', managing_org_id: dongcheng.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  const xichengOfficial = await db
    .insertInto('officials')
    .values({ name: '王芳', organization_id: xichengBureau.id, position: '科长', rank: 'section-principal', category: 'government', managing_org_id: xicheng.id })
    .returning('id')
    .executeTakeFirstOrThrow();

  const users = {
    handler: await createUser(db, { username: 'dc-handler', roles: [{ role: 'handler', organizationId: dongcheng.id }] }),
    handler2: await createUser(db, { username: 'dc-handler2', roles: [{ role: 'handler', organizationId: dongcheng.id }] }),
    xcHandler: await createUser(db, { username: 'xc-handler', roles: [{ role: 'handler', organizationId: xicheng.id }] }),
    cityHandler: await createUser(db, { username: 'city-handler', roles: [{ role: 'handler', organizationId: commission.id }] }),
    approver: await createUser(db, { username: 'city-approver', roles: [{ role: 'approver', organizationId: commission.id }] }),
    supervisor: await createUser(db, { username: 'city-supervisor', roles: [{ role: 'supervisor', organizationId: commission.id }] }),
    partyOrg: await createUser(db, { username: 'bureau-party', roles: [{ role: 'party-organization', organizationId: bureau.id }] }),
    expert: await createUser(db, { username: 'expert', roles: [{ role: 'expert', organizationId: commission.id }] }),
    orgDept: await createUser(db, { username: 'org-dept', roles: [{ role: 'organization-department', organizationId: committee.id }] }),
    admin: await createUser(db, { username: 'admin', roles: [{ role: 'system-administrator', organizationId: committee.id }] }),
    securityAdmin: await createUser(db, { username: 'secadmin', roles: [{ role: 'security-administrator', organizationId: committee.id }] }),
    auditAdmin: await createUser(db, { username: 'auditadmin', roles: [{ role: 'audit-administrator', organizationId: committee.id }] }),
    official: await createUser(db, { username: 'zhangming', roles: [{ role: 'official', organizationId: bureau.id }] }),
    members: [] as Awaited<ReturnType<typeof createUser>>[],
  };
  await db.updateTable('users').set({ official_id: official.id }).where('id', '=', users.official.id).execute();
  for (let i = 1; i <= 5; i++) {
    users.members.push(await createUser(db, { username: `dc-member${i}`, roles: [{ role: 'deliberation-member', organizationId: dongcheng.id }] }));
  }

  const signIn = (user: { username: string; password: string }): Promise<SignedIn> => signInAs(app, user);

  return {
    orgs: { committee, commission, dongcheng, xicheng, bureau, xichengBureau },
    officials: { official: official.id, seniorOfficial: seniorOfficial.id, xichengOfficial: xichengOfficial.id },
    users,
    signIn,
  };
}

export type World = Awaited<ReturnType<typeof buildWorld>>;

/** Every exclusion established false and a favourable picture: the engine recommends exempt. */
export const FAVOURABLE_ASSESSMENT = {
  situations: ['reform-pilot'],
  exclusions: { 'political-discipline': false, 'improper-benefit': false, 'grave-consequence': false, 'no-rectification': false },
  factors: { 'motive.purpose': 'public', 'motive.intent': 'inadvertent', 'consequence.loss': 'small', 'remedy.action': 'timely' },
};
