import { hash } from '@node-rs/argon2';
import { appendEvent } from '../audit/chain.js';
import type { Clock } from '../clock.js';
import type { Db } from './connect.js';

/**
 * Demo data for a first start, so a newcomer can sign in and try the product. These accounts and their
 * password are public on purpose (printed at start-up, listed in the README); they are created only in an
 * empty database and never on a server configured with DATABASE_URL unless RONGCUO_DEMO=1.
 */
export const DEMO_PASSWORD = 'rongcuo-demo';

export const DEMO_USERS = [
  { username: 'jiwei', displayName: '王经办（市纪委监委）', role: 'handler', org: 'commission' },
  { username: 'admin', displayName: '系统管理员', role: 'administrator', org: 'committee' },
] as const;

/** Seeds the demo organization and users when the database has no users yet. Returns whether it seeded. */
export async function seedDemo(db: Db, clock: Clock): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const existing = await tx.selectFrom('users').select('id').limit(1).executeTakeFirst();
    if (existing) return false;
    const committee = await tx
      .insertInto('organizations')
      .values({ name: '中共北京市委', short_name: '市委', type: 'party-committee', parent_id: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const commission = await tx
      .insertInto('organizations')
      .values({ name: '中共北京市纪律检查委员会 北京市监察委员会', short_name: '市纪委监委', type: 'discipline-commission', parent_id: committee.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    const orgIds = { committee: committee.id, commission: commission.id };
    for (const [key, id] of Object.entries(orgIds)) {
      await appendEvent(tx, { type: 'organization.created', actor: 'system', payload: { organizationId: id, demo: true, key } }, clock);
    }
    const passwordHash = await hash(DEMO_PASSWORD);
    for (const demoUser of DEMO_USERS) {
      const user = await tx
        .insertInto('users')
        .values({ username: demoUser.username, display_name: demoUser.displayName, password_hash: passwordHash, official_id: null, disabled_at: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx.insertInto('user_roles').values({ user_id: user.id, role: demoUser.role, organization_id: orgIds[demoUser.org] }).execute();
      await appendEvent(tx, { type: 'user.created', actor: 'system', payload: { userId: user.id, role: demoUser.role, demo: true } }, clock);
    }
    return true;
  });
}
