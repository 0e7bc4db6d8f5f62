import { recordDigest } from '../../audit/digest.js';
import { ancestorsOf } from '../../access/case.js';
import { invalidInput } from '../../errors.js';
import { deadlineIsValid } from '../../rectification/rules.js';
import { runPlanCommand, type PlanCommandProps } from './plan-command.js';

export interface NewItem {
  title: string;
  /** Exactly one owner: an official (who then reports through their own account) or a unit. */
  ownerOfficialId?: string | undefined;
  ownerUnitId?: string | undefined;
  /** YYYY-MM-DD, the last day (Beijing time); not in the past. */
  deadline: string;
  /** The long-term mechanism the item sets up against recurrence (Art. 18). */
  mechanism: string;
}

export interface AddItemsProps extends PlanCommandProps {
  items: NewItem[];
}

/** Adds items to a plan (handler of the plan's organ), one `rectification.item-added` event each. */
export function addItems(props: AddItemsProps) {
  return runPlanCommand(props, ['manager'], async ({ tx, plan, actor, now }) => {
    const last = await tx.selectFrom('rectification_items').select(({ fn }) => fn.max('position').as('max')).where('plan_id', '=', plan.id).executeTakeFirst();
    let position = Number(last?.max ?? 0);
    const added: { id: string; position: number }[] = [];
    const events = [];
    for (const [index, item] of props.items.entries()) {
      const key = (field: string) => `items.${index}.${field}`;
      if ((item.ownerOfficialId === undefined) === (item.ownerUnitId === undefined)) {
        throw invalidInput(key('ownerOfficialId'), `第 ${index + 1} 项：请指定一名责任干部（ownerOfficialId）或一个责任单位（ownerUnitId），二者选一`, 'give exactly one owner: ownerOfficialId or ownerUnitId');
      }
      if (!deadlineIsValid(item.deadline, now)) {
        throw invalidInput(key('deadline'), `第 ${index + 1} 项：整改期限（deadline）应为今天或以后的日期`, 'the deadline must be a date, today or later');
      }
      if (item.ownerOfficialId !== undefined) {
        const official = await tx.selectFrom('officials').select('managing_org_id').where('id', '=', item.ownerOfficialId).executeTakeFirst();
        // The plan's organ must manage the owner (R14): it supervises what it can hold to account.
        if (!official || !(await ancestorsOf(tx, official.managing_org_id)).includes(plan.organId)) {
          throw invalidInput(key('ownerOfficialId'), `第 ${index + 1} 项：责任干部（ownerOfficialId）不存在或不由本机关管理`, 'no such official managed by the plan\'s organ');
        }
      } else {
        const unitAncestors = await ancestorsOf(tx, item.ownerUnitId!);
        const anchors = [plan.unitId, plan.organId, plan.caseOfficialOrganizationId].filter((x): x is string => x !== null);
        if (!unitAncestors.some((org) => anchors.includes(org))) {
          throw invalidInput(key('ownerUnitId'), `第 ${index + 1} 项：责任单位（ownerUnitId）不存在或与本整改方案无关`, 'no such unit under the plan\'s unit, organ or the official\'s unit');
        }
      }
      position += 1;
      const row = await tx
        .insertInto('rectification_items')
        .values({
          plan_id: plan.id,
          title: item.title,
          owner_official_id: item.ownerOfficialId ?? null,
          owner_unit_id: item.ownerUnitId ?? null,
          deadline: item.deadline,
          mechanism: item.mechanism,
          position,
          added_by: actor.userId,
          added_at: now,
          done_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      added.push({ id: row.id, position });
      events.push({
        type: 'rectification.item-added' as const,
        payload: {
          itemId: row.id,
          owner: item.ownerOfficialId !== undefined ? { officialId: item.ownerOfficialId } : { unitId: item.ownerUnitId },
          deadline: item.deadline,
          recordHash: recordDigest({ title: item.title, mechanism: item.mechanism }),
        },
      });
    }
    return { result: { items: added }, events };
  });
}
