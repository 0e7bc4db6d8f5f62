import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Modal, Progress, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import type { PlanCommandResult, RectificationPlanSummary, RectificationUnit } from '../../api/types';
import { hasRole, useSession } from '../../auth/session';
import { applyApiError } from '../../components/form-errors';
import { formatDate } from '../../labels';
import { PackQuote } from '../case/PackQuote';
import { beijingToday, rectificationKeys } from './queries';

/** The pack whose words the page quotes: unit plans belong to no case, so the pack in force. */
const POLICY_IN_FORCE = 'bj-2020';

/**
 * 单位整改: the rectification plans made for units (Art. 18: "干部所在单位…建立健全长效机制"), as far as the user's
 * jurisdiction reaches — handlers, supervisors and organization departments by organ, an official for the plans
 * with an item of their own. A handler makes a plan for a unit their organ may act on; a plan opens on its own page.
 */
export function UnitRectificationPage() {
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const overdueOnly = params.get('overdue') === '1';
  const plans = useQuery({ queryKey: rectificationKeys.unitPlans, queryFn: () => api.get<{ data: RectificationPlanSummary[] }>('/api/v1/rectification/plans?subject=unit') });
  const isHandler = hasRole(session.data, 'handler');
  const rows = (plans.data?.data ?? []).filter((p) => !overdueOnly || p.overdue > 0);
  const today = beijingToday();

  return (
    <Card
      title="单位整改"
      data-testid="unit-rectification-page"
      extra={
        isHandler && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-unit-plan">
            制定整改方案
          </Button>
        )
      }
    >
      <PackQuote policyId={POLICY_IN_FORCE} number="第十八条" />
      <Space style={{ marginBottom: 12 }}>
        <Switch
          checked={overdueOnly}
          onChange={(on) => {
            const next = new URLSearchParams(params);
            if (on) next.set('overdue', '1');
            else next.delete('overdue');
            setParams(next);
          }}
          data-testid="overdue-only"
        />
        <span>只看有逾期事项的方案</span>
      </Space>
      {plans.isError ? (
        <Alert type="error" showIcon title="无法加载整改方案" description={(plans.error as Error).message} />
      ) : (
        <Table<RectificationPlanSummary>
          rowKey="id"
          size="small"
          loading={plans.isLoading}
          dataSource={rows}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: overdueOnly ? '没有逾期未完成的单位整改方案' : '管辖范围内尚无单位整改方案' }}
          onRow={() => ({ 'data-testid': 'unit-plan-row' }) as HTMLAttributes<HTMLElement>}
          columns={[
            { key: 'title', title: '整改方案', render: (_, p) => <Link to={`/rectification/${p.id}`} data-testid="unit-plan-link">{p.title}</Link> },
            { key: 'unit', title: '整改单位', width: 220, render: (_, p) => p.unitName ?? '—' },
            { key: 'organ', title: '制定机关', width: 200, render: (_, p) => p.organName },
            {
              key: 'progress',
              title: '进度',
              width: 200,
              render: (_, p) =>
                p.items === 0 ? (
                  <Typography.Text type="secondary">尚无整改事项</Typography.Text>
                ) : (
                  <Space orientation="vertical" size={0} style={{ width: '100%' }}>
                    <Progress percent={Math.round((p.done / p.items) * 100)} size="small" status={p.overdue > 0 ? 'exception' : p.done === p.items ? 'success' : 'active'} />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="unit-plan-progress">
                      已完成 {p.done}/{p.items} 项{p.reported > 0 ? `，待核查 ${p.reported} 项` : ''}
                    </Typography.Text>
                  </Space>
                ),
            },
            {
              key: 'deadline',
              title: '最近期限',
              width: 170,
              render: (_, p) => (
                <Space size={4} wrap>
                  <span>{p.nextDeadline ?? '—'}</span>
                  {p.overdue > 0 && (
                    <Tag color="red" data-testid="unit-plan-overdue">
                      逾期 {p.overdue} 项
                    </Tag>
                  )}
                  {p.overdue === 0 && p.nextDeadline === today && <Tag color="orange">今日到期</Tag>}
                </Space>
              ),
            },
            { key: 'createdAt', title: '制定时间', width: 110, render: (_, p) => formatDate(p.createdAt) },
          ]}
        />
      )}
      <CreateUnitPlan open={creating} onClose={() => setCreating(false)} />
    </Card>
  );
}

interface CreateValues {
  unitId: string;
  title: string;
  description?: string;
}

/** A plan for a unit the handler's organ may act on (the units come from the server's own rule). */
function CreateUnitPlan({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { message } = App.useApp();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [form] = Form.useForm<CreateValues>();
  const [saving, setSaving] = useState(false);
  const units = useQuery({
    queryKey: rectificationKeys.units,
    queryFn: () => api.get<{ data: RectificationUnit[] }>('/api/v1/rectification/units'),
    enabled: open,
    staleTime: 300_000,
  });
  const submit = async (values: CreateValues) => {
    setSaving(true);
    try {
      const result = await api.post<PlanCommandResult>('/api/v1/rectification/plans', { unitId: values.unitId, title: values.title, description: values.description ?? '' });
      message.success('已制定整改方案');
      client.setQueryData(rectificationKeys.plan(result.plan.id), { data: result.plan });
      void client.invalidateQueries({ queryKey: rectificationKeys.unitPlans });
      onClose();
      navigate(`/rectification/${result.plan.id}`);
    } catch (error) {
      applyApiError(form, error, message);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={open}
      title="为单位制定整改方案"
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="制定整改方案"
      confirmLoading={saving}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'create-unit-plan-submit' }}
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        针对单位暴露的问题制定整改方案，随后逐项明确责任人、整改期限和长效机制。可选的单位为本机关管辖或本机关管理其干部的单位。
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
        <Form.Item name="unitId" label="整改单位" rules={[{ required: true, message: '请选择整改单位' }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={units.isLoading}
            placeholder="选择单位"
            options={(units.data?.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
            notFoundContent={units.isLoading ? '加载中…' : '没有可选的单位'}
            data-testid="unit-plan-unit"
          />
        </Form.Item>
        <Form.Item name="title" label="方案名称" rules={[{ required: true, whitespace: true, message: '请填写整改方案名称' }]}>
          <Input maxLength={200} data-testid="unit-plan-title" />
        </Form.Item>
        <Form.Item name="description" label="整改要求">
          <Input.TextArea rows={3} maxLength={20000} data-testid="unit-plan-description" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
