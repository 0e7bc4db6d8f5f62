import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Form, Input, Skeleton, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../../api/client';
import type { CaseRectification, CaseView, OrganizationRef, PlanCommandResult, RectificationPlan } from '../../../api/types';
import { applyApiError } from '../../../components/form-errors';
import { PlanPanel } from '../../rectification/PlanPanel';
import { rectificationKeys } from '../../rectification/queries';
import { caseKeys } from '../queries';

/** States in which the case has a decision (Art. 18: rectification follows the decision). */
const DECIDED_STATES = ['decided', 'served', 'under-appeal', 'appeal-decided', 'closed'];

/** Whether the case page shows the 整改 tab: once the case is decided. */
export function rectificationTabShown(view: CaseView): boolean {
  return DECIDED_STATES.includes(view.state);
}

/**
 * Rectification of a decided case (整改, Art. 18): the deciding organ's handler makes the plan; the plan itself
 * (items, progress, check-offs, poor rectification) is the PlanPanel shared with the unit plans.
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
      {plan ? <CasePlan view={view} plan={plan} /> : mayCreatePlan ? <CreatePlan view={view} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚未制定整改方案" />}
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

/** The case's plan: items are owned by the case's official by default, or by a unit near the case. */
function CasePlan({ view, plan }: { view: CaseView; plan: RectificationPlan }) {
  const client = useQueryClient();
  const setPlan = useSetPlan(view.id);
  const organizations = useQuery({ queryKey: ['organizations'], queryFn: () => api.get<{ data: OrganizationRef[] }>('/api/v1/organizations'), staleTime: 300_000 });
  const units = [
    ...(organizations.data?.data ?? []).map((o) => ({ value: o.id, label: o.name })),
    ...((organizations.data?.data ?? []).some((o) => o.id === view.official.organization.id) ? [] : [{ value: view.official.organization.id, label: view.official.organization.name }]),
  ];
  return (
    <PlanPanel
      plan={plan}
      onPlan={setPlan}
      onStale={() => void client.invalidateQueries({ queryKey: rectificationKeys.ofCase(view.id) })}
      owners={{
        defaultKind: 'official',
        defaultOfficialId: view.official.id,
        officials: [{ id: view.official.id, name: view.official.name, position: view.official.position }],
        units,
        unitsLoading: organizations.isLoading,
      }}
    />
  );
}
