import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Skeleton, Space, Switch, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { hasRole, useSession } from '../../auth/session';
import { applyApiError } from '../../components/form-errors';
import { formatTime } from '../../labels';
import { applyFieldError } from '../followup/field-errors';

interface SmtpSettings {
  organ: { id: string; name: string };
  configured: boolean;
  host: string | null;
  port: number | null;
  secure: boolean;
  from: string | null;
  username: string | null;
  hasPassword: boolean;
  enabled: boolean;
  updatedAt: string | null;
}

const EMAIL = /^[^@\s]+@[^@\s]+$/;

/** 设置: every user's e-mail address for reminders; administrators also each organ's outgoing mail server. */
export function SettingsPage() {
  const session = useSession();
  if (session.isLoading) return <Skeleton active />;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="settings-page">
      <MyEmailCard />
      {hasRole(session.data, 'system-administrator') && <SmtpCard />}
      {hasRole(session.data, 'system-administrator') && <AuditRetentionCard />}
    </Space>
  );
}

function MyEmailCard() {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ email?: string }>();
  const [busy, setBusy] = useState(false);
  const current = useQuery({ queryKey: ['settings', 'my-email'], queryFn: () => api.get<{ data: { email: string | null } }>('/api/v1/settings/my-email') });
  useEffect(() => {
    if (current.data) form.setFieldsValue({ email: current.data.data.email ?? '' });
  }, [current.data, form]);

  const submit = async ({ email }: { email?: string }) => {
    setBusy(true);
    try {
      const trimmed = email?.trim();
      await api.put('/api/v1/settings/my-email', { email: trimmed ? trimmed : null });
      message.success(trimmed ? '已保存电子邮箱' : '已清除电子邮箱，不再接收邮件提醒');
      await current.refetch();
    } catch (error) {
      applyApiError(form, error, message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title="我的电子邮箱" data-testid="my-email">
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        每日待办提醒发送到此邮箱（需本单位已设置邮件服务器）。留空则不接收邮件提醒。
      </Typography.Paragraph>
      <Form form={form} layout="inline" onFinish={submit}>
        <Form.Item name="email" rules={[{ pattern: EMAIL, message: '电子邮箱格式不正确' }, { max: 254, message: '电子邮箱不超过 254 个字符' }]}>
          <Input data-testid="my-email-input" placeholder="name@example.gov.cn" style={{ width: 320 }} autoComplete="email" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="my-email-submit">
          保存
        </Button>
      </Form>
    </Card>
  );
}

function SmtpCard() {
  const settings = useQuery({ queryKey: ['settings', 'smtp'], queryFn: () => api.get<{ data: SmtpSettings[] }>('/api/v1/settings/smtp') });
  const [editing, setEditing] = useState<SmtpSettings>();
  return (
    <Card title="邮件服务器（SMTP）" data-testid="smtp-settings">
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        各单位发送待办提醒所用的邮件服务器。密码只用于发送，不会显示，也不记入审计。
      </Typography.Paragraph>
      {settings.isLoading ? (
        <Skeleton active />
      ) : settings.isError || !settings.data ? (
        <Alert type="error" showIcon title="无法加载邮件服务器设置" description={(settings.error as Error | null)?.message} />
      ) : (
        <Table<SmtpSettings>
          rowKey={(r) => r.organ.id}
          size="small"
          dataSource={settings.data.data}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          onRow={() => ({ 'data-testid': 'smtp-row' }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: '单位', key: 'organ', render: (_, r) => r.organ.name },
            { title: '服务器', key: 'host', render: (_, r) => (r.configured ? `${r.host}:${r.port}${r.secure ? '（SSL/TLS）' : ''}` : '—') },
            { title: '发件地址', dataIndex: 'from', render: (v: string | null) => v ?? '—' },
            { title: '状态', key: 'state', width: 100, render: (_, r) => (!r.configured ? <Tag>未设置</Tag> : r.enabled ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>) },
            { title: '更新时间', dataIndex: 'updatedAt', width: 170, render: (v: string | null) => formatTime(v) },
            {
              title: '',
              key: 'edit',
              width: 80,
              render: (_, r) => (
                <Button size="small" onClick={() => setEditing(r)} data-testid="smtp-edit">
                  设置
                </Button>
              ),
            },
          ]}
        />
      )}
      <SmtpModal settings={editing} onClose={() => setEditing(undefined)} />
    </Card>
  );
}

