import { LockFilled } from '@ant-design/icons';
import { Alert, Collapse, Space, Tag, Typography } from 'antd';
import type { CaseView } from '../../../api/types';
import { label, OUTCOME_COLORS, OUTCOME_LABELS } from '../../../labels';
import { usePolicyPack } from '../queries';
import { RecommendationView } from './RecommendationView';

/** The recorded recommendation at the top of the deliberation and decision forms, its reasons one click away. */
export function RecommendationSummary({ view }: { view: CaseView }) {
  const pack = usePolicyPack(view.policy.id);
  const assessment = view.assessment;
  if (!assessment) return <Alert type="warning" showIcon title="尚未记录容错研判" style={{ marginBottom: 16 }} />;
  const output = assessment.output;
  return (
    <div style={{ marginBottom: 16 }}>
      <Space wrap>
        <Typography.Text>容错研判建议：</Typography.Text>
        <Tag color={OUTCOME_COLORS[output.recommendation]} style={{ fontSize: 16, lineHeight: '28px', padding: '0 12px' }}>
          {label(OUTCOME_LABELS, output.recommendation)}
        </Tag>
        {output.binding && (
          <Tag color="red" icon={<LockFilled />}>
            约束性规定，集体研究不得改变
          </Tag>
        )}
      </Space>
      {pack.data && (
        <Collapse
          size="small"
          ghost
          items={[{ key: 'why', label: '查看研判依据', children: <RecommendationView pack={pack.data.data} result={output} /> }]}
        />
      )}
    </div>
  );
}
