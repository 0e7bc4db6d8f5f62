import { Card, Form, Input, Radio, Typography } from 'antd';
import { APPEAL_OUTCOME_LABELS, formatTime } from '../../../labels';
import { CommandDrawer } from '../CommandDrawer';
import { postCommand } from '../commands';
import { PackQuote } from '../PackQuote';
import { DecisionCard } from '../tabs/DecisionCard';
import { DecisionFields, toDecisionBody, type DecisionValues } from './DecisionFields';
import type { ActionFormProps } from './types';

interface Values {
  outcome: 'upheld' | 'changed' | 'revoked';
  reasons: string;
  change?: DecisionValues;
}

/** Decides the open appeal: upheld, changed (with the changed decision) or revoked; each makes a new decision version. */
export function DecideAppealForm({ view, open, onClose }: ActionFormProps) {
  const [form] = Form.useForm<Values>();
  const outcome = Form.useWatch('outcome', form) as Values['outcome'] | undefined;
  const appeal = view.appeals.find((a) => a.outcome === null) ?? view.appeals.at(-1);
  const current = view.decisions.find((d) => d.current);
  const recommendation = view.assessment?.output.recommendation;
  return (
    <CommandDrawer
      caseId={view.id}
      action="decideAppeal"
      title="处理申诉"
      open={open}
      onClose={onClose}
      form={form}
      initialValues={{
        outcome: 'upheld',
        change: current
          ? { outcome: current.outcome, reduction: current.reduction ?? undefined, measures: current.measures, measureDetails: current.measureDetails, toleranceOpinion: current.toleranceOpinion, toleranceReasons: current.toleranceReasons ?? '' }
          : undefined,
      }}
      successText="申诉已处理"
      onSubmit={(values) =>
        postCommand(view.id, 'decideAppeal', view.version, {
          outcome: values.outcome,
          reasons: values.reasons,
          ...(values.outcome === 'changed' && values.change ? { change: toDecisionBody(values.change, recommendation) } : {}),
        })
      }
      intro={
        <>
          <PackQuote policyId={view.policy.id} number="第十六条" />
          {appeal && (
            <Card size="small" title={`申诉理由（${formatTime(appeal.lodgedAt)} 提出，应于 ${formatTime(appeal.dueAt)} 前处理）`} style={{ marginBottom: 16 }}>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{appeal.grounds}</Typography.Paragraph>
            </Card>
          )}
          {current && <DecisionCard decision={current} highlight />}
        </>
      }
    >
      <Form.Item label="申诉处理结果" name="outcome" rules={[{ required: true }]}>
        <Radio.Group aria-label="申诉处理结果" optionType="button" options={Object.entries(APPEAL_OUTCOME_LABELS).map(([value, text]) => ({ value, label: text }))} />
      </Form.Item>
      <Form.Item label="处理理由" name="reasons" rules={[{ required: true, whitespace: true, message: '请写明申诉处理理由' }]}>
        <Input.TextArea rows={5} />
      </Form.Item>
      {outcome === 'changed' && (
        <Card size="small" title="变更后的决定" style={{ marginBottom: 16 }}>
          <DecisionFields form={form} prefix={['change']} recommendation={recommendation} />
        </Card>
      )}
    </CommandDrawer>
  );
}
