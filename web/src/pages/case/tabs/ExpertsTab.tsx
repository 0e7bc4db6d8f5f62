import { Card, Descriptions, Empty, Tag, Typography } from 'antd';
import type { CaseView, EvidenceItem } from '../../../api/types';
import { formatTime } from '../../../labels';
import { Prose } from './Prose';

/** Experts invited on the professional question (Art. 12 ¶2): the question, what they were shown, whether they answered. */
export function ExpertsTab({ view, evidence }: { view: CaseView; evidence: EvidenceItem[] }) {
  if (view.expertInvitations.length === 0) return <Empty description={view.professional ? '尚未邀请专家' : '本案未标记为涉及专业性或者技术性问题'} image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  const titleOf = new Map(evidence.map((e) => [e.id, e.title]));
  return (
    <>
      {view.expertInvitations.map((i) => (
        <Card
          key={i.id}
          size="small"
          style={{ marginBottom: 12 }}
          data-testid="expert-invitation"
          title={
            <span>
              {i.expertName} {i.answered ? <Tag color="green">已提出意见</Tag> : <Tag color="orange">待提出意见</Tag>}
            </span>
          }
          extra={<Typography.Text type="secondary">{formatTime(i.invitedAt)} 邀请</Typography.Text>}
        >
          <Descriptions
            size="small"
            column={1}
            styles={{ label: { width: 120 } }}
            items={[
              { key: 'question', label: '咨询问题', children: <Prose>{i.question}</Prose> },
              { key: 'evidence', label: '提供的材料', children: i.evidenceIds.length === 0 ? '—' : <div style={{ display: 'flex', flexWrap: 'wrap', rowGap: 4 }}>{i.evidenceIds.map((id) => <Tag key={id}>{titleOf.get(id) ?? '证据材料'}</Tag>)}</div> },
            ]}
          />
        </Card>
      ))}
    </>
  );
}
