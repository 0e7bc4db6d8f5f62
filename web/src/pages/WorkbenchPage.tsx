import { ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { api } from '../api/client';
import { hasRole, useSession } from '../auth/session';
import { NoCaseWork } from './workbench/NoCaseWork';
import { TaskCards } from './workbench/TaskCards';
import { LATER_FOR_ROLE, TASK_LABELS, TASK_ORDER, TASKS_BY_ROLE, WORKBENCH_LIMIT, type TaskKind, type WorkbenchData } from './workbench/tasks';
import { WorkTable } from './workbench/WorkTable';

/** 工作台: what the signed-in user has to do now, by role and within their jurisdiction. */
export function WorkbenchPage() {
  const session = useSession();
  const [selected, setSelected] = useState<TaskKind>();
  const workbench = useQuery({
    queryKey: ['workbench'],
    queryFn: async () => (await api.get<{ data: WorkbenchData }>('/api/v1/workbench')).data,
    // Work arrives as colleagues act: refresh while the page is open.
    refetchInterval: 60_000,
  });

  const roles = useMemo(() => [...new Set(session.data?.roles.map((g) => g.role) ?? [])], [session.data]);
  const counts = workbench.data?.counts;
  // The kinds this user's roles can receive, and any other kind that has items.
  const kinds = useMemo(
    () => TASK_ORDER.filter((kind) => roles.some((role) => TASKS_BY_ROLE[role]?.includes(kind)) || (counts?.[kind] ?? 0) > 0),
    [roles, counts],
  );
  const laterRoles = roles.filter((role) => role in LATER_FOR_ROLE);
  const items = workbench.data?.items ?? [];
  const shown = selected ? items.filter((i) => i.task === selected) : items;
  const total = counts ? Object.values(counts).reduce((sum, n) => sum + n, 0) : 0;

  return (
    <Card
      title="工作台"
      data-testid="workbench"
      extra={
        <Button icon={<ReloadOutlined />} loading={workbench.isFetching} onClick={() => workbench.refetch()}>
          刷新
        </Button>
      }
    >
      {workbench.isError && <Alert type="error" showIcon title={(workbench.error as Error).message} style={{ marginBottom: 16 }} />}
      {kinds.length === 0 ? (
        workbench.isLoading ? null : <NoCaseWork roles={laterRoles} seesCases={hasRole(session.data, 'supervisor')} />
      ) : (
        <>
          {laterRoles.length > 0 && (
            <Alert
              type="info"
              showIcon
              closable
              style={{ marginBottom: 16 }}
              title={laterRoles.map((role) => `${LATER_FOR_ROLE[role]!.title}：${LATER_FOR_ROLE[role]!.later}`).join(' ')}
            />
          )}
          <TaskCards kinds={kinds} counts={counts ?? {}} selected={selected} onSelect={setSelected} />
          {total > items.length && (
            <Typography.Paragraph type="secondary">
              共 {total} 项待办，下表列出最新的 {WORKBENCH_LIMIT} 项；可在“案件”中按阶段查找其余案件。
            </Typography.Paragraph>
          )}
          {selected && items.length > 0 && (
            <Typography.Paragraph>
              正在查看：{TASK_LABELS[selected]}（{shown.length} 项）
              <Button type="link" onClick={() => setSelected(undefined)}>
                显示全部
              </Button>
            </Typography.Paragraph>
          )}
          {!workbench.isLoading && items.length === 0 ? (
            <Empty description="暂无待办事项。有新的事项时，将在这里提醒您。" />
          ) : (
            <WorkTable items={shown} loading={workbench.isLoading} />
          )}
        </>
      )}
    </Card>
  );
}
