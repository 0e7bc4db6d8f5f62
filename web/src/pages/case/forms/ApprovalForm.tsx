import { Form, Input, Radio } from 'antd';
import { CommandDrawer } from '../CommandDrawer';
import { postCommand } from '../commands';
import { PackQuote } from '../PackQuote';
import { DecisionCard } from '../tabs/DecisionCard';
import type { ActionFormProps } from './types';

interface Values {
  verdict: 'approve' | 'return';
  note?: string;
}

/** The higher authority approves the pending decision, which then takes effect, or returns it with a note (Art. 13 ¶2). */
export function ApprovalForm({ view, open, onClose }: ActionFormProps) {
  const [form] = Form.useForm<Values>();
  const verdict = Form.useWatch('verdict', form) as Values['verdict'] | undefined;
  const pending = view.decisions.find((d) => d.current && d.approvalState === 'pending');
  return (
    <CommandDrawer
      caseId={view.id}
      action="approveDecision"
      title="审批处理决定"
      open={open}
      onClose={onClose}
      form={form}
      initialValues={{ verdict: 'approve' }}
      successText={verdict === 'return' ? '已退回处理决定' : '已审批同意，处理决定生效'}
      onSubmit={(values) => postCommand(view.id, 'approveDecision', view.version, { approve: values.verdict === 'approve', ...(values.note ? { note: values.note } : {}) })}
      intro={
        <>
          <PackQuote policyId={view.policy.id} number="第十三条" paragraph={2} />
          {pending && <DecisionCard decision={pending} highlight />}
        </>
      }
    >
      <Form.Item label="审批结果" name="verdict" rules={[{ required: true }]}>
        <Radio.Group
          aria-label="审批结果"
          optionType="button"
          options={[
            { value: 'approve', label: '同意' },
            { value: 'return', label: '退回' },
          ]}
        />
      </Form.Item>
      <Form.Item label="审批意见" name="note" rules={[{ required: verdict === 'return', whitespace: true, message: '退回决定应当写明理由' }, { max: 5000 }]}>
        <Input.TextArea rows={4} placeholder={verdict === 'return' ? '请写明退回理由及需要重新研究的问题' : '可选'} />
      </Form.Item>
    </CommandDrawer>
  );
}
