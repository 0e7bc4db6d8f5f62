import { Form, Input, Typography } from 'antd';
import { useSession } from '../../../auth/session';
import { CommandDrawer } from '../CommandDrawer';
import { postCommand } from '../commands';
import { useEvidence } from '../queries';
import { EvidenceList } from '../tabs/EvidenceList';
import type { ActionFormProps } from './types';

/** The invited expert's opinion, written beside the question they were asked and the materials shared with them. */
export function ExpertOpinionForm({ view, open, onClose }: ActionFormProps) {
  const [form] = Form.useForm<{ content: string }>();
  const session = useSession();
  const evidence = useEvidence(view.id);
  const invitation = view.expertInvitations.find((i) => i.expertId === session.data?.id) ?? view.expertInvitations[0];
  return (
    <CommandDrawer
      caseId={view.id}
      action="recordExpertOpinion"
      title="提出专家意见"
      open={open}
      onClose={onClose}
      form={form}
      successText="专家意见已提交"
      onSubmit={(values) => postCommand(view.id, 'recordExpertOpinion', view.version, values)}
      intro={
        <>
          <Typography.Title level={5}>咨询问题</Typography.Title>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{invitation?.question ?? '—'}</Typography.Paragraph>
          <Typography.Title level={5}>提供的材料</Typography.Title>
          <EvidenceList caseId={view.id} items={evidence.data?.data ?? []} loading={evidence.isLoading} compact />
        </>
      }
    >
      <Form.Item label="专家意见" name="content" rules={[{ required: true, whitespace: true, message: '请填写专家意见' }]}>
        <Input.TextArea rows={10} />
      </Form.Item>
    </CommandDrawer>
  );
}
