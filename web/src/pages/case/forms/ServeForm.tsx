import { Form, Input } from 'antd';
import { CommandDrawer } from '../CommandDrawer';
import { postCommand } from '../commands';
import { PackQuote } from '../PackQuote';
import { DecisionCard } from '../tabs/DecisionCard';
import type { ActionFormProps } from './types';

interface Values {
  explanationToOfficial: string;
  explanationToPartyOrg: string;
}

/** Announcement and service (Art. 15): the tolerance outcome explained to the official and to their party organization. */
export function ServeForm({ view, open, onClose }: ActionFormProps) {
  const [form] = Form.useForm<Values>();
  const current = view.decisions.find((d) => d.current);
  return (
    <CommandDrawer
      caseId={view.id}
      action="serve"
      title="宣布送达并说明容错情况"
      open={open}
      onClose={onClose}
      form={form}
      successText="已宣布送达，处理决定已归入人事档案和廉政档案"
      submitText="确认送达"
      onSubmit={(values) => postCommand(view.id, 'serve', view.version, values)}
      intro={
        <>
          <PackQuote policyId={view.policy.id} number="第十五条" />
          {current && <DecisionCard decision={current} highlight />}
        </>
      }
    >
      <Form.Item label="向干部本人说明容错情况" name="explanationToOfficial" rules={[{ required: true, whitespace: true, message: '应当向被问责追责干部说明容错情况' }]}>
        <Input.TextArea rows={5} />
      </Form.Item>
      <Form.Item label="向所在党组织说明容错情况" name="explanationToPartyOrg" rules={[{ required: true, whitespace: true, message: '应当向被问责追责干部所在党组织说明容错情况' }]}>
        <Input.TextArea rows={5} />
      </Form.Item>
    </CommandDrawer>
  );
}
