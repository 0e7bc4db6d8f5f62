import { Card, Descriptions, Space, Tag, Typography } from 'antd';
import type { DecisionView } from '../../../api/types';
import {
  APPROVAL_STATE_COLORS,
  APPROVAL_STATE_LABELS,
  DECISION_SOURCE_LABELS,
  formatTime,
  label,
  MEASURE_LABELS,
  OUTCOME_COLORS,
  OUTCOME_LABELS,
  REDUCTION_LABELS,
} from '../../../labels';

const Text = ({ children }: { children: string | null | undefined }) =>
  children ? <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{children}</Typography.Paragraph> : <Typography.Text type="secondary">—</Typography.Text>;

/** One version of the decision, as the user may see it (reasons and approval notes only for the organ's staff). */
export function DecisionCard({ decision, highlight }: { decision: DecisionView; highlight?: boolean }) {
  return (
    <Card
      size="small"
      data-testid={`decision-v${decision.version}`}
      style={{ marginBottom: 16, ...(highlight ? { borderColor: '#b71c1c', boxShadow: '0 0 0 1px #b71c1c' } : { opacity: 0.85 }) }}
      title={
        <Space wrap>
          <span>第 {decision.version} 版</span>
          <Tag color={OUTCOME_COLORS[decision.outcome]}>{label(OUTCOME_LABELS, decision.outcome)}</Tag>
          {decision.current && <Tag color="red">当前决定</Tag>}
          {decision.inForce ? <Tag color="green">已生效</Tag> : <Tag>未生效</Tag>}
          <Tag color={APPROVAL_STATE_COLORS[decision.approvalState]}>{label(APPROVAL_STATE_LABELS, decision.approvalState)}</Tag>
        </Space>
      }
      extra={<Typography.Text type="secondary">{label(DECISION_SOURCE_LABELS, decision.source)} · {formatTime(decision.decidedAt)}</Typography.Text>}
    >
      <Descriptions
        size="small"
        column={1}
        styles={{ label: { width: 150 } }}
        items={[
          ...(decision.reduction ? [{ key: 'reduction', label: '从轻或者减轻', children: label(REDUCTION_LABELS, decision.reduction) }] : []),
          { key: 'measures', label: '处理方式', children: decision.measures.length > 0 ? <div style={{ display: 'flex', flexWrap: 'wrap', rowGap: 4 }}>{decision.measures.map((m) => <Tag key={m}>{label(MEASURE_LABELS, m)}</Tag>)}</div> : '不予问责追责' },
          ...(decision.measureDetails ? [{ key: 'details', label: '处理方式说明', children: <Text>{decision.measureDetails}</Text> }] : []),
          { key: 'opinion', label: '容错意见', children: <Text>{decision.toleranceOpinion}</Text> },
          ...(decision.toleranceReasons !== null ? [{ key: 'reasons', label: '容错理由和容错依据', children: <Text>{decision.toleranceReasons}</Text> }] : []),
          ...(decision.departureReason ? [{ key: 'departure', label: '与研判建议不一致的理由', children: <Text>{decision.departureReason}</Text> }] : []),
          ...(decision.approvalNote ? [{ key: 'approval', label: '审批意见', children: <Text>{decision.approvalNote}</Text> }] : []),
        ]}
      />
    </Card>
  );
}
