import { ArrowLeftOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Result, Skeleton, Space } from 'antd';
import { Link, useNavigate, useParams } from 'react-router';
import { api, ApiError } from '../../api/client';
import type { RectificationPlan, RectificationUnit } from '../../api/types';
import { formatTime } from '../../labels';
import { PlanPanel, type OwnerChoices } from './PlanPanel';
import { rectificationKeys } from './queries';

/** One unit plan on its own page: what it is for and who made it, then the plan itself (shared with the case tab). */
export function UnitPlanPage() {
  const { planId = '' } = useParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const query = useQuery({
    queryKey: rectificationKeys.plan(planId),
    queryFn: () => api.get<{ data: RectificationPlan }>(`/api/v1/rectification/plans/${encodeURIComponent(planId)}`),
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });
  const plan = query.data?.data;
  const owners = useOwnerChoices(plan);

  const back = (
    <Button type="link" icon={<ArrowLeftOutlined />} onClick={() => navigate('/rectification')} style={{ paddingInline: 0 }}>
      返回单位整改
    </Button>
  );
  if (query.isLoading) return <Card><Skeleton active paragraph={{ rows: 6 }} /></Card>;
  if (query.isError || !plan) {
    const missing = query.error instanceof ApiError && (query.error.status === 404 || query.error.status === 400);
    return (
      <Card>
        <Result status={missing ? '404' : 'error'} title={missing ? '整改方案不存在或不在您的管辖范围内' : '无法加载整改方案'} subTitle={missing ? undefined : (query.error as Error | null)?.message} extra={back} />
      </Card>
    );
  }

  const setPlan = (next: RectificationPlan) => {
    client.setQueryData(rectificationKeys.plan(next.id), { data: next });
    void client.invalidateQueries({ queryKey: rectificationKeys.plan(next.id) });
    void client.invalidateQueries({ queryKey: rectificationKeys.unitPlans });
  };
  const done = plan.items.filter((i) => i.status === 'done').length;
  const overdue = plan.items.filter((i) => i.overdue).length;

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="unit-plan-page">
      <Card size="small" title="单位整改方案" extra={back}>
        <Descriptions
          size="small"
          column={{ xs: 1, md: 2 }}
          items={[
            { key: 'unit', label: '整改单位', children: <span data-testid="unit-plan-unit-name">{plan.unitName ?? '—'}</span> },
            { key: 'organ', label: '制定机关', children: plan.organName },
            { key: 'created', label: '制定时间', children: formatTime(plan.createdAt) },
            { key: 'progress', label: '进度', children: `共 ${plan.items.length} 项，已完成 ${done} 项${overdue > 0 ? `，逾期 ${overdue} 项` : ''}` },
          ]}
        />
        {plan.caseId !== null && (
          <Alert
            type="info"
            showIcon
            style={{ marginTop: 8 }}
            title="这是案件的整改方案"
            description={<Link to={`/cases/${plan.caseId}?tab=rectification`}>在案件的“整改”页中查看</Link>}
          />
        )}
      </Card>
      <PlanPanel plan={plan} onPlan={setPlan} onStale={() => void client.invalidateQueries({ queryKey: rectificationKeys.plan(plan.id) })} owners={owners} />
    </Space>
  );
}

/**
 * The owners the add-item form offers for a unit plan: the unit itself first (an item is usually the unit's), the
 * units below it or below the plan's organ among those the handler may act on, and any official the organ manages.
 */
function useOwnerChoices(plan: RectificationPlan | undefined): OwnerChoices {
  const units = useQuery({
    queryKey: rectificationKeys.units,
    queryFn: () => api.get<{ data: RectificationUnit[] }>('/api/v1/rectification/units'),
    enabled: Boolean(plan?.abilities.addItems),
    staleTime: 300_000,
  });
  if (!plan) return { defaultKind: 'unit', officials: [], units: [] };
  const all = units.data?.data ?? [];
  const byId = new Map(all.map((u) => [u.id, u]));
  // The server accepts a unit at or below the plan's unit or organ; the picker offers just those it knows of.
  const anchors = [plan.unitId, plan.organId].filter((x): x is string => x !== null);
  const underAnchor = (unit: RectificationUnit) => {
    for (let at: RectificationUnit | undefined = unit, hops = 0; at && hops < 32; at = at.parentId ? byId.get(at.parentId) : undefined, hops++) {
      if (anchors.includes(at.id)) return true;
    }
    return false;
  };
  const options = new Map<string, string>();
  if (plan.unitId) options.set(plan.unitId, plan.unitName ?? plan.unitId);
  for (const unit of all.filter(underAnchor)) if (!options.has(unit.id)) options.set(unit.id, unit.name);
  const officials = new Map(plan.items.filter((i) => i.owner.kind === 'official').map((i) => [i.owner.id, { id: i.owner.id, name: i.owner.name }]));
  return {
    defaultKind: 'unit',
    ...(plan.unitId ? { defaultUnitId: plan.unitId } : {}),
    officials: [...officials.values()],
    units: [...options].map(([value, label]) => ({ value, label })),
    unitsLoading: units.isLoading,
  };
}
