import { Card, Descriptions, Empty, Space, Tag, Typography } from 'antd';
import type { CaseView } from '../../../api/types';
import { formatDate, formatTime, label, OUTCOME_COLORS, OUTCOME_LABELS } from '../../../labels';
import { memberNamer, shortName } from '../people';
import { useParticipants } from '../queries';
import { Prose } from './Prose';

/** The minutes of each collective deliberation (Art. 13), newest first. */
export function DeliberationsTab({ view }: { view: CaseView }) {
  const participants = useParticipants(view.id, view.deliberations.length > 0);
  const nameOf = memberNamer(participants.data?.data);
  if (view.deliberations.length === 0) return <Empty description="尚未集体研究" image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  const applicationNumber = new Map(view.applications.map((a, i) => [a.id, i + 1]));
  const recommendation = view.assessment?.output.recommendation;
  return (
    <>
      {[...view.deliberations].reverse().map((d) => (
        <Card
          key={d.id}
          size="small"
          style={{ marginBottom: 16 }}
          data-testid="deliberation"
          title={
            <Space wrap>
              <span>{formatDate(d.heldOn)} 集体研究</span>
              <Tag>
                到会 {d.membersPresent.length} / {d.memberCount} 人
              </Tag>
              <Tag color={OUTCOME_COLORS[d.proposedOutcome]}>{label(OUTCOME_LABELS, d.proposedOutcome)}</Tag>
              {d.departureReason && <Tag color="orange">与研判建议不一致</Tag>}
            </Space>
          }
          extra={<Typography.Text type="secondary">记录于 {formatTime(d.recordedAt)}</Typography.Text>}
        >
          <Descriptions
            size="small"
            column={1}
            styles={{ label: { width: 150 } }}
            items={[
              {
                key: 'present',
                label: '到会成员',
                children: (
                  <div style={{ display: 'flex', flexWrap: 'wrap', rowGap: 4 }} data-testid="deliberation-members">
                    {d.membersPresent.map((id, i) => (
                      <Tag key={id}>{shortName(nameOf(id, i))}</Tag>
                    ))}
                  </div>
                ),
              },
              {
                key: 'opinions',
                label: '成员意见',
                children: (
                  <div>
                    {d.memberOpinions.map((o, i) => (
                      <div key={o.memberId} style={{ marginBottom: 4 }}>
                        <Typography.Text strong>{shortName(nameOf(o.memberId, d.membersPresent.includes(o.memberId) ? d.membersPresent.indexOf(o.memberId) : i))}</Typography.Text>
                        <Tag color={OUTCOME_COLORS[o.opinion]} style={{ marginInline: 8 }}>
                          {label(OUTCOME_LABELS, o.opinion)}
                        </Tag>
                        {o.comment}
                      </div>
                    ))}
                  </div>
                ),
              },
              { key: 'accountability', label: '问责追责意见', children: <Prose>{d.accountabilityOpinion}</Prose> },
              { key: 'tolerance', label: '容错意见', children: <Prose>{d.toleranceOpinion}</Prose> },
              ...(d.applicationAnswers.length > 0
                ? [
                    {
                      key: 'answers',
                      label: '对容错申请的答复',
                      children: (
                        <div>
                          {d.applicationAnswers.map((a) => (
                            <div key={a.applicationId} style={{ marginBottom: 4, whiteSpace: 'pre-wrap' }}>
                              <Typography.Text strong>申请 {applicationNumber.get(a.applicationId) ?? ''}：</Typography.Text>
                              {a.answer}
                            </div>
                          ))}
                        </div>
                      ),
                    },
                  ]
                : []),
              ...(d.departureReason
                ? [{ key: 'departure', label: '与研判建议不一致的理由', children: <Typography.Text type="warning">{`研判建议“${label(OUTCOME_LABELS, recommendation)}”。${d.departureReason}`}</Typography.Text> }]
                : []),
            ]}
          />
        </Card>
      ))}
    </>
  );
}
