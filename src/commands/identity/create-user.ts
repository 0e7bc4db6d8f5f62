import { hash } from '@node-rs/argon2';
import { auditActor, type Actor } from '../../access/actor.js';
import { checkPasswordRules, type PasswordPolicy } from '../../access/password-policy.js';
import { appendEvent } from '../../audit/chain.js';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/connect.js';
import { AppError } from '../../errors.js';
import { requireAdministrator } from './administered-users.js';
import { passwordPolicyViolated } from './errors.js';

export interface CreateUserProps {
  db: Db;
  clock: Clock;
  actor: Actor;
  policy: PasswordPolicy;
  username: string;
  displayName: string;
  /** Told to the person out of band; they must change it at their first sign-in (password_changed_at stays null). */
  initialPassword: string;
  expiresAt?: Date | null | undefined;
}

/**
 * The system administrator opens an account for one person (no shared accounts): it holds no role until the
 * security administrator grants one, and its holder must change the initial password and enrol a second factor
 * at the first sign-in. Audited without the password.
 */
export async function createUser(props: CreateUserProps): Promise<{ id: string }> {
  const { db, clock, actor } = props;
  requireAdministrator(actor);
  const violations = checkPasswordRules(props.policy, props.initialPassword, { username: props.username });
  if (violations.length > 0) throw passwordPolicyViolated(props.policy.name, violations, 'initialPassword');
  const passwordHash = await hash(props.initialPassword);
  return db.transaction().execute(async (tx) => {
    const taken = await tx.selectFrom('users').select('id').where('username', '=', props.username).executeTakeFirst();
    if (taken) throw new AppError({ code: 'USERNAME_TAKEN', status: 409, key: 'username', message: '该用户名已被使用', messageEn: 'the username is taken' });
    const row = await tx
      .insertInto('users')
      .values({ username: props.username, password_hash: passwordHash, display_name: props.displayName, expires_at: props.expiresAt ?? null, password_changed_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendEvent(tx, { type: 'user.created', actor: auditActor(actor), payload: { userId: row.id, expiresAt: props.expiresAt?.toISOString() ?? null } }, clock);
    return { id: row.id };
  });
}
