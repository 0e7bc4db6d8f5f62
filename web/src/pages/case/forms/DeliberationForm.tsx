import { Card, Checkbox, Col, DatePicker, Form, Input, Radio, Row, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { APPLICANT_KIND_LABELS, formatTime, label, OUTCOME_LABELS } from '../../../labels';
import { RecommendationSummary } from '../assessment/RecommendationSummary';
import { CommandDrawer } from '../CommandDrawer';
import { postCommand } from '../commands';
import { PackQuote } from '../PackQuote';
import { shortName } from '../people';
import { useParticipants } from '../queries';
import type { ActionFormProps } from './types';

interface Values {
  heldOn: Dayjs;
  membersPresent: string[];
  opinions?: Record<string, { opinion?: string; comment?: string }>;
  accountabilityOpinion: string;
  toleranceOpinion: string;
  proposedOutcome: string;
  answers?: Record<string, string>;
  departureReason?: string;
}

const OUTCOME_OPTIONS = ['exempt', 'reduced', 'not_tolerated'].map((value) => ({ value, label: OUTCOME_LABELS[value] ?? value }));

/**
 * The minutes of the collective deliberation (Art. 13): who attended and what each said, the accountability and
 * tolerance opinions, an answer to every written application, and the proposed outcome — with the reason when
 * it departs from the recommendation (R15). Whether the meeting had a quorum is the server's call.
 */
export function DeliberationForm({ view, open, onClose }: ActionFormProps) {
  const [form] = Form.useForm<Values>();
  const participants = useParticipants(view.id, true);
  const members = participants.data?.data.members ?? [];
  const present = (Form.useWatch('membersPresent', form) as string[] | undefined) ?? [];
  const proposed = Form.useWatch('proposedOutcome', form) as string | undefined;
  const recommendation = view.assessment?.output.recommendation;
  const departs = Boolean(recommendation && proposed && proposed !== recommendation);

  const submit = (values: Values) =>
    postCommand(view.id, 'recordDeliberation', view.version, {
      heldOn: values.heldOn.format('YYYY-MM-DD'),
      membersPresent: values.membersPresent,
      memberOpinions: values.membersPresent.map((memberId) => ({
        memberId,
        opinion: values.opinions?.[memberId]?.opinion,
        comment: values.opinions?.[memberId]?.comment ?? '',
      })),
      accountabilityOpinion: values.accountabilityOpinion,
      toleranceOpinion: values.toleranceOpinion,
      proposedOutcome: values.proposedOutcome,
      applicationAnswers: view.applications.map((a) => ({ applicationId: a.id, answer: values.answers?.[a.id] ?? '' })),
      departureReason: departs ? values.departureReason : null,
    });

  return (
    <CommandDrawer
      caseId={view.id}
      action="recordDeliberation"
      title="集体研究"
      size={820}
      open={open}
      onClose={onClose}
      form={form}
      initialValues={{ heldOn: dayjs(), membersPresent: [], proposedOutcome: recommendation }}
      successText="集体研究已记录"
      submitText="记录集体研究"
      onSubmit={submit}
      intro={
        <>
          <PackQuote policyId={view.policy.id} number="第十三条" paragraph={1} />
          <RecommendationSummary view={view} />
        </>
      }
    >
      <Form.Item label="会议日期" name="heldOn" rules={[{ required: true, message: '请选择会议日期' }]}>
        <DatePicker style={{ width: 200 }} />
      </Form.Item>
      <Form.Item
        label="到会成员"
        name="membersPresent"
        rules={[{ required: true, type: 'array', min: 1, message: '请选择到会成员' }]}
        extra={`本机关集体研究成员 ${members.length} 人，已选到会 ${present.length} 人。`}
      >
        <Checkbox.Group aria-label="到会成员" options={members.map((m) => ({ value: m.id, label: m.displayName }))} style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }} />
      </Form.Item>

      {present.length > 0 && (
        <Card size="small" title="到会成员意见" style={{ marginBottom: 16 }}>
          {members
            .filter((m) => present.includes(m.id))
            .map((m) => {
              const name = shortName(m.displayName);
              return (
                <Row key={m.id} gutter={12} align="top">
                  <Col flex="0 0 300px">
                    <Form.Item label={`${name}的意见`} name={['opinions', m.id, 'opinion']} rules={[{ required: true, message: `请记录${name}的意见` }]}>
                      <Radio.Group aria-label={`${name}的意见`} optionType="button" size="small" options={OUTCOME_OPTIONS} />
                    </Form.Item>
                  </Col>
                  <Col flex="1 1 0">
                    <Form.Item label={`${name}的发言要点`} name={['opinions', m.id, 'comment']} rules={[{ max: 5000 }]}>
                      <Input />
                    </Form.Item>
                  </Col>
                </Row>
              );
            })}
        </Card>
      )}

      <Form.Item label="问责追责意见" name="accountabilityOpinion" rules={[{ required: true, whitespace: true, message: '请填写问责追责意见' }]}>
        <Input.TextArea rows={4} />
      </Form.Item>
      <Form.Item
        label="容错意见"
        name="toleranceOpinion"
        rules={[{ required: true, whitespace: true, message: '请填写容错意见；不符合容错条件的，也应当写明理由' }]}
        extra="对是否符合容错条件提出意见；不适用容错的，也应当写明理由。"
      >
        <Input.TextArea rows={4} />
      </Form.Item>

      {view.applications.length > 0 && (
        <Card size="small" title={`答复书面容错申请（${view.applications.length} 份）`} style={{ marginBottom: 16 }}>
          {view.applications.map((a, i) => {
            const who = label(APPLICANT_KIND_LABELS, a.applicantKind);
            return (
              <div key={a.id} style={{ marginBottom: 12 }}>
                <Typography.Text type="secondary">
                  申请 {i + 1}：{who}，{formatTime(a.submittedAt)}
                </Typography.Text>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', background: '#fafafa', padding: 8, margin: '4px 0 8px' }}>{a.content}</Typography.Paragraph>
                <Form.Item label={`对申请 ${i + 1}（${who}）的答复`} name={['answers', a.id]} rules={[{ required: true, whitespace: true, message: '容错意见应当逐一答复容错申请' }]}>
                  <Input.TextArea rows={3} />
                </Form.Item>
              </div>
            );
          })}
        </Card>
      )}

      <Form.Item label="集体研究提出的处理意见" name="proposedOutcome" rules={[{ required: true, message: '请选择处理意见' }]}>
        <Radio.Group aria-label="集体研究提出的处理意见" optionType="button" options={OUTCOME_OPTIONS} />
      </Form.Item>
      {departs && (
        <Form.Item
          label="与研判建议不一致的理由"
          name="departureReason"
          rules={[{ required: true, whitespace: true, message: '处理意见与研判建议不一致的，应当写明理由' }]}
          extra={`研判建议为“${label(OUTCOME_LABELS, recommendation)}”。偏离研判建议的情况将向监督检查部门公开（第二十条）。`}
        >
          <Input.TextArea rows={3} />
        </Form.Item>
      )}
    </CommandDrawer>
  );
}
