import { Descriptions, Form } from 'antd';
import { formatDate, label, OUTCOME_LABELS } from '../../../labels';
import { RecommendationSummary } from '../assessment/RecommendationSummary';
import { CommandDrawer } from '../CommandDrawer';
import { postCommand } from '../commands';
import { PackQuote } from '../PackQuote';
import { DecisionFields, toDecisionBody, type DecisionValues } from './DecisionFields';
import type { ActionFormProps } from './types';

/** The decision (Art. 13–14), starting from what the latest collective deliberation proposed. */
export function DecideForm({ view, open, onClose }: ActionFormProps) {
  const [form] = Form.useForm<DecisionValues>();
  const deliberation = view.deliberations.at(-1);
  const recommendation = view.assessment?.output.recommendation;
  return (
    <CommandDrawer
      caseId={view.id}
      action="decide"
      title="作出处理决定"
      open={open}
      onClose={onClose}
      form={form}
      initialValues={{ outcome: deliberation?.proposedOutcome, measures: [], toleranceOpinion: deliberation?.toleranceOpinion ?? '' }}
      successText="处理决定已作出"
      submitText="作出决定"
      onSubmit={(values) => postCommand(view.id, 'decide', view.version, toDecisionBody(values, recommendation))}
      intro={
        <>
          <PackQuote policyId={view.policy.id} number="第十三条" />
          <RecommendationSummary view={view} />
          {deliberation && (
            <Descriptions
              size="small"
              bordered
              column={1}
              style={{ marginBottom: 16 }}
              items={[
                { key: 'held', label: '集体研究', children: `${formatDate(deliberation.heldOn)}，到会 ${deliberation.membersPresent.length} / ${deliberation.memberCount} 人` },
                { key: 'proposed', label: '集体研究意见', children: label(OUTCOME_LABELS, deliberation.proposedOutcome) },
              ]}
            />
          )}
        </>
      }
    >
      <DecisionFields form={form} recommendation={recommendation} />
    </CommandDrawer>
  );
}
