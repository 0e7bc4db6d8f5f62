import { Card, Empty, Space, Tag, Typography } from 'antd';
import type { CaseView } from '../../../api/types';
import { formatTime, label, OPINION_KIND_LABELS } from '../../../labels';
import { Prose } from './Prose';

/** The opinions heard (Art. 12): the official's statement, units, interested parties, society and experts. */
export function OpinionsTab({ view }: { view: CaseView }) {
  if (view.opinions.length === 0) return <Empty description="尚未听取意见" image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return (
    <>
      {view.opinions.map((o) => (
        <Card
          key={o.id}
          size="small"
          style={{ marginBottom: 12 }}
          data-testid="opinion"
          title={
            <Space wrap>
              <Tag color={o.kind === 'statement' ? 'blue' : o.kind === 'expert' ? 'purple' : 'default'}>{label(OPINION_KIND_LABELS, o.kind)}</Tag>
              <span>{o.source}</span>
            </Space>
          }
          extra={<Typography.Text type="secondary">{formatTime(o.recordedAt)}</Typography.Text>}
        >
          <Prose>{o.content}</Prose>
        </Card>
      ))}
    </>
  );
}
