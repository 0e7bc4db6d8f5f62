import { Form, Switch } from 'antd';
import { CommandDrawer } from '../CommandDrawer';
import { postCommand } from '../commands';
import { PackQuote } from '../PackQuote';
import type { ActionFormProps } from './types';

/** Marks the case as involving a professional or technical question (Art. 12 ¶2): experts must then be heard (R3). */
export function ProfessionalForm({ view, open, onClose }: ActionFormProps) {
  const [form] = Form.useForm<{ professional: boolean }>();
  return (
    <CommandDrawer
      caseId={view.id}
      action="markProfessional"
      title="专业性技术性问题"
      modal
      open={open}
      onClose={onClose}
      form={form}
      initialValues={{ professional: !view.professional }}
      successText="已更新"
      onSubmit={(values) => postCommand(view.id, 'markProfessional', view.version, { professional: Boolean(values.professional) })}
      intro={<PackQuote policyId={view.policy.id} number="第十二条" paragraph={2} />}
    >
      <Form.Item label="涉及专业性或者技术性问题" name="professional" valuePropName="checked" extra="标记后，集体研究前应当听取专家意见。">
        <Switch checkedChildren="涉及" unCheckedChildren="不涉及" />
      </Form.Item>
    </CommandDrawer>
  );
}
