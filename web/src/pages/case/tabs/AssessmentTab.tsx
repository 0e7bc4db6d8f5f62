import { Card, Col, Descriptions, Empty, Row, Spin, Tag, Typography } from 'antd';
import type { AssessmentInput, CaseView } from '../../../api/types';
import { formatTime } from '../../../labels';
import { factorTitle, valueLabel } from '../assessment/pack-names';
import { RecommendationView } from '../assessment/RecommendationView';
import { usePolicyPack } from '../queries';
import { Prose } from './Prose';

/** The recorded assessment, read-only: what was established and the engine's output as snapshotted then. */
export function AssessmentTab({ view }: { view: CaseView }) {
  const pack = usePolicyPack(view.assessment?.policy.id ?? view.policy.id);
  const assessment = view.assessment;
  if (!assessment) return <Empty description="尚未记录容错研判" image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  if (!pack.data) return <Spin />;
  const p = pack.data.data;
  const input = assessment.input as Partial<AssessmentInput>;
  const exclusionText = (v: boolean | null | undefined) => (v === true ? <Tag color="red">是</Tag> : v === false ? <Tag color="green">否</Tag> : <Tag>未认定</Tag>);
  return (
    <Row gutter={16}>
      <Col xs={24} xl={13}>
        <Card size="small" title={`${p.nouns.situation}`} style={{ marginBottom: 12 }}>
          {(input.situations ?? []).length === 0 ? (
            <Typography.Text type="secondary">未认定任何情形</Typography.Text>
          ) : (
            p.situations
              .filter((s) => input.situations?.includes(s.id))
              .map((s) => (
                <div key={s.id} style={{ marginBottom: 4 }}>
                  <Tag>{s.article}</Tag>
                  {s.text}
                </div>
              ))
          )}
        </Card>
        <Card size="small" title={p.nouns.exclusion} style={{ marginBottom: 12 }}>
          {p.exclusions.map((e) => (
            <div key={e.id} style={{ marginBottom: 4 }}>
              {exclusionText(input.exclusions?.[e.id])}
              <Tag>{e.article}</Tag>
              {e.text}
            </div>
          ))}
        </Card>
        <Card size="small" title={p.nouns.factor} style={{ marginBottom: 12 }}>
          <Descriptions
            size="small"
            column={1}
            styles={{ label: { width: 140 } }}
            items={p.dimensions.map((d) => ({
              key: d.id,
              label: d.name,
              children: (
                <div>
                  {p.factors
                .filter((f) => f.dimension === d.id)
                .map((f) => {
                  const chosen = f.values.find((v) => v.id === input.factors?.[f.id]);
                  return (
                    <div key={f.id}>
                      {chosen ? (
                        <span>
                          {valueLabel(chosen) === chosen.words ? `“${chosen.words}”` : `${factorTitle(f)}：否`}
                          {chosen.pole === 'unfavourable' && (
                            <Tag color={chosen.decisive ? 'red' : 'orange'} style={{ marginInlineStart: 6 }}>
                              {chosen.decisive ? '决定性不利因素' : '不利因素'}
                            </Tag>
                          )}
                        </span>
                      ) : (
                        <Typography.Text type="secondary">未认定：{factorTitle(f)}</Typography.Text>
                      )}
                    </div>
                  );
                })}
                </div>
              ),
            }))}
          />
        </Card>
        <Card size="small" title="研判说明">
          <Prose>{assessment.note}</Prose>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            记录于 {formatTime(assessment.recordedAt)}
          </Typography.Text>
        </Card>
      </Col>
      <Col xs={24} xl={11}>
        <Card size="small" title="政策引擎研判建议（记录时存档）">
          <RecommendationView pack={p} result={assessment.output} testId="recorded-recommendation" />
        </Card>
      </Col>
    </Row>
  );
}
