import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, AutoComplete, Button, Card, DatePicker, Empty, Form, Input, InputNumber, Modal, Radio, Select, Skeleton, Space, Table, Tabs, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState, type HTMLAttributes } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import type { DueAssessments, DueVisits, OrganizationRef, PenaltyPeriodsWithConfigured, PreventionReminders } from '../../api/types';
import { useSession } from '../../auth/session';
import { applyApiError } from '../../components/form-errors';
import {
  ASSESSMENT_BASIS_LABELS,
  ASSESSMENT_CONCLUSION_LABELS,
  ASSESSMENT_FACTOR_LABELS,
  label,
  PENALTY_SYSTEM_LABELS,
  REMINDER_KIND_LABELS,
  REMINDER_RESOLVED_LABELS,
  VISIT_KIND_LABELS,
} from '../../labels';
import { applyFieldError } from './field-errors';
import { OfficialPicker, type OfficialOption } from './OfficialPicker';

const followupKeys = {
  visits: ['followup', 'visits'] as const,
  assessments: ['followup', 'assessments'] as const,
  periods: ['followup', 'periods'] as const,
  reminders: ['followup', 'reminders'] as const,
};

const toOptions = (table: Record<string, string>) => Object.entries(table).map(([value, text]) => ({ value, label: text }));

function useDueVisits() {
  return useQuery({ queryKey: followupKeys.visits, queryFn: () => api.get<{ data: DueVisits }>('/api/v1/followup/visits/due') });
}
function useDueAssessments() {
  return useQuery({ queryKey: followupKeys.assessments, queryFn: () => api.get<{ data: DueAssessments }>('/api/v1/followup/assessments/due') });
}
function useReminders() {
  return useQuery({ queryKey: followupKeys.reminders, queryFn: () => api.get<{ data: PreventionReminders }>('/api/v1/followup/reminders') });
}

/**
 * 回访与研判 (Art. 17, 19): the follow-up visits due this week, the comprehensive assessments due, early
 * reminders, and the penalty periods with their legal sources.
 */
export function FollowupPage() {
  const [params, setParams] = useSearchParams();
  const visits = useDueVisits();
  const assessments = useDueAssessments();
  const known = useMemo(() => {
    const map = new Map<string, OfficialOption>();
    for (const v of visits.data?.data.items ?? []) map.set(v.official.id, v.official);
    for (const a of assessments.data?.data.items ?? []) map.set(a.official.id, a.official);
    return [...map.values()];
  }, [visits.data, assessments.data]);
  const tabs = [
    { key: 'visits', label: `本周回访${visits.data ? `（${visits.data.data.items.length}）` : ''}`, children: <VisitsTab /> },
    { key: 'assessments', label: `综合研判${assessments.data ? `（${assessments.data.data.items.length}）` : ''}`, children: <AssessmentsTab /> },
    { key: 'reminders', label: '预防提醒', children: <ReminderTab known={known} /> },
    { key: 'periods', label: '处分期', children: <PeriodsTab /> },
  ];
  const requested = params.get('tab');
  const active = tabs.some((t) => t.key === requested) ? requested! : 'visits';
  return (
    <Card title="回访与研判" data-testid="followup-page">
      <Tabs
        activeKey={active}
        onChange={(key) => setParams({ tab: key }, { replace: true })}
        items={tabs}
        destroyOnHidden
      />
    </Card>
  );
}