interface SmtpForm {
  host?: string;
  port?: number;
  secure?: boolean;
  from?: string;
  username?: string;
  password?: string;
  enabled?: boolean;
}

const SMTP_FIELDS = ['host', 'port', 'secure', 'from', 'username', 'password', 'enabled'];

function SmtpModal({ settings, onClose }: { settings: SmtpSettings | undefined; onClose: () => void }) {
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<SmtpForm>();
  const [busy, setBusy] = useState(false);

  const submit = async (values: SmtpForm) => {
    if (!settings) return;
    setBusy(true);
    try {
      const username = values.username?.trim();
      await api.put(`/api/v1/settings/smtp/${settings.organ.id}`, {
        host: values.host?.trim(),
        port: values.port,
        secure: values.secure ?? false,
        from: values.from?.trim(),
        username: username ? username : null,
        ...(values.password ? { password: values.password } : {}),
        enabled: values.enabled ?? true,
      });
      message.success('已保存邮件服务器设置');
      await client.invalidateQueries({ queryKey: ['settings', 'smtp'] });
      onClose();
    } catch (error) {
      applyFieldError(form, error, message, SMTP_FIELDS);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={settings !== undefined}
      title={settings ? `邮件服务器：${settings.organ.name}` : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="保存"
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'smtp-submit' } as Record<string, string>}
    >
      {settings && (
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          onFinish={submit}
          initialValues={{
            host: settings.host ?? '',
            port: settings.port ?? 465,
            secure: settings.configured ? settings.secure : true,
            from: settings.from ?? '',
            username: settings.username ?? '',
            enabled: settings.configured ? settings.enabled : true,
          }}
        >
          <Form.Item name="host" label="服务器地址" rules={[{ required: true, whitespace: true, message: '请填写 SMTP 服务器地址' }, { max: 255, message: '服务器地址不超过 255 个字符' }]}>
            <Input placeholder="smtp.example.gov.cn" autoComplete="off" />
          </Form.Item>
          <Space size="large" align="start">
            <Form.Item name="port" label="端口" rules={[{ required: true, message: '请填写端口' }]}>
              <InputNumber min={1} max={65535} precision={0} style={{ width: 120 }} />
            </Form.Item>
            <Form.Item name="secure" label="SSL/TLS" valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name="enabled" label="启用" valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
          <Form.Item name="from" label="发件地址" rules={[{ required: true, message: '请填写发件地址' }, { pattern: EMAIL, message: '发件地址格式不正确' }]}>
            <Input placeholder="noreply@example.gov.cn" autoComplete="off" />
          </Form.Item>
          <Form.Item name="username" label="用户名" rules={[{ max: 255, message: '用户名不超过 255 个字符' }]}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="password" label="密码" extra={settings.hasPassword ? '已设置密码；不填则保留原密码' : '未设置密码'}>
            <Input.Password autoComplete="new-password" placeholder={settings.hasPassword ? '不修改请留空' : ''} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

/** How long audit records are kept: at least 184 days, and only ever lengthened (the server refuses less). */
function AuditRetentionCard() {
  const { message } = App.useApp();
  const client = useQueryClient();
  const retention = useQuery({ queryKey: ['audit-retention'], queryFn: async () => (await api.get<{ data: { days: number; minimum: number } }>('/api/v1/settings/audit-retention')).data });
  const [days, setDays] = useState<number | null>(null);
  const current = retention.data?.days;
  return (
    <Card title="审计记录保存期限" size="small" data-testid="audit-retention">
      <Typography.Paragraph type="secondary">审计记录至少保存 184 天（六个月），系统从不自动删除；期限只能延长，不能缩短。</Typography.Paragraph>
      <Space>
        <InputNumber aria-label="保存天数" min={current ?? 184} max={36500} value={days ?? current} onChange={(v) => setDays(v)} addonAfter="天" />
        <Button
          type="primary"
          disabled={days === null || current === undefined || days <= current}
          onClick={async () => {
            try {
              await api.put('/api/v1/settings/audit-retention', { days });
              message.success('已延长审计记录保存期限');
              setDays(null);
              await client.invalidateQueries({ queryKey: ['audit-retention'] });
            } catch (error) {
              message.error((error as Error).message);
            }
          }}
        >
          延长
        </Button>
      </Space>
    </Card>
  );
}
