import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, DatePicker, Row, Space, Statistic, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { EChartsOption } from 'echarts';
import { useMemo } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { Chart } from './Chart';

interface Count {
  key: string;
  label: string;
  count: number;
  link: string | null;
}

export interface Statistics {
  range: { from: string | null; to: string | null };
  total: number;
  byState: Count[];
  byOutcome: Count[];
  bySituation: Count[];
  byOrgan: Count[];
  byMonth: Count[];
  decisionDays: { decided: number; medianDays: number | null; meanDays: number | null };
  rectification: { total: number; done: number; rate: number | null };
}

const bar = (rows: Count[], horizontal = false): EChartsOption => ({
  tooltip: { trigger: 'axis' },
  grid: { left: horizontal ? 160 : 40, right: 20, top: 20, bottom: horizontal ? 20 : 60 },
  [horizontal ? 'yAxis' : 'xAxis']: { type: 'category', data: rows.map((r) => r.label), axisLabel: { interval: 0, rotate: horizontal ? 0 : 30, width: 150, overflow: 'truncate' } },
  [horizontal ? 'xAxis' : 'yAxis']: { type: 'value', minInterval: 1 },
  series: [{ type: 'bar', data: rows.map((r) => r.count), itemStyle: { color: '#1677ff' }, label: { show: true, position: horizontal ? 'right' : 'top' } }],
});

const pie = (rows: Count[]): EChartsOption => ({
  tooltip: { trigger: 'item', formatter: '{b}：{c}（{d}%）' },
  legend: { bottom: 0 },
  series: [{ type: 'pie', radius: ['35%', '65%'], data: rows.map((r) => ({ name: r.label, value: r.count })), label: { formatter: '{b}\n{c}' } }],
});

const line = (rows: Count[]): EChartsOption => ({
  tooltip: { trigger: 'axis' },
  grid: { left: 40, right: 20, top: 20, bottom: 30 },
  xAxis: { type: 'category', data: rows.map((r) => r.label) },
  yAxis: { type: 'value', minInterval: 1 },
  series: [{ type: 'line', data: rows.map((r) => r.count), smooth: true, areaStyle: {}, label: { show: true } }],
});

/** Statistics for leaders: cases by state, outcome, situation, organ and month, time to decision, rectification; exportable. */
export function StatisticsPage() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const range = new URLSearchParams();
  for (const key of ['from', 'to']) {
    const value = params.get(key);
    if (value) range.set(key, value);
  }
  const qs = range.toString();
  const query = useQuery({ queryKey: ['statistics', qs], queryFn: () => api.get<{ data: Statistics }>(`/api/v1/statistics${qs ? `?${qs}` : ''}`) });
  const data = query.data?.data;
  const options = useMemo(
    () =>
      data && {
        state: bar(data.byState),
        outcome: pie(data.byOutcome),
        situation: bar(data.bySituation, true),
        organ: bar(data.byOrgan, true),
        month: line(data.byMonth),
      },
    [data],
  );
  const follow = (rows: Count[]) => (index: number) => {
    const target = rows[index]?.link;
    if (target) navigate(target);
  };
  const setRange = (dates: [Dayjs | null, Dayjs | null] | null) => {
    const next = new URLSearchParams();
    if (dates?.[0]) next.set('from', dates[0].format('YYYY-MM-DD'));
    if (dates?.[1]) next.set('to', dates[1].format('YYYY-MM-DD'));
    setParams(next);
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle" data-testid="statistics-page">
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          统计分析
        </Typography.Title>
        <Space>
          <DatePicker.RangePicker
            placeholder={['启动日期起', '启动日期止']}
            value={[params.get('from') ? dayjs(params.get('from')) : null, params.get('to') ? dayjs(params.get('to')) : null]}
            onChange={(dates) => setRange(dates as [Dayjs | null, Dayjs | null] | null)}
            allowEmpty={[true, true]}
          />
          <Button icon={<DownloadOutlined />} href={`/api/v1/statistics.xlsx${qs ? `?${qs}` : ''}`} download>
            导出 Excel
          </Button>
        </Space>
      </Space>
      {query.isError && <Alert type="error" title={(query.error as Error).message} />}
      <Row gutter={16}>
        <Col flex="1">
          <Card size="small" loading={query.isLoading}>
            <Statistic title="案件总数" value={data?.total ?? 0} data-testid="statistics-total" />
          </Card>
        </Col>
        <Col flex="1">
          <Card size="small" loading={query.isLoading}>
            <Statistic title="启动至决定（中位数，天）" value={data?.decisionDays.medianDays ?? '—'} />
          </Card>
        </Col>
        <Col flex="1">
          <Card size="small" loading={query.isLoading}>
            <Statistic title="启动至决定（平均，天）" value={data?.decisionDays.meanDays ?? '—'} />
          </Card>
        </Col>
        <Col flex="1">
          <Card size="small" loading={query.isLoading}>
            <Statistic
              title="整改完成"
              value={data ? `${data.rectification.done} / ${data.rectification.total}` : '—'}
              suffix={data?.rectification.rate != null ? `（${(data.rectification.rate * 100).toFixed(0)}%）` : undefined}
            />
          </Card>
        </Col>
      </Row>
      {data && options && (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={12}>
            <Card size="small" title="按办理阶段">
              <Chart option={options.state} onClick={follow(data.byState)} testId="chart-state" />
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card size="small" title="按处理结果">
              <Chart option={options.outcome} onClick={follow(data.byOutcome)} testId="chart-outcome" />
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card size="small" title="按第八条情形">
              <Chart option={options.situation} onClick={follow(data.bySituation)} testId="chart-situation" />
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card size="small" title="按责任追究机关">
              <Chart option={options.organ} testId="chart-organ" />
            </Card>
          </Col>
          <Col span={24}>
            <Card size="small" title="按启动月份">
              <Chart option={options.month} testId="chart-month" />
            </Card>
          </Col>
        </Row>
      )}
    </Space>
  );
}
