import { Form, Input } from 'antd';
import { CommandDrawer } from '../CommandDrawer';
import { postCommand } from '../commands';
import { PackQuote } from '../PackQuote';
import type { ActionFormProps } from './types';

/** A written tolerance application (书面容错申请, Art. 11 ¶2), accepted until the decision; each one is answered. */
export function ApplicationForm({ view, open, onClose }: ActionFormProps) {
  const [form] = Form.useForm<{ content: string }>();
  return (
    <CommandDrawer
      caseId={view.id}
      action="submitApplication"
      title="容错申请"
      open={open}
      onClose={onClose}
      form={form}
      successText="容错申请已提交，将在容错意见中逐一答复"
      onSubmit={(values) => postCommand(view.id, 'submitApplication', view.version, values)}
      intro={<PackQuote policyId={view.policy.id} number="第十一条" paragraph={2} />}
    >
      <Form.Item label="书面容错申请" name="content" rules={[{ required: true, whitespace: true, message: '容错申请应当以书面形式提出，请填写申请内容' }]}>
        <Input.TextArea rows={12} placeholder="请写明认为符合容错条件的情形、理由和依据" />
      </Form.Item>
    </CommandDrawer>
  );
}
