import { Card, Descriptions, Empty, Tag, Typography } from 'antd';
import type { CaseView } from '../../../api/types';
import { APPEAL_OUTCOME_LABELS, formatTime, label } from '../../../labels';
import { Prose } from './Prose';

/** Appeals (Art. 16): the grounds, the deadline for handling, and the outcome with the decision version it made. */
export function AppealsTab({ view }: { view: CaseView }) {
  if (view.appeals.length === 0) {
    return <Empty description={view.appealDeadline ? `尚未提出申诉（申诉期限至 ${formatTime(view.appealDeadline)}）` : '尚未提出申诉'} image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  }
  const versionOf = new Map(view.decisions.map((d) => [d.id, d.version]));
  return (
    <>
      {view.appeals.map((a) => (
        <Card
          key={a.id}
          size="small"
          style={{ marginBottom: 12 }}
          data-testid="appeal"
          title={
            <span>
              申诉 {a.outcome ? <Tag color="blue">{label(APPEAL_OUTCOME_LABELS, a.outcome)}</Tag> : <Tag color="orange">处理中</Tag>}
            </span>
          }
          extra={<Typography.Text type="secondary">{formatTime(a.lodgedAt)} 提出</Typography.Text>}
        >
          <Descriptions
            size="small"
            column={1}
            styles={{ label: { width: 130 } }}
            items={[
              { key: 'grounds', label: '申诉理由', children: <Prose>{a.grounds}</Prose> },
              { key: 'due', label: '处理期限', children: formatTime(a.dueAt) },
              ...(a.outcome
                ? [
                    { key: 'reasons', label: '处理理由', children: <Prose>{a.reasons}</Prose> },
                    { key: 'decided', label: '处理时间', children: formatTime(a.decidedAt) },
                    ...(a.newDecisionId && versionOf.has(a.newDecisionId) ? [{ key: 'version', label: '形成决定', children: `第 ${versionOf.get(a.newDecisionId)} 版` }] : []),
                  ]
                : []),
            ]}
          />
        </Card>
      ))}
    </>
  );
}
