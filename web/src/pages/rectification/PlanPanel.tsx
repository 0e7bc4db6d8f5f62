import { PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Descriptions, Form, Input, Modal, Radio, Select, Space, Table, Tag, Typography, Upload, type UploadFile } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState, type HTMLAttributes } from 'react';
import { Link } from 'react-router';
import { api, ApiError } from '../../api/client';
import type { PlanCommandResult, RectificationItem, RectificationPlan, RectificationReminder, UploadedAttachment } from '../../api/types';
import { useSession } from '../../auth/session';
import { applyApiError } from '../../components/form-errors';
import { formatTime, label, RECTIFICATION_STATUS_COLORS, RECTIFICATION_STATUS_LABELS } from '../../labels';
import { applyFieldError } from '../followup/field-errors';
import { OfficialPicker, type OfficialOption } from '../followup/OfficialPicker';
import { attachmentUrl, rectificationKeys } from './queries';

type Message = { error: (text: string) => unknown; success: (text: string) => unknown; warning: (text: string) => unknown };

/** Who the add-item form offers as an item's owner, and which it starts with. */
export interface OwnerChoices {
  defaultKind: 'official' | 'unit';
  defaultOfficialId?: string;
  /** Officials the page already knows (e.g. the case's official), offered before the name search. */
  officials: OfficialOption[];
  defaultUnitId?: string;
  units: { value: string; label: string }[];
  unitsLoading?: boolean;
}

export interface PlanPanelProps {
  plan: RectificationPlan;
  /** Takes the plan a command answered with, and refreshes what depends on it. */
  onPlan: (plan: RectificationPlan) => void;
  /** Reloads the plan after someone else changed it (a version conflict). */
  onStale: () => void;
  owners: OwnerChoices;
}

/**
 * A rectification plan, for a case or for a unit (整改, Art. 18): its items with owner, deadline and long-term
 * mechanism, overdue markers and reminders; the plan organ's handler adds items and records progress, the
 * owning official reports on their own items (with attachments), the supervisor or the organization department
 * checks each item off or sends it back, and poor rectification opens a linked accountability case.
 */
export function PlanPanel({ plan, onPlan, onStale, owners }: PlanPanelProps) {
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
  const actions = { plan, onPlan, onStale };

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
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }} data-testid="plan-progress">
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
            rowExpandable: (i) => i.reports.length > 0 || i.checks.length > 0 || i.reminders.length > 0,
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
                  {i.overdue && <Tag color="red" data-testid="item-overdue">逾期</Tag>}
                </Space>
              ),
            },
            { key: 'mechanism', title: '长效机制', render: (_, i) => <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{i.mechanism}</Typography.Text> },
            {
              key: 'status',
              title: '状态',
              width: 110,
              render: (_, i) => (
                <Tag color={RECTIFICATION_STATUS_COLORS[i.status]} data-testid="item-status">
                  {label(RECTIFICATION_STATUS_LABELS, i.status)}
                </Tag>
              ),
            },
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
      {plan.abilities.addItems && <AddItemForm {...actions} owners={owners} />}
      {plan.poorRecords.length > 0 && (
        <Card size="small" title="整改不力认定" data-testid="poor-records">
          {plan.poorRecords.map((r) => (
            <Descriptions
              key={r.id}
              size="small"
              column={1}
              items={[
                { key: 'finding', label: '整改不力情况', children: r.finding },
                { key: 'at', label: '认定时间', children: formatTime(r.recordedAt) },
                { key: 'case', label: '启动的案件', children: <Link to={`/cases/${r.newCaseId}`} data-testid="poor-new-case">查看新案件</Link> },
              ]}
            />
          ))}
        </Card>
      )}
      <ReportModal {...actions} item={reporting} onClose={() => setReporting(undefined)} />
      <CheckModal {...actions} item={checking} onClose={() => setChecking(undefined)} />
      <PoorModal {...actions} open={poor} onClose={() => setPoor(false)} />
    </Space>
  );
}

type Actions = Pick<PlanPanelProps, 'plan' | 'onPlan' | 'onStale'>;

/** A refusal for a stale version reloads the plan so the user sees what changed. */
function conflictHandler(onStale: () => void, message: Message) {
  return (error: unknown) => {
    if (error instanceof ApiError && error.status === 409) {
      message.warning(`${error.message}；已重新加载整改方案，请核对后重试`);
      onStale();
      return true;
    }
    return false;
  };
}

