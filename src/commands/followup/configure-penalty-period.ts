import { auditActor } from '../../access/actor.js';
import { grantsOf } from '../../access/case.js';
import { appendEvent } from '../../audit/chain.js';
import { forbidden, invalidInput } from '../../errors.js';
import type { FollowupCommandProps } from './record-visit.js';

export interface ConfigurePenaltyPeriodProps extends FollowupCommandProps {
  organId: string;
  /** A measure outside party and government penalties (诫勉 'admonishment', 组织处理 …). */
  kind: string;
  label: string;
  months: number;
  /** The text the period comes from (the organ's rule or document). */
  source: string;
}

const KIND = /^[a-z][a-z0-9-]*$/;

/**
 * An organ sets the effect period of one of its other measures (penalty_period_settings), with its source. A
 * penalty of that kind recorded afterwards by the organ uses it (resolvePeriod); penalties already recorded keep
 * the period stored with them. By a handler or administrator of that organ; audited.
 */
export async function configurePenaltyPeriod(props: ConfigurePenaltyPeriodProps) {
  const { db, clock, actor } = props;
  if (!KIND.test(props.kind)) throw invalidInput('kind', '种类编码格式不正确（小写字母、数字和连字符）', 'kind must match ^[a-z][a-z0-9-]*$');
  if (!props.label.trim()) throw invalidInput('label', '请填写名称', 'the label is empty');
  if (!props.source.trim()) throw invalidInput('source', '请写明影响期的依据', 'the source is empty');
  if (!Number.isInteger(props.months) || props.months < 0 || props.months > 240) throw invalidInput('months', '影响期应为 0 至 240 个月', 'months is an integer from 0 to 240');
  if (!['handler', 'system-administrator'].some((role) => grantsOf(actor, role).includes(props.organId))) {
    throw forbidden('只有本机关的经办人或系统管理员可以设置影响期', 'only a handler or administrator of the organ configures its periods');
  }
  return db.transaction().execute(async (tx) => {
    const now = clock.now();
    const previous = await tx
      .selectFrom('penalty_period_settings')
      .select(['label', 'months', 'source'])
      .where('organ_id', '=', props.organId)
      .where('kind', '=', props.kind)
      .forUpdate()
      .executeTakeFirst();
    const values = { label: props.label.trim(), months: props.months, source: props.source.trim(), set_by: actor.userId, set_at: now };
    await tx
      .insertInto('penalty_period_settings')
      .values({ organ_id: props.organId, kind: props.kind, ...values })
      .onConflict((oc) => oc.columns(['organ_id', 'kind']).doUpdateSet(values))
      .execute();
    const result = { organId: props.organId, kind: props.kind, label: values.label, months: values.months, source: values.source, setAt: now.toISOString() };
    await appendEvent(
      tx,
      {
        type: 'settings.penalty-period-configured',
        actor: auditActor(actor),
        caseId: null,
        payload: { organId: props.organId, kind: props.kind, label: values.label, months: values.months, source: values.source, previous: previous ?? null },
      },
      { now: () => now },
    );
    return result;
  });
}
