import { Empty } from 'antd';
import type { CaseView } from '../../../api/types';
import { DecisionCard } from './DecisionCard';

/** Every version of the decision (appeals and returns keep the old ones), the current one highlighted, newest first. */
export function DecisionsTab({ view }: { view: CaseView }) {
  if (view.decisions.length === 0) return <Empty description="尚未作出处理决定" image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return (
    <>
      {[...view.decisions].reverse().map((d) => (
        <DecisionCard key={d.id} decision={d} highlight={d.current} />
      ))}
    </>
  );
}
