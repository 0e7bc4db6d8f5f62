import { LockOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import { useSession } from '../../auth/session';
import { applyApiError } from '../../components/form-errors';

/** 账号安全: changing one's own password (the policy's rules are named by the server when one is broken). */
export function AccountPage() {
  const { message } = App.useApp();
  const session = useSession();
  const [form] = Form.useForm<{ currentPassword: string; newPassword: string; confirm: string }>();
  const [busy, setBusy] = useState(false);

  const onFinish = async ({ currentPassword, newPassword }: { currentPassword: string; newPassword: string }) => {
    setBusy(true);
    try {
      await api.put('/api/v1/session/password', { currentPassword, newPassword });
      form.resetFields();
      message.success('密码已修改，您在其他设备上的登录已全部退出');
    } catch (error) {
      applyApiError(form, error, message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title="账号安全" style={{ maxWidth: 560 }} data-testid="account-page">
      <Typography.Paragraph>
        当前账号：<Typography.Text strong>{session.data?.username}</Typography.Text>
      </Typography.Paragraph>
      <Alert
        type="info"
        showIcon
        title="修改密码后，本账号在其他设备上的登录会全部退出。身份验证器丢失时，请用恢复码登录，或联系系统管理员重置。"
        style={{ marginBottom: 16 }}
      />
      <Form form={form} layout="vertical" onFinish={onFinish} requiredMark={false}>
        <Form.Item label="当前密码" name="currentPassword" rules={[{ required: true, message: '请输入当前密码' }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
        </Form.Item>
        <Form.Item label="新密码" name="newPassword" rules={[{ required: true, message: '请输入新密码' }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          label="确认新密码"
          name="confirm"
          dependencies={['newPassword']}
          rules={[
            { required: true, message: '请再次输入新密码' },
            ({ getFieldValue }) => ({
              validator: (_, value) => (!value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error('两次输入的新密码不一致'))),
            }),
          ]}
        >
          <Input.Password prefix={<LockOutlined />} autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          修改密码
        </Button>
      </Form>
    </Card>
  );
}
