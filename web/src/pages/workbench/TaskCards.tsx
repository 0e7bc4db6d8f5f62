import { Card, Col, Row, Statistic } from 'antd';
import type { KeyboardEvent } from 'react';
import { TASK_HINTS, TASK_LABELS, type TaskKind } from './tasks';

interface Props {
  kinds: readonly TaskKind[];
  counts: Partial<Record<TaskKind, number>>;
  selected: TaskKind | undefined;
  onSelect(kind: TaskKind | undefined): void;
}

/** One statistic card per task kind; a card is a toggle button that filters the list below. */
export function TaskCards({ kinds, counts, selected, onSelect }: Props) {
  const toggle = (kind: TaskKind) => onSelect(selected === kind ? undefined : kind);
  return (
    <Row gutter={[12, 12]} role="group" aria-label="按待办类型筛选" style={{ marginBottom: 16 }}>
      {kinds.map((kind) => {
        const count = counts[kind] ?? 0;
        const active = selected === kind;
        return (
          <Col key={kind} xs={12} sm={8} md={6} lg={6} xl={4}>
            <Card
              size="small"
              hoverable
              role="button"
              tabIndex={0}
              aria-pressed={active}
              aria-label={`${TASK_LABELS[kind]} ${count} 项${active ? '（已筛选，再次选择取消）' : ''}`}
              data-testid={`task-card-${kind}`}
              onClick={() => toggle(kind)}
              onKeyDown={(event: KeyboardEvent) => {
                if (event.key === 'Enter' || event.key === ' ') {
                  event.preventDefault();
                  toggle(kind);
                }
              }}
              style={{ height: '100%', borderColor: active ? '#b71c1c' : undefined, boxShadow: active ? '0 0 0 1px #b71c1c inset' : undefined }}
            >
              <Statistic
                title={<span title={TASK_HINTS[kind]}>{TASK_LABELS[kind]}</span>}
                value={count}
                suffix="项"
                styles={{ content: { color: count > 0 ? '#b71c1c' : 'rgba(0, 0, 0, 0.45)' } }}
              />
            </Card>
          </Col>
        );
      })}
    </Row>
  );
}
