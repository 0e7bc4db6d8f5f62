import { recordDigest } from '../../audit/digest.js';
import { forbidden, invalidInput } from '../../errors.js';
import { assertMayReport } from '../../rectification/rules.js';
import { planOfItem, runPlanCommand, type PlanCommandProps } from './plan-command.js';

export interface ReportProgressProps extends Omit<PlanCommandProps, 'planId'> {
  itemId: string;
  content: string;
  /** SHA-256 of files already in the store (uploaded as evidence or otherwise). */
  attachments: string[];
}

/**
 * Reports progress on an item (Art. 18): the owning official through their own account, or a handler of the
 * plan's organ recording what the owner (an official without an account, or a unit) reported. The item then
 * waits for the supervisors' check.
 */
export async function reportProgress(props: ReportProgressProps) {
  const planId = await planOfItem(props.db, props.itemId);
  return runPlanCommand({ ...props, planId }, ['manager', 'owner'], async ({ tx, actor, relations, now }) => {
    const item = await tx.selectFrom('rectification_items').select(['id', 'status', 'owner_official_id']).where('id', '=', props.itemId).forUpdate().executeTakeFirstOrThrow();
    const ownOfficial = actor.officialId !== null && actor.officialId === item.owner_official_id;
    if (!relations.manager && !ownOfficial) throw forbidden('只有该整改事项的责任干部本人或经办人可以报告进展', 'only the item\'s owner or a handler of the plan\'s organ reports on it');
    assertMayReport(item.status);
    const hashes = [...new Set(props.attachments)];
    if (hashes.length > 0) {
      const stored = new Set((await tx.selectFrom('files').select('sha256').where('sha256', 'in', hashes).execute()).map((f) => f.sha256));
      const missing = props.attachments.findIndex((h) => !stored.has(h));
      if (missing >= 0) throw invalidInput(`attachments.${missing}`, `附件（attachments 第 ${missing + 1} 项）不存在，请先上传该文件`, 'no stored file with that SHA-256');
    }
    const report = await tx
      .insertInto('rectification_reports')
      .values({ item_id: item.id, content: props.content, reported_by: actor.userId, reported_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (hashes.length > 0) await tx.insertInto('rectification_report_attachments').values(hashes.map((file_sha256) => ({ report_id: report.id, file_sha256 }))).execute();
    await tx.updateTable('rectification_items').set({ status: 'reported' }).where('id', '=', item.id).execute();
    return {
      result: { reportId: report.id, status: 'reported' },
      events: [{ type: 'rectification.progress-reported', payload: { itemId: item.id, reportId: report.id, attachments: hashes, recordHash: recordDigest({ content: props.content }) } }],
    };
  });
}
