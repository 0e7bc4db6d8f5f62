import { EditOutlined, EyeOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, Modal, Popconfirm, Space, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import type { IdentifierKind, IdentifiersSet, MaskedIdentifiers, RevealedIdentifier } from '../api/types';
import { applyApiError } from './form-errors';

export const IDENTIFIER_LABELS: Record<IdentifierKind, string> = { idNumber: '公民身份号码', phone: '手机号码' };
const REASON_MAX = 500;

/** The form each identifier must have; the server checks it again, with the GB 11643 check character. */
const IDENTIFIER_FORMS: Record<IdentifierKind, { pattern: RegExp; message: string; placeholder: string }> = {
  idNumber: { pattern: /^\d{17}[\dXx]$/, message: '公民身份号码须为 18 位：前 17 位为数字，最后一位为数字或 X', placeholder: '18 位公民身份号码' },
  phone: { pattern: /^1[3-9]\d{9}$/, message: '手机号码须为 11 位中国大陆手机号码（以 13–19 开头的数字）', placeholder: '11 位手机号码' },
};
/** As the server reads what was typed: no spaces or hyphens, and a phone without +86. */
const compact = (kind: IdentifierKind, value: string) => {
  const bare = value.replace(/[\s-]/g, '');
  return kind === 'phone' ? bare.replace(/^\+?86/, '') : bare.toUpperCase();
};

/**
 * One of an official's identifiers, masked (110101********1234, 138****5678). A user who manages the official
 * gets 「查看」: they give a reason, the server records the reveal in the audit trail and answers with the
 * plaintext, which lives only in this component's state — not in the query cache, not in browser storage — and
 * is gone when the page is left. The same users get 「修改」 (「登记」 when none is recorded) to enter, correct or
 * clear it; `onChanged` receives the new masked identifiers so the page shows them.
 */
export function OfficialIdentifier({
  officialId,
  kind,
  identifiers,
  onChanged,
}: {
  officialId: string;
  kind: IdentifierKind;
  identifiers: MaskedIdentifiers;
  onChanged?: (identifiers: MaskedIdentifiers) => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [asking, setAsking] = useState(false);
  const [sending, setSending] = useState(false);
  const [editing, setEditing] = useState(false);
  const [plaintext, setPlaintext] = useState<string>();
  const masked = identifiers[kind];

  const edit = identifiers.revealable && (
    <>
      <Button size="small" type="link" icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid={`edit-${kind}`}>
        {masked === null ? '登记' : '修改'}
      </Button>
      <IdentifierEditor
        officialId={officialId}
        kind={kind}
        recorded={masked !== null}
        open={editing}
        onClose={() => setEditing(false)}
        onSaved={(next) => {
          setEditing(false);
          setPlaintext(undefined);
          onChanged?.(next);
        }}
      />
    </>
  );
  if (masked === null) {
    return (
      <Space size={8} data-testid={`identifier-${kind}`}>
        <Typography.Text type="secondary" data-testid={`identifier-${kind}-value`}>
          未登记
        </Typography.Text>
        {edit}
      </Space>
    );
  }

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
      {edit}
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

/**
 * The small form behind 「修改」: the new value (never prefilled — the plaintext is not on the page unless
 * revealed), or 「清除」 to remove a recorded one. The server seals it and records which identifier changed, not the
 * value; its refusal (a wrong check character…) shows under the field.
 */
function IdentifierEditor({
  officialId,
  kind,
  recorded,
  open,
  onClose,
  onSaved,
}: {
  officialId: string;
  kind: IdentifierKind;
  recorded: boolean;
  open: boolean;
  onClose: () => void;
  onSaved: (identifiers: MaskedIdentifiers) => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Record<IdentifierKind, string>>();
  const [saving, setSaving] = useState(false);
  const { pattern, message: formMessage, placeholder } = IDENTIFIER_FORMS[kind];
  const label = IDENTIFIER_LABELS[kind];

  const send = async (value: string | null) => {
    setSaving(true);
    try {
      const { data } = await api.put<{ data: IdentifiersSet }>(`/api/v1/officials/${encodeURIComponent(officialId)}/identifiers`, { [kind]: value });
      message.success(value === null ? `已清除${label}，已记入审计` : `已保存${label}，已记入审计`);
      form.resetFields();
      onSaved(data.identifiers);
    } catch (error) {
      applyApiError(form, error, message);
    } finally {
      setSaving(false);
    }
  };
  const save = async () => {
    const values = await form.validateFields();
    await send(compact(kind, values[kind]));
  };

  return (
    <Modal
      title={`${recorded ? '修改' : '登记'}${label}`}
      open={open}
      onCancel={onClose}
      destroyOnHidden
      footer={[
        recorded && (
          <Popconfirm key="clear" title={`清除已登记的${label}？`} okText="清除" cancelText="取消" onConfirm={() => send(null)}>
            <Button danger disabled={saving} data-testid={`identifier-clear-${kind}`}>
              清除
            </Button>
          </Popconfirm>
        ),
        <Button key="cancel" onClick={onClose}>
          取消
        </Button>,
        <Button key="save" type="primary" loading={saving} onClick={save} data-testid="identifier-save">
          保存
        </Button>,
      ]}
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {label}加密保存，页面只显示脱敏形式。修改人和时间记入审计，号码本身不记录。
      </Typography.Paragraph>
      <Form form={form} layout="vertical" preserve={false} onFinish={save}>
        <Form.Item
          name={kind}
          label={`新的${label}`}
          rules={[
            { required: true, whitespace: true, message: `请填写${label}` },
            { validator: async (_, value: string | undefined) => (value && !pattern.test(compact(kind, value)) ? Promise.reject(new Error(formMessage)) : undefined) },
          ]}
        >
          <Input placeholder={placeholder} autoComplete="off" maxLength={32} data-testid={`identifier-input-${kind}`} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
