import { InfoCircleOutlined } from '@ant-design/icons';
import { Card, Checkbox, Form, Radio, Tag, Tooltip, Typography } from 'antd';
import type { PolicyFactor, PolicyPack } from '../../../api/types';
import { UNKNOWN } from './form-values';
import { factorTitle, valueLabel } from './pack-names';

const EXCLUSION_OPTIONS = [
  { value: 'true', label: '是' },
  { value: 'false', label: '否' },
  { value: 'unknown', label: '未认定' },
];

function Article({ children }: { children: string }) {
  return (
    <Tag color="default" style={{ marginInlineEnd: 6 }}>
      {children}
    </Tag>
  );
}

/** One Art. 9 factor: its values in the original words, decisive ones marked, the pack's guidance beside them. */
function FactorField({ factor, dimension }: { factor: PolicyFactor; dimension: string }) {
  const title = factorTitle(factor);
  const guided = factor.values.filter((v) => v.guidance);
  return (
    <Form.Item
      name={['factors', factor.id]}
      label={
        <span>
          {title}
          <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 8 }}>
            {factor.article}
          </Typography.Text>
        </span>
      }
      extra={
        guided.length > 0
          ? guided.map((v) => (
              <div key={v.id} style={{ marginTop: 4 }}>
                <InfoCircleOutlined /> 研判指引（“{v.words}”）：{v.guidance}
              </div>
            ))
          : undefined
      }
      style={{ marginBottom: 16 }}
    >
      <Radio.Group
        aria-label={`${dimension}：${title}`}
        style={{ display: 'flex', flexWrap: 'wrap', rowGap: 4 }}
        options={[
          ...factor.values.map((v) => ({
            value: v.id,
            label: (
              <span>
                {valueLabel(v)}
                {v.decisive && (
                  <Tooltip title={v.basis ? `决定性因素，依据${v.basis.article}：“${v.basis.text}”` : '决定性因素'}>
                    <Tag color="red" style={{ marginInlineStart: 6 }}>
                      决定性
                    </Tag>
                  </Tooltip>
                )}
              </span>
            ),
          })),
          { value: UNKNOWN, label: <Typography.Text type="secondary">未认定</Typography.Text> },
        ]}
      />
    </Form.Item>
  );
}

/**
 * The Art. 8–10 assessment, rendered from the policy pack: the situations with their articles and original words,
 * the exclusions each established 是/否 or left 未认定, and the factors grouped by dimension.
 */
export function AssessmentFields({ pack }: { pack: PolicyPack }) {
  return (
    <>
      <Card size="small" title={`${pack.nouns.situation}（可多选）`} style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {pack.guidance.situations?.article}：“{pack.guidance.situations?.text}”
        </Typography.Paragraph>
        <Form.Item name="situations" style={{ marginBottom: 0 }}>
          <Checkbox.Group aria-label={pack.nouns.situation} style={{ display: 'flex', flexDirection: 'column', gap: 10 }}>
            {pack.situations.map((s) => (
              <Checkbox key={s.id} value={s.id}>
                <Article>{s.article}</Article>
                {s.text}
              </Checkbox>
            ))}
          </Checkbox.Group>
        </Form.Item>
      </Card>

      <Card size="small" title={`${pack.nouns.exclusion}（逐项认定）`} style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {pack.guidance.exclusions?.article}：“{pack.guidance.exclusions?.text}”
        </Typography.Paragraph>
        {pack.exclusions.map((e) => (
          <Form.Item
            key={e.id}
            name={['exclusions', e.id]}
            label={
              <span>
                <Article>{e.article}</Article>
                {e.text}
              </span>
            }
            style={{ marginBottom: 12 }}
          >
            <Radio.Group aria-label={`${e.article} ${e.text}`} optionType="button" options={EXCLUSION_OPTIONS} />
          </Form.Item>
        ))}
      </Card>

      {pack.dimensions.map((d) => (
        <Card
          key={d.id}
          size="small"
          title={
            <span>
              {pack.nouns.factor} · {d.name}
              <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 8, fontWeight: 'normal' }}>
                {d.article}
              </Typography.Text>
            </span>
          }
          style={{ marginBottom: 16 }}
        >
          {pack.factors
            .filter((f) => f.dimension === d.id)
            .map((f) => (
              <FactorField key={f.id} factor={f} dimension={d.name} />
            ))}
        </Card>
      ))}
    </>
  );
}
