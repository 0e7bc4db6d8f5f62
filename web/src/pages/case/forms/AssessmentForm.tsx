import { Alert, Card, Col, Form, Input, Row, Spin } from 'antd';
import { useEffect, useMemo } from 'react';
import { ApiError } from '../../../api/client';
import type { AssessmentInput } from '../../../api/types';
import { AssessmentFields } from '../assessment/AssessmentFields';
import { OfficialHistory } from '../assessment/OfficialHistory';
import { toEngineInput, toFormValues, type AssessmentFormValues } from '../assessment/form-values';
import { RecommendationView } from '../assessment/RecommendationView';
import { useLiveAssessment } from '../assessment/use-live-assessment';
import { CommandDrawer } from '../CommandDrawer';
import { postCommand } from '../commands';
import { usePolicyPack } from '../queries';
import type { ActionFormProps } from './types';

/**
 * The Art. 8–10 assessment, rendered from the case's policy pack and prefilled from the current assessment.
 * The engine's recommendation is shown live beside the form; recording it snapshots the engine's output.
 */
export function AssessmentForm({ view, open, onClose }: ActionFormProps) {
  const [form] = Form.useForm<AssessmentFormValues>();
  const packQuery = usePolicyPack(view.policy.id);
  const pack = packQuery.data?.data;
  const initialValues = useMemo(() => (pack ? { ...toFormValues(pack, view.assessment?.input as Partial<AssessmentInput> | undefined), note: view.assessment?.note ?? '' } : undefined), [pack, view.assessment]);
  // The pack may arrive after the drawer opened: start from the current assessment once it is here.
  useEffect(() => {
    if (initialValues && !form.isFieldsTouched()) form.setFieldsValue(initialValues);
  }, [form, initialValues]);
  const watched = Form.useWatch([], { form, preserve: true }) as Partial<AssessmentFormValues> | undefined;
  // Until the form has mounted, ask about the values it starts with.
  const engineInput = pack ? toEngineInput(pack, watched && Object.keys(watched).length > 0 ? watched : initialValues) : undefined;
  const live = useLiveAssessment(engineInput);

  return (
    <CommandDrawer
      caseId={view.id}
      action="recordAssessment"
      title="容错研判（第八条至第十条）"
      size={1120}
      open={open}
      onClose={onClose}
      form={form}
      initialValues={initialValues}
      successText="容错研判已记录，引擎建议已存档"
      submitText="记录研判"
      onSubmit={(values) => {
        if (!pack) throw new Error('policy pack not loaded');
        const { policy: _policy, ...input } = toEngineInput(pack, values);
        return postCommand(view.id, 'recordAssessment', view.version, { input, note: values.note ?? '' });
      }}
    >
      {!pack ? (
        packQuery.isError ? <Alert type="error" showIcon title="无法加载政策包，请稍后重试" /> : <Spin description="正在加载政策包…" />
      ) : (
        <Row gutter={16} wrap={false}>
          <Col flex="1 1 0" style={{ minWidth: 0 }}>
            <Alert type="info" showIcon style={{ marginBottom: 16 }} title={`依据《${pack.title}》（${pack.issuer}，${pack.version}）`} />
            <OfficialHistory caseId={view.id} />
            <AssessmentFields pack={pack} />
            <Form.Item label="研判说明" name="note" rules={[{ max: 5000 }]}>
              <Input.TextArea rows={4} placeholder="简要说明认定的事实和理由" />
            </Form.Item>
          </Col>
          <Col flex="0 0 400px">
            <Card size="small" title="实时研判建议" style={{ position: 'sticky', top: 0 }} styles={{ body: { maxHeight: 'calc(100vh - 200px)', overflowY: 'auto' } }}>
              <RecommendationView
                pack={pack}
                result={live.data}
                loading={live.pending}
                error={live.error ? (live.error instanceof ApiError ? live.error.message : '研判失败，请稍后重试') : undefined}
                testId="live-recommendation"
              />
            </Card>
          </Col>
        </Row>
      )}
    </CommandDrawer>
  );
}
