import { Table, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { label, STATE_LABELS } from '../../labels';
import { deadlineStatus } from './deadline';
import { TASK_COLORS, TASK_HINTS, TASK_LABELS, type TaskKind, type WorkItem } from './tasks';

const time = (iso: string) => dayjs(iso).format('YYYY-MM-DD HH:mm');

function Deadline({ value }: { value: string | null }) {
  if (!value) return <Typography.Text type="secondary">—</Typography.Text>;
  const status = deadlineStatus(value);
  return (
    <Typography.Text type={status.urgent ? 'danger' : undefined} strong={status.overdue} data-testid="deadline">
      {dayjs(value).format('YYYY-MM-DD')}
      <br />
      <small>{status.note}</small>
    </Typography.Text>
  );
}

/** The to-do items, newest first as the server orders them; each links to its case. */
export function WorkTable({ items, loading }: { items: WorkItem[]; loading: boolean }) {
  return (
    <Table<WorkItem>
      rowKey={(item) => `${item.task}:${item.caseId}`}
      loading={loading}
      dataSource={items}
      size="middle"
      scroll={{ x: 980 }}
      pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
      locale={{ emptyText: '暂无此类待办' }}
      columns={[
        {
          title: '待办',
          dataIndex: 'task',
          width: 135,
          render: (task: TaskKind) => (
            <Tooltip title={TASK_HINTS[task]}>
              <Tag color={TASK_COLORS[task]}>{TASK_LABELS[task] ?? task}</Tag>
            </Tooltip>
          ),
        },
        {
          title: '案件名称',
          dataIndex: 'caseTitle',
          ellipsis: true,
          render: (title: string, item) => (
            <Link to={`/cases/${item.caseId}`} title={title}>
              {title}
            </Link>
          ),
        },
        { title: '干部', width: 150, ellipsis: true, render: (_, item) => `${item.official.name}（${item.official.position}）` },
        { title: '责任追究机关', width: 160, ellipsis: true, render: (_, item) => item.organ.name },
        { title: '阶段', dataIndex: 'state', width: 110, render: (state: string) => <Tag>{label(STATE_LABELS, state)}</Tag> },
        {
          title: '成为待办',
          dataIndex: 'since',
          width: 145,
          render: time,
          sorter: (a, b) => a.since.localeCompare(b.since),
          defaultSortOrder: 'descend',
          sortDirections: ['descend', 'ascend', 'descend'],
        },
        {
          title: '期限',
          dataIndex: 'deadline',
          width: 120,
          render: (deadline: string | null) => <Deadline value={deadline} />,
          // Items without a deadline go last either way.
          sorter: (a, b) => (a.deadline ?? '9999').localeCompare(b.deadline ?? '9999'),
        },
      ]}
    />
  );
}
