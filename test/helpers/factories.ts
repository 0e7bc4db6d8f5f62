import { hash } from '@node-rs/argon2';
import type { Db } from '../../src/db/connect.js';

let counter = 0;
const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;

export async function createOrganization(db: Db, props: { name?: string; type?: string; parentId?: string | null } = {}) {
  return db
    .insertInto('organizations')
    .values({ name: props.name ?? unique('测试单位'), short_name: null, type: props.type ?? 'discipline-commission', parent_id: props.parentId ?? null })
    .returning(['id', 'name'])
    .executeTakeFirstOrThrow();
}

export async function createUser(
  db: Db,
  props: {
    username?: string;
    password?: string;
    roles?: { role: string; organizationId: string }[];
    disabled?: boolean;
    /** A password someone else set (like the demo seed's): the first sign-in must change it. */
    mustChangePassword?: boolean;
    /** When the holder last chose the password (default: now). */
    passwordChangedAt?: Date;
    expiresAt?: Date | null;
  } = {},
) {
  const username = props.username ?? unique('user');
  const password = props.password ?? 'correct horse battery staple';
  const user = await db
    .insertInto('users')
    .values({
      username,
      display_name: `测试用户 ${username}`,
      password_hash: await hash(password),
      official_id: null,
      disabled_at: props.disabled ? new Date() : null,
      password_changed_at: props.mustChangePassword ? null : (props.passwordChangedAt ?? new Date()),
      expires_at: props.expiresAt ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const grant of props.roles ?? []) {
    await db.insertInto('user_roles').values({ user_id: user.id, role: grant.role, organization_id: grant.organizationId }).execute();
  }
  return { id: user.id, username, password };
}
