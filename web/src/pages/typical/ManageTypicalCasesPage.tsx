import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Input, List, Modal, Select, Skeleton, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useSession, hasRole } from '../../auth/session';
import { api, ApiError, putJson, TYPICAL_STATUS, typicalKeys, type StaffTypicalCase } from './api';

type Reply = { data: StaffTypicalCase };

/**
 * Typical cases at work (典型案例, Art. 20 ¶4): a handler drafts one from a closed case of the organ (the draft
 * is de-identified), edits and submits it; the publicity department approves or returns it and publishes it.
 * The identifying terms the check still finds are shown; the server refuses to publish while there are any.
 */
export function ManageTypicalCasesPage() {
  const { message } = App.useApp();
  const session = useSession();
  const client = useQueryClient();
  const isHandler = hasRole(session.data, 'handler');
  const list = useQuery({ queryKey: typicalKeys.staff, queryFn: () => api.get<{ data: StaffTypicalCase[] }>('/api/v1/typical-cases') });
  const sources = useQuery({
    queryKey: typicalKeys.sources,
    queryFn: () => api.get<{ data: { id: string; title: string; closedAt: string | null }[] }>('/api/v1/typical-cases/sources'),
    enabled: isHandler,
  });
  const [sourceId, setSourceId] = useState<string>();
  const [chosenId, setChosenId] = useState<string>();
  const [editing, setEditing] = useState<{ title: string; body: string }>();
  const [returning, setReturning] = useState<string>();
  const items = list.data?.data ?? [];
  const chosen = items.find((i) => i.id === chosenId) ?? items[0];

  const done = async (reply: Reply, text: string) => {
    await client.invalidateQueries({ queryKey: ['typical-cases'] });
    setChosenId(reply.data.id);
    message.success(text);
  };
  const failed = (error: unknown) => message.error(error instanceof ApiError ? error.message : '操作失败');

  const draft = useMutation({ mutationFn: (caseId: string) => api.post<Reply>('/api/v1/typical-cases', { caseId }), onSuccess: (r) => done(r, '已起草典型案例'), onError: failed });
  const save = useMutation({
    mutationFn: (v: { item: StaffTypicalCase; title: string; body: string }) => putJson<Reply>(`/api/v1/typical-cases/${v.item.id}`, { version: v.item.version, title: v.title, body: v.body }),
    onSuccess: (r) => {
      setEditing(undefined);
      return done(r, '已保存');
    },
    onError: failed,
  });
  const step = useMutation({
    mutationFn: (v: { item: StaffTypicalCase; action: 'submit' | 'approve' | 'publish' | 'return'; note?: string }) =>
      api.post<Reply>(`/api/v1/typical-cases/${v.item.id}/${v.action}`, { version: v.item.version, ...(v.note !== undefined ? { note: v.note } : {}) }),
    onSuccess: (r) => {
      setReturning(undefined);
      return done(r, '操作成功');
    },
    onError: failed,
  });

  if (list.isLoading || session.isLoading) return <Skeleton active paragraph={{ rows: 10 }} />;
  if (list.isError) return <Alert type="error" showIcon title="典型案例加载失败" />;

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        典型案例
      </Typography.Title>
      {isHandler && (
        <Card title="从已结案案件起草">
          <Space wrap>
            <Select
              style={{ width: 420 }}
              placeholder="选择本机关已结案的案件"
              value={sourceId}
              onChange={setSourceId}
              loading={sources.isLoading}
              options={(sources.data?.data ?? []).map((s) => ({ value: s.id, label: s.title }))}
            />
            <Button type="primary" disabled={!sourceId} loading={draft.isPending} onClick={() => sourceId && draft.mutate(sourceId)}>
              起草（自动去除可识别身份的信息）
            </Button>
          </Space>
        </Card>
      )}
      {items.length === 0 ? (
        <Empty description="暂无典型案例" />
      ) : (
        <div style={{ display: 'flex', gap: 24, alignItems: 'flex-start', flexWrap: 'wrap' }}>
          <Card style={{ flex: '0 0 360px' }} styles={{ body: { padding: 0 } }}>
            <List
              dataSource={items}
              renderItem={(item) => (
                <List.Item onClick={() => setChosenId(item.id)} style={{ cursor: 'pointer', padding: '12px 16px', background: item.id === chosen?.id ? '#e6f4ff' : undefined }}>
                  <List.Item.Meta title={item.title} description={<Tag color={TYPICAL_STATUS[item.status].color}>{TYPICAL_STATUS[item.status].label}</Tag>} />
                </List.Item>
              )}
            />
          </Card>
          {chosen && (
            <Card
              style={{ flex: '1 1 520px' }}
              title={<Space>{chosen.title}<Tag color={TYPICAL_STATUS[chosen.status].color}>{TYPICAL_STATUS[chosen.status].label}</Tag></Space>}
              extra={
                <Space wrap>
                  {chosen.mine && (chosen.status === 'draft' || chosen.status === 'returned') && (
                    <>
                      <Button onClick={() => setEditing({ title: chosen.title, body: chosen.body })}>修改</Button>
                      <Button type="primary" loading={step.isPending} onClick={() => step.mutate({ item: chosen, action: 'submit' })}>报送审核</Button>
                    </>
                  )}
                  {chosen.publicity && chosen.status === 'submitted' && (
                    <Button type="primary" loading={step.isPending} onClick={() => step.mutate({ item: chosen, action: 'approve' })}>审核同意</Button>
                  )}
                  {chosen.publicity && (chosen.status === 'submitted' || chosen.status === 'approved') && <Button danger onClick={() => setReturning('')}>退回修改</Button>}
                  {chosen.publicity && chosen.status === 'approved' && (
                    <Button type="primary" loading={step.isPending} disabled={chosen.flaggedTerms.length > 0} onClick={() => step.mutate({ item: chosen, action: 'publish' })}>发布</Button>
                  )}
                </Space>
              }
            >
              {chosen.flaggedTerms.length > 0 ? (
                <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={`仍含可识别身份的信息：${chosen.flaggedTerms.join('、')}`} description="请修改后再报送，含有这些信息的典型案例不能发布。" />
              ) : (
                <Alert type="success" showIcon style={{ marginBottom: 16 }} title="去标识检查通过：未发现当事人姓名、单位、地名或案件编号" />
              )}
              {chosen.returnNote && chosen.status === 'returned' && <Alert type="info" showIcon style={{ marginBottom: 16 }} title={`退回意见：${chosen.returnNote}`} />}
              {chosen.body.split(/\n+/).map((paragraph, i) => (
                <Typography.Paragraph key={i} style={{ whiteSpace: 'pre-wrap' }}>
                  {paragraph}
                </Typography.Paragraph>
              ))}
            </Card>
          )}
        </div>
      )}
      <Modal
        title="修改典型案例"
        open={editing !== undefined}
        destroyOnHidden
        width={800}
        confirmLoading={save.isPending}
        onCancel={() => setEditing(undefined)}
        onOk={() => chosen && editing && save.mutate({ item: chosen, ...editing })}
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Input value={editing?.title} maxLength={200} onChange={(e) => setEditing((v) => v && { ...v, title: e.target.value })} />
          <Input.TextArea value={editing?.body} rows={16} onChange={(e) => setEditing((v) => v && { ...v, body: e.target.value })} />
        </Space>
      </Modal>
      <Modal
        title="退回修改"
        open={returning !== undefined}
        destroyOnHidden
        confirmLoading={step.isPending}
        okButtonProps={{ disabled: !returning?.trim() }}
        onCancel={() => setReturning(undefined)}
        onOk={() => chosen && returning && step.mutate({ item: chosen, action: 'return', note: returning })}
      >
        <Input.TextArea rows={4} placeholder="退回意见" value={returning} onChange={(e) => setReturning(e.target.value)} />
      </Modal>
    </Space>
  );
}
