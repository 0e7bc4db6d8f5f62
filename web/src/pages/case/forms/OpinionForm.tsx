import { Form, Input, Radio } from 'antd';
import { OPINION_KIND_LABELS } from '../../../labels';
import { CommandDrawer } from '../CommandDrawer';
import { postCommand } from '../commands';
import { PackQuote } from '../PackQuote';
import type { ActionFormProps } from './types';

interface Values {
  kind: string;
  source: string;
  content: string;
}

/** Opinions heard from the official, the units concerned, interested parties and society (Art. 12); experts give theirs themselves. */
const KINDS = ['unit', 'interested-party', 'society', 'statement'];

export function OpinionForm({ view, open, onClose }: ActionFormProps) {
  const [form] = Form.useForm<Values>();
  return (
    <CommandDrawer
      caseId={view.id}
      action="recordOpinion"
      title="听取意见"
      open={open}
      onClose={onClose}
      form={form}
      initialValues={{ kind: 'unit' }}
      successText="已记录听取的意见"
      onSubmit={(values) => postCommand(view.id, 'recordOpinion', view.version, values)}
      intro={<PackQuote policyId={view.policy.id} number="第十二条" paragraph={1} />}
    >
      <Form.Item label="意见类别" name="kind" rules={[{ required: true, message: '请选择意见类别' }]}>
        <Radio.Group optionType="button" aria-label="意见类别" options={KINDS.map((k) => ({ value: k, label: OPINION_KIND_LABELS[k] ?? k }))} />
      </Form.Item>
      <Form.Item label="意见来源" name="source" rules={[{ required: true, whitespace: true, message: '请填写提出意见的单位或者人员' }, { max: 200 }]}>
        <Input placeholder="如：东城区城市管理委员会" />
      </Form.Item>
      <Form.Item label="意见内容" name="content" rules={[{ required: true, whitespace: true, message: '请填写意见内容' }]}>
        <Input.TextArea rows={8} />
      </Form.Item>
    </CommandDrawer>
  );
}
