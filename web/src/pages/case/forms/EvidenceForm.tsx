import { UploadOutlined } from '@ant-design/icons';
import { Button, Form, Input, Radio, Upload, type UploadFile } from 'antd';
import { useState } from 'react';
import { EVIDENCE_KIND_LABELS } from '../../../labels';
import { CommandDrawer } from '../CommandDrawer';
import { uploadEvidence } from '../commands';
import { PackQuote } from '../PackQuote';
import type { ActionFormProps } from './types';

interface Values {
  title: string;
  kind: string;
  description?: string;
  attachments: UploadFile[];
}

/** A hint for the file picker only: the server judges each file by its content and says what it accepts. */
const ACCEPT = '.pdf,.png,.jpg,.jpeg,.docx,.xlsx,.txt';

/** An evidence item with its attachments (Art. 12), sent as multipart form data with upload progress. */
export function EvidenceForm({ view, open, onClose }: ActionFormProps) {
  const [form] = Form.useForm<Values>();
  const [progress, setProgress] = useState(0);
  return (
    <CommandDrawer
      caseId={view.id}
      action="recordEvidence"
      title="记录证据材料"
      open={open}
      onClose={onClose}
      form={form}
      initialValues={{ kind: 'document', attachments: [] }}
      successText="证据材料已记录"
      submitText="上传并记录"
      progress={progress}
      onSubmit={(values) => {
        setProgress(0);
        const files = (values.attachments ?? []).map((f) => f.originFileObj).filter((f): f is NonNullable<typeof f> => Boolean(f));
        return uploadEvidence(view.id, view.version, { title: values.title, kind: values.kind, description: values.description ?? '', files }, setProgress);
      }}
      intro={<PackQuote policyId={view.policy.id} number="第十二条" paragraph={1} />}
    >
      <Form.Item label="证据名称" name="title" rules={[{ required: true, whitespace: true, message: '请填写证据名称' }, { max: 200 }]}>
        <Input />
      </Form.Item>
      <Form.Item label="证据类别" name="kind" rules={[{ required: true, message: '请选择证据类别' }]}>
        <Radio.Group optionType="button" aria-label="证据类别" options={Object.entries(EVIDENCE_KIND_LABELS).map(([value, text]) => ({ value, label: text }))} />
      </Form.Item>
      <Form.Item label="证据说明" name="description" rules={[{ max: 10_000 }]}>
        <Input.TextArea rows={4} />
      </Form.Item>
      <Form.Item
        label="附件"
        name="attachments"
        valuePropName="fileList"
        getValueFromEvent={(event: { fileList: UploadFile[] }) => event.fileList}
        rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一个附件' }]}
        extra="可上传 PDF、PNG、JPEG、Word (DOCX)、Excel (XLSX)、纯文本，每项证据最多 10 个附件。"
      >
        <Upload beforeUpload={() => false} multiple accept={ACCEPT} maxCount={10}>
          <Button icon={<UploadOutlined />}>选择文件</Button>
        </Upload>
      </Form.Item>
    </CommandDrawer>
  );
}
