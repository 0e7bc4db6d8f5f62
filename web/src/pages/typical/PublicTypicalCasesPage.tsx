import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, Layout, List, Skeleton, Typography } from 'antd';
import { useState } from 'react';
import { api, typicalKeys, type PublicTypicalCase } from './api';

/**
 * The public page of typical cases (典型案例, Art. 20 ¶4): no sign-in, and nothing on it but the published,
 * de-identified typical cases — a list and the one chosen.
 */
export function PublicTypicalCasesPage() {
  const list = useQuery({ queryKey: typicalKeys.public, queryFn: () => api.get<{ data: PublicTypicalCase[] }>('/api/public/typical-cases') });
  const [chosenId, setChosenId] = useState<string>();
  const items = list.data?.data ?? [];
  const chosen = items.find((i) => i.id === chosenId) ?? items[0];

  return (
    <Layout style={{ minHeight: '100vh', background: '#f5f5f5' }}>
      <Layout.Header style={{ background: '#a8071a', display: 'flex', alignItems: 'center' }}>
        <Typography.Title level={3} style={{ color: '#fff', margin: 0 }}>
          容错纠错典型案例
        </Typography.Title>
      </Layout.Header>
      <Layout.Content style={{ padding: 24, maxWidth: 1200, width: '100%', margin: '0 auto' }}>
        <Typography.Paragraph type="secondary">
          依照《关于激励干部担当作为实施容错纠错工作办法（试行）》第二十条，宣传部门发布经去除可识别身份信息的容错纠错典型案例。
        </Typography.Paragraph>
        {list.isLoading ? (
          <Skeleton active paragraph={{ rows: 8 }} />
        ) : list.isError ? (
          <Alert type="error" showIcon title="典型案例加载失败，请稍后重试" />
        ) : items.length === 0 ? (
          <Empty description="暂无已发布的典型案例" />
        ) : (
          <div style={{ display: 'flex', gap: 24, alignItems: 'flex-start', flexWrap: 'wrap' }}>
            <Card title="案例列表" style={{ flex: '0 0 340px' }} styles={{ body: { padding: 0 } }}>
              <List
                dataSource={items}
                renderItem={(item) => (
                  <List.Item
                    onClick={() => setChosenId(item.id)}
                    style={{ cursor: 'pointer', padding: '12px 16px', background: item.id === chosen?.id ? '#fff1f0' : undefined }}
                    data-testid="typical-item"
                  >
                    <List.Item.Meta title={item.title} description={`发布日期：${item.publishedOn}`} />
                  </List.Item>
                )}
              />
            </Card>
            {chosen && (
              <Card style={{ flex: '1 1 500px' }} data-testid="typical-detail">
                <Typography.Title level={4}>{chosen.title}</Typography.Title>
                <Typography.Text type="secondary">发布日期：{chosen.publishedOn}</Typography.Text>
                {chosen.body.split(/\n+/).map((paragraph, i) => (
                  <Typography.Paragraph key={i} style={{ marginTop: 12, whiteSpace: 'pre-wrap' }}>
                    {paragraph}
                  </Typography.Paragraph>
                ))}
              </Card>
            )}
          </div>
        )}
      </Layout.Content>
    </Layout>
  );
}