function VisitsTab() {
  const visits = useDueVisits();
  const [recording, setRecording] = useState<DueVisits['items'][number]>();
  if (visits.isLoading) return <Skeleton active />;
  if (visits.isError || !visits.data) return <Alert type="error" showIcon title="无法加载本周回访" description={(visits.error as Error | null)?.message} />;
  const { week, items } = visits.data.data;
  return (
    <div data-testid="visits-tab">
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        本周（{week.start} 至 {week.end}）应回访的干部，含此前逾期未回访的。回访教育、谈心谈话情况记录后计入干部的跟踪记录（第十九条）。
      </Typography.Paragraph>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={items}
        locale={{ emptyText: '本周没有应回访的干部' }}
        onRow={() => ({ 'data-testid': 'due-visit' }) as HTMLAttributes<HTMLElement>}
        columns={[
          { key: 'official', title: '干部', render: (_, v) => <span>{v.official.name}<Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>{v.official.position}</Typography.Text></span> },
          { key: 'kind', title: '方式', width: 100, render: (_, v) => label(VISIT_KIND_LABELS, v.kind) },
          { key: 'dueOn', title: '应回访日期', width: 140, render: (_, v) => <Space size={4}>{v.dueOn}{v.overdue && <Tag color="red">逾期</Tag>}</Space> },
          { key: 'case', title: '案件', width: 100, render: (_, v) => (v.caseId ? <Link to={`/cases/${v.caseId}`}>查看</Link> : '—') },
          { key: 'actions', title: '操作', width: 100, render: (_, v) => <Button type="link" size="small" onClick={() => setRecording(v)} data-testid="record-visit">记录回访</Button> },
        ]}
      />
      <VisitModal visit={recording} onClose={() => setRecording(undefined)} />
    </div>
  );
}

