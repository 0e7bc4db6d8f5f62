import { EyeOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, Modal, Space, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import type { IdentifierKind, MaskedIdentifiers, RevealedIdentifier } from '../api/types';
import { applyApiError } from './form-errors';

export const IDENTIFIER_LABELS: Record<IdentifierKind, string> = { idNumber: '公民身份号码', phone: '手机号码' };
const REASON_MAX = 500;

/**
 * One of an official's identifiers, masked (110101********1234, 138****5678). A user who manages the official
 * gets 「查看」: they give a reason, the server records the reveal in the audit trail and answers with the
 * plaintext, which lives only in this component's state — not in the query cache, not in browser storage — and
 * is gone when the page is left.
 */
export function OfficialIdentifier({ officialId, kind, identifiers }: { officialId: string; kind: IdentifierKind; identifiers: MaskedIdentifiers }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [asking, setAsking] = useState(false);
  const [sending, setSending] = useState(false);
  const [plaintext, setPlaintext] = useState<string>();
  const masked = identifiers[kind];
  if (masked === null) return <Typography.Text type="secondary">未登记</Typography.Text>;

  const reveal = async () => {
    const { reason } = await form.validateFields();
    setSending(true);
    try {
      const { data } = await api.post<{ data: RevealedIdentifier }>(`/api/v1/officials/${encodeURIComponent(officialId)}/identifiers/reveal`, { identifier: kind, reason });
      setPlaintext(data.plaintext);
      setAsking(false);
      form.resetFields();
    } catch (error) {
      applyApiError(form, error, message);
    } finally {
      setSending(false);
    }
  };

  return (
    <Space size={8} data-testid={`identifier-${kind}`}>
      <Typography.Text code copyable={plaintext ? { text: plaintext } : false} data-testid={`identifier-${kind}-value`}>
        {plaintext ?? masked}
      </Typography.Text>
      {plaintext ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          已查看，已记入审计
        </Typography.Text>
      ) : (
        identifiers.revealable && (
          <Tooltip title="查看明文须写明原因，查看记入审计">
            <Button size="small" type="link" icon={<EyeOutlined />} onClick={() => setAsking(true)} data-testid={`reveal-${kind}`}>
              查看
            </Button>
          </Tooltip>
        )
      )}
      <Modal
        title={`查看${IDENTIFIER_LABELS[kind]}`}
        open={asking}
        onOk={reveal}
        okText="查看"
        okButtonProps={{ 'data-testid': 'reveal-submit' }}
        confirmLoading={sending}
        onCancel={() => setAsking(false)}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
          {IDENTIFIER_LABELS[kind]}属于个人信息，默认脱敏显示。查看明文须写明原因；查看人、时间、原因记入审计，号码本身不记录。
        </Typography.Paragraph>
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item
            name="reason"
            label="查看原因"
            rules={[
              { required: true, whitespace: true, message: '请写明查看原因' },
              { validator: async (_, value: string | undefined) => ([...(value ?? '')].length > REASON_MAX ? Promise.reject(new Error(`查看原因不超过 ${REASON_MAX} 字`)) : undefined) },
            ]}
          >
            <Input.TextArea rows={3} placeholder="例如：送达处理决定前核对身份" data-testid="reveal-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
