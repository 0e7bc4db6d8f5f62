import { auditActor, type Actor } from '../../access/actor.js';
import { requireVisibleCase } from '../../access/case.js';
import { clearanceOf, levelLabel, type Level } from '../../access/clearance.js';
import { appendEvent } from '../../audit/chain.js';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/connect.js';
import { forbidden, notFound } from '../../errors.js';
import { aboveClearance } from './set-case-sensitivity.js';

export interface SetAttachmentSensitivityProps {
  db: Db;
  clock: Clock;
  actor: Actor;
  caseId: string;
  evidenceId: string;
  attachmentId: string;
  level: Level;
}

/** The handler conducting a case labels one evidence attachment; only users cleared for the label open it. */
export async function setAttachmentSensitivity(props: SetAttachmentSensitivityProps): Promise<{ sensitivity: number }> {
  const { db, clock, actor, caseId, level } = props;
  return db.transaction().execute(async (tx) => {
    const { relations } = await requireVisibleCase(tx, actor, caseId);
    const row = await tx
      .selectFrom('evidence_attachments')
      .innerJoin('evidence', 'evidence.id', 'evidence_attachments.evidence_id')
      .select(['evidence_attachments.sensitivity'])
      .where('evidence_attachments.id', '=', props.attachmentId)
      .where('evidence.id', '=', props.evidenceId)
      .where('evidence.case_id', '=', caseId)
      .forUpdate('evidence_attachments')
      .executeTakeFirst();
    if (!row) throw notFound('附件');
    if (!relations.handler) throw forbidden('只有承办本案的经办人可以设置附件密级', 'only a handler of the deciding organ labels attachments');
    if (level > (await clearanceOf(tx, actor.userId))) throw aboveClearance('level');
    const now = clock.now();
    await tx.updateTable('evidence_attachments').set({ sensitivity: level }).where('id', '=', props.attachmentId).execute();
    await appendEvent(
      tx,
      { type: 'case.attachment-sensitivity-set', actor: auditActor(actor), caseId, payload: { attachmentId: props.attachmentId, from: row.sensitivity, to: level, label: levelLabel(level) } },
      { now: () => now },
    );
    return { sensitivity: level };
  });
}
