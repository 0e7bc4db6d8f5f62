import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Descriptions, Empty, Form, Input, Modal, Radio, Select, Skeleton, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState, type HTMLAttributes } from 'react';
import { Link } from 'react-router';
import { api, ApiError } from '../../../api/client';
import type { CaseRectification, CaseView, OrganizationRef, PlanCommandResult, RectificationItem, RectificationPlan, RectificationReminder } from '../../../api/types';
import { useSession } from '../../../auth/session';
import { applyApiError } from '../../../components/form-errors';
import { formatTime, label, RECTIFICATION_STATUS_COLORS, RECTIFICATION_STATUS_LABELS } from '../../../labels';
import { applyFieldError } from '../../followup/field-errors';
import { OfficialPicker } from '../../followup/OfficialPicker';
import { caseKeys } from '../queries';

export const rectificationKeys = { ofCase: (caseId: string) => ['rectification', caseId] as const, reminders: ['rectification-reminders'] as const };

/** States in which the case has a decision (Art. 18: rectification follows the decision). */
const DECIDED_STATES = ['decided', 'served', 'under-appeal', 'appeal-decided', 'closed'];

/** Whether the case page shows the 整改 tab: once the case is decided. */
export function rectificationTabShown(view: CaseView): boolean {
  return DECIDED_STATES.includes(view.state);
}

type Message = { error: (text: string) => unknown; success: (text: string) => unknown; warning: (text: string) => unknown };

/**
 * Rectification of a decided case (整改, Art. 18): the deciding organ's handler makes the plan and its items
 * (owner, deadline, long-term mechanism); the owner or the handler reports progress; the supervisor or the
 * organization department checks each item off or sends it back; poor rectification opens a linked case.
 */
export function RectificationTab({ view }: { view: CaseView }) {
  const query = useQuery({ queryKey: rectificationKeys.ofCase(view.id), queryFn: () => api.get<{ data: CaseRectification }>(`/api/v1/cases/${view.id}/rectification`) });
  if (query.isLoading) return <Skeleton active paragraph={{ rows: 5 }} />;
  if (query.isError || !query.data) return <Alert type="error" showIcon title="无法加载整改方案" description={(query.error as Error | null)?.message} />;
  const { plan, linkedCases, mayCreatePlan } = query.data.data;
  return (
    <div data-testid="rectification-tab">
      {linkedCases.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title="因整改不力启动的问责追责案件"
          data-testid="linked-cases"
          description={
            <Space orientation="vertical" size={2}>
              {linkedCases.map((c) => (
                <Link key={c.id} to={`/cases/${c.id}`}>
                  {c.title}
                </Link>
              ))}
            </Space>
          }
        />
      )}
      {plan ? <PlanView view={view} plan={plan} /> : mayCreatePlan ? <CreatePlan view={view} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚未制定整改方案" />}
    </div>
  );
}

function useSetPlan(caseId: string) {
  const client = useQueryClient();
  return (plan: RectificationPlan) => {
    client.setQueryData<{ data: CaseRectification }>(rectificationKeys.ofCase(caseId), (old) => (old ? { data: { ...old.data, plan, mayCreatePlan: false } } : old));
    void client.invalidateQueries({ queryKey: rectificationKeys.ofCase(caseId) });
    void client.invalidateQueries({ queryKey: caseKeys.events(caseId) });
  };
}

/** A refusal for a stale version reloads the plan so the user sees what changed. */
function useOnConflict(caseId: string, message: Message) {
  const client = useQueryClient();
  return (error: unknown) => {
    if (error instanceof ApiError && error.status === 409) {
      message.warning(`${error.message}；已重新加载整改方案，请核对后重试`);
      void client.invalidateQueries({ queryKey: rectificationKeys.ofCase(caseId) });
      return true;
    }
    return false;
  };
}