function VisitModal({ visit, onClose }: { visit: DueVisits['items'][number] | undefined; onClose: () => void }) {
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<{ kind: string; record: string }>();
  const [saving, setSaving] = useState(false);
  const submit = async (values: { kind: string; record: string }) => {
    if (!visit) return;
    setSaving(true);
    try {
      await api.post(`/api/v1/followup/visits/${visit.id}/record`, values);
      message.success(`已记录对${visit.official.name}的${label(VISIT_KIND_LABELS, values.kind)}`);
      await client.invalidateQueries({ queryKey: followupKeys.visits });
      onClose();
    } catch (error) {
      applyApiError(form, error, message);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open={visit !== undefined} title={`记录回访：${visit?.official.name ?? ''}`} onCancel={onClose} onOk={() => form.submit()} okText="记录" confirmLoading={saving} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={submit} preserve={false} initialValues={{ kind: visit?.kind ?? 'visit' }}>
        <Form.Item name="kind" label="方式">
          <Select options={toOptions(VISIT_KIND_LABELS)} />
        </Form.Item>
        <Form.Item name="record" label="回访或谈话情况" rules={[{ required: true, message: '请填写回访情况' }]}>
          <Input.TextArea rows={4} maxLength={5000} data-testid="visit-record" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function AssessmentsTab() {
  const assessments = useDueAssessments();
  const [recording, setRecording] = useState<DueAssessments['items'][number]>();
  if (assessments.isLoading) return <Skeleton active />;
  if (assessments.isError || !assessments.data) return <Alert type="error" showIcon title="无法加载应综合研判的干部" description={(assessments.error as Error | null)?.message} />;
  const { asOf, items } = assessments.data.data;
  return (
    <div data-testid="assessments-tab">
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        截至 {asOf}，容错免责的干部和处分影响期满的干部应进行综合研判，研判结论报送组织部门（第十九条第（四）项）。
      </Typography.Paragraph>
      <Table
        size="small"
        rowKey={(a) => `${a.caseId}-${a.basis}-${a.penalty?.id ?? ''}`}
        pagination={false}
        dataSource={items}
        locale={{ emptyText: '暂无应综合研判的干部' }}
        onRow={() => ({ 'data-testid': 'due-assessment' }) as HTMLAttributes<HTMLElement>}
        columns={[
          { key: 'official', title: '干部', render: (_, a) => <span>{a.official.name}<Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>{a.official.position}</Typography.Text></span> },
          { key: 'basis', title: '依据', width: 110, render: (_, a) => <Tag color={a.basis === 'exemption' ? 'green' : 'blue'}>{label(ASSESSMENT_BASIS_LABELS, a.basis)}</Tag> },
          { key: 'penalty', title: '处分', render: (_, a) => (a.penalty ? `${a.penalty.label}（影响期至 ${a.penalty.until}）` : '—') },
          { key: 'dueOn', title: '应研判日期', width: 120, render: (_, a) => a.dueOn },
          { key: 'case', title: '案件', width: 80, render: (_, a) => <Link to={`/cases/${a.caseId}`}>查看</Link> },
          { key: 'actions', title: '操作', width: 100, render: (_, a) => <Button type="link" size="small" onClick={() => setRecording(a)} data-testid="record-assessment">记录研判</Button> },
        ]}
      />
      <AssessmentModal due={recording} onClose={() => setRecording(undefined)} />
    </div>
  );
}

interface AssessmentValues {
  factors: Record<string, string>;
  conclusion: string;
  note?: string;
}

const FACTOR_FIELDS = Object.keys(ASSESSMENT_FACTOR_LABELS);

function AssessmentModal({ due, onClose }: { due: DueAssessments['items'][number] | undefined; onClose: () => void }) {
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<AssessmentValues>();
  const [saving, setSaving] = useState(false);
  const submit = async (values: AssessmentValues) => {
    if (!due) return;
    setSaving(true);
    try {
      await api.post('/api/v1/followup/assessments', {
        officialId: due.official.id,
        basis: due.basis,
        caseIds: [due.caseId],
        ...(due.penalty ? { penaltyId: due.penalty.id } : {}),
        factors: values.factors,
        conclusion: values.conclusion,
        ...(values.note ? { note: values.note } : {}),
      });
      message.success(`已记录对${due.official.name}的综合研判，并报送组织部门`);
      await client.invalidateQueries({ queryKey: followupKeys.assessments });
      onClose();
    } catch (error) {
      applyFieldError(form, error, message, [...FACTOR_FIELDS, 'conclusion', 'note']);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open={due !== undefined} width={720} title={`综合研判：${due?.official.name ?? ''}（${label(ASSESSMENT_BASIS_LABELS, due?.basis)}）`} onCancel={onClose} onOk={() => form.submit()} okText="记录并报送" confirmLoading={saving} destroyOnHidden>
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>综合考虑问题性质、主观动机、轻重程度、容错情形、一贯表现和被处理后的工作状态，作出研判结论。</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
        {FACTOR_FIELDS.map((f) => (
          <Form.Item key={f} name={['factors', f]} label={ASSESSMENT_FACTOR_LABELS[f]} rules={[{ required: true, message: `请填写${ASSESSMENT_FACTOR_LABELS[f]}` }]} style={{ marginBottom: 12 }}>
            <Input.TextArea rows={2} maxLength={5000} data-testid={`factor-${f}`} />
          </Form.Item>
        ))}
        <Form.Item name="conclusion" label="研判结论" rules={[{ required: true, message: '请选择研判结论' }]}>
          <Select options={toOptions(ASSESSMENT_CONCLUSION_LABELS)} data-testid="assessment-conclusion" />
        </Form.Item>
        <Form.Item name="note" label="备注">
          <Input.TextArea rows={2} maxLength={5000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface ReminderValues {
  officialId: string;
  kind: string;
  problem: string;
  followUp?: string;
  followUpOn?: Dayjs;
  givenOn?: Dayjs;
}

function ReminderTab({ known }: { known: OfficialOption[] }) {
  const { message } = App.useApp();
  const client = useQueryClient();
  const reminders = useReminders();
  const officials = useMemo(() => {
    const map = new Map<string, OfficialOption>(known.map((o) => [o.id, o]));
    for (const r of reminders.data?.data.items ?? []) if (!map.has(r.official.id)) map.set(r.official.id, r.official);
    return [...map.values()];
  }, [known, reminders.data]);
  const [form] = Form.useForm<ReminderValues>();
  const [saving, setSaving] = useState(false);
  const [last, setLast] = useState<string>();
  const submit = async (values: ReminderValues) => {
    setSaving(true);
    setLast(undefined);
    try {
      const { data } = await api.post<{ data: { id: string; kind: string; givenOn: string; followUpOn: string | null } }>('/api/v1/followup/reminders', {
        officialId: values.officialId,
        kind: values.kind,
        problem: values.problem,
        ...(values.followUp ? { followUp: values.followUp } : {}),
        ...(values.followUpOn ? { followUpOn: values.followUpOn.format('YYYY-MM-DD') } : {}),
        ...(values.givenOn ? { givenOn: values.givenOn.format('YYYY-MM-DD') } : {}),
      });
      const text = `已记录${label(REMINDER_KIND_LABELS, data.kind)}（${data.givenOn}）${data.followUpOn ? `，${data.followUpOn} 跟进` : ''}`;
      message.success(text);
      setLast(text);
      form.resetFields(['problem', 'followUp', 'followUpOn']);
      await client.invalidateQueries({ queryKey: followupKeys.reminders });
    } catch (error) {
      applyFieldError(form, error, message, ['officialId', 'kind', 'problem', 'followUp', 'followUpOn', 'givenOn']);
    } finally {
      setSaving(false);
    }
  };
  return (
    <div data-testid="reminder-tab">
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        对管辖范围内干部苗头性、倾向性问题早提醒、早纠正，并跟踪了解整改情况（第十九条第（一）项）。预防提醒和提醒谈话不属于问责追责，不影响干部使用。
      </Typography.Paragraph>
      <RemindersTable query={reminders} />
      <Typography.Title level={5} style={{ marginTop: 16 }}>记录预防提醒</Typography.Title>
      {last && <Alert type="success" showIcon title={last} style={{ marginBottom: 12, maxWidth: 720 }} data-testid="reminder-recorded" />}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ kind: 'reminder' }} style={{ maxWidth: 720 }}>
        <Form.Item name="officialId" label="干部" rules={[{ required: true, message: '请选择干部' }]}>
          <OfficialPicker known={officials} data-testid="reminder-official" />
        </Form.Item>
        <Form.Item name="kind" label="方式">
          <Select options={toOptions(REMINDER_KIND_LABELS)} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="problem" label="苗头性、倾向性问题" rules={[{ required: true, message: '请写明苗头性、倾向性问题' }]}>
          <Input.TextArea rows={3} maxLength={5000} data-testid="reminder-problem" />
        </Form.Item>
        <Form.Item name="followUp" label="跟进安排">
          <Input.TextArea rows={2} maxLength={5000} />
        </Form.Item>
        <Space size={16}>
          <Form.Item name="givenOn" label="提醒日期（默认今天）">
            <DatePicker data-testid="reminder-given-on" />
          </Form.Item>
          <Form.Item name="followUpOn" label="跟进日期">
            <DatePicker data-testid="reminder-follow-up-on" />
          </Form.Item>
        </Space>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="reminder-submit">
            记录预防提醒
          </Button>
        </Form.Item>
      </Form>
    </div>
  );
}

type Reminder = PreventionReminders['items'][number];

/** The reminders with their follow-ups; those with a follow-up due come first (as the API orders them). */
function RemindersTable({ query }: { query: ReturnType<typeof useReminders> }) {
  const [following, setFollowing] = useState<Reminder>();
  if (query.isLoading) return <Skeleton active />;
  if (query.isError || !query.data) return <Alert type="error" showIcon title="无法加载预防提醒" description={(query.error as Error | null)?.message} />;
  return (
    <>
      <Table
        size="small"
        rowKey="id"
        data-testid="reminders"
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        dataSource={query.data.data.items}
        locale={{ emptyText: '暂无预防提醒' }}
        onRow={() => ({ 'data-testid': 'reminder-row' }) as HTMLAttributes<HTMLElement>}
        columns={[
          { key: 'official', title: '干部', width: 150, render: (_, r) => <span>{r.official.name}<Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>{r.official.position}</Typography.Text></span> },
          { key: 'given', title: '提醒', width: 110, render: (_, r) => <span>{label(REMINDER_KIND_LABELS, r.kind)}<Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>{r.givenOn}</Typography.Text></span> },
          {
            key: 'problem',
            title: '苗头性、倾向性问题',
            render: (_, r) => (
              <span>
                {r.problem}
                {r.followUp && <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>跟进安排：{r.followUp}</Typography.Text>}
              </span>
            ),
          },
          {
            key: 'followUps',
            title: '跟踪情况',
            render: (_, r) =>
              r.followUps.length === 0 ? (
                <Typography.Text type="secondary">尚未跟踪</Typography.Text>
              ) : (
                <Space orientation="vertical" size={4}>
                  {r.followUps.map((f) => (
                    <div key={f.id} data-testid="reminder-follow-up" style={{ fontSize: 13 }}>
                      <Typography.Text strong>{f.followedUpOn}</Typography.Text>
                      <Tag color={f.resolved ? 'green' : 'default'} style={{ marginInlineStart: 6 }}>{f.resolved ? '问题已解决' : '尚未解决'}</Tag>
                      {f.record}
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        （{f.recordedBy}{f.nextFollowUpOn ? `；下次跟踪 ${f.nextFollowUpOn}` : ''}）
                      </Typography.Text>
                    </div>
                  ))}
                </Space>
              ),
          },
          { key: 'due', title: '应跟踪日期', width: 130, render: (_, r) => (r.followUpOn ? <Space size={4}>{r.followUpOn}{r.overdue && <Tag color="red">逾期</Tag>}</Space> : '—') },
          { key: 'status', title: '状态', width: 80, render: (_, r) => <Tag color={r.resolved ? 'green' : 'blue'} data-testid="reminder-status">{label(REMINDER_RESOLVED_LABELS, String(r.resolved))}</Tag> },
          { key: 'actions', title: '操作', width: 100, render: (_, r) => <Button type="link" size="small" onClick={() => setFollowing(r)} data-testid="record-reminder-follow-up">记录跟踪</Button> },
        ]}
      />
      <ReminderFollowUpModal reminder={following} onClose={() => setFollowing(undefined)} />
    </>
  );
}

interface FollowUpValues {
  followedUpOn?: Dayjs;
  record: string;
  resolved: boolean;
  nextFollowUpOn?: Dayjs;
}

const FOLLOW_UP_FIELDS = ['followedUpOn', 'record', 'resolved', 'nextFollowUpOn'];

function ReminderFollowUpModal({ reminder, onClose }: { reminder: Reminder | undefined; onClose: () => void }) {
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<FollowUpValues>();
  const [saving, setSaving] = useState(false);
  const submit = async (values: FollowUpValues) => {
    if (!reminder) return;
    setSaving(true);
    try {
      const next = values.nextFollowUpOn?.format('YYYY-MM-DD');
      await api.post(`/api/v1/followup/reminders/${reminder.id}/follow-ups`, {
        followedUpOn: values.followedUpOn?.format('YYYY-MM-DD'),
        record: values.record,
        resolved: values.resolved,
        ...(next ? { nextFollowUpOn: next } : {}),
      });
      message.success(`已记录对${reminder.official.name}的跟踪情况${next ? `，下次跟踪 ${next}` : ''}`);
      await client.invalidateQueries({ queryKey: followupKeys.reminders });
      onClose();
    } catch (error) {
      applyFieldError(form, error, message, FOLLOW_UP_FIELDS);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={reminder !== undefined}
      title={`记录跟踪：${reminder?.official.name ?? ''}（${label(REMINDER_KIND_LABELS, reminder?.kind)} ${reminder?.givenOn ?? ''}）`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="记录"
      okButtonProps={{ 'data-testid': 'follow-up-submit' } as Record<string, string>}
      confirmLoading={saving}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>{reminder?.problem}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} preserve={false} initialValues={{ followedUpOn: dayjs(), resolved: false }} data-testid="follow-up-form">
        <Form.Item name="followedUpOn" label="跟踪日期" rules={[{ required: true, message: '请选择跟踪日期' }]}>
          <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} data-testid="follow-up-date" />
        </Form.Item>
        <Form.Item name="record" label="跟踪了解的情况和采取的措施" rules={[{ required: true, whitespace: true, message: '请填写跟踪了解的情况和采取的措施' }]}>
          <Input.TextArea rows={4} maxLength={5000} data-testid="follow-up-record" />
        </Form.Item>
        <Form.Item name="resolved" label="问题是否已经解决" rules={[{ required: true, message: '请说明问题是否已经解决' }]}>
          <Radio.Group
            optionType="button"
            options={[
              { value: false, label: '尚未解决' },
              { value: true, label: '问题已解决' },
            ]}
            data-testid="follow-up-resolved"
          />
        </Form.Item>
        <Form.Item name="nextFollowUpOn" label="下次跟踪日期" extra="不填则不再安排跟踪；填写后列入工作台待办。">
          <DatePicker disabledDate={(d) => !d.isAfter(dayjs(), 'day')} data-testid="follow-up-next" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function PeriodsTab() {
  const periods = useQuery({ queryKey: followupKeys.periods, queryFn: () => api.get<{ data: PenaltyPeriodsWithConfigured }>('/api/v1/followup/periods'), staleTime: Infinity });
  if (periods.isLoading) return <Skeleton active />;
  if (periods.isError || !periods.data) return <Alert type="error" showIcon title="无法加载处分影响期" description={(periods.error as Error | null)?.message} />;
  const { statutory, organDefaults, configured = [] } = periods.data.data;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="periods-tab">
      <Table
        size="small"
        rowKey={(p) => `${p.system}-${p.kind}`}
        pagination={false}
        title={() => <Typography.Text strong>法定影响期</Typography.Text>}
        dataSource={statutory}
        columns={[
          { key: 'system', title: '类别', width: 110, render: (_, p) => label(PENALTY_SYSTEM_LABELS, p.system) },
          { key: 'label', title: '处分', width: 160, render: (_, p) => p.label },
          { key: 'months', title: '影响期', width: 160, render: (_, p) => (p.addsTerm ? `察看期 + ${p.months} 个月` : `${p.months} 个月`) },
          { key: 'source', title: '依据', render: (_, p) => <Typography.Text type="secondary">{p.source}</Typography.Text> },
        ]}
      />
      <Table
        size="small"
        rowKey="kind"
        pagination={false}
        title={() => <Typography.Text strong>其他处理的默认影响期（本机关可调整）</Typography.Text>}
        dataSource={organDefaults}
        columns={[
          { key: 'label', title: '处理', width: 270, render: (_, p) => p.label },
          { key: 'months', title: '影响期', width: 160, render: (_, p) => `${p.months} 个月` },
          { key: 'source', title: '依据', render: (_, p) => <Typography.Text type="secondary">{p.source}</Typography.Text> },
        ]}
      />
      <Table
        size="small"
        rowKey={(p) => `${p.organId}-${p.kind}`}
        pagination={false}
        data-testid="periods-configured"
        title={() => <Typography.Text strong>本机关配置的其他处理期限</Typography.Text>}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="本机关尚未配置其他处理期限，适用上表默认影响期" /> }}
        dataSource={configured}
        columns={[
          { key: 'organ', title: '机关', width: 200, render: (_, p) => p.organName },
          { key: 'label', title: '处理', width: 270, render: (_, p) => p.label },
          { key: 'months', title: '期限', width: 160, render: (_, p) => `${p.months} 个月` },
          { key: 'source', title: '依据', render: (_, p) => <Typography.Text type="secondary">{p.source}</Typography.Text> },
        ]}
      />
      <PenaltyPeriodForm organDefaults={organDefaults} configured={configured} />
    </Space>
  );
}

interface PeriodValues {
  organId: string;
  kind: string;
  label: string;
  months: number | null;
  source: string;
}

const PERIOD_FIELDS = ['organId', 'kind', 'label', 'months', 'source'];
/** Who may set an organ's periods (configure-penalty-period.ts): its handlers and administrators. */
const PERIOD_ROLES = ['handler', 'system-administrator'];

/** Sets the effect period of one of the organ's other measures, with its source (POST /api/v1/followup/penalty-periods). */
function PenaltyPeriodForm({ organDefaults, configured }: { organDefaults: PenaltyPeriodsWithConfigured['organDefaults']; configured: PenaltyPeriodsWithConfigured['configured'] }) {
  const { message } = App.useApp();
  const client = useQueryClient();
  const session = useSession();
  const [form] = Form.useForm<PeriodValues>();
  const [saving, setSaving] = useState(false);
  const organIds = useMemo(() => [...new Set((session.data?.roles ?? []).filter((g) => PERIOD_ROLES.includes(g.role)).map((g) => g.organizationId))], [session.data]);
  const organizations = useQuery({
    queryKey: ['organizations'],
    queryFn: () => api.get<{ data: OrganizationRef[] }>('/api/v1/organizations'),
    staleTime: 60_000,
    enabled: organIds.length > 0,
  });
  const organId = Form.useWatch('organId', form) ?? organIds[0];
  const organName = (id: string) => organizations.data?.data.find((o) => o.id === id)?.name ?? configured.find((c) => c.organId === id)?.organName ?? id;
  const known = useMemo(() => {
    const map = new Map<string, { kind: string; label: string; months: number; source: string }>();
    for (const d of organDefaults) map.set(d.kind, d);
    for (const c of configured) if (c.organId === organId) map.set(c.kind, c);
    return map;
  }, [organDefaults, configured, organId]);
  if (organIds.length === 0) return null;

  const submit = async (values: PeriodValues) => {
    setSaving(true);
    try {
      const { data } = await api.post<{ data: { organId: string; kind: string; label: string; months: number } }>('/api/v1/followup/penalty-periods', {
        organId: values.organId,
        kind: values.kind?.trim(),
        label: values.label,
        months: values.months,
        source: values.source,
      });
      message.success(`已设置${organName(data.organId)}「${data.label}」的影响期：${data.months} 个月`);
      form.resetFields(['kind', 'label', 'months', 'source']);
      await client.invalidateQueries({ queryKey: followupKeys.periods });
    } catch (error) {
      applyFieldError(form, error, message, PERIOD_FIELDS);
    } finally {
      setSaving(false);
    }
  };
  // Picking a known measure fills in what is in force for it now, to be adjusted.
  const pick = (kind: string) => {
    const current = known.get(kind);
    if (current) form.setFieldsValue({ label: current.label, months: current.months, source: current.source });
  };
  return (
    <Card size="small" title="设置本机关其他处理的影响期" data-testid="period-form" style={{ maxWidth: 720 }}>
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        诫勉、组织处理等党纪政务处分以外的处理，其影响期由本机关设置并写明依据；此后记录的处分适用新设置，已记录的处分保留记录时的期限。
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ organId: organIds[0] }}>
        <Form.Item name="organId" label="机关" rules={[{ required: true, message: '请选择机关' }]}>
          <Select options={organIds.map((id) => ({ value: id, label: organName(id) }))} data-testid="period-organ" />
        </Form.Item>
        <Form.Item name="kind" label="处理种类编码" extra="小写字母、数字和连字符，如 admonishment（诫勉）；选择已有种类可修改其影响期" rules={[{ required: true, whitespace: true, message: '请填写处理种类编码' }]}>
          <AutoComplete
            options={[...known.values()].map((k) => ({ value: k.kind, label: `${k.label}（${k.kind}）` }))}
            onSelect={(kind: string) => pick(kind)}
            filterOption={(input, option) => String(option?.value ?? '').includes(input) || String(option?.label ?? '').includes(input)}
            data-testid="period-kind"
          />
        </Form.Item>
        <Form.Item name="label" label="名称" rules={[{ required: true, whitespace: true, message: '请填写名称' }]}>
          <Input maxLength={60} data-testid="period-label" />
        </Form.Item>
        <Form.Item name="months" label="影响期（月）" rules={[{ required: true, message: '请填写影响期' }]}>
          <InputNumber precision={0} suffix="个月" style={{ width: 160 }} data-testid="period-months" />
        </Form.Item>
        <Form.Item name="source" label="依据" rules={[{ required: true, whitespace: true, message: '请写明影响期的依据' }]}>
          <Input.TextArea rows={2} maxLength={5000} placeholder="如：本机关《关于诫勉影响期的规定》第三条" data-testid="period-source" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="period-submit">
          保存影响期
        </Button>
      </Form>
    </Card>
  );
}
