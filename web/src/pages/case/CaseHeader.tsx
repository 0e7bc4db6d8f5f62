import { Card, Descriptions, Space, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import type { CaseView } from '../../api/types';
import { formatDate, label, OUTCOME_COLORS, OUTCOME_LABELS, RANK_LABELS, STATE_LABELS } from '../../labels';
import { CaseSteps } from './CaseSteps';

/** The state tag's colour: work in progress, waiting on someone else, or done. */
const STATE_COLORS: Record<string, string> = {
  investigating: 'processing',
  deliberated: 'processing',
  'awaiting-approval': 'orange',
  decided: 'processing',
  served: 'cyan',
  'under-appeal': 'orange',
  'appeal-decided': 'cyan',
  closed: 'default',
};

/** Title, official, organ, state and outcome, the key dates, the procedure bar, and the actions below them. */
export function CaseHeader({ view, actions }: { view: CaseView; actions: ReactNode }) {
  const dates = [
    { key: 'opened', label: '启动', value: view.openedAt },
    { key: 'decided', label: '决定', value: view.decidedAt },
    { key: 'served', label: '送达', value: view.servedAt },
    { key: 'deadline', label: '申诉期限', value: view.appealDeadline },
    { key: 'closed', label: '结案', value: view.closedAt },
  ].filter((d) => d.value);
  return (
    <Card style={{ marginBottom: 16 }}>
      <Space wrap align="center" style={{ marginBottom: 8 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {view.title}
        </Typography.Title>
        <Tag color={STATE_COLORS[view.state] ?? 'processing'} data-testid="case-state">
          {STATE_LABELS[view.state] ?? view.stateLabel}
        </Tag>
        {view.outcome && (
          <Tag color={OUTCOME_COLORS[view.outcome]} data-testid="case-outcome">
            {label(OUTCOME_LABELS, view.outcome)}
          </Tag>
        )}
        {view.professional && <Tag color="purple">涉及专业性技术性问题</Tag>}
      </Space>
      <Descriptions
        size="small"
        column={{ xs: 1, md: 2, xl: 3 }}
        items={[
          {
            key: 'official',
            label: '责任追究对象',
            children: (
              <span data-testid="case-official">
                {view.official.name}（{view.official.organization.name} {view.official.position}，{label(RANK_LABELS, view.official.rank)}）
              </span>
            ),
            span: 2,
          },
          { key: 'organ', label: '责任追究机关', children: view.organ.name },
          ...dates.map((d) => ({ key: d.key, label: d.label, children: formatDate(d.value) })),
        ]}
      />
      <CaseSteps view={view} />
      <div style={{ marginTop: 16 }}>{actions}</div>
    </Card>
  );
}