function CreatePlan({ view }: { view: CaseView }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ title: string; description?: string }>();
  const [saving, setSaving] = useState(false);
  const setPlan = useSetPlan(view.id);
  const submit = async (values: { title: string; description?: string }) => {
    setSaving(true);
    try {
      const result = await api.post<PlanCommandResult>(`/api/v1/cases/${view.id}/rectification`, { title: values.title, description: values.description ?? '' });
      message.success('已制定整改方案');
      setPlan(result.plan);
    } catch (error) {
      applyApiError(form, error, message);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Card size="small" title="制定整改方案" data-testid="create-plan">
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        处理决定作出后，针对案件暴露的问题制定整改方案，逐项明确责任人、整改期限和长效机制（第十八条）。
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ title: `关于“${view.title}”的整改方案` }}>
        <Form.Item name="title" label="方案名称" rules={[{ required: true, message: '请填写整改方案名称' }]}>
          <Input maxLength={200} data-testid="plan-title" />
        </Form.Item>
        <Form.Item name="description" label="整改要求">
          <Input.TextArea rows={3} maxLength={20000} data-testid="plan-description" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="create-plan-submit">
          制定整改方案
        </Button>
      </Form>
    </Card>
  );
}

function PlanView({ view, plan }: { view: CaseView; plan: RectificationPlan }) {
  const session = useSession();
  const officialId = session.data?.officialId ?? null;
  const [reporting, setReporting] = useState<RectificationItem>();
  const [checking, setChecking] = useState<RectificationItem>();
  const [poor, setPoor] = useState(false);
  const reminders = useQuery({
    queryKey: rectificationKeys.reminders,
    queryFn: () => api.get<{ data: RectificationReminder[] }>('/api/v1/rectification/reminders'),
    retry: false,
  });
  const planReminders = (reminders.data?.data ?? []).filter((r) => r.planId === plan.id);
  const overdueItems = plan.items.filter((i) => i.overdue);
  const mayReport = (item: RectificationItem) => item.status !== 'done' && (plan.abilities.addItems || (item.owner.kind === 'official' && item.owner.id === officialId));

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      {(overdueItems.length > 0 || planReminders.length > 0) && (
        <Alert
          type="error"
          showIcon
          data-testid="overdue-reminders"
          title={`逾期未完成的整改事项 ${overdueItems.length} 项`}
          description={
            <Space orientation="vertical" size={2}>
              {overdueItems.map((i) => (
                <span key={i.id}>
                  {i.position}. {i.title}（期限 {i.deadline}，{i.owner.name}）
                </span>
              ))}
              {planReminders.map((r) => (
                <Typography.Text key={r.id} type="secondary" style={{ fontSize: 12 }}>
                  {formatTime(r.raisedAt)} 已提醒：{r.itemTitle}（期限 {r.deadline}）{r.toMe ? '——提醒您' : ''}
                </Typography.Text>
              ))}
            </Space>
          }
        />
      )}
      <Card
        size="small"
        data-testid="rectification-plan"
        title={plan.title}
        extra={
          plan.abilities.recordPoorRectification && (
            <Button danger size="small" onClick={() => setPoor(true)} data-testid="poor-rectification">
              认定整改不力
            </Button>
          )
        }
      >
        {plan.description && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{plan.description}</Typography.Paragraph>}
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          制定于 {formatTime(plan.createdAt)}，共 {plan.items.length} 项，已完成 {plan.items.filter((i) => i.status === 'done').length} 项
        </Typography.Paragraph>
        <Table<RectificationItem>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={plan.items}
          locale={{ emptyText: '尚无整改事项' }}
          onRow={() => ({ 'data-testid': 'rectification-item' }) as HTMLAttributes<HTMLElement>}
          expandable={{
            rowExpandable: (i) => i.reports.length > 0 || i.checks.length > 0,
            expandedRowRender: (i) => <ItemHistory item={i} />,
          }}
          columns={[
            { key: 'position', title: '序号', width: 56, render: (_, i) => i.position },
            { key: 'title', title: '整改事项', render: (_, i) => i.title },
            { key: 'owner', title: '责任人', width: 150, render: (_, i) => <span>{i.owner.kind === 'unit' ? <Tag>单位</Tag> : null}{i.owner.name}</span> },
            {
              key: 'deadline',
              title: '整改期限',
              width: 130,
              render: (_, i) => (
                <Space size={4}>
                  <span>{i.deadline}</span>
                  {i.overdue && <Tag color="red">逾期</Tag>}
                </Space>
              ),
            },
            { key: 'mechanism', title: '长效机制', render: (_, i) => <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{i.mechanism}</Typography.Text> },
            { key: 'status', title: '状态', width: 110, render: (_, i) => <Tag color={RECTIFICATION_STATUS_COLORS[i.status]}>{label(RECTIFICATION_STATUS_LABELS, i.status)}</Tag> },
            {
              key: 'actions',
              title: '操作',
              width: 170,
              render: (_, i) => (
                <Space size={0} wrap>
                  {mayReport(i) && (
                    <Button type="link" size="small" onClick={() => setReporting(i)} data-testid="report-progress">
                      报告进展
                    </Button>
                  )}
                  {plan.abilities.check && i.status === 'reported' && (
                    <Button type="link" size="small" onClick={() => setChecking(i)} data-testid="check-item">
                      核查
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {plan.abilities.addItems && <AddItemForm view={view} plan={plan} />}
      {plan.poorRecords.length > 0 && (
        <Card size="small" title="整改不力认定" data-testid="poor-records">
          {plan.poorRecords.map((r) => (
            <Descriptions key={r.id} size="small" column={1} items={[
              { key: 'finding', label: '整改不力情况', children: r.finding },
              { key: 'at', label: '认定时间', children: formatTime(r.recordedAt) },
              { key: 'case', label: '启动的案件', children: <Link to={`/cases/${r.newCaseId}`} data-testid="poor-new-case">查看新案件</Link> },
            ]} />
          ))}
        </Card>
      )}
      <ReportModal caseId={view.id} plan={plan} item={reporting} onClose={() => setReporting(undefined)} />
      <CheckModal caseId={view.id} plan={plan} item={checking} onClose={() => setChecking(undefined)} />
      <PoorModal caseId={view.id} plan={plan} open={poor} onClose={() => setPoor(false)} />
    </Space>
  );
}

function ItemHistory({ item }: { item: RectificationItem }) {
  return (
    <Space orientation="vertical" size={4} style={{ width: '100%' }}>
      {item.reports.map((r) => {
        const checks = item.checks.filter((c) => c.reportId === r.id);
        return (
          <div key={r.id}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatTime(r.reportedAt)} 报告进展：</Typography.Text>
            <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{r.content}</Typography.Text>
            {checks.map((c) => (
              <div key={c.id} style={{ marginInlineStart: 16 }}>
                <Tag color={c.accepted ? 'green' : 'red'}>{c.accepted ? '核查通过' : '退回整改'}</Tag>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatTime(c.checkedAt)}</Typography.Text> {c.note}
              </div>
            ))}
          </div>
        );
      })}
      {item.reminders.map((r) => (
        <Typography.Text key={r.id} type="danger" style={{ fontSize: 12 }}>
          {formatTime(r.raisedAt)} 逾期提醒（期限 {r.deadline}）
        </Typography.Text>
      ))}
    </Space>
  );
}

interface ItemValues {
  title: string;
  ownerKind: 'official' | 'unit';
  ownerOfficialId?: string;
  ownerUnitId?: string;
  deadline: Dayjs;
  mechanism: string;
}

const ITEM_FIELDS = ['title', 'ownerOfficialId', 'ownerUnitId', 'deadline', 'mechanism'];

function AddItemForm({ view, plan }: { view: CaseView; plan: RectificationPlan }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<ItemValues>();
  const [saving, setSaving] = useState(false);
  const setPlan = useSetPlan(view.id);
  const onConflict = useOnConflict(view.id, message);
  const ownerKind = Form.useWatch('ownerKind', form);
  const organizations = useQuery({ queryKey: ['organizations'], queryFn: () => api.get<{ data: OrganizationRef[] }>('/api/v1/organizations'), staleTime: 300_000 });
  const unitOptions = [
    ...(organizations.data?.data ?? []).map((o) => ({ value: o.id, label: o.name })),
    ...((organizations.data?.data ?? []).some((o) => o.id === view.official.organization.id) ? [] : [{ value: view.official.organization.id, label: view.official.organization.name }]),
  ];

  const submit = async (values: ItemValues) => {
    setSaving(true);
    try {
      const item = {
        title: values.title,
        ...(values.ownerKind === 'official' ? { ownerOfficialId: values.ownerOfficialId } : { ownerUnitId: values.ownerUnitId }),
        deadline: values.deadline.format('YYYY-MM-DD'),
        mechanism: values.mechanism,
      };
      const result = await api.post<PlanCommandResult>(`/api/v1/rectification/plans/${plan.id}/items`, { version: plan.version, items: [item] });
      message.success('已增加整改事项');
      form.resetFields(['title', 'mechanism', 'deadline']);
      setPlan(result.plan);
    } catch (error) {
      if (!onConflict(error)) applyFieldError(form, error, message, ITEM_FIELDS);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card size="small" title="增加整改事项" data-testid="add-item">
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ ownerKind: 'official', ownerOfficialId: view.official.id }}>
        <Form.Item name="title" label="整改事项" rules={[{ required: true, message: '请填写整改事项' }]}>
          <Input maxLength={200} data-testid="item-title" />
        </Form.Item>
        <Space align="start" wrap size={16}>
          <Form.Item name="ownerKind" label="责任人">
            <Radio.Group
              optionType="button"
              options={[
                { value: 'official', label: '责任干部' },
                { value: 'unit', label: '责任单位' },
              ]}
            />
          </Form.Item>
          {ownerKind === 'unit' ? (
            <Form.Item name="ownerUnitId" label="责任单位" rules={[{ required: true, message: '请选择责任单位' }]} style={{ minWidth: 280 }}>
              <Select showSearch={{ optionFilterProp: 'label' }} options={unitOptions} loading={organizations.isLoading} placeholder="选择单位" data-testid="item-unit" />
            </Form.Item>
          ) : (
            <Form.Item name="ownerOfficialId" label="责任干部" rules={[{ required: true, message: '请选择责任干部' }]} style={{ minWidth: 280 }}>
              <OfficialPicker known={[{ id: view.official.id, name: view.official.name, position: view.official.position }]} data-testid="item-official" />
            </Form.Item>
          )}
          <Form.Item name="deadline" label="整改期限" rules={[{ required: true, message: '请选择整改期限' }]}>
            <DatePicker disabledDate={(d) => d.isBefore(dayjs(), 'day')} data-testid="item-deadline" />
          </Form.Item>
        </Space>
        <Form.Item name="mechanism" label="长效机制" rules={[{ required: true, message: '请填写长效机制' }]} extra="建立健全的制度、流程等，防止同类问题再次发生">
          <Input.TextArea rows={2} maxLength={5000} data-testid="item-mechanism" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="add-item-submit">
          增加整改事项
        </Button>
      </Form>
    </Card>
  );
}

function ReportModal({ caseId, plan, item, onClose }: { caseId: string; plan: RectificationPlan; item: RectificationItem | undefined; onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ content: string }>();
  const [saving, setSaving] = useState(false);
  const setPlan = useSetPlan(caseId);
  const onConflict = useOnConflict(caseId, message);
  const submit = async ({ content }: { content: string }) => {
    if (!item) return;
    setSaving(true);
    try {
      const result = await api.post<PlanCommandResult>(`/api/v1/rectification/items/${item.id}/progress`, { version: plan.version, content });
      message.success('已报告整改进展');
      setPlan(result.plan);
      onClose();
    } catch (error) {
      if (onConflict(error)) onClose();
      else applyApiError(form, error, message);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open={item !== undefined} title={`报告整改进展：${item?.title ?? ''}`} onCancel={onClose} onOk={() => form.submit()} okText="报告" confirmLoading={saving} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
        <Form.Item name="content" label="整改进展" rules={[{ required: true, message: '请填写整改进展' }]}>
          <Input.TextArea rows={4} maxLength={20000} data-testid="progress-content" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CheckModal({ caseId, plan, item, onClose }: { caseId: string; plan: RectificationPlan; item: RectificationItem | undefined; onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ accepted: boolean; note?: string }>();
  const [saving, setSaving] = useState(false);
  const setPlan = useSetPlan(caseId);
  const onConflict = useOnConflict(caseId, message);
  const submit = async ({ accepted, note }: { accepted: boolean; note?: string }) => {
    if (!item) return;
    setSaving(true);
    try {
      const result = await api.post<PlanCommandResult>(`/api/v1/rectification/items/${item.id}/check`, { version: plan.version, accepted, note: note ?? '' });
      message.success(accepted ? '已核查通过' : '已退回整改');
      setPlan(result.plan);
      onClose();
    } catch (error) {
      if (onConflict(error)) onClose();
      else applyApiError(form, error, message);
    } finally {
      setSaving(false);
    }
  };
  const last = item?.reports[item.reports.length - 1];
  return (
    <Modal open={item !== undefined} title={`核查整改事项：${item?.title ?? ''}`} onCancel={onClose} onOk={() => form.submit()} okText="提交核查结论" confirmLoading={saving} destroyOnHidden>
      {last && <Alert type="info" title="最近报告的进展" description={last.content} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={submit} preserve={false} initialValues={{ accepted: true }}>
        <Form.Item name="accepted" label="核查结论" rules={[{ required: true, message: '请选择核查结论' }]}>
          <Radio.Group
            options={[
              { value: true, label: '核查通过' },
              { value: false, label: '退回整改' },
            ]}
          />
        </Form.Item>
        <Form.Item name="note" label="核查说明" extra="退回整改应当写明退回理由">
          <Input.TextArea rows={3} maxLength={5000} data-testid="check-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function PoorModal({ caseId, plan, open, onClose }: { caseId: string; plan: RectificationPlan; open: boolean; onClose: () => void }) {
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<{ finding: string; title?: string; description?: string }>();
  const [saving, setSaving] = useState(false);
  const setPlan = useSetPlan(caseId);
  const onConflict = useOnConflict(caseId, message);
  const submit = async (values: { finding: string; title?: string; description?: string }) => {
    setSaving(true);
    try {
      const body = { version: plan.version, finding: values.finding, ...(values.title ? { title: values.title } : {}), ...(values.description ? { description: values.description } : {}) };
      const result = await api.post<PlanCommandResult>(`/api/v1/rectification/plans/${plan.id}/poor-rectification`, body);
      setPlan(result.plan);
      onClose();
      const newCaseId = (result.data.newCaseId as string | undefined) ?? result.plan.poorRecords[result.plan.poorRecords.length - 1]?.newCaseId;
      modal.success({
        title: '已认定整改不力并启动问责追责案件',
        content: newCaseId ? <Link to={`/cases/${newCaseId}`} onClick={() => Modal.destroyAll()}>打开新案件</Link> : null,
      });
    } catch (error) {
      if (onConflict(error)) onClose();
      else applyApiError(form, error, message);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open={open} title="认定整改不力" onCancel={onClose} onOk={() => form.submit()} okText="认定并启动问责追责" okButtonProps={{ danger: true }} confirmLoading={saving} destroyOnHidden>
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        整改事项逾期未完成或被退回的，可以认定整改不力，对本案干部启动新的问责追责案件（第十条第（四）项）。
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
        <Form.Item name="finding" label="整改不力情况" rules={[{ required: true, message: '请填写整改不力情况' }]}>
          <Input.TextArea rows={3} data-testid="poor-finding" />
        </Form.Item>
        <Form.Item name="title" label="新案件名称（可不填）">
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="description" label="问题描述（可不填）">
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}


