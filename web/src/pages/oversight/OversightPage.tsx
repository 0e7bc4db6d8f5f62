import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { formatDate, label, OUTCOME_LABELS } from '../../labels';

interface RateRow {
  decided: number;
  tolerated: number;
  rate: number;
  caseIds: string[];
  toleratedCaseIds: string[];
}

export interface Oversight {
  toleranceByOrgan: (RateRow & { organId: string; organName: string })[];
  toleranceBySituation: (RateRow & { situation: string; label: string; link: string; toleratedLink: string })[];
  departures: { caseId: string; caseTitle: string; decisionId: string; version: number; current: boolean; outcome: string; recommendation: string | null; reason: string | null; deliberationReason: string | null; decidedAt: string }[];
  repeatedTolerance: { officialId: string; officialName: string; position: string | null; count: number; caseIds: string[] }[];
  unansweredApplications: { applicationId: string; caseId: string; caseTitle: string; applicantKind: string; submittedAt: string }[];
  recusalWarnings: { caseId: string; caseTitle: string; decisionId: string; userName: string; openedAndDecided: boolean; deliberatedAndDecided: boolean }[];
  overdueRectification: { itemId: string; caseId: string; caseTitle: string; title: string; deadline: string; status: string }[];
}

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

/** The cases behind a figure: each opens its own page. */
function CaseLinks({ ids }: { ids: string[] }) {
  return (
    <Space size={[4, 4]} wrap>
      {ids.map((id, i) => (
        <Link key={id} to={`/cases/${id}`}>
          <Tag color="blue">案件{i + 1}</Tag>
        </Link>
      ))}
    </Space>
  );
}

const caseTitle = (title: string, row: { caseId: string }) => <Link to={`/cases/${row.caseId}`}>{title}</Link>;

