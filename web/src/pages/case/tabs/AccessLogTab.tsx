import { useQuery } from '@tanstack/react-query';
import { Alert, Table, Typography } from 'antd';
import { api } from '../../../api/client';
import { EVENT_LABELS, formatTime, label } from '../../../labels';

interface AccessLogEntry {
  seq: string;
  at: string;
  type: string;
  userId: string | null;
  user: string;
  route: string;
  clientAddress: string | null;
}

/** Who looked at the case: every read, download and export, from the audit chain (supervisors only). */
export function AccessLogTab({ caseId }: { caseId: string }) {
  const log = useQuery({
    queryKey: ['case', caseId, 'access-log'],
    queryFn: async () => (await api.get<{ data: AccessLogEntry[] }>(`/api/v1/cases/${caseId}/access-log`)).data,
  });
  if (log.error) return <Alert type="error" showIcon message={(log.error as Error).message} />;
  return (
    <>
      <Typography.Paragraph type="secondary">本案内容的每一次查阅、下载和导出均记入审计链，最新的在前；查看本记录也会被记录。</Typography.Paragraph>
      <Table<AccessLogEntry>
        data-testid="access-log"
        size="small"
        rowKey="seq"
        loading={log.isLoading}
        dataSource={log.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: '时间', dataIndex: 'at', width: 180, render: (at: string) => formatTime(at) },
          { title: '人员', dataIndex: 'user', width: 140 },
          { title: '操作', dataIndex: 'type', width: 140, render: (type: string) => label(EVENT_LABELS, type) },
          { title: '访问内容', dataIndex: 'route', render: (route: string) => <Typography.Text code>{route}</Typography.Text> },
          { title: '客户端地址', dataIndex: 'clientAddress', width: 140, render: (a: string | null) => a ?? '—' },
        ]}
      />
    </>
  );
}
