import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Form, Input, Select, Skeleton, Table, Tabs, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, ApiError } from '../../api/client';
import type { SharingRecipients } from '../../api/types';
import { hasRole, useSession } from '../../auth/session';
import { formatTime, label } from '../../labels';
import { applyFieldError } from '../followup/field-errors';
import { OfficialPicker, type OfficialOption } from '../followup/OfficialPicker';

export const SHARED_KIND_LABELS: Record<string, string> = {
  'tolerance-decision': '容错处理决定',
  'comprehensive-assessment': '综合研判结论',
  penalty: '处分及影响期',
};

interface ShareItem {
  id: string;
  kind: string;
  recordId: string;
  caseId: string | null;
  official: { id: string; name: string; position: string };
  from: { id: string; name: string };
  to: { id: string; name: string };
  note: string;
  sharedBy: { id: string; displayName: string };
  sharedAt: string;
}

const sharingKeys = { inbox: ['sharing', 'inbox'] as const, log: ['sharing', 'log'] as const };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHARE_FIELDS = ['officialId', 'kind', 'recordId', 'toOrgId', 'note'] as const;

function useInbox(enabled: boolean) {
  return useQuery({ queryKey: sharingKeys.inbox, queryFn: () => api.get<{ data: { items: ShareItem[] } }>('/api/v1/sharing/inbox'), enabled });
}
function useLog(enabled: boolean) {
  return useQuery({ queryKey: sharingKeys.log, queryFn: () => api.get<{ data: { items: ShareItem[] } }>('/api/v1/sharing/log'), enabled });
}

/**
 * 信息共享 (协作配合, 第十九条第（二）项): a discipline commission's handler or an organization department shares a
 * conclusion about an official with the counterpart organ that manages the same official; the recipient sees it
 * in its inbox; supervisors see the record of who shared what with whom.
 */
export function SharingPage() {
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const user = session.data;
  const shares = hasRole(user, 'handler') || hasRole(user, 'organization-department');
  const supervises = hasRole(user, 'supervisor');
  const inbox = useInbox(shares);
  const log = useLog(supervises);
  if (session.isLoading) return <Skeleton active />;

  const tabs = [
    ...(shares
      ? [
          { key: 'share', label: '共享结论', children: <ShareTab known={inbox.data?.data.items ?? []} /> },
          { key: 'inbox', label: `收到的共享${inbox.data ? `（${inbox.data.data.items.length}）` : ''}`, children: <ShareTable query={inbox} testId="inbox" direction="from" /> },
        ]
      : []),
    ...(supervises ? [{ key: 'log', label: `共享记录${log.data ? `（${log.data.data.items.length}）` : ''}`, children: <ShareTable query={log} testId="log" direction="both" /> }] : []),
  ];
  if (tabs.length === 0) {
    return (
      <Card title="信息共享" data-testid="sharing-page">
        <Alert type="info" showIcon title="信息共享由纪检监察机关经办人、组织人事部门办理，监督检查人员查看共享记录。" />
      </Card>
    );
  }
  const requested = params.get('tab');
  const active = tabs.some((t) => t.key === requested) ? requested! : tabs[0]!.key;
  return (
    <Card title="信息共享" data-testid="sharing-page">
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        纪检监察机关与组织人事部门对同一干部的容错处理决定、综合研判结论、处分及影响期等信息互相共享（第十九条第（二）项）。每次共享都记入审计链。
      </Typography.Paragraph>
      <Tabs activeKey={active} onChange={(key) => setParams({ tab: key }, { replace: true })} items={tabs} destroyOnHidden />
    </Card>
  );
}

interface ShareForm {
  officialId?: string;
  kind?: string;
  recordId?: string;
  toOrgId?: string;
  note?: string;
}

function ShareTab({ known }: { known: ShareItem[] }) {
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<ShareForm>();
  const officialId = Form.useWatch('officialId', form);
  const [busy, setBusy] = useState(false);
  const officials = useMemo(() => {
    const map = new Map<string, OfficialOption>();
    for (const item of known) map.set(item.official.id, item.official);
    return [...map.values()];
  }, [known]);

  const submit = async (values: ShareForm) => {
    setBusy(true);
    try {
      const note = values.note?.trim();
      await api.post('/api/v1/sharing', { officialId: values.officialId, kind: values.kind, recordId: values.recordId?.trim(), toOrgId: values.toOrgId, ...(note ? { note } : {}) });
      message.success('已共享');
      form.resetFields();
      await client.invalidateQueries({ queryKey: ['sharing'] });
    } catch (error) {
      applyFieldError(form, error, message, SHARE_FIELDS);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={submit}
      // The recipients depend on the official: another official, another list.
      onValuesChange={(changed: ShareForm) => {
        if ('officialId' in changed) form.setFieldValue('toOrgId', undefined);
      }}
      style={{ maxWidth: 640 }}
      data-testid="share-form"
    >
      <Form.Item name="officialId" label="干部" rules={[{ required: true, message: '请选择干部' }]}>
        <OfficialPicker known={officials} data-testid="share-official" />
      </Form.Item>
      <Form.Item name="kind" label="共享的结论" rules={[{ required: true, message: '请选择共享的结论' }]}>
        <Select data-testid="share-kind" placeholder="请选择" options={Object.entries(SHARED_KIND_LABELS).map(([value, text]) => ({ value, label: text }))} />
      </Form.Item>
      <Form.Item
        name="recordId"
        label="结论编号"
        extra="容错处理决定、综合研判结论或处分记录的编号"
        rules={[
          { required: true, message: '请填写结论编号' },
          { pattern: UUID, message: '结论编号格式不正确' },
        ]}
      >
        <Input data-testid="share-record" placeholder="粘贴结论编号" autoComplete="off" />
      </Form.Item>
      <Form.Item name="toOrgId" label="接收单位" extra="管理同一干部的组织人事部门或纪检监察机关" rules={[{ required: true, message: '请选择接收单位' }]}>
        <RecipientSelect officialId={officialId} />
      </Form.Item>
      <Form.Item name="note" label="说明" rules={[{ max: 2000, message: '说明不超过 2000 字' }]}>
        <Input.TextArea data-testid="share-note" rows={3} maxLength={2000} showCount placeholder="如：供干部选拔任用参考" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy} data-testid="share-submit">
        共享
      </Button>
    </Form>
  );
}