function ItemHistory({ item }: { item: RectificationItem }) {
  return (
    <Space orientation="vertical" size={4} style={{ width: '100%' }} data-testid="item-history">
      {item.reports.map((r) => {
        const checks = item.checks.filter((c) => c.reportId === r.id);
        return (
          <div key={r.id}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatTime(r.reportedAt)} 报告进展：</Typography.Text>
            <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{r.content}</Typography.Text>
            {r.attachments.length > 0 && (
              <Space size={8} wrap style={{ marginInlineStart: 8 }}>
                {r.attachments.map((sha, n) => (
                  // The attachment keeps no file name (only its SHA-256): it is named by its place in the report.
                  <a key={sha} href={attachmentUrl(item.id, sha)} download data-testid="report-attachment" title={`SHA-256：${sha}`}>
                    <PaperClipOutlined /> 附件{n + 1}
                  </a>
                ))}
              </Space>
            )}
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

function AddItemForm({ plan, onPlan, onStale, owners }: Actions & { owners: OwnerChoices }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<ItemValues>();
  const [saving, setSaving] = useState(false);
  const onConflict = conflictHandler(onStale, message);
  const ownerKind = Form.useWatch('ownerKind', form) ?? owners.defaultKind;

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
      onPlan(result.plan);
    } catch (error) {
      if (!onConflict(error)) applyFieldError(form, error, message, ITEM_FIELDS);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card size="small" title="增加整改事项" data-testid="add-item">
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ ownerKind: owners.defaultKind, ownerOfficialId: owners.defaultOfficialId, ownerUnitId: owners.defaultUnitId }}
      >
        <Form.Item name="title" label="整改事项" rules={[{ required: true, whitespace: true, message: '请填写整改事项' }]}>
          <Input maxLength={200} data-testid="item-title" />
        </Form.Item>
        <Space align="start" wrap size={16}>
          <Form.Item name="ownerKind" label="责任人">
            <Radio.Group
              optionType="button"
              data-testid="item-owner-kind"
              options={[
                { value: 'official', label: '责任干部' },
                { value: 'unit', label: '责任单位' },
              ]}
            />
          </Form.Item>
          {ownerKind === 'unit' ? (
            <Form.Item name="ownerUnitId" label="责任单位" rules={[{ required: true, message: '请选择责任单位' }]} style={{ minWidth: 280 }}>
              <Select showSearch={{ optionFilterProp: 'label' }} options={owners.units} loading={owners.unitsLoading} placeholder="选择单位" data-testid="item-unit" />
            </Form.Item>
          ) : (
            <Form.Item name="ownerOfficialId" label="责任干部" rules={[{ required: true, message: '请选择责任干部' }]} style={{ minWidth: 280 }}>
              <OfficialPicker known={owners.officials} data-testid="item-official" />
            </Form.Item>
          )}
          <Form.Item name="deadline" label="整改期限" rules={[{ required: true, message: '请选择整改期限' }]}>
            <DatePicker disabledDate={(d) => d.isBefore(dayjs(), 'day')} data-testid="item-deadline" />
          </Form.Item>
        </Space>
        <Form.Item name="mechanism" label="长效机制" rules={[{ required: true, whitespace: true, message: '请填写长效机制' }]} extra="建立健全的制度、流程等，防止同类问题再次发生">
          <Input.TextArea rows={2} maxLength={5000} data-testid="item-mechanism" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="add-item-submit">
          增加整改事项
        </Button>
      </Form>
    </Card>
  );
}

/** A hint for the file picker only: the server judges each file by its content and says what it accepts. */
const ACCEPT = '.pdf,.png,.jpg,.jpeg,.docx,.xlsx,.txt';
const MAX_ATTACHMENTS = 20;

function ReportModal({ plan, onPlan, onStale, item, onClose }: Actions & { item: RectificationItem | undefined; onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ content: string; attachments?: UploadFile[] }>();
  const [saving, setSaving] = useState(false);
  const onConflict = conflictHandler(onStale, message);
  const submit = async ({ content, attachments = [] }: { content: string; attachments?: UploadFile[] }) => {
    if (!item) return;
    setSaving(true);
    try {
      // Each file goes to the store first; the report then names them by their SHA-256.
      const hashes: string[] = [];
      for (const file of attachments) {
        if (!file.originFileObj) continue;
        const body = new FormData();
        body.append('file', file.originFileObj, file.name);
        try {
          hashes.push((await api.post<{ data: UploadedAttachment }>(`/api/v1/rectification/items/${item.id}/attachments`, body)).data.sha256);
        } catch (error) {
          if (error instanceof ApiError && error.status === 400) {
            form.setFields([{ name: 'attachments', errors: [`“${file.name}”未能上传：${error.message}`] }]);
            return;
          }
          throw error;
        }
      }
      const result = await api.post<PlanCommandResult>(`/api/v1/rectification/items/${item.id}/progress`, { version: plan.version, content, attachments: hashes });
      message.success('已报告整改进展');
      onPlan(result.plan);
      onClose();
    } catch (error) {
      if (onConflict(error)) onClose();
      else applyApiError(form, error, message);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open={item !== undefined} title={`报告整改进展：${item?.title ?? ''}`} onCancel={onClose} onOk={() => form.submit()} okText="报告" confirmLoading={saving} destroyOnHidden okButtonProps={{ 'data-testid': 'progress-submit' }}>
      <Form form={form} layout="vertical" onFinish={submit} preserve={false} initialValues={{ attachments: [] }}>
        <Form.Item name="content" label="整改进展" rules={[{ required: true, whitespace: true, message: '请填写整改进展' }]}>
          <Input.TextArea rows={4} maxLength={20000} data-testid="progress-content" />
        </Form.Item>
        <Form.Item
          name="attachments"
          label="附件（可不上传）"
          valuePropName="fileList"
          getValueFromEvent={(event: { fileList: UploadFile[] }) => event.fileList}
          extra={`整改台账、制度文件等，可上传 PDF、PNG、JPEG、Word (DOCX)、Excel (XLSX)、纯文本，最多 ${MAX_ATTACHMENTS} 个。`}
        >
          <Upload beforeUpload={() => false} multiple accept={ACCEPT} maxCount={MAX_ATTACHMENTS} data-testid="progress-attachments">
            <Button icon={<UploadOutlined />}>选择文件</Button>
          </Upload>
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CheckModal({ plan, onPlan, onStale, item, onClose }: Actions & { item: RectificationItem | undefined; onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ accepted: boolean; note?: string }>();
  const [saving, setSaving] = useState(false);
  const onConflict = conflictHandler(onStale, message);
  const submit = async ({ accepted, note }: { accepted: boolean; note?: string }) => {
    if (!item) return;
    setSaving(true);
    try {
      const result = await api.post<PlanCommandResult>(`/api/v1/rectification/items/${item.id}/check`, { version: plan.version, accepted, note: note ?? '' });
      message.success(accepted ? '已核查通过' : '已退回整改');
      onPlan(result.plan);
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
    <Modal open={item !== undefined} title={`核查整改事项：${item?.title ?? ''}`} onCancel={onClose} onOk={() => form.submit()} okText="提交核查结论" confirmLoading={saving} destroyOnHidden okButtonProps={{ 'data-testid': 'check-submit' }}>
      {last && (
        <Alert
          type="info"
          title="最近报告的进展"
          description={
            <Space orientation="vertical" size={2}>
              <span style={{ whiteSpace: 'pre-wrap' }}>{last.content}</span>
              {last.attachments.map((sha, n) => (
                <a key={sha} href={attachmentUrl(item!.id, sha)} download>
                  <PaperClipOutlined /> 附件{n + 1}
                </a>
              ))}
            </Space>
          }
          style={{ marginBottom: 12 }}
        />
      )}
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

interface PoorValues {
  finding: string;
  officialId?: string;
  title?: string;
  description?: string;
}

function PoorModal({ plan, onPlan, onStale, open, onClose }: Actions & { open: boolean; onClose: () => void }) {
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<PoorValues>();
  const [saving, setSaving] = useState(false);
  const onConflict = conflictHandler(onStale, message);
  // A case's plan holds the case's own official to account; a unit's plan names the official.
  const forUnit = plan.caseId === null;
  const knownOwners = plan.items.filter((i) => i.owner.kind === 'official').map((i) => ({ id: i.owner.id, name: i.owner.name }));
  const submit = async (values: PoorValues) => {
    setSaving(true);
    try {
      const body = {
        version: plan.version,
        finding: values.finding,
        ...(forUnit && values.officialId ? { officialId: values.officialId } : {}),
        ...(values.title ? { title: values.title } : {}),
        ...(values.description ? { description: values.description } : {}),
      };
      const result = await api.post<PlanCommandResult>(`/api/v1/rectification/plans/${plan.id}/poor-rectification`, body);
      onPlan(result.plan);
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
        整改事项逾期未完成或被退回的，可以认定整改不力，{forUnit ? '对负有责任的干部' : '对本案干部'}启动新的问责追责案件（第十条第（四）项“事后不积极整改纠错的”不予容错）。
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
        <Form.Item name="finding" label="整改不力情况" rules={[{ required: true, whitespace: true, message: '请填写整改不力情况' }]}>
          <Input.TextArea rows={3} data-testid="poor-finding" />
        </Form.Item>
        {forUnit && (
          <Form.Item name="officialId" label="被问责干部" rules={[{ required: true, message: '请选择被问责干部' }]}>
            <OfficialPicker known={knownOwners} data-testid="poor-official" />
          </Form.Item>
        )}
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
