import { Alert, Card, Empty, Spin, Timeline, Typography } from 'antd';
import { EVENT_LABELS, formatTime, label } from '../../labels';
import { useCaseEvents } from './queries';

/** The case's history from the audit chain: when, who, what — as much of it as this user may see. */
export function CaseTimeline({ caseId }: { caseId: string }) {
  const events = useCaseEvents(caseId);
  const items = events.data?.data ?? [];
  return (
    <Card title="办理过程" size="small" data-testid="timeline" styles={{ body: { maxHeight: 'calc(100vh - 140px)', overflowY: 'auto' } }}>
      {events.isLoading ? (
        <Spin />
      ) : events.isError ? (
        <Alert type="error" showIcon title="无法加载办理过程" />
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无记录" />
      ) : (
        <Timeline
          items={items.map((e) => ({
            key: e.seq,
            content: (
              <div data-testid="timeline-event" data-event-type={e.type}>
                <Typography.Text strong>{label(EVENT_LABELS, e.type)}</Typography.Text>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatTime(e.at)}
                  </Typography.Text>
                </div>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {e.actor}
                  </Typography.Text>
                </div>
              </div>
            ),
          }))}
        />
      )}
    </Card>
  );
}
