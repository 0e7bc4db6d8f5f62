import { auditActor, type Actor } from '../../access/actor.js';
import { requireVisibleCase } from '../../access/case.js';
import { clearanceOf, levelLabel, type Level } from '../../access/clearance.js';
import { appendEvent } from '../../audit/chain.js';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/connect.js';
import { AppError, forbidden, versionConflict } from '../../errors.js';

export interface SetCaseSensitivityProps {
  db: Db;
  clock: Clock;
  actor: Actor;
  caseId: string;
  expectedVersion: number;
  level: Level;
}

const aboveClearance = (key: string) =>
  new AppError({ code: 'LABEL_ABOVE_CLEARANCE', status: 422, key, message: '不能把密级设得高于本人的密级许可（否则本人将无法查看）', messageEn: 'a label cannot exceed your own clearance' });

/**
 * The handler conducting a case labels it 普通 / 敏感 / 核心; from then on only users whose clearance reaches
 * the label see it (in lists, counts and pages). Never above the handler's own clearance. Audited with the
 * old and new label; the case's version moves, so a form opened before the change conflicts.
 */
export async function setCaseSensitivity({ db, clock, actor, caseId, expectedVersion, level }: SetCaseSensitivityProps): Promise<{ sensitivity: number; version: number }> {
  return db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('cases').select(['version', 'sensitivity']).where('id', '=', caseId).forUpdate().executeTakeFirst();
    const { relations } = await requireVisibleCase(tx, actor, caseId);
    if (!row) throw new Error('unreachable: requireVisibleCase found the case');
    if (!relations.handler) throw forbidden('只有承办本案的经办人可以设置案件密级', 'only a handler of the deciding organ labels the case');
    if (row.version !== expectedVersion) throw versionConflict(expectedVersion, row.version);
    if (level > (await clearanceOf(tx, actor.userId))) throw aboveClearance('level');
    const now = clock.now();
    const version = row.version + 1;
    await tx.updateTable('cases').set({ sensitivity: level, version, updated_at: now }).where('id', '=', caseId).execute();
    await appendEvent(tx, { type: 'case.sensitivity-set', actor: auditActor(actor), caseId, payload: { from: row.sensitivity, to: level, label: levelLabel(level), version } }, { now: () => now });
    return { sensitivity: level, version };
  });
}

export { aboveClearance };
