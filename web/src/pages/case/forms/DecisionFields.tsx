import { Checkbox, Form, Input, Radio, type FormInstance } from 'antd';
import { useEffect } from 'react';
import { label, MEASURE_LABELS, OUTCOME_LABELS, REDUCTION_LABELS } from '../../../labels';

/** Art. 13(1): an exempt official may at most be criticised and educated or ordered to examine themselves. */
const MEASURES_WITH_EXEMPTION = ['criticism-education', 'ordered-self-examination'];

export const measuresFor = (outcome: string | undefined) => (outcome === 'exempt' ? MEASURES_WITH_EXEMPTION : Object.keys(MEASURE_LABELS));

export interface DecisionValues {
  outcome: string;
  reduction?: string;
  measures?: string[];
  measureDetails?: string;
  toleranceOpinion: string;
  toleranceReasons?: string;
  departureReason?: string;
}

/** The decision's fields as the API takes them: what is not shown for the outcome is not sent. */
export function toDecisionBody(values: DecisionValues, recommendation: string | undefined) {
  const tolerated = values.outcome === 'exempt' || values.outcome === 'reduced';
  return {
    outcome: values.outcome,
    reduction: values.outcome === 'reduced' ? (values.reduction ?? null) : null,
    measures: (values.measures ?? []).filter((m) => measuresFor(values.outcome).includes(m)),
    measureDetails: values.measureDetails ?? '',
    toleranceOpinion: values.toleranceOpinion ?? '',
    toleranceReasons: tolerated ? (values.toleranceReasons ?? '') : '',
    departureReason: recommendation && values.outcome !== recommendation ? (values.departureReason ?? '') : null,
  };
}

interface Props {
  form: FormInstance;
  /** Where the fields sit in the form, e.g. ['change'] for an appeal that changes the decision. */
  prefix?: string[];
  /** The engine's recommendation: an outcome that departs from it needs a reason (R15). */
  recommendation: string | undefined;
}

/**
 * A decision: outcome (Art. 13), 从轻/减轻 for a reduced one, the measures the outcome allows, the tolerance
 * opinion merged into the decision (Art. 14 ¶1), the separate reasons and basis for tolerance (Art. 14 ¶2), and
 * the reason for departing from the recommendation.
 */
export function DecisionFields({ form, prefix = [], recommendation }: Props) {
  const path = (name: string) => [...prefix, name];
  const outcome = Form.useWatch(path('outcome'), form) as string | undefined;
  const allowed = measuresFor(outcome);
  const tolerated = outcome === 'exempt' || outcome === 'reduced';
  const departs = Boolean(recommendation && outcome && outcome !== recommendation);

  // A measure the new outcome does not allow must not stay ticked where the user can no longer see it.
  const prefixKey = prefix.join('.');
  useEffect(() => {
    const name = [...(prefixKey ? prefixKey.split('.') : []), 'measures'];
    const measures = (form.getFieldValue(name) as string[] | undefined) ?? [];
    const kept = measures.filter((m) => measuresFor(outcome).includes(m));
    if (kept.length !== measures.length) form.setFieldValue(name, kept);
  }, [form, outcome, prefixKey]);

  return (
    <>
      <Form.Item label="处理结果" name={path('outcome')} rules={[{ required: true, message: '请选择处理结果' }]}>
        <Radio.Group aria-label="处理结果" optionType="button" options={['exempt', 'reduced', 'not_tolerated'].map((value) => ({ value, label: OUTCOME_LABELS[value] ?? value }))} />
      </Form.Item>
      {outcome === 'reduced' && (
        <Form.Item label="从轻或者减轻" name={path('reduction')} rules={[{ required: true, message: '容错减责的，应当写明从轻或者减轻' }]}>
          <Radio.Group aria-label="从轻或者减轻" options={Object.entries(REDUCTION_LABELS).map(([value, text]) => ({ value, label: `${text}问责追责` }))} />
        </Form.Item>
      )}
      <Form.Item
        label="处理方式"
        name={path('measures')}
        extra={outcome === 'exempt' ? '容错免责的，不予或者免予问责追责，可以视情况予以批评教育、责令检查（第十三条第（一）项）。' : undefined}
      >
        <Checkbox.Group aria-label="处理方式" options={allowed.map((m) => ({ value: m, label: MEASURE_LABELS[m] ?? m }))} />
      </Form.Item>
      <Form.Item label="处理方式说明" name={path('measureDetails')} rules={[{ max: 5000 }]}>
        <Input.TextArea rows={2} />
      </Form.Item>
      <Form.Item
        label="容错意见"
        name={path('toleranceOpinion')}
        rules={[{ required: true, whitespace: true, message: '容错意见应当并入处理决定，不能为空' }]}
        extra="并入问责追责处理决定，不再单独制作（第十四条第一款）。"
      >
        <Input.TextArea rows={4} />
      </Form.Item>
      {tolerated && (
        <Form.Item
          label="容错理由和容错依据"
          name={path('toleranceReasons')}
          rules={[{ required: true, whitespace: true, message: '容错免责或者减责的，应当写明容错理由和容错依据' }]}
          extra="单独形成书面材料，与有关证据材料一并归入问责追责案卷（第十四条第二款）。"
        >
          <Input.TextArea rows={4} />
        </Form.Item>
      )}
      {departs && (
        <Form.Item
          label="与研判建议不一致的理由"
          name={path('departureReason')}
          rules={[{ required: true, whitespace: true, message: '处理结果与研判建议不一致的，应当写明理由' }]}
          extra={`研判建议为“${label(OUTCOME_LABELS, recommendation)}”。`}
        >
          <Input.TextArea rows={3} />
        </Form.Item>
      )}
    </>
  );
}
