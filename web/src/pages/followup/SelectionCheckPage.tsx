import { CheckCircleOutlined, WarningOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Result, Select, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { api } from '../../api/client';
import type { DueAssessments, DueVisits, MaskedIdentifiers, SelectionCheck } from '../../api/types';
import { IDENTIFIER_LABELS, OfficialIdentifier } from '../../components/OfficialIdentifier';
import { label, SELECTION_PURPOSE_LABELS } from '../../labels';
import { applyFieldError } from './field-errors';
import { OfficialPicker, type OfficialOption } from './OfficialPicker';

/**
 * 选任审查 (Art. 17) for the organization department: whether an official is restricted for a purpose, and why —
 * the penalty, its period and the legal source. An exemption never restricts; no case details are shown.
 */
export function SelectionCheckPage() {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ officialId: string; purpose: string }>();
  const [checking, setChecking] = useState(false);
  const [result, setResult] = useState<{ check: SelectionCheck; name: string }>();
  // Officials the department already follows (visits and assessments due) are offered by name.
  const visits = useQuery({ queryKey: ['followup', 'visits'], queryFn: () => api.get<{ data: DueVisits }>('/api/v1/followup/visits/due'), retry: false });
  const assessments = useQuery({ queryKey: ['followup', 'assessments'], queryFn: () => api.get<{ data: DueAssessments }>('/api/v1/followup/assessments/due'), retry: false });
  const known = useMemo(() => {
    const map = new Map<string, OfficialOption>();
    for (const v of visits.data?.data.items ?? []) map.set(v.official.id, v.official);
    for (const a of assessments.data?.data.items ?? []) map.set(a.official.id, a.official);
    return [...map.values()];
  }, [visits.data, assessments.data]);

  const submit = async ({ officialId, purpose }: { officialId: string; purpose: string }) => {
    setChecking(true);
    setResult(undefined);
    try {
      const { data } = await api.get<{ data: SelectionCheck }>(`/api/v1/officials/${encodeURIComponent(officialId)}/selection-check?purpose=${encodeURIComponent(purpose)}`);
      setResult({ check: data, name: known.find((k) => k.id === officialId)?.name ?? '该干部' });
    } catch (error) {
      applyFieldError(form, error, message, ['officialId', 'purpose']);
    } finally {
      setChecking(false);
    }
  };

  return (
    <Card title="选任审查" data-testid="selection-check-page">
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        在干部考核、评先评优、选拔任用、职务职级晋升、职称评聘和代表委员资格等事项中，查询干部是否受处分影响期限制。容错免责的干部不受影响（第十七条）。查询只显示结论和依据，不显示案件内容，查询记入审计。
      </Typography.Paragraph>
      <Form form={form} layout="inline" onFinish={submit} initialValues={{ purpose: 'selection' }} style={{ rowGap: 12, marginBottom: 16 }}>
        <Form.Item name="officialId" label="干部" rules={[{ required: true, message: '请选择干部或粘贴干部编号' }]} style={{ minWidth: 380 }}>
          <OfficialPicker known={known} data-testid="selection-official" />
        </Form.Item>
        <Form.Item name="purpose" label="事项" rules={[{ required: true, message: '请选择事项' }]} style={{ minWidth: 300 }}>
          <Select options={Object.entries(SELECTION_PURPOSE_LABELS).map(([value, text]) => ({ value, label: text }))} data-testid="selection-purpose" />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={checking} data-testid="selection-submit">
            查询
          </Button>
        </Form.Item>
      </Form>
      {result && <CheckResult check={result.check} name={result.name} onIdentifiersChanged={(identifiers) => setResult({ ...result, check: { ...result.check, identifiers } })} />}
    </Card>
  );
}

function CheckResult({ check, name, onIdentifiersChanged }: { check: SelectionCheck; name: string; onIdentifiersChanged: (identifiers: MaskedIdentifiers) => void }) {
  return (
    <>
      <Descriptions
        size="small"
        column={2}
        style={{ marginBottom: 12 }}
        data-testid="selection-identifiers"
        items={(['idNumber', 'phone'] as const).map((kind) => ({
          key: kind,
          label: IDENTIFIER_LABELS[kind],
          children: <OfficialIdentifier officialId={check.officialId} kind={kind} identifiers={check.identifiers} onChanged={onIdentifiersChanged} />,
        }))}
      />
      <Verdict check={check} name={name} />
    </>
  );
}

function Verdict({ check, name }: { check: SelectionCheck; name: string }) {
  const purpose = label(SELECTION_PURPOSE_LABELS, check.purpose);
  if (!check.restricted) {
    return (
      <Result
        status="success"
        icon={<CheckCircleOutlined />}
        title={<span data-testid="selection-verdict">无影响</span>}
        subTitle={`截至 ${check.asOf}，${name}在“${purpose}”事项中不受处分影响期限制。`}
        data-testid="selection-result"
      />
    );
  }
  return (
    <div data-testid="selection-result">
      <Alert
        type="warning"
        showIcon
        icon={<WarningOutlined />}
        title={<span data-testid="selection-verdict">受影响</span>}
        description={`截至 ${check.asOf}，${name}在“${purpose}”事项中处于以下处分影响期内。`}
        style={{ marginBottom: 12 }}
      />
      <Table
        size="small"
        rowKey={(r) => `${r.label}-${r.from}`}
        pagination={false}
        dataSource={check.reasons}
        columns={[
          { key: 'label', title: '处分', render: (_, r) => r.label },
          { key: 'period', title: '影响期', width: 240, render: (_, r) => `${r.from} 至 ${r.until}` },
          { key: 'source', title: '依据', render: (_, r) => <Typography.Text type="secondary">{r.source}</Typography.Text> },
        ]}
      />
    </div>
  );
}
