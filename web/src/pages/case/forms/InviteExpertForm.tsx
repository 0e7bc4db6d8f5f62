import { Alert, Checkbox, Form, Input, Select } from 'antd';
import { EVIDENCE_KIND_LABELS, label } from '../../../labels';
import { CommandDrawer } from '../CommandDrawer';
import { postCommand } from '../commands';
import { PackQuote } from '../PackQuote';
import { useEvidence, useParticipants } from '../queries';
import type { ActionFormProps } from './types';

interface Values {
  expertId: string;
  question: string;
  evidenceIds: string[];
}

/** Invites an expert on the professional question (Art. 12 ¶2); they will see only the evidence ticked here. */
export function InviteExpertForm({ view, open, onClose }: ActionFormProps) {
  const [form] = Form.useForm<Values>();
  const participants = useParticipants(view.id, true);
  const evidence = useEvidence(view.id);
  const invited = new Set(view.expertInvitations.map((i) => i.expertId));
  const items = evidence.data?.data ?? [];
  return (
    <CommandDrawer
      caseId={view.id}
      action="inviteExpert"
      title="邀请专家"
      open={open}
      onClose={onClose}
      form={form}
      initialValues={{ evidenceIds: [] }}
      successText="已邀请专家"
      onSubmit={(values) => postCommand(view.id, 'inviteExpert', view.version, { ...values, evidenceIds: values.evidenceIds ?? [] })}
      intro={
        <>
          <PackQuote policyId={view.policy.id} number="第十二条" paragraph={2} />
          {!view.professional && <Alert type="info" showIcon title="本案尚未标记为涉及专业性或者技术性问题，请先标记。" style={{ marginBottom: 16 }} />}
        </>
      }
    >
      <Form.Item label="专家" name="expertId" rules={[{ required: true, message: '请选择专家' }]}>
        <Select
          loading={participants.isLoading}
          placeholder="选择专家"
          options={(participants.data?.data.experts ?? []).map((e) => ({ value: e.id, label: invited.has(e.id) ? `${e.displayName}（已邀请）` : e.displayName, disabled: invited.has(e.id) }))}
        />
      </Form.Item>
      <Form.Item label="咨询问题" name="question" rules={[{ required: true, whitespace: true, message: '请填写需要专家回答的问题' }, { max: 5000 }]}>
        <Input.TextArea rows={5} />
      </Form.Item>
      <Form.Item label="向专家提供的证据材料" name="evidenceIds" extra="专家只能看到此处勾选的证据材料。">
        {items.length === 0 ? (
          <span>本案尚无证据材料</span>
        ) : (
          <Checkbox.Group
            style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
            options={items.map((e) => ({ value: e.id, label: `${e.title}（${label(EVIDENCE_KIND_LABELS, e.kind)}，${e.attachments.length} 个附件）` }))}
          />
        )}
      </Form.Item>
    </CommandDrawer>
  );
}
