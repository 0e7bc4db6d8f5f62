import { Card, Descriptions, Empty, Tag, Typography } from 'antd';
import type { CaseView } from '../../../api/types';
import { APPLICANT_KIND_LABELS, formatTime, label } from '../../../labels';
import { Prose } from './Prose';

/** Written tolerance applications (Art. 11 ¶2) and the answer each received in the tolerance opinion. */
export function ApplicationsTab({ view }: { view: CaseView }) {
  if (view.applications.length === 0) return <Empty description="尚无书面容错申请" image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  const decided = view.decisions.some((d) => d.inForce);
  return (
    <>
      {view.applications.map((a, i) => (
        <Card
          key={a.id}
          size="small"
          style={{ marginBottom: 12 }}
          data-testid="application"
          title={
            <span>
              申请 {i + 1} <Tag>{label(APPLICANT_KIND_LABELS, a.applicantKind)}</Tag>
            </span>
          }
          extra={<Typography.Text type="secondary">{formatTime(a.submittedAt)}</Typography.Text>}
        >
          <Descriptions
            size="small"
            column={1}
            styles={{ label: { width: 120 } }}
            items={[
              { key: 'content', label: '申请内容', children: <Prose>{a.content}</Prose> },
              {
                key: 'answer',
                label: '答复',
                children: a.answer ? <Prose>{a.answer}</Prose> : <Typography.Text type="secondary">{decided ? '—' : '将在容错意见中答复，随处理决定告知'}</Typography.Text>,
              },
            ]}
          />
        </Card>
      ))}
    </>
  );
}