/**
 * The recipient organ, among those the server would accept for this official (GET /api/v1/sharing/recipients:
 * the counterpart organs that manage the same official, by the rules of the share command).
 */
function RecipientSelect({ value, onChange, id, officialId }: { value?: string; onChange?: (value: string | undefined) => void; id?: string; officialId: string | undefined }) {
  const ready = officialId !== undefined && UUID.test(officialId);
  const recipients = useQuery({
    queryKey: ['sharing', 'recipients', officialId],
    queryFn: () => api.get<{ data: SharingRecipients }>(`/api/v1/sharing/recipients?officialId=${encodeURIComponent(officialId!)}`),
    enabled: ready,
    retry: false,
    staleTime: 60_000,
  });
  const options = (recipients.data?.data.items ?? []).map((o) => ({ value: o.id, label: o.name }));
  const problem = recipients.error instanceof ApiError ? recipients.error.message : recipients.isError ? '无法加载可接收的单位' : undefined;
  const empty = !ready ? '请先选择干部' : problem ?? '没有管理该干部的组织人事部门或纪检监察机关可以接收';
  return (
    <>
      <Select
        id={id}
        data-testid="share-recipient"
        value={value}
        onChange={(v) => onChange?.(v)}
        allowClear
        disabled={!ready}
        placeholder={ready ? '选择接收单位' : '请先选择干部'}
        loading={recipients.isFetching}
        options={options}
        notFoundContent={empty}
        showSearch={{ optionFilterProp: 'label' }}
        style={{ width: '100%' }}
      />
      {recipients.data && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="share-from">
          以{recipients.data.data.from.name}的名义共享
        </Typography.Text>
      )}
      {problem && (
        <Typography.Text type="danger" style={{ display: 'block', fontSize: 12 }} data-testid="share-recipient-problem">
          {problem}
        </Typography.Text>
      )}
    </>
  );
}

function ShareTable({ query, testId, direction }: { query: ReturnType<typeof useInbox>; testId: string; direction: 'from' | 'both' }) {
  if (query.isLoading) return <Skeleton active />;
  if (query.isError || !query.data) return <Alert type="error" showIcon title="无法加载共享信息" description={(query.error as Error | null)?.message} />;
  const items = query.data.data.items;
  if (items.length === 0) return <Empty description={direction === 'from' ? '尚未收到共享的结论' : '尚无共享记录'} data-testid={`${testId}-empty`} />;
  return (
    <Table<ShareItem>
      data-testid={`${testId}-table`}
      rowKey="id"
      size="small"
      dataSource={items}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      onRow={() => ({ 'data-testid': `${testId}-row` }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        { title: '共享时间', dataIndex: 'sharedAt', width: 170, render: (v: string) => formatTime(v) },
        { title: '干部', key: 'official', render: (_, r) => <span>{r.official.name}<Typography.Text type="secondary" style={{ fontSize: 12 }}>　{r.official.position}</Typography.Text></span> },
        { title: '结论', dataIndex: 'kind', width: 130, render: (v: string) => <Tag>{label(SHARED_KIND_LABELS, v)}</Tag> },
        ...(direction === 'both'
          ? [{ title: '共享单位 → 接收单位', key: 'route', render: (_: unknown, r: ShareItem) => `${r.from.name} → ${r.to.name}` }]
          : [{ title: '共享单位', key: 'from', render: (_: unknown, r: ShareItem) => r.from.name }]),
        { title: '共享人', key: 'by', width: 100, render: (_, r) => r.sharedBy.displayName },
        { title: '说明', dataIndex: 'note', render: (v: string) => v || '—' },
        // Only the supervisors' log links the case: the recipient organ need not see the case itself.
        ...(direction === 'both' ? [{ title: '案件', dataIndex: 'caseId', width: 80, render: (v: string | null) => (v ? <Link to={`/cases/${v}`}>查看</Link> : '—') }] : []),
      ]}
    />
  );
}
