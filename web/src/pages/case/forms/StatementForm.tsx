import { Form, Input } from 'antd';
import { CommandDrawer } from '../CommandDrawer';
import { postCommand } from '../commands';
import { PackQuote } from '../PackQuote';
import type { ActionFormProps } from './types';

/** The official's own statement (陈述申辩, Art. 12): the deliberation cannot take place before it is on file (R3). */
export function StatementForm({ view, open, onClose }: ActionFormProps) {
  const [form] = Form.useForm<{ content: string }>();
  return (
    <CommandDrawer
      caseId={view.id}
      action="recordStatement"
      title="陈述申辩"
      open={open}
      onClose={onClose}
      form={form}
      successText="陈述申辩已提交"
      onSubmit={(values) => postCommand(view.id, 'recordStatement', view.version, values)}
      intro={<PackQuote policyId={view.policy.id} number="第十二条" paragraph={1} />}
    >
      <Form.Item label="陈述申辩内容" name="content" rules={[{ required: true, whitespace: true, message: '请填写陈述申辩内容' }]}>
        <Input.TextArea rows={12} placeholder="请如实陈述事情经过、本人的考虑及意见" />
      </Form.Item>
    </CommandDrawer>
  );
}
