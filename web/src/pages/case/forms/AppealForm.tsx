import { Alert, Form, Input } from 'antd';
import { formatTime } from '../../../labels';
import { CommandDrawer } from '../CommandDrawer';
import { postCommand } from '../commands';
import { PackQuote } from '../PackQuote';
import { DecisionCard } from '../tabs/DecisionCard';
import type { ActionFormProps } from './types';

/** The official's appeal against a not-tolerated, reduced or other accountability decision (Art. 16). */
export function AppealForm({ view, open, onClose }: ActionFormProps) {
  const [form] = Form.useForm<{ grounds: string }>();
  const current = view.decisions.find((d) => d.current);
  return (
    <CommandDrawer
      caseId={view.id}
      action="lodgeAppeal"
      title="提出申诉"
      open={open}
      onClose={onClose}
      form={form}
      successText="申诉已提出"
      onSubmit={(values) => postCommand(view.id, 'lodgeAppeal', view.version, values)}
      intro={
        <>
          <PackQuote policyId={view.policy.id} number="第十六条" />
          <Alert type="info" showIcon style={{ marginBottom: 16 }} title={`申诉期限：${view.appealDeadline ? `${formatTime(view.appealDeadline)} 前` : '—'}`} data-testid="appeal-deadline" />
          {current && <DecisionCard decision={current} highlight />}
        </>
      }
    >
      <Form.Item label="申诉理由" name="grounds" rules={[{ required: true, whitespace: true, message: '请写明申诉理由' }]}>
        <Input.TextArea rows={10} />
      </Form.Item>
    </CommandDrawer>
  );
}
