import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, ApiError } from '../../api/client';
import { label, ROLE_LABELS, SENSITIVITY_LABELS } from '../../labels';

interface Account {
  id: string;
  username: string;
  displayName: string;
  clearance: number;
  clearanceLabel: string;
  disabled: boolean;
  roles: { role: string; organizationId: string; organizationName: string }[];
}

interface Organization {
  id: string;
  name: string;
}

const GRANTABLE = Object.keys(ROLE_LABELS);

/** 角色与密级: the security administrator grants and revokes roles and sets clearances (三权分立; audited). */
export function SecurityAdminPage() {
  const { message } = App.useApp();
  const client = useQueryClient();
  const accounts = useQuery({ queryKey: ['security-accounts'], queryFn: async () => (await api.get<{ data: Account[] }>('/api/v1/security/accounts')).data });
  const organizations = useQuery({ queryKey: ['organizations'], queryFn: async () => (await api.get<{ data: Organization[] }>('/api/v1/organizations')).data });
  const [granting, setGranting] = useState<Account | undefined>();
  const [form] = Form.useForm<{ role: string; organizationId: string }>();
  const refresh = () => client.invalidateQueries({ queryKey: ['security-accounts'] });
  const act = async (run: () => Promise<unknown>, done: string) => {
    try {
      await run();
      message.success(done);
      await refresh();
      return true;
    } catch (error) {
      message.error(error instanceof ApiError ? error.message : '操作失败');
      return false;
    }
  };

  if (accounts.error) return <Alert type="error" showIcon message={(accounts.error as Error).message} />;
  return (
    <Card title="角色与密级许可" data-testid="security-admin-page">
      <Typography.Paragraph type="secondary">
        三权分立：系统管理员、安全管理员、审计管理员由不同账号担任，且不兼任业务角色，均不查看案件内容。每次授予、撤销角色和调整密级许可都记入审计链；撤销角色后该账号的会话随即结束。
      </Typography.Paragraph>
      <Table<Account>
        rowKey="id"
        size="small"
        loading={accounts.isLoading}
        dataSource={accounts.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: '账号', dataIndex: 'username', width: 140 },
          { title: '姓名', dataIndex: 'displayName', width: 200, render: (name: string, a) => (a.disabled ? <Typography.Text delete>{name}</Typography.Text> : name) },
          {
            title: '角色',
            render: (_: unknown, a) => (
              <Space wrap size={4}>
                {a.roles.map((r) => (
                  <Tag
                    key={`${r.role}@${r.organizationId}`}
                    closable
                    onClose={(e) => {
                      e.preventDefault();
                      Modal.confirm({
                        title: `撤销“${label(ROLE_LABELS, r.role)}”（${r.organizationName}）？`,
                        content: '该账号的会话将随即结束。',
                        onOk: () => act(() => api.post(`/api/v1/security/accounts/${a.id}/roles/revoke`, { role: r.role, organizationId: r.organizationId }), '已撤销角色'),
                      });
                    }}
                  >
                    {label(ROLE_LABELS, r.role)} · {r.organizationName}
                  </Tag>
                ))}
                <Button size="small" type="dashed" onClick={() => setGranting(a)} aria-label={`为 ${a.username} 授予角色`}>
                  授予角色
                </Button>
              </Space>
            ),
          },
          {
            title: '密级许可',
            width: 130,
            render: (_: unknown, a) => (
              <Select
                size="small"
                style={{ width: 100 }}
                aria-label={`${a.username} 的密级许可`}
                value={a.clearance}
                options={[1, 2, 3].map((v) => ({ value: v, label: label(SENSITIVITY_LABELS, String(v)) }))}
                onChange={(level: number) => act(() => api.put(`/api/v1/security/accounts/${a.id}/clearance`, { level }), '已调整密级许可')}
              />
            ),
          },
        ]}
      />
      <Modal
        open={granting !== undefined}
        title={granting ? `为 ${granting.displayName} 授予角色` : ''}
        okText="授予"
        onCancel={() => setGranting(undefined)}
        onOk={async () => {
          const values = await form.validateFields();
          if (await act(() => api.post(`/api/v1/security/accounts/${granting!.id}/roles`, values), '已授予角色')) {
            setGranting(undefined);
            form.resetFields();
          }
        }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          <Form.Item name="role" label="角色" rules={[{ required: true, message: '请选择角色' }]}>
            <Select options={GRANTABLE.map((r) => ({ value: r, label: label(ROLE_LABELS, r) }))} />
          </Form.Item>
          <Form.Item name="organizationId" label="单位" rules={[{ required: true, message: '请选择单位' }]}>
            <Select showSearch optionFilterProp="label" options={(organizations.data ?? []).map((o) => ({ value: o.id, label: o.name }))} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
