import { Form, Typography } from 'antd';
import { CommandDrawer } from '../CommandDrawer';
import { postCommand } from '../commands';
import { PackQuote } from '../PackQuote';
import type { ActionFormProps } from './types';

/** Closing the case seals its file (content hashes of the decision, the reasons and the evidence, Art. 14). */
export function CloseForm({ view, open, onClose }: ActionFormProps) {
  const [form] = Form.useForm();
  return (
    <CommandDrawer
      caseId={view.id}
      action="close"
      title="结案"
      modal
      open={open}
      onClose={onClose}
      form={form}
      successText="已结案，案卷已封存"
      submitText="确认结案"
      onSubmit={() => postCommand(view.id, 'close', view.version)}
      intro={<PackQuote policyId={view.policy.id} number="第十四条" paragraph={2} />}
    >
      <Typography.Paragraph>结案后，处理决定、容错理由和容错依据及证据材料一并归入问责追责案卷封存，不再修改。确认结案？</Typography.Paragraph>
    </CommandDrawer>
  );
}
