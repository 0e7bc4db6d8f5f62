import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api/client';
import type { CommandResult } from '../api/types';
import { applyApiError } from './form-errors';

interface OfficialOption {
  id: string;
  name: string;
  position: string;
  organizationName: string;
}

/** Opens an accountability case; the tolerance examination starts with it (Art. 11). */
export function OpenCaseButton() {
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState('');
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const officials = useQuery({
    queryKey: ['officials', search],
    queryFn: () => api.get<{ data: OfficialOption[] }>(`/api/v1/officials${search ? `?q=${encodeURIComponent(search)}` : ''}`),
    enabled: open,
  });

  const submit = async () => {
    const values = (await form.validateFields()) as { officialId: string; title: string; description: string };
    setSaving(true);
    try {
      const result = await api.post<CommandResult>('/api/v1/cases', values);
      message.success('已启动问责追责，同步启动容错认定');
      setOpen(false);
      navigate(`/cases/${String(result.data.id)}`);
    } catch (error) {
      applyApiError(form, error, message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>
        启动问责追责
      </Button>
      <Modal title="启动问责追责（同步启动容错认定）" open={open} onOk={submit} okText="启动" confirmLoading={saving} onCancel={() => setOpen(false)} destroyOnHidden width={640}>
        <Form form={form} layout="vertical">
          <Form.Item label="责任追究对象" name="officialId" rules={[{ required: true, message: '请选择干部' }]}>
            <Select
              showSearch={{ filterOption: false, onSearch: setSearch }}
              placeholder="输入姓名搜索本机关有管理权限的干部"
              loading={officials.isLoading}
              options={(officials.data?.data ?? []).map((o) => ({ value: o.id, label: `${o.name} · ${o.organizationName} ${o.position}` }))}
            />
          </Form.Item>
          <Form.Item label="案件名称" name="title" rules={[{ required: true, message: '请填写案件名称' }, { max: 200 }]}>
            <Input />
          </Form.Item>
          <Form.Item label="失误错误问题描述" name="description" rules={[{ required: true, message: '请填写问题描述' }]}>
            <Input.TextArea rows={5} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
