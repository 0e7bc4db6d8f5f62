import { ExclamationCircleFilled, LockFilled } from '@ant-design/icons';
import { Alert, Collapse, Space, Spin, Tag, Typography } from 'antd';
import type { AssessmentResult, PolicyPack, TraceEntry } from '../../../api/types';
import { label, OUTCOME_COLORS, OUTCOME_LABELS } from '../../../labels';
import { bindingSteps, findFactor, missingName, subjectName } from './pack-names';

interface Props {
  pack: PolicyPack;
  result: AssessmentResult | undefined;
  loading?: boolean;
  error?: string;
  testId?: string;
}

const BINDING_EFFECTS = new Set(['not_tolerated', 'not_eligible']);

/** One step of the engine's reasoning: what it concluded, in plain Chinese, and the article's own words. */
function TraceItem({ pack, entry }: { pack: PolicyPack; entry: TraceEntry }) {
  return (
    <div style={{ padding: '8px 0', borderBottom: '1px dashed #f0f0f0' }}>
      <Typography.Text>{entry.note}</Typography.Text>
      {entry.subject && findFactor(pack, entry.subject) && (
        <div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            涉及：{subjectName(pack, entry.subject, entry.value)}
          </Typography.Text>
        </div>
      )}
      <div>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          <Typography.Text strong style={{ fontSize: 12 }}>
            {entry.article}
          </Typography.Text>
          ：“{entry.text}”
        </Typography.Text>
      </div>
    </div>
  );
}

/**
 * The engine's recommendation with its reasons: the outcome, the binding steps apart in red (the deliberation
 * cannot change them), every step with its article and original words, warnings, and what is still unknown.
 * Used live beside the assessment form and for the recorded (snapshotted) assessment.
 */
export function RecommendationView({ pack, result, loading, error, testId }: Props) {
  if (error) return <Alert type="error" showIcon title={error} />;
  if (!result) return <Spin description="正在研判…" />;
  const binding = bindingSteps(pack);
  const isBindingEntry = (e: TraceEntry) => result.binding && binding.includes(e.step) && BINDING_EFFECTS.has(e.effect);
  const bindingEntries = result.trace.filter(isBindingEntry);
  const otherEntries = result.trace.filter((e) => !isBindingEntry(e));
  const outcome = pack.outcomes[result.recommendation];
  const missingExclusions = result.missing.filter((k) => k.startsWith('exclusions.'));
  const missingFactors = result.missing.filter((k) => !k.startsWith('exclusions.'));

  return (
    <div data-testid={testId} aria-live="polite" aria-busy={loading ? true : undefined}>
      <Space align="center" wrap style={{ marginBottom: 8 }}>
        <Typography.Text type="secondary">研判建议</Typography.Text>
        <Tag color={OUTCOME_COLORS[result.recommendation]} style={{ fontSize: 20, lineHeight: '36px', padding: '0 16px', margin: 0 }} data-testid={testId ? `${testId}-outcome` : undefined}>
          {outcome?.label ?? label(OUTCOME_LABELS, result.recommendation)}
        </Tag>
        {loading && <Spin size="small" />}
        <Tag color={result.complete ? 'green' : 'default'}>{result.complete ? '各项均已认定' : `尚有 ${result.missing.length} 项未认定`}</Tag>
      </Space>
      {outcome && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {outcome.article}：“{outcome.text}”
        </Typography.Paragraph>
      )}
      {bindingEntries.length > 0 && (
        <Alert
          type="error"
          icon={<LockFilled />}
          showIcon
          style={{ marginBottom: 12 }}
          title="约束性规定，集体研究不得改变"
          description={bindingEntries.map((entry, i) => (
            <TraceItem key={i} pack={pack} entry={entry} />
          ))}
          data-testid="binding-steps"
        />
      )}
      {result.warnings.map((w) => (
        <Alert key={w.code} type="warning" showIcon icon={<ExclamationCircleFilled />} title={w.message} style={{ marginBottom: 8 }} />
      ))}
      {otherEntries.length > 0 && (
        <>
          <Typography.Title level={5} style={{ marginTop: 8 }}>
            研判依据
          </Typography.Title>
          <div data-testid="assessment-trace">
            {otherEntries.map((entry, i) => (
              <TraceItem key={i} pack={pack} entry={entry} />
            ))}
          </div>
        </>
      )}
      {result.missing.length > 0 && (
        <Collapse
          size="small"
          style={{ marginTop: 12 }}
          defaultActiveKey={missingExclusions.length > 0 ? ['missing'] : []}
          items={[
            {
              key: 'missing',
              label: `尚未认定（${result.missing.length} 项${missingExclusions.length > 0 ? `，其中${pack.nouns.exclusion} ${missingExclusions.length} 项` : ''}）`,
              children: (
                <ul style={{ margin: 0, paddingInlineStart: 20 }} data-testid="assessment-missing">
                  {[...missingExclusions, ...missingFactors].map((key) => (
                    <li key={key}>
                      <Typography.Text type={key.startsWith('exclusions.') ? 'danger' : undefined}>{missingName(pack, key)}</Typography.Text>
                    </li>
                  ))}
                </ul>
              ),
            },
          ]}
        />
      )}
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 12 }}>
        研判建议由政策引擎依据《{result.policy.title}》（{result.policy.version}）给出，供集体研究参考，不代替决定。
      </Typography.Paragraph>
    </div>
  );
}
