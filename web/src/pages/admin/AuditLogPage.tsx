import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Form, Input, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import { EVENT_LABELS, formatTime, label } from '../../labels';

interface AuditEvent {
  seq: string;
  at: string;
  actor: string;
  actorName: string | null;
  type: string;
  caseId: string | null;
  payload: Record<string, unknown>;
}

interface Filters {
  type?: string;
  caseId?: string;
  from?: string;
  to?: string;
}

/** 审计记录: the audit administrator reads the trail, newest first (reading it is itself recorded). */
export function AuditLogPage() {
  const [filters, setFilters] = useState<Filters>({});
  const events = useInfiniteQuery({
    queryKey: ['audit-events', filters],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) => {
      const query = new URLSearchParams(Object.entries({ ...filters, ...(pageParam ? { before: pageParam } : {}) }).filter(([, v]) => v) as [string, string][]);
      return api.get<{ data: AuditEvent[]; nextBefore: string | null }>(`/api/v1/audit/events?${query.toString()}`);
    },
    getNextPageParam: (last) => last.nextBefore ?? undefined,
  });
  const rows = events.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <Card title="审计记录" data-testid="audit-log-page">
      <Typography.Paragraph type="secondary">审计记录只含编号、操作和结果，不含案件内容；查询本身也记入审计链。</Typography.Paragraph>
      <Form
        layout="inline"
        style={{ marginBottom: 12 }}
        onFinish={(values: { type?: string; caseId?: string; range?: [{ format(f: string): string }, { format(f: string): string }] }) =>
          setFilters({
            ...(values.type ? { type: values.type.trim() } : {}),
            ...(values.caseId ? { caseId: values.caseId.trim() } : {}),
            ...(values.range ? { from: values.range[0].format('YYYY-MM-DD'), to: values.range[1].format('YYYY-MM-DD') } : {}),
          })
        }
      >
        <Form.Item name="type" label="事件类型">
          <Input placeholder="如 case.read" allowClear style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="caseId" label="案件编号">
          <Input allowClear style={{ width: 300 }} />
        </Form.Item>
        <Form.Item name="range" label="日期">
          <DatePicker.RangePicker />
        </Form.Item>
        <Button htmlType="submit" type="primary">
          查询
        </Button>
      </Form>
      {events.error && <Alert type="error" showIcon message={(events.error as Error).message} />}
      <Table<AuditEvent>
        rowKey="seq"
        size="small"
        loading={events.isLoading}
        dataSource={rows}
        pagination={false}
        expandable={{ expandedRowRender: (e) => <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{JSON.stringify(e.payload, null, 2)}</pre> }}
        columns={[
          { title: '序号', dataIndex: 'seq', width: 90 },
          { title: '时间', dataIndex: 'at', width: 180, render: (at: string) => formatTime(at) },
          { title: '操作人', dataIndex: 'actorName', width: 160, render: (name: string | null, e) => name ?? e.actor },
          { title: '事件', dataIndex: 'type', render: (type: string) => `${label(EVENT_LABELS, type)}（${type}）` },
          { title: '案件', dataIndex: 'caseId', width: 300, render: (id: string | null) => id ?? '—' },
        ]}
      />
      <Space style={{ marginTop: 12 }}>
        {events.hasNextPage && (
          <Button onClick={() => events.fetchNextPage()} loading={events.isFetchingNextPage}>
            更早的记录
          </Button>
        )}
      </Space>
    </Card>
  );
}
