import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, List, Spin, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { api, ApiError } from '../../../api/client';
import { OUTCOME_LABELS, REMINDER_KIND_LABELS, STATE_LABELS } from '../../../labels';

interface OfficialHistoryData {
  official: { id: string; name: string };
  cases: { id: string; title: string; openedOn: string; state: string; outcome: string | null }[];
  reminders: { id: string; kind: string; givenOn: string; problem: string; followUp: string; followUpOn: string | null }[];
}

/**
 * The official's earlier cases and prevention reminders within the user's jurisdiction, beside the assessment, so
 * that 初次犯错还是重复犯错 (Art. 9(1), motive.history) rests on the record.
 */
export function OfficialHistory({ caseId }: { caseId: string }) {
  const query = useQuery({
    queryKey: ['case', caseId, 'official-history'],
    queryFn: () => api.get<{ data: OfficialHistoryData }>(`/api/v1/cases/${caseId}/official-history`),
  });
  const data = query.data?.data;
  const items = data
    ? [
        ...data.cases.map((c) => ({
          key: `case-${c.id}`,
          date: c.openedOn,
          node: (
            <>
              <Tag color="blue">案件</Tag>
              <Link to={`/cases/${c.id}`}>{c.title}</Link>{' '}
              <Typography.Text type="secondary">
                {STATE_LABELS[c.state] ?? c.state}
                {c.outcome ? `，${OUTCOME_LABELS[c.outcome] ?? c.outcome}` : ''}
              </Typography.Text>
            </>
          ),
        })),
        ...data.reminders.map((r) => ({
          key: `reminder-${r.id}`,
          date: r.givenOn,
          node: (
            <>
              <Tag color="gold">{REMINDER_KIND_LABELS[r.kind] ?? r.kind}</Tag>
              {r.problem}
              {r.followUp || r.followUpOn ? (
                <Typography.Text type="secondary">
                  {' '}
                  （跟踪：{r.followUp}
                  {r.followUpOn ? ` ${r.followUpOn}` : ''}）
                </Typography.Text>
              ) : null}
            </>
          ),
        })),
      ].sort((a, b) => b.date.localeCompare(a.date))
    : [];

  return (
    <Card size="small" title="该干部此前的案件与提醒（第九条第（一）项：初次犯错还是重复犯错）" style={{ marginBottom: 16 }} data-testid="official-history">
      {query.isPending ? (
        <Spin />
      ) : query.isError ? (
        <Alert type="warning" showIcon title={query.error instanceof ApiError ? query.error.message : '无法加载该干部的记录'} />
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="无记录" />
      ) : (
        <List
          size="small"
          dataSource={items}
          renderItem={(item) => (
            <List.Item key={item.key}>
              <Typography.Text type="secondary" style={{ marginRight: 8 }}>
                {item.date}
              </Typography.Text>
              {item.node}
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
