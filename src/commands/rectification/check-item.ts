import { recordDigest } from '../../audit/digest.js';
import { invalidInput } from '../../errors.js';
import { assertMayCheck, statusAfterCheck } from '../../rectification/rules.js';
import { planOfItem, runPlanCommand, type PlanCommandProps } from './plan-command.js';

export interface CheckItemProps extends Omit<PlanCommandProps, 'planId'> {
  itemId: string;
  accepted: boolean;
  note: string;
}

/**
 * A supervising department checks the latest report off (the item is done) or sends the item back with a note
 * (Art. 18 ¶2): a supervisor at or above the plan's organ, or an organization department at or above it.
 */
export async function checkItem(props: CheckItemProps) {
  const planId = await planOfItem(props.db, props.itemId);
  return runPlanCommand({ ...props, planId }, ['supervisor'], async ({ tx, actor, now }) => {
    const item = await tx.selectFrom('rectification_items').select(['id', 'status']).where('id', '=', props.itemId).forUpdate().executeTakeFirstOrThrow();
    assertMayCheck(item.status);
    const note = props.note.trim();
    if (!props.accepted && note === '') throw invalidInput('note', '退回整改应当填写退回说明（note）', 'sending an item back needs a note');
    const report = await tx
      .selectFrom('rectification_reports')
      .select('id')
      .where('item_id', '=', item.id)
      .orderBy('reported_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const check = await tx
      .insertInto('rectification_checks')
      .values({ item_id: item.id, report_id: report.id, accepted: props.accepted, note, checked_by: actor.userId, checked_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const status = statusAfterCheck(props.accepted);
    await tx.updateTable('rectification_items').set({ status, done_at: props.accepted ? now : null }).where('id', '=', item.id).execute();
    return {
      result: { checkId: check.id, status },
      events: [{ type: 'rectification.item-checked', payload: { itemId: item.id, reportId: report.id, checkId: check.id, accepted: props.accepted, recordHash: recordDigest({ note }) } }],
    };
  });
}
