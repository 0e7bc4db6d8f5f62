import { auditActor, type Actor } from '../../access/actor.js';
import { isSm2PublicKey, sm2KeyFingerprint } from '../../access/second-factor/sm2-certificate.js';
import { appendEvent } from '../../audit/chain.js';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/connect.js';
import { invalidInput } from '../../errors.js';
import { requireAdministeredUser } from './administered-users.js';

interface Sm2KeyProps {
  db: Db;
  clock: Clock;
  actor: Actor;
  userId: string;
}

/** Registers (or replaces) the SM2 public key of the user's certificate / USB key, so they may sign in with it. */
export async function registerSm2Key({ db, clock, actor, userId, publicKey }: Sm2KeyProps & { publicKey: string }): Promise<void> {
  const key = publicKey.trim().toLowerCase();
  if (!isSm2PublicKey(key)) throw invalidInput('publicKey', 'SM2 公钥格式不正确：须为未压缩公钥的十六进制（04 开头，共 130 位）且在 SM2 曲线上', 'not an uncompressed SM2 public key on the curve');
  await db.transaction().execute(async (tx) => {
    await requireAdministeredUser(tx, actor, userId);
    const now = clock.now();
    await tx
      .insertInto('user_sm2_keys')
      .values({ user_id: userId, public_key: key, registered_at: now, registered_by: actor.userId })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ public_key: key, registered_at: now, registered_by: actor.userId }))
      .execute();
    await appendEvent(tx, { type: 'user.sm2-key-registered', actor: auditActor(actor), payload: { userId, fingerprint: sm2KeyFingerprint(key) } }, clock);
  });
}
