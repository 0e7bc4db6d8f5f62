import { Card, Descriptions, Empty, Typography } from 'antd';
import type { CaseView } from '../../../api/types';
import { formatTime } from '../../../labels';
import { Prose } from './Prose';

/** Announcement and service (Art. 15) with the explanations of the tolerance outcome each party received. */
export function ServicesTab({ view }: { view: CaseView }) {
  if (view.services.length === 0) return <Empty description="尚未宣布送达" image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  const versionOf = new Map(view.decisions.map((d) => [d.id, d.version]));
  return (
    <>
      {view.services.map((s) => (
        <Card
          key={s.id}
          size="small"
          style={{ marginBottom: 12 }}
          data-testid="service"
          title={`宣布送达${versionOf.has(s.decisionId) ? `（第 ${versionOf.get(s.decisionId)} 版决定）` : ''}`}
          extra={<Typography.Text type="secondary">{formatTime(s.servedAt)}</Typography.Text>}
        >
          <Descriptions
            size="small"
            column={1}
            styles={{ label: { width: 170 } }}
            items={[
              ...(s.explanationToOfficial !== null ? [{ key: 'official', label: '向干部本人说明容错情况', children: <Prose>{s.explanationToOfficial}</Prose> }] : []),
              ...(s.explanationToPartyOrg !== null ? [{ key: 'party', label: '向所在党组织说明容错情况', children: <Prose>{s.explanationToPartyOrg}</Prose> }] : []),
            ]}
          />
        </Card>
      ))}
    </>
  );
}
