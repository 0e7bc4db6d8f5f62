import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Input, Select, Space, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api/client';
import type { CaseList } from '../api/types';
import { hasRole, useSession } from '../auth/session';
import { OpenCaseButton } from '../components/OpenCaseButton';
import { formatDate, label, OUTCOME_COLORS, OUTCOME_LABELS, STATE_LABELS, STATE_ORDER } from '../labels';

const PAGE_SIZE = 20;

/** The cases the user may see; filters live in the URL so a list can be shared and reloaded. */
export function CaseListPage() {
  const session = useSession();
  const [params, setParams] = useSearchParams();
  // Keyset pages: the cursors of the pages seen so far, so "previous" works.
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);

  const query = new URLSearchParams(params);
  query.set('limit', String(PAGE_SIZE));
  if (cursor) query.set('cursor', cursor);
  const cases = useQuery({ queryKey: ['cases', query.toString()], queryFn: () => api.get<CaseList>(`/api/v1/cases?${query.toString()}`) });
  const organizations = useQuery({ queryKey: ['organizations'], queryFn: () => api.get<{ data: { id: string; name: string; type: string }[] }>('/api/v1/organizations') });
  // The Art. 8 situations, with their original words, from the policy pack in force.
  const pack = useQuery({ queryKey: ['policy', 'bj-2020'], queryFn: () => api.get<{ data: { situations: { id: string; article: string; text: string }[] } }>('/api/v1/policies/bj-2020') });

  const setFilter = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setCursors([]);
    setParams(next);
  };
  const openedFrom = params.get('openedFrom');
  const openedTo = params.get('openedTo');

  return (
    <Card
      title="案件"
      extra={hasRole(session.data, 'handler') ? <OpenCaseButton /> : null}
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          placeholder="干部姓名或案件名称"
          allowClear
          defaultValue={params.get('q') ?? ''}
          onSearch={(value) => setFilter('q', value.trim() || undefined)}
          style={{ width: 240 }}
          aria-label="搜索"
        />
        <Select
          mode="multiple"
          allowClear
          placeholder="办理阶段"
          style={{ minWidth: 200 }}
          value={params.get('state')?.split(',').filter(Boolean) ?? []}
          onChange={(values: string[]) => setFilter('state', values.join(',') || undefined)}
          options={STATE_ORDER.map((s) => ({ value: s, label: STATE_LABELS[s] }))}
          aria-label="办理阶段"
        />
        <Select
          mode="multiple"
          allowClear
          placeholder="处理结果"
          style={{ minWidth: 180 }}
          value={params.get('outcome')?.split(',').filter(Boolean) ?? []}
          onChange={(values: string[]) => setFilter('outcome', values.join(',') || undefined)}
          options={Object.entries(OUTCOME_LABELS).map(([value, text]) => ({ value, label: text }))}
          aria-label="处理结果"
        />
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder="责任追究机关"
          style={{ width: 220 }}
          value={params.get('organId') ?? undefined}
          onChange={(value: string | undefined) => setFilter('organId', value)}
          options={(organizations.data?.data ?? []).filter((o) => o.type === 'discipline-commission' || o.type === 'party-committee' || o.type === 'organization-department').map((o) => ({ value: o.id, label: o.name }))}
          aria-label="责任追究机关"
        />
        <Select
          allowClear
          placeholder="第八条容错情形"
          style={{ width: 220 }}
          value={params.get('situation') ?? undefined}
          onChange={(value: string | undefined) => setFilter('situation', value)}
          options={(pack.data?.data.situations ?? []).map((s) => ({ value: s.id, label: `${s.article.replace('第八条', '')} ${s.text.slice(0, 18)}…`, title: `${s.article}：${s.text}` }))}
          popupMatchSelectWidth={420}
          aria-label="第八条容错情形"
        />
        <DatePicker.RangePicker
          placeholder={['立案起', '立案止']}
          value={openedFrom && openedTo ? [dayjs(openedFrom), dayjs(openedTo)] : null}
          onChange={(dates) => {
            const next = new URLSearchParams(params);
            if (dates?.[0] && dates[1]) {
              next.set('openedFrom', dates[0].format('YYYY-MM-DD'));
              next.set('openedTo', dates[1].format('YYYY-MM-DD'));
            } else {
              next.delete('openedFrom');
              next.delete('openedTo');
            }
            setCursors([]);
            setParams(next);
          }}
        />
      </Space>
      {cases.isError && <Alert type="error" showIcon title={(cases.error as Error).message} style={{ marginBottom: 16 }} />}
      <Table
        rowKey="id"
        loading={cases.isLoading}
        dataSource={cases.data?.data ?? []}
        pagination={false}
        size="middle"
        columns={[
          { title: '案件名称', dataIndex: 'title', render: (title: string, row) => <Link to={`/cases/${row.id}`}>{title}</Link> },
          { title: '干部', render: (_, row) => `${row.official.name}（${row.official.position}）` },
          { title: '责任追究机关', render: (_, row) => row.organ.name, ellipsis: true },
          { title: '阶段', dataIndex: 'state', render: (state: string) => <Tag>{label(STATE_LABELS, state)}</Tag>, width: 120 },
          { title: '结果', dataIndex: 'outcome', render: (outcome: string | null) => (outcome ? <Tag color={OUTCOME_COLORS[outcome]}>{label(OUTCOME_LABELS, outcome)}</Tag> : '—'), width: 110 },
          { title: '立案日期', dataIndex: 'openedAt', render: formatDate, width: 120 },
        ]}
      />
      <Space style={{ marginTop: 16, justifyContent: 'space-between', width: '100%' }}>
        <span data-testid="case-total">{cases.data?.totalCapped ? `共 ${cases.data.total}+ 件` : `共 ${cases.data?.total ?? 0} 件`}</span>
        <Space>
          <Button disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
            上一页
          </Button>
          <Button disabled={!cases.data?.nextCursor} onClick={() => cases.data?.nextCursor && setCursors([...cursors, cases.data.nextCursor])}>
            下一页
          </Button>
        </Space>
      </Space>
    </Card>
  );
}