/** Oversight for supervisors (Art. 20 ¶2): where tolerance might be used as cover, with the cases behind each figure. */
export function OversightPage() {
  const query = useQuery({ queryKey: ['oversight'], queryFn: () => api.get<{ data: Oversight }>('/api/v1/oversight') });
  if (query.isError) return <Alert type="error" title={(query.error as Error).message} />;
  const data = query.data?.data;
  const loading = query.isLoading;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle" data-testid="oversight-page">
      <Typography.Title level={3} style={{ margin: 0 }}>
        监督检查
      </Typography.Title>
      <Row gutter={16}>
        {[
          ['偏离研判建议', data?.departures.length],
          ['重复容错干部', data?.repeatedTolerance.length],
          ['未答复的容错申请', data?.unansweredApplications.length],
          ['回避提示', data?.recusalWarnings.length],
          ['整改逾期事项', data?.overdueRectification.length],
        ].map(([title, value]) => (
          <Col key={title as string} flex="1">
            <Card size="small" loading={loading}>
              <Statistic title={title as string} value={(value as number | undefined) ?? 0} />
            </Card>
          </Col>
        ))}
      </Row>
      <Card title="容错率（按责任追究机关）" size="small" data-testid="tolerance-by-organ">
        <Table
          rowKey="organId"
          size="small"
          loading={loading}
          pagination={false}
          dataSource={data?.toleranceByOrgan ?? []}
          columns={[
            { title: '责任追究机关', dataIndex: 'organName' },
            { title: '已决定', dataIndex: 'decided', width: 90 },
            { title: '容错（免责+减责）', dataIndex: 'tolerated', width: 150 },
            { title: '容错率', dataIndex: 'rate', width: 90, render: percent },
            { title: '容错案件', dataIndex: 'toleratedCaseIds', render: (ids: string[]) => <CaseLinks ids={ids} /> },
          ]}
        />
      </Card>
      <Card title="容错率（按第八条情形）" size="small" data-testid="tolerance-by-situation">
        <Table
          rowKey="situation"
          size="small"
          loading={loading}
          pagination={false}
          dataSource={data?.toleranceBySituation ?? []}
          columns={[
            { title: '情形', dataIndex: 'label' },
            { title: '已决定', dataIndex: 'decided', width: 90, render: (n: number, row) => <Link to={row.link}>{n}</Link> },
            { title: '容错', dataIndex: 'tolerated', width: 90, render: (n: number, row) => <Link to={row.toleratedLink}>{n}</Link> },
            { title: '容错率', dataIndex: 'rate', width: 90, render: percent },
          ]}
        />
      </Card>
      <Card title="决定偏离研判建议及理由（R15）" size="small" data-testid="departures">
        <Table
          rowKey="decisionId"
          size="small"
          loading={loading}
          pagination={false}
          dataSource={data?.departures ?? []}
          columns={[
            { title: '案件', dataIndex: 'caseTitle', render: caseTitle },
            { title: '研判建议', dataIndex: 'recommendation', width: 100, render: (v: string | null) => (v ? label(OUTCOME_LABELS, v) : '—') },
            { title: '决定', dataIndex: 'outcome', width: 100, render: (v: string) => <Tag color="orange">{label(OUTCOME_LABELS, v)}</Tag> },
            { title: '偏离理由', dataIndex: 'reason', render: (v: string | null, row) => v ?? row.deliberationReason ?? <Typography.Text type="danger">未写明</Typography.Text> },
            { title: '决定日期', dataIndex: 'decidedAt', width: 120, render: formatDate },
          ]}
        />
      </Card>
      <Card title="同一干部多次容错" size="small" data-testid="repeated-tolerance">
        <Table
          rowKey="officialId"
          size="small"
          loading={loading}
          pagination={false}
          dataSource={data?.repeatedTolerance ?? []}
          columns={[
            { title: '干部', dataIndex: 'officialName', render: (name: string, row) => `${name}${row.position ? `（${row.position}）` : ''}` },
            { title: '容错次数', dataIndex: 'count', width: 100 },
            { title: '案件', dataIndex: 'caseIds', render: (ids: string[]) => <CaseLinks ids={ids} /> },
          ]}
        />
      </Card>
      <Card title="集体研究未答复的容错申请" size="small" data-testid="unanswered-applications">
        <Table
          rowKey="applicationId"
          size="small"
          loading={loading}
          pagination={false}
          dataSource={data?.unansweredApplications ?? []}
          columns={[
            { title: '案件', dataIndex: 'caseTitle', render: caseTitle },
            { title: '申请人', dataIndex: 'applicantKind', width: 120, render: (v: string) => (v === 'official' ? '本人' : '所在党组织') },
            { title: '提出日期', dataIndex: 'submittedAt', width: 120, render: formatDate },
          ]}
        />
      </Card>
      <Card title="回避提示：同一人启动或记录集体研究并作出决定" size="small" data-testid="recusal-warnings">
        <Table
          rowKey="decisionId"
          size="small"
          loading={loading}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          dataSource={data?.recusalWarnings ?? []}
          columns={[
            { title: '案件', dataIndex: 'caseTitle', render: caseTitle },
            { title: '决定人', dataIndex: 'userName', width: 200 },
            {
              title: '情形',
              key: 'kind',
              render: (_: unknown, row) => (
                <Space size={4}>
                  {row.openedAndDecided && <Tag color="red">启动并决定</Tag>}
                  {row.deliberatedAndDecided && <Tag color="volcano">记录集体研究并决定</Tag>}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Card title="整改逾期事项" size="small" data-testid="overdue-rectification">
        <Table
          rowKey="itemId"
          size="small"
          loading={loading}
          pagination={false}
          dataSource={data?.overdueRectification ?? []}
          columns={[
            { title: '案件', dataIndex: 'caseTitle', render: caseTitle },
            { title: '整改事项', dataIndex: 'title' },
            { title: '期限', dataIndex: 'deadline', width: 120 },
            { title: '状态', dataIndex: 'status', width: 100, render: (v: string) => ({ open: '未完成', reported: '已报告', returned: '已退回' })[v] ?? v },
          ]}
        />
      </Card>
    </Space>
  );
}
