import { Steps } from 'antd';
import type { CaseView } from '../../api/types';
import { formatDate } from '../../labels';

interface Step {
  key: string;
  title: string;
  content?: string;
}

/** Where each state sits in the procedure (the key of the step now in progress; `closed` means all done). */
const CURRENT_STEP: Record<string, string> = {
  investigating: 'investigation',
  deliberated: 'decision',
  'awaiting-approval': 'approval',
  decided: 'service',
  served: 'appeal',
  'under-appeal': 'appeal',
  'appeal-decided': 'closing',
  closed: 'done',
};

/**
 * The procedure of Art. 11–16 as a bar: 调查核实 → 集体研究 → 作出决定 → (上级审批) → 送达 → 申诉 → 结案. The
 * approval step appears only when a decision of this case went to the higher authority.
 */
export function CaseSteps({ view }: { view: CaseView }) {
  const approval = view.state === 'awaiting-approval' || view.decisions.some((d) => d.approvalState !== 'not-required');
  const lastDeliberation = view.deliberations.at(-1);
  const approved = view.decisions.find((d) => d.approvalState === 'approved');
  const steps: Step[] = [
    { key: 'investigation', title: '调查核实', content: `${formatDate(view.openedAt)} 启动` },
    { key: 'deliberation', title: '集体研究', ...(lastDeliberation ? { content: formatDate(lastDeliberation.heldOn) } : {}) },
    { key: 'decision', title: '作出决定', ...(view.decidedAt ? { content: formatDate(view.decidedAt) } : {}) },
    ...(approval ? [{ key: 'approval', title: '上级审批', ...(approved ? { content: '已同意' } : {}) }] : []),
    { key: 'service', title: '送达', ...(view.servedAt ? { content: formatDate(view.servedAt) } : {}) },
    {
      key: 'appeal',
      title: '申诉',
      ...(view.appeals.length > 0 ? { content: `${formatDate(view.appeals.at(-1)?.lodgedAt)} 提出` } : view.appealDeadline ? { content: `期限至 ${formatDate(view.appealDeadline)}` } : {}),
    },
    { key: 'closing', title: '结案', ...(view.closedAt ? { content: formatDate(view.closedAt) } : {}) },
  ];
  // The deliberation step is in progress until the investigation is over; once minuted, deciding is next.
  const currentKey = view.state === 'investigating' && view.assessment ? 'deliberation' : (CURRENT_STEP[view.state] ?? 'investigation');
  const current = currentKey === 'done' ? steps.length : Math.max(0, steps.findIndex((s) => s.key === currentKey));
  return (
    <Steps
      size="small"
      titlePlacement="vertical"
      current={current}
      aria-label="办理进度"
      items={steps.map((s) => ({ title: s.title, content: s.content }))}
      style={{ marginTop: 16 }}
    />
  );
}
